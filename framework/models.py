"""The competency framework (Decision 757/QĐ-BKHCN, proposed outline): versions, areas, competencies."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REFERENCE_NOTE = _("tham chiếu Khung kiến thức, kỹ năng số cơ bản — QĐ 757/QĐ-BKHCN")


class FrameworkQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


class Framework(models.Model):
    code = models.CharField(_("mã"), max_length=80)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    title = models.CharField(_("tên"), max_length=255)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    status_note = models.CharField(_("tình trạng"), max_length=255, blank=True)
    is_current = models.BooleanField(_("đang dùng"), default=False)
    source = models.JSONField(_("nội dung gốc (YAML)"), default=dict, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("khung năng lực")
        verbose_name_plural = _("khung năng lực")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version_unique"),
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_framework"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=255)
    provenance = models.CharField(_("nguồn gốc"), max_length=255, blank=True)
    mappings = models.JSONField(_("đối chiếu"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique")]

    def __str__(self):
        return f"{self.code}. {self.name}"


class Competency(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=255)
    provenance = models.CharField(_("nguồn gốc"), max_length=255, blank=True)
    examples = models.JSONField(_("ví dụ"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__framework", "area__position", "position"]
        verbose_name = _("năng lực")
        verbose_name_plural = _("năng lực")
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="competency_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"
