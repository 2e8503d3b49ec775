"""Benchmark: saving one answer during a test, against the same server's trivial view.

Starts a throwaway PostgreSQL cluster (initdb in a temp dir, 127.0.0.1 only) and gunicorn (2 sync workers,
production settings, DEBUG off), seeds N residents each with an open attempt (bench/answer_setup.py), then drives
both endpoints with wrk for a fixed time each (≤ 30 s of load in all) and prints:

    answer_save_rps: X req/s
    trivial_rps: Y req/s
    answer_save_ratio: Z        (X / Y)

Usage: .venv/bin/python bench/answer_save.py [--residents 300] [--seconds 10] [--connections 8]

300 residents taking the test at once, each answering about every 20 s, make ~15 answer saves a second: that is
the load the architecture's budget asks one 2-core server to carry without errors.
"""
import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"


def _free_port(candidates) -> int:
    """Other benchmarks and test clusters may run on this machine: take the first port nobody listens on."""
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit("Không còn cổng trống.")


PG_PORT = int(os.environ.get("BENCH_PGPORT") or _free_port(range(54471, 54500)))
HTTP_PORT = int(os.environ.get("BENCH_HTTP_PORT") or _free_port(range(8471, 8500)))


def pg_start(tmp: Path) -> tuple[list[str], Path]:
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        sys.exit("PostgreSQL chưa được cài (cần gói 'postgresql').")
    pgbin = Path(bins[-1])
    data = tmp / "pgdata"
    data.mkdir()
    run_as = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run(run_as + [str(pgbin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                             "--locale=C.UTF-8", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
    opts = f"-c listen_addresses=127.0.0.1 -p {PG_PORT} -k {data} -c max_connections=100 -c shared_buffers=128MB"
    started = subprocess.run(run_as + [str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-o",
                                       opts, "start"], stdout=subprocess.DEVNULL)
    if started.returncode:
        sys.exit("PostgreSQL không khởi động được:\n" + (data / "server.log").read_text(errors="replace")[-2000:])
    subprocess.run(run_as + [str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "hocvuso_bench"],
                   check=True)
    return run_as + [str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], data


def wait_http(url: str, timeout: float = 30) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn không trả lời ở {url}")


def wrk(args: list[str], env: dict) -> tuple[float, int, str, str]:
    done = subprocess.run(["wrk", *args], capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"wrk thất bại: {done.stderr or done.stdout}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    p50, p99 = re.search(r"50%\s+(\S+)", out), re.search(r"99%\s+(\S+)", out)
    latency = f"p50 {p50.group(1)}, p99 {p99.group(1)}" if p50 and p99 else ""
    return rps, int(bad.group(1)) if bad else 0, errors.group(0) if errors else "", latency


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=300)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("Cần công cụ wrk (gói Debian 'wrk').")
    tmp = Path(tempfile.mkdtemp(prefix="hocvuso-bench-answer-"))
    stop_pg, gunicorn = None, None
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/hocvuso_bench",
        "DB_CONN_MAX_AGE": "60",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ANSWER_DATA": str(tmp / "answers.lua"),
        "PYTHONWARNINGS": "ignore::UserWarning",  # WhiteNoise: no collected static files, none are served here
    }
    try:
        stop_pg, _ = pg_start(tmp)
        subprocess.run([str(PY), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([str(PY), "bench/answer_setup.py", env["ANSWER_DATA"], str(args.residents)], cwd=ROOT, env=env, check=True)
        gunicorn = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{HTTP_PORT}",
             "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True,
        )
        base = f"http://127.0.0.1:{HTTP_PORT}"
        wait_http(base + "/suc-khoe/")
        # one answer by hand first: the benchmark only counts if the request really saves
        first = Path(env["ANSWER_DATA"]).read_text(encoding="utf-8")
        m = re.search(r'cookie="([^"]+)", csrf="([^"]+)", answers=\{\{"([^"]+)", (\d+)\}', first)
        req = urllib.request.Request(base + m.group(3), data=f"dap-an={m.group(4)}".encode(), method="POST", headers={
            "Cookie": m.group(1), "X-CSRFToken": m.group(2), "X-Requested-With": "fetch",
            "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert json.loads(r.read()) == {"saved": True}, "answer not saved"
        common = ["-t", "1", "-c", str(args.connections), "-d", f"{args.seconds}s", "--timeout", "10s", "--latency"]
        wrk(["-t", "1", "-c", "4", "-d", "2s", base + "/suc-khoe/"], env)  # warm both workers
        trivial, trivial_bad, trivial_err, trivial_lat = wrk(common + [base + "/suc-khoe/"], env)
        save, save_bad, save_err, save_lat = wrk(common + ["-s", str(ROOT / "bench" / "answer_save.lua"), base + "/"], env)
        saved = subprocess.run(
            [str(PY), "manage.py", "shell", "--no-imports", "-c",
             "from assessment.models import AttemptItem; print(AttemptItem.objects.filter(answered_at__isnull=False).count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()
        print(f"residents: {args.residents}, connections: {args.connections}, {args.seconds} s per endpoint, "
              f"gunicorn 2 sync workers, wrk on the same {os.cpu_count()}-core machine")
        print(f"answer rows saved at least once: {saved}; non-2xx answer saves: {save_bad} {save_err}".rstrip())
        print(f"non-2xx trivial: {trivial_bad} {trivial_err}".rstrip())
        print(f"answer_save latency: {save_lat}; trivial latency: {trivial_lat}")
        print(f"answer_save_rps: {save:.0f} req/s")
        print(f"trivial_rps: {trivial:.0f} req/s")
        print(f"answer_save_ratio: {save / trivial:.2f}")
        if save_bad:
            sys.exit("some answer saves failed")
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=10)
        if stop_pg is not None:
            subprocess.run(stop_pg, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
