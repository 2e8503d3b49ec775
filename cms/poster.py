"""A4 QR posters for market stalls ("Chợ 4.0") and notice boards: scan the code, land on the course or lesson.
Rendered through the shared WeasyPrint set-up in config/pdf.py."""
import base64
import io

import segno
from django.conf import settings
from django.template.loader import render_to_string

from config.pdf import render_pdf

def _css_text() -> str:
    return (settings.BASE_DIR / "cms" / "poster.css").read_text(encoding="utf-8")


def page_public_url(page) -> str:
    """The address a phone should open: SITE_URL (the public name), not the Wagtail Site's internal hostname."""
    return settings.SITE_URL.rstrip("/") + page.url


def qr_svg_data_uri(url: str) -> str:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", border=2, xmldecl=False, svgns=True, nl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def render_poster(page) -> bytes:

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
    return render_pdf(html, _css_text())
