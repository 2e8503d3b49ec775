"""Two gunicorn app servers behind nginx share one PostgreSQL: sessions, media (certificate PDFs) and background
tasks work whichever server answers; a backup restores row for row. Runs scripts/scale_out.py (which starts its own
throwaway cluster, servers and proxy on 127.0.0.1) during the PostgreSQL pass of `make test`."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="chỉ chạy ở lượt kiểm thử trên PostgreSQL"),
    pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                       reason="cần nginx (gói Debian 'nginx')"),
]


def test_resident_session_answers_certificate_and_tasks_work_across_two_servers_behind_nginx():
    result = subprocess.run([sys.executable, "scripts/scale_out.py"], cwd=ROOT, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for step in ("same session on B", "answers saved, alternating B and A", "same stored file from A and B",
                 "verified on A: valid", "db_worker rendered it", "all identical; migrations up to date"):
        assert step in result.stdout, result.stdout
    assert "scale_out_ok: 1" in result.stdout
