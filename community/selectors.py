"""Reads with rules about who may see which commune."""
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from .models import Commune, Official, OfficialLevel, Resident, TeamMembership, User


def resident_for_user(user) -> Resident | None:
    if not user.is_authenticated:
        return None
    return Resident.objects.select_related("household", "commune").filter(user=user).first()


def official_for_user(user) -> Official | None:
    if not user.is_authenticated:
        return None
    return Official.objects.select_related("commune").filter(user=user).first()


def menu_roles(user, *, trainer_groups: list[str]) -> dict:
    """What the menu shows a signed-in user, in one query: whether they are an official (and of which commune: None for
    the province), an active team member, or a trainer or reviewer of lessons."""
    mine = {"user": OuterRef("pk")}
    return User.objects.filter(pk=user.pk).values(
        is_official=Exists(Official.objects.filter(**mine)),
        official_commune=Subquery(Official.objects.filter(**mine).values("commune_id")[:1]),
        is_member=Exists(TeamMembership.objects.filter(resident__user=OuterRef("pk"), left_on__isnull=True)),
        is_trainer=Exists(Group.objects.filter(**mine, name__in=trainer_groups)),
    ).get()


def is_province_officer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or Official.objects.filter(user=user, level=OfficialLevel.PROVINCE).exists())


def active_membership(resident: Resident | None) -> TeamMembership | None:
    if resident is None:
        return None
    return (
        TeamMembership.objects.select_related("team__commune")
        .filter(resident=resident, left_on__isnull=True)
        .first()
    )


def user_commune_ids(user) -> list[int] | None:
    """Communes whose data the user may see: None means all (province), [] means none."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    official = official_for_user(user)  # one query answers both "province?" and "which commune?"
    if official is None:
        return []
    if official.level == OfficialLevel.PROVINCE:
        return None
    return [official.commune_id] if official.commune_id else []


def communes_for_user(user) -> QuerySet[Commune]:
    return Commune.objects.for_user(user)
