"""Sequential in-depth courses, the team-training record, formative quick checks."""
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate, CertificateKind, TeamTrainingRecord
from certificates.services import team_training_record
from cms.demo import ensure_site_tree
from cms.models import CoursePage, LessonPage
from cms.selectors import required_team_courses
from cms.services import TRAINER_GROUP, ensure_publishing_setup
from learning.models import Enrolment, LessonProgress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUICK_CHECK = {
    "type": "quick_check",
    "value": {
        "question": "Ngân hàng có gọi điện xin mã OTP không?",
        "options": [{"text": "Có, khi cần xác minh", "correct": False}, {"text": "Không bao giờ", "correct": True}],
        "explanation": "Mã OTP chỉ mình bạn được biết; ngân hàng không bao giờ hỏi.",
    },
}


def _course(index, *, slug: str, title: str, lessons: int = 3) -> CoursePage:
    course = CoursePage(title=title, slug=slug, summary="Bồi dưỡng chuyên sâu.", audience="team",
                        required_for_team=True, sequential=True)
    index.add_child(instance=course)
    course.save_revision().publish()
    for i in range(1, lessons + 1):
        lesson = LessonPage(title=f"{title} – bài {i}", slug=f"bai-{i}",
                            body=[{"type": "paragraph", "value": f"<p>Nội dung bài {i}.</p>"}, QUICK_CHECK])
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def team_course(db, framework):
    return _course(ensure_site_tree(), slug="bao-mat", title="Kỹ năng bảo mật", lessons=3)


def _lessons(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def test_locked_lesson_redirects_to_the_course_with_a_plain_message(resident_client, resident, team_course):
    first, second, third = _lessons(team_course)
    assert resident_client.get(first.url).status_code == 200
    r = resident_client.get(second.url, follow=True)
    assert r.redirect_chain == [(team_course.url, 302)]
    html = r.content.decode()
    assert "sẽ mở khi bạn học xong bài trước" in html
    assert not LessonProgress.objects.filter(resident=resident, lesson=second).exists()
    # The course page shows the later lessons as locked, without links to them.
    assert html.count(" để mở</span>") == 2 and f'href="{second.url}"' not in html


def test_completing_a_lesson_unlocks_the_next_one_only(resident_client, team_course):
    first, second, third = _lessons(team_course)
    r = resident_client.post(reverse("learning:complete_lesson", args=[first.pk]))
    assert r.url == second.url
    assert resident_client.get(second.url).status_code == 200
    assert resident_client.get(third.url).status_code == 302
    html = resident_client.get(team_course.url).content.decode()
    assert html.count(" để mở</span>") == 1 and f'href="{second.url}"' in html


def test_a_locked_lesson_cannot_be_marked_done(resident_client, resident, team_course):
    third = _lessons(team_course)[2]
    r = resident_client.post(reverse("learning:complete_lesson", args=[third.pk]), follow=True)
    assert "sẽ mở khi bạn học xong bài trước" in r.content.decode()
    r = resident_client.post(reverse("learning:complete_lesson", args=[third.pk]), HTTP_X_REQUESTED_WITH="fetch")
    assert r.status_code == 409 and "học xong bài trước" in r.json()["error"]
    assert not LessonProgress.objects.filter(resident=resident, lesson=third).exists()


def test_visitors_see_only_the_first_lesson_of_a_sequential_course(client, team_course):
    first, second, _ = _lessons(team_course)
    assert client.get(first.url).status_code == 200
    r = client.get(second.url, follow=True)
    assert "Hãy đăng nhập và bắt đầu từ bài 1" in r.content.decode()


def test_trainers_can_open_any_lesson_of_a_sequential_course(team_course):
    ensure_publishing_setup()
    trainer = UserFactory()
    trainer.groups.add(Group.objects.get(name=TRAINER_GROUP))
    c = Client()
    c.force_login(trainer)
    assert c.get(_lessons(team_course)[2].url).status_code == 200


def test_completing_a_required_team_course_is_recorded_for_the_certificate(resident_client, resident, team_course):
    other = _course(team_course.get_parent(), slug="chu-ky-so", title="Chữ ký số", lessons=1)
    assert set(required_team_courses().values_list("pk", flat=True)) == {team_course.pk, other.pk}
    for lesson in _lessons(team_course)[:2]:
        resident_client.post(reverse("learning:complete_lesson", args=[lesson.pk]))
    assert not TeamTrainingRecord.objects.filter(resident=resident).exists()  # not yet complete
    resident_client.post(reverse("learning:complete_lesson", args=[_lessons(team_course)[2].pk]))
    record = TeamTrainingRecord.objects.get(resident=resident, course_id=team_course.pk)
    assert record.completed_at is not None and record.check_passed_at is None
    assert record.course_title == "Kỹ năng bảo mật"
    assert Enrolment.objects.get(resident=resident, course=team_course).completed_at is not None

    # Checks passed (as assessment reports them) and the second course completed: the certificate follows.
    required = [team_course.pk, other.pk]
    assert team_training_record(resident=resident, course_id=team_course.pk, required_course_ids=required, check_passed=True) is None
    team_training_record(resident=resident, course_id=other.pk, required_course_ids=required, check_passed=True)
    assert not Certificate.objects.filter(resident=resident, kind=CertificateKind.TEAM).exists()
    resident_client.post(reverse("learning:complete_lesson", args=[_lessons(other)[0].pk]))
    assert Certificate.objects.filter(resident=resident, kind=CertificateKind.TEAM).count() == 1


def test_resident_course_completion_is_not_a_team_record(resident_client, resident, course):
    for lesson in _lessons(course):
        resident_client.post(reverse("learning:complete_lesson", args=[lesson.pk]))
    assert Enrolment.objects.get(resident=resident, course=course).completed_at is not None
    assert not TeamTrainingRecord.objects.filter(resident=resident).exists()


def test_quick_check_gives_immediate_feedback_without_javascript_and_records_nothing(resident_client, resident, team_course):
    first = _lessons(team_course)[0]
    html = resident_client.get(first.url).content.decode()
    assert "Ngân hàng có gọi điện xin mã OTP không?" in html
    assert "<summary>Không bao giờ</summary>" in html and "✓ Đúng rồi!" in html and "✗ Chưa đúng." in html
    assert "không tính điểm" in html
    assert LessonProgress.objects.get(resident=resident, lesson=first).completed_at is None
    assert not TeamTrainingRecord.objects.filter(resident=resident).exists()


def test_course_list_counts_lessons_and_shows_each_course_progress(resident_client, course, team_course):
    resident_client.post(reverse("learning:complete_lesson", args=[_lessons(course)[0].pk]))
    html = resident_client.get(course.get_parent().url).content.decode()
    assert "Người dân · 2 bài" in html and "Thành viên Tổ CNSCĐ · 3 bài" in html
    assert "Đã học xong 1/2 bài" in html and 'value="50"' in html and "Học tiếp" in html
    html = resident_client.get(course.get_parent().url, {"doi-tuong": "team"}).content.decode()
    assert "Kỹ năng bảo mật" in html and "Dịch vụ công trực tuyến" not in html
