"""Question bank, test forms, pass rules, attempts and their answers."""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin

from cms.models import Audience, CoursePage
from community.models import Resident
from framework.models import Competency, Framework


class ItemType(models.TextChoices):
    SINGLE = "single", _("Chọn một đáp án")
    MULTIPLE = "multiple", _("Chọn nhiều đáp án")
    TRUE_FALSE = "true_false", _("Đúng / Sai")
    ORDERING = "ordering", _("Sắp xếp các bước")
    IMAGE_CHOICE = "image_choice", _("Chọn hình đúng")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    ACTIVE = "active", _("Đang dùng")
    RETIRED = "retired", _("Ngừng dùng")


class ItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ItemStatus.ACTIVE)


class Item(RevisionMixin, ClusterableModel):
    code = models.CharField(_("mã câu hỏi"), max_length=40, unique=True)
    audience = models.CharField(_("đối tượng"), max_length=10, choices=Audience.choices, default=Audience.RESIDENT)
    course = models.ForeignKey(
        CoursePage, on_delete=models.SET_NULL, null=True, blank=True, related_name="check_items",
        verbose_name=_("khóa học (bài kiểm tra cuối khóa)"),
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="items", verbose_name=_("năng lực"))
    type = models.CharField(_("dạng câu hỏi"), max_length=14, choices=ItemType.choices, default=ItemType.SINGLE)
    difficulty = models.PositiveSmallIntegerField(
        _("độ khó"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    stem = models.TextField(_("câu hỏi"))
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("ảnh minh họa")
    )
    explanation = models.TextField(_("giải thích (hiện sau khi nộp bài)"), blank=True)
    critical = models.BooleanField(_("câu bắt buộc đúng (an toàn, chống lừa đảo)"), default=False)
    status = models.CharField(_("trạng thái"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ItemQuerySet.as_manager()

    panels = [
        FieldPanel("code"),
        FieldPanel("stem"),
        FieldPanel("image"),
        MultiFieldPanel(
            [FieldPanel("type"), FieldPanel("competency"), FieldPanel("difficulty"), FieldPanel("critical"),
             FieldPanel("audience"), FieldPanel("course"), FieldPanel("status")],
            heading=_("Phân loại"),
        ),
        InlinePanel("options", label=_("Phương án (với câu sắp xếp: nhập theo đúng thứ tự)"), min_num=2),
        FieldPanel("explanation"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")
        indexes = [models.Index(fields=["status", "audience", "competency"])]

    def __str__(self):
        return f"{self.code}: {self.stem[:60]}"


class Option(Orderable):
    """With an ordering item, sort_order is the correct position of the step."""

    item = ParentalKey(Item, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("nội dung"), max_length=300)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_correct = models.BooleanField(_("đúng"), default=False)

    panels = [FieldPanel("text"), FieldPanel("image"), FieldPanel("is_correct")]

    def __str__(self):
        return self.text


class PassRule(models.Model):
    """Versioned data: each result stores the rule it was judged by."""

    version = models.CharField(_("phiên bản"), max_length=40, unique=True)
    min_overall_pct = models.PositiveSmallIntegerField(_("tối thiểu toàn bài (%)"), default=70, validators=[MaxValueValidator(100)])
    min_area_pct = models.PositiveSmallIntegerField(_("tối thiểu mỗi lĩnh vực (%)"), default=50, validators=[MaxValueValidator(100)])
    critical_must_pass = models.BooleanField(_("mọi câu bắt buộc phải đúng"), default=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tiêu chí đạt")
        verbose_name_plural = _("tiêu chí đạt")

    def __str__(self):
        return f"{self.version}: ≥{self.min_overall_pct}% toàn bài, ≥{self.min_area_pct}% mỗi lĩnh vực"


class TestForm(models.Model):
    slug = models.SlugField(_("đường dẫn"), unique=True)
    title = models.CharField(_("tên bài kiểm tra"), max_length=200)
    audience = models.CharField(_("đối tượng"), max_length=10, choices=Audience.choices, default=Audience.RESIDENT)
    course = models.ForeignKey(CoursePage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    blueprint = models.JSONField(_("cấu trúc đề (số câu mỗi lĩnh vực)"), default=dict)
    time_limit_minutes = models.PositiveSmallIntegerField(_("thời gian (phút)"), default=20)
    max_attempts_per_day = models.PositiveSmallIntegerField(_("số lần làm tối đa mỗi ngày"), default=2)
    pass_rule = models.ForeignKey(PassRule, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("đang mở"), default=True)
    issues_certificate = models.BooleanField(_("cấp chứng nhận kỹ năng số cơ bản khi đạt"), default=False)

    class Meta:
        verbose_name = _("đề kiểm tra")
        verbose_name_plural = _("đề kiểm tra")

    def __str__(self):
        return self.title

    @property
    def item_count(self) -> int:
        return sum(int(n) for n in self.blueprint.values())


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang làm")
    SUBMITTED = "submitted", _("Đã nộp")


class Attempt(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="attempts")
    form = models.ForeignKey(TestForm, on_delete=models.PROTECT, related_name="attempts")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    pass_rule = models.ForeignKey(PassRule, on_delete=models.PROTECT, related_name="+")
    assisted_by = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="assisted_attempts")
    status = models.CharField(max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    last_position = models.PositiveSmallIntegerField(default=1)
    score_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    area_scores = models.JSONField(default=list, blank=True)
    critical_ok = models.BooleanField(null=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("lượt làm bài")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "form"], condition=Q(status="in_progress"), name="one_open_attempt_per_form"
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def seconds_left(self) -> int:
        return max(0, int((self.deadline - timezone.now()).total_seconds()))


class AttemptItem(models.Model):
    """The frozen draw: which item sits at which position, in which option order, and the answer given."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="attempt_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(default=list)
    answer = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_position_unique"),
            models.UniqueConstraint(fields=["attempt", "item"], name="attempt_item_unique"),
        ]
