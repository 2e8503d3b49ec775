"""Team pages (assisted mode), campaigns, household requests and imports, each scoped to the user's commune."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.imports import read_file, run_import
from community.models import Campaign, Household, HouseholdJoinRequest, Resident, SupportActivity
from tests.factories import HouseholdFactory, MembershipFactory, OfficialFactory, ResidentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(commune):
    return MembershipFactory(team=TeamFactory(commune=commune),
                             resident=ResidentFactory(household=HouseholdFactory(commune=commune), full_name="Trần Văn Minh")).resident


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def _csv(text: str, name="ds.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# Assisted mode --------------------------------------------------------------------------------------------------

def test_support_at_the_door_sets_the_indicator_and_keeps_the_audit_trail(member_client, member, resident):
    campaign = Campaign.objects.create(commune=resident.commune, kind="cuoi_tuan", name="Cuối tuần tháng 3",
                                       starts_on=datetime.date(2026, 3, 7), ends_on=datetime.date(2026, 3, 8))
    r = member_client.post(reverse("team:resident", args=[resident.pk]),
                           {"kind": "chu_ky_so", "done_on": "07/03/2026", "campaign": campaign.pk})
    assert r.status_code == 302
    resident.refresh_from_db()
    assert (resident.signature_on, resident.signature_source) == (datetime.date(2026, 3, 7), "ho_tro")
    activity = SupportActivity.objects.get(resident=resident)
    assert (activity.member, activity.kind, activity.campaign) == (member, "chu_ky_so", campaign)
    page = member_client.get(reverse("team:campaign", args=[campaign.pk])).content.decode()
    assert "1 lượt hỗ trợ cho 1 người" in page


def test_support_with_a_future_date_is_refused_with_a_message(member_client, resident):
    r = member_client.post(reverse("team:resident", args=[resident.pk]), {"kind": "vneid_muc2", "done_on": "01/01/2099"})
    assert r.status_code == 200 and "không được ở tương lai" in r.content.decode()
    resident.refresh_from_db()
    assert resident.eid_level2_on is None and not SupportActivity.objects.exists()


def test_registering_at_the_door_needs_consent_and_records_it(member_client, member, commune):
    data = {"full_name": "Lê Thị Ba", "birth_year": 1948, "new_household_code": "kp9-001", "hamlet": "Khu phố 9"}
    r = member_client.post(reverse("team:register"), data)
    assert "Cần người dân đồng ý" in r.content.decode() and not Resident.objects.filter(full_name="Lê Thị Ba").exists()
    r = member_client.post(reverse("team:register"), {**data, "consent": "on"})
    ba = Resident.objects.get(full_name="Lê Thị Ba")
    assert r.url == reverse("team:resident", args=[ba.pk])
    assert ba.consent_at is not None and ba.household.code == "KP9-001" and ba.commune == commune and ba.user is None
    assert SupportActivity.objects.get(resident=ba).member == member


def test_skills_test_button_posts_to_the_assisted_start_when_it_exists(member_client, resident):
    from django.urls import NoReverseMatch

    html = member_client.get(reverse("team:resident", args=[resident.pk])).content.decode()
    try:
        url = reverse("assessment:assisted_start", args=[resident.pk, "ky-nang-so-co-ban"])
    except NoReverseMatch:
        assert "Bắt đầu bài kiểm tra" not in html
    else:
        assert f'action="{url}"' in html


def test_team_pages_show_nothing_of_another_commune(member_client, other_commune):
    stranger = ResidentFactory(household=HouseholdFactory(commune=other_commune), full_name="Người Xã Khác")
    campaign = Campaign.objects.create(commune=other_commune, kind="cho_40", name="Chợ", starts_on=datetime.date(2026, 1, 1),
                                       ends_on=datetime.date(2026, 1, 1))
    assert member_client.get(reverse("team:resident", args=[stranger.pk])).status_code == 404
    assert member_client.post(reverse("team:resident", args=[stranger.pk]), {"kind": "thanh_toan", "done_on": "01/01/2026"}).status_code == 404
    assert member_client.get(reverse("team:campaign", args=[campaign.pk])).status_code == 404
    assert "Người Xã Khác" not in member_client.get(reverse("team:home") + "?q=Người").content.decode()


def test_residents_without_a_role_cannot_open_team_pages(resident_client):
    assert resident_client.get(reverse("team:home")).status_code == 403


# Household requests ---------------------------------------------------------------------------------------------

def test_a_request_approved_by_a_team_member_places_the_resident(client, member, commune):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("community:join_request"), {"full_name": "Võ Văn Tư", "birth_year": 1980, "commune": commune.pk,
                                                     "hamlet": "Khu phố 4", "address": "12 Lê Lợi"})
    req = HouseholdJoinRequest.objects.get(user=user)
    client.force_login(member.user)
    client.post(reverse("team:join_requests"), {"request_id": req.pk, "action": "duyet", "new_household_code": "KP4-012"})
    tu = Resident.objects.get(user=user)
    assert tu.household.code == "KP4-012" and tu.household.hamlet == "Khu phố 4"
    req.refresh_from_db()
    assert req.status == "da_duyet" and req.decided_by == member.user


def test_a_member_cannot_decide_another_communes_request(client, member, other_commune):
    req = HouseholdJoinRequest.objects.create(user=UserFactory(), commune=other_commune, full_name="A B", birth_year=1990,
                                              hamlet="Ấp 1", address="x")
    client.force_login(member.user)
    assert client.post(reverse("team:join_requests"), {"request_id": req.pk, "action": "duyet",
                                                       "new_household_code": "X1"}).status_code == 404
    req.refresh_from_db()
    assert req.status == "cho_duyet"


# Imports --------------------------------------------------------------------------------------------------------

HOUSEHOLDS = "Mã xã,Mã hộ,Ấp/Khu phố,Địa chỉ\n26041,KP5-001,Khu phố 5,1 Đồng Khởi\n26041,KP5-002,Khu phố 5,2 Đồng Khởi\n"
RESIDENTS = ("Mã xã,Mã hộ,Họ và tên,Năm sinh,Giới tính,Số điện thoại\n"
             "26041,KP5-001,Phạm Văn An,1970,Nam,0912 345 678\n26041,KP5-001,Phạm Thị Bình,1975,Nữ,\n")


def _import(kind, text, commune_ids, dry_run=False):
    return run_import(kind=kind, data=read_file(_csv(text)), allowed_commune_ids=commune_ids, dry_run=dry_run)


def test_import_saves_nothing_if_any_row_fails_and_says_why_in_vietnamese(commune, other_commune):
    bad = HOUSEHOLDS + "99999,KP5-003,Khu phố 5,\n26041,KP5-001,Khu phố 5,\n25222,KP5-004,,\n"
    result = _import("ho", bad, [commune.pk])
    messages = dict(result["errors"])
    assert "Không có xã/phường mã “99999”" in messages[4][0]
    assert "Trùng mã hộ KP5-001 với dòng 2" in messages[5][0]
    assert "chỉ được nhập dữ liệu của xã/phường mình" in messages[6][0]
    assert not Household.objects.filter(code__startswith="KP5").exists()


def test_impossible_birth_year_and_unknown_household_are_row_errors(commune):
    _import("ho", HOUSEHOLDS, [commune.pk])
    bad = RESIDENTS + "26041,KP5-001,Trẻ Tương Lai,2099,Nam,\n26041,KP9-999,Không Có Hộ,1990,Nữ,\n26041,KP5-002,Sai Số,1990,Nữ,12345\n"
    messages = dict(_import("nguoi", bad, [commune.pk])["errors"])
    assert "Năm sinh 2099 không hợp lý" in messages[4][0]
    assert "Chưa có hộ mã KP9-999" in messages[5][0]
    assert "10 chữ số" in messages[6][0]
    assert not Resident.objects.filter(full_name__startswith="Phạm").exists()


def test_dry_run_previews_and_reimport_updates_instead_of_duplicating(commune):
    preview = _import("ho", HOUSEHOLDS, [commune.pk], dry_run=True)
    assert (preview["new"], preview["errors"]) == (2, []) and not Household.objects.filter(code="KP5-001").exists()
    assert _import("ho", HOUSEHOLDS, [commune.pk])["new"] == 2
    assert _import("nguoi", RESIDENTS, [commune.pk])["new"] == 2
    changed = RESIDENTS.replace("Phạm Thị Bình,1975,Nữ,", "Phạm Thị Bình,1975,Nữ,0987 654 321")
    again = _import("nguoi", changed, [commune.pk])
    assert (again["new"], again["updated"]) == (0, 1)
    assert Resident.objects.filter(full_name__startswith="Phạm").count() == 2
    assert Resident.objects.get(full_name="Phạm Thị Bình").phone == "+84987654321"
    assert Resident.objects.get(full_name="Phạm Văn An").gender == "nam"


def test_import_pages_preview_then_confirm_for_the_commune_officer(client, commune):
    client.force_login(OfficialFactory(commune=commune).user)
    r = client.post(reverse("team:import"), {"kind": "ho", "file": _csv(HOUSEHOLDS)})
    assert "2 dòng mới" in r.content.decode() and not Household.objects.filter(code="KP5-001").exists()
    job_id = r.context["job"].pk
    r = client.post(reverse("team:import_confirm", args=[job_id]))
    assert r.url == reverse("team:import_job", args=[job_id])
    assert Household.objects.filter(commune=commune, code__in=["KP5-001", "KP5-002"]).count() == 2


def test_a_large_file_is_imported_by_the_background_task_with_progress(client, commune, settings):
    import community.imports as imports

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    old = imports.BACKGROUND_ROWS
    imports.BACKGROUND_ROWS = 1
    try:
        client.force_login(OfficialFactory(commune=commune).user)
        r = client.post(reverse("team:import"), {"kind": "ho", "file": _csv(HOUSEHOLDS)})
        job = r.context["job"]
        client.post(reverse("team:import_confirm", args=[job.pk]))
    finally:
        imports.BACKGROUND_ROWS = old
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows) == ("xong", 2, 2)
    assert Household.objects.filter(code="KP5-002").exists()


def test_team_members_and_other_communes_officers_cannot_import(client, member, commune, other_commune):
    client.force_login(member.user)
    assert client.get(reverse("team:import")).status_code == 403
    client.force_login(OfficialFactory(commune=other_commune).user)
    r = client.post(reverse("team:import"), {"kind": "ho", "file": _csv(HOUSEHOLDS)})
    assert "chỉ được nhập dữ liệu của xã/phường mình" in r.content.decode()
    assert not Household.objects.filter(code="KP5-001").exists()
