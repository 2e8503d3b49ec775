"""Pages for the commune's team (assisted mode on a member's phone) and its officer: residents, support at the
door, campaigns, household requests and imports. Everything is scoped to the user's own commune."""
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import imports
from .models import (
    Campaign, CampaignKind, Gender, Household, HouseholdJoinRequest, ImportJob, JoinRequestStatus, Resident,
    SupportKind,
)
from .phones import VietnamPhoneField
from .selectors import active_membership, official_for_user, resident_for_user
from .services import join_request_decide, resident_register_at_door, support_activity_record


def commune_staff_required(view):
    """Team members and commune officers; sets request.commune, request.member (a Resident or None), request.official."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = active_membership(resident_for_user(request.user))
        official = official_for_user(request.user)
        if membership:
            request.commune, request.member = membership.team.commune, membership.resident
        elif official and official.commune_id:
            request.commune, request.member = official.commune, None
        else:
            raise PermissionDenied("Trang này dành cho Tổ Công nghệ số cộng đồng và cán bộ xã/phường.")
        request.official = official if official and official.commune_id == request.commune.pk else None
        return view(request, *args, **kwargs)

    return wrapper


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            for e in errs:
                form.add_error(field if field in form.fields else None, e)
    else:
        for e in exc.messages:
            form.add_error(None, e)


@commune_staff_required
def home(request):
    q = " ".join(request.GET.get("q", "").split())
    residents = Resident.objects.filter(commune=request.commune).select_related("household")
    if q:
        residents = residents.filter(Q(full_name__icontains=q) | Q(household__code__iexact=q) | Q(phone__contains=q.lstrip("0")))
    return render(request, "community/team_home.html", {
        "commune": request.commune, "q": q, "residents": residents.order_by("full_name")[:50],
        "pending": HouseholdJoinRequest.objects.filter(commune=request.commune, status=JoinRequestStatus.PENDING).count(),
        "is_member": request.member is not None, "is_officer": request.official is not None,
    })


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label="Đã hỗ trợ", choices=[c for c in SupportKind.choices if c[0] != SupportKind.REGISTER],
                             widget=forms.RadioSelect)
    done_on = forms.DateField(label="Ngày hỗ trợ (ngày/tháng/năm)", input_formats=["%d/%m/%Y"],
                              error_messages={"invalid": "Ngày không hợp lệ, ví dụ 07/03/2026."})
    campaign = forms.ModelChoiceField(label="Trong đợt ra quân", queryset=Campaign.objects.none(), required=False,
                                      empty_label="— Không thuộc đợt nào —")
    note = forms.CharField(label="Ghi chú", required=False, max_length=255)

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(commune=commune)


@commune_staff_required
def resident_detail(request, pk: int):
    resident = get_object_or_404(Resident.objects.filter(commune=request.commune).select_related("household"), pk=pk)
    form = SupportForm(request.POST or None, commune=request.commune,
                       initial={"done_on": timezone.localdate().strftime("%d/%m/%Y")})
    if request.method == "POST":
        if request.member is None:
            raise PermissionDenied("Chỉ thành viên Tổ CNSCĐ mới ghi nhận hỗ trợ.")
        if form.is_valid():
            try:
                support_activity_record(member=request.member, resident=resident, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"Đã ghi nhận hỗ trợ cho {resident.full_name}.")
                return redirect("team:resident", pk=resident.pk)
    return render(request, "community/team_resident.html", {
        "resident": resident, "form": form, "is_member": request.member is not None,
        "activities": resident.support_received.select_related("member", "campaign")[:30],
        "household_members": Resident.objects.filter(household_id=resident.household_id).exclude(pk=resident.pk)
        if resident.household_id else [],
    })


class RegisterForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    birth_year = forms.IntegerField(label="Năm sinh", min_value=1900, max_value=2030,
                                    error_messages={"min_value": "Năm sinh không hợp lý.", "max_value": "Năm sinh không hợp lý."})
    gender = forms.ChoiceField(label="Giới tính", choices=[("", "—")] + list(Gender.choices), required=False)
    phone = VietnamPhoneField(required=False, label="Số điện thoại (nếu có)")
    household = forms.ModelChoiceField(label="Hộ có sẵn", queryset=Household.objects.none(), required=False,
                                       empty_label="— Hộ mới —")
    new_household_code = forms.CharField(label="Hoặc mã hộ mới", max_length=20, required=False)
    hamlet = forms.CharField(label="Ấp/khu phố (hộ mới)", max_length=100, required=False)
    address = forms.CharField(label="Địa chỉ (hộ mới)", max_length=255, required=False)
    consent = forms.BooleanField(
        label="Người dân đã nghe giải thích và đồng ý để Tổ ghi họ tên, năm sinh, nơi ở, kết quả học để cấp chứng nhận "
              "và thống kê (Luật Bảo vệ dữ liệu cá nhân).",
        error_messages={"required": "Cần người dân đồng ý thì mới đăng ký được."})

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(commune=commune).order_by("code")


@commune_staff_required
def register(request):
    if request.member is None:
        raise PermissionDenied("Chỉ thành viên Tổ CNSCĐ mới đăng ký người dân tại nhà.")
    form = RegisterForm(request.POST or None, commune=request.commune)
    if request.method == "POST" and form.is_valid():
        try:
            resident = resident_register_at_door(member=request.member, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Đã đăng ký {resident.full_name} vào hộ {resident.household.code}.")
            return redirect("team:resident", pk=resident.pk)
    return render(request, "community/team_register.html", {"form": form})


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["kind", "name", "starts_on", "ends_on", "place"]
        widgets = {"starts_on": forms.DateInput(format="%d/%m/%Y"), "ends_on": forms.DateInput(format="%d/%m/%Y")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in ("starts_on", "ends_on"):
            self.fields[f].input_formats = ["%d/%m/%Y"]
            self.fields[f].error_messages["invalid"] = "Ngày không hợp lệ, ví dụ 07/03/2026."

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        return data


@commune_staff_required
def campaigns(request):
    form = CampaignForm(request.POST or None, initial={"kind": CampaignKind.WEEKEND})
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.commune = request.commune
        campaign.full_clean()
        campaign.save()
        messages.success(request, f"Đã tạo đợt “{campaign.name}”.")
        return redirect("team:campaign", pk=campaign.pk)
    items = Campaign.objects.filter(commune=request.commune).annotate(
        activities_count=Count("activities"), people=Count("activities__resident", distinct=True))
    return render(request, "community/team_campaigns.html", {"campaigns": items, "form": form})


@commune_staff_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk, commune=request.commune)
    by_kind = campaign.activities.values("kind").annotate(n=Count("id"), people=Count("resident", distinct=True)).order_by("kind")
    labels = dict(SupportKind.choices)
    return render(request, "community/team_campaign.html", {
        "campaign": campaign, "by_kind": [{**r, "label": labels.get(r["kind"], r["kind"])} for r in by_kind],
        "totals": campaign.activities.aggregate(n=Count("id"), people=Count("resident", distinct=True),
                                                members=Count("member", distinct=True)),
    })


class DecideForm(forms.Form):
    household = forms.ModelChoiceField(label="Đưa vào hộ có sẵn", queryset=Household.objects.none(), required=False,
                                       empty_label="— Tạo hộ mới —")
    new_household_code = forms.CharField(label="Hoặc mã hộ mới", max_length=20, required=False)

    def __init__(self, *args, commune=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(commune=commune).order_by("code")


@commune_staff_required
def join_requests(request):
    pending = HouseholdJoinRequest.objects.filter(commune=request.commune, status=JoinRequestStatus.PENDING)
    if request.method == "POST":
        req = get_object_or_404(pending, pk=request.POST.get("request_id"))
        form = DecideForm(request.POST, commune=request.commune)
        if form.is_valid():
            try:
                join_request_decide(request=req, by=request.user, approve=request.POST.get("action") == "duyet",
                                    **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Đã xử lý yêu cầu của {req.full_name}.")
        return redirect("team:join_requests")
    return render(request, "community/team_requests.html", {
        "requests": pending.order_by("created_at"), "form": DecideForm(commune=request.commune)})


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Loại danh sách", choices=list(imports.KINDS.items()), widget=forms.RadioSelect)
    file = forms.FileField(label="Tệp Excel (.xlsx) hoặc CSV", error_messages={"required": "Vui lòng chọn tệp."})


def _import_scope(request):
    if request.official is None:
        raise PermissionDenied("Chỉ cán bộ xã/phường mới nhập danh sách.")
    return [request.commune.pk]


@commune_staff_required
def import_start(request):
    scope = _import_scope(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = imports.read_file(upload)
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            upload.seek(0)
            job = ImportJob.objects.create(user=request.user, commune=request.commune, kind=form.cleaned_data["kind"],
                                           file=upload, total_rows=len(data))
            if len(data) > imports.BACKGROUND_ROWS:
                errors, _ = imports.validate(kind=job.kind, data=data, allowed_commune_ids=scope)
                result = {"errors": errors, "rows": len(data), "background": True}
            else:
                result = imports.run_import(kind=job.kind, data=data, allowed_commune_ids=scope, dry_run=True)
            return render(request, "community/team_import_preview.html", {"job": job, "result": result,
                                                                           "kind_label": imports.KINDS[job.kind]})
    return render(request, "community/team_import.html", {"form": form, "kinds": imports,
                                                          "jobs": ImportJob.objects.filter(commune=request.commune)[:10]})


@commune_staff_required
def import_confirm(request, pk: int):
    scope = _import_scope(request)
    job = get_object_or_404(ImportJob, pk=pk, commune=request.commune, status=ImportJob.Status.QUEUED)
    if request.method != "POST":
        return redirect("team:import_job", pk=job.pk)
    if job.total_rows > imports.BACKGROUND_ROWS:
        from .tasks import import_file

        import_file.enqueue(job.pk)
        return redirect("team:import_job", pk=job.pk)
    with job.file.open("rb") as fh:
        fh.name = job.file.name
        data = imports.read_file(fh)
    result = imports.run_import(kind=job.kind, data=data, allowed_commune_ids=scope, dry_run=False)
    job.processed_rows = len(data)
    job.errors = [[n, m] for n, m in result["errors"]]
    job.status = ImportJob.Status.FAILED if result["errors"] else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    if not result["errors"]:
        messages.success(request, f"Đã nhập {result['new']} dòng mới, cập nhật {result['updated']} dòng.")
    return redirect("team:import_job", pk=job.pk)


@commune_staff_required
def import_job(request, pk: int):
    _import_scope(request)
    job = get_object_or_404(ImportJob, pk=pk, commune=request.commune)
    return render(request, "community/team_import_job.html", {"job": job, "kind_label": imports.KINDS.get(job.kind, "")})
