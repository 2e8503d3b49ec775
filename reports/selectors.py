"""Statistics against the plan's targets, computed by the database.

Every figure is "as at the end of a date": a household, resident or membership counts if it existed then, a
certificate if it was issued by then and not yet revoked, an indicator if its date is on or before it. A resident
counts towards the household they belonged to on that date (current household from `household_since`, earlier
ones from HouseholdHistory), so a later move does not change an earlier figure.
"""
import calendar
import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate, CertificateKind, CertificateStatus
from community.models import Commune, Household, HouseholdHistory, Resident, TeamMembership

from .models import DEFAULT_TARGETS_2026, Indicator, QuarterlyReport, StatsSnapshot, Target

# The plan says "công dân trong độ tuổi lao động" without a range; 15–60 follows the labour statistics convention
# (Bộ luật Lao động: from 15; the retirement age is rising towards 60–62). Override in settings if the Sở decides.
WORKING_AGE = getattr(settings, "REPORTS_WORKING_AGE", (15, 60))
ADULT_AGE = getattr(settings, "REPORTS_ADULT_AGE", 18)

INDICATORS = [
    # key, numerator, denominator, short label
    (Indicator.TEAM_TRAINING, "trained", "members", "Thành viên Tổ được bồi dưỡng chuyên sâu"),
    (Indicator.HOUSEHOLD_COVERAGE, "covered", "households", "Hộ có người thành thạo kỹ năng số cơ bản"),
    (Indicator.EID_LEVEL2, "eid", "working_age", "Định danh điện tử mức 2 (độ tuổi lao động)"),
    (Indicator.SIGNATURE, "signature", "adults", "Chữ ký số cá nhân (người trưởng thành)"),
    (Indicator.EPAYMENT, "epayment", "adults", "Thanh toán điện tử thường xuyên (người trưởng thành)"),
]
COUNT_KEYS = ["members", "trained", "households", "covered", "working_age", "eid", "adults", "signature", "epayment"]


def end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def valid_certificates(kind: str, on: datetime.date) -> QuerySet:
    """Certificates that were valid at the end of `on`: a later revocation does not reach back. A replaced one
    stays counted (its replacement is valid too; the holder counts once); a withdrawn one (data erased) never."""
    end = end_of(on)
    return Certificate.objects.filter(kind=kind, issued_at__lt=end).filter(
        Q(status__in=[CertificateStatus.VALID, CertificateStatus.REPLACED])
        | Q(status=CertificateStatus.REVOKED, revoked_at__gte=end)
    )


def _covered_household_q(on: datetime.date, commune_ids: list[int] | None = None) -> Q:
    # Two uncorrelated IN-subqueries: PostgreSQL builds each once (a hash), not a probe per household. For one
    # commune they are narrowed to its residents, so a commune's figures never scan the whole province.
    holders = valid_certificates(CertificateKind.BASIC, on).values("resident_id")
    current = Resident.objects.filter(
        Q(household_since__isnull=True) | Q(household_since__lte=on), household__isnull=False, pk__in=holders
    )
    former = HouseholdHistory.objects.filter(
        Q(from_date__isnull=True) | Q(from_date__lte=on), until__gt=on, resident_id__in=holders
    )
    if commune_ids is not None:
        current = current.filter(household__commune_id__in=commune_ids)
        former = former.filter(household__commune_id__in=commune_ids)
    return Q(pk__in=current.values("household_id")) | Q(pk__in=former.values("household_id"))


def _person_counts(on: datetime.date) -> dict:
    young, old = WORKING_AGE
    working = Q(birth_year__gte=on.year - old, birth_year__lte=on.year - young)
    adult = Q(birth_year__lte=on.year - ADULT_AGE)
    return {
        "working_age": Count("id", filter=working),
        "eid": Count("id", filter=working & Q(eid_level2_on__lte=on)),
        "adults": Count("id", filter=adult),
        "signature": Count("id", filter=adult & Q(signature_on__lte=on)),
        "epayment": Count("id", filter=adult & Q(epayment_on__lte=on)),
    }


def _active_members(on: datetime.date) -> QuerySet:
    return TeamMembership.objects.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


