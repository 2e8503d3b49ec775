"""XLSX (tablib/openpyxl) and printable PDF (WeasyPrint, bundled font) for statistics and quarterly reports."""
import tablib
from django.template.loader import render_to_string

from config.pdf import render_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pct(p):
    return "" if p is None else p


def stats_dataset(rows: list[dict], *, title: str) -> tablib.Dataset:
    """One row per commune (or hamlet): counts and percent for each indicator beside its target."""
    headers = ["Mã", "Tên"]
    if rows:
        for i in rows[0]["indicators"]:
            headers += [f"{i['label']} – đạt", f"{i['label']} – tổng", f"{i['label']} – %", f"{i['label']} – chỉ tiêu %"]
    data = tablib.Dataset(headers=headers, title=title[:31])
    for r in rows:
        line = [r.get("code", ""), r["name"]]
        for i in r["indicators"]:
            line += [i["part"], i["whole"], _pct(i["percent"]), "" if i["target"] is None else i["target"]]
        data.append(line)
    return data


def book(*datasets) -> bytes:
    return tablib.Databook(datasets).export("xlsx")


REPORT_CSS = (
    "body{font-family:'Be Vietnam Pro';font-size:10pt} table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #999;padding:3pt 4pt;text-align:left} td.num{text-align:right}"
    "@page{size:A4 landscape;margin:14mm}"
)


def pdf(template: str, context: dict) -> bytes:
    return render_pdf(render_to_string(template, context), REPORT_CSS)
