import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from certificates.models import CertificateKind
from community.decorators import official_required
from community.models import Commune, CommuneGroup, TeamMembership
from community.selectors import communes_for_user, is_province_officer
from community.services import commune_set_group

from . import charts, exports
from .models import DEFAULT_TARGETS_2026, Indicator, QuarterlyReport
from .selectors import (
    AWARD_CRITERIA, INDICATORS, award_citizens, award_households, award_teams, commune_stats, commune_trend, consolidate,
    current_quarter, province_stats, province_trend_from_snapshots, quarter_due, quarter_submissions, snapshot_is_fresh,
    stored_snapshots, targets_for, valid_certificates,
)
from .services import report_snapshot, report_submit, stats_snapshot_refresh, targets_set
from .tasks import refresh_in_background


def _on_date(request) -> tuple[datetime.date, str | None]:
    raw = request.GET.get("ngay", "").strip()
    if not raw:
        return timezone.localdate(), None
    try:
        return datetime.datetime.strptime(raw, "%d/%m/%Y").date(), None
    except ValueError:
        return timezone.localdate(), "Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm, ví dụ 30/06/2026. Đang hiển thị số liệu hôm nay."


def _require_province(request):
    if not is_province_officer(request.user):
        raise PermissionDenied("Trang này dành cho cán bộ Sở KH&CN.")


@official_required
def home(request):
    if is_province_officer(request.user):
        return redirect("reports:province")
    return redirect("reports:commune", code=request.official.commune.code)


def _team(commune: Commune):
    trained = valid_certificates(CertificateKind.TEAM, timezone.localdate()).filter(resident=OuterRef("resident"))
    return (
        TeamMembership.objects.filter(team__commune=commune, left_on__isnull=True).select_related("resident")
        .annotate(certified=Exists(trained),
                  courses_done=Count("resident__team_training", filter=Q(resident__team_training__check_passed_at__isnull=False)))
        .order_by("-role", "resident__full_name")
    )


@official_required
def commune_dashboard(request, code: str):
    commune = get_object_or_404(communes_for_user(request.user), code=code)
    on, date_error = _on_date(request)
    stats = commune_stats(commune=commune, on=on)
    months = commune_trend(on=on, commune=commune)
    return render(request, "reports/commune.html", {
        "stats": stats, "date_error": date_error, "team": _team(commune), "months": months,
        "bars": charts.target_bars(stats["indicators"], title=f"{commune} so với chỉ tiêu"),
        "lines": charts.trend_lines(months, title=f"Diễn biến từng tháng năm {on.year} – {commune}"),
        "is_province": is_province_officer(request.user),
    })


SORTS = {"ten": "name", "ma": "code"}


def _province_counts(on: datetime.date) -> tuple[dict[int, dict], datetime.datetime, bool]:
    """The stored per-commune counts for `on`, when they were computed, and whether a recount is under way. Only the
    first view of a date computes them here; later, stale counts are shown (with their time) while the worker
    recounts, so no view waits for millions of rows. (The immediate backend of development recounts at once.)"""
    stored = stored_snapshots(days=[on]).get(on)
    if stored is None:
        return stats_snapshot_refresh(on=on), timezone.now(), False
    if not snapshot_is_fresh(on, stored[1]):
        refresh_in_background([on])
        stored = stored_snapshots(days=[on])[on]
    return stored[0], stored[1], not snapshot_is_fresh(on, stored[1])


