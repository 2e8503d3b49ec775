from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from certificates.models import Certificate, CertificateKind
from community.decorators import resident_required
from community.models import Resident
from community.selectors import active_membership

from . import selectors, services
from .models import AttemptStatus, TestForm

# A person answers a question every few seconds at most; a script hammering the endpoint is cut off.
ANSWER_RATE = "120/m"


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
    return redirect("assessment:question", public_id=attempt.public_id, position=selectors.resume_position(attempt))


@require_POST
@resident_required
def assisted_start(request, resident_id: int, slug: str):
    """Assisted mode: a team member starts the test for a resident of their own commune, on the member's phone."""
    membership = active_membership(request.resident)
    if membership is None:
        raise Http404
    resident = get_object_or_404(Resident, pk=resident_id, commune_id=membership.team.commune_id)
    form = get_object_or_404(TestForm, slug=slug, is_active=True, audience="resident")
    try:
        attempt = services.attempt_start_assisted(member=request.resident, resident=resident, form=form)
    except PermissionDenied:
        raise Http404
    except services.AttemptError as exc:
        messages.error(request, exc.messages[0])
        back = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(back)
        return redirect("assessment:index")
    return redirect("assessment:question", public_id=attempt.public_id, position=selectors.resume_position(attempt))


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


def question(request, public_id, position: int):
    if request.method == "POST":
        return _save_answer(request, public_id, position)
    return _question_page(request, public_id, position)


@resident_required
def _question_page(request, public_id, position: int):
    attempt = selectors.attempt_for(public_id=public_id, resident=request.resident)
    if not attempt.is_open or services.attempt_expire_if_due(attempt=attempt):
        return redirect("assessment:result", public_id=attempt.public_id)
    data = selectors.question_view_data(attempt=attempt, position=position)
    return render(
        request,
        "assessment/question.html",
        {**data, "attempt": attempt, "position": position, "total": attempt.form.item_count,
         "progress": selectors.attempt_progress(attempt)},
    )


@login_required
def _save_answer(request, public_id, position: int):
    """The hot path of a test (every answer, often over a weak mobile link): one read, one small write. Ownership is
    checked against the signed-in user inside that read, so the resident lookup of resident_required is not needed."""
    is_fetch = request.headers.get("x-requested-with") == "fetch"
    if is_ratelimited(request, group="assessment.answer", key="user", rate=ANSWER_RATE, increment=True):
        msg = "Bạn lưu câu trả lời nhanh quá. Vui lòng đợi một phút rồi thử lại; các câu đã lưu vẫn còn nguyên."
        if is_fetch:
            return JsonResponse({"saved": False, "message": msg}, status=429)
        return render(request, "rate_limited.html", {"message": msg}, status=429)
    ai = selectors.attempt_item_for_answer(public_id=public_id, position=position, user=request.user)
    attempt = ai.attempt
    if not attempt.is_open:
        if is_fetch:
            return JsonResponse({"saved": False, "message": "Bài làm đã được nộp."}, status=409)
        return redirect("assessment:result", public_id=public_id)
    try:
        answer = _answer_from_post(request, ai.item.type, ai.option_order)
        services.attempt_answer(attempt=attempt, position=position, answer=answer, attempt_item=ai)
    except services.AttemptError as exc:
        if is_fetch:
            return JsonResponse({"saved": False, "message": exc.messages[0]}, status=400)
        messages.error(request, exc.messages[0])
        if not selectors.attempt_is_open(attempt=attempt):  # the deadline passed and the attempt was submitted
            return redirect("assessment:result", public_id=public_id)
        return redirect("assessment:question", public_id=public_id, position=position)
    if is_fetch:
        return JsonResponse({"saved": True})
    total = attempt.form.item_count
    go = request.POST.get("di-den", "sau")
    if go == "truoc" and position > 1:
        return redirect("assessment:question", public_id=public_id, position=position - 1)
    if go == "sau" and position < total:
        return redirect("assessment:question", public_id=public_id, position=position + 1)
    if go.isdigit() and 1 <= int(go) <= total:
        return redirect("assessment:question", public_id=public_id, position=int(go))
    return redirect("assessment:review", public_id=public_id)


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
        timed_out = request.GET.get("het-gio") == "1"  # sent by the countdown in attempt.js at zero
        if not services.attempt_expire_if_due(attempt=attempt, with_grace=not timed_out):
            return redirect("assessment:review", public_id=attempt.public_id)
        attempt.refresh_from_db()
    certificate = None
    if attempt.passed and attempt.form.issues_certificate:
        certificate = Certificate.objects.valid().filter(resident=attempt.resident, kind=CertificateKind.BASIC).first()
    return render(
        request, "assessment/result.html", {"attempt": attempt, "certificate": certificate, **selectors.result_data(attempt)}
    )
