from django.db.models import QuerySet

from .models import CoursePage, LessonPage
from .text import fold


def _folded_filter(qs: QuerySet, query: str) -> QuerySet:
    for word in fold(query).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def search_pages(query: str) -> dict:
    if not fold(query):
        return {"courses": CoursePage.objects.none(), "lessons": LessonPage.objects.none()}
    return {
        "courses": _folded_filter(CoursePage.objects.live().public(), query),
        "lessons": _folded_filter(LessonPage.objects.live().public(), query),
    }


def lessons_teaching(competency_ids) -> QuerySet[LessonPage]:
    return LessonPage.objects.live().public().filter(competencies__in=competency_ids).distinct().order_by("path")


def required_team_courses() -> QuerySet[CoursePage]:
    return CoursePage.objects.live().filter(required_for_team=True).order_by("path")
