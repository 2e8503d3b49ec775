from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from community.selectors import resident_for_user

from .codes import CodeError, display, normalize
from .models import Certificate
from .selectors import certificate_lookup
from .services import certificate_pdf

VERIFY_RATE = "30/m"


def _limited(request) -> bool:
    return is_ratelimited(request, group="certificates.verify", key="ip", rate=VERIFY_RATE, increment=True)


def verify(request):
    """The page behind the printed URL: a box to type the code."""
    raw = request.GET.get("ma", "").strip()
    if raw:
        try:
            return redirect("certificates:verify_code", code=display(normalize(raw)))
        except CodeError as exc:
            return render(request, "certificates/verify.html", {"error": str(exc), "raw": raw}, status=400)
    return render(request, "certificates/verify.html", {})


def _answer_json(result: dict) -> dict:
    data = {"status": result["status"]}
    cert = result.get("certificate")
    if cert:
        data.update(
            code=cert.display_code,
            kind=cert.kind,
            kind_label=str(cert.get_kind_display()),
            holder_name=cert.holder_name,
            commune=cert.commune_name,
            issued_on=timezone.localtime(cert.issued_at).date().isoformat(),
            revoked_on=timezone.localtime(cert.revoked_at).date().isoformat() if cert.revoked_at else None,
        )
    else:
        data["message"] = result["message"]
    return data


def verify_code(request, code: str):
    wants_json = request.GET.get("dinh-dang") == "json" or "application/json" in request.headers.get("Accept", "")
    if _limited(request):
        msg = "Bạn tra cứu quá nhiều lần trong một phút. Vui lòng đợi một chút rồi thử lại."
        if wants_json:
            return JsonResponse({"status": "rate_limited", "message": msg}, status=429)
        return render(request, "certificates/verify.html", {"error": msg, "raw": code}, status=429)
    result = certificate_lookup(code)
    http_status = {"valid": 200, "revoked": 200, "replaced": 200, "not_found": 404, "invalid": 400}[result["status"]]
    if wants_json:
        return JsonResponse(_answer_json(result), status=http_status, json_dumps_params={"ensure_ascii": False})
    return render(request, "certificates/verify_result.html", {"result": result, "raw": code}, status=http_status)


@login_required
def download(request, code: str):
    cert = get_object_or_404(Certificate.objects.select_related("resident"), code=code)
    resident = resident_for_user(request.user)
    owns = resident is not None and cert.resident_id == resident.pk
    if not owns and not Certificate.objects.for_user(request.user).filter(pk=cert.pk).exists():
        raise Http404
    response = HttpResponse(certificate_pdf(certificate=cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-{cert.code}.pdf"'
    return response
