import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_issue, certificate_revoke
from reports.selectors import commune_coverage, province_coverage
from tests.factories import HouseholdFactory, OfficialFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(commune):
    """Four households: two covered (one of them twice), one with a revoked certificate, one with none."""
    h = [HouseholdFactory(commune=commune, hamlet=f"Khu phố {1 + i // 2}") for i in range(4)]
    a1, a2 = ResidentFactory(household=h[0]), ResidentFactory(household=h[0])
    b = ResidentFactory(household=h[1])
    c = ResidentFactory(household=h[2])
    ResidentFactory(household=h[3])
    for r in (a1, a2, b, c):
        certificate_issue(resident=r, kind="co_ban", evidence={"attempt": "test"})
    revoked, _ = certificate_issue(resident=c, kind="co_ban", evidence={"attempt": "test"})
    certificate_revoke(certificate=revoked, by=OfficialFactory(level="tinh", commune=None).user, reason="Sai")
    certificate_issue(resident=ResidentFactory(household=h[3]), kind="chuyen_sau", evidence={"attempt": "test"})  # not basic
    return commune


def test_household_coverage_counts_households_not_people_and_ignores_revoked(ward):
    stats = commune_coverage(commune=ward)
    assert (stats["households"], stats["covered"], stats["percent"]) == (4, 2, 50.0)
    assert stats["target"] == 85 and stats["meets_target"] is False
    assert [(r["hamlet"], r["total"], r["covered"]) for r in stats["by_hamlet"]] == [("Khu phố 1", 2, 2), ("Khu phố 2", 2, 0)]


def test_coverage_on_an_earlier_date_excludes_later_certificates(ward):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    from community.models import Household

    Household.objects.update(created_at=timezone.now() - datetime.timedelta(days=10))
    assert commune_coverage(commune=ward, on=yesterday)["covered"] == 0


def test_rural_commune_uses_group_ii_target(other_commune):
    HouseholdFactory(commune=other_commune)
    assert commune_coverage(commune=other_commune)["target"] == 70


def test_province_rows_match_each_commune(ward, other_commune):
    HouseholdFactory(commune=other_commune)
    rows = {r["commune"].code: r for r in province_coverage()}
    assert (rows["26041"]["households"], rows["26041"]["covered"]) == (4, 2)
    assert (rows["25222"]["households"], rows["25222"]["covered"]) == (1, 0)


def test_commune_officer_sees_own_commune_only(client, ward, other_commune):
    client.force_login(OfficialFactory(commune=ward).user)
    r = client.get(reverse("reports:commune", args=[ward.code]))
    assert r.status_code == 200 and "2/4 hộ" in r.content.decode()
    assert client.get(reverse("reports:commune", args=[other_commune.code])).status_code == 404
    assert client.get(reverse("reports:province")).status_code == 403
    assert client.get(reverse("reports:home")).url == reverse("reports:commune", args=[ward.code])


def test_residents_cannot_see_dashboards(client, resident):
    client.force_login(resident.user)
    assert client.get(reverse("reports:commune", args=[resident.commune.code])).status_code == 403
    assert client.get(reverse("reports:province")).status_code == 403


def test_province_officer_sees_all_and_bad_dates_get_a_message(client, ward, other_commune):
    client.force_login(OfficialFactory(level="tinh", commune=None).user)
    html = client.get(reverse("reports:province")).content.decode()
    assert "Trấn Biên" in html and "Bù Gia Mập" in html
    r = client.get(reverse("reports:commune", args=[other_commune.code]) + "?ngay=31/02/2026")
    assert r.status_code == 200 and "Ngày không hợp lệ" in r.content.decode()
