"""Question bank, test forms, pass rules, attempts and their answers."""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
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


MAX_OPTIONS = 6


def validate_item_options(item_type: str, options: list[dict]) -> None:
    """The shape every item type needs, checked wherever items are written (admin form, bulk import, services).
    ``options`` are dicts with ``text``, ``is_correct`` and, for picture items, ``has_image``."""
    errors = []
    n = len(options)
    correct = sum(1 for o in options if o.get("is_correct"))
    if n < 2:
        errors.append(_("Cần ít nhất 2 phương án."))
    if n > MAX_OPTIONS:
        errors.append(_("Tối đa %(n)d phương án.") % {"n": MAX_OPTIONS})
    if any(not str(o.get("text") or "").strip() for o in options):
        errors.append(_("Phương án không được để trống nội dung."))
    if item_type in (ItemType.SINGLE, ItemType.IMAGE_CHOICE, ItemType.TRUE_FALSE) and correct != 1:
        errors.append(_("Câu chọn một đáp án cần đúng một phương án đúng (hiện có %(n)d).") % {"n": correct})
    if item_type == ItemType.TRUE_FALSE and n != 2:
        errors.append(_("Câu Đúng / Sai cần đúng 2 phương án."))
    if item_type == ItemType.MULTIPLE:
        if correct < 2:
            errors.append(_("Câu chọn nhiều đáp án cần ít nhất 2 phương án đúng (hiện có %(n)d).") % {"n": correct})
        if correct == n:
            errors.append(_("Câu chọn nhiều đáp án cần ít nhất 1 phương án sai."))
    if item_type == ItemType.ORDERING and n < 3:
        errors.append(_("Câu sắp xếp cần ít nhất 3 bước."))
    if item_type == ItemType.IMAGE_CHOICE and not all(o.get("has_image") for o in options):
        errors.append(_("Câu chọn hình đúng cần ảnh cho mọi phương án."))
    if errors:
        raise ValidationError(errors)


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

    def clean(self):
        super().clean()
        if self.course_id and self.audience != Audience.TEAM:
            raise ValidationError({"course": _("Chỉ câu hỏi dành cho thành viên Tổ CNSCĐ mới gắn với khóa học bồi dưỡng.")})

    def validate_options(self) -> None:
        validate_item_options(
            self.type,
            [{"text": o.text, "is_correct": o.is_correct, "has_image": bool(o.image_id)} for o in self.options.all()],
        )


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

    RULE_FIELDS = ("version", "min_overall_pct", "min_area_pct", "critical_must_pass")

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        before = PassRule.objects.filter(pk=self.pk).values(*self.RULE_FIELDS).first()
        changed = before and any(before[f] != getattr(self, f) for f in self.RULE_FIELDS)
        if changed and Attempt.objects.filter(pass_rule_id=self.pk).exists():
            raise ValidationError(
                _("Tiêu chí này đã dùng để chấm bài làm; muốn đổi, hãy tạo tiêu chí mới với phiên bản mới rồi gắn vào đề.")
            )


class TestForm(models.Model):
    __test__ = False  # not a pytest class despite the name
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

    def clean(self):
        super().clean()
        if self.course_id and self.audience != Audience.TEAM:
            raise ValidationError({"course": _("Chỉ đề dành cho thành viên Tổ CNSCĐ mới gắn với khóa học bồi dưỡng.")})
        if self.framework_id:
            self.blueprint = blueprint_clean(blueprint=self.blueprint, framework=self.framework)


MAX_FORM_ITEMS = 100


def blueprint_clean(*, blueprint, framework: Framework) -> dict[str, int]:
    """A blueprint maps an area code ("4") or a competency code ("4.2") of the form's framework to a number of items.
    An area and one of its own competencies cannot both be listed: the split would be ambiguous."""
    if not isinstance(blueprint, dict) or not blueprint:
        raise ValidationError({"blueprint": _('Cấu trúc đề phải có dạng {"mã lĩnh vực hoặc năng lực": số câu}, ví dụ {"4": 3, "2.3": 2}.')})
    areas = set(framework.areas.values_list("code", flat=True))
    competencies = dict(Competency.objects.filter(area__framework=framework).values_list("code", "area__code"))
    errors, clean = [], {}
    for key, count in blueprint.items():
        key = str(key).strip()
        if key not in areas and key not in competencies:
            errors.append(_("Không có lĩnh vực hay năng lực mã “%(key)s” trong khung %(fw)s.") % {"key": key, "fw": framework.label})
            continue
        try:
            n = int(count)
        except (TypeError, ValueError):
            n = -1
        if isinstance(count, bool) or n < 1 or str(count).strip() != str(n):
            errors.append(_("Số câu của “%(key)s” phải là số nguyên dương.") % {"key": key})
            continue
        clean[key] = n
    for key in clean:
        if key in competencies and competencies[key] in clean:
            errors.append(
                _("Không thể vừa đặt số câu cho lĩnh vực %(area)s vừa cho năng lực %(comp)s thuộc lĩnh vực đó.")
                % {"area": competencies[key], "comp": key}
            )
    if sum(clean.values()) > MAX_FORM_ITEMS:
        errors.append(_("Một đề có tối đa %(n)d câu.") % {"n": MAX_FORM_ITEMS})
    if errors:
        raise ValidationError({"blueprint": errors})
    return clean


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
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | Q(submitted_at__isnull=False, score_pct__isnull=False, passed__isnull=False),
                name="submitted_attempt_has_result",
            ),
            models.CheckConstraint(
                condition=Q(assisted_by__isnull=True) | ~Q(assisted_by=models.F("resident")), name="assisted_by_someone_else"
            ),
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
