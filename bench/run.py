"""`make bench`: runs every benchmark in bench/ and prints one line per figure, `name: value unit`.

Each bench/*.py (except this file, the load test, and helpers named *_setup.py or _*.py) runs in its own process
with a time limit; its `name: value unit` lines are passed through, anything else it prints goes to stderr. If no
benchmark reported the lesson page's requests per second, this file measures it with wrk on gunicorn + PostgreSQL,
next to the same server's trivial view (/suc-khoe/). The 300-resident load test runs last unless --no-load.

    .venv/bin/python bench/run.py [--only NAME ...] [--no-load] [--timeout 900]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = str(ROOT / ".venv" / "bin" / "python")
FIGURE = re.compile(r"^[a-z][a-z0-9_]*: -?\d[\d.,]*(?: \S+)?$")
SKIP = {"run.py", "load_test.py"}


def benchmarks(only: list[str]) -> list[Path]:
    found = [p for p in sorted(BENCH.glob("*.py"))
             if p.name not in SKIP and not p.name.startswith("_") and not p.stem.endswith("_setup")]
    return [p for p in found if not only or p.stem in only]


def run_one(path: Path, timeout: int, extra: list[str] | None = None) -> list[str]:
    started = time.perf_counter()
    try:
        proc = subprocess.run([PY, str(path), *(extra or [])], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        print(f"[{path.name}] quá {timeout} s, dừng lại", file=sys.stderr)
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return [line for line in out.splitlines() if FIGURE.match(line.strip())]
    figures = []
    for line in proc.stdout.splitlines():
        (figures if FIGURE.match(line.strip()) else []).append(line.strip())
        if not FIGURE.match(line.strip()) and line.strip():
            print(f"[{path.name}] {line}", file=sys.stderr)
    if proc.returncode:
        print(f"[{path.name}] thoát với mã {proc.returncode}:\n{proc.stderr[-2000:]}", file=sys.stderr)
    print(f"[{path.name}] {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return figures


def wrk_rps(url: str, seconds: int, connections: int) -> tuple[float, int]:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def lesson_rps(seconds: int = 10, connections: int = 16) -> list[str]:
    """Lesson page and trivial view requests/s on one gunicorn (2 sync workers, production settings) + PostgreSQL."""
    if shutil.which("wrk") is None:
        print("[lesson_rps] cần wrk (gói Debian 'wrk'): bỏ qua", file=sys.stderr)
        return []
    sys.path.insert(0, str(ROOT / "scripts"))
    from scale_out_stack import Stack

    with Stack(prefix="hocvuso-bench-lesson-") as stack:
        stack.production_env(stack.postgres())
        stack.manage("migrate", "--noinput")
        stack.manage("collectstatic", "--noinput")
        stack.manage("load_demo")
        lesson = stack.python("from cms.models import LessonPage; print(LessonPage.objects.live().public().first().url)")
        port = stack.gunicorn(workers=2, name="lesson")
        base = f"http://127.0.0.1:{port}"
        url = base + lesson.strip()
        wrk_rps(url, 2, connections)  # warm both workers
        page, page_bad = wrk_rps(url, seconds, connections)
        trivial, trivial_bad = wrk_rps(base + "/suc-khoe/", seconds, connections)
    if page_bad or trivial_bad:
        print(f"[lesson_rps] non-2xx: lesson {page_bad}, trivial {trivial_bad}", file=sys.stderr)
    return [f"lesson_page_rps: {page:.0f} req/s", f"lesson_trivial_rps: {trivial:.0f} req/s",
            f"lesson_page_ratio: {page / trivial:.2f}"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--no-load", action="store_true")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("BENCH_TIMEOUT", "900")))
    args = ap.parse_args()
    seen: set[str] = set()

    def emit(lines: list[str]) -> None:
        for line in lines:
            name = line.split(":", 1)[0]
            if name not in seen:
                seen.add(name)
                print(line, flush=True)

    for path in benchmarks(args.only):
        emit(run_one(path, args.timeout))
    if "lesson_page_rps" not in seen and (not args.only or "lesson_rps" in args.only):
        emit(lesson_rps())
    if not args.no_load and (not args.only or "load_test" in args.only):
        emit(run_one(BENCH / "load_test.py", args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
