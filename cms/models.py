"""Wagtail pages: home → course index → course → lesson, plus plain pages."""
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import LessonStreamBlock
from .text import fold


class Audience(models.TextChoices):
    RESIDENT = "resident", _("Người dân")
    TEAM = "team", _("Thành viên Tổ CNSCĐ")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [strip_tags(value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in {"type", "id", "kind"} for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


class PhonePreviewMixin:
    """Residents read on 360 px phones, so the admin preview opens at that size first."""

    @property
    def preview_sizes(self):
        return [
            {"name": "mobile", "icon": "mobile-alt", "device_width": 360, "label": _("Xem trên điện thoại (360 px)")},
            {"name": "tablet", "icon": "tablet-alt", "device_width": 768, "label": _("Xem trên máy tính bảng")},
            {"name": "desktop", "icon": "desktop", "device_width": 1280, "label": _("Xem trên máy tính")},
        ]


class FoldedSearchMixin(models.Model):
    """Keeps an accent-free, lower-case copy of the page text so search ignores diacritics on any database."""

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def searchable_parts(self) -> list[str]:
        return [self.title, getattr(self, "summary", "")]

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join(self.searchable_parts()))
        return super().save(*args, **kwargs)


class HomePage(PhonePreviewMixin, Page):
    intro = RichTextField(_("lời giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.CourseIndexPage", "cms.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("Trang chủ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.live().public().specific().order_by("path")
        return context


class CourseIndexPage(PhonePreviewMixin, Page):
    intro = RichTextField(_("lời giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CoursePage"]

    class Meta:
        verbose_name = _("Danh sách khóa học")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = CoursePage.objects.child_of(self).live().public().select_related("cover_image")
        audience = request.GET.get("doi-tuong")
        if audience in Audience.values:
            courses = courses.filter(audience=audience)
        context["courses"] = courses
        context["audience"] = audience
        return context


class CoursePage(PhonePreviewMixin, FoldedSearchMixin, Page):
    audience = models.CharField(_("dành cho"), max_length=10, choices=Audience.choices, default=Audience.RESIDENT)
    summary = models.TextField(_("tóm tắt"), max_length=400)
    duration_minutes = models.PositiveSmallIntegerField(_("thời lượng dự kiến (phút)"), default=30)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("ảnh bìa")
    )
    competencies = ParentalManyToManyField("framework.Competency", blank=True, related_name="courses", verbose_name=_("năng lực"))
    required_for_team = models.BooleanField(_("bắt buộc trong bồi dưỡng chuyên sâu"), default=False)
    sequential = models.BooleanField(_("mở bài học theo thứ tự"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("duration_minutes"), FieldPanel("required_for_team"), FieldPanel("sequential")],
            heading=_("Cách học"),
        ),
        FieldPanel("competencies"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["cms.CourseIndexPage"]
    subpage_types = ["cms.LessonPage"]

    class Meta:
        verbose_name = _("Khóa học")
        verbose_name_plural = _("Khóa học")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = list(self.lessons())
        return context


class LessonPage(PhonePreviewMixin, FoldedSearchMixin, Page):
    summary = models.TextField(_("tóm tắt"), max_length=400, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=10)
    body = StreamField(LessonStreamBlock(), verbose_name=_("nội dung"))
    competencies = ParentalManyToManyField("framework.Competency", blank=True, related_name="lessons", verbose_name=_("năng lực"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel("competencies"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Bài học")
        verbose_name_plural = _("Bài học")

    def searchable_parts(self) -> list[str]:
        return super().searchable_parts() + _strings(list(self.body.raw_data))

    @property
    def course(self) -> CoursePage:
        return CoursePage.objects.get(pk=self.get_parent().pk)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific
        siblings = list(LessonPage.objects.child_of(course).live().order_by("path").only("id", "title", "path", "url_path"))
        position = next((i for i, s in enumerate(siblings) if s.pk == self.pk), 0)
        context.update(
            course=course,
            lesson_number=position + 1,
            lesson_count=len(siblings),
            previous_lesson=siblings[position - 1] if position > 0 else None,
            next_lesson=siblings[position + 1] if position + 1 < len(siblings) else None,
        )
        return context


class StandardPage(PhonePreviewMixin, Page):
    body = RichTextField(_("nội dung"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Trang thông tin")
