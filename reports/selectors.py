"""Statistics against the plan's targets, computed by the database."""
import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from certificates.models import Certificate, CertificateKind, CertificateStatus
from community.models import Commune, Household

from .models import DEFAULT_TARGETS_2026, Target


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _covered(on: datetime.date):
    return Exists(
        Certificate.objects.filter(
            resident__household=OuterRef("pk"),
            kind=CertificateKind.BASIC,
            status=CertificateStatus.VALID,
            issued_at__lt=_end_of(on),
        )
    )


def targets_for(year: int) -> dict[str, dict[str, int]]:
    result = {g: dict(v) for g, v in DEFAULT_TARGETS_2026.items()}
    for t in Target.objects.filter(year=year):
        result.setdefault(t.group, {})[t.indicator] = t.percent
    return result


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def commune_coverage(*, commune: Commune, on: datetime.date | None = None) -> dict:
    on = on or timezone.localdate()
    households = Household.objects.in_commune(commune).filter(created_at__lt=_end_of(on)).annotate(is_covered=_covered(on))
    totals = households.aggregate(total=Count("id"), covered=Count("id", filter=Q(is_covered=True)))
    by_hamlet = list(
        households.values("hamlet")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(is_covered=True)))
        .order_by("hamlet")
    )
    for row in by_hamlet:
        row["percent"] = _pct(row["covered"], row["total"])
    target = targets_for(on.year)[commune.group]["household_coverage"]
    percent = _pct(totals["covered"], totals["total"])
    return {
        "commune": commune,
        "on": on,
        "households": totals["total"],
        "covered": totals["covered"],
        "percent": percent,
        "target": target,
        "meets_target": percent is not None and percent >= target,
        "by_hamlet": by_hamlet,
    }


def province_coverage(*, on: datetime.date | None = None) -> list[dict]:
    """One row per commune, from one grouped query."""
    on = on or timezone.localdate()
    targets = targets_for(on.year)
    counts = {
        row["commune_id"]: row
        for row in Household.objects.filter(created_at__lt=_end_of(on))
        .annotate(is_covered=_covered(on))
        .values("commune_id")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(is_covered=True)))
    }
    rows = []
    for commune in Commune.objects.order_by("name"):
        c = counts.get(commune.pk, {"total": 0, "covered": 0})
        percent = _pct(c["covered"], c["total"])
        target = targets[commune.group]["household_coverage"]
        rows.append(
            {"commune": commune, "households": c["total"], "covered": c["covered"], "percent": percent,
             "target": target, "meets_target": percent is not None and percent >= target}
        )
    return rows
