from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from certificates.models import Certificate, CertificateKind
from community.decorators import resident_required
from community.selectors import active_membership

from . import selectors, services
from .models import AttemptStatus, TestForm


@resident_required
def index(request):
    resident = request.resident
    forms = selectors.forms_for(resident, is_member=active_membership(resident) is not None)
    open_attempts = {a.form_id: a for a in resident.attempts.filter(status=AttemptStatus.IN_PROGRESS)}
    return render(request, "assessment/index.html", {"forms": forms, "open_attempts": open_attempts})


@require_POST
@resident_required
def start(request, slug: str):
    form = get_object_or_404(TestForm, slug=slug, is_active=True)
    try:
        attempt = services.attempt_start(resident=request.resident, form=form)
    except services.AttemptError as exc:
        messages.error(request, exc.messages[0])
        return redirect("assessment:index")
    return redirect("assessment:question", public_id=attempt.public_id, position=attempt.last_position)


def _answer_from_post(request, item_type: str, option_ids: list[int]) -> list[int]:
    if item_type == "ordering":
        ranks = []
        for oid in option_ids:
            raw = request.POST.get(f"thu-tu-{oid}", "")
            if raw:
                if not raw.isdigit():
                    raise services.AttemptError("Thứ tự phải là một con số.")
                ranks.append((int(raw), oid))
        if not ranks:
            return []
        if sorted(r for r, _ in ranks) != list(range(1, len(option_ids) + 1)):
            raise services.AttemptError("Mỗi bước cần một số thứ tự khác nhau, từ 1 đến %d." % len(option_ids))
        return [oid for _, oid in sorted(ranks)]
    values = request.POST.getlist("dap-an")
    if not all(v.isdigit() for v in values):
        raise services.AttemptError("Phương án đã chọn không hợp lệ.")
    return [int(v) for v in values]


@resident_required
def question(request, public_id, position: int):
    attempt = selectors.attempt_for(public_id=public_id, resident=request.resident)
    if not attempt.is_open or services.attempt_expire_if_due(attempt=attempt):
        return redirect("assessment:result", public_id=attempt.public_id)
    total = attempt.form.item_count
    data = selectors.question_view_data(attempt=attempt, position=position)
    is_fetch = request.headers.get("x-requested-with") == "fetch"
    if request.method == "POST":
        try:
            answer = _answer_from_post(request, data["item"].type, data["attempt_item"].option_order)
            services.attempt_answer(attempt=attempt, position=position, answer=answer)
        except services.AttemptError as exc:
            if is_fetch:
                return JsonResponse({"saved": False, "message": exc.messages[0]}, status=400)
            messages.error(request, exc.messages[0])
            return redirect("assessment:question", public_id=public_id, position=position)
        if is_fetch:
            return JsonResponse({"saved": True})
        go = request.POST.get("di-den", "sau")
        if go == "truoc" and position > 1:
            return redirect("assessment:question", public_id=public_id, position=position - 1)
        if go == "sau" and position < total:
            return redirect("assessment:question", public_id=public_id, position=position + 1)
        if go.isdigit() and 1 <= int(go) <= total:
            return redirect("assessment:question", public_id=public_id, position=int(go))
        return redirect("assessment:review", public_id=public_id)
    return render(
        request,
        "assessment/question.html",
        {**data, "attempt": attempt, "position": position, "total": total, "progress": selectors.attempt_progress(attempt)},
    )


@resident_required
def review(request, public_id):
    attempt = selectors.attempt_for(public_id=public_id, resident=request.resident)
    if not attempt.is_open or services.attempt_expire_if_due(attempt=attempt):
        return redirect("assessment:result", public_id=attempt.public_id)
    progress = selectors.attempt_progress(attempt)
    unanswered = [p["position"] for p in progress if not p["answered_at"]]
    return render(request, "assessment/review.html", {"attempt": attempt, "progress": progress, "unanswered": unanswered})


@require_POST
@resident_required
def submit(request, public_id):
    attempt = selectors.attempt_for(public_id=public_id, resident=request.resident)
    services.attempt_submit(attempt=attempt)
    return redirect("assessment:result", public_id=attempt.public_id)


@resident_required
def result(request, public_id):
    attempt = selectors.attempt_for(public_id=public_id, resident=request.resident)
    if attempt.is_open:
        if not services.attempt_expire_if_due(attempt=attempt):
            return redirect("assessment:review", public_id=attempt.public_id)
        attempt.refresh_from_db()
    certificate = None
    if attempt.passed and attempt.form.issues_certificate:
        certificate = Certificate.objects.valid().filter(resident=attempt.resident, kind=CertificateKind.BASIC).first()
    return render(
        request, "assessment/result.html", {"attempt": attempt, "certificate": certificate, **selectors.result_data(attempt)}
    )
