from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certificates.services import team_training_record
from cms.models import CoursePage, LessonPage
from cms.selectors import required_team_courses
from community.models import Resident

from .models import Enrolment, LessonProgress
from .selectors import course_progress, lesson_locked

LOCKED_MESSAGE = "Bài “{title}” sẽ mở khi bạn học xong bài trước. Khóa học này học lần lượt từng bài."


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
def lesson_open(*, resident: Resident, lesson: LessonPage, course: CoursePage | None = None) -> LessonProgress:
    course = course or lesson.get_parent().specific
    enrolment_touch(resident=resident, course=course, lesson=lesson)
    progress, _ = LessonProgress.objects.get_or_create(resident=resident, lesson=lesson, defaults={"course": course})
    return progress


@transaction.atomic
def lesson_complete(*, resident: Resident, lesson: LessonPage) -> dict:
    """Mark a lesson done (idempotent) and record the course as completed when every live lesson is done.
    A required in-depth course that becomes complete is recorded for the team member's certificate."""
    course = lesson.get_parent().specific
    if lesson_locked(resident=resident, lesson=lesson, course=course):
        raise ValidationError(LOCKED_MESSAGE.format(title=lesson.title))
    progress = lesson_open(resident=resident, lesson=lesson, course=course)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
    summary = course_progress(resident=resident, course=course)
    if summary["done"]:
        Enrolment.objects.filter(resident=resident, course=course, completed_at__isnull=True).update(completed_at=timezone.now())
        if course.required_for_team:
            team_training_record(
                resident=resident, course_id=course.pk, course_title=course.title,
                required_course_ids=list(required_team_courses().values_list("pk", flat=True)), completed=True,
            )
    return summary
