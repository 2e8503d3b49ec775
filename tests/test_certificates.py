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


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path_factory):
    # Each test stores PDFs in its own folder: other test sessions clean the shared test media folder when they end.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


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


def test_verification_is_rate_limited_per_address(client, rate_limit_minute):
    url = reverse("certificates:verify_code", args=[codes.generate()])
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.9").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    assert client.get(url, REMOTE_ADDR="203.0.113.10").status_code == 404


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


@pytest.mark.skipif(not shutil.which("zbarimg") or not shutil.which("pdftoppm"), reason="needs zbar-tools, poppler")
@pytest.mark.parametrize("dpi", [72, 100, 300])
def test_pdf_qr_decodes_to_the_verification_page_on_a_screen_and_in_print(resident, tmp_path, dpi):
    cert = issue(resident)
    (tmp_path / "c.pdf").write_bytes(certificate_pdf(certificate=cert))
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(tmp_path / "c.pdf"), str(tmp_path / "c")],
                   check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "c.png")], capture_output=True, text=True)
    assert decoded.stdout.strip() == cert.verify_absolute_url


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler")
def test_frame_is_drawn_on_every_page_and_only_the_frame_stays_cached(resident, tmp_path):
    from PIL import Image

    from certificates.pdf import WEIGHTS, _css_text, render_many
    from config.pdf import render_options

    first = issue(resident)
    second = certificate_issue(resident=ResidentFactory(household=resident.household), kind="co_ban", evidence={})[0]
    (tmp_path / "b.pdf").write_bytes(render_many([first, second]))
    subprocess.run(["pdftoppm", "-png", "-r", "25.4", str(tmp_path / "b.pdf"), str(tmp_path / "p")], check=True)
    for page in sorted(tmp_path.glob("p-*.png")):  # one pixel a millimetre
        image = Image.open(page).convert("RGB")
        assert image.getpixel((9, 105)) == (11, 92, 140)  # the blue outer rule, left side
        assert image.getpixel((148, 74)) == (201, 162, 39)  # the gold diamond under the title
    assert len(list(tmp_path.glob("p-*.png"))) == 2
    # The QR codes went with their documents; the shared cache still holds only the stylesheet's frame.
    assert [url.rsplit("/", 1)[-1] for url in render_options(_css_text(), WEIGHTS)["cache"]] == ["pdf_frame.svg"]


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


# ---------------------------------------------------------------- reissue, withdrawal, statistics, PDF storage

def pdf_text(data: bytes, tmp_path) -> str:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_reissue_after_name_correction_replaces_the_old_certificate_and_keeps_history(client, resident):
    from certificates.selectors import certificate_history
    from certificates.services import certificate_reissue

    old = issue(resident)
    resident.full_name = "Nguyễn Thị Hồng Nhung Anh"
    resident.save()
    officer = OfficialFactory(commune=resident.commune).user
    new = certificate_reissue(certificate=old, by=officer, reason="Sửa họ tên theo căn cước")
    old.refresh_from_db()
    assert old.status == CertificateStatus.REPLACED and old.reissued_by == officer and old.reissue_reason
    assert new.status == CertificateStatus.VALID and new.code != old.code and new.replaces_id == old.pk
    assert new.holder_name == "Nguyễn Thị Hồng Nhung Anh" and new.kind == old.kind and new.evidence == old.evidence
    assert new.pdf.name  # rendered at once
    assert [c.pk for c in certificate_history(old)] == [old.pk, new.pk]
    html = client.get(old.get_verify_url()).content.decode()
    assert "Đã được cấp lại" in html and new.display_code not in html and "1962" not in html
    assert client.get(old.get_verify_url() + "?dinh-dang=json").json()["status"] == "replaced"
    assert client.get(new.get_verify_url() + "?dinh-dang=json").json()["holder_name"] == "Nguyễn Thị Hồng Nhung Anh"


def test_reissue_needs_a_reason_the_right_officer_and_a_valid_certificate(resident, other_commune):
    from certificates.services import certificate_reissue

    cert = issue(resident)
    with pytest.raises(PermissionDenied):
        certificate_reissue(certificate=cert, by=OfficialFactory(commune=other_commune).user, reason="Sửa tên")
    officer = OfficialFactory(commune=resident.commune).user
    with pytest.raises(ValidationError, match="lý do"):
        certificate_reissue(certificate=cert, by=officer, reason=" ")
    certificate_revoke(certificate=cert, by=officer, reason="Cấp nhầm")
    with pytest.raises(ValidationError, match="còn hiệu lực"):
        certificate_reissue(certificate=cert, by=officer, reason="Sửa tên")
    assert Certificate.objects.count() == 1


