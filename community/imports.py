"""Import of households and residents from the XLSX/CSV lists communes keep (django-import-export + tablib).

The file is checked row by row first, with errors in plain Vietnamese; if any row fails nothing is saved. Rows are
identified by (commune code, household code) and, for residents, by household + name + birth year, so importing
the same list again updates instead of duplicating.
"""
import datetime

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources, widgets

from .models import Commune, Gender, Household, ImportJob, IndicatorSource, Resident
from .phones import normalize_phone

BACKGROUND_ROWS = 2000

HOUSEHOLD_COLUMNS = ["Mã xã", "Mã hộ", "Ấp/Khu phố", "Địa chỉ"]
RESIDENT_COLUMNS = ["Mã xã", "Mã hộ", "Họ và tên", "Năm sinh", "Giới tính", "Số điện thoại"]
OPTIONAL_RESIDENT_COLUMNS = ["Mã người dân", "VNeID mức 2 từ ngày", "Chữ ký số từ ngày", "Thanh toán điện tử từ ngày"]
KINDS = {"ho": "Danh sách hộ gia đình", "nguoi": "Danh sách người dân"}
GENDERS = {"nam": Gender.MALE, "nữ": Gender.FEMALE, "nu": Gender.FEMALE, "khác": Gender.OTHER, "khac": Gender.OTHER, "": ""}


class HouseholdResource(resources.ModelResource):
    commune = fields.Field(attribute="commune", column_name="Mã xã", widget=widgets.ForeignKeyWidget(Commune, "code"))
    code = fields.Field(attribute="code", column_name="Mã hộ")
    hamlet = fields.Field(attribute="hamlet", column_name="Ấp/Khu phố")
    address = fields.Field(attribute="address", column_name="Địa chỉ")

    class Meta:
        model = Household
        fields = ("commune", "code", "hamlet", "address")
        import_id_fields = ("commune", "code")
        skip_unchanged = True


class ResidentResource(resources.ModelResource):
    household = fields.Field(attribute="household", column_name="household_id", widget=widgets.ForeignKeyWidget(Household))
    commune = fields.Field(attribute="commune", column_name="commune_id", widget=widgets.ForeignKeyWidget(Commune))
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    birth_year = fields.Field(attribute="birth_year", column_name="Năm sinh", widget=widgets.IntegerWidget())
    gender = fields.Field(attribute="gender", column_name="gender")
    phone = fields.Field(attribute="phone", column_name="phone")
    external_code = fields.Field(attribute="external_code", column_name="Mã người dân")
    eid_level2_on = fields.Field(attribute="eid_level2_on", column_name="eid_on", widget=widgets.DateWidget("%Y-%m-%d"))
    signature_on = fields.Field(attribute="signature_on", column_name="signature_on", widget=widgets.DateWidget("%Y-%m-%d"))
    epayment_on = fields.Field(attribute="epayment_on", column_name="epayment_on", widget=widgets.DateWidget("%Y-%m-%d"))

    class Meta:
        model = Resident
        fields = ("household", "commune", "full_name", "birth_year", "gender", "phone", "external_code",
                  "eid_level2_on", "signature_on", "epayment_on")
        import_id_fields = ("household", "full_name", "birth_year")
        skip_unchanged = True

    def before_save_instance(self, instance, row, **kwargs):
        for field in ("eid_level2", "signature", "epayment"):
            if getattr(instance, f"{field}_on") and not getattr(instance, f"{field}_source"):
                setattr(instance, f"{field}_source", IndicatorSource.IMPORT)


def read_file(uploaded) -> tablib.Dataset:
    name = uploaded.name.lower()
    raw = uploaded.read()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(raw, format="xlsx")
        if name.endswith(".csv"):
            text = raw.decode("utf-8-sig")
            return tablib.Dataset().load(text, format="csv")
    except UnicodeDecodeError:
        raise ValidationError("Tệp CSV phải lưu theo bảng mã UTF-8 (trong Excel: Lưu thành… CSV UTF-8).") from None
    except Exception:
        raise ValidationError("Không đọc được tệp. Hãy dùng tệp Excel (.xlsx) hoặc CSV theo mẫu.") from None
    raise ValidationError("Chỉ nhận tệp Excel (.xlsx) hoặc CSV.")


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: str, label: str, errors: list[str]) -> str:
    if not value:
        return ""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    errors.append(f"{label} “{value}” không đúng dạng ngày/tháng/năm.")
    return ""


