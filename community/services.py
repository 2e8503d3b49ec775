import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    Campaign, Commune, Household, HouseholdHistory, HouseholdJoinRequest, IndicatorSource, JoinRequestStatus, Official,
    Resident, SupportActivity, SupportKind, TeamMembership,
)


@transaction.atomic
def resident_join_household(
    *, user, full_name: str, birth_year: int, commune: Commune, household_code: str, gender: str = "",
    consent_at=None,
) -> Resident:
    """Create (or update) the resident behind a user account and attach them to a household of the commune."""
    household = Household.objects.filter(commune=commune, code=household_code.strip().upper()).first()
    if household is None:
        raise ValidationError(
            {"household_code": f"Không tìm thấy hộ có mã {household_code} ở {commune}. "
                               "Vui lòng kiểm tra lại mã hoặc hỏi Tổ Công nghệ số cộng đồng."}
        )
    resident = Resident.objects.select_for_update().filter(user=user).first() or Resident(user=user)
    resident.full_name = full_name
    resident.birth_year = birth_year
    resident.gender = gender
    if resident.pk and resident.household_id and resident.household_id != household.pk:
        today = timezone.localdate()
        HouseholdHistory.objects.create(resident=resident, household_id=resident.household_id,
                                        from_date=resident.household_since, until=today)
        resident.household_since = today
    resident.household = household
    resident.commune = commune
    resident.phone = resident.phone or user.phone
    resident.consent_at = resident.consent_at or consent_at or timezone.now()
    resident.full_clean()
    resident.save()
    return resident


def export_log_record(*, user, what: str, scope: str = "", rows: int = 0, file_format: str = "") -> None:
    """Call from every view that exports personal data."""
    from .models import ExportLog

    ExportLog.objects.create(user=user, what=what[:120], scope=scope[:255], rows=rows, file_format=file_format[:10])


@transaction.atomic
def resident_move_household(*, resident: Resident, household: Household, on: datetime.date) -> Resident:
    """Move a resident to another household from `on`; the old household keeps them for earlier dates."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.household_id == household.pk:
        return resident
    if resident.household_since and on < resident.household_since:
        raise ValidationError("Ngày chuyển hộ không được trước ngày vào hộ hiện tại.")
    if resident.household_id:
        HouseholdHistory.objects.create(
            resident=resident, household_id=resident.household_id, from_date=resident.household_since, until=on
        )
    resident.household = household
    resident.commune = household.commune
    resident.household_since = on
    resident.full_clean()
    resident.save()
    return resident


INDICATOR_OF_SUPPORT = {
    SupportKind.EID: "eid_level2",
    SupportKind.SIGNATURE: "signature",
    SupportKind.EPAYMENT: "epayment",
}


def _require_same_commune(member: Resident, resident: Resident) -> None:
    membership = TeamMembership.objects.filter(resident=member, left_on__isnull=True).select_related("team").first()
    if membership is None:
        raise ValidationError("Chỉ thành viên Tổ Công nghệ số cộng đồng mới ghi nhận được hỗ trợ.")
    if membership.team.commune_id != resident.commune_id:
        raise ValidationError("Người dân này không thuộc xã/phường của tổ bạn.")


@transaction.atomic
def support_activity_record(
    *, member: Resident, resident: Resident, kind: str, done_on: datetime.date, campaign: Campaign | None = None,
    note: str = "",
) -> SupportActivity:
    """Record help given at the door; VNeID, signature and e-payment support also set the resident's indicator
    (date and source "ho_tro") unless an earlier date is already recorded. The activity is the audit trail."""
    _require_same_commune(member, resident)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "Ngày hỗ trợ không được ở tương lai."})
    if campaign is not None and campaign.commune_id != resident.commune_id:
        raise ValidationError({"campaign": "Đợt ra quân không thuộc xã/phường này."})
    activity = SupportActivity(member=member, resident=resident, kind=kind, done_on=done_on, campaign=campaign, note=note)
    activity.full_clean()
    activity.save()
    field = INDICATOR_OF_SUPPORT.get(kind)
    if field:
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        current = getattr(resident, f"{field}_on")
        if current is None or done_on < current:
            setattr(resident, f"{field}_on", done_on)
            setattr(resident, f"{field}_source", IndicatorSource.SUPPORT)
            resident.save(update_fields=[f"{field}_on", f"{field}_source"])
    return activity


@transaction.atomic
def resident_register_at_door(
    *, member: Resident, full_name: str, birth_year: int, gender: str = "", phone: str = "",
    household: Household | None = None, new_household_code: str = "", hamlet: str = "", address: str = "",
    consent: bool,
) -> Resident:
    """A team member registers a resident at their door; the resident's consent is recorded with who and when."""
    if not consent:
        raise ValidationError({"consent": "Cần người dân đồng ý cho xử lý dữ liệu cá nhân trước khi đăng ký."})
    membership = TeamMembership.objects.filter(resident=member, left_on__isnull=True).select_related("team").first()
    if membership is None:
        raise ValidationError("Chỉ thành viên Tổ Công nghệ số cộng đồng mới đăng ký hộ người dân được.")
    commune = membership.team.commune
    if household is None:
        code = new_household_code.strip().upper()
        if not code:
            raise ValidationError({"household": "Chọn hộ có sẵn hoặc nhập mã hộ mới."})
        if Household.objects.filter(commune=commune, code=code).exists():
            raise ValidationError({"new_household_code": f"Mã hộ {code} đã có ở {commune}; hãy chọn hộ đó."})
        household = Household(commune=commune, code=code, hamlet=hamlet.strip(), address=address.strip())
        household.full_clean()
        household.save()
    elif household.commune_id != commune.pk:
        raise ValidationError({"household": "Hộ này không thuộc xã/phường của tổ bạn."})
    resident = Resident(
        household=household, commune=commune, full_name=" ".join(full_name.split()), birth_year=birth_year,
        gender=gender, phone=phone, consent_at=timezone.now(),
    )
    resident.full_clean()
    resident.save()
    SupportActivity.objects.create(member=member, resident=resident, kind=SupportKind.REGISTER,
                                   note="Đăng ký tại nhà, người dân đã đồng ý xử lý dữ liệu cá nhân.")
    return resident


