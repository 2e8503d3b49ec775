"""Dashboards, quarterly reports, exports, targets, groups and awards: what each role sees and may change."""
import datetime
import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_issue, certificate_revoke
from community.models import Commune
from reports.models import QuarterlyReport, Target
from reports.services import report_submit
from tests.factories import HouseholdFactory, OfficialFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communes(commune, other_commune):
    """Trấn Biên: 2 households, one covered. Bù Gia Mập: 1 household, covered, with a resident named Người Bù Gia Mập."""
    a = ResidentFactory(household=HouseholdFactory(commune=commune, hamlet="Khu phố 1"), full_name="Người Trấn Biên")
    HouseholdFactory(commune=commune, hamlet="Khu phố 2")
    b = ResidentFactory(household=HouseholdFactory(commune=other_commune, hamlet="Ấp Bù Gia"), full_name="Người Bù Gia Mập")
    for r in (a, b):
        certificate_issue(resident=r, kind="co_ban", evidence={"test": True})
    return commune, other_commune


@pytest.fixture
def province_client(client):
    client.force_login(OfficialFactory(level="tinh", commune=None).user)
    return client


@pytest.fixture
def officer(commune):
    return OfficialFactory(commune=commune).user


def _xlsx_text(content: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


# Dashboards -----------------------------------------------------------------------------------------------------

def test_province_dashboard_has_table_charts_with_tables_and_a_clickable_map(province_client, two_communes):
    from community.demo import load_communes

    load_communes()
    html = province_client.get(reverse("reports:province")).content.decode()
    assert html.count('<svg class="chart"') == 2 and "Số liệu của biểu đồ diễn biến" in html
    assert f'href="{reverse("reports:commune", args=["26041"])}"><path' in html
    assert html.count("<path ") == 95 and "giấy phép MIT" in html
    assert "https://" not in html.split("<main")[1].split("</main>")[0].replace("https://github", "")


def test_province_table_filters_by_group_and_below_target(province_client, two_communes):
    html = province_client.get(reverse("reports:province") + "?nhom=II").content.decode()
    assert 'data-commune="25222"' in html and 'data-commune="26041"' not in html
    # Trấn Biên covers 1 of 2 households (50% < 85%); Bù Gia Mập 1 of 1.
    html = province_client.get(reverse("reports:province") + "?duoi_chi_tieu=household_coverage").content.decode()
    assert 'data-commune="26041"' in html and 'data-commune="25222"' not in html
    html = province_client.get(reverse("reports:province") + "?sap_xep=household_coverage&giam=1").content.decode()
    assert html.index('data-commune="25222"') < html.index('data-commune="26041"')


def test_commune_dashboard_shows_hamlets_and_team(client, two_communes, officer):
    client.force_login(officer)
    html = client.get(reverse("reports:commune", args=["26041"])).content.decode()
    assert "1/2 hộ" in html and "Khu phố 2" in html and "Tổ Công nghệ số cộng đồng" in html


# Role scoping of every page and export ----------------------------------------------------------------------------

def test_commune_officer_gets_404_or_403_for_another_commune_everywhere(client, two_communes, officer, other_commune):
    other_report = report_submit(commune=other_commune, year=2026, quarter=1, by=OfficialFactory(commune=other_commune).user)
    client.force_login(officer)
    for name, args in [("reports:commune", ["25222"]), ("reports:commune_xlsx", ["25222"]),
                       ("reports:commune_quarter", ["25222"]), ("reports:report_xlsx", [other_report.pk]),
                       ("reports:report_pdf", [other_report.pk])]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args in [("reports:province", []), ("reports:province_xlsx", []), ("reports:province_quarter", []),
                       ("reports:awards", []), ("reports:targets", [2026]), ("reports:commune_group", ["26041"])]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    own = _xlsx_text(client.get(reverse("reports:commune_xlsx", args=["26041"])).content)
    assert "Khu phố 1" in own and "Bù Gia" not in own


def test_residents_and_team_members_see_no_statistics(client, resident, two_communes):
    client.force_login(resident.user)
    for name, args in [("reports:commune", [resident.commune.code]), ("reports:province", []),
                       ("reports:commune_xlsx", [resident.commune.code]), ("reports:awards", [])]:
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_province_export_lists_every_commune(province_client, two_communes):
    text = _xlsx_text(province_client.get(reverse("reports:province_xlsx")).content)
    assert "Trấn Biên" in text and "Bù Gia Mập" in text and "Toàn tỉnh" in text


# Quarterly reports ----------------------------------------------------------------------------------------------

def test_submitted_report_is_a_frozen_snapshot(client, two_communes, officer, commune):
    year, quarter = timezone.localdate().year, (timezone.localdate().month - 1) // 3 + 1
    client.force_login(officer)
    url = reverse("reports:commune_quarter", args=[commune.code])
    r = client.post(url, {"year": year, "quarter": quarter, "note": "Đã rà soát", "confirm": "on"})
    assert r.status_code == 302
    report = QuarterlyReport.objects.get(commune=commune)
    assert report.snapshot["counts"]["covered"] == 1 and report.submitted_by == officer
    # Later changes: another certificate, the first one revoked — the submitted figures do not move.
    HouseholdFactory(commune=commune)
    certificate_issue(resident=ResidentFactory(household=HouseholdFactory(commune=commune)), kind="co_ban", evidence={})
    report.refresh_from_db()
    assert report.snapshot["counts"] == {**report.snapshot["counts"], "covered": 1, "households": 2}
    html = client.get(f"{url}?nam={year}&quy={quarter}").content.decode()
    assert "1/2" not in html or "Đã nộp" in html
    assert ">1<" in html and ">2<" in html and "data-submitted" in html
    # A second submission is refused with a message, not a 500, and nothing changes.
    r = client.post(url, {"year": year, "quarter": quarter, "confirm": "on"}, follow=True)
    assert "đã nộp báo cáo quý" in r.content.decode() and QuarterlyReport.objects.count() == 1


def test_submit_needs_the_confirmation_box(client, two_communes, officer, commune):
    client.force_login(officer)
    r = client.post(reverse("reports:commune_quarter", args=[commune.code]), {"year": 2026, "quarter": 1})
    assert "Vui lòng đánh dấu xác nhận" in r.content.decode() and not QuarterlyReport.objects.exists()


def test_province_sees_who_submitted_who_is_late_and_consolidates(province_client, two_communes, commune, other_commune):
    from community.models import Household

    Household.objects.update(created_at=timezone.make_aware(datetime.datetime(2026, 1, 1)))
    report_submit(commune=commune, year=2026, quarter=1, by=OfficialFactory(commune=commune).user)
    QuarterlyReport.objects.update(submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10)))
    r = province_client.get(reverse("reports:province_quarter") + "?nam=2026&quy=1")
    html = r.content.decode()
    assert 'data-commune="26041" data-state="dung_han"' in html
    today = timezone.localdate()
    expected = "qua_han" if today > datetime.date(2026, 3, 5) else "chua_den_han"
    assert f'data-commune="25222" data-state="{expected}"' in html
    assert r.context["consolidated"]["counts"]["households"] == 2
    xlsx = _xlsx_text(province_client.get(reverse("reports:province_quarter") + "?nam=2026&quy=1&dinh_dang=xlsx").content)
    assert "Trấn Biên" in xlsx and "Bù Gia Mập" not in xlsx


