"""Officials' certificate pages: list, revoke, reissue, export, bulk printing; and the holder's own page."""
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from certificates.models import BulkPrint, Certificate, CertificateStatus
from certificates.services import certificate_issue
from tests.factories import HouseholdFactory, OfficialFactory, ResidentFactory

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def issue(resident):
    return certificate_issue(resident=resident, kind="co_ban", evidence={"attempt": 1})[0]


def certified(commune, n, name="Người Thứ"):
    household = HouseholdFactory(commune=commune)
    return [issue(ResidentFactory(household=household, full_name=f"{name} {i}", user=None)) for i in range(n)]


def pages(data: bytes, tmp_path) -> int:
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


@pytest.fixture
def officer(commune):
    return OfficialFactory(commune=commune).user


@pytest.fixture
def province():
    return OfficialFactory(level="tinh", commune=None).user


def test_commune_officer_sees_only_their_communes_certificates(client, resident, other_commune, officer, province):
    mine = issue(resident)
    theirs = certified(other_commune, 1, name="Hàng Xóm")[0]
    client.force_login(officer)
    html = client.get(reverse("certificates:manage")).content.decode()
    assert mine.holder_name in html and "Hàng Xóm" not in html
    assert client.get(reverse("certificates:manage_detail", args=[theirs.code])).status_code == 404
    client.force_login(province)
    html = client.get(reverse("certificates:manage")).content.decode()
    assert mine.holder_name in html and "Hàng Xóm" in html


def test_residents_and_team_members_cannot_open_the_officials_pages(client, resident):
    client.force_login(resident.user)
    assert client.get(reverse("certificates:manage")).status_code == 403
    assert client.get(reverse("certificates:export_csv")).status_code == 403
    assert client.post(reverse("certificates:bulk_print"), {"cach": "chon"}).status_code == 403


def test_list_filters_by_name_status_and_date(client, resident, officer):
    cert = issue(resident)
    client.force_login(officer)
    url = reverse("certificates:manage")
    assert "Hồng Nhung" in client.get(url, {"q": "hồng"}).content.decode()
    assert "Hồng Nhung" not in client.get(url, {"tinh_trang": "thu_hoi"}).content.decode()
    assert "Hồng Nhung" not in client.get(url, {"tu_ngay": "01/01/2099"}).content.decode()
    r = client.get(url, {"tu_ngay": "2026-01-01"})
    assert r.status_code == 200 and "ngày/tháng/năm" in r.content.decode()
    assert cert.display_code in client.get(url, {"tu_ngay": "01/01/2020"}).content.decode()


def test_officer_revokes_with_a_reason_through_the_page(client, resident, officer, other_commune):
    cert = issue(resident)
    client.force_login(OfficialFactory(commune=other_commune).user)
    url = reverse("certificates:manage_revoke", args=[cert.code])
    assert client.post(url, {"thu-hoi-ly_do": "Sai"}).status_code == 404
    client.force_login(officer)
    r = client.post(url, {"thu-hoi-ly_do": ""})
    assert r.status_code == 400 and "Vui lòng ghi lý do" in r.content.decode()
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.VALID
    r = client.post(url, {"thu-hoi-ly_do": "Cấp nhầm người"}, follow=True)
    assert "Đã thu hồi chứng nhận" in r.content.decode()
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED and cert.revoked_by == officer


def test_officer_reissues_after_a_name_correction_and_sees_the_history(client, resident, officer):
    cert = issue(resident)
    resident.full_name = "Nguyễn Thị Hồng Nhungg"
    resident.save()
    client.force_login(officer)
    r = client.post(reverse("certificates:manage_reissue", args=[cert.code]), {"cap-lai-ly_do": "Sửa họ tên"}, follow=True)
    html = r.content.decode()
    new = Certificate.objects.get(replaces=cert)
    assert "Đã cấp lại" in html and new.display_code in html and "Lịch sử cấp lại" in html and cert.display_code in html
    assert new.holder_name == "Nguyễn Thị Hồng Nhungg"


