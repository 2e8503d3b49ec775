from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from community.decorators import official_required
from community.selectors import resident_for_user, user_commune_ids
from community.services import export_log_record

from .codes import CodeError, display, normalize
from .forms import CertificateFilterForm, ReasonForm
from .models import BulkPrint, BulkPrintStatus, Certificate, CertificateStatus
from .selectors import (
    certificate_export_dataset,
    certificate_history,
    certificate_lookup,
    certificates_for_official,
    certificates_of,
)
from .services import (
    BULK_INLINE_MAX,
    bulk_print_request,
    can_manage,
    certificate_pdf,
    certificate_reissue,
    certificate_revoke,
)

VERIFY_RATE = "30/m"
# Verification answers may be kept briefly by the browser; a revocation shows within a minute.
VERIFY_MAX_AGE = 60


def _limited(request) -> bool:
    return is_ratelimited(request, group="certificates.verify", key="ip", rate=VERIFY_RATE, increment=True)


def _message_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------- public verification (never renders a PDF)

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
    if cert and result["status"] == "withdrawn":
        data.update(code=cert.display_code, message="Giấy chứng nhận này đã được rút theo yêu cầu xóa dữ liệu cá nhân.")
    elif cert:
        data.update(
            code=cert.display_code,
            kind=cert.kind,
            kind_label=str(cert.get_kind_display()),
            holder_name=cert.holder_name,
            commune=cert.commune_name,
            issued_on=timezone.localtime(cert.issued_at).date().isoformat(),
            revoked_on=timezone.localtime(cert.revoked_at).date().isoformat() if cert.revoked_at else None,
            reissued_on=timezone.localtime(cert.reissued_at).date().isoformat() if cert.reissued_at else None,
        )
    else:
        data["message"] = result["message"]
    return data


def verify_code(request, code: str):
    wants_json = request.GET.get("dinh-dang") == "json" or "application/json" in request.headers.get("Accept", "")
    if _limited(request):
        msg = "Bạn đã tra cứu nhiều lần trong một phút. Xin đợi khoảng một phút rồi thử lại; mã của bạn vẫn được giữ trong ô."
        if wants_json:
            response = JsonResponse({"status": "rate_limited", "message": msg}, status=429,
                                    json_dumps_params={"ensure_ascii": False})
        else:
            response = render(request, "certificates/verify.html", {"error": msg, "raw": code, "limited": True}, status=429)
        response["Retry-After"] = "60"
        patch_cache_control(response, no_store=True)
        return response
    result = certificate_lookup(code)
    http_status = {"valid": 200, "revoked": 200, "replaced": 200, "withdrawn": 200, "not_found": 404, "invalid": 400}[
        result["status"]
    ]
    if wants_json:
        response = JsonResponse(_answer_json(result), status=http_status, json_dumps_params={"ensure_ascii": False})
        patch_cache_control(response, public=True, max_age=VERIFY_MAX_AGE)
    else:
        response = render(request, "certificates/verify_result.html", {
            "result": result, "raw": code,
            "page_url": request.build_absolute_uri(),
        }, status=http_status)
        # The HTML carries per-visitor CSRF tokens (text size, language), so only the browser may keep it.
        patch_cache_control(response, private=True, max_age=VERIFY_MAX_AGE)
    patch_vary_headers(response, ["Accept"])
    return response


# ---------------------------------------------------------------- the holder

@login_required
def download(request, code: str):
    cert = get_object_or_404(Certificate.objects.exclude(status=CertificateStatus.WITHDRAWN), code=code)
    resident = resident_for_user(request.user)
    owns = resident is not None and cert.resident_id == resident.pk
    if not owns and not Certificate.objects.for_user(request.user).filter(pk=cert.pk).exists():
        raise Http404
    response = HttpResponse(certificate_pdf(certificate=cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-{cert.code}.pdf"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def mine(request):
    resident = resident_for_user(request.user)
    certs = certificates_of(resident).exclude(status=CertificateStatus.WITHDRAWN) if resident else []
    return render(request, "certificates/mine.html", {"certificates": certs, "resident": resident})


# ---------------------------------------------------------------- officials

def _filtered(request):
    form = CertificateFilterForm(request.GET or None)
    return form, certificates_for_official(request.user, **form.filters())


@official_required
def manage(request):
    form, qs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "certificates/manage/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "inline_max": BULK_INLINE_MAX,
        "jobs": _jobs_for(request.user).filter(requested_by=request.user)[:5],
    })


def _manageable(request, code: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.for_user(request.user).select_related("commune", "resident", "revoked_by", "reissued_by"),
        code=code,
    )


