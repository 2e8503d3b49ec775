from django.core.validators import MaxValueValidator
from django.db import models
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