@official_required
def province_dashboard(request):
    _require_province(request)
    on, date_error = _on_date(request)
    counts, computed_at, recounting = _province_counts(on)
    stats = province_stats(on=on, counts=counts)
    rows = stats["rows"]
    group, former, below = request.GET.get("nhom", ""), request.GET.get("tinh_cu", ""), request.GET.get("duoi_chi_tieu", "")
    if group:
        rows = [r for r in rows if r["commune"].group == group]
    if former:
        rows = [r for r in rows if r["commune"].former_province == former]
    if below == "bat_ky":
        rows = [r for r in rows if r["below"]]
    elif below:
        rows = [r for r in rows if below in r["below"]]
    sort, desc = request.GET.get("sap_xep", "ten"), request.GET.get("giam") == "1"
    keys = [str(k) for k, *_ in INDICATORS]
    if sort in keys:
        idx = keys.index(sort)
        rows.sort(key=lambda r: (r["indicators"][idx]["percent"] is None, r["indicators"][idx]["percent"] or 0), reverse=desc)
    elif sort == "ma":
        rows.sort(key=lambda r: r["commune"].code, reverse=desc)
    elif desc:
        rows.reverse()
    months, missing, stale = province_trend_from_snapshots(on=on)
    if missing or stale:
        refresh_in_background(missing + stale)
        if missing:
            months, missing, _ = province_trend_from_snapshots(on=on)
    groups = stats["groups"]
    return render(request, "reports/province.html", {
        "stats": stats, "rows": rows, "on": on, "date_error": date_error, "commune_count": len(stats["rows"]),
        "computed_at": computed_at, "recounting": recounting,
        "filters": {"nhom": group, "tinh_cu": former, "duoi_chi_tieu": below, "sap_xep": sort, "giam": desc},
        "indicator_choices": [(str(k), label) for k, _, _, label in INDICATORS],
        "former_provinces": sorted({r["commune"].former_province for r in stats["rows"] if r["commune"].former_province}),
        "months": months, "missing_months": missing,
        "bars": charts.target_bars(groups[0]["indicators"], title="Toàn tỉnh so với chỉ tiêu, theo nhóm",
                                   series=[(g["label"], g["indicators"]) for g in groups]),
        "lines": charts.trend_lines(months, title=f"Diễn biến từng tháng năm {on.year} – toàn tỉnh"),
        "map": charts.commune_map(stats["rows"]), "bands": charts.BANDS, "map_credit": charts.MAP_CREDIT,
    })


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@official_required
def commune_xlsx(request, code: str):
    commune = get_object_or_404(communes_for_user(request.user), code=code)
    on, _ = _on_date(request)
    s = commune_stats(commune=commune, on=on)
    total = exports.stats_dataset([{"code": commune.code, "name": str(commune), "indicators": s["indicators"]}],
                                  title="Tong hop")
    hamlets = exports.stats_dataset([{"name": h["hamlet"] or "(chưa ghi)", "indicators": h["indicators"]}
                                     for h in s["by_hamlet"]], title="Theo ap khu pho")
    return _xlsx_response(exports.book(total, hamlets), f"thong-ke-{commune.code}-{on:%Y%m%d}.xlsx")


@official_required
def province_xlsx(request):
    _require_province(request)
    on, _ = _on_date(request)
    s = province_stats(on=on, counts=_province_counts(on)[0])  # the very figures the dashboard shows
    data = exports.stats_dataset([{"code": r["commune"].code, "name": str(r["commune"]), "indicators": r["indicators"]}
                                  for r in s["rows"]], title="Xa phuong")
    groups = exports.stats_dataset([{"name": g["label"], "indicators": g["indicators"]} for g in s["groups"]]
                                   + [{"name": "Toàn tỉnh", "indicators": s["indicators"]}], title="Nhom va toan tinh")
    return _xlsx_response(exports.book(data, groups), f"thong-ke-toan-tinh-{on:%Y%m%d}.xlsx")


# Quarterly reports ----------------------------------------------------------------------------------------------

def _quarter(request) -> tuple[int, int]:
    year, quarter = current_quarter()
    try:
        year = int(request.GET.get("nam", year))
        quarter = int(request.GET.get("quy", quarter))
    except ValueError:
        pass
    if not (2025 <= year <= 2100 and 1 <= quarter <= 4):
        year, quarter = current_quarter()
    return year, quarter


class SubmitForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    quarter = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Ghi chú gửi Sở KH&CN (không bắt buộc)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label="Tôi đã rà soát số liệu và xác nhận nộp; sau khi nộp không sửa được.",
                                 error_messages={"required": "Vui lòng đánh dấu xác nhận trước khi nộp."})