@official_required
def manage_detail(request, code: str, revoke_form=None, reissue_form=None, status=200):
    cert = _manageable(request, code)
    return render(request, "certificates/manage/detail.html", {
        "cert": cert,
        "history": certificate_history(cert),
        "can_manage": can_manage(request.user, cert),
        "revoke_form": revoke_form or ReasonForm(prefix="thu-hoi"),
        "reissue_form": reissue_form or ReasonForm(prefix="cap-lai"),
    }, status=status)


@require_POST
@official_required
def manage_revoke(request, code: str):
    cert = _manageable(request, code)
    form = ReasonForm(request.POST, prefix="thu-hoi")
    if form.is_valid():
        try:
            certificate_revoke(certificate=cert, by=request.user, reason=form.cleaned_data["ly_do"])
        except ValidationError as exc:
            messages.error(request, _message_of(exc))
        else:
            messages.success(request, f"Đã thu hồi chứng nhận {cert.display_code}.")
            return redirect("certificates:manage_detail", code=cert.code)
    return manage_detail(request, code, revoke_form=form, status=400)


@require_POST
@official_required
def manage_reissue(request, code: str):
    cert = _manageable(request, code)
    form = ReasonForm(request.POST, prefix="cap-lai")
    if form.is_valid():
        try:
            new = certificate_reissue(certificate=cert, by=request.user, reason=form.cleaned_data["ly_do"])
        except ValidationError as exc:
            messages.error(request, _message_of(exc))
        else:
            messages.success(request, f"Đã cấp lại: giấy mới có mã {new.display_code}; mã cũ nay hiện là \u201cđã được cấp lại\u201d.")
            return redirect("certificates:manage_detail", code=new.code)
    return manage_detail(request, code, reissue_form=form, status=400)


@official_required
def manage_export(request, fmt: str):
    form, qs = _filtered(request)
    data = certificate_export_dataset(qs)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(
            data.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        # A byte-order mark so Excel opens the Vietnamese letters as UTF-8.
        response = HttpResponse("\ufeff" + data.export("csv"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{stamp}.{fmt}"'
    export_log_record(user=request.user, what="Danh sách chứng nhận", scope=request.GET.urlencode(), rows=data.height,
                      file_format=fmt)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _jobs_for(user):
    ids = user_commune_ids(user)
    qs = BulkPrint.objects.all()
    return qs if ids is None else qs.filter(commune_id__in=ids)


@require_POST
@official_required
def bulk_print(request):
    scoped = Certificate.objects.for_user(request.user)
    if request.POST.get("cach") == "tu_ngay":
        form = CertificateFilterForm({"tu_ngay": request.POST.get("tu_ngay", ""), "loai": request.POST.get("loai", "")})
        if not form.is_valid() or not form.cleaned_data.get("tu_ngay"):
            messages.error(request, "Vui lòng nhập ngày theo dạng ngày/tháng/năm, ví dụ 01/06/2026.")
            return redirect("certificates:manage")
        chosen = certificates_for_official(request.user, **form.filters())
    else:
        chosen = scoped.filter(code__in=request.POST.getlist("chon")[:5000])
    try:
        job, data = bulk_print_request(by=request.user, certificates=chosen)
    except ValidationError as exc:
        messages.error(request, _message_of(exc))
        return redirect("certificates:manage")
    export_log_record(user=request.user, what="In chứng nhận hàng loạt", scope=f"lệnh in số {job.pk}" if job else "in ngay, tối đa 20 giấy",
                      rows=job.total if job else 0, file_format="pdf")
    if data is not None:
        response = HttpResponse(data, content_type="application/pdf")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="in-hang-loat-{stamp}.pdf"'
        return response
    return redirect("certificates:bulk_status", pk=job.pk)


@official_required
def bulk_status(request, pk: int):
    job = get_object_or_404(_jobs_for(request.user), pk=pk)
    if request.GET.get("dinh-dang") == "json":
        return JsonResponse({
            "status": job.status, "status_label": job.get_status_display(), "done": job.done, "total": job.total,
            "percent": job.percent,
            "download_url": reverse("certificates:bulk_download", args=[job.pk]) if job.status == BulkPrintStatus.DONE else None,
        }, json_dumps_params={"ensure_ascii": False})
    return render(request, "certificates/manage/bulk_status.html", {"job": job})


@official_required
def bulk_download(request, pk: int):
    job = get_object_or_404(_jobs_for(request.user), pk=pk, status=BulkPrintStatus.DONE)
    if not job.file:
        raise Http404
    try:
        fh = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    export_log_record(user=request.user, what="Tải tệp in hàng loạt", scope=f"lệnh in số {job.pk}", rows=job.total,
                      file_format="pdf")
    return FileResponse(fh, as_attachment=True, filename=f"in-hang-loat-{job.pk}.pdf", content_type="application/pdf")
