"""Lesson page weight (budget: ≤ 60 KB transferred before images and video; ARCHITECTURE §6).

    .venv/bin/python bench/lesson_page.py          # reuses /tmp/bench.sqlite3 if it already holds the demo
    .venv/bin/python bench/lesson_page.py --fresh  # rebuilds it: migrate + load_demo

Every live lesson of the demo courses is fetched with the Django test client, as a visitor and as the demo resident
(who also gets the progress box and the "mark as done" form). For each page the bytes of the HTML and of every
stylesheet and script it references are counted, raw and gzip-compressed (level 6, what WhiteNoise and common
reverse proxies send); images and video embeds are left out, as the budget says. Prints `name: value unit` lines;
the headline `lesson_page_kb` is the heaviest lesson, uncompressed, so it holds even behind a proxy that does not
compress."""
import gzip
import os
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
DB_PATH = Path(os.environ.get("BENCH_LESSON_DB", "/tmp/bench.sqlite3"))
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ.setdefault("MEDIA_ROOT", "/tmp/bench-media")  # the demo's cover images stay out of the project's media/

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def ensure_demo(fresh: bool) -> None:
    from cms.models import LessonPage

    if fresh and DB_PATH.exists():
        DB_PATH.unlink()
    call_command("migrate", verbosity=0)
    try:
        has_lessons = LessonPage.objects.live().exists()
    except Exception:  # noqa: BLE001 - an unmigrated file is rebuilt below
        has_lessons = False
    if not has_lessons:
        call_command("load_demo", stdout=open(os.devnull, "w"))


def asset_bytes(url: str) -> bytes:
    path = url.split("?", 1)[0]
    if not path.startswith("/static/"):
        raise SystemExit(f"unexpected asset outside /static/: {url}")
    found = finders.find(path.removeprefix("/static/"))
    if not found:
        raise SystemExit(f"asset not found: {url}")
    return Path(found).read_bytes()


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def measure(client: Client, url: str) -> dict:
    r = client.get(url, HTTP_HOST="127.0.0.1")
    if r.status_code != 200:
        raise SystemExit(f"{url}: HTTP {r.status_code}")
    html = r.content
    assets = [asset_bytes(u) for u in dict.fromkeys(ASSET.findall(html.decode()))]
    css_js_raw = sum(len(a) for a in assets)
    return {
        "url": url,
        "html_raw": len(html), "html_gzip": gz(html),
        "assets_raw": css_js_raw, "assets_gzip": sum(gz(a) for a in assets), "assets": len(assets),
        "total_raw": len(html) + css_js_raw, "total_gzip": gz(html) + sum(gz(a) for a in assets),
    }


def main() -> None:
    from cms.models import LessonPage
    from community.models import Resident
    from learning.models import Enrolment, LessonProgress
    from learning.services import lesson_complete

    ensure_demo("--fresh" in sys.argv)
    lessons = list(LessonPage.objects.live().order_by("path"))
    visitor = Client()
    # The demo team member reads every lesson in order (sequential courses unlock one by one), each page measured
    # before it is marked done, so it carries the progress box and the form. Only the bench's own database changes.
    member = Resident.objects.select_related("user").get(user__phone="+84902345678")
    LessonProgress.objects.filter(resident=member).delete()
    Enrolment.objects.filter(resident=member).delete()
    member_client = Client()
    member_client.force_login(member.user)
    rows = []
    for lesson in lessons:
        if not lesson.get_parent().specific.sequential:
            rows.append(measure(visitor, lesson.url))
        rows.append(measure(member_client, lesson.url))
        lesson_complete(resident=member, lesson=lesson)
    worst = max(rows, key=lambda r: r["total_raw"])
    kb = 1024
    print(f"lessons_measured: {len(lessons)} pages")
    print(f"lesson_page_kb: {worst['total_raw'] / kb:.1f} KB")
    print(f"lesson_page_gzip_kb: {max(r['total_gzip'] for r in rows) / kb:.1f} KB")
    print(f"lesson_page_median_kb: {statistics.median(r['total_raw'] for r in rows) / kb:.1f} KB")
    print(f"lesson_html_max_kb: {max(r['html_raw'] for r in rows) / kb:.1f} KB")
    print(f"lesson_html_max_gzip_kb: {max(r['html_gzip'] for r in rows) / kb:.1f} KB")
    print(f"lesson_css_js_kb: {worst['assets_raw'] / kb:.1f} KB")
    print(f"lesson_css_js_gzip_kb: {worst['assets_gzip'] / kb:.1f} KB")
    print(f"lesson_css_js_files: {worst['assets']} files")
    print(f"lesson_budget_kb: 60 KB")
    print(f"heaviest lesson: {worst['url']}", file=sys.stderr)
    if worst["total_raw"] > 60 * kb:
        raise SystemExit("over budget: a lesson page transfers more than 60 KB before images and video")


if __name__ == "__main__":
    main()
