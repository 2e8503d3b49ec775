import pytest
from django.test import Client
from django.urls import reverse

from cms.models import LessonPage
from learning.models import Enrolment, LessonProgress

pytestmark = pytest.mark.django_db


def test_opening_a_lesson_enrols_and_remembers_the_place(resident_client, resident, course):
    first, second = LessonPage.objects.child_of(course).order_by("path")
    assert resident_client.get(second.url).status_code == 200
    enrolment = Enrolment.objects.get(resident=resident, course=course)
    assert enrolment.last_lesson_id == second.pk
    assert LessonProgress.objects.filter(resident=resident, lesson=second, completed_at__isnull=True).exists()
    r = resident_client.get(reverse("learning:resume", args=[course.pk]))
    assert r.url == second.url


def test_marking_lessons_done_shows_progress_and_completes_the_course(resident_client, resident, course):
    first, second = LessonPage.objects.child_of(course).order_by("path")
    r = resident_client.post(reverse("learning:complete_lesson", args=[first.pk]))
    assert r.url == second.url
    assert "1/2 bài" in resident_client.get(course.url).content.decode()
    r = resident_client.post(reverse("learning:complete_lesson", args=[second.pk]), HTTP_X_REQUESTED_WITH="fetch")
    assert r.json() == {"completed": 2, "total": 2, "percent": 100}
    assert Enrolment.objects.get(resident=resident, course=course).completed_at is not None
    html = resident_client.get(reverse("learning:dashboard")).content.decode()
    assert course.title in html and 'value="100"' in html


def test_progress_survives_logging_out_and_in_on_another_device(resident_client, resident, course):
    first, second = LessonPage.objects.child_of(course).order_by("path")
    resident_client.post(reverse("learning:complete_lesson", args=[first.pk]))
    resident_client.get(second.url)
    resident_client.logout()
    phone = Client()
    phone.force_login(resident.user)
    assert phone.get(reverse("learning:resume", args=[course.pk])).url == second.url
    assert "Đã học xong 1/2 bài" in phone.get(course.url).content.decode()


def test_marking_done_needs_a_post_and_a_resident(client, resident, course):
    lesson = LessonPage.objects.child_of(course).first()
    url = reverse("learning:complete_lesson", args=[lesson.pk])
    assert client.post(url).status_code == 302  # to log-in
    client.force_login(resident.user)
    assert client.get(url).status_code == 405
    assert client.post(reverse("learning:complete_lesson", args=[999999])).status_code == 404


def test_user_without_household_is_asked_to_join_first(client, db):
    from community.models import User

    client.force_login(User.objects.create_user(email="c@example.vn", password="x"))
    assert client.get(reverse("learning:dashboard")).url == reverse("community:join_household")