def test_export_is_scoped_and_holds_only_the_reporting_columns(client, resident, officer, other_commune):
    from openpyxl import load_workbook

    resident.phone = "0901234567"
    resident.save()
    cert = issue(resident)
    certified(other_commune, 2, name="Hàng Xóm")
    client.force_login(officer)
    r = client.get(reverse("certificates:export_csv"))
    text = r.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert r["Content-Type"].startswith("text/csv") and len(lines) == 2
    assert lines[0] == "Mã xác minh,Họ và tên,Năm sinh,Xã/phường,Loại chứng nhận,Ngày cấp,Tình trạng"
    assert cert.display_code in lines[1] and "1962" in lines[1] and "Hàng Xóm" not in text and "0901234567" not in text
    r = client.get(reverse("certificates:export_xlsx"), {"q": "Nhung"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "Nguyễn Thị Hồng Nhung"
    from community.models import ExportLog

    logged = list(ExportLog.objects.order_by("created_at").values_list("user_id", "what", "rows", "file_format"))
    assert logged == [(officer.pk, "Danh sách chứng nhận", 1, "csv"), (officer.pk, "Danh sách chứng nhận", 1, "xlsx")]


@needs_poppler
def test_small_batch_prints_in_the_request_one_page_per_certificate(client, commune, officer, other_commune, tmp_path):
    certs = certified(commune, 3)
    theirs = certified(other_commune, 1)[0]
    client.force_login(officer)
    r = client.post(reverse("certificates:bulk_print"), {"cach": "chon", "chon": [c.code for c in certs] + [theirs.code]})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert pages(r.content, tmp_path) == 3  # the other commune's code was ignored
    text = subprocess.run(["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True).stdout
    assert all(c.holder_name in text for c in certs) and theirs.display_code not in text


@needs_poppler
def test_large_batch_runs_as_a_task_with_progress_and_a_scoped_download(
    client, commune, officer, other_commune, province, tmp_path, django_capture_on_commit_callbacks
):
    certs = certified(commune, 21)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("certificates:bulk_print"), {"cach": "tu_ngay", "tu_ngay": "01/01/2020"})
    job = BulkPrint.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("certificates:bulk_status", args=[job.pk])
    assert job.status == "xong" and job.done == job.total == 21 and job.commune_id == commune.pk
    html = client.get(r["Location"]).content.decode()
    assert "<progress" in html and "21/21" in html and reverse("certificates:bulk_download", args=[job.pk]) in html
    data = client.get(r["Location"], {"dinh-dang": "json"}).json()
    assert data["percent"] == 100 and data["download_url"]
    download = client.get(reverse("certificates:bulk_download", args=[job.pk]))
    assert download.status_code == 200
    assert pages(b"".join(download.streaming_content), tmp_path) == len(certs)
    client.force_login(OfficialFactory(commune=other_commune).user)
    assert client.get(reverse("certificates:bulk_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("certificates:bulk_download", args=[job.pk])).status_code == 404
    client.force_login(province)
    assert client.get(reverse("certificates:bulk_download", args=[job.pk])).status_code == 200


def test_unfinished_batch_page_refreshes_itself(client, commune, officer):
    job = BulkPrint.objects.create(requested_by=officer, commune=commune, certificate_ids=[1, 2], total=40, done=10)
    client.force_login(officer)
    html = client.get(reverse("certificates:bulk_status", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in html and 'value="10"' in html and "10/40" in html


def test_bulk_print_with_nothing_chosen_says_so(client, officer):
    client.force_login(officer)
    r = client.post(reverse("certificates:bulk_print"), {"cach": "chon"}, follow=True)
    assert "Chưa chọn giấy chứng nhận nào" in r.content.decode()
    r = client.post(reverse("certificates:bulk_print"), {"cach": "tu_ngay", "tu_ngay": "31/02/2026"}, follow=True)
    assert "ngày/tháng/năm" in r.content.decode()


def test_resident_sees_their_certificates_with_download_and_share_link(client, resident, commune):
    cert = issue(resident)
    certified(commune, 1, name="Người Khác")
    client.force_login(resident.user)
    html = client.get(reverse("certificates:mine")).content.decode()
    assert cert.display_code in html and reverse("certificates:download", args=[cert.code]) in html
    assert f'value="{cert.verify_absolute_url}"' in html and "Zalo" in html and "js/certificate-share.js" in html
    assert "Người Khác" not in html
    assert "Chứng nhận của tôi" in html  # the nav link


def test_a_deletion_request_removes_the_bulk_print_files_that_hold_the_persons_name(
    client, commune, officer, django_capture_on_commit_callbacks
):
    from certificates.services import WITHDRAWN_FROM_BULK, certificate_withdraw_for_deletion

    certs = certified(commune, 22)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:bulk_print"), {"cach": "tu_ngay", "tu_ngay": "01/01/2020"})
    job = BulkPrint.objects.get()
    storage, name = job.file.storage, job.file.name
    assert job.status == "xong" and storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        certificate_withdraw_for_deletion(resident=certs[3].resident)
    job.refresh_from_db()
    assert not storage.exists(name) and not job.file
    assert (job.status, job.error) == ("loi", WITHDRAWN_FROM_BULK)
    assert client.get(reverse("certificates:bulk_download", args=[job.pk])).status_code == 404
    assert WITHDRAWN_FROM_BULK in client.get(reverse("certificates:bulk_status", args=[job.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # printed again: the withdrawn certificate is left out
        client.post(reverse("certificates:bulk_print"), {"cach": "tu_ngay", "tu_ngay": "01/01/2020"})
    again = BulkPrint.objects.exclude(pk=job.pk).get()
    assert again.status == "xong" and again.total == again.done == 21


def test_a_certificate_withdrawn_while_its_bulk_print_waits_is_left_out(
    client, commune, officer, django_capture_on_commit_callbacks
):
    from certificates.services import certificate_withdraw_for_deletion

    certs = certified(commune, 22)
    client.force_login(officer)
    with django_capture_on_commit_callbacks() as queued:  # the task is queued, not yet run
        client.post(reverse("certificates:bulk_print"), {"cach": "tu_ngay", "tu_ngay": "01/01/2020"})
    assert BulkPrint.objects.get().total == 22
    certificate_withdraw_for_deletion(resident=certs[0].resident)
    for run in queued:
        run()
    job = BulkPrint.objects.get()
    assert job.status == "xong" and job.total == job.done == 21