def join_request_submit(*, user, commune: Commune, full_name: str, birth_year: int, hamlet: str, address: str,
                        gender: str = "") -> HouseholdJoinRequest:
    if HouseholdJoinRequest.objects.filter(user=user, status=JoinRequestStatus.PENDING).exists():
        raise ValidationError("Bạn đã gửi một yêu cầu đang chờ duyệt. Tổ CNSCĐ sẽ liên hệ với bạn.")
    req = HouseholdJoinRequest(user=user, commune=commune, full_name=" ".join(full_name.split()),
                               birth_year=birth_year, gender=gender, hamlet=hamlet.strip(), address=address.strip())
    req.full_clean()
    req.save()
    return req


@transaction.atomic
def join_request_decide(*, request: HouseholdJoinRequest, by, approve: bool, household: Household | None = None,
                        new_household_code: str = "") -> HouseholdJoinRequest:
    """A team member or officer of the request's commune places the resident in a household (or declines)."""
    req = HouseholdJoinRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != JoinRequestStatus.PENDING:
        raise ValidationError("Yêu cầu này đã được xử lý.")
    if req.commune_id not in _acting_commune_ids(by):
        raise ValidationError("Bạn không phụ trách xã/phường của yêu cầu này.")
    if approve:
        if household is None:
            code = new_household_code.strip().upper()
            if not code:
                raise ValidationError({"household": "Chọn hộ có sẵn hoặc nhập mã hộ mới."})
            household, _ = Household.objects.get_or_create(
                commune=req.commune, code=code, defaults={"hamlet": req.hamlet, "address": req.address}
            )
        if household.commune_id != req.commune_id:
            raise ValidationError({"household": "Hộ này không thuộc xã/phường của yêu cầu."})
        resident_join_household(user=req.user, full_name=req.full_name, birth_year=req.birth_year,
                                commune=req.commune, household_code=household.code, gender=req.gender)
        req.household = household
    req.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.REJECTED
    req.decided_by, req.decided_at = by, timezone.now()
    req.save()
    return req


def _acting_commune_ids(user) -> list[int]:
    ids = set(TeamMembership.objects.filter(resident__user=user, left_on__isnull=True).values_list("team__commune_id", flat=True))
    ids.update(Official.objects.filter(user=user, commune__isnull=False).values_list("commune_id", flat=True))
    return list(ids)


def commune_set_group(*, commune: Commune, group: str) -> Commune:
    commune.group = group
    commune.full_clean()
    commune.save(update_fields=["group"])
    return commune
