#!/usr/bin/env python3
"""Scale-out, proven: two gunicorn app servers (production settings) behind Debian's nginx on 127.0.0.1, sharing one
throwaway PostgreSQL and one media directory. A resident logs in on server A, answers on server B, submits on A,
downloads the certificate through nginx and from both servers, and it verifies on A; an official asks server A for a
bulk print, the database task worker renders it, and server B hands it out. Finally scripts/backup.sh dumps the
database and media and scripts/restore.sh restores them into a new database, row for row. Everything is torn down.

    .venv/bin/python scripts/scale_out.py          # prints each step, exits non-zero on the first failure

Needs the Debian packages postgresql and nginx (scripts/system-deps.sh test installs them)."""
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_out_stack import ROOT, Stack  # noqa: E402

PASSWORD = "HocVuSo@2026"
SEED = f"""
import datetime
from django.utils import timezone
from assessment.models import PassRule, TestForm
from certificates.services import certificate_issue
from community.models import Commune, Household, Official, Resident, User
from framework.services import framework_load
from tests.helpers import make_item

fw = framework_load()
c = Commune.objects.create(code="26041", name="Trấn Biên", kind="phuong", group="I")
h = Household.objects.create(commune=c, code="KP1-001", hamlet="Khu phố 1")
u = User.objects.create_user(email="nhung@example.vn", password="{PASSWORD}")
Resident.objects.create(user=u, household=h, commune=c, full_name="Nguyễn Thị Hồng Nhung", birth_year=1962,
                        consent_at=timezone.now())
officer = User.objects.create_user(email="so.khcn@example.vn", password="{PASSWORD}")
Official.objects.create(user=officer, level="tinh")
for comp in ("0.1", "1.1", "4.2"):
    for n in range(3):
        make_item(fw, comp)
rule = PassRule.objects.create(version="TEST-1", min_overall_pct=70, min_area_pct=50, critical_must_pass=True)
TestForm.objects.create(slug="thu", title="Bài kiểm tra thử", framework=fw, blueprint={{"0": 2, "1": 2, "4": 2}},
                        time_limit_minutes=20, max_attempts_per_day=2, pass_rule=rule, issues_certificate=True)
# Enough earlier certificates that a bulk print goes to the background worker instead of answering at once.
for i in range(21):
    hh = Household.objects.create(commune=c, code=f"KP2-{{i:03d}}")
    r = Resident.objects.create(household=hh, commune=c, full_name=f"Người dân số {{i}}", birth_year=1970)
    certificate_issue(resident=r, kind="co_ban", evidence={{"seed": i}})
"""

CORRECT = """
import json
from assessment.models import Attempt, Option
a = Attempt.objects.get()
print(json.dumps({ai.position: list(Option.objects.filter(item_id=ai.item_id, is_correct=True).values_list("pk", flat=True))
                  for ai in a.attempt_items.all()}))
"""


T0 = time.perf_counter()


def step(msg: str) -> None:
    print(f"  ✓ {msg} [{time.perf_counter() - T0:.0f} s]", flush=True)


def csrf_of(session: requests.Session) -> str:
    return session.cookies.get("csrftoken")


def login(session: requests.Session, base: str, email: str) -> None:
    session.get(f"{base}/tai-khoan/login/").raise_for_status()
    r = session.post(f"{base}/tai-khoan/login/", data={"login": email, "password": PASSWORD,
                                                       "csrfmiddlewaretoken": csrf_of(session)}, allow_redirects=False)
    assert r.status_code == 302, f"đăng nhập thất bại ({r.status_code})"


COUNT_ROWS = """
import json
from django.db import connection
with connection.cursor() as cur:
    tables = sorted(connection.introspection.table_names(cur))
    counts = {}
    for t in tables:
        cur.execute(f'SELECT count(*) FROM "{t}"')  # nosec B608
        counts[t] = cur.fetchone()[0]
print(json.dumps(counts))
"""


