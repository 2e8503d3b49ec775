"""One WeasyPrint set-up for every PDF the platform makes (certificates, QR posters, quarterly reports).

A FontConfiguration, a parsed stylesheet and a URL fetcher are built once per stylesheet and process: reusing them
keeps a render fast and memory flat (shared/domain/stack-notes.md §4). The fetcher reads only data: and file: URLs,
so HTML can never make the server fetch a remote address. Fonts are the bundled Be Vietnam Pro (static/fonts), never
whatever the system has.

The images a stylesheet itself draws (the certificate's frame) are parsed once per thread too: each render gets a copy
of an image cache seeded with them (`render_options`), and whatever the document adds (its QR code) leaves with the copy,
so memory stays flat however many certificates a worker renders."""
import atexit
import threading
from functools import lru_cache

from django.conf import settings

FONT_FILES = {400: "BeVietnamPro-Regular.ttf", 600: "BeVietnamPro-SemiBold.ttf", 700: "BeVietnamPro-Bold.ttf"}


@lru_cache(maxsize=None)
def engine(css_text: str, weights: tuple[int, ...] = (400, 700)):
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    font_config = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=("data", "file"))
    faces = "".join(
        f"@font-face {{ font-family: 'Be Vietnam Pro'; font-weight: {w}; "
        f"src: url('{(settings.PDF_FONT_DIR / FONT_FILES[w]).as_uri()}'); }}\n"
        for w in weights
    )
    return font_config, fetcher, CSS(string=faces + css_text, font_config=font_config, url_fetcher=fetcher)


# Free the font configurations before interpreter teardown, when their destructors' helpers are already gone.
atexit.register(engine.cache_clear)
atexit.register(lambda: _seeded.__dict__.clear())


_seeded = threading.local()  # a parsed SVG is drawn with state of its own, so each thread keeps its own


def _image_cache(css_text: str, weights: tuple[int, ...]) -> dict:
    seeds = _seeded.__dict__.setdefault("caches", {})
    key = (css_text, weights)
    if key not in seeds:
        font_config, _, css = engine(css_text, weights)
        cache = {}
        html_document("<p></p>", css_text, weights).render(stylesheets=[css], font_config=font_config, cache=cache)
        seeds[key] = cache
    return dict(seeds[key])


def render_options(css_text: str, weights: tuple[int, ...] = (400, 700)) -> dict:
    """Keyword arguments for `HTML.render` / `HTML.write_pdf`: the shared stylesheet and fonts, and a fresh image cache
    that already holds the stylesheet's own images."""
    font_config, _, css = engine(css_text, weights)
    return {"stylesheets": [css], "font_config": font_config, "cache": _image_cache(css_text, weights)}


def html_document(html: str, css_text: str, weights: tuple[int, ...] = (400, 700)):
    from weasyprint import HTML

    _, fetcher, _ = engine(css_text, weights)
    return HTML(string=html, url_fetcher=fetcher, base_url=str(settings.BASE_DIR))


def render_pdf(html: str, css_text: str, weights: tuple[int, ...] = (400, 700)) -> bytes:
    return html_document(html, css_text, weights).write_pdf(**render_options(css_text, weights))
