from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .selectors import official_for_user, resident_for_user


def resident_required(view):
    """The view gets request.resident; a signed-in user without one is sent to join a household first."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        resident = resident_for_user(request.user)
        if resident is None or resident.household_id is None:
            messages.info(request, "Vui lòng cho biết bạn ở xã/phường nào và mã hộ gia đình trước khi học.")
            return redirect("community:join_household")
        request.resident = resident
        return view(request, *args, **kwargs)

    return wrapper


def official_required(view):
    """Commune or province officers only; request.official is set (None for superusers)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        official = official_for_user(request.user)
        if official is None and not request.user.is_superuser:
            raise PermissionDenied("Trang này dành cho cán bộ xã/phường và Sở KH&CN.")
        request.official = official
        return view(request, *args, **kwargs)

    return wrapper
