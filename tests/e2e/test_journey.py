"""The core journey in a real browser (Debian's Chromium) against a live server."""
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from assessment.models import Attempt, Option
from certificates.models import Certificate
from community.models import Official, User
from tests.factories import HouseholdFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Hoc-vu-so-2026"


@pytest.fixture
def journey_data(transactional_db, commune, course, small_form, settings, live_server):
    settings.SITE_URL = live_server.url
    HouseholdFactory(commune=commune, code="KP1-001", hamlet="Khu phố 1")
    HouseholdFactory(commune=commune, code="KP1-002", hamlet="Khu phố 1")
    officer = User.objects.create_user(email="canbo@example.vn", password=PASSWORD)
    Official.objects.create(user=officer, level="xa", commune=commune)
    return {"commune": commune, "course": course, "form": small_form, "url": live_server.url}


def sign_up(page: Page, base: str, phone: str, name: str, household: str):
    page.goto(base + "/tai-khoan/signup/")
    page.get_by_label("Số điện thoại di động").fill(phone)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Tôi đồng ý").check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Bạn ở đâu?")).to_be_visible()
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Năm sinh").fill("1962")
    page.get_by_label("Xã/phường nơi bạn ở").select_option(label="Phường Trấn Biên")
    page.get_by_label("Mã hộ gia đình").fill(household)
    page.get_by_role("button", name="Lưu và bắt đầu học").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {name}")).to_be_visible()


def take_test(page: Page, base: str, *, correct: bool):
    page.goto(base + "/kiem-tra/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    attempt = Attempt.objects.latest("started_at")
    for position in range(1, 7):
        expect(page.get_by_text(f"Câu {position}/6")).to_be_visible()
        ai = attempt.attempt_items.get(position=position)
        option = Option.objects.filter(item_id=ai.item_id, is_correct=correct).first()
        # The script that saves on change has run once it turns the server's "Còn N giây" into a m:ss clock; a tap
        # before that is saved by the button instead, which is not what this step checks.
        expect(page.locator(".countdown")).to_have_text(re.compile(r"Còn \d+:\d\d"))
        page.locator(f'input[name="dap-an"][value="{option.pk}"]').check()
        expect(page.get_by_text("✓ Đã lưu câu trả lời")).to_be_visible()  # saved without a reload
        label = "Lưu và sang câu sau →" if position < 6 else "Lưu và xem lại bài"
        page.get_by_role("button", name=label).click()
    expect(page.get_by_text("Bạn đã trả lời tất cả 6 câu.")).to_be_visible()
    page.get_by_role("button", name="Nộp bài").click()


def test_resident_learns_passes_gets_certificate_and_is_counted(page: Page, journey_data, tmp_path):
    base = journey_data["url"]
    sign_up(page, base, "0912 345 678", "Nguyễn Thị Hồng Nhung", "KP1-001")

    page.goto(base + journey_data["course"].url)
    page.get_by_role("link", name="Bắt đầu học").click()
    expect(page.get_by_role("heading", name="Chữ ký số là gì")).to_be_visible()
    page.get_by_role("button", name="Tôi đã học xong bài này").click()
    expect(page.get_by_text("Tiến độ khóa học 1/2 bài", exact=False)).to_be_visible()
    page.get_by_role("link", name="Bài tiếp theo →").click()
    page.get_by_role("button", name="Tôi đã học xong bài này").click()
    expect(page.get_by_text("Tiến độ khóa học 2/2 bài", exact=False)).to_be_visible()
    page.goto(base + journey_data["course"].url)
    expect(page.get_by_text("Đã học xong 2/2 bài")).to_be_visible()

    take_test(page, base, correct=True)
    expect(page.get_by_text("Chúc mừng! Bạn đã ĐẠT")).to_be_visible()

    cert = Certificate.objects.get()
    pdf_link = page.get_by_role("link", name="Tải giấy chứng nhận (PDF)")
    response = page.request.get(base + pdf_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "chung-nhan.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nguyễn Thị Hồng Nhung" in text and cert.display_code in text
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "cn")], check=True)
    qr = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "cn.png")], capture_output=True, text=True, check=True)
    qr_url = qr.stdout.strip()
    assert qr_url == cert.verify_absolute_url and qr_url.startswith(base + "/xac-minh/")

    page.goto(qr_url)
    expect(page.get_by_text("✓ Còn hiệu lực")).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Hồng Nhung")).to_be_visible()

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    page.goto(base + "/tai-khoan/login/")
    page.get_by_label("Tài khoản").fill("canbo@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(base + "/bao-cao/")
    expect(page.locator("[data-coverage]")).to_have_text("1/2 hộ (50,0%)")


def test_failing_resident_gets_no_certificate_and_household_not_counted(page: Page, journey_data):
    base = journey_data["url"]
    sign_up(page, base, "0987 654 321", "Trần Văn Bảy", "KP1-002")
    take_test(page, base, correct=False)
    expect(page.get_by_text("Bạn CHƯA ĐẠT lần này")).to_be_visible()
    expect(page.get_by_role("link", name="Tải giấy chứng nhận (PDF)")).to_have_count(0)
    assert not Certificate.objects.exists()
    from reports.selectors import commune_coverage

    assert commune_coverage(commune=journey_data["commune"])["covered"] == 0
