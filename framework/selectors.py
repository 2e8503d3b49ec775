from .models import Competency, Framework


def framework_current() -> Framework | None:
    return Framework.objects.current()


def competencies_current():
    return Competency.objects.filter(area__framework__is_current=True).select_related("area")
