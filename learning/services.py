from django.db import transaction
from django.utils import timezone

from cms.models import CoursePage, LessonPage
from community.models import Resident

from .models import Enrolment, LessonProgress
from .selectors import course_progress


def enrolment_touch(*, resident: Resident, course: CoursePage, lesson: LessonPage | None = None) -> Enrolment:
    now = timezone.now()
    enrolment, _ = Enrolment.objects.get_or_create(resident=resident, course=course)
    fields = {"last_seen_at": now}
    if lesson is not None:
        fields["last_lesson"] = lesson
    Enrolment.objects.filter(pk=enrolment.pk).update(**fields)
    for k, v in fields.items():
        setattr(enrolment, k, v)
    return enrolment


@transaction.atomic
def lesson_open(*, resident: Resident, lesson: LessonPage) -> LessonProgress:
    course = lesson.get_parent().specific
    enrolment_touch(resident=resident, course=course, lesson=lesson)
    progress, _ = LessonProgress.objects.get_or_create(resident=resident, lesson=lesson, defaults={"course": course})
    return progress


@transaction.atomic
def lesson_complete(*, resident: Resident, lesson: LessonPage) -> dict:
    """Mark a lesson done (idempotent) and record the course as completed when every live lesson is done."""
    progress = lesson_open(resident=resident, lesson=lesson)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
    course = progress.course
    summary = course_progress(resident=resident, course=course)
    if summary["done"] and summary["total"]:
        Enrolment.objects.filter(resident=resident, course=course, completed_at__isnull=True).update(completed_at=timezone.now())
    return summary