def backup_restore_check(stack: Stack, db: str) -> None:
    """scripts/backup.sh, then scripts/restore.sh into a new database; every table must have the same rows, and the
    restored copy must be complete enough to migrate (nothing to do) and answer a page."""
    backups = stack.tmp / "backups"
    env = {**stack.env, "DATABASE_URL": db}
    out = subprocess.run(["scripts/backup.sh", str(backups)], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout.split()
    dump, media = out[0], out[1]
    restored = db.rsplit("/", 1)[0] + "/hocvuso_restored"
    subprocess.run([str(stack.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(stack.pg_port), "-U", "postgres",
                    "hocvuso_restored"], check=True)
    restored_media = stack.tmp / "media-restored"
    subprocess.run(["scripts/restore.sh", dump, media], cwd=ROOT, check=True, capture_output=True,
                   env={**env, "DATABASE_URL": restored, "MEDIA_ROOT": str(restored_media)})
    original = json.loads(stack.python(COUNT_ROWS))
    stack.env["DATABASE_URL"] = restored
    copy = json.loads(stack.python(COUNT_ROWS))
    plan = stack.manage("migrate", "--plan").stdout
    stack.env["DATABASE_URL"] = db
    assert copy == original, {t: (original.get(t), copy.get(t)) for t in set(original) | set(copy)
                              if original.get(t) != copy.get(t)}
    assert "No planned migration operations" in plan, plan[-500:]
    files = sorted(p.relative_to(restored_media) for p in restored_media.rglob("*.pdf"))
    assert files == sorted(p.relative_to(Path(stack.env["MEDIA_ROOT"])) for p in Path(stack.env["MEDIA_ROOT"]).rglob("*.pdf"))
    step(f"backup.sh → restore.sh into a new database: {len(original)} tables, {sum(original.values())} rows, "
         f"{len(files)} PDF files, all identical; migrations up to date")


def main() -> int:
    t0 = time.perf_counter()
    with Stack(prefix="hocvuso-scale-out-") as stack:
        db = stack.postgres()
        stack.production_env(db)
        stack.manage("migrate", "--noinput")
        stack.manage("collectstatic", "--noinput")
        stack.python(SEED)
        step(f"PostgreSQL {db.rsplit('@', 1)[1]}: migrated, seeded, static files collected")
        port_a, port_b = stack.gunicorn(name="a"), stack.gunicorn(name="b")
        port_n = stack.nginx([port_a, port_b])
        A, B, N = (f"http://127.0.0.1:{p}" for p in (port_a, port_b, port_n))
        step(f"gunicorn A :{port_a}, gunicorn B :{port_b}, nginx :{port_n} → A, B (round robin)")

        upstreams = {requests.get(f"{N}/suc-khoe/").headers["X-Upstream"] for _ in range(4)}
        assert upstreams == {f"127.0.0.1:{port_a}", f"127.0.0.1:{port_b}"}, upstreams
        step(f"nginx sends requests to both servers: {sorted(upstreams)}")

        resident = requests.Session()
        login(resident, A, "nhung@example.vn")
        step("resident logged in on A")
        r = resident.get(f"{B}/kiem-tra/")
        assert r.status_code == 200 and "Bài kiểm tra thử" in r.text, r.status_code
        r = resident.post(f"{B}/kiem-tra/thu/bat-dau/", data={"csrfmiddlewaretoken": csrf_of(resident)},
                          allow_redirects=False)
        assert r.status_code == 302 and "/cau/" in r.headers["Location"], (r.status_code, r.headers.get("Location"))
        question_url = r.headers["Location"]
        step("same session on B: test list shown, attempt started")
        correct = {int(k): v for k, v in json.loads(stack.python(CORRECT)).items()}
        for position, options in sorted(correct.items()):
            server = B if position % 2 else A
            url = server + re.sub(r"/cau/\d+/", f"/cau/{position}/", question_url)
            page = resident.get(url)
            assert page.status_code == 200 and f'value="{options[0]}"' in page.text, (position, page.status_code)
            saved = resident.post(url, data={"dap-an": options[0]},
                                  headers={"X-Requested-With": "fetch", "X-CSRFToken": csrf_of(resident)})
            assert saved.status_code == 200 and saved.json()["saved"] is True, saved.text
        step(f"{len(correct)} answers saved, alternating B and A")
        attempt_path = question_url.split("/cau/")[0]
        r = resident.post(f"{A}{attempt_path}/nop-bai/", data={"csrfmiddlewaretoken": csrf_of(resident)})
        assert r.status_code == 200 and "ĐẠT" in r.text, r.status_code
        link = re.search(r'href="(/chung-nhan/([^/"]+)/tai-ve/)"', r.text)
        assert link, "không thấy liên kết tải giấy chứng nhận"
        step("submitted on A: passed, certificate issued")

        pdf_n = resident.get(N + link.group(1))
        assert pdf_n.status_code == 200 and pdf_n.content.startswith(b"%PDF"), pdf_n.status_code
        pdf_a, pdf_b = resident.get(A + link.group(1)), resident.get(B + link.group(1))
        assert pdf_a.content == pdf_b.content == pdf_n.content
        step(f"certificate PDF ({len(pdf_n.content) // 1024} KiB) through nginx, and the same stored file from A and B")
        code = link.group(2)
        verify = requests.get(f"{A}/xac-minh/{code}/", params={"dinh-dang": "json"}).json()
        assert verify["status"] == "valid" and verify["holder_name"] == "Nguyễn Thị Hồng Nhung", verify
        step(f"verified on A: {verify['status']}, {verify['holder_name']}")

        officer = requests.Session()
        login(officer, A, "so.khcn@example.vn")
        r = officer.post(f"{A}/chung-nhan/quan-ly/in-hang-loat/", allow_redirects=False, data={
            "cach": "tu_ngay", "tu_ngay": "01/01/2020", "loai": "", "csrfmiddlewaretoken": csrf_of(officer)})
        assert r.status_code == 302 and "/in-hang-loat/" in r.headers["Location"], (r.status_code, r.text[:300])
        status_url = B + r.headers["Location"]
        before = officer.get(status_url, params={"dinh-dang": "json"}).json()
        assert before["status"] != "xong" and before["download_url"] is None, before
        step(f"bulk print of {before['total']} certificates queued on A; B sees it waiting ({before['status_label']})")
        for _ in range(6):
            stack.db_worker(seconds=8)
            after = officer.get(status_url, params={"dinh-dang": "json"}).json()
            if after["download_url"]:
                break
        assert after["download_url"], after
        bulk = officer.get(N + after["download_url"])
        assert bulk.status_code == 200 and bulk.content.startswith(b"%PDF"), bulk.status_code
        step(f"db_worker rendered it; B reports {after['status_label']}, {after['done']}/{after['total']}; "
             f"PDF {len(bulk.content) // 1024} KiB through nginx")
        backup_restore_check(stack, db)
    print(f"scale_out_ok: 1 (2 app servers, nginx, PostgreSQL; {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
