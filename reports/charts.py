"""Server-rendered SVG charts and the commune map: no JavaScript, no external tiles or CDN. Every chart is shown
with a data table beside it in the templates; here only the picture."""
import json
import math
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

GEOJSON = Path(settings.BASE_DIR) / "data" / "dong-nai-communes.geojson"
MAP_CREDIT = ("Ranh giới xã/phường: vietnamese-provinces-database (Thang Le Quoc, giấy phép MIT), "
              "dựa trên Bản đồ đơn vị hành chính sapnhap.bando.com.vn; đã giản lược.")


def _pct_text(p):
    return "–" if p is None else f"{p:.1f}".replace(".", ",") + "%"


def target_bars(indicators: list[dict], *, title: str, series: list[tuple[str, list[dict]]] | None = None) -> str:
    """Horizontal bars, one group per indicator, with the target marked. `series` = [(label, indicators), ...]."""
    series = series or [("", indicators)]
    row_h, bar_h, left, width = 22 * len(series) + 26, 18, 10, 600
    plot_w = width - 2 * left - 60
    height = row_h * len(indicators) + 10
    parts = [format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}"><title id="{}">{}</title>',
                         width, height, f"t{id(indicators)}", f"t{id(indicators)}", title)]
    for i, ind in enumerate(indicators):
        y = i * row_h + 4
        parts.append(format_html('<text x="{}" y="{}" class="chart-label">{}</text>', left, y + 12, ind["label"]))
        for s, (label, inds) in enumerate(series):
            item = inds[i]
            by = y + 18 + s * 22
            w = plot_w * min(item["percent"] or 0, 100) / 100
            band = "bar-none" if item["meets"] is None else ("bar-ok" if item["meets"] else "bar-bad")
            parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" class="bar-track"/>', left, by, plot_w, bar_h))
            parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>', left, by, f"{w:.1f}", bar_h, band))
            if item["target"] is not None:
                tx = left + plot_w * item["target"] / 100
                parts.append(format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" class="target-line"/>',
                                         f"{tx:.1f}", f"{tx:.1f}", by - 3, by + bar_h + 3))
            parts.append(format_html('<text x="{}" y="{}" class="chart-value">{}</text>', left + plot_w + 6, by + 13,
                                     _pct_text(item["percent"])))
            if label:
                parts.append(format_html('<text x="{}" y="{}" class="chart-inbar">{}</text>', left + 4, by + 13, label))
    parts.append(mark_safe("</svg>"))  # nosec B308
    # Every part comes from format_html, which escapes: joining them is safe (bandit cannot see that).
    return mark_safe("".join(parts))  # nosec B308, B703


def trend_lines(months: list[dict], *, title: str) -> str:
    """One line per indicator, percent at each month end."""
    width, height, left, bottom, top = 600, 260, 40, 30, 10
    plot_w, plot_h = width - left - 10, height - top - bottom
    n = max(len(months), 1)
    x = lambda i: left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)  # noqa: E731
    y = lambda p: top + plot_h * (1 - p / 100)  # noqa: E731
    parts = [format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="tr"><title id="tr">{}</title>',
                         width, height, title)]
    for p in (0, 25, 50, 75, 100):
        parts.append(format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/><text x="2" y="{}" class="chart-axis">{}%</text>',
                                 left, width - 10, f"{y(p):.1f}", f"{y(p):.1f}", f"{y(p) + 4:.1f}", p))
    for i, m in enumerate(months):
        parts.append(format_html('<text x="{}" y="{}" class="chart-axis" text-anchor="middle">T{}</text>',
                                 f"{x(i):.1f}", height - 8, m["on"].month))
    for k in range(len(months[0]["indicators"]) if months else 0):
        pts = [(x(i), y(m["indicators"][k]["percent"])) for i, m in enumerate(months) if m["indicators"][k]["percent"] is not None]
        if pts:
            d = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            parts.append(format_html('<polyline points="{}" class="line line-{}"><title>{}</title></polyline>', d, k,
                                     months[0]["indicators"][k]["label"]))
            for px, py in pts:
                parts.append(format_html('<circle cx="{}" cy="{}" r="4" class="dot line-{}"/>', f"{px:.1f}", f"{py:.1f}", k))
    parts.append(mark_safe("</svg>"))  # nosec B308
    # Every part comes from format_html, which escapes: joining them is safe (bandit cannot see that).
    return mark_safe("".join(parts))  # nosec B308, B703


@lru_cache(maxsize=1)
def _projected_paths() -> tuple[dict[str, str], str]:
    """Project the boundaries once per process: equirectangular, scaled by cos(latitude) — fine at this size."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    lons = [pt[0] for f in features for poly in f["geometry"]["coordinates"] for ring in poly for pt in ring]
    lats = [pt[1] for f in features for poly in f["geometry"]["coordinates"] for ring in poly for pt in ring]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = 600 / ((max(lons) - min(lons)) * k)
    x0, y1 = min(lons), max(lats)
    paths = {}
    for f in features:
        d = []
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                d.append("M" + "L".join(f"{(lon - x0) * k * scale:.1f},{(y1 - lat) * scale:.1f}" for lon, lat in ring) + "Z")
        paths[f["properties"]["code"]] = "".join(d)
    viewbox = f"0 0 600 {(max(lats) - min(lats)) * scale:.0f}"
    return paths, viewbox


BANDS = [
    ("band-4", "Đạt chỉ tiêu"),
    ("band-3", "Đạt 75–99% chỉ tiêu"),
    ("band-2", "Đạt 50–74% chỉ tiêu"),
    ("band-1", "Dưới 50% chỉ tiêu"),
    ("band-0", "Chưa có số liệu"),
]


def coverage_band(percent, target) -> str:
    if percent is None or not target:
        return "band-0"
    ratio = percent / target
    return "band-4" if ratio >= 1 else "band-3" if ratio >= 0.75 else "band-2" if ratio >= 0.5 else "band-1"


def commune_map(rows: list[dict]) -> str:
    """Each commune a link to its dashboard, filled by household coverage against its group's target."""
    paths, viewbox = _projected_paths()
    parts = [format_html('<svg class="map" viewBox="{}" role="img" aria-labelledby="map-title">'
                         '<title id="map-title">Bản đồ tỷ lệ hộ có người thành thạo kỹ năng số so với chỉ tiêu</title>', viewbox)]
    for r in rows:
        d = paths.get(r["commune"].code)
        if not d:
            continue
        cov = r["indicators"][1]
        tip = f"{r['commune']}: {_pct_text(cov['percent'])} (chỉ tiêu {cov['target']}%)"
        parts.append(format_html('<a href="{}"><path d="{}" class="{}"><title>{}</title></path></a>',
                                 reverse("reports:commune", args=[r["commune"].code]), d,
                                 coverage_band(cov["percent"], cov["target"]), tip))
    parts.append(mark_safe("</svg>"))  # nosec B308
    # Every part comes from format_html, which escapes: joining them is safe (bandit cannot see that).
    return mark_safe("".join(parts))  # nosec B308, B703

