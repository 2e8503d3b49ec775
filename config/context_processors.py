from django.conf import settings

from community.selectors import active_membership, official_for_user, resident_for_user


def site(request):
    user = getattr(request, "user", None)
    large = request.COOKIES.get("co_chu") == "lon"
    ctx = {"SITE_NAME": "Học vụ số Đồng Nai", "SITE_URL": settings.SITE_URL, "large_text": large}
    if user is not None and user.is_authenticated:
        resident = resident_for_user(user)
        request._resident_cache = resident
        ctx.update(
            nav_resident=resident,
            nav_official=official_for_user(user),
            nav_member=active_membership(resident) is not None,
            nav_trainer=user.is_staff or user.is_superuser or user.groups.filter(name__in=["Giảng viên", "Duyệt nội dung"]).exists(),
        )
    return ctx
