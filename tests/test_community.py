import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import Resident, User
from community.phones import normalize_phone
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "091.234.5678"])
def test_vietnamese_mobile_numbers_are_normalised(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["012345678", "0212345678", "09123456789", "abc", "+1 202 555 0100"])
def test_bad_phone_numbers_are_refused_with_a_plain_message(raw):
    with pytest.raises(ValidationError, match="10 chữ số"):
        normalize_phone(raw)


def test_signup_with_a_phone_number_then_join_household(client, commune):
    household = HouseholdFactory(commune=commune, code="KP2-007")
    page = client.get(reverse("account_signup")).content.decode()
    assert "Đăng ký" in page and "Số điện thoại" in page and "Mật khẩu" in page
    r = client.post(reverse("account_signup"), {
        "phone": "0912 345 678", "password1": "Hoc-vu-so-2026", "password2": "Hoc-vu-so-2026", "consent": "on",
    })
    assert r.status_code == 302 and r.url == reverse("community:join_household")
    user = User.objects.get(phone="+84912345678")
    r = client.post(reverse("community:join_household"), {
        "full_name": "  Lê   Văn Tám ", "birth_year": "1958", "gender": "nam", "commune": commune.pk, "household_code": "kp2-007",
    })
    assert r.status_code == 302
    resident = Resident.objects.get(user=user)
    assert resident.full_name == "Lê Văn Tám" and resident.household == household and resident.consent_at


def test_signup_with_email_and_login_by_phone_or_email(client):
    client.post(reverse("account_signup"), {"email": "ba.tu@example.vn", "phone": "0987654321", "password1": "Hoc-vu-so-2026",
                                            "password2": "Hoc-vu-so-2026", "consent": "on"})
    client.logout()
    for login in ("098 765 4321", "ba.tu@example.vn"):
        r = client.post(reverse("account_login"), {"login": login, "password": "Hoc-vu-so-2026"})
        assert r.status_code == 302, r.content.decode()[:2000]
        client.logout()


def test_signup_needs_phone_or_email_and_consent(client):
    r = client.post(reverse("account_signup"), {"password1": "Hoc-vu-so-2026", "password2": "Hoc-vu-so-2026"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Vui lòng nhập số điện thoại hoặc địa chỉ e-mail" in html and "Bạn cần đồng ý" in html
    assert not User.objects.exists()


def test_wrong_household_code_gets_a_clear_message(client, commune):
    user = User.objects.create_user(email="a@example.vn", password="x")
    client.force_login(user)
    r = client.post(reverse("community:join_household"), {
        "full_name": "Lê Văn Tám", "birth_year": "1958", "commune": commune.pk, "household_code": "KHONG-CO",
    })
    assert r.status_code == 200 and "Không tìm thấy hộ có mã KHONG-CO" in r.content.decode()
    assert not Resident.objects.exists()


@pytest.mark.parametrize("year", ["1850", "2030", "abc"])
def test_impossible_birth_year_is_refused(client, commune, year):
    HouseholdFactory(commune=commune, code="A1")
    client.force_login(User.objects.create_user(email="b@example.vn", password="x"))
    r = client.post(reverse("community:join_household"), {
        "full_name": "Lê Văn Tám", "birth_year": year, "commune": commune.pk, "household_code": "A1",
    })
    assert r.status_code == 200 and not Resident.objects.exists()


def test_login_page_is_in_vietnamese(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập" in html and "Mật khẩu" in html and "Sign In" not in html
    assert '<html lang="vi"' in html


def test_larger_text_switch_persists_in_a_cookie(client):
    r = client.post(reverse("text_size"), {"co_chu": "lon", "next": "/xac-minh/"})
    assert r.url == "/xac-minh/" and r.cookies["co_chu"].value == "lon"
    assert 'class="chu-lon"' in client.get("/xac-minh/").content.decode()
    r = client.post(reverse("text_size"), {"co_chu": "lon", "next": "https://evil.example/"})
    assert r.url == "/"


def test_load_demo_loads_the_95_communes_and_is_idempotent(db):
    from django.core.management import call_command

    from community.models import Commune

    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert Commune.objects.count() == 95
    assert Commune.objects.filter(kind="phuong").count() == 33
    assert Commune.objects.filter(group="I").count() == 23
    loc_ninh = Commune.objects.get(code="25270")
    assert loc_ninh.kind == "phuong" and loc_ninh.group == "II" and str(loc_ninh.kind_since) == "2026-04-30"
    assert Commune.objects.get(code="26041").name == "Trấn Biên"
