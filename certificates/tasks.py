from django_tasks import task


@task()
def render_bulk_print(bulk_print_id: int) -> int:
    """Render a BulkPrint in the background (the database worker in production, inline by default)."""
    from .services import bulk_print_run

    return bulk_print_run(bulk_print_id=bulk_print_id).pk
