""""Dữ liệu của tôi": a resident downloads everything the platform holds about them, or asks for it to be deleted
(Law 91/2025/QH15 Art. 4; Decree 356/2025/NĐ-CP asks for an answer within 2 working days — this one is immediate).
It lives in reports because it gathers every app's data about one person, and only the top layer may see them all."""
import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from assessment.models import Attempt
from certificates.models import Certificate
from certificates.services import certificate_withdraw_for_deletion
from community.models import Official
from community.privacy import account_data, resident_data, resident_erase
from community.selectors import resident_for_user
from learning.models import Enrolment, LessonProgress

CONFIRM_WORD = "XÓA"


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def personal_data_export(*, user) -> dict:
    """Every record about the person behind `user`, as one JSON-ready dict."""
    resident = resident_for_user(user)
    data = {
        "exported_at": _iso(timezone.now()),
        "controller": "Học vụ số Đồng Nai — Sở Khoa học và Công nghệ tỉnh Đồng Nai",
        "account": account_data(user),
        "resident": None,
        "certificates": [],
        "test_attempts": [],
        "courses": [],
        "lessons": [],
    }
    if resident is None:
        return data
    data["resident"] = resident_data(resident)
    data["certificates"] = [
        {"code": c.display_code, "kind": c.get_kind_display(), "status": c.get_status_display(),
         "issued_at": _iso(c.issued_at), "holder_name": c.holder_name, "holder_birth_year": c.holder_birth_year,
         "commune": c.commune_name, "verify_url": c.verify_absolute_url}
        for c in Certificate.objects.filter(resident=resident).order_by("issued_at")
    ]
    data["test_attempts"] = [
        {"test": a.form.title, "status": a.get_status_display(), "started_at": _iso(a.started_at),
         "submitted_at": _iso(a.submitted_at), "score_pct": float(a.score_pct) if a.score_pct is not None else None,
         "passed": a.passed, "area_scores": a.area_scores,
         "assisted_by": a.assisted_by.full_name if a.assisted_by_id else None}
        for a in Attempt.objects.filter(resident=resident).select_related("form", "assisted_by").order_by("started_at")
    ]
    data["courses"] = [
        {"course": e.course.title, "started_at": _iso(e.started_at), "completed_at": _iso(e.completed_at)}
        for e in Enrolment.objects.filter(resident=resident).select_related("course").order_by("started_at")
    ]
    data["lessons"] = [
        {"lesson": p.lesson.title, "opened_at": _iso(p.opened_at), "completed_at": _iso(p.completed_at)}
        for p in LessonProgress.objects.filter(resident=resident).select_related("lesson").order_by("opened_at")
    ]
    return data


@transaction.atomic
def personal_data_erase(*, user) -> int:
    """Withdraw the person's certificates (they then verify as withdrawn, without a name), anonymise the resident
    and scrub the account, all or nothing. Returns how many certificates were withdrawn."""
    resident = resident_for_user(user)
    withdrawn = certificate_withdraw_for_deletion(resident=resident) if resident else 0
    resident_erase(resident=resident, user=user)
    return withdrawn


def _may_self_erase(user) -> bool:
    # Officials' and staff accounts carry audit trails (exports, revocations): they are closed by an administrator.
    return not (user.is_staff or user.is_superuser or Official.objects.filter(user=user).exists())


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=f"Gõ chữ {CONFIRM_WORD} để xác nhận", max_length=20,
        error_messages={"required": f"Vui lòng gõ chữ {CONFIRM_WORD} để xác nhận."},
    )
    understood = forms.BooleanField(
        label="Tôi hiểu rằng tài khoản sẽ bị đóng và giấy chứng nhận của tôi sẽ bị rút, không thể khôi phục.",
        error_messages={"required": "Vui lòng đánh dấu ô xác nhận."},
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().upper()
        if value not in {CONFIRM_WORD, "XOA"}:
            raise forms.ValidationError(f"Chưa đúng: hãy gõ chữ {CONFIRM_WORD}.")
        return value


@login_required
def my_data(request):
    resident = resident_for_user(request.user)
    counts = {}
    if resident:
        counts = {
            "certificates": Certificate.objects.filter(resident=resident).count(),
            "attempts": Attempt.objects.filter(resident=resident).count(),
            "lessons": LessonProgress.objects.filter(resident=resident).count(),
        }
    return render(request, "community/privacy.html", {
        "resident": resident, "counts": counts, "may_erase": _may_self_erase(request.user),
    })


@login_required
def my_data_download(request):
    data = personal_data_export(user=request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-cua-toi-{stamp}.json"'
    return response


@login_required
def my_data_erase(request):
    if not _may_self_erase(request.user):
        messages.error(request, "Tài khoản cán bộ không tự xóa được; vui lòng liên hệ quản trị hệ thống của Sở KH&CN.")
        return redirect("privacy:mine")
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdrawn = personal_data_erase(user=request.user)
        logout(request)
        note = f" {withdrawn} giấy chứng nhận đã được rút." if withdrawn else ""
        messages.success(request, "Dữ liệu cá nhân của bạn đã được xóa và tài khoản đã đóng." + note)
        return redirect("/")
    return render(request, "community/privacy_erase.html", {"form": form, "confirm_word": CONFIRM_WORD},
                  status=400 if request.method == "POST" else 200)


app_name = "privacy"
urlpatterns = [
    path("", my_data, name="mine"),
    path("tai-ve/", my_data_download, name="download"),
    path("xoa/", my_data_erase, name="erase"),
]