def test_report_pdf_is_printable_with_vietnamese_text(client, two_communes, officer, commune, tmp_path):
    report = report_submit(commune=commune, year=2026, quarter=1, by=officer)
    client.force_login(officer)
    r = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert r["Content-Type"] == "application/pdf"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Báo cáo quý 1/2026" in text and "Hộ có người thành thạo kỹ năng số cơ bản" in text


# Settings of the province officer --------------------------------------------------------------------------------

def test_province_officer_changes_a_group_and_its_targets_follow(province_client, two_communes, commune):
    r = province_client.post(reverse("reports:commune_group", args=[commune.code]), {"group": "III"})
    assert "Nhóm không hợp lệ" in r.content.decode()
    province_client.post(reverse("reports:commune_group", args=[commune.code]), {"group": "II"})
    assert Commune.objects.get(pk=commune.pk).group == "II"


def test_targets_are_editable_per_year_with_validation(province_client):
    url = reverse("reports:targets", args=[2027])
    data = {f"{g}__{k}": 50 for g in ("I", "II") for k in
            ("team_training", "household_coverage", "eid_level2", "signature", "epayment")}
    r = province_client.post(url, {**data, "I__signature": 140})
    assert "không được lớn hơn 100%" in r.content.decode() and not Target.objects.exists()
    province_client.post(url, {**data, "I__signature": 40})
    assert Target.objects.get(year=2027, group="I", indicator="signature").percent == 40
    assert not Target.objects.filter(year=2026).exists()


