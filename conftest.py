import os
import shutil

import pytest

from tests.helpers import make_item

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # pytest-django live_server with Playwright's sync API


@pytest.fixture(scope="session", autouse=True)
def _clean_test_media():
    from django.conf import settings

    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"],
    }


@pytest.fixture
def rate_limit_minute(monkeypatch):
    """An empty cache and django-ratelimit's clock held still for the test. Its limits count in fixed one-minute
    windows, so a burst of requests that crossed a window's edge would start counting again half-way."""
    import types

    import django_ratelimit.core
    from django.core.cache import cache

    cache.clear()
    now = django_ratelimit.core.time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))
    yield
    cache.clear()


@pytest.fixture
def framework(db):
    from framework.services import framework_load

    return framework_load()


@pytest.fixture
def commune(db):
    from tests.factories import CommuneFactory

    return CommuneFactory(code="26041", name="Trấn Biên", kind="phuong", group="I")


@pytest.fixture
def other_commune(db):
    from tests.factories import CommuneFactory

    return CommuneFactory(code="25222", name="Bù Gia Mập", kind="xa", group="II")


@pytest.fixture
def resident(commune):
    from tests.factories import HouseholdFactory, ResidentFactory

    return ResidentFactory(household=HouseholdFactory(commune=commune, code="KP1-001"))


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident.user)
    return client


@pytest.fixture
def course(db, framework):
    """A live course with two lessons under the real site tree."""
    from cms.demo import ensure_site_tree
    from cms.models import CoursePage, LessonPage
    from framework.models import Competency

    index = ensure_site_tree()
    c = CoursePage(title="Dịch vụ công trực tuyến", slug="dvc", summary="Nộp hồ sơ trên mạng.", audience="resident")
    index.add_child(instance=c)
    c.save_revision().publish()
    for i, (title, comp) in enumerate([("Chữ ký số là gì", "2.3"), ("Nộp hồ sơ trực tuyến", "2.3")], start=1):
        lesson = LessonPage(
            title=title, slug=f"bai-{i}", summary=f"Bài {i}",
            body=[{"type": "paragraph", "value": f"<p>Nội dung bài {i}: chữ ký số cá nhân giúp nộp hồ sơ.</p>"}],
        )
        c.add_child(instance=lesson)
        lesson.competencies.set(Competency.objects.filter(area__framework=framework, code=comp))
        lesson.save_revision().publish()
    return CoursePage.objects.get(pk=c.pk)


@pytest.fixture
def small_form(framework):
    """A form of three areas with two items each, drawn from a bank of three items per area."""
    from assessment.models import PassRule, TestForm

    for area_comp in ("0.1", "1.1", "4.2"):
        for n in range(3):
            make_item(framework, area_comp, critical=(area_comp == "4.2" and n == 0))
    rule = PassRule.objects.create(version="TEST-1", min_overall_pct=70, min_area_pct=50, critical_must_pass=True)
    return TestForm.objects.create(
        slug="thu", title="Bài kiểm tra thử", framework=framework, blueprint={"0": 2, "1": 2, "4": 2},
        time_limit_minutes=20, max_attempts_per_day=2, pass_rule=rule, issues_certificate=True,
    )


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


def pytest_collection_modifyitems(items):
    """Browser journeys last: their transactional flush would otherwise leave later tests without the rows that
    migrations create (Wagtail's root page, locale, default workflow)."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
