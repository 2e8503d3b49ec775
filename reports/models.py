from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import CommuneGroup


class Indicator(models.TextChoices):
    TEAM_TRAINING = "team_training", _("Thành viên Tổ CNSCĐ được bồi dưỡng chuyên sâu")
    HOUSEHOLD_COVERAGE = "household_coverage", _("Hộ gia đình có ít nhất một người thành thạo kỹ năng số cơ bản")
    EID_LEVEL2 = "eid_level2", _("Người trong độ tuổi lao động có định danh điện tử mức 2")
    SIGNATURE = "signature", _("Người trưởng thành có chữ ký số cá nhân")
    EPAYMENT = "epayment", _("Người dân thanh toán điện tử thường xuyên")


# The 2026 plan's targets (ke-hoach-to-cnscd-dong-nai-2026, section on targets), group I = phường, group II = xã.
DEFAULT_TARGETS_2026 = {
    CommuneGroup.URBAN: {"team_training": 100, "household_coverage": 85, "eid_level2": 70, "signature": 30, "epayment": 60},
    CommuneGroup.RURAL: {"team_training": 100, "household_coverage": 70, "eid_level2": 70, "signature": 15, "epayment": 60},
}


class Target(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    group = models.CharField(_("nhóm"), max_length=2, choices=CommuneGroup.choices)
    indicator = models.CharField(_("chỉ tiêu"), max_length=24, choices=Indicator.choices)
    percent = models.PositiveSmallIntegerField(_("mục tiêu (%)"), validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["year", "group", "indicator"], name="target_unique")]

    def __str__(self):
        return f"{self.year} {self.group} {self.get_indicator_display()}: {self.percent}%"


class QuarterlyReport(models.Model):
    """A commune's submitted figures for a quarter: a frozen snapshot that later data changes do not alter."""

    commune = models.ForeignKey("community.Commune", on_delete=models.PROTECT, related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), validators=[MaxValueValidator(4)])
    snapshot = models.JSONField(_("số liệu đã nộp"))
    note = models.TextField(_("ghi chú của xã/phường"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("nộp lúc"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-quarter", "commune__name"]
        verbose_name = _("báo cáo quý")
        verbose_name_plural = _("báo cáo quý")
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "quarter"], name="one_report_per_commune_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.commune} – quý {self.quarter}/{self.year}"


class StatsSnapshot(models.Model):
    """The province's per-commune counts for one date, computed by the database and kept so that the province
    dashboard answers from 95 rows instead of re-aggregating millions on every view. Refreshed when older than
    REPORTS_SNAPSHOT_MAX_AGE (a task can refresh ahead of time); commune pages and quarterly reports read live."""

    on = models.DateField()
    commune = models.ForeignKey("community.Commune", on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["on", "commune"], name="one_snapshot_per_commune_date")]