def validate(*, kind: str, data: tablib.Dataset, allowed_commune_ids: list[int] | None, job: ImportJob | None = None):
    """Check every row; return (errors, prepared dataset). errors = [(row number as in the sheet, [messages])]."""
    required = HOUSEHOLD_COLUMNS if kind == "ho" else RESIDENT_COLUMNS
    missing = [c for c in required if c not in (data.headers or [])]
    if missing:
        raise ValidationError("Tệp thiếu cột: " + ", ".join(missing) + ". Hãy dùng đúng tiêu đề cột như tệp mẫu.")
    communes = {c.code: c for c in Commune.objects.all()}
    this_year = timezone.localdate().year
    errors, seen, out = [], {}, []
    households: dict[tuple[str, str], int] = {}
    if kind == "nguoi":
        pairs = {(_cell(r, "Mã xã"), _cell(r, "Mã hộ").upper()) for r in data.dict}
        for h in Household.objects.filter(commune__code__in={p[0] for p in pairs}, code__in={p[1] for p in pairs}).select_related("commune"):
            households[(h.commune.code, h.code)] = h.pk
    for n, row in enumerate(data.dict, start=2):
        msgs = []
        code = _cell(row, "Mã xã").zfill(5) if _cell(row, "Mã xã").isdigit() else _cell(row, "Mã xã")
        hh_code = _cell(row, "Mã hộ").upper()
        commune = communes.get(code)
        if not code:
            msgs.append("Thiếu mã xã/phường.")
        elif commune is None:
            msgs.append(f"Không có xã/phường mã “{code}” trong danh sách 95 xã, phường của tỉnh.")
        elif allowed_commune_ids is not None and commune.pk not in allowed_commune_ids:
            msgs.append(f"Bạn chỉ được nhập dữ liệu của xã/phường mình; dòng này thuộc {commune}.")
        if not hh_code:
            msgs.append("Thiếu mã hộ.")
        elif len(hh_code) > 20 or not all(ch.isalnum() or ch in "-_/." for ch in hh_code):
            msgs.append(f"Mã hộ “{hh_code}” không hợp lệ (tối đa 20 ký tự, chỉ chữ, số và dấu - _ / .).")
        if kind == "ho":
            key = (code, hh_code)
            if key in seen:
                msgs.append(f"Trùng mã hộ {hh_code} với dòng {seen[key]}.")
            seen.setdefault(key, n)
            out.append([code, hh_code, _cell(row, "Ấp/Khu phố")[:100], _cell(row, "Địa chỉ")[:255]])
        else:
            name = " ".join(_cell(row, "Họ và tên").split())
            year_raw = _cell(row, "Năm sinh")
            year = int(year_raw) if year_raw.isdigit() else None
            if len(name) < 2:
                msgs.append("Thiếu họ và tên.")
            if year is None:
                msgs.append(f"Năm sinh “{year_raw}” không phải là một năm.")
            elif not 1900 <= year <= this_year:
                msgs.append(f"Năm sinh {year} không hợp lý (phải từ 1900 đến {this_year}).")
            gender_raw = _cell(row, "Giới tính").lower()
            if gender_raw not in GENDERS:
                msgs.append(f"Giới tính “{_cell(row, 'Giới tính')}” không rõ; ghi Nam, Nữ hoặc Khác.")
            phone = ""
            if _cell(row, "Số điện thoại"):
                try:
                    phone = normalize_phone(_cell(row, "Số điện thoại"))
                except ValidationError as exc:
                    msgs.append(exc.messages[0])
            household_id = households.get((code, hh_code))
            if commune and hh_code and household_id is None:
                msgs.append(f"Chưa có hộ mã {hh_code} ở {commune}; hãy nhập danh sách hộ trước.")
            key = (code, hh_code, name.lower(), year)
            if key in seen:
                msgs.append(f"Trùng người với dòng {seen[key]} (cùng hộ, họ tên và năm sinh).")
            seen.setdefault(key, n)
            dates = [_date(_cell(row, col), col, msgs) for col in OPTIONAL_RESIDENT_COLUMNS[1:]]
            out.append([household_id, commune.pk if commune else None, name, year, GENDERS.get(gender_raw, ""), phone,
                        _cell(row, "Mã người dân")[:30], *dates])
        if msgs:
            errors.append((n, msgs))
        if job is not None and n % 500 == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=n - 1)
    headers = (["Mã xã", "Mã hộ", "Ấp/Khu phố", "Địa chỉ"] if kind == "ho" else
               ["household_id", "commune_id", "Họ và tên", "Năm sinh", "gender", "phone", "Mã người dân",
                "eid_on", "signature_on", "epayment_on"])
    return errors, tablib.Dataset(*out, headers=headers)


def run_import(*, kind: str, data: tablib.Dataset, allowed_commune_ids: list[int] | None, dry_run: bool,
               job: ImportJob | None = None) -> dict:
    """All or nothing: {"errors": [...]} if any row fails (nothing saved), else counts of new/updated rows."""
    errors, prepared = validate(kind=kind, data=data, allowed_commune_ids=allowed_commune_ids, job=job)
    if errors:
        return {"errors": errors, "rows": len(data)}
    resource = HouseholdResource() if kind == "ho" else ResidentResource()
    with transaction.atomic():
        result = resource.import_data(prepared, dry_run=dry_run, raise_errors=True, use_transactions=False)
        if dry_run:
            transaction.set_rollback(True)
    totals = result.totals
    return {"errors": [], "rows": len(data), "new": totals.get("new", 0), "updated": totals.get("update", 0),
            "unchanged": totals.get("skip", 0), "preview": prepared.dict[:20]}
