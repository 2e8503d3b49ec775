from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from assessment.services import attempt_start, attempt_submit
from framework.models import Framework
from framework.services import DEFAULT_YAML, framework_load
from tests.helpers import answer_all

pytestmark = pytest.mark.django_db


def _corrected_yaml(tmp_path: Path) -> Path:
    data = yaml.safe_load(DEFAULT_YAML.read_text(encoding="utf-8"))
    data["areas"][0]["name"] = "Sử dụng thiết bị số (bản đã sửa)"
    path = tmp_path / "khung-sua.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_loading_the_same_yaml_twice_keeps_one_version():
    first = framework_load()
    again = framework_load()
    assert again.pk == first.pk and Framework.objects.count() == 1
    assert first.areas.count() == 7 and sum(a.competencies.count() for a in first.areas.all()) == 26


def test_corrected_yaml_becomes_version_2_and_old_result_keeps_version_1(tmp_path, resident_client, resident, small_form):
    v1 = small_form.framework
    attempt = attempt_start(resident=resident, form=small_form)
    answer_all(attempt, correct=True)
    attempt_submit(attempt=attempt)

    call_command("load_framework", str(_corrected_yaml(tmp_path)), stdout=open("/dev/null", "w"))

    v2 = Framework.objects.get(is_current=True)
    assert (v1.code, v2.code) == (v2.code, v1.code) and v2.version == 2 and v2.pk != v1.pk
    v1.refresh_from_db()
    assert v1.is_current is False
    assert v2.areas.get(code="0").name == "Sử dụng thiết bị số (bản đã sửa)"
    assert v1.areas.get(code="0").name == "Sử dụng thiết bị và phần mềm trên thiết bị"
    attempt.refresh_from_db()
    assert attempt.framework_id == v1.pk
    html = resident_client.get(reverse("assessment:result", args=[attempt.public_id])).content.decode()
    assert "[v1] — tham chiếu QĐ 757/QĐ-BKHCN" in html
    assert "[v2]" not in html


def test_unreadable_yaml_gives_a_vietnamese_error_and_changes_nothing(tmp_path):
    from django.core.exceptions import ValidationError

    framework_load()
    bad = tmp_path / "hong.yaml"
    bad.write_text("framework: [khong hop le", encoding="utf-8")
    with pytest.raises(ValidationError, match="Không đọc được tệp khung năng lực"):
        framework_load(path=bad)
    assert Framework.objects.count() == 1


def test_framework_versions_are_browsable_in_the_wagtail_admin(client, django_user_model, tmp_path):
    v1 = framework_load()
    v2 = framework_load(path=_corrected_yaml(tmp_path))
    admin = django_user_model.objects.create_superuser(email="qt@example.vn", password="x")
    client.force_login(admin)
    html = client.get(reverse("framework_admin_index")).content.decode()
    assert "v1" in html and "v2" in html and "tham chiếu" in html
    detail = client.get(reverse("framework_admin_detail", args=[v1.pk])).content.decode()
    assert "Sử dụng thiết bị và phần mềm trên thiết bị" in detail and "0.1" in detail and "tham chiếu" in detail
    assert client.get(reverse("framework_admin_detail", args=[v2.pk + 100])).status_code == 404