def _team_counts(on: datetime.date) -> dict:
    trained = valid_certificates(CertificateKind.TEAM, on).values("resident_id")
    return {"members": Count("id"), "trained": Count("id", filter=Q(resident_id__in=trained))}


def counts_by_commune(*, on: datetime.date, commune_ids: list[int] | None = None) -> dict[int, dict]:
    """Three grouped queries (households, residents, team members), one row per commune."""
    households = Household.objects.filter(created_at__lt=end_of(on))
    residents = Resident.objects.filter(created_at__lt=end_of(on))
    members = _active_members(on)
    if commune_ids is not None:
        households = households.filter(commune_id__in=commune_ids)
        residents = residents.filter(commune_id__in=commune_ids)
        members = members.filter(team__commune_id__in=commune_ids)
    result: dict[int, dict] = defaultdict(lambda: dict.fromkeys(COUNT_KEYS, 0))
    for row in households.values("commune_id").annotate(
        households=Count("id"), covered=Count("id", filter=_covered_household_q(on, commune_ids))
    ).order_by():
        result[row.pop("commune_id")].update(row)
    for row in residents.values("commune_id").annotate(**_person_counts(on)).order_by():
        result[row.pop("commune_id")].update(row)
    for row in members.values(commune_id=F("team__commune_id")).annotate(**_team_counts(on)).order_by():
        result[row.pop("commune_id")].update(row)
    return result


def counts_by_hamlet(*, commune: Commune, on: datetime.date) -> dict[str, dict]:
    result: dict[str, dict] = defaultdict(lambda: dict.fromkeys(COUNT_KEYS, 0))
    for row in (
        Household.objects.filter(commune=commune, created_at__lt=end_of(on)).values("hamlet")
        .annotate(households=Count("id"), covered=Count("id", filter=_covered_household_q(on, [commune.pk]))).order_by()
    ):
        result[row.pop("hamlet")].update(row)
    for row in (
        # The household condition repeats the commune so the join reads one commune's households, not the province's.
        Resident.objects.filter(commune=commune, household__commune=commune, created_at__lt=end_of(on))
        .values(hamlet=F("household__hamlet"))
        .annotate(**_person_counts(on)).order_by()
    ):
        result[row.pop("hamlet") or ""].update(row)
    return dict(sorted(result.items()))


def totals(*, on: datetime.date, commune: Commune | None = None) -> dict:
    """The same counts for the whole province (or one commune) without grouping."""
    households = Household.objects.filter(created_at__lt=end_of(on))
    residents = Resident.objects.filter(created_at__lt=end_of(on))
    members = _active_members(on)
    if commune is not None:
        households, residents = households.filter(commune=commune), residents.filter(commune=commune)
        members = members.filter(team__commune=commune)
    ids = None if commune is None else [commune.pk]
    out = households.aggregate(households=Count("id"), covered=Count("id", filter=_covered_household_q(on, ids)))
    out.update(residents.aggregate(**_person_counts(on)))
    out.update(members.aggregate(**_team_counts(on)))
    return out


def targets_for(year: int) -> dict[str, dict[str, int]]:
    result = {g: dict(v) for g, v in DEFAULT_TARGETS_2026.items()}
    for t in Target.objects.filter(year=year):
        result.setdefault(t.group, {})[t.indicator] = t.percent
    return result


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def indicator_rows(counts: dict, targets: dict[str, int] | None) -> list[dict]:
    rows = []
    for key, part, whole, label in INDICATORS:
        percent = _pct(counts[part], counts[whole])
        target = targets.get(key) if targets else None
        rows.append({
            "key": str(key), "label": label, "part": counts[part], "whole": counts[whole], "percent": percent,
            "target": target, "meets": None if target is None or percent is None else percent >= target,
        })
    return rows


def _sum(rows) -> dict:
    out = dict.fromkeys(COUNT_KEYS, 0)
    for r in rows:
        for k in COUNT_KEYS:
            out[k] += r[k]
    return out


