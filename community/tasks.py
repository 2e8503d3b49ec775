from django.utils import timezone
from django_tasks import task

from .imports import read_file, run_import
from .models import ImportJob


@task()
def import_file(job_id: int) -> None:
    """A large household/resident file, imported in the background; the job row carries progress and errors."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    from .selectors import user_commune_ids

    with job.file.open("rb") as fh:
        fh.name = job.file.name
        data = read_file(fh)
    job.total_rows = len(data)
    job.save(update_fields=["total_rows"])
    result = run_import(kind=job.kind, data=data, allowed_commune_ids=user_commune_ids(job.user), dry_run=False, job=job)
    job.processed_rows = len(data)
    job.errors = [[n, msgs] for n, msgs in result["errors"]][:500]
    job.status = ImportJob.Status.FAILED if result["errors"] else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
