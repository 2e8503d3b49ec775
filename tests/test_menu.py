"""The main menu shows each role its own links, from one query about the user's roles."""
import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.services import REVIEWER_GROUP, ensure_publishing_setup
from tests.factories import MembershipFactory, OfficialFactory, ResidentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

LINKS = ["Thống kê", "Tổ CNSCĐ", "Chứng nhận", "Chứng nhận của tôi", "Soạn bài"]


def menu_of(user) -> tuple[set[str], int]:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("certificates:verify")).content.decode()
    nav = html[html.index('class="main-nav"'):html.index("</nav>")]
    shown = {text for text in re.findall(r"<a [^>]*>([^<]+)</a>", nav) if text in LINKS}
    roles = [q["sql"] for q in queries.captured_queries
             if any(table in q["sql"] for table in ("community_official", "community_teammembership", "auth_group"))]
    return shown, len(roles)


def test_each_role_sees_its_own_links_from_one_query(commune):
    resident = ResidentFactory(household__commune=commune)
    team = TeamFactory(commune=commune)
    member = MembershipFactory(team=team, resident=ResidentFactory(household__commune=commune))
    former = MembershipFactory(team=team, resident=ResidentFactory(household__commune=commune),
                               left_on=datetime.date(2026, 1, 1))
    ensure_publishing_setup()
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))

    expected = {
        resident.user: {"Chứng nhận của tôi"},
        member.resident.user: {"Tổ CNSCĐ", "Chứng nhận của tôi"},
        former.resident.user: {"Chứng nhận của tôi"},
        OfficialFactory(commune=commune).user: {"Thống kê", "Tổ CNSCĐ", "Chứng nhận"},
        OfficialFactory(level="tinh", commune=None).user: {"Thống kê", "Chứng nhận"},
        reviewer: {"Soạn bài"},
    }
    for user, links in expected.items():
        shown, role_queries = menu_of(user)
        assert shown == links, user
        assert role_queries == 1
