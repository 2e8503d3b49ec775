"""A resident's rights over their own data (Law 91/2025/QH15 Art. 4, Decree 356/2025/NĐ-CP): the community part of
"download my data" and of "delete my data". reports.privacy adds the other apps' parts, as it sits above them all."""
import datetime

from django.db import transaction
from django.utils import timezone

from .models import Resident, SupportActivity, TeamMembership, User

ERASED_NAME = "Đã xóa"


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def account_data(user: User) -> dict:
    return {
        "email": user.email,
        "phone": user.phone,
        "joined_at": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def resident_data(resident: Resident) -> dict:
    """Everything the registry holds about one resident, in plain JSON types."""
    household = resident.household
    support = SupportActivity.objects.filter(resident=resident).select_related("member").order_by("done_on", "pk")
    memberships = TeamMembership.objects.filter(resident=resident).select_related("team").order_by("joined_on")
    return {
        "full_name": resident.full_name,
        "birth_year": resident.birth_year,
        "gender": resident.get_gender_display() if resident.gender else "",
        "phone": resident.phone,
        "commune": {"code": resident.commune.code, "name": str(resident.commune)},
        "household": {"code": household.code, "hamlet": household.hamlet} if household else None,
        "consent_at": _iso(resident.consent_at),
        "registered_at": _iso(resident.created_at),
        "indicators": {
            "eid_level2_on": _iso(resident.eid_level2_on),
            "signature_on": _iso(resident.signature_on),
            "epayment_on": _iso(resident.epayment_on),
        },
        "support_received": [
            {"kind": s.get_kind_display(), "on": _iso(s.done_on), "by": s.member.full_name, "note": s.note}
            for s in support
        ],
        "team_memberships": [
            {"team": m.team.name, "role": m.get_role_display(), "joined_on": _iso(m.joined_on), "left_on": _iso(m.left_on)}
            for m in memberships
        ],
    }


def _anonymous_birth_year(year: int) -> int:
    """Rounded down to the five-year band: the working-age and adult indicators still count the person (an age is
    off by at most four years), but the year no longer singles them out inside a household."""
    return max(1900, year - year % 5)


@transaction.atomic
def resident_erase(*, resident: Resident, user: User | None) -> None:
    """Anonymise the resident and scrub the account. The row stays, so household and commune counts and the
    anonymous test results keep adding up; nothing left on it names or reaches the person. The caller withdraws the
    certificates first (they hold a snapshot of the name)."""
    today = timezone.localdate()
    if resident is not None:
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        resident.full_name = ERASED_NAME
        resident.phone = ""
        resident.gender = ""
        resident.user = None
        resident.birth_year = _anonymous_birth_year(resident.birth_year)
        resident.full_clean()
        resident.save()
        # Free-text notes written by a team member may name the person.
        SupportActivity.objects.filter(resident=resident).update(note="")
        SupportActivity.objects.filter(member=resident).update(note="")
        TeamMembership.objects.filter(resident=resident, left_on__isnull=True).update(left_on=today)
    if user is not None:
        user_scrub(user=user)


def user_scrub(*, user: User) -> None:
    """Deactivate the account and remove what identifies it. Every open session of it ends too: the unusable
    password changes the session hash Django checks on each request, and inactive users are refused."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    user.email = ""
    user.phone = ""
    user.phone_verified = False
    user.first_name = user.last_name = ""
    user.username = User.generate_username()
    user.is_active = False
    user.set_unusable_password()
    user.save()
