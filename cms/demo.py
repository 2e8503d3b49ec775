"""The site tree and the shipped courses, read from cms/demo_content/*.yaml."""
import io
import textwrap
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from framework.models import Competency

from .models import CourseIndexPage, CoursePage, HomePage, LessonPage

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
COURSE_ORDER = ["ky-nang-so-co-ban", "ung-dung-ai-co-ban", "dich-vu-cong-truc-tuyen", "ky-nang-bao-mat", "chu-ky-so"]


@transaction.atomic
def ensure_site_tree() -> CourseIndexPage:
    if not Locale.objects.exists():  # a database flushed by transactional tests has lost the migrations' rows
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Học vụ số Đồng Nai",
            slug="trang-chu",
            intro="<p>Học kỹ năng số miễn phí, theo nhịp của bạn, ngay trên điện thoại. "
            "Tổ Công nghệ số cộng đồng ở xã, phường luôn sẵn sàng giúp bạn.</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = "Học vụ số Đồng Nai"
            site.save()
        else:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Học vụ số Đồng Nai")
        if old_root is not None and old_root.specific_class is Page and old_root.pk != home.pk:
            old_root.delete()
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(title="Khóa học", slug="khoa-hoc",
                                intro="<p>Chọn một khóa học. Mỗi bài chỉ mất khoảng 10 phút.</p>")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


COVER_COLOURS = {"resident": ("#0b5c8c", "#0e6ba3"), "team": ("#17693a", "#1d7a45")}


def make_cover_image(*, title: str, audience: str, slug: str):
    """A plain banner (1200×630, the Open Graph size) with the course title in the bundled font, so shared links
    show a readable card in Zalo and Facebook. Trainers replace it with a photo in the admin whenever they like."""
    from PIL import Image as PILImage, ImageDraw, ImageFont

    bg, accent = COVER_COLOURS.get(audience, COVER_COLOURS["resident"])
    img = PILImage.new("RGB", (1200, 630), bg)
    draw = ImageDraw.Draw(img)
    draw.ellipse([900, 250, 1400, 750], fill=accent)  # kept clear of the title; phone crops trim top and bottom
    bold = ImageFont.truetype(str(settings.PDF_FONT_DIR / "BeVietnamPro-Bold.ttf"), 76)
    small = ImageFont.truetype(str(settings.PDF_FONT_DIR / "BeVietnamPro-SemiBold.ttf"), 34)
    label = "Bồi dưỡng Tổ CNSCĐ" if audience == "team" else "Học kỹ năng số miễn phí"
    draw.text((80, 120), f"Học vụ số Đồng Nai · {label}", font=small, fill="#ffffff")
    lines = textwrap.wrap(title, width=22)[:3]
    top = 340 - len(lines) * 48
    for i, line in enumerate(lines):
        draw.text((80, top + i * 96), line, font=bold, fill="#ffffff")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return get_image_model().objects.create(title=title, file=ImageFile(buf, name=f"bia-{slug}.png"))


def _competencies(codes) -> list[Competency]:
    return list(Competency.objects.filter(area__framework__is_current=True, code__in=[str(c) for c in codes or []]))


@transaction.atomic
def load_course(path: Path, index: CourseIndexPage) -> CoursePage:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    course = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if course is None:
        course = CoursePage(
            title=data["title"], slug=data["slug"], audience=data["audience"], summary=data["summary"],
            duration_minutes=data.get("duration_minutes", 30), required_for_team=data.get("required_for_team", False),
            sequential=data.get("sequential", False), search_description=data["summary"],
        )
        index.add_child(instance=course)
        course.competencies.set(_competencies(data.get("competencies")))
        course.save_revision().publish()
    if course.cover_image_id is None:
        course.cover_image = make_cover_image(title=course.title, audience=course.audience, slug=course.slug)
        course.save_revision().publish()
    for lesson_data in data["lessons"]:
        if LessonPage.objects.child_of(course).filter(slug=lesson_data["slug"]).exists():
            continue
        lesson = LessonPage(
            title=lesson_data["title"], slug=lesson_data["slug"], summary=lesson_data.get("summary", ""),
            search_description=lesson_data.get("summary", ""), duration_minutes=lesson_data.get("duration_minutes", 10),
            body=lesson_data["body"],
        )
        course.add_child(instance=lesson)
        lesson.competencies.set(_competencies(lesson_data.get("competencies")))
        lesson.save_revision().publish()
    return course


def load_courses(content_dir: Path = CONTENT_DIR) -> list[CoursePage]:
    index = ensure_site_tree()
    files = sorted(content_dir.glob("*.yaml"), key=lambda p: COURSE_ORDER.index(p.stem) if p.stem in COURSE_ORDER else 99)
    return [load_course(p, index) for p in files]
