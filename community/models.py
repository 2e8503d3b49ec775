"""The registry of people and places: communes, households, residents, teams, support and campaigns."""
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager as DjangoUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(r"^\+84\d{9}$", _("Số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."))


class UserManager(DjangoUserManager):
    def _create_user(self, username, email, password, **extra_fields):
        # Accounts are found by phone or e-mail; the username is an internal, generated handle.
        username = username or self.model.generate_username()
        return super()._create_user(username, email, password, **extra_fields)

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    email = models.EmailField(_("địa chỉ e-mail"), blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=12, blank=True, validators=[phone_validator])
    phone_verified = models.BooleanField(default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"),
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="user_email_unique"),
        ]

    @staticmethod
    def generate_username() -> str:
        import secrets

        return "u" + secrets.token_hex(8)

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name.
        return " ".join(p for p in (self.last_name, self.first_name) if p).strip()

    def __str__(self):
        return self.get_full_name() or self.email or self.phone or self.username


class CommuneKind(models.TextChoices):
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")


class CommuneGroup(models.TextChoices):
    URBAN = "I", _("Nhóm I (phường)")
    RURAL = "II", _("Nhóm II (xã)")


class CommuneQuerySet(models.QuerySet):
    def for_user(self, user):
        from .selectors import user_commune_ids

        ids = user_commune_ids(user)
        return self if ids is None else self.filter(pk__in=ids)


class Commune(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=5, unique=True, validators=[RegexValidator(r"^\d{5}$")])
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=8, choices=CommuneKind.choices)
    kind_since = models.DateField(_("loại có hiệu lực từ"), default=datetime.date(2025, 7, 1))
    group = models.CharField(_("nhóm chỉ tiêu"), max_length=2, choices=CommuneGroup.choices)
    former_province = models.CharField(_("tỉnh cũ"), max_length=20, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @staticmethod
    def default_group(kind: str) -> str:
        return CommuneGroup.URBAN if kind == CommuneKind.WARD else CommuneGroup.RURAL


class HouseholdQuerySet(models.QuerySet):
    def in_commune(self, commune):
        return self.filter(commune=commune)


class Household(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="households", verbose_name=_("xã/phường"))
    code = models.CharField(_("mã hộ"), max_length=20)
    hamlet = models.CharField(_("ấp/khu phố/tổ dân phố"), max_length=100, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "code"]
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="household_code_unique_in_commune")]

    def __str__(self):
        return f"{self.code} – {self.hamlet}" if self.hamlet else self.code


class Gender(models.TextChoices):
    FEMALE = "nu", _("Nữ")
    MALE = "nam", _("Nam")
    OTHER = "khac", _("Khác")


class IndicatorSource(models.TextChoices):
    SELF = "tu_khai", _("Tự khai báo")
    SUPPORT = "ho_tro", _("Tổ CNSCĐ hỗ trợ")
    IMPORT = "nhap_file", _("Nhập từ danh sách của xã/phường")


class Resident(models.Model):
    """The person at the centre: attempts and certificates belong here; a user account is optional."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="residents", verbose_name=_("hộ gia đình")
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="residents", verbose_name=_("xã/phường"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="resident"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(
        _("năm sinh"), validators=[MinValueValidator(1900), MaxValueValidator(2030)]
    )
    gender = models.CharField(_("giới tính"), max_length=5, choices=Gender.choices, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=12, blank=True, validators=[phone_validator])
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Indicators of the plan, each with the date it became true and where we learned it.
    eid_level2_on = models.DateField(_("có định danh điện tử mức 2 từ"), null=True, blank=True)
    eid_level2_source = models.CharField(max_length=12, choices=IndicatorSource.choices, blank=True)
    signature_on = models.DateField(_("có chữ ký số cá nhân từ"), null=True, blank=True)
    signature_source = models.CharField(max_length=12, choices=IndicatorSource.choices, blank=True)
    epayment_on = models.DateField(_("thanh toán điện tử thường xuyên từ"), null=True, blank=True)
    epayment_source = models.CharField(max_length=12, choices=IndicatorSource.choices, blank=True)
    # When the resident joined their current household; empty = since they were registered. Earlier households are
    # kept in HouseholdHistory so that a move does not change the statistics of an earlier date.
    household_since = models.DateField(_("ở hộ hiện tại từ"), null=True, blank=True)
    external_code = models.CharField(_("mã người dân (theo danh sách của xã)"), max_length=30, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("người dân")
        verbose_name_plural = _("người dân")
        indexes = [models.Index(fields=["commune", "household"]), models.Index(fields=["commune", "birth_year"])]
        constraints = [
            models.CheckConstraint(condition=Q(birth_year__gte=1900), name="resident_birth_year_plausible"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.birth_year})"


class HouseholdHistory(models.Model):
    """A household the resident belonged to before their current one: [from_date, until)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="household_history")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="former_members")
    from_date = models.DateField(null=True, blank=True)
    until = models.DateField()

    class Meta:
        verbose_name = _("hộ trước đây")
        verbose_name_plural = _("hộ trước đây")
        indexes = [models.Index(fields=["household", "until"])]


