"""A resident's rights over their data (Law 91/2025/QH15): download everything, ask for deletion."""
import json

import pytest
from django.urls import reverse

from assessment.models import Attempt
from assessment.services import attempt_start, attempt_submit
from certificates.models import Certificate, CertificateStatus
from community.models import Household, Resident, SupportActivity, User
from tests.factories import OfficialFactory, ResidentFactory
from tests.helpers import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(resident, small_form):
    """A resident who passed the test and holds a basic certificate, and whom a team member helped once."""
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=True)
    attempt_submit(attempt=attempt)
    cert = Certificate.objects.get(resident=resident)
    helper = ResidentFactory(household=resident.household, full_name="Trần Văn Giúp")
    SupportActivity.objects.create(member=helper, resident=resident, kind="chu_ky_so", note="Cài cho bà Nhung ở nhà")
    return resident, cert


def test_download_holds_account_household_attempts_certificates_support_and_consent(client, certified):
    resident, cert = certified
    resident.user.phone = "+84912345678"
    resident.user.save()
    client.force_login(resident.user)

    page = client.get(reverse("privacy:mine"))
    assert page.status_code == 200
    assert "Nguyễn Thị Hồng Nhung" in page.content.decode()

    response = client.get(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-cua-toi-')
    data = json.loads(response.content)
    assert data["account"]["phone"] == "+84912345678"
    assert data["resident"]["full_name"] == "Nguyễn Thị Hồng Nhung"
    assert data["resident"]["household"]["code"] == "KP1-001"
    assert data["resident"]["consent_at"] is not None or resident.consent_at is None
    assert data["certificates"][0]["code"] == cert.display_code
    assert data["test_attempts"][0]["passed"] is True and data["test_attempts"][0]["score_pct"] == 100.0
    assert data["resident"]["support_received"][0]["by"] == "Trần Văn Giúp"


def test_download_shows_only_the_signed_in_persons_data(client, certified):
    other = ResidentFactory(full_name="Lê Thị Khác")
    client.force_login(other.user)
    body = client.get(reverse("privacy:download")).content.decode()
    assert "Lê Thị Khác" in body and "Nguyễn Thị Hồng Nhung" not in body


def test_deletion_withdraws_certificate_anonymises_resident_and_closes_account(client, certified):
    from cms.demo import ensure_site_tree

    ensure_site_tree()  # the home page the person lands on, with the confirmation
    resident, cert = certified
    user = resident.user
    households, residents, attempts = Household.objects.count(), Resident.objects.count(), Attempt.objects.count()
    client.force_login(user)

    wrong = client.post(reverse("privacy:erase"), {"confirm": "có", "understood": "on"})
    assert wrong.status_code == 400 and "hãy gõ chữ XÓA" in wrong.content.decode()
    assert User.objects.get(pk=user.pk).is_active

    done = client.post(reverse("privacy:erase"), {"confirm": "xóa", "understood": "on"}, follow=True)
    assert "Dữ liệu cá nhân của bạn đã được xóa" in done.content.decode()

    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and user.email == "" and user.phone == ""
    resident.refresh_from_db()
    assert resident.full_name == "Đã xóa" and resident.user is None and resident.phone == ""
    assert resident.birth_year == 1960  # five-year band, still counted as an adult of working age
    assert SupportActivity.objects.get(resident=resident).note == ""
    # Counts stay meaningful: the household, the anonymous resident and the attempt remain.
    assert (Household.objects.count(), Resident.objects.count(), Attempt.objects.count()) == (households, residents, attempts)

    cert.refresh_from_db()
    assert cert.status == CertificateStatus.WITHDRAWN and cert.holder_name == ""
    verify = client.get(cert.get_verify_url())
    text = verify.content.decode()
    assert "Đã rút" in text and "Nguyễn Thị Hồng Nhung" not in text
    verify_json = client.get(cert.get_verify_url() + "?dinh-dang=json").json()
    assert verify_json["status"] == "withdrawn" and not verify_json.get("holder_name")

    # The session is over and the account cannot sign in again.
    assert client.get(reverse("privacy:mine")).status_code == 302
    assert not client.login(username=user.username, password="MatKhau@2026")


def test_deletion_needs_the_checkbox_and_changes_nothing_without_it(client, certified):
    resident, cert = certified
    client.force_login(resident.user)
    response = client.post(reverse("privacy:erase"), {"confirm": "XÓA"})
    assert response.status_code == 400 and "Vui lòng đánh dấu ô xác nhận." in response.content.decode()
    resident.refresh_from_db()
    cert.refresh_from_db()
    assert resident.full_name == "Nguyễn Thị Hồng Nhung" and cert.status == CertificateStatus.VALID


def test_an_official_cannot_erase_their_own_account_from_the_page(client, commune):
    official = OfficialFactory(commune=commune)
    client.force_login(official.user)
    response = client.post(reverse("privacy:erase"), {"confirm": "XÓA", "understood": "on"}, follow=True)
    assert "Tài khoản cán bộ không tự xóa được" in response.content.decode()
    official.user.refresh_from_db()
    assert official.user.is_active


def test_a_resident_without_certificates_can_also_erase(client, resident):
    client.force_login(resident.user)
    client.post(reverse("privacy:erase"), {"confirm": "XÓA", "understood": "on"})
    resident.refresh_from_db()
    assert resident.full_name == "Đã xóa"
