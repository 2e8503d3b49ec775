import datetime

from django.core.cache import cache
from django_tasks import task

from .services import stats_snapshot_refresh

QUEUED_FOR = 15 * 60  # seconds: if a worker dies mid-refresh, the next view after this queues it again


def _queued_key(day: str) -> str:
    return f"reports:snapshot-refresh:{day}"


def refresh_in_background(days: list[datetime.date]) -> None:
    """Queue a recount of each date's stored counts, once: views that find the same stale figures meanwhile do not
    queue it again (per cache; without Redis, per web process, which the upsert makes harmless)."""
    for day in days:
        if cache.add(_queued_key(day.isoformat()), True, timeout=QUEUED_FOR):
            refresh_snapshot.enqueue(day.isoformat())


@task()
def refresh_snapshot(on: str) -> None:
    """Recompute the province counts for one date (ISO string) in the background."""
    try:
        stats_snapshot_refresh(on=datetime.date.fromisoformat(on))
    finally:
        cache.delete(_queued_key(on))
