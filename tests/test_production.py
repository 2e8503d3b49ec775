"""Production settings, security headers, Content Security Policy and rate limits."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
STRICT_SCRIPT = "script-src 'self'"


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "-production-check-only-" + "x9$Qz!" * 6,
        DJANGO_ALLOWED_HOSTS="hocvuso.example.vn",
        DATABASE_URL="postgres://hocvuso@127.0.0.1:5432/hocvuso",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
r = Client().get("/suc-khoe/", secure=True, HTTP_HOST="hocvuso.example.vn")
plain = Client().get("/suc-khoe/", HTTP_HOST="hocvuso.example.vn")
import logging, io
buf = io.StringIO()
handler = logging.StreamHandler(buf)
handler.setFormatter(logging.getLogger().handlers[0].formatter)
logging.getLogger("hocvuso.probe").addHandler(handler)
logging.getLogger("hocvuso.probe").warning("thử ghi nhật ký")
print(json.dumps({"status": r.status_code, "headers": dict(r.headers), "redirect": plain.status_code,
                  "location": plain.headers.get("Location"), "log": buf.getvalue(),
                  "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
                  "storage": settings.STORAGES["default"]["BACKEND"], "sessions": settings.SESSION_ENGINE,
                  "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"]}))
"""


def run_probe(**extra) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=production_env(**extra),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_csp_frame_referrer_and_nosniff_headers_and_redirects_to_https():
    out = run_probe()
    h = out["headers"]
    assert out["status"] == 200
    assert h["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert STRICT_SCRIPT in h["Content-Security-Policy"] and "unsafe-inline" not in h["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in h["Content-Security-Policy"]
    assert out["redirect"] == 301 and out["location"].startswith("https://")
    assert out["session_secure"] and out["csrf_secure"]
    assert out["conn_max_age"] == 60
    assert out["storage"] == "django.core.files.storage.FileSystemStorage"  # no bucket configured: local disk
    assert out["sessions"] == "django.contrib.sessions.backends.db"
    record = json.loads(out["log"])  # structured: one JSON object per line
    assert record["level"] == "WARNING" and record["message"] == "thử ghi nhật ký" and record["logger"] == "hocvuso.probe"


def test_production_uses_redis_sessions_and_s3_media_when_configured():
    out = run_probe(REDIS_URL="redis://127.0.0.1:6379/0", AWS_STORAGE_BUCKET_NAME="hocvuso-media",
                    AWS_S3_ENDPOINT_URL="https://s3.example.vn")
    assert out["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert out["storage"] == "storages.backends.s3.S3Storage"


@pytest.mark.django_db
def test_public_pages_forbid_inline_scripts_and_only_the_admin_relaxes_it(client):
    public = client.get("/")["Content-Security-Policy"]
    assert STRICT_SCRIPT + ";" in public + ";" and "unsafe-inline" not in public
    admin = client.get("/quan-tri/login/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in admin


# ---- rate limits ---------------------------------------------------------------------------------------------------

@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,5/5m/key"})
def test_eleventh_failed_login_from_one_ip_within_a_minute_is_refused(client, fresh_cache):
    url = reverse("account_login")
    for n in range(10):
        response = client.post(url, {"login": f"nguoi{n}@example.vn", "password": "sai-mat-khau"})
        assert response.status_code == 200, n  # the form again, with its error
    assert "đăng nhập sai quá nhiều lần" not in response.content.decode()
    eleventh = client.post(url, {"login": "nguoi99@example.vn", "password": "sai-mat-khau"})
    # allauth refuses before checking the password and shows the form with this message.
    assert "Quý vị đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau." in eleventh.content.decode()


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,5/5m/key"})
def test_sixth_wrong_password_for_one_account_is_refused_even_with_the_right_one(client, resident, fresh_cache):
    url = reverse("account_login")
    email = resident.user.email
    for _ in range(5):
        client.post(url, {"login": email, "password": "sai-mat-khau"})
    right = client.post(url, {"login": email, "password": "MatKhau@2026"})
    assert "đăng nhập sai quá nhiều lần" in right.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"signup": "20/m/ip"})
def test_signup_is_rate_limited_per_ip(client, fresh_cache):
    url = reverse("account_signup")
    codes = [client.post(url, {"phone": "12", "password1": "x", "password2": "y"}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429


@pytest.mark.django_db
def test_answer_autosave_beyond_120_a_minute_gets_a_friendly_429(resident_client, resident, small_form, rate_limit_minute):
    from assessment.services import attempt_start

    attempt = attempt_start(resident=resident, form=small_form)
    ai = attempt.attempt_items.order_by("position").first()
    url = reverse("assessment:question", args=[attempt.public_id, 1])
    option = ai.option_order[0]
    headers = {"HTTP_X_REQUESTED_WITH": "fetch"}
    statuses = [resident_client.post(url, {"dap-an": option}, **headers).status_code for _ in range(120)]
    assert set(statuses) == {200}
    limited = resident_client.post(url, {"dap-an": option}, **headers)
    assert limited.status_code == 429
    assert limited.json()["saved"] is False and "đợi một phút" in limited.json()["message"]
    page = resident_client.post(url, {"dap-an": option, "di-den": "sau"})
    assert page.status_code == 429 and "Vui lòng đợi một chút" in page.content.decode()


# ---- Content Security Policy in a real browser --------------------------------------------------------------------

@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_public_pages_run_without_a_single_csp_violation(page, live_server, resident, course, small_form):
    from certificates.services import certificate_issue

    cert, _ = certificate_issue(resident=resident, kind="co_ban", evidence={"attempt": "csp"})
    violations = []
    page.on("console", lambda m: violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)
    base = live_server.url
    page.goto(base + "/")
    page.goto(base + "/tai-khoan/login/")
    page.locator("input[name=login]").fill(resident.user.email)
    page.locator("input[name=password]").fill("MatKhau@2026")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    lesson = course.get_children().live().first()
    page.goto(base + lesson.url)
    page.goto(base + "/kiem-tra/")
    page.get_by_role("button", name="Bắt đầu làm bài").first.click()
    page.wait_for_url("**/cau/1/")
    page.locator('input[name="dap-an"]').first.check()  # the autosave script runs
    page.wait_for_timeout(500)
    page.goto(base + "/xac-minh/")
    page.goto(base + cert.get_verify_url())
    page.wait_for_load_state()
    assert violations == []