def commune_stats(*, commune: Commune, on: datetime.date | None = None) -> dict:
    on = on or timezone.localdate()
    targets = targets_for(on.year)[commune.group]
    counts = counts_by_commune(on=on, commune_ids=[commune.pk])[commune.pk]
    hamlets = [
        {"hamlet": h, **c, "indicators": indicator_rows(c, targets)}
        for h, c in counts_by_hamlet(commune=commune, on=on).items()
    ]
    return {"commune": commune, "on": on, **counts, "indicators": indicator_rows(counts, targets), "by_hamlet": hamlets}


SNAPSHOT_MAX_AGE = getattr(settings, "REPORTS_SNAPSHOT_MAX_AGE", 600)  # seconds, for today's figures
PAST_SNAPSHOT_MAX_AGE = getattr(settings, "REPORTS_PAST_SNAPSHOT_MAX_AGE", 86400)  # an earlier date moves rarely


def snapshot_is_fresh(on: datetime.date, computed_at: datetime.datetime) -> bool:
    max_age = SNAPSHOT_MAX_AGE if on >= timezone.localdate() else PAST_SNAPSHOT_MAX_AGE
    return computed_at >= timezone.now() - datetime.timedelta(seconds=max_age)


def stored_snapshots(*, days: list[datetime.date]) -> dict[datetime.date, tuple[dict[int, dict], datetime.datetime]]:
    """The stored per-commune counts of these dates, fresh or not, with when their oldest row was computed. A date is
    left out until every commune has a row. One query."""
    found: dict[datetime.date, dict[int, dict]] = defaultdict(dict)
    oldest: dict[datetime.date, datetime.datetime] = {}
    rows = StatsSnapshot.objects.filter(on__in=days).values_list("on", "commune_id", "counts", "computed_at")
    for day, commune_id, counts, computed_at in rows.order_by():
        found[day][commune_id] = counts
        oldest[day] = min(oldest.get(day, computed_at), computed_at)
    communes = Commune.objects.count()
    return {day: (counts, oldest[day]) for day, counts in found.items() if len(counts) == communes}


def province_stats(*, on: datetime.date | None = None, communes: QuerySet | None = None,
                   counts: dict[int, dict] | None = None) -> dict:
    """All communes (or the given ones), with totals per group and for the province, each beside its target.
    `counts` (e.g. from a snapshot) saves the three grouped queries."""
    on = on or timezone.localdate()
    targets = targets_for(on.year)
    communes = list((communes if communes is not None else Commune.objects.all()).order_by("name"))
    if counts is None:
        counts = counts_by_commune(on=on, commune_ids=None if len(communes) > 50 else [c.pk for c in communes])
    rows = []
    for c in communes:
        cc = counts.get(c.pk) or dict.fromkeys(COUNT_KEYS, 0)
        ind = indicator_rows(cc, targets[c.group])
        rows.append({"commune": c, **cc, "indicators": ind, "below": [i["key"] for i in ind if i["meets"] is False]})
    groups = []
    for g, label in (("I", "Nhóm I (phường)"), ("II", "Nhóm II (xã)")):
        gc = _sum(r for r in rows if r["commune"].group == g)
        groups.append({"group": g, "label": label, **gc, "indicators": indicator_rows(gc, targets[g])})
    total = _sum(rows)
    return {"on": on, "rows": rows, "groups": groups, "total": total, "indicators": indicator_rows(total, None)}


def month_ends(on: datetime.date) -> list[datetime.date]:
    """The last day of each month of `on`'s year up to `on` itself (the current month ends at `on`)."""
    ends = []
    for m in range(1, on.month + 1):
        nxt = datetime.date(on.year + (m == 12), m % 12 + 1, 1)
        ends.append(min(nxt - datetime.timedelta(days=1), on))
    return ends


def province_trend_from_snapshots(*, on: datetime.date) -> tuple[list[dict], list[datetime.date], list[datetime.date]]:
    """Month ends of the year from stored snapshots: (months, month ends not stored yet, month ends stored but due
    for a refresh). Stale months are still shown: the caller has them recomputed in the background."""
    days = month_ends(on)
    stored = stored_snapshots(days=days)
    months = [{"on": day, "indicators": indicator_rows(_sum(stored[day][0].values()), None)} for day in days if day in stored]
    missing = [day for day in days if day not in stored]
    stale = [day for day in days if day in stored and not snapshot_is_fresh(day, stored[day][1])]
    return months, missing, stale


