"""Writes with rules for reports: submitting a quarter's figures, setting targets and commune groups."""
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import Commune

from .models import Indicator, QuarterlyReport, StatsSnapshot, Target
from .selectors import COUNT_KEYS, commune_stats, counts_by_commune, quarter_end


def report_snapshot(*, commune: Commune, year: int, quarter: int, today: datetime.date | None = None) -> dict:
    """The figures a commune submits for a quarter: as at the quarter's end, or today while it is still running
    (the report is due on the 5th of the quarter's last month)."""
    today = today or timezone.localdate()
    on = min(quarter_end(year, quarter), today)
    s = commune_stats(commune=commune, on=on)
    counts = {k: s[k] for k in ("members", "trained", "households", "covered", "working_age", "eid", "adults",
                                "signature", "epayment")}
    return {
        "on": on.isoformat(), "commune_code": commune.code, "commune_name": str(commune), "group": commune.group,
        "counts": counts,
        "indicators": [{k: i[k] for k in ("key", "label", "part", "whole", "percent", "target", "meets")}
                       for i in s["indicators"]],
        "by_hamlet": [{"hamlet": h["hamlet"], "households": h["households"], "covered": h["covered"]}
                      for h in s["by_hamlet"]],
    }


def report_submit(*, commune: Commune, year: int, quarter: int, by, note: str = "") -> QuarterlyReport:
    if not 1 <= quarter <= 4:
        raise ValidationError("Quý phải từ 1 đến 4.")
    today = timezone.localdate()
    if datetime.date(year, quarter * 3 - 2, 1) > today:
        raise ValidationError("Quý này chưa bắt đầu, chưa nộp báo cáo được.")
    report = QuarterlyReport(commune=commune, year=year, quarter=quarter, submitted_by=by, note=note.strip(),
                             snapshot=report_snapshot(commune=commune, year=year, quarter=quarter, today=today))
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(f"{commune} đã nộp báo cáo quý {quarter}/{year}; báo cáo đã nộp không sửa được.") from None
    return report


@transaction.atomic
def targets_set(*, year: int, group: str, values: dict[str, int]) -> None:
    for key, percent in values.items():
        if key not in Indicator.values:
            raise ValidationError(f"Chỉ tiêu không hợp lệ: {key}")
        if not 0 <= int(percent) <= 100:
            raise ValidationError("Chỉ tiêu phải từ 0 đến 100%.")
        Target.objects.update_or_create(year=year, group=group, indicator=key, defaults={"percent": int(percent)})


@transaction.atomic
def stats_snapshot_refresh(*, on: datetime.date) -> dict[int, dict]:
    """Recompute the province's per-commune counts for `on` (three grouped queries) and store them. An upsert, so two
    refreshes of the same date at once (two web servers, a worker and the timer) both succeed."""
    counts = counts_by_commune(on=on)
    now = timezone.now()
    rows = [StatsSnapshot(on=on, commune=c, counts=counts.get(c.pk) or dict.fromkeys(COUNT_KEYS, 0), computed_at=now)
            for c in Commune.objects.all()]
    StatsSnapshot.objects.bulk_create(rows, update_conflicts=True, unique_fields=["on", "commune"],
                                      update_fields=["counts", "computed_at"])
    return {r.commune_id: r.counts for r in rows}
