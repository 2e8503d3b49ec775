import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import JoinHouseholdForm
from .selectors import resident_for_user
from .services import resident_join_household


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
