import pytest
from django.urls import reverse

from cms.models import CourseIndexPage, CoursePage, HomePage, LessonPage
from cms.text import fold

pytestmark = pytest.mark.django_db


def test_fold_removes_vietnamese_diacritics_and_case():
    assert fold("CHỮ KÝ SỐ") == fold("chữ ký số") == fold("chu ky so") == "chu ky so"
    assert fold("Đăng ký  định danh") == "dang ky dinh danh"


@pytest.mark.parametrize("query", ["chu ky so", "CHỮ KÝ SỐ", "chữ ký số", "Chu Ky So"])
def test_search_ignores_diacritics_and_case(client, course, query):
    html = client.get(reverse("search"), {"q": query}).content.decode()
    assert "Chữ ký số là gì" in html and "Nộp hồ sơ trực tuyến" in html


def test_search_with_no_match_says_so(client, course):
    assert "Không tìm thấy" in client.get(reverse("search"), {"q": "tàu vũ trụ"}).content.decode()


def test_page_tree_rules():
    assert CourseIndexPage.parent_page_types == ["cms.HomePage"]
    assert CoursePage.parent_page_types == ["cms.CourseIndexPage"] and CoursePage.subpage_types == ["cms.LessonPage"]
    assert LessonPage.parent_page_types == ["cms.CoursePage"] and LessonPage.subpage_types == []
    assert not HomePage.can_create_at(CoursePage())


def test_course_and_lesson_pages_render_with_share_tags(client, course):
    html = client.get(course.url).content.decode()
    assert "Dịch vụ công trực tuyến" in html and 'property="og:title"' in html
    lesson = LessonPage.objects.child_of(course).first()
    html = client.get(lesson.url).content.decode()
    assert "Bài 1/2" in html and "chữ ký số cá nhân" in html


def test_search_finds_text_inside_lesson_blocks_without_accents(client, course):
    lesson = LessonPage(title="Tin nhắn giả mạo", slug="gia-mao", body=[
        {"type": "callout", "value": {"kind": "warning", "title": "Cảnh báo lừa đảo", "text": "Không đọc mã OTP cho ai."}},
        {"type": "steps", "value": {"title": "", "steps": [{"text": "Chặn số điện thoại lạ", "image": None}]}},
    ])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    for query in ["canh bao lua dao", "CHẶN SỐ", "ma otp"]:
        html = client.get(reverse("search"), {"q": query}).content.decode()
        assert "Tin nhắn giả mạo" in html, query
    lesson.unpublish()
    assert "Tin nhắn giả mạo" not in client.get(reverse("search"), {"q": "canh bao lua dao"}).content.decode()
