"""Demo logins and a demo ward. Lives in the top layer because it touches every app."""
from django.contrib.auth.models import Group
from django.db import transaction

from cms.services import REVIEWER_GROUP, TRAINER_GROUP
from community.models import (
    Commune, Household, MembershipRole, Official, OfficialLevel, Resident, Team, TeamMembership, User,
)

DEMO_PASSWORD = "HocVuSo@2026"
DEMO_COMMUNE_CODE = "26041"  # phường Trấn Biên, the provincial centre
HAMLETS = ["Khu phố 1", "Khu phố 2", "Khu phố 3"]


def _user(*, login: str, first_name: str, last_name: str, is_staff: bool = False) -> User:
    lookup = {"email": login} if "@" in login else {"phone": login}
    user = User.objects.filter(**lookup).first()
    if user is None:
        user = User.objects.create_user(password=DEMO_PASSWORD, first_name=first_name, last_name=last_name,
                                        is_staff=is_staff, **lookup)
    return user


@transaction.atomic
def ensure_demo_people() -> list[tuple[str, str, str]]:
    ward = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    households = []
    for h, hamlet in enumerate(HAMLETS, start=1):
        for n in range(1, 11):
            hh, _ = Household.objects.get_or_create(
                commune=ward, code=f"KP{h}-{n:03d}", defaults={"hamlet": hamlet, "address": f"Số {n * 7}, {hamlet}"}
            )
            households.append(hh)
    team, _ = Team.objects.get_or_create(commune=ward, defaults={"name": f"Tổ Công nghệ số cộng đồng {ward}"})

    def resident(user, name, year, household, gender):
        r = Resident.objects.filter(user=user).first()
        if r is None:
            r = Resident.objects.create(user=user, full_name=name, birth_year=year, household=household, commune=ward,
                                        gender=gender, phone=user.phone)
        return r

    u_res = _user(login="+84901234567", first_name="Nhung", last_name="Nguyễn Thị Hồng")
    resident(u_res, "Nguyễn Thị Hồng Nhung", 1962, households[0], "nu")
    u_mem = _user(login="+84902345678", first_name="Minh", last_name="Trần Văn")
    member = resident(u_mem, "Trần Văn Minh", 1990, households[11], "nam")
    TeamMembership.objects.get_or_create(team=team, resident=member, left_on=None, defaults={"role": MembershipRole.LEADER})
    u_trainer = _user(login="giangvien@hocvuso.vn", first_name="Lan", last_name="Phạm Thị", is_staff=False)
    u_trainer.groups.add(Group.objects.get(name=TRAINER_GROUP))
    u_reviewer = _user(login="duyet@hocvuso.vn", first_name="Hải", last_name="Võ Thanh")
    u_reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    u_commune = _user(login="canbo.tranbien@hocvuso.vn", first_name="Tuấn", last_name="Lê Anh")
    Official.objects.get_or_create(user=u_commune, defaults={"level": OfficialLevel.COMMUNE, "commune": ward,
                                                              "title": "Công chức Văn hóa – Xã hội"})
    u_province = _user(login="so.khcn@hocvuso.vn", first_name="Hương", last_name="Đỗ Thu")
    Official.objects.get_or_create(user=u_province, defaults={"level": OfficialLevel.PROVINCE, "title": "Chuyên viên Sở KH&CN"})
    admin = User.objects.filter(email="admin@hocvuso.vn").first()
    if admin is None:
        User.objects.create_superuser(email="admin@hocvuso.vn", password=DEMO_PASSWORD, first_name="Quản trị")
    return [
        ("Người dân", "0901 234 567", "Nguyễn Thị Hồng Nhung, hộ KP1-001 phường Trấn Biên"),
        ("Thành viên Tổ CNSCĐ", "0902 345 678", "Trần Văn Minh, tổ trưởng phường Trấn Biên"),
        ("Giảng viên", "giangvien@hocvuso.vn", "soạn bài, gửi duyệt (/quan-tri/)"),
        ("Duyệt nội dung", "duyet@hocvuso.vn", "duyệt và xuất bản bài"),
        ("Cán bộ phường", "canbo.tranbien@hocvuso.vn", "thống kê phường Trấn Biên"),
        ("Cán bộ Sở KH&CN", "so.khcn@hocvuso.vn", "thống kê toàn tỉnh"),
        ("Quản trị", "admin@hocvuso.vn", "toàn quyền"),
    ]


DEMO_SPREAD_COMMUNES = ["26041", "26068", "25195", "26080", "25222", "26368", "25270", "26425"]


@transaction.atomic
def ensure_demo_spread() -> int:
    """A modest, reproducible spread of households, residents, indicators and certificates over a few communes so the
    dashboards are not empty. Certificates go through the real service, with evidence saying they are demo data."""
    import datetime
    import random

    from django.utils import timezone

    from certificates.services import certificate_issue
    from community.models import Campaign
    from community.services import support_activity_record

    rng = random.Random(2026)
    start = timezone.make_aware(datetime.datetime(2026, 1, 5, 8))
    created = 0
    for code in DEMO_SPREAD_COMMUNES:
        commune = Commune.objects.filter(code=code).first()
        if commune is None or Household.objects.filter(commune=commune, code__startswith="DM-").exists():
            continue
        team, _ = Team.objects.get_or_create(commune=commune, defaults={"name": f"Tổ Công nghệ số cộng đồng {commune}"})
        for n in range(1, rng.randint(25, 45)):
            hamlet = f"{'Khu phố' if commune.kind == 'phuong' else 'Ấp'} {rng.randint(1, 6)}"
            # The commune's list as imported at the start of the year, so month-by-month figures have a base.
            hh = Household.objects.create(commune=commune, code=f"DM-{n:03d}", hamlet=hamlet, address=f"Số {n}, {hamlet}",
                                          created_at=start)
            for k in range(rng.randint(2, 5)):
                def maybe(p):
                    return datetime.date(2026, rng.randint(1, 10), rng.randint(1, 28)) if rng.random() < p else None

                r = Resident.objects.create(
                    household=hh, commune=commune, full_name=f"Người dân mẫu {code}-{n}-{k + 1}",
                    birth_year=rng.randint(1945, 2015), gender=rng.choice(["nam", "nu"]), created_at=start,
                    eid_level2_on=maybe(0.6), eid_level2_source="nhap_file", signature_on=maybe(0.2),
                    signature_source="nhap_file", epayment_on=maybe(0.5), epayment_source="nhap_file",
                )
                created += 1
                if rng.random() < 0.35:
                    certificate_issue(resident=r, kind="co_ban", evidence={"demo": True})
                if n <= 4 and k == 0:
                    TeamMembership.objects.get_or_create(team=team, resident=r, left_on=None)
                    if rng.random() < 0.6:
                        certificate_issue(resident=r, kind="chuyen_sau", evidence={"demo": True})
    ward = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    if not Campaign.objects.filter(commune=ward).exists():
        campaign = Campaign.objects.create(commune=ward, kind="cuoi_tuan", name="Ngày cuối tuần chuyển đổi số tháng 11",
                                           starts_on=datetime.date(2026, 11, 7), ends_on=datetime.date(2026, 11, 8),
                                           place="Nhà văn hóa Khu phố 2")
        member = Resident.objects.filter(user__phone="+84902345678").first()
        if member:
            for r in Resident.objects.filter(commune=ward, household__code__startswith="DM-")[:6]:
                support_activity_record(member=member, resident=r, kind="chu_ky_so", campaign=campaign,
                                        done_on=min(campaign.starts_on, datetime.date.today()))
    return created
