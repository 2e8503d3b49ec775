"""Load test: 300 residents take the skills test at once on one 2-core server (gunicorn, 4 sync workers, production
settings) with PostgreSQL, all on 127.0.0.1, driven by Locust for a bounded time.

    .venv/bin/python bench/load_test.py [--users 300] [--seconds 180] [--spawn-rate 5] [--workers 4] [--form-logins 20]

Each simulated resident opens the test list, starts the test, then for 10 questions loads the question page and
saves an answer the way the page's script does (POST with X-Requested-With: fetch), thinking 20–40 s on each
question (LOAD_THINK_MIN/MAX; in the 180 s window most save 5–6 answers), and submits after 10. Residents stay
signed in on their phones (sessions last 60 days), so most arrive with a session made in setup; `--form-logins` of them sign in through the log-in form during the run
(each costs a full PBKDF2 hash, about a CPU-second here). Prints:

    load_users: 300 users
    load_errors: N errors            (any failed request or an answer not saved)
    load_answer_save_p95_ms: X ms
    load_answer_save_rps: Y req/s    (answer saves per second over the busy period)
"""
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "HocVuSo@2026"
ANSWERS_PER_RESIDENT = 10
# Seconds a resident spends on a question before the answer is saved. Real residents (many elderly, reading on a
# phone) take 15–40 s. LOAD_THINK_MIN/MAX=8/16 is a stress run at 2–3 times that pace (it saturates 2 cores here).
THINK_MIN, THINK_MAX = float(os.environ.get("LOAD_THINK_MIN", "20")), float(os.environ.get("LOAD_THINK_MAX", "40"))

try:  # Locust imports this file as its locustfile; the driver below runs without touching gevent.
    from locust import HttpUser, between, events, task
    from locust.exception import StopUser
except ImportError:  # pragma: no cover
    HttpUser = None

SEED = """
import json, sys
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from assessment.models import PassRule, TestForm
from community.models import Commune, Household, Resident, User
from framework.services import framework_load
from tests.helpers import make_item

n, form_logins = int(sys.argv[1]), int(sys.argv[2])
fw = framework_load()
c = Commune.objects.create(code="26041", name="Trấn Biên", kind="phuong", group="I")
for comp in ("0.1", "1.1", "2.3", "4.2"):
    for _ in range(5):
        make_item(fw, comp)
rule = PassRule.objects.create(version="LOAD-1", min_overall_pct=70, min_area_pct=50, critical_must_pass=True)
TestForm.objects.create(slug="ky-nang-so", title="Kiểm tra kỹ năng số cơ bản", framework=fw,
                        blueprint={"0": 3, "1": 3, "2": 3, "4": 3}, time_limit_minutes=30, max_attempts_per_day=2,
                        pass_rule=rule, issues_certificate=True)
hashed = make_password(PASSWORD)
households = Household.objects.bulk_create([Household(commune=c, code=f"KP-{i:04d}") for i in range(n)])
users = User.objects.bulk_create([User(username=f"u{i:06d}", email=f"dan{i}@example.vn", password=hashed)
                                  for i in range(n)])
Resident.objects.bulk_create([Resident(user=u, household=h, commune=c, full_name=f"Người dân {i}", birth_year=1960 + i % 40,
                                       consent_at=timezone.now()) for i, (u, h) in enumerate(zip(users, households))])
accounts = []
for i, u in enumerate(users):
    session = ""
    if i >= form_logins:
        s = SessionStore()
        s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(u.pk), "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = u.get_session_auth_hash()
        s.create()
        session = s.session_key
    accounts.append({"email": u.email, "session": session})
print(json.dumps(accounts))
""".replace("PASSWORD", repr(PASSWORD))

# ---------------------------------------------------------------------------------------------------- Locust side
if HttpUser is not None and os.environ.get("LOAD_ACCOUNTS"):
    ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
    RESULTS = {"save_ms": [], "save_t": [], "errors": 0, "error_kinds": {}, "submitted": 0}
    OPTION = re.compile(r'name="dap-an"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="dap-an"')

    def _error(kind: str) -> None:
        RESULTS["errors"] += 1
        RESULTS["error_kinds"][kind] = RESULTS["error_kinds"].get(kind, 0) + 1

    @events.request.add_listener
    def _on_request(request_type, name, response_time, response_length, response=None, exception=None, **kw):
        if exception is not None:
            _error(f"{name}: {type(exception).__name__}")
        elif name == "answer save":
            RESULTS["save_ms"].append(response_time)
            RESULTS["save_t"].append(time.time())

    @events.quitting.add_listener
    def _on_quit(environment, **kw):
        Path(os.environ["LOAD_RESULTS"]).write_text(json.dumps(RESULTS))

    class ResidentUser(HttpUser):
        wait_time = between(THINK_MIN, THINK_MAX)

        def csrf(self) -> str:
            return self.client.cookies.get("csrftoken", "")

        def on_start(self):
            me = ACCOUNTS.pop()
            if me["session"]:
                self.client.cookies.set("sessionid", me["session"])
                self.client.get("/tai-khoan/login/", name="login page")  # sets the CSRF cookie, as any page does
            else:
                self.client.get("/tai-khoan/login/", name="login page")
                with self.client.post("/tai-khoan/login/", name="login", allow_redirects=False, catch_response=True,
                                      data={"login": me["email"], "password": PASSWORD,
                                            "csrfmiddlewaretoken": self.csrf()}) as r:
                    if r.status_code != 302:
                        r.failure(f"login {r.status_code}")
            self.client.get("/kiem-tra/", name="test list")
            with self.client.post("/kiem-tra/ky-nang-so/bat-dau/", name="start test", allow_redirects=False,
                                  catch_response=True, data={"csrfmiddlewaretoken": self.csrf()}) as r:
                location = r.headers.get("Location", "")
                if r.status_code != 302 or "/cau/" not in location:
                    r.failure(f"start {r.status_code}")
                    self.attempt = None
                    return
            self.attempt = location.split("/cau/")[0]
            self.position = 1

        @task
        def answer_next(self):
            if not self.attempt:
                raise StopUser()
            if self.position > ANSWERS_PER_RESIDENT:
                with self.client.post(f"{self.attempt}/nop-bai/", name="submit", catch_response=True,
                                      data={"csrfmiddlewaretoken": self.csrf()}) as r:
                    if r.status_code != 200 or "Kết quả" not in r.text and "ĐẠT" not in r.text:
                        r.failure(f"submit {r.status_code}")
                    else:
                        RESULTS["submitted"] += 1
                raise StopUser()
            url = f"{self.attempt}/cau/{self.position}/"
            page = self.client.get(url, name="question page")
            options = [a or b for a, b in OPTION.findall(page.text)]
            if not options:
                _error("question page without options")
                raise StopUser()
            with self.client.post(url, name="answer save", catch_response=True,
                                  data={"dap-an": random.choice(options)},
                                  headers={"X-Requested-With": "fetch", "X-CSRFToken": self.csrf()}) as r:
                ok = r.status_code == 200 and r.headers.get("Content-Type", "").startswith("application/json") \
                    and r.json().get("saved") is True
                if not ok:
                    _error(f"answer save {r.status_code}")
                    r.failure(f"answer save {r.status_code}")
            self.position += 1


