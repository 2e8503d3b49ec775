"""Trainer pages in the Wagtail admin: bulk import/export of the question bank and item statistics."""
import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import selectors, services
from .resources import CORRECT_COLUMN, OPTION_COLUMNS

SESSION_KEY = "assessment_item_import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _require(request, *perms):
    if not request.user.has_perms([f"assessment.{p}" for p in perms]):
        raise PermissionDenied("Trang này dành cho giảng viên soạn câu hỏi.")


def item_import(request):
    _require(request, "add_item", "change_item")
    context = {"header_title": "Nhập câu hỏi từ tệp", "page_title": "Nhập câu hỏi từ tệp (XLSX, CSV)", "header_icon": "upload",
               "option_columns": OPTION_COLUMNS, "correct_column": CORRECT_COLUMN}
    if request.method == "POST" and request.POST.get("buoc") == "xac-nhan":
        stored = request.session.get(SESSION_KEY)
        if not stored:
            messages.error(request, "Phiên xem trước đã hết hạn, vui lòng chọn lại tệp.")
            return redirect("assessment_item_import")
        try:
            report = services.item_bank_import(content=base64.b64decode(stored["content"]), file_format=stored["format"],
                                               user=request.user, dry_run=False)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("assessment_item_import")
        if report["saved"]:
            del request.session[SESSION_KEY]
            messages.success(request, f"Đã nhập {report['new']} câu mới và cập nhật {report['updated']} câu.")
            return redirect("wagtailsnippets_assessment_item:list")
        return render(request, "assessment/admin/import.html", {**context, "report": report, "filename": stored["name"]})
    if request.method == "POST":
        upload = request.FILES.get("tep")
        if upload is None:
            messages.error(request, "Vui lòng chọn tệp .xlsx hoặc .csv.")
            return redirect("assessment_item_import")
        name = upload.name or ""
        file_format = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if upload.size > MAX_UPLOAD_BYTES:
            messages.error(request, "Tệp quá lớn (tối đa 5 MB).")
            return redirect("assessment_item_import")
        content = upload.read()
        try:
            report = services.item_bank_import(content=content, file_format=file_format, user=request.user, dry_run=True)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("assessment_item_import")
        if report["ok"]:
            request.session[SESSION_KEY] = {"content": base64.b64encode(content).decode(), "format": file_format, "name": name}
        return render(request, "assessment/admin/import.html", {**context, "report": report, "preview": True, "filename": name})
    return render(request, "assessment/admin/import.html", context)


def item_export(request, file_format: str):
    _require(request, "view_item")
    try:
        content = services.item_bank_export(file_format=file_format)
    except ValidationError as exc:
        raise PermissionDenied(exc.messages[0])
    types = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(content, content_type=types[file_format])
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="ngan-hang-cau-hoi-{stamp}.{file_format}"'
    return response


def item_stats(request):
    _require(request, "change_item")
    rows = selectors.item_statistics()
    only_flagged = request.GET.get("loc") == "can-xem"
    if only_flagged:
        rows = [r for r in rows if r["flags"]]
    return render(request, "assessment/admin/stats.html", {
        "header_title": "Thống kê câu hỏi", "page_title": "Thống kê câu hỏi", "header_icon": "table",
        "rows": rows, "min_n": selectors.ITEM_STATS_MIN_N, "only_flagged": only_flagged,
    })