def test_awards_rank_from_recorded_data_with_criteria(province_client, two_communes, commune):
    star = ResidentFactory(household=HouseholdFactory(commune=commune), full_name="Ngôi Sao Số",
                           eid_level2_on=datetime.date(2026, 1, 1), signature_on=datetime.date(2026, 1, 1))
    certificate_issue(resident=star, kind="co_ban", evidence={})
    revoked_holder = ResidentFactory(household=HouseholdFactory(commune=commune), full_name="Đã Thu Hồi",
                                     eid_level2_on=datetime.date(2026, 1, 1))
    cert, _ = certificate_issue(resident=revoked_holder, kind="co_ban", evidence={})
    certificate_revoke(certificate=cert, by=OfficialFactory(level="tinh", commune=None).user, reason="Sai")
    r = province_client.get(reverse("reports:awards") + f"?nam={timezone.localdate().year}")
    citizens = [c.full_name for c in r.context["citizens"]]
    assert citizens[0] == "Ngôi Sao Số" and "Đã Thu Hồi" not in citizens
    assert "Xếp theo" in r.content.decode()


def test_province_dashboard_reads_a_fresh_snapshot_and_recomputes_a_stale_one(province_client, two_communes, commune):
    from reports.models import StatsSnapshot

    url = reverse("reports:province")
    assert province_client.get(url).context["stats"]["total"]["covered"] == 2
    certificate_issue(resident=ResidentFactory(household=HouseholdFactory(commune=commune)), kind="co_ban", evidence={})
    assert province_client.get(url).context["stats"]["total"]["covered"] == 2  # within the freshness window
    StatsSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(hours=1))
    assert province_client.get(url).context["stats"]["total"]["covered"] == 3


def test_stale_province_figures_are_shown_with_their_time_while_the_worker_recounts(province_client, two_communes,
                                                                                    commune, settings):
    from django.core.cache import cache
    from django_tasks import task_backends

    from reports.models import StatsSnapshot
    from reports.tasks import refresh_snapshot

    cache.clear()
    url = reverse("reports:province")
    assert province_client.get(url).context["stats"]["total"]["covered"] == 2  # the first view of a date computes
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    certificate_issue(resident=ResidentFactory(household=HouseholdFactory(commune=commune)), kind="co_ban", evidence={})
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    StatsSnapshot.objects.filter(on=timezone.localdate()).update(computed_at=an_hour_ago)

    r = province_client.get(url)
    page = r.content.decode()
    assert r.context["stats"]["total"]["covered"] == 2 and r.context["recounting"]
    assert f"tính lúc {timezone.localtime(an_hour_ago):%H:%M} ngày {timezone.localtime(an_hour_ago):%d/%m/%Y}" in page
    assert "đang tính lại" in page
    province_client.get(url)  # a second look meanwhile queues nothing more
    queued = [t.args for t in task_backends["default"].results if t.task.name == "refresh_snapshot"]
    assert queued == [[timezone.localdate().isoformat()]]

    refresh_snapshot.call(*queued[0])  # what the worker does
    r = province_client.get(url)
    assert r.context["stats"]["total"]["covered"] == 3 and not r.context["recounting"]
    assert "đang tính lại" not in r.content.decode()


def test_recounting_twice_keeps_one_row_per_commune_and_the_command_keeps_figures_fresh(two_communes):
    from django.core.management import call_command

    from reports.models import StatsSnapshot
    from reports.selectors import month_ends, snapshot_is_fresh, stored_snapshots
    from reports.services import stats_snapshot_refresh

    today = timezone.localdate()
    stats_snapshot_refresh(on=today)
    StatsSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(days=2))
    stats_snapshot_refresh(on=today)  # an upsert: a second web server or the timer may recount at the same moment
    assert StatsSnapshot.objects.filter(on=today).count() == Commune.objects.count()
    out = io.StringIO()
    call_command("refresh_stats", stdout=out)
    assert f"ngày {today:%d/%m/%Y} cho {Commune.objects.count()} xã, phường" in out.getvalue()
    stored = stored_snapshots(days=month_ends(today))
    assert set(stored) == set(month_ends(today))
    assert all(snapshot_is_fresh(day, computed_at) for day, (_, computed_at) in stored.items())
    assert sum(counts["covered"] for counts in stored[today][0].values()) == 2
