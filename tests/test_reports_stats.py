"""Every statistic pinned against numbers computed by hand on a small ward (see the table in `ward_2026`)."""
import datetime

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from community.models import Household, Resident, TeamMembership
from community.services import resident_move_household
from reports.models import Target
from reports.selectors import commune_stats, counts_by_commune, province_stats, quarter_due, totals, trend
from tests.factories import HouseholdFactory, OfficialFactory, ResidentFactory, TeamFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH, MAY, SEPT = D(2026, 3, 31), D(2026, 5, 31), D(2026, 9, 30)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def ward_2026(commune, other_commune):
    """
    households h1, h2 (Khu phố 1), h3, h4 (Khu phố 2), all registered 1/1/2026
    a  h1  born 1990  basic cert 1/2   VNeID 10/1  signature 1/2              team member from 1/1, in-depth cert
    b  h2  born 2015  basic cert 1/2   (a child: neither working age nor adult)
    c  h3  born 1950  basic cert 1/2, revoked 1/4   e-payment 1/3
    d  h4  born 2000  no cert          VNeID 1/5   e-payment 1/5               team member from 1/1, no cert
    m  h4 → h1 on 1/6, born 1985, basic cert 1/2                              team member 1/1 – 1/5, in-depth cert
    other commune (group II): one household, one resident born 1980, VNeID 1/1, no cert
    """
    h = [HouseholdFactory(commune=commune, code=f"H{i}", hamlet=f"Khu phố {1 + (i - 1) // 2}") for i in range(1, 5)]
    a = ResidentFactory(household=h[0], birth_year=1990, eid_level2_on=D(2026, 1, 10), signature_on=D(2026, 2, 1))
    b = ResidentFactory(household=h[1], birth_year=2015)
    c = ResidentFactory(household=h[2], birth_year=1950, epayment_on=D(2026, 3, 1))
    d = ResidentFactory(household=h[3], birth_year=2000, eid_level2_on=D(2026, 5, 1), epayment_on=D(2026, 5, 1))
    m = ResidentFactory(household=h[3], birth_year=1985)
    o = ResidentFactory(household=HouseholdFactory(commune=other_commune), birth_year=1980, eid_level2_on=D(2026, 1, 1))
    Household.objects.update(created_at=_at(D(2026, 1, 1)))
    Resident.objects.update(created_at=_at(D(2026, 1, 1)))
    for r in (a, b, c, m):
        certificate_issue(resident=r, kind="co_ban", evidence={"test": True})
    for r in (a, m):
        certificate_issue(resident=r, kind="chuyen_sau", evidence={"test": True})
    Certificate.objects.update(issued_at=_at(D(2026, 2, 1)))
    certificate_revoke(certificate=Certificate.objects.get(resident=c), by=OfficialFactory(level="tinh", commune=None).user,
                       reason="Cấp nhầm")
    Certificate.objects.filter(resident=c).update(revoked_at=_at(D(2026, 4, 1)))
    team = TeamFactory(commune=commune)
    for r in (a, d, m):
        TeamMembership.objects.create(team=team, resident=r, joined_on=D(2026, 1, 1))
    TeamMembership.objects.filter(resident=m).update(left_on=D(2026, 5, 1))
    resident_move_household(resident=m, household=h[0], on=D(2026, 6, 1))
    return {"h": h, "a": a, "b": b, "c": c, "d": d, "m": m, "o": o}


def _figures(stats):
    return {i["key"]: (i["part"], i["whole"], i["percent"]) for i in stats["indicators"]}


def test_each_indicator_in_september_matches_the_hand_count(ward_2026, commune):
    f = _figures(commune_stats(commune=commune, on=SEPT))
    assert f == {
        "team_training": (1, 2, 50.0),        # a, d active; only a trained (m left in May)
        "household_coverage": (2, 4, 50.0),   # h1 (a, m), h2 (b); h3's certificate revoked; h4's holder moved out
        "eid_level2": (2, 3, 66.7),           # working age 15–60: a, d, m; a and d have VNeID level 2
        "signature": (1, 4, 25.0),            # adults a, c, d, m; a signs
        "epayment": (2, 4, 50.0),             # c and d pay electronically
    }


