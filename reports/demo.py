"""Demo logins and a demo ward. Lives in the top layer because it touches every app."""
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from cms.models import CourseIndexPage
from community.models import (
    Commune, Household, MembershipRole, Official, OfficialLevel, Resident, Team, TeamMembership, User,
)

DEMO_PASSWORD = "HocVuSo@2026"
DEMO_COMMUNE_CODE = "26041"  # phường Trấn Biên, the provincial centre
HAMLETS = ["Khu phố 1", "Khu phố 2", "Khu phố 3"]

TRAINER_GROUP = "Giảng viên"
REVIEWER_GROUP = "Duyệt nội dung"


def _user(*, login: str, first_name: str, last_name: str, is_staff: bool = False) -> User:
    lookup = {"email": login} if "@" in login else {"phone": login}
    user = User.objects.filter(**lookup).first()
    if user is None:
        user = User.objects.create_user(password=DEMO_PASSWORD, first_name=first_name, last_name=last_name,
                                        is_staff=is_staff, **lookup)
    return user


@transaction.atomic
def ensure_groups() -> None:
    index = CourseIndexPage.objects.first()
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    item_perms = Permission.objects.filter(content_type__app_label="assessment", content_type__model="item")
    image_perms = Permission.objects.filter(content_type__app_label="wagtailimages", codename__in=["add_image", "choose_image"])
    for name, page_perms in [(TRAINER_GROUP, ["add_page", "change_page"]),
                             (REVIEWER_GROUP, ["add_page", "change_page", "publish_page"])]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(admin_access, *item_perms, *image_perms)
        if index is not None:
            for codename in page_perms:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index, permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                )


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
