import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from community.decorators import official_required
from community.models import Commune
from community.selectors import communes_for_user, is_province_officer

from .selectors import commune_coverage, province_coverage


def _on_date(request) -> tuple[datetime.date, str | None]:
    raw = request.GET.get("ngay", "").strip()
    if not raw:
        return timezone.localdate(), None
    try:
        return datetime.datetime.strptime(raw, "%d/%m/%Y").date(), None
    except ValueError:
        return timezone.localdate(), "Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm, ví dụ 30/06/2026. Đang hiển thị số liệu hôm nay."


@official_required
def home(request):
    if is_province_officer(request.user):
        return redirect("reports:province")
    return redirect("reports:commune", code=request.official.commune.code)


@official_required
def commune_dashboard(request, code: str):
    commune = get_object_or_404(communes_for_user(request.user), code=code)
    on, date_error = _on_date(request)
    return render(
        request, "reports/commune.html", {"stats": commune_coverage(commune=commune, on=on), "date_error": date_error}
    )


@official_required
def province_dashboard(request):
    if not is_province_officer(request.user):
        raise PermissionDenied("Trang này dành cho cán bộ Sở KH&CN.")
    on, date_error = _on_date(request)
    rows = province_coverage(on=on)
    totals = {"households": sum(r["households"] for r in rows), "covered": sum(r["covered"] for r in rows)}
    return render(request, "reports/province.html", {"rows": rows, "on": on, "totals": totals, "date_error": date_error,
                                                      "commune_count": Commune.objects.count()})