# ---------------------------------------------------------------------------------------------------- driver side
def main() -> int:
    import argparse

    sys.path.insert(0, str(ROOT / "scripts"))
    from scale_out_stack import Stack

    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=300)
    ap.add_argument("--seconds", type=int, default=180)
    ap.add_argument("--spawn-rate", type=float, default=5)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--form-logins", type=int, default=20)
    args = ap.parse_args()
    with Stack(prefix="hocvuso-load-") as stack:
        stack.production_env(stack.postgres(max_connections=100), DB_CONN_MAX_AGE="60")
        stack.manage("migrate", "--noinput")
        stack.manage("collectstatic", "--noinput")
        seed = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", "import django; django.setup()\n" + SEED,
                               str(args.users), str(args.form_logins)], cwd=ROOT, env=stack.env, check=True,
                              capture_output=True, text=True)
        accounts = stack.tmp / "accounts.json"
        accounts.write_text(seed.stdout.strip().splitlines()[-1])
        port = stack.gunicorn(workers=args.workers, name="load")
        results = stack.tmp / "results.json"
        env = {**os.environ, "LOAD_ACCOUNTS": str(accounts), "LOAD_RESULTS": str(results)}
        started = time.time()
        locust = subprocess.run(
            [str(ROOT / ".venv/bin/locust"), "-f", __file__, "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
             "-t", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}", "--only-summary", "--stop-timeout", "10",
             "--exit-code-on-error", "0", "--loglevel", "ERROR"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=args.seconds + 120,
        )
        elapsed = time.time() - started
        print(locust.stdout[-6000:] + locust.stderr[-6000:], file=sys.stderr)  # Locust's own table, per request kind
        if not results.exists():
            print(locust.stdout[-3000:], locust.stderr[-3000:], file=sys.stderr)
            return 1
        data = json.loads(results.read_text())
        saved = int(stack.python(
            "from assessment.models import AttemptItem; "
            "print(AttemptItem.objects.filter(answered_at__isnull=False).count())").strip())
        server_errors = sum(1 for line in (stack.tmp / "load-access.log").read_text().splitlines()
                            if '"status": 5' in line)
    ms = sorted(data["save_ms"])
    # Once everyone has arrived (spawned, signed in, started the test) only answering is left: the steady state.
    arrived = started + args.users / args.spawn_rate + 15
    steady = sorted(m for m, t in zip(data["save_ms"], data["save_t"]) if t >= arrived)
    p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) > 1 else float("nan")
    busy = (max(data["save_t"]) - min(data["save_t"])) if len(data["save_t"]) > 1 else elapsed
    print(f"load_users: {args.users} users")
    print(f"load_errors: {data['errors']} errors")
    if data["error_kinds"]:
        print("load_error_kinds: " + json.dumps(data["error_kinds"], ensure_ascii=False), file=sys.stderr)
    print(f"load_server_5xx: {server_errors} responses")
    print(f"load_answer_saves: {len(ms)} requests")
    print(f"load_answers_in_db: {saved} rows")
    print(f"load_tests_submitted: {data['submitted']} attempts")
    print(f"load_answer_save_p50_ms: {statistics.median(ms):.0f} ms")
    print(f"load_answer_save_p95_ms: {p95:.0f} ms")
    print(f"load_answer_save_max_ms: {ms[-1]:.0f} ms")
    if len(steady) > 1:
        print(f"load_answer_save_steady_p95_ms: {statistics.quantiles(steady, n=20)[-1]:.0f} ms")
    print(f"load_answer_save_rps: {len(ms) / busy:.1f} req/s")
    print(f"load_workers: {args.workers} gunicorn sync workers on {os.cpu_count()} cores")
    return 0 if data["errors"] == 0 and server_errors == 0 else 2


if __name__ == "__main__":
    sys.exit(main())