def commune_trend(*, on: datetime.date, commune: Commune) -> list[dict]:
    """Month ends for one commune: from the province snapshots where fresh ones exist, else live for the commune."""
    days = month_ends(on)
    stored = {}
    for snap in StatsSnapshot.objects.filter(commune=commune, on__in=days).order_by():
        if snapshot_is_fresh(snap.on, snap.computed_at):
            stored[snap.on] = snap.counts
    return [{"on": d, "indicators": indicator_rows(stored.get(d) or totals(on=d, commune=commune), None)} for d in days]


def trend(*, on: datetime.date, commune: Commune | None = None) -> list[dict]:
    """Month by month for the year: the five indicators at each month end (three aggregates per month)."""
    out = []
    for day in month_ends(on):
        c = totals(on=day, commune=commune)
        out.append({"on": day, "indicators": indicator_rows(c, None)})
    return out


# Kept for callers of the foundation's API.
def commune_coverage(*, commune: Commune, on: datetime.date | None = None) -> dict:
    s = commune_stats(commune=commune, on=on)
    cov = s["indicators"][1]
    return {"commune": commune, "on": s["on"], "households": s["households"], "covered": s["covered"],
            "percent": cov["percent"], "target": cov["target"], "meets_target": bool(cov["meets"]),
            "by_hamlet": [{"hamlet": h["hamlet"], "total": h["households"], "covered": h["covered"],
                           "percent": h["indicators"][1]["percent"]} for h in s["by_hamlet"] if h["households"]]}


def province_coverage(*, on: datetime.date | None = None) -> list[dict]:
    s = province_stats(on=on)
    return [{"commune": r["commune"], "households": r["households"], "covered": r["covered"],
             "percent": r["indicators"][1]["percent"], "target": r["indicators"][1]["target"],
             "meets_target": bool(r["indicators"][1]["meets"])} for r in s["rows"]]


# Quarterly reports ----------------------------------------------------------------------------------------------

def quarter_due(year: int, quarter: int) -> datetime.date:
    """Due the 5th of the quarter's last month (plan, section on responsibilities of the communes)."""
    return datetime.date(year, quarter * 3, 5)


def quarter_end(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, quarter * 3, calendar.monthrange(year, quarter * 3)[1])


