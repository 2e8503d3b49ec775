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
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from scale_out_stack import PY, Stack  # noqa: E402  (the throwaway PostgreSQL + gunicorn every benchmark shares)


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
    with Stack(prefix="hocvuso-bench-answer-") as stack:
        answers = stack.tmp / "answers.lua"
        env = stack.production_env(
            stack.postgres(db="hocvuso_bench", max_connections=100),
            DB_CONN_MAX_AGE="60",
            TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
            ANSWER_DATA=str(answers),
            PYTHONWARNINGS="ignore::UserWarning",  # WhiteNoise: no collected static files, none are served here
        )
        stack.manage("migrate", "--noinput")
        subprocess.run([PY, "bench/answer_setup.py", str(answers), str(args.residents)], cwd=ROOT, env=env, check=True)
        base = f"http://127.0.0.1:{stack.gunicorn(workers=2, name='answer-save')}"
        # one answer by hand first: the benchmark only counts if the request really saves
        m = re.search(r'cookie="([^"]+)", csrf="([^"]+)", answers=\{\{"([^"]+)", (\d+)\}', answers.read_text(encoding="utf-8"))
        req = urllib.request.Request(base + m.group(3), data=f"dap-an={m.group(4)}".encode(), method="POST", headers={
            "Cookie": m.group(1), "X-CSRFToken": m.group(2), "X-Requested-With": "fetch",
            "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=10) as r:  # nosec B310 (loopback)
            assert json.loads(r.read()) == {"saved": True}, "answer not saved"
        common = ["-t", "1", "-c", str(args.connections), "-d", f"{args.seconds}s", "--timeout", "10s", "--latency"]
        wrk(["-t", "1", "-c", "4", "-d", "2s", base + "/suc-khoe/"], env)  # warm both workers
        trivial, trivial_bad, trivial_err, trivial_lat = wrk(common + [base + "/suc-khoe/"], env)
        save, save_bad, save_err, save_lat = wrk(common + ["-s", str(ROOT / "bench" / "answer_save.lua"), base + "/"], env)
        saved = stack.python(
            "from assessment.models import AttemptItem; "
            "print(AttemptItem.objects.filter(answered_at__isnull=False).count())").strip()
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


if __name__ == "__main__":
    main()
