"""A4 QR posters for market stalls ("Chợ 4.0") and notice boards: scan the code, land on the course or lesson.
The WeasyPrint font configuration is built once per process, as for certificates (cms may not import them)."""
import atexit
import base64
import io
from functools import lru_cache

import segno
from django.conf import settings
from django.template.loader import render_to_string

FONT_FILES = {400: "BeVietnamPro-Regular.ttf", 700: "BeVietnamPro-Bold.ttf"}


@lru_cache(maxsize=1)
def _engine():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    font_config = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=("data", "file"))
    faces = "".join(
        f"@font-face {{ font-family: 'Be Vietnam Pro'; font-weight: {w}; "
        f"src: url('{(settings.PDF_FONT_DIR / f).as_uri()}'); }}\n"
        for w, f in FONT_FILES.items()
    )
    css_text = (settings.BASE_DIR / "cms" / "poster.css").read_text(encoding="utf-8")
    return font_config, fetcher, CSS(string=faces + css_text, font_config=font_config, url_fetcher=fetcher)


atexit.register(_engine.cache_clear)


def page_public_url(page) -> str:
    """The address a phone should open: SITE_URL (the public name), not the Wagtail Site's internal hostname."""
    return settings.SITE_URL.rstrip("/") + page.url


def qr_svg_data_uri(url: str) -> str:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", border=2, xmldecl=False, svgns=True, nl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def render_poster(page) -> bytes:
    from weasyprint import HTML

    from .models import LessonPage

    specific = page.specific
    course = specific.get_parent().specific if isinstance(specific, LessonPage) else None
    url = page_public_url(specific)
    html = render_to_string("cms/poster_pdf.html", {
        "page": specific,
        "course": course,
        "url": url,
        "short_url": url.split("://", 1)[-1],
        "qr": qr_svg_data_uri(url),
    })
    font_config, fetcher, css = _engine()
    return HTML(string=html, url_fetcher=fetcher, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css], font_config=font_config
    )
