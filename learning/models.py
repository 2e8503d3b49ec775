from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import CoursePage, LessonPage
from community.models import Resident


class Enrolment(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    started_at = models.DateTimeField(default=timezone.now)
    last_lesson = models.ForeignKey(LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_seen_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["resident", "course"], name="one_enrolment_per_course")]


class LessonProgress(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tiến độ bài học")
        verbose_name_plural = _("tiến độ bài học")
        constraints = [models.UniqueConstraint(fields=["resident", "lesson"], name="one_progress_per_lesson")]
        indexes = [models.Index(fields=["resident", "course"])]
