"""Open Graph tags for Zalo/Facebook and the A4 QR poster for notice boards."""
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.models import LessonPage

pytestmark = pytest.mark.django_db


def _pdf_text(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_course_and_lesson_carry_open_graph_tags_with_public_urls_and_an_image(client, course):
    lesson = LessonPage.objects.child_of(course).first()
    for page, description in [(course, "Nộp hồ sơ trên mạng."), (lesson, "Bài 1")]:
        html = client.get(page.url).content.decode()
        assert f'<meta property="og:title" content="{page.title}">' in html
        assert f'<meta property="og:description" content="{description}">' in html
        assert f'<meta property="og:url" content="{settings.SITE_URL}{page.url}">' in html
        assert f'<meta property="og:image" content="{settings.SITE_URL}/static/cms/chia-se.png">' in html
        assert f'href="{reverse("poster", args=[page.pk])}"' in html and "In áp phích QR" in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_poster_is_an_a4_pdf_with_title_summary_and_call_to_scan(client, course, tmp_path):
    r = client.get(reverse("poster", args=[course.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = _pdf_text(tmp_path, r.content)
    assert "Dịch vụ công trực tuyến" in text and "Nộp hồ sơ trên mạng." in text
    assert "Quét mã để học miễn phí" in text
    assert settings.SITE_URL.split("://", 1)[-1] + course.url in text
    info = subprocess.run(["pdfinfo", "-"], input=r.content, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info and re.search(r"Pages:\s+1\n", info), info


@pytest.mark.skipif(not shutil.which("zbarimg") or not shutil.which("pdftoppm"), reason="needs zbar-tools, poppler")
def test_poster_qr_code_opens_the_lesson(client, course, tmp_path):
    lesson = LessonPage.objects.child_of(course).first()
    r = client.get(reverse("poster", args=[lesson.pk]))
    (tmp_path / "p.pdf").write_bytes(r.content)
    assert "Bài học trong khóa “Dịch vụ công trực tuyến”" in _pdf_text(tmp_path, r.content)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(tmp_path / "p.pdf"), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "p.png")], capture_output=True, text=True).stdout.strip()
    assert decoded == settings.SITE_URL.rstrip("/") + lesson.url


def test_no_poster_for_unpublished_private_or_non_course_pages(client, course):
    lesson = LessonPage.objects.child_of(course).first()
    lesson.unpublish()
    assert client.get(reverse("poster", args=[lesson.pk])).status_code == 404
    assert client.get(reverse("poster", args=[course.get_parent().pk])).status_code == 404
    assert client.get(reverse("poster", args=[999999])).status_code == 404
    PageViewRestriction.objects.create(page=course, restriction_type="login")
    assert client.get(reverse("poster", args=[course.pk])).status_code == 404


def test_covers_and_lesson_images_are_phone_sized_renditions_with_webp_and_a_jpeg_fallback(client, course):
    from cms.demo import make_cover_image

    cover = make_cover_image(title=course.title, audience=course.audience, slug=course.slug)
    course.cover_image = cover
    course.save_revision().publish()
    lesson = LessonPage.objects.child_of(course).first()
    lesson.body = [{"type": "image", "value": {"image": cover.pk, "alt": "Màn hình ứng dụng VNeID", "caption": "Ảnh minh họa"}}]
    lesson.save_revision().publish()

    html = client.get(course.url).content.decode()
    assert "<picture><source" in html and 'type="image/webp"' in html and "fill-360x160.format-webp" in html
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og.startswith(settings.SITE_URL) and "fill-1200x630.format-jpeg" in og
    html = client.get(lesson.url).content.decode()
    assert 'alt="Màn hình ứng dụng VNeID"' in html and "width-360.format-webp" in html and "width-720.format-jpeg" in html
    assert "Ảnh minh họa" in html
