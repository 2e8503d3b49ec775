import datetime

from django_tasks import task

from .services import stats_snapshot_refresh


@task()
def refresh_snapshot(on: str) -> None:
    """Recompute the province counts for one date (ISO string) in the background."""
    stats_snapshot_refresh(on=datetime.date.fromisoformat(on))