def test_an_earlier_date_counts_the_household_the_mover_lived_in_then(ward_2026, commune):
    f = _figures(commune_stats(commune=commune, on=MAY))
    assert f["household_coverage"] == (3, 4, 75.0)  # h4 still held m in May
    assert f["team_training"] == (1, 2, 50.0)       # m left on 1/5
    assert f["eid_level2"] == (2, 3, 66.7)


def test_a_revoked_certificate_counts_before_its_revocation_only(ward_2026, commune):
    f = _figures(commune_stats(commune=commune, on=MARCH))
    assert f["household_coverage"] == (4, 4, 100.0)
    assert f["team_training"] == (2, 3, 66.7)
    assert f["eid_level2"] == (1, 3, 33.3)
    assert f["epayment"] == (1, 4, 25.0)


def test_nothing_counts_before_the_registry_existed(ward_2026, commune):
    f = _figures(commune_stats(commune=commune, on=D(2025, 12, 31)))
    assert f["household_coverage"] == (0, 0, None) and f["eid_level2"] == (0, 0, None)


def test_moving_later_does_not_change_an_earlier_figure(ward_2026, commune):
    before = _figures(commune_stats(commune=commune, on=MAY))
    resident_move_household(resident=ward_2026["a"], household=ward_2026["h"][2], on=D(2026, 10, 1))
    assert _figures(commune_stats(commune=commune, on=MAY)) == before
    assert _figures(commune_stats(commune=commune, on=D(2026, 10, 2)))["household_coverage"] == (3, 4, 75.0)


def test_by_hamlet_splits_households_and_people(ward_2026, commune):
    hamlets = {h["hamlet"]: h for h in commune_stats(commune=commune, on=SEPT)["by_hamlet"]}
    assert (hamlets["Khu phố 1"]["households"], hamlets["Khu phố 1"]["covered"]) == (2, 2)
    assert (hamlets["Khu phố 2"]["households"], hamlets["Khu phố 2"]["covered"]) == (2, 0)
    assert hamlets["Khu phố 1"]["adults"] == 2  # a and m (b is a child)


def test_targets_follow_the_commune_group_and_can_be_changed_per_year(ward_2026, commune, other_commune):
    f = {i["key"]: i for i in commune_stats(commune=commune, on=SEPT)["indicators"]}
    assert (f["household_coverage"]["target"], f["household_coverage"]["meets"]) == (85, False)
    assert (f["signature"]["target"], f["signature"]["meets"]) == (30, False)
    Target.objects.create(year=2026, group="I", indicator="signature", percent=20)
    f = {i["key"]: i for i in commune_stats(commune=commune, on=SEPT)["indicators"]}
    assert (f["signature"]["target"], f["signature"]["meets"]) == (20, True)
    g = {i["key"]: i for i in commune_stats(commune=other_commune, on=SEPT)["indicators"]}
    assert (g["household_coverage"]["target"], g["signature"]["target"]) == (70, 15)


def test_group_and_province_totals_add_up_the_communes(ward_2026):
    s = province_stats(on=SEPT)
    groups = {g["group"]: {i["key"]: (i["part"], i["whole"]) for i in g["indicators"]} for g in s["groups"]}
    assert groups["I"]["eid_level2"] == (2, 3) and groups["II"]["eid_level2"] == (1, 1)
    province = {i["key"]: (i["part"], i["whole"]) for i in s["indicators"]}
    assert province["household_coverage"] == (2, 5) and province["eid_level2"] == (3, 4)
    assert totals(on=SEPT) == s["total"]


def test_grouped_and_ungrouped_queries_agree(ward_2026, commune):
    assert totals(on=MAY, commune=commune) == counts_by_commune(on=MAY, commune_ids=[commune.pk])[commune.pk]


def test_trend_gives_each_month_end_of_the_year(ward_2026, commune):
    months = trend(on=SEPT, commune=commune)
    assert [m["on"] for m in months][:3] == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)] and len(months) == 9
    coverage = [m["indicators"][1]["part"] for m in months]
    assert coverage == [0, 4, 4, 3, 3, 2, 2, 2, 2]


def test_statistics_use_a_fixed_number_of_queries(ward_2026, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        province_stats(on=SEPT)


def test_quarterly_report_is_due_the_fifth_of_the_last_month():
    assert quarter_due(2026, 2) == D(2026, 6, 5) and quarter_due(2026, 4) == D(2026, 12, 5)
