"""A trainer drafts a lesson in the Wagtail admin, a reviewer approves it, the public sees it."""
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import CoursePage, LessonPage
from cms.services import REVIEWER_GROUP, TRAINER_GROUP, WORKFLOW_NAME, ensure_publishing_setup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publishing(course):
    ensure_publishing_setup()
    trainer = UserFactory(email="gv@example.vn")
    trainer.groups.add(Group.objects.get(name=TRAINER_GROUP))
    reviewer = UserFactory(email="duyet@example.vn")
    reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    trainer_client, reviewer_client = Client(), Client()
    trainer_client.force_login(trainer)
    reviewer_client.force_login(reviewer)
    return trainer_client, reviewer_client


def _lesson_form(action: str) -> dict:
    data = nested_form_data({
        "title": "Nhận diện tin nhắn lừa đảo",
        "slug": "nhan-dien-lua-dao",
        "summary": "Ba dấu hiệu của tin nhắn giả mạo.",
        "duration_minutes": 8,
        "body": streamfield([
            ("heading", "Dấu hiệu thứ nhất"),
            ("paragraph", rich_text("<p>Tin nhắn giục bạn chuyển tiền gấp.</p>")),
            ("callout", {"kind": "warning", "title": "Cảnh báo lừa đảo", "text": "Không bấm vào đường link lạ."}),
            ("steps", {"title": "Kiểm tra người gửi", "steps": streamfield([("item", {"text": "Mở tin nhắn", "image": ""})])}),
            ("quick_check", {
                "question": "Cơ quan công an có gọi điện đòi chuyển tiền không?",
                "options": streamfield([("item", {"text": "Có", "correct": ""}), ("item", {"text": "Không", "correct": "on"})]),
                "explanation": "Công an không bao giờ yêu cầu chuyển tiền qua điện thoại.",
            }),
        ]),
    })
    data[action] = "1"
    return data


def test_trainer_drafts_and_submits_reviewer_approves_and_lesson_goes_live(publishing, course, client):
    trainer, reviewer = publishing
    add_url = reverse("wagtailadmin_pages:add", args=("cms", "lessonpage", course.pk))
    edit_form = trainer.get(add_url)
    assert edit_form.status_code == 200
    assert b'name="action-publish"' not in edit_form.content  # no publish button for a trainer

    r = trainer.post(add_url, _lesson_form("action-submit"))
    assert r.status_code == 302, r.content.decode()[:3000]
    lesson = LessonPage.objects.get(slug="nhan-dien-lua-dao")
    assert not lesson.live
    state = lesson.current_workflow_state
    assert state is not None and state.workflow.name == WORKFLOW_NAME
    assert client.get(f"{course.url}nhan-dien-lua-dao/").status_code == 404

    # The reviewer sees it waiting and approves it with Wagtail's workflow action.
    assert "Nhận diện tin nhắn lừa đảo" in reviewer.get(reverse("wagtailadmin_home")).content.decode()
    task_state = state.current_task_state
    r = reviewer.post(reverse("wagtailadmin_pages:workflow_action", args=(lesson.pk, "approve", task_state.pk)),
                      {"comment": "Bài tốt, xuất bản."})
    assert r.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live and lesson.get_latest_revision().approved_go_live_at is None

    html = client.get(lesson.url).content.decode()
    assert "Dấu hiệu thứ nhất" in html and "Cảnh báo lừa đảo" in html and "Không bấm vào đường link lạ." in html
    assert "Cơ quan công an có gọi điện đòi chuyển tiền không?" in html
    # The folded search copy is written when the approved revision is published.
    assert "nhan dien tin nhan lua dao" in LessonPage.objects.get(pk=lesson.pk).search_text
    assert "Nhận diện tin nhắn lừa đảo" in client.get(reverse("search"), {"q": "lua dao"}).content.decode()


def test_reviewer_can_reject_with_a_comment_and_the_lesson_stays_unpublished(publishing, course, client):
    trainer, reviewer = publishing
    trainer.post(reverse("wagtailadmin_pages:add", args=("cms", "lessonpage", course.pk)), _lesson_form("action-submit"))
    lesson = LessonPage.objects.get(slug="nhan-dien-lua-dao")
    task_state = lesson.current_workflow_state.current_task_state
    reviewer.post(reverse("wagtailadmin_pages:workflow_action", args=(lesson.pk, "reject", task_state.pk)),
                  {"comment": "Cần thêm ảnh chụp màn hình."})
    lesson.refresh_from_db()
    assert not lesson.live
    task_state.refresh_from_db()
    assert task_state.status == "rejected" and task_state.comment == "Cần thêm ảnh chụp màn hình."


def test_trainer_cannot_publish_directly(publishing, course, client):
    trainer, _ = publishing
    r = trainer.post(reverse("wagtailadmin_pages:add", args=("cms", "lessonpage", course.pk)), _lesson_form("action-publish"))
    assert r.status_code == 302  # Wagtail keeps it as a draft
    assert not LessonPage.objects.get(slug="nhan-dien-lua-dao").live
    live_lesson = LessonPage.objects.child_of(course).get(slug="bai-1")
    r = trainer.post(reverse("wagtailadmin_pages:edit", args=(live_lesson.pk,)),
                     {**_lesson_form("action-publish"), "slug": "bai-1"})
    assert r.status_code == 302
    live_lesson.refresh_from_db()
    assert live_lesson.title == "Chữ ký số là gì" and live_lesson.has_unpublished_changes
    assert live_lesson.get_latest_revision_as_object().title == "Nhận diện tin nhắn lừa đảo"
    assert "Chữ ký số là gì" in client.get(live_lesson.url).content.decode()


def test_trainer_cannot_edit_pages_outside_the_course_tree(publishing, course):
    trainer, _ = publishing
    home = course.get_parent().get_parent()
    assert trainer.get(reverse("wagtailadmin_pages:edit", args=(home.pk,))).status_code in (302, 403)
    assert trainer.get(reverse("wagtailadmin_pages:add", args=("cms", "standardpage", home.pk))).status_code in (302, 403)
    assert trainer.get(reverse("wagtailadmin_pages:edit", args=(course.pk,))).status_code == 200


def test_admin_preview_opens_at_phone_width():
    assert LessonPage().default_preview_size == "mobile"
    assert LessonPage().preview_sizes[0]["device_width"] == 360
    assert CoursePage().preview_sizes[0]["device_width"] == 360


def test_publishing_setup_is_idempotent_and_assigns_the_workflow_to_the_course_index(course):
    first = ensure_publishing_setup()
    second = ensure_publishing_setup()
    assert first.pk == second.pk
    index = Page.objects.get(pk=course.get_parent().pk)
    assert index.get_workflow().name == WORKFLOW_NAME
    assert course.get_workflow().name == WORKFLOW_NAME
    task = first.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [REVIEWER_GROUP]
