from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from community.models import Commune, Resident

from . import codes


class CertificateKind(models.TextChoices):
    BASIC = "co_ban", _("Chứng nhận kỹ năng số cơ bản")
    TEAM = "chuyen_sau", _("Chứng nhận bồi dưỡng chuyên sâu Tổ CNSCĐ")


class CertificateStatus(models.TextChoices):
    VALID = "hieu_luc", _("Còn hiệu lực")
    REVOKED = "thu_hoi", _("Đã thu hồi")
    REPLACED = "thay_the", _("Đã được cấp lại")
    WITHDRAWN = "da_rut", _("Đã rút theo yêu cầu xóa dữ liệu")


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=CertificateStatus.VALID)

    def basic(self):
        return self.filter(kind=CertificateKind.BASIC)

    def printable(self):
        return self.valid()

    def for_user(self, user):
        from community.selectors import user_commune_ids

        ids = user_commune_ids(user)
        return self if ids is None else self.filter(commune_id__in=ids)


class Certificate(models.Model):
    code = models.CharField(_("mã xác minh"), max_length=codes.CODE_LENGTH, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=12, choices=CertificateKind.choices)
    # PROTECT so a resident cannot be deleted while a certificate still carries their snapshot; withdrawal for data
    # deletion (certificate_withdraw_for_deletion) blanks the snapshot and detaches the certificate first.
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="certificates")
    status = models.CharField(_("tình trạng"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID)
    issued_at = models.DateTimeField(_("ngày cấp"), default=timezone.now)
    # A snapshot of the holder as at issue, as a paper certificate is.
    holder_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    holder_birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    commune_name = models.CharField(_("xã/phường"), max_length=120)
    evidence = models.JSONField(_("căn cứ cấp"), default=dict, blank=True)
    framework_label = models.CharField(_("phiên bản khung"), max_length=120, blank=True)
    rule_label = models.CharField(_("phiên bản tiêu chí đạt"), max_length=120, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revoke_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)
    reissued_at = models.DateTimeField(_("cấp lại lúc"), null=True, blank=True)
    reissued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reissue_reason = models.CharField(_("lý do cấp lại"), max_length=255, blank=True)
    withdrawn_at = models.DateTimeField(_("rút lúc"), null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    pdf = models.FileField(upload_to="certificates/%Y/%m/", blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "kind"], condition=Q(status="hieu_luc"), name="one_valid_certificate_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "issued_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.holder_name} – {self.display_code}"

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    def get_verify_url(self) -> str:
        return reverse("certificates:verify_code", args=[self.display_code])

    @property
    def verify_absolute_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.get_verify_url()


class TeamTrainingRecord(models.Model):
    """Evidence for the team member's in-depth certificate, one row per required course: the course was completed
    (reported by learning) and its end-of-course check was passed (reported by assessment). Course ids are plain
    integers because certificates sits below cms in the layers."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="team_training")
    course_id = models.PositiveIntegerField()
    course_title = models.CharField(max_length=255, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    check_passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tiến độ bồi dưỡng chuyên sâu")
        verbose_name_plural = _("tiến độ bồi dưỡng chuyên sâu")
        constraints = [models.UniqueConstraint(fields=["resident", "course_id"], name="one_training_record_per_course")]


@register_setting(icon="doc-full")
class CertificateSettings(BaseGenericSetting):
    issuer_parent = models.CharField(_("cơ quan chủ quản"), max_length=200, default="ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI")
    issuer_name = models.CharField(_("cơ quan cấp"), max_length=200, default="SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    signer_name = models.CharField(_("người ký"), max_length=120, default="")
    signer_title = models.CharField(_("chức danh người ký"), max_length=120, default="GIÁM ĐỐC")
    place = models.CharField(_("nơi cấp"), max_length=80, default="Đồng Nai")
    signature_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chữ ký")
    )
    seal_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("con dấu")
    )

    panels = [
        MultiFieldPanel([FieldPanel("issuer_parent"), FieldPanel("issuer_name"), FieldPanel("place")], heading=_("Cơ quan cấp")),
        MultiFieldPanel(
            [FieldPanel("signer_title"), FieldPanel("signer_name"), FieldPanel("signature_image"), FieldPanel("seal_image")],
            heading=_("Người ký"),
        ),
    ]

    class Meta:
        verbose_name = _("Mẫu chứng nhận")


class BulkPrintStatus(models.TextChoices):
    QUEUED = "cho", _("Đang chờ")
    RUNNING = "dang_in", _("Đang in")
    DONE = "xong", _("Đã xong")
    FAILED = "loi", _("Bị lỗi")


class BulkPrint(models.Model):
    """One printable PDF of many certificates for a ceremony. Large batches are rendered by a background task that
    updates done/total as it goes; the scope (commune, or none for the province) decides who may download it."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("xã/phường"))
    certificate_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=BulkPrintStatus.choices, default=BulkPrintStatus.QUEUED)
    file = models.FileField(upload_to="certificates/bulk/%Y/%m/", blank=True)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bản in hàng loạt")
        verbose_name_plural = _("bản in hàng loạt")
        constraints = [models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="bulk_print_done_le_total")]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def is_finished(self) -> bool:
        return self.status in (BulkPrintStatus.DONE, BulkPrintStatus.FAILED)