def test_withdrawal_for_data_deletion_blanks_the_snapshot_and_verifies_without_personal_data(client, resident):
    from certificates.services import certificate_withdraw_for_deletion

    cert = issue(resident)
    certificate_pdf(certificate=cert)
    cert.refresh_from_db()
    stored = cert.pdf.name
    assert certificate_withdraw_for_deletion(resident=resident) == 1
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.WITHDRAWN and cert.withdrawn_at
    assert cert.holder_name == "" and cert.holder_birth_year is None and cert.resident_id is None and not cert.pdf
    assert cert.commune_name == "Phường Trấn Biên" and cert.evidence == {}
    assert stored  # the file itself is deleted on commit
    r = client.get(cert.get_verify_url())
    html = r.content.decode()
    assert r.status_code == 200 and "Đã rút" in html and "yêu cầu xóa dữ liệu" in html
    assert "Nguyễn Thị Hồng Nhung" not in html and "1962" not in html
    data = client.get(cert.get_verify_url() + "?dinh-dang=json").json()
    assert data["status"] == "withdrawn" and "holder_name" not in data
    resident.delete()  # nothing protects the resident any more
    assert Certificate.objects.filter(pk=cert.pk).exists()


def test_withdrawn_file_is_deleted_from_storage(resident, django_capture_on_commit_callbacks):
    from certificates.services import certificate_withdraw_for_deletion

    cert = issue(resident)
    certificate_pdf(certificate=cert)
    cert.refresh_from_db()
    storage, name = cert.pdf.storage, cert.pdf.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_withdraw_for_deletion(resident=resident)
    assert not storage.exists(name)


def test_revoking_a_certificate_lowers_commune_coverage(resident):
    from reports.selectors import commune_coverage

    cert = issue(resident)
    before = commune_coverage(commune=resident.commune)
    assert before["covered"] == 1
    certificate_revoke(certificate=cert, by=OfficialFactory(commune=resident.commune).user, reason="Gian lận")
    after = commune_coverage(commune=resident.commune)
    assert after["covered"] == 0 and after["households"] == before["households"]


def test_verification_never_renders_a_pdf_and_sets_cache_headers(client, resident):
    cert = issue(resident)
    r = client.get(cert.get_verify_url())
    assert "max-age=60" in r["Cache-Control"] and "private" in r["Cache-Control"] and "Accept" in r["Vary"]
    j = client.get(cert.get_verify_url() + "?dinh-dang=json")
    assert "public" in j["Cache-Control"]
    cert.refresh_from_db()
    assert not cert.pdf


def test_rate_limited_answer_is_friendly_and_not_cached(client, rate_limit_minute):
    url = reverse("certificates:verify_code", args=[codes.generate()])
    for _ in range(30):
        client.get(url, REMOTE_ADDR="203.0.113.77")
    r = client.get(url, REMOTE_ADDR="203.0.113.77")
    assert r.status_code == 429 and r["Retry-After"] == "60" and "no-store" in r["Cache-Control"]
    assert "đợi khoảng một phút" in r.content.decode()


def test_shared_verification_link_previews_with_the_holders_name_but_no_birth_year(client, resident):
    cert = issue(resident)
    html = client.get(cert.get_verify_url()).content.decode()
    assert '<meta property="og:title" content="Giấy chứng nhận của Nguyễn Thị Hồng Nhung">' in html
    assert 'property="og:description"' in html and "Phường Trấn Biên" in html
    head = html.split("</head>")[0]
    assert "1962" not in head


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_is_rendered_again_only_when_missing(resident, tmp_path):
    cert = issue(resident)
    first = certificate_pdf(certificate=cert)
    cert.refresh_from_db()
    name = cert.pdf.name
    cert.pdf.storage.delete(name)
    again = certificate_pdf(certificate=cert)
    assert again.startswith(b"%PDF") and cert.pdf.storage.exists(cert.pdf.name)
    assert cert.display_code in pdf_text(again, tmp_path) and first != b""


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_revoked_certificate_pdf_is_stamped_when_downloaded_again(resident, tmp_path):
    cert = issue(resident)
    assert "Đã thu hồi" not in pdf_text(certificate_pdf(certificate=cert), tmp_path)
    revoked = certificate_revoke(certificate=cert, by=OfficialFactory(commune=resident.commune).user, reason="Sai")
    assert not revoked.pdf
    assert "Đã thu hồi ngày" in pdf_text(certificate_pdf(certificate=revoked), tmp_path)


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils not installed")
def test_signature_image_and_signer_from_settings_appear_in_the_pdf(resident, tmp_path):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    from certificates.models import CertificateSettings

    def count_images(data):
        pdf = tmp_path / "i.pdf"
        pdf.write_bytes(data)
        out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        return len(out.strip().splitlines()) - 2  # two header lines

    cert = issue(resident)
    assert count_images(certificate_pdf(certificate=cert)) == 1  # the QR code only
    buf = io.BytesIO()
    PILImage.new("RGBA", (300, 120), (20, 40, 160, 255)).save(buf, "PNG")
    img = Image.objects.create(title="Chữ ký", file=ImageFile(buf, name="chu-ky.png"))
    conf = CertificateSettings.load()
    conf.signer_name = "Trần Văn Quốc"
    conf.signer_title = "KT. GIÁM ĐỐC"
    conf.signature_image = img
    conf.save()
    other = certificate_issue(resident=ResidentFactory(household=resident.household, full_name="Lê Văn Tám"),
                              kind="co_ban", evidence={})[0]
    data = certificate_pdf(certificate=other)
    assert count_images(data) >= 2
    text = pdf_text(data, tmp_path)
    assert "Trần Văn Quốc" in text and "KT. GIÁM ĐỐC" in text
