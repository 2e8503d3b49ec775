import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import JoinHouseholdForm, JoinRequestForm
from .models import HouseholdJoinRequest, JoinRequestStatus
from .selectors import resident_for_user
from .services import join_request_submit, resident_join_household


@login_required
def join_household(request):
    resident = resident_for_user(request.user)
    initial = {}
    if resident:
        initial = {"full_name": resident.full_name, "birth_year": resident.birth_year, "gender": resident.gender,
                   "commune": resident.commune_id, "household_code": resident.household.code if resident.household else ""}
    form = JoinHouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        consent = request.session.pop("consent_at", None)
        try:
            resident_join_household(
                user=request.user,
                consent_at=datetime.datetime.fromisoformat(consent) if consent else None,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Đã lưu thông tin hộ gia đình. Chúc bạn học tốt!")
            return redirect("learning:dashboard")
    return render(request, "community/join_household.html", {"form": form})


@login_required
def join_request(request):
    """No household code yet: ask the commune's team to place you in a household."""
    form = JoinRequestForm(request.POST or None)
    pending = HouseholdJoinRequest.objects.filter(user=request.user, status=JoinRequestStatus.PENDING).select_related("commune").first()
    if request.method == "POST" and form.is_valid():
        try:
            join_request_submit(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for e in exc.messages:
                form.add_error(None, e)
        else:
            messages.success(request, "Đã gửi yêu cầu. Tổ Công nghệ số cộng đồng sẽ xếp bạn vào hộ và báo lại.")
            return redirect("community:join_request")
    return render(request, "community/join_request.html", {"form": form, "pending": pending})
