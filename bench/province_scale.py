"""Province dashboard at full scale on a throwaway PostgreSQL cluster.

    .venv/bin/python bench/province_scale.py            # 1.2 M households, 4.5 M residents (a few minutes)
    BENCH_SCALE=0.1 .venv/bin/python bench/province_scale.py   # a tenth, for a quick look

Generates the data with set-based SQL, ANALYZEs, then times the province dashboard selector (median of 5 warm
runs) against one hand-written SQL statement computing the same numbers, and checks both give the same figures.
Not run by the test suite.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
HOUSEHOLDS = int(1_200_000 * SCALE)
PORT = int(os.environ.get("BENCH_PGPORT", "54471"))
ON = "2026-09-30"


def start_cluster() -> tuple[Path, callable]:
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    data = Path(tempfile.mkdtemp(prefix="hocvuso-bench-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if os.getuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    subprocess.run([*as_pg, pgbin / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
    opts = (f"-c listen_addresses=127.0.0.1 -p {PORT} -k {data} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c shared_buffers=512MB -c work_mem=64MB -c maintenance_work_mem=512MB "
            "-c max_wal_size=4GB")
    subprocess.run([*as_pg, pgbin / "pg_ctl", "-D", data, "-l", data / "server.log", "-w", "-o", opts, "start"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*as_pg, pgbin / "createdb", "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "hocvuso"], check=True)

    def stop():
        subprocess.run([*as_pg, pgbin / "pg_ctl", "-D", data, "-m", "immediate", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(data, ignore_errors=True)

    return data, stop


GENERATE = [
    # Communes get a skewed size (wards larger), summing to HOUSEHOLDS.
    """CREATE TEMP TABLE w AS SELECT id, (CASE WHEN kind='phuong' THEN 2.0 ELSE 1.0 END) * (0.5 + random()) AS w
       FROM community_commune""",
    """CREATE TEMP TABLE sizes AS SELECT id, round(%(households)s * w / sum(w) OVER ())::int AS n FROM w""",
    """INSERT INTO community_household (commune_id, code, hamlet, address, created_at)
       SELECT s.id, 'H' || lpad(g::text, 6, '0'), 'Khu phố ' || (g %% 12 + 1), 'Số ' || g, '2025-07-01'
       FROM sizes s, generate_series(1, s.n) g""",
    # 3, 3, 4, 5 residents per household: 3.75 on average, so 1.2 M households hold 4.5 M people.
    """INSERT INTO community_resident (household_id, commune_id, full_name, birth_year, gender, phone, created_at,
         eid_level2_on, eid_level2_source, signature_on, signature_source, epayment_on, epayment_source, external_code)
       SELECT h.id, h.commune_id, 'Người dân ' || h.id || '-' || k, 1940 + (random() * 85)::int,
              CASE WHEN random() < 0.5 THEN 'nu' ELSE 'nam' END, '', '2025-07-01',
              CASE WHEN random() < 0.55 THEN date '2025-07-01' + (random() * 450)::int END, 'nhap_file',
              CASE WHEN random() < 0.18 THEN date '2025-07-01' + (random() * 450)::int END, 'nhap_file',
              CASE WHEN random() < 0.50 THEN date '2025-07-01' + (random() * 450)::int END, 'nhap_file', ''
       FROM community_household h, generate_series(1, 2 + (h.id %% 4)::int + (h.id %% 4 = 0)::int) k""",
    # One resident in three holds a basic certificate; 2 % of those were revoked.
    """INSERT INTO certificates_certificate (code, kind, resident_id, commune_id, status, issued_at, holder_name,
         holder_birth_year, commune_name, evidence, framework_label, rule_label, revoke_reason, reissue_reason,
         revoked_at, pdf)
       SELECT upper(substr(md5(r.id::text), 1, 16)), 'co_ban', r.id, r.commune_id,
              CASE WHEN r.id %% 50 = 0 THEN 'thu_hoi' ELSE 'hieu_luc' END,
              timestamptz '2025-09-01' + random() * interval '420 days', r.full_name, r.birth_year, '', '{}', '', '',
              '', '', CASE WHEN r.id %% 50 = 0 THEN timestamptz '2026-08-01' END, ''
       FROM community_resident r WHERE r.id %% 3 = 0""",
    """INSERT INTO community_team (commune_id, name) SELECT id, 'Tổ CNSCĐ ' || name FROM community_commune""",
    """INSERT INTO community_teammembership (team_id, resident_id, role, joined_on)
       SELECT t.id, r.id, 'thanh_vien', '2026-01-05' FROM community_team t
       CROSS JOIN LATERAL (SELECT id FROM community_resident WHERE commune_id = t.commune_id
                           AND birth_year BETWEEN 1970 AND 2000 LIMIT 25) r""",
    """INSERT INTO certificates_certificate (code, kind, resident_id, commune_id, status, issued_at, holder_name,
         holder_birth_year, commune_name, evidence, framework_label, rule_label, revoke_reason, reissue_reason, pdf)
       SELECT 'T' || upper(substr(md5('t' || m.resident_id), 1, 15)), 'chuyen_sau', m.resident_id, t.commune_id,
              'hieu_luc', '2026-03-01', '', 1980, '', '{}', '', '', '', '', ''
       FROM community_teammembership m JOIN community_team t ON t.id = m.team_id WHERE m.resident_id %% 10 < 7""",
    # 1 % of residents moved household in 2026.
    """INSERT INTO community_householdhistory (resident_id, household_id, from_date, until)
       SELECT id, household_id + 1, NULL, '2026-06-01' FROM community_resident WHERE id %% 100 = 7
       AND household_id + 1 IN (SELECT id FROM community_household)""",
    """UPDATE community_resident SET household_since = '2026-06-01' WHERE id %% 100 = 7""",
    "ANALYZE",
]

BARE_SQL = """
WITH holders AS (
  SELECT resident_id FROM certificates_certificate
  WHERE kind = 'co_ban' AND issued_at < %(end)s
    AND (status IN ('hieu_luc', 'thay_the') OR (status = 'thu_hoi' AND revoked_at >= %(end)s))
), covered AS (
  SELECT household_id FROM community_resident
  WHERE household_id IS NOT NULL AND (household_since IS NULL OR household_since <= %(on)s)
    AND id IN (SELECT resident_id FROM holders)
  UNION
  SELECT household_id FROM community_householdhistory
  WHERE (from_date IS NULL OR from_date <= %(on)s) AND until > %(on)s AND resident_id IN (SELECT resident_id FROM holders)
), hh AS (
  SELECT h.commune_id, count(*) AS households, count(c.household_id) AS covered
  FROM community_household h LEFT JOIN covered c ON c.household_id = h.id
  WHERE h.created_at < %(end)s GROUP BY h.commune_id
), people AS (
  SELECT commune_id,
    count(*) FILTER (WHERE birth_year BETWEEN %(y)s - 60 AND %(y)s - 15) AS working_age,
    count(*) FILTER (WHERE birth_year BETWEEN %(y)s - 60 AND %(y)s - 15 AND eid_level2_on <= %(on)s) AS eid,
    count(*) FILTER (WHERE birth_year <= %(y)s - 18) AS adults,
    count(*) FILTER (WHERE birth_year <= %(y)s - 18 AND signature_on <= %(on)s) AS signature,
    count(*) FILTER (WHERE birth_year <= %(y)s - 18 AND epayment_on <= %(on)s) AS epayment
  FROM community_resident WHERE created_at < %(end)s GROUP BY commune_id
), team AS (
  SELECT t.commune_id, count(*) AS members,
    count(*) FILTER (WHERE m.resident_id IN (
      SELECT resident_id FROM certificates_certificate WHERE kind = 'chuyen_sau' AND issued_at < %(end)s
        AND (status IN ('hieu_luc', 'thay_the') OR (status = 'thu_hoi' AND revoked_at >= %(end)s)))) AS trained
  FROM community_teammembership m JOIN community_team t ON t.id = m.team_id
  WHERE m.joined_on <= %(on)s AND (m.left_on IS NULL OR m.left_on > %(on)s) GROUP BY t.commune_id
)
SELECT c.id, coalesce(team.members, 0), coalesce(team.trained, 0), coalesce(hh.households, 0), coalesce(hh.covered, 0),
       coalesce(p.working_age, 0), coalesce(p.eid, 0), coalesce(p.adults, 0), coalesce(p.signature, 0),
       coalesce(p.epayment, 0)
