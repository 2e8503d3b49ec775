from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Commune, Household, Resident


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