class JoinRequestStatus(models.TextChoices):
    PENDING = "cho_duyet", _("Chờ duyệt")
    APPROVED = "da_duyet", _("Đã duyệt")
    REJECTED = "tu_choi", _("Từ chối")


class HouseholdJoinRequest(models.Model):
    """A signed-up resident without a household code asks the commune's team to place them in a household."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household_requests")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("xã/phường"))
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), validators=[MinValueValidator(1900), MaxValueValidator(2030)])
    gender = models.CharField(_("giới tính"), max_length=5, choices=Gender.choices, blank=True)
    hamlet = models.CharField(_("ấp/khu phố"), max_length=100)
    address = models.CharField(_("địa chỉ"), max_length=255)
    status = models.CharField(max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING)
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("yêu cầu vào hộ")
        verbose_name_plural = _("yêu cầu vào hộ")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="cho_duyet"), name="one_pending_join_request")
        ]


class Team(models.Model):
    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="team", verbose_name=_("xã/phường"))
    name = models.CharField(_("tên tổ"), max_length=150)

    class Meta:
        verbose_name = _("Tổ Công nghệ số cộng đồng")
        verbose_name_plural = _("Tổ Công nghệ số cộng đồng")

    def __str__(self):
        return self.name


class MembershipRole(models.TextChoices):
    LEADER = "to_truong", _("Tổ trưởng")
    MEMBER = "thanh_vien", _("Thành viên")


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined_on = models.DateField(_("ngày tham gia"), default=datetime.date.today)
    left_on = models.DateField(_("ngày rời tổ"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")
        constraints = [
            models.UniqueConstraint(fields=["team", "resident"], condition=Q(left_on__isnull=True), name="one_active_membership")
        ]


class OfficialLevel(models.TextChoices):
    COMMUNE = "xa", _("Cán bộ UBND xã/phường")
    PROVINCE = "tinh", _("Cán bộ Sở KH&CN")


class Official(models.Model):
    """A commune officer (scoped to one commune) or a province officer (sees all 95)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="official")
    level = models.CharField(_("cấp"), max_length=5, choices=OfficialLevel.choices)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="officials")
    title = models.CharField(_("chức danh"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="tinh", commune__isnull=True) | Q(level="xa", commune__isnull=False),
                name="official_commune_matches_level",
            )
        ]


class SupportKind(models.TextChoices):
    EID = "vneid_muc2", _("Kích hoạt định danh điện tử mức 2 (VNeID)")
    SIGNATURE = "chu_ky_so", _("Cài đặt chữ ký số cá nhân")
    EPAYMENT = "thanh_toan", _("Thanh toán không dùng tiền mặt")
    DOSSIER = "ho_so_truc_tuyen", _("Nộp hồ sơ dịch vụ công trực tuyến")
    REGISTER = "dang_ky", _("Đăng ký tài khoản học")


class CampaignKind(models.TextChoices):
    WEEKEND = "cuoi_tuan", _("Ngày cuối tuần chuyển đổi số")
    MARKET = "cho_40", _("Chợ 4.0 – Thanh toán không dùng tiền mặt")
    FAMILY = "gia_dinh_so", _("Gia đình số")


class Campaign(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("xã/phường"))
    kind = models.CharField(_("mô hình"), max_length=12, choices=CampaignKind.choices)
    name = models.CharField(_("tên đợt"), max_length=150)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("đợt ra quân")
        verbose_name_plural = _("đợt ra quân")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered")]

    def __str__(self):
        return f"{self.name} ({self.starts_on:%d/%m/%Y})"


class SupportActivity(models.Model):
    """Who helped whom, with what, when: the audit trail behind the indicator flags."""

    member = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="support_given")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="support_received")
    kind = models.CharField(_("hỗ trợ"), max_length=20, choices=SupportKind.choices)
    done_on = models.DateField(_("ngày"), default=datetime.date.today)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities", verbose_name=_("đợt ra quân")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_on", "-created_at"]
        verbose_name = _("hoạt động hỗ trợ")
        verbose_name_plural = _("hoạt động hỗ trợ")


class ImportJob(models.Model):
    """A household/resident file imported in the background, with progress for the page that watches it."""

    class Status(models.TextChoices):
        QUEUED = "cho", _("Đang chờ")
        RUNNING = "dang_chay", _("Đang nhập")
        DONE = "xong", _("Đã nhập xong")
        FAILED = "loi", _("Có lỗi, chưa lưu gì")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=12)
    file = models.FileField(upload_to="imports/%Y/%m/")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class ExportLog(models.Model):
    """Who exported what personal data, when (personal-data law 91/2025/QH15: processing is recorded)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_logs")
    what = models.CharField(_("nội dung xuất"), max_length=120)
    scope = models.CharField(_("phạm vi"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    file_format = models.CharField(_("định dạng"), max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nhật ký xuất dữ liệu")
        verbose_name_plural = _("nhật ký xuất dữ liệu")