FROM community_commune c LEFT JOIN hh ON hh.commune_id = c.id LEFT JOIN people p ON p.commune_id = c.id
LEFT JOIN team ON team.commune_id = c.id ORDER BY c.name
"""


def median_ms(fn, runs=5) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    _, stop = start_cluster()
    try:
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PORT}/hocvuso"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        import django

        django.setup()
        import datetime

        from django.core.management import call_command
        from django.db import connection

        from community.demo import load_communes
        from reports.selectors import COUNT_KEYS, end_of, province_stats

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        load_communes()
        with connection.cursor() as cur:
            # Plain (non-constraint) indexes are dropped during the bulk insert and rebuilt after: much faster.
            cur.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN
                           ('community_resident', 'certificates_certificate', 'community_household')
                           AND indexname NOT IN (SELECT conname FROM pg_constraint)""")
            plain = cur.fetchall()
            for name, _ in plain:
                cur.execute(f'DROP INDEX "{name}"')
            # The generated rows are consistent by construction; skipping the per-row foreign-key triggers during the
            # load saves most of its time (superuser-only setting, throwaway cluster).
            cur.execute("SET session_replication_role = replica")
            for sql in GENERATE[:-1]:
                cur.execute(sql, {"households": HOUSEHOLDS})
            cur.execute("SET session_replication_role = DEFAULT")
            for _, definition in plain:
                cur.execute(definition)
            cur.execute(GENERATE[-1])
            counts = {}
            for table in ("community_household", "community_resident", "certificates_certificate",
                          "community_teammembership", "community_householdhistory"):
                cur.execute(f"SELECT count(*) FROM {table}")
                counts[table] = cur.fetchone()[0]
        print(f"generated in {time.perf_counter() - t0:.0f} s: " + ", ".join(f"{k.split('_', 1)[1]}={v:,}" for k, v in counts.items()))

        on = datetime.date.fromisoformat(ON)
        params = {"on": on, "end": end_of(on), "y": on.year}

        def bare():
            with connection.cursor() as cur:
                cur.execute(BARE_SQL, params)
                return cur.fetchall()

        def live():
            return province_stats(on=on)

        ours = {r["commune"].pk: [r[k] for k in COUNT_KEYS] for r in live()["rows"]}
        theirs = {row[0]: list(row[1:]) for row in bare()}
        assert ours == theirs, "the selector and the bare SQL disagree"
        live_ms, b_ms = median_ms(live, runs=3), median_ms(bare, runs=3)
        print(f"province_live_aggregate_ms: {live_ms:.0f} ms  (the selector computing all 95 communes from the rows)")
        print(f"province_bare_sql_ms: {b_ms:.0f} ms")
        print(f"province_live_ratio: {live_ms / b_ms:.2f}")

        # The page itself: snapshots for the date and the year's month ends are refreshed (what the task does),
        # then the province officer's request is timed end to end (queries, charts, map, template).
        from django.conf import settings
        from django.test import Client

        from community.models import Official, User
        from reports.selectors import month_ends
        from reports.services import stats_snapshot_refresh

        settings.ALLOWED_HOSTS = ["*"]
        t = time.perf_counter()
        for day in month_ends(on):
            stats_snapshot_refresh(on=day)
        print(f"snapshot_refresh_ms_per_date: {(time.perf_counter() - t) * 1000 / len(month_ends(on)):.0f} ms")
        officer = User.objects.create_user(email="so@bench.vn", password="x")
        Official.objects.create(user=officer, level="tinh")
        client = Client()
        client.force_login(officer)
        url = f"/bao-cao/tinh/?ngay={on:%d/%m/%Y}"
        assert client.get(url).status_code == 200
        d_ms = median_ms(lambda: client.get(url))
        print(f"province_dashboard_ms: {d_ms:.0f} ms  (full page from the stored counts)")
        print(f"province_dashboard_ratio: {d_ms / b_ms:.3f}  (page ÷ bare SQL)")
    finally:
        stop()


if __name__ == "__main__":
    main()
