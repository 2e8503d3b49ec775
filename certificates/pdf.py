"""Certificate PDFs with WeasyPrint, through the shared set-up in config/pdf.py (built once per process)."""
import base64
import io
from functools import lru_cache

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from config.pdf import html_document, render_options

WEIGHTS = (400, 600, 700)


@lru_cache(maxsize=1)
def _css_text() -> str:
    here = settings.BASE_DIR / "certificates"
    frame = (here / "pdf_frame.svg").as_uri()
    return (here / "pdf.css").read_text(encoding="utf-8").replace("url(FRAME_SVG)", f"url('{frame}')")


def qr_data_uri(url: str) -> str:
    """The QR as a small 8-bit grey PNG, 3 px a module (the quiet zone comes from the CSS padding). Grey is what
    WeasyPrint embeds without converting it first; the PDF decodes from 72 to 300 dpi (zbarimg; 1 px a module needs
    300 dpi)."""
    matrix = segno.make(url, error="m").matrix
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).resize((size * 3, size * 3), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _image_data_uri(image) -> str | None:
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-400x400|format-png")
        with rendition.file.open("rb") as fh:
            return "data:image/png;base64," + base64.b64encode(fh.read()).decode()
    except (OSError, ValueError):
        return None


def site_context() -> dict:
    """What every page of a batch shares: the editable issuer/signer settings and their images, read once."""
    from .models import CertificateSettings

    conf = CertificateSettings.load()
    return {
        "conf": conf,
        "verify_site": settings.SITE_URL.split("://", 1)[-1].rstrip("/") + reverse("certificates:verify"),
        "signature": _image_data_uri(conf.signature_image),
        "seal": _image_data_uri(conf.seal_image),
    }


def certificate_context(certificate, shared: dict | None = None) -> dict:
    shared = shared if shared is not None else site_context()
    return {
        **shared,
        "cert": certificate,
        "issued": timezone.localtime(certificate.issued_at),
        "qr": qr_data_uri(certificate.verify_absolute_url),
    }


def _html(contexts: list[dict]):
    html = render_to_string("certificates/certificate_pdf.html", {"pages": contexts})
    return html_document(html, _css_text(), WEIGHTS)


def render_html_pages(contexts: list[dict]) -> bytes:
    return _html(contexts).write_pdf(**render_options(_css_text(), WEIGHTS))


def render_certificate(certificate) -> bytes:
    return render_html_pages([certificate_context(certificate)])


def render_many(certificates) -> bytes:
    """One PDF, one page per certificate, in one pass (small batches)."""
    shared = site_context()
    return render_html_pages([certificate_context(c, shared) for c in certificates])


def render_chunks(certificates, *, chunk: int = 25, progress=None) -> bytes:
    """One PDF for a large batch: laid out chunk by chunk so progress can be reported, then written once (WeasyPrint's
    documented way to join documents: copy the pages of all into the first)."""
    shared = site_context()
    documents, buffer, done = [], [], 0

    def flush():
        nonlocal done
        documents.append(_html([certificate_context(c, shared) for c in buffer]).render(
            **render_options(_css_text(), WEIGHTS)))
        done += len(buffer)
        buffer.clear()
        if progress:
            progress(done)

    for cert in certificates.iterator(chunk_size=chunk) if hasattr(certificates, "iterator") else certificates:
        buffer.append(cert)
        if len(buffer) >= chunk:
            flush()
    if buffer:
        flush()
    if not documents:
        raise ValueError("no certificates")
    pages = [page for doc in documents for page in doc.pages]
    return documents[0].copy(pages).write_pdf()
