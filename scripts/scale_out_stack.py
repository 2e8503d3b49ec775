"""Throwaway production-like pieces on 127.0.0.1, shared by scripts/scale_out.py and bench/: a PostgreSQL cluster,
gunicorn app servers with production settings, and Debian's nginx as the reverse proxy. Everything lives in one
temporary directory and is stopped and removed by `Stack.close()`."""
import glob
import os
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
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def free_port(start: int, end: int | None = None) -> int:
    for port in range(start, end or start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("Không còn cổng trống.")


def wait_http(url: str, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # nosec B310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"Không có trả lời ở {url}")


def pg_bin() -> Path | None:
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    return Path(bins[-1]) if bins else None


class Stack:
    def __init__(self, prefix: str = "hocvuso-stack-"):
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix))
        self.procs: list[subprocess.Popen] = []
        self.pg_stop: list[str] | None = None
        self.run_as: list[str] = []
        self.env: dict = {}

    # -- PostgreSQL ------------------------------------------------------------------------------------------------
    def postgres(self, db: str = "hocvuso", max_connections: int = 200) -> str:
        """Start a cluster (or use DATABASE_URL when it already points at PostgreSQL) and return the database URL."""
        binp = pg_bin()
        if binp is None:
            raise RuntimeError("PostgreSQL chưa được cài (gói Debian 'postgresql').")
        data = self.tmp / "pgdata"
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres", "postgres")
            shutil.chown(data, "postgres", "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        port = free_port(54500, 54599)
        subprocess.run(self.run_as + [str(binp / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E",
                                      "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
        opts = (f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c max_connections={max_connections} "
                "-c shared_buffers=128MB -c fsync=off -c synchronous_commit=off")
        subprocess.run(self.run_as + [str(binp / "pg_ctl"), "-D", str(data), "-l", str(self.tmp / "pg.log"), "-w", "-o",
                                      opts, "start"], check=True, stdout=subprocess.DEVNULL)
        self.pg_stop = self.run_as + [str(binp / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        self.pg_port = port
        self.pg_bin = binp
        subprocess.run([str(binp / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", db], check=True)
        return f"postgres://postgres@127.0.0.1:{port}/{db}"

    # -- Django --------------------------------------------------------------------------------------------------
    def production_env(self, database_url: str, **extra) -> dict:
        """Production settings, plain HTTP on loopback (no TLS here, so no HTTPS redirect and no secure-only cookies),
        media in the stack's directory, the database task backend."""
        media = self.tmp / "media"
        media.mkdir(exist_ok=True)
        os.chmod(self.tmp, 0o755)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "REDIS_URL"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "stack-only-" + os.urandom(24).hex(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "LOG_LEVEL": "WARNING",
            **extra,
        }
        return self.env

    def manage(self, *args: str, check: bool = True, quiet: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, check=check, text=True,
                              capture_output=quiet)

    def python(self, code: str) -> str:
        out = subprocess.run([PY, "-c", "import django; django.setup()\n" + code], cwd=ROOT, env=self.env,
                             check=True, capture_output=True, text=True)
        return out.stdout

    def gunicorn(self, workers: int = 2, name: str = "app") -> int:
        port = free_port(18100 + 10 * len(self.procs), 18999)
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
               "GUNICORN_ACCESSLOG": str(self.tmp / f"{name}-access.log")}
        log = open(self.tmp / f"{name}.log", "wb")
        proc = subprocess.Popen([GUNICORN, "-c", "config/gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        wait_http(f"http://127.0.0.1:{port}/suc-khoe/")
        return port

    def db_worker(self, seconds: float) -> None:
        """Run the database task worker for a moment, as the systemd service would run it for good."""
        proc = subprocess.Popen([PY, "manage.py", "db_worker", "--interval", "0.2"], cwd=ROOT, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(seconds)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)

    # -- nginx ---------------------------------------------------------------------------------------------------
    def nginx(self, upstream_ports: list[int]) -> int:
        if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
            raise RuntimeError("nginx chưa được cài (gói Debian 'nginx').")
        port = free_port(18080, 18099)
        conf_dir = self.tmp / "nginx"
        conf_dir.mkdir()
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstream_ports)
        user = "user root;" if os.geteuid() == 0 else ""
        conf = (ROOT / "docs" / "nginx.conf.template").read_text(encoding="utf-8")
        conf = (conf.replace("@USER@", user).replace("@PREFIX@", str(conf_dir)).replace("@UPSTREAMS@", servers)
                .replace("@LISTEN@", f"127.0.0.1:{port}").replace("@STATIC_ROOT@", str(ROOT / "staticfiles"))
                .replace("@MEDIA_ROOT@", self.env.get("MEDIA_ROOT", str(ROOT / "media"))))
        (conf_dir / "nginx.conf").write_text(conf, encoding="utf-8")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        proc = subprocess.Popen([nginx, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf"), "-g", "daemon off;"],
                                stdout=subprocess.DEVNULL, stderr=open(conf_dir / "stderr.log", "wb"),
                                start_new_session=True)
        self.procs.append(proc)
        wait_http(f"http://127.0.0.1:{port}/suc-khoe/")
        return port

    def close(self) -> None:
        for proc in reversed(self.procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if self.pg_stop:
            subprocess.run(self.pg_stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


if __name__ == "__main__":
    sys.exit("Dùng scripts/scale_out.py hoặc bench/load_test.py.")
