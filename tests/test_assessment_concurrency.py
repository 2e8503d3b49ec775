"""Exactly-once submission under real concurrency. Runs on PostgreSQL only (row locks, partial unique indexes and
concurrent connections are what production relies on); skipped on SQLite, which serialises all writers anyway."""
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessment.models import Attempt
from assessment.services import attempt_start, attempt_submit
from certificates.models import Certificate
from tests.helpers import answer_all

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def _restore_migration_data_afterwards(django_db_blocker):
    """Transactional tests end with a flush that, under serialized_rollback, leaves the tables empty until the next
    serialized test. Put back what migrations created (content types, Wagtail's root page and locale, workflows) so
    the tests that run after this module find the database as they expect."""
    yield
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        if hasattr(connection, "_test_serialized_contents"):
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        ContentType.objects.clear_cache()


def _race(workers):
    """Run the callables at the same instant, each on its own database connection; return results and errors."""
    barrier = threading.Barrier(len(workers))
    results, errors = [None] * len(workers), []

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


def test_two_concurrent_submits_give_one_result_and_one_certificate(resident, small_form):
    assert connection.vendor == "postgresql"
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=True)
    results, errors = _race([lambda: attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))] * 2)
    assert errors == []
    assert results[0].submitted_at == results[1].submitted_at and results[0].passed and results[1].passed
    assert Certificate.objects.filter(resident=resident).count() == 1
    assert Attempt.objects.get(pk=attempt.pk).status == "submitted"


def test_double_click_on_submit_posts_twice_and_issues_one_certificate(resident, small_form):
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=True)
    url = reverse("assessment:submit", args=[attempt.public_id])

    def post():
        c = Client()
        c.force_login(resident.user)
        return c.post(url).status_code

    results, errors = _race([post, post])
    assert errors == [] and results == [302, 302]
    assert Certificate.objects.filter(resident=resident).count() == 1
    submitted_at = Attempt.objects.get(pk=attempt.pk).submitted_at
    replay = Client()
    replay.force_login(resident.user)
    assert replay.post(url).status_code == 302  # a replayed request changes nothing
    assert Attempt.objects.get(pk=attempt.pk).submitted_at == submitted_at
    assert Certificate.objects.filter(resident=resident).count() == 1


def test_two_concurrent_starts_open_one_attempt(resident, small_form):
    results, errors = _race([lambda: attempt_start(resident=resident, form=small_form)] * 2)
    assert errors == []
    assert results[0].pk == results[1].pk
    assert Attempt.objects.filter(resident=resident).count() == 1
