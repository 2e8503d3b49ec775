from django.db.models import Count, Q
from django.db.models.functions import Substr

from cms.models import CoursePage, LessonPage
from community.models import Resident

from .models import Enrolment, LessonProgress


def course_progress(*, resident: Resident | None, course: CoursePage) -> dict:
    lessons = LessonPage.objects.child_of(course).live()
    ordered_ids = list(lessons.order_by("path").values_list("pk", flat=True))
    total = len(ordered_ids)
    completed_ids = set()
    opened_ids = set()
    if resident is not None:
        rows = LessonProgress.objects.filter(resident=resident, lesson__in=ordered_ids).values_list("lesson_id", "completed_at")
        for lesson_id, completed_at in rows:
            opened_ids.add(lesson_id)
            if completed_at:
                completed_ids.add(lesson_id)
    completed = len(completed_ids)
    return {
        "total": total,
        "completed": completed,
        "percent": round(100 * completed / total) if total else 0,
        "done": total > 0 and completed == total,
        "completed_ids": completed_ids,
        "opened_ids": opened_ids,
        "locked_ids": _locked_ids(course, ordered_ids, completed_ids),
    }


def _locked_ids(course: CoursePage, ordered_ids: list[int], completed_ids: set[int]) -> set[int]:
    """In a sequential course (as on the national "Bình dân học vụ số" platform) a lesson opens once the one
    before it is done; a lesson already done stays open even if the trainer reordered the course afterwards."""
    if not course.sequential:
        return set()
    return {cur for prev, cur in zip(ordered_ids, ordered_ids[1:]) if prev not in completed_ids and cur not in completed_ids}


def lesson_locked(*, resident: Resident | None, lesson: LessonPage, course: CoursePage) -> bool:
    if not course.sequential:
        return False
    return lesson.pk in course_progress(resident=resident, course=course)["locked_ids"]


def courses_with_progress(*, resident: Resident | None, courses) -> list[tuple[CoursePage, dict]]:
    """Each course of a list with its lesson count and the resident's progress, in two queries for any number."""
    courses = list(courses)
    if not courses:
        return []
    path_len = len(courses[0].path)  # sibling pages share a path length
    under_courses = Q()
    for c in courses:
        under_courses |= Q(path__startswith=c.path)
    totals = dict(
        LessonPage.objects.live().filter(under_courses, depth=courses[0].depth + 1)
        .annotate(course_path=Substr("path", 1, path_len)).order_by().values_list("course_path").annotate(n=Count("id"))
    )
    done = {}
    if resident is not None:
        done = dict(
            LessonProgress.objects.filter(resident=resident, course__in=courses, completed_at__isnull=False, lesson__live=True)
            .values_list("course_id").annotate(n=Count("id"))
        )
    rows = []
    for c in courses:
        total, completed = totals.get(c.path, 0), done.get(c.pk, 0)
        rows.append((c, {"total": total, "completed": completed, "percent": round(100 * completed / total) if total else 0,
                         "done": total > 0 and completed == total}))
    return rows


def my_enrolments(resident: Resident) -> list[dict]:
    """Each enrolment with its progress, in three queries whatever the number of courses."""
    enrolments = list(Enrolment.objects.filter(resident=resident).select_related("course", "last_lesson"))
    if not enrolments:
        return []
    course_paths = {e.course.path: e for e in enrolments}
    depth = enrolments[0].course.depth + 1
    under_courses = Q()
    for path in course_paths:
        under_courses |= Q(path__startswith=path)
    lessons = LessonPage.objects.live().filter(under_courses, depth=depth)
    totals: dict[str, int] = {}
    for path in lessons.values_list("path", flat=True):
        totals[path[: depth * 4 - 4]] = totals.get(path[: depth * 4 - 4], 0) + 1
    done = dict(
        LessonProgress.objects.filter(resident=resident, completed_at__isnull=False, lesson__live=True)
        .values_list("course_id")
        .annotate(n=Count("id"))
    )
    rows = []
    for path, e in course_paths.items():
        total = totals.get(path, 0)
        completed = done.get(e.course_id, 0)
        rows.append({"enrolment": e, "course": e.course, "total": total, "completed": completed,
                     "percent": round(100 * completed / total) if total else 0})
    return sorted(rows, key=lambda r: r["enrolment"].last_seen_at, reverse=True)


def resume_lesson(*, resident: Resident, course: CoursePage) -> LessonPage | None:
    """Where "Tiếp tục học" goes: the lesson the resident last opened, or the first not yet done."""
    enrolment = Enrolment.objects.filter(resident=resident, course=course).select_related("last_lesson").first()
    if enrolment and enrolment.last_lesson and enrolment.last_lesson.live:
        return enrolment.last_lesson
    done = LessonProgress.objects.filter(resident=resident, course=course, completed_at__isnull=False).values("lesson_id")
    return LessonPage.objects.child_of(course).live().exclude(pk__in=done).order_by("path").first()