@official_required
def commune_quarter(request, code: str):
    commune = get_object_or_404(communes_for_user(request.user), code=code)
    year, quarter = _quarter(request)
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if is_province_officer(request.user):
            raise PermissionDenied("Báo cáo quý do cán bộ xã/phường nộp.")
        if form.is_valid():
            year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
            try:
                report_submit(commune=commune, year=year, quarter=quarter, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Đã nộp báo cáo quý {quarter}/{year}. Cảm ơn anh/chị.")
            return redirect(f"{request.path}?nam={year}&quy={quarter}")
    else:
        form = SubmitForm(initial={"year": year, "quarter": quarter})
    report = QuarterlyReport.objects.filter(commune=commune, year=year, quarter=quarter).select_related("submitted_by").first()
    snapshot = report.snapshot if report else report_snapshot(commune=commune, year=year, quarter=quarter)
    return render(request, "reports/quarter_commune.html", {
        "commune": commune, "year": year, "quarter": quarter, "report": report, "snapshot": snapshot, "form": form,
        "snapshot_on": datetime.date.fromisoformat(snapshot["on"]),
        "due": quarter_due(year, quarter), "can_submit": report is None and not is_province_officer(request.user),
        "history": QuarterlyReport.objects.filter(commune=commune).order_by("-year", "-quarter"),
    })


def _report_for(request, pk: int) -> QuarterlyReport:
    return get_object_or_404(QuarterlyReport.objects.filter(commune__in=communes_for_user(request.user)).select_related(
        "commune", "submitted_by"), pk=pk)


@official_required
def report_xlsx(request, pk: int):
    report = _report_for(request, pk)
    s = report.snapshot
    data = exports.stats_dataset([{"code": s["commune_code"], "name": s["commune_name"], "indicators": s["indicators"]}],
                                 title=f"Quy {report.quarter}-{report.year}")
    return _xlsx_response(exports.book(data), f"bao-cao-quy-{report.quarter}-{report.year}-{report.commune.code}.xlsx")


@official_required
def report_pdf(request, pk: int):
    report = _report_for(request, pk)
    content = exports.pdf("reports/pdf_report.html", {"reports": [report], "title": f"Báo cáo quý {report.quarter}/{report.year}"})
    return _pdf_response(content, f"bao-cao-quy-{report.quarter}-{report.year}-{report.commune.code}.pdf")


@official_required
def province_quarter(request):
    _require_province(request)
    year, quarter = _quarter(request)
    rows = quarter_submissions(year=year, quarter=quarter, communes=Commune.objects.all())
    submitted = [r["report"] for r in rows if r["report"]]
    context = {"rows": rows, "year": year, "quarter": quarter, "due": quarter_due(year, quarter),
               "consolidated": consolidate(submitted), "submitted_count": len(submitted),
               "late_count": sum(r["state"] in ("qua_han", "nop_tre") for r in rows)}
    fmt = request.GET.get("dinh_dang")
    if fmt == "xlsx":
        data = exports.stats_dataset(
            [{"code": r.snapshot["commune_code"], "name": r.snapshot["commune_name"], "indicators": r.snapshot["indicators"]}
             for r in submitted] + [{"name": "Tổng hợp các xã đã nộp", "indicators": context["consolidated"]["indicators"]}],
            title=f"Quy {quarter}-{year}")
        return _xlsx_response(exports.book(data), f"tong-hop-quy-{quarter}-{year}.xlsx")
    if fmt == "pdf":
        content = exports.pdf("reports/pdf_report.html", {**context, "reports": submitted,
                                                         "title": f"Tổng hợp báo cáo quý {quarter}/{year}"})
        return _pdf_response(content, f"tong-hop-quy-{quarter}-{year}.pdf")
    return render(request, "reports/quarter_province.html", context)


# Settings of the province officer -------------------------------------------------------------------------------

class GroupForm(forms.Form):
    group = forms.ChoiceField(label="Nhóm chỉ tiêu", choices=CommuneGroup.choices,
                              error_messages={"invalid_choice": "Nhóm không hợp lệ; chọn Nhóm I hoặc Nhóm II."})


@official_required
def commune_group(request, code: str):
    _require_province(request)
    commune = get_object_or_404(Commune, code=code)
    form = GroupForm(request.POST or None, initial={"group": commune.group})
    if request.method == "POST" and form.is_valid():
        commune_set_group(commune=commune, group=form.cleaned_data["group"])
        messages.success(request, f"Đã chuyển {commune} sang {commune.get_group_display()}.")
        return redirect("reports:commune", code=commune.code)
    return render(request, "reports/commune_group.html", {"commune": commune, "form": form})


def _targets_form(year: int, data=None):
    current = targets_for(year)
    fields = {}
    for group, glabel in CommuneGroup.choices:
        for key, label in Indicator.choices:
            fields[f"{group}__{key}"] = forms.IntegerField(
                label=f"{glabel} – {label} (%)", min_value=0, max_value=100, initial=current[group][key],
                error_messages={"min_value": "Chỉ tiêu không được nhỏ hơn 0%%.", "max_value": "Chỉ tiêu không được lớn hơn 100%%.",
                                "required": "Vui lòng nhập chỉ tiêu.", "invalid": "Hãy nhập một số nguyên."})
    return type("TargetsForm", (forms.Form,), fields)(data)


@official_required
def targets(request, year: int):
    _require_province(request)
    if not 2025 <= year <= 2100:
        raise Http404
    form = _targets_form(year, request.POST or None)
    if request.method == "POST" and form.is_valid():
        for group, _ in CommuneGroup.choices:
            targets_set(year=year, group=group, values={k.split("__")[1]: v for k, v in form.cleaned_data.items()
                                                        if k.startswith(f"{group}__")})
        messages.success(request, f"Đã lưu chỉ tiêu năm {year}.")
        return redirect("reports:targets", year=year)
    return render(request, "reports/targets.html", {"form": form, "year": year, "defaults": DEFAULT_TARGETS_2026})


@official_required
def awards(request):
    _require_province(request)
    year = timezone.localdate().year
    try:
        year = int(request.GET.get("nam", year))
    except ValueError:
        pass
    communes = Commune.objects.all()
    code = request.GET.get("xa", "")
    if code:
        communes = communes.filter(code=code)
    return render(request, "reports/awards.html", {
        "year": year, "code": code, "all_communes": Commune.objects.order_by("name"), "criteria": AWARD_CRITERIA,
        "teams": award_teams(year=year, communes=communes), "citizens": award_citizens(year=year, communes=communes),
        "households": award_households(year=year, communes=communes),
    })
