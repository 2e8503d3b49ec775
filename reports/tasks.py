import datetime

from django.core.cache import cache
from django_tasks import task

from .selectors import SNAPSHOT_MAX_AGE
from .services import stats_snapshot_refresh

# Seconds a queued recount keeps others from being queued. The worker clears the mark when done, but without Redis it
# cannot reach the web processes' caches: then the mark simply lapses when the new figures go stale anyway.
QUEUED_FOR = SNAPSHOT_MAX_AGE


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
