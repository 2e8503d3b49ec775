import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from certificates import codes
from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_issue, certificate_pdf, certificate_revoke
from tests.factories import OfficialFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def issue(resident):
    cert, _ = certificate_issue(resident=resident, kind="co_ban", evidence={"attempt": "x"}, framework_label="f v1", rule_label="r1")
    return cert


def test_code_has_at_least_64_random_bits_and_a_check_character():
    code = codes.generate()
    assert len(code) == 16 and set(code) <= set(codes.ALPHABET)
    assert codes.RANDOM_CHARS * 5 >= 64
    assert codes.normalize(codes.display(code).lower()) == code
    assert len({codes.generate() for _ in range(2000)}) == 2000


def test_every_single_character_typo_is_caught_by_the_check_character():
    code = codes.generate()
    for i in range(len(code)):
        for ch in codes.ALPHABET:
            if ch != code[i]:
                with pytest.raises(codes.CodeError, match="gõ nhầm"):
                    codes.normalize(code[:i] + ch + code[i + 1:])


def test_adjacent_swaps_are_caught():
    code = "ABCDEFGHJKLMNPQR"
    code = code[:-1] + codes._check_char(code[:-1])
    for i in range(len(code) - 1):
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
        if swapped != code:
            with pytest.raises(codes.CodeError):
                codes.normalize(swapped)


def test_lookalike_characters_get_a_plain_message():
    with pytest.raises(codes.CodeError, match="không có số 0"):
        codes.normalize("O0I1-AAAA-BBBB-CCCC")


def test_issue_is_idempotent_and_keeps_a_snapshot(resident):
    first, created = certificate_issue(resident=resident, kind="co_ban", evidence={"attempt": "test"})
    again, created_again = certificate_issue(resident=resident, kind="co_ban", evidence={"attempt": "test"})
    assert created and not created_again and first.pk == again.pk
    resident.full_name = "Tên Đã Đổi"
    resident.save()
    first.refresh_from_db()
    assert first.holder_name == "Nguyễn Thị Hồng Nhung" and first.commune_name == "Phường Trấn Biên"


def test_database_allows_only_one_valid_certificate_per_kind(resident):
    from django.db import IntegrityError, transaction

    cert = issue(resident)
    dup = Certificate(code=codes.generate(), kind="co_ban", resident=resident, commune=cert.commune, holder_name="x",
                      holder_birth_year=1960, commune_name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        dup.save()


def test_revoke_by_the_issuing_communes_officer(resident, other_commune):
    cert = issue(resident)
    stranger = OfficialFactory(commune=other_commune).user
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=cert, by=stranger, reason="Sai thông tin")
    officer = OfficialFactory(commune=resident.commune).user
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=cert, by=officer, reason="  ")
    revoked = certificate_revoke(certificate=cert, by=officer, reason="Cấp nhầm người")
    assert revoked.status == CertificateStatus.REVOKED and revoked.revoked_by == officer


def test_province_officer_may_revoke_any(resident):
    cert = issue(resident)
    province = OfficialFactory(level="tinh", commune=None).user
    assert certificate_revoke(certificate=cert, by=province, reason="Gian lận").status == "thu_hoi"


def test_verify_valid_shows_name_commune_date_but_never_birth_year(client, resident):
    cert = issue(resident)
    html = client.get(cert.get_verify_url()).content.decode()
    assert "Còn hiệu lực" in html and "Nguyễn Thị Hồng Nhung" in html and "Phường Trấn Biên" in html
    assert "1962" not in html
    assert cert.issued_at.astimezone().strftime("%d/%m/%Y") in html or "/" in html


def test_verify_json_answers_for_other_systems(client, resident):
    cert = issue(resident)
    data = client.get(cert.get_verify_url() + "?dinh-dang=json").json()
    assert data["status"] == "valid" and data["holder_name"] == "Nguyễn Thị Hồng Nhung"
    assert "birth" not in str(data) and "1962" not in str(data)


def test_verify_revoked_says_so_with_the_date(client, resident):
    cert = issue(resident)
    certificate_revoke(certificate=cert, by=OfficialFactory(level="tinh", commune=None).user, reason="Sai")
    r = client.get(cert.get_verify_url())
    assert "Đã bị thu hồi" in r.content.decode()
    assert client.get(cert.get_verify_url() + "?dinh-dang=json").json()["status"] == "revoked"


def test_verify_not_found_and_typo(client):
    good = codes.generate()
    assert client.get(reverse("certificates:verify_code", args=[good])).status_code == 404
    typo = good[:-1] + ("2" if good[-1] != "2" else "3")
    r = client.get(reverse("certificates:verify_code", args=[typo]))
    assert r.status_code == 400 and "gõ nhầm" in r.content.decode()
    r = client.get(reverse("certificates:verify") + "?ma=abc")
    assert r.status_code == 400 and "16 ký tự" in r.content.decode()


def test_verification_is_rate_limited_per_address(client, settings):
    from django.core.cache import cache

    cache.clear()
    url = reverse("certificates:verify_code", args=[codes.generate()])
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.9").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    assert client.get(url, REMOTE_ADDR="203.0.113.10").status_code == 404
    cache.clear()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_has_name_code_date_and_is_kept(resident, tmp_path):
    cert = issue(resident)
    data = certificate_pdf(certificate=cert)
    assert data.startswith(b"%PDF")
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nguyễn Thị Hồng Nhung" in text
    assert cert.display_code in text
    assert cert.issued_at.astimezone().strftime("năm %Y") in text
    assert "QĐ 757/QĐ-BKHCN" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Be-Vietnam-Pro" in fonts and "DejaVu" not in fonts and "Oblique" not in fonts
    cert.refresh_from_db()
    assert cert.pdf.name
    assert certificate_pdf(certificate=cert) == data  # served from storage, not rendered again


def test_only_the_holder_or_their_officials_can_download(client, resident, other_commune):
    cert = issue(resident)
    url = reverse("certificates:download", args=[cert.code])
    client.force_login(ResidentFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(OfficialFactory(commune=other_commune).user)
    assert client.get(url).status_code == 404
    client.force_login(OfficialFactory(commune=resident.commune).user)
    assert client.get(url).status_code == 200
    client.force_login(resident.user)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_team_certificate_needs_every_required_course_completed_and_checked(resident):
    from certificates.services import team_training_record

    required = [101, 102]
    assert team_training_record(resident=resident, course_id=101, required_course_ids=required, completed=True) is None
    assert team_training_record(resident=resident, course_id=101, required_course_ids=required, check_passed=True) is None
    assert team_training_record(resident=resident, course_id=102, required_course_ids=required, completed=True) is None
    cert = team_training_record(resident=resident, course_id=102, course_title="Chữ ký số",
                                required_course_ids=required, check_passed=True)
    assert cert is not None and cert.kind == "chuyen_sau"
    again = team_training_record(resident=resident, course_id=102, required_course_ids=required, completed=True)
    assert again.pk == cert.pk and Certificate.objects.filter(kind="chuyen_sau").count() == 1
