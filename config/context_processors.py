from django.conf import settings

from cms.services import REVIEWER_GROUP, TRAINER_GROUP
from community.selectors import menu_roles, resident_for_user


def site(request):
    user = getattr(request, "user", None)
    large = request.COOKIES.get("co_chu") == "lon"
    ctx = {"SITE_NAME": "Học vụ số Đồng Nai", "SITE_URL": settings.SITE_URL, "large_text": large}
    if user is not None and user.is_authenticated:
        if not hasattr(request, "_resident_cache"):  # a lesson page has read it already
            request._resident_cache = resident_for_user(user)
        roles = menu_roles(user, trainer_groups=[TRAINER_GROUP, REVIEWER_GROUP])
        ctx.update(
            nav_resident=request._resident_cache,
            nav_official=roles["is_official"],
            nav_official_commune=roles["official_commune"],
            nav_member=roles["is_member"],
            nav_trainer=user.is_staff or user.is_superuser or roles["is_trainer"],
        )
    return ctx