def current_quarter(today: datetime.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def quarter_submissions(*, year: int, quarter: int, communes: QuerySet, today: datetime.date | None = None) -> list[dict]:
    """Each commune with its report for the quarter (if any) and whether it is on time, late or not yet due."""
    today = today or timezone.localdate()
    due = quarter_due(year, quarter)
    reports = {
        r.commune_id: r
        for r in QuarterlyReport.objects.filter(year=year, quarter=quarter, commune__in=communes).select_related("submitted_by")
    }
    rows = []
    for c in communes.order_by("name"):
        r = reports.get(c.pk)
        if r:
            state = "dung_han" if timezone.localtime(r.submitted_at).date() <= due else "nop_tre"
        else:
            state = "qua_han" if today > due else "chua_den_han"
        rows.append({"commune": c, "report": r, "state": state})
    return rows


def consolidate(reports) -> dict:
    """Province figures from the frozen snapshots (sums of the submitted counts)."""
    out = dict.fromkeys(COUNT_KEYS, 0)
    for r in reports:
        for k in COUNT_KEYS:
            out[k] += r.snapshot["counts"].get(k, 0)
    return {"counts": out, "indicators": indicator_rows(out, None)}


# Awards support -------------------------------------------------------------------------------------------------

AWARD_CRITERIA = {
    "team": "Xếp theo: tỷ lệ thành viên đang hoạt động có chứng nhận bồi dưỡng chuyên sâu còn hiệu lực, rồi số lượt hỗ "
            "người dân được ghi nhận trong năm tính bình quân trên mỗi thành viên.",
    "citizen": "Có chứng nhận kỹ năng số cơ bản còn hiệu lực; xếp theo số chỉ tiêu công dân số đã đạt (định danh điện tử "
               "mức 2, chữ ký số, thanh toán điện tử), rồi số khóa học đã hoàn thành, rồi ngày được cấp chứng nhận sớm hơn.",
    "household": "Hộ có từ 2 người trở lên; xếp theo tỷ lệ thành viên có chứng nhận kỹ năng số cơ bản còn hiệu lực, rồi "
                 "tỷ lệ thành viên trưởng thành có chữ ký số, rồi số người có thanh toán điện tử.",
}


def award_teams(*, year: int, communes: QuerySet, limit: int = 20) -> list[dict]:
    from django.db.models import ExpressionWrapper, FloatField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from community.models import SupportActivity, Team

    on = min(datetime.date(year, 12, 31), timezone.localdate())
    active = Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=on)
    trained_ids = valid_certificates(CertificateKind.TEAM, on).values("resident_id")
    activities = (
        SupportActivity.objects.filter(done_on__year=year, resident__commune_id=OuterRef("commune_id"))
        .values("resident__commune_id").annotate(n=Count("id")).values("n")
    )
    teams = (
        Team.objects.filter(commune__in=communes).select_related("commune")
        .annotate(members=Count("memberships", filter=active, distinct=True),
                  trained=Count("memberships", filter=active & Q(memberships__resident_id__in=trained_ids), distinct=True),
                  activities=Coalesce(Subquery(activities), 0))
        .filter(members__gt=0)
        .annotate(share=ExpressionWrapper(100.0 * F("trained") / F("members"), output_field=FloatField()),
                  per_member=ExpressionWrapper(1.0 * F("activities") / F("members"), output_field=FloatField()))
        .order_by("-share", "-per_member", "commune__name")[:limit]
    )
    return list(teams)


def award_citizens(*, year: int, communes: QuerySet, limit: int = 20) -> list[dict]:
    from django.db.models import Case, IntegerField, Min, Value, When

    on = min(datetime.date(year, 12, 31), timezone.localdate())
    holders = valid_certificates(CertificateKind.BASIC, on)

    def flag(field):
        return Case(When(**{f"{field}__lte": on}, then=Value(1)), default=Value(0), output_field=IntegerField())

    return list(
        Resident.objects.filter(commune__in=communes, pk__in=holders.values("resident_id"))
        .select_related("commune", "household")
        .annotate(indicators=flag("eid_level2_on") + flag("signature_on") + flag("epayment_on"),
                  courses=Count("enrolments", filter=Q(enrolments__completed_at__lt=end_of(on)), distinct=True),
                  certified_at=Min("certificates__issued_at", filter=Q(certificates__kind=CertificateKind.BASIC)))
        .order_by("-indicators", "-courses", "certified_at", "full_name")[:limit]
    )


def award_households(*, year: int, communes: QuerySet, limit: int = 20) -> list:
    from django.db.models import ExpressionWrapper, FloatField
    from django.db.models.functions import Greatest

    on = min(datetime.date(year, 12, 31), timezone.localdate())
    holders = valid_certificates(CertificateKind.BASIC, on).values("resident_id")
    adult = Q(residents__birth_year__lte=on.year - ADULT_AGE)
    return list(
        Household.objects.filter(commune__in=communes).select_related("commune")
        .annotate(size=Count("residents", distinct=True),
                  certified=Count("residents", filter=Q(residents__pk__in=holders), distinct=True),
                  adults=Count("residents", filter=adult, distinct=True),
                  signing=Count("residents", filter=adult & Q(residents__signature_on__lte=on), distinct=True),
                  paying=Count("residents", filter=Q(residents__epayment_on__lte=on), distinct=True))
        .filter(size__gte=2, certified__gt=0)
        .annotate(share=ExpressionWrapper(100.0 * F("certified") / F("size"), output_field=FloatField()),
                  sign_share=ExpressionWrapper(100.0 * F("signing") / Greatest(F("adults"), 1), output_field=FloatField()))
        .order_by("-share", "-sign_share", "-paying", "code")[:limit]
    )
