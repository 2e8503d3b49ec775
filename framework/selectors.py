from .models import Competency, Framework


def framework_current() -> Framework | None:
    return Framework.objects.current()


def competencies_current():
    return Competency.objects.filter(area__framework__is_current=True).select_related("area")


def framework_versions():
    from django.db.models import Count

    return Framework.objects.annotate(
        area_count=Count("areas", distinct=True), competency_count=Count("areas__competencies", distinct=True)
    ).order_by("code", "-version")


def framework_tree(pk: int) -> Framework:
    from django.db.models import Prefetch

    from .models import Area

    return Framework.objects.prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("position").prefetch_related("competencies"))
    ).get(pk=pk)
