"""Certificate PDF speed (budget: ≤ 50 ms per certificate on one core once warm; ARCHITECTURE §6).

    .venv/bin/python bench/certificates.py

Uses a throwaway SQLite database (for the site settings row) and unsaved certificates, so it touches nothing real.
Prints `certificate_ms: X ms` (median of 200 distinct certificates rendered one by one in this process) and
`certificate_batch_200_s: Y s` (one 200-page PDF, rendered in chunks as the background task does)."""
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/bench_cert.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from certificates import codes  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from certificates.pdf import render_certificate, render_chunks  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Thị", "Văn", "Hữu", "Ngọc", "Thanh", "Minh", "Quốc", "Xuân"]
GIVEN = ["Hồng Nhung", "Bảo Anh", "Đức Thắng", "Thu Hương", "Quang Huy", "Mỹ Dung", "Tuấn Kiệt", "Yến Nhi", "Ánh Tuyết"]
COMMUNES = ["Phường Trấn Biên", "Phường Biên Hòa", "Xã Bù Gia Mập", "Xã Định Quán", "Phường Long Khánh"]


def certificates(n: int) -> list[Certificate]:
    now = timezone.now()
    return [
        Certificate(
            code=codes.generate(), kind="co_ban" if i % 7 else "chuyen_sau",
            holder_name=f"{FAMILY[i % 10]} {MIDDLE[i % 8]} {GIVEN[i % 9]}", holder_birth_year=1940 + i % 60,
            commune_name=COMMUNES[i % 5], issued_at=now, framework_label="Khung 757 (đề xuất) v1",
        )
        for i in range(n)
    ]


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    for cert in certificates(5):  # warm-up: imports, fonts, template cache
        render_certificate(cert)
    times, cpu = [], []
    for cert in certificates(200):
        t0, c0 = time.perf_counter(), time.process_time()
        data = render_certificate(cert)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert data.startswith(b"%PDF")
    t0 = time.perf_counter()
    batch = render_chunks(certificates(200), chunk=25)
    batch_s = time.perf_counter() - t0
    print(f"renders: {len(times)}, p90 {statistics.quantiles(times, n=10)[-1]:.1f} ms, batch size {len(batch) // 1024} KiB")
    # CPU time too: on a shared, busy machine the wall clock includes waiting for a core.
    print(f"certificate_cpu_ms: {statistics.median(cpu):.1f} ms, load average {os.getloadavg()[0]:.1f}")
    print(f"certificate_ms: {statistics.median(times):.1f} ms")
    print(f"certificate_batch_200_s: {batch_s:.2f} s")


if __name__ == "__main__":
    main()
