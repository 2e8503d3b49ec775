"""In a real browser: "mark as done" saves without reloading the page, and the quick check answers at once."""
import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from cms.models import LessonPage
from learning.models import LessonProgress

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_marking_done_saves_without_reload_and_quick_check_answers_at_once(page: Page, live_server, resident, course):
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    lesson.body = list(lesson.body.raw_data) + [{"type": "quick_check", "value": {
        "question": "Có nên đọc mã OTP cho người gọi điện không?",
        "options": [{"text": "Có", "correct": False}, {"text": "Không bao giờ", "correct": True}],
        "explanation": "Mã OTP chỉ mình bạn được biết.",
    }}]
    lesson.save_revision().publish()
    client = Client()
    client.force_login(resident.user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    page.goto(live_server.url + lesson.url)
    page.evaluate("window.__sameDocument = true")

    page.get_by_text("Có", exact=True).click()
    expect(page.get_by_text("✗ Chưa đúng.")).to_be_visible()
    page.get_by_text("Không bao giờ", exact=True).click()
    expect(page.get_by_text("✓ Đúng rồi!")).to_be_visible()

    page.get_by_role("button", name="Tôi đã học xong bài này").click()
    expect(page.get_by_text("✓ Đã lưu: bạn đã học xong bài này.", exact=False)).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # the page was not reloaded
    expect(page.locator("#hoan-thanh .progress-text")).to_have_text("Tiến độ khóa học: 1/2 bài")
    assert LessonProgress.objects.get(resident=resident, lesson=lesson).completed_at is not None
    assert not LessonProgress.objects.filter(resident=resident, completed_at__isnull=False).exclude(lesson=lesson).exists()
