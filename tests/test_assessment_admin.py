"""Trainer tools in the Wagtail admin: item authoring rules, bulk import/export, item statistics."""
import math

import pytest
import tablib
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessment.models import Attempt, AttemptItem, Item, Option, PassRule, TestForm
from assessment.selectors import item_statistics
from assessment.services import item_bank_export, item_bank_import
from framework.models import Competency
from tests.factories import ResidentFactory, UserFactory
from tests.helpers import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(db):
    group = Group.objects.create(name="Giảng viên thử")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="assessment", content_type__model="item"),
    )
    user = UserFactory(email="gv@example.vn")
    user.groups.add(group)
    return user


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def _item_post(competency, *, type="single", options=(("Đúng", True), ("Sai", False), ("Sai nữa", False)), code="A-1"):
    return nested_form_data({
        "code": code, "stem": "Khi có người lạ gọi điện xin mã OTP, bác làm gì?", "image": "", "type": type,
        "competency": competency.pk, "difficulty": 1, "audience": "resident", "course": "", "status": "active",
        "explanation": "Không bao giờ đọc mã OTP cho ai.",
        "options": inline_formset([{"text": t, "image": "", "is_correct": c} for t, c in options], min=2),
    })


# ---- authoring in the Wagtail admin ----

def test_trainer_creates_item_in_admin_with_author_and_revision(trainer_client, trainer, framework):
    comp = Competency.objects.get(area__framework=framework, code="4.2")
    r = trainer_client.post(reverse("wagtailsnippets_assessment_item:add"), _item_post(comp))
    assert r.status_code == 302, r.content.decode()[:3000]
    item = Item.objects.get(code="A-1")
    assert item.author == trainer and item.options.count() == 3
    assert Revision.objects.for_instance(item).count() == 1
    data = _item_post(comp)
    data["stem"] = "Câu đã sửa?"
    data["options-0-id"], data["options-1-id"], data["options-2-id"] = [str(o.pk) for o in item.options.order_by("sort_order")]
    data["options-INITIAL_FORMS"] = "3"
    r = trainer_client.post(reverse("wagtailsnippets_assessment_item:edit", args=[item.pk]), data)
    assert r.status_code == 302
    assert Revision.objects.for_instance(item).count() == 2
    item.refresh_from_db()
    assert item.stem == "Câu đã sửa?" and item.author == trainer


@pytest.mark.parametrize("type,options,message", [
    ("single", (("A", True), ("B", True)), "cần đúng một phương án đúng"),
    ("true_false", (("Đúng", True), ("Sai", False), ("Không biết", False)), "cần đúng 2 phương án"),
    ("multiple", (("A", True), ("B", False), ("C", False)), "ít nhất 2 phương án đúng"),
    ("ordering", (("Bước 1", False), ("Bước 2", False)), "ít nhất 3 bước"),
    ("image_choice", (("Hình A", True), ("Hình B", False)), "cần ảnh cho mọi phương án"),
])
def test_admin_refuses_options_that_do_not_fit_the_item_type(trainer_client, framework, type, options, message):
    comp = Competency.objects.get(area__framework=framework, code="4.2")
    r = trainer_client.post(reverse("wagtailsnippets_assessment_item:add"), _item_post(comp, type=type, options=options))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Item.objects.exists()


def test_resident_cannot_open_the_trainer_tools(client, resident):
    client.force_login(resident.user)
    for url in (reverse("assessment_item_import"), reverse("assessment_item_stats"), reverse("assessment_item_export", args=["csv"])):
        assert client.get(url).status_code in (302, 403)
    staff_without_perm = UserFactory(is_staff=True)
    staff_without_perm.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff_without_perm)
    assert client.get(reverse("assessment_item_stats")).status_code in (302, 403)


# ---- bulk import / export ----

HEADERS = ["Mã câu", "Năng lực", "Dạng", "Độ khó", "Câu hỏi", "Phương án 1", "Phương án 2", "Phương án 3",
           "Phương án 4", "Phương án 5", "Phương án 6", "Đáp án đúng", "Giải thích", "Bắt buộc đúng", "Đối tượng", "Trạng thái"]


def _sheet(rows, fmt="xlsx") -> bytes:
    data = tablib.Dataset(*rows, headers=HEADERS)
    return data.export("xlsx") if fmt == "xlsx" else data.export("csv").encode("utf-8")


GOOD = [
    ["N-1", "4.2", "Chọn một đáp án", 1, "Tin nhắn trúng thưởng đòi phí là gì?", "Lừa đảo", "Quà thật", "", "", "", "", "1",
     "Không ai đòi phí để trao thưởng.", "có", "Người dân", "Đang dùng"],
    ["N-2", "2.3", "Chọn nhiều đáp án", 2, "Chữ ký số dùng để làm gì?", "Ký hồ sơ trực tuyến", "Xác nhận giao dịch",
     "Sạc pin", "", "", "", "1,2", "", "", "Người dân", "Đang dùng"],
    ["N-3", "2.3", "Sắp xếp các bước", 2, "Sắp xếp các bước nộp hồ sơ", "Nộp", "Đăng nhập", "Điền tờ khai", "", "", "",
     "2,3,1", "", "", "Người dân", "Bản nháp"],
]


def test_import_dry_run_previews_without_saving(framework, trainer):
    report = item_bank_import(content=_sheet(GOOD), file_format="xlsx", user=trainer, dry_run=True)
    assert report["ok"] and report["new"] == 3 and not report["saved"]
    assert [r["action"] for r in report["rows"]] == ["Thêm mới"] * 3
    assert not Item.objects.exists() and not Option.objects.exists()


def test_import_saves_items_options_author_and_revision(framework, trainer):
    report = item_bank_import(content=_sheet(GOOD, "csv"), file_format="csv", user=trainer, dry_run=False)
    assert report["saved"]
    multi = Item.objects.get(code="N-2")
    assert [(o.text, o.is_correct) for o in multi.options.order_by("sort_order")] == [
        ("Ký hồ sơ trực tuyến", True), ("Xác nhận giao dịch", True), ("Sạc pin", False)]
    ordering = Item.objects.get(code="N-3")
    assert list(ordering.options.order_by("sort_order").values_list("text", flat=True)) == ["Đăng nhập", "Điền tờ khai", "Nộp"]
    assert ordering.status == "draft" and Item.objects.get(code="N-1").critical is True
    assert multi.author == trainer and Revision.objects.for_instance(multi).count() == 1


def test_one_bad_row_saves_nothing_and_says_why_in_vietnamese(framework, trainer):
    bad = ["N-4", "9.9", "Chọn một đáp án", 1, "Câu lỗi", "A", "B", "", "", "", "", "1", "", "", "Người dân", "Đang dùng"]
    report = item_bank_import(content=_sheet(GOOD + [bad]), file_format="xlsx", user=trainer, dry_run=False)
    assert not report["ok"] and not report["saved"] and report["error_count"] == 1
    row = report["rows"][3]
    assert row["line"] == 5 and row["action"] == "Lỗi"
    assert any("Không có năng lực mã “9.9”" in e for e in row["errors"]), row["errors"]
    assert not Item.objects.exists() and not Option.objects.exists()


def test_wrong_correct_column_is_reported_per_row(framework, trainer):
    rows = [list(GOOD[0]), list(GOOD[1])]
    rows[0][11] = "5"
    rows[1][11] = "1"
    report = item_bank_import(content=_sheet(rows), file_format="xlsx", user=trainer, dry_run=True)
    errors = {r["code"]: r["errors"] for r in report["rows"]}
    assert any("không tồn tại" in e for e in errors["N-1"])
    assert any("ít nhất 2 phương án đúng" in e for e in errors["N-2"])


def test_export_then_import_round_trips_and_updates_by_code(framework, trainer):
    item = make_item(framework, "0.1", code="X-1")
    content = item_bank_export(file_format="xlsx")
    data = tablib.Dataset().load(content, format="xlsx")
    assert data.headers == HEADERS and data[0][0] == "X-1" and data[0][11] == "1"
    data[0] = tuple("Câu hỏi mới?" if h == "Câu hỏi" else v for h, v in zip(HEADERS, data[0]))
    report = item_bank_import(content=data.export("xlsx"), file_format="xlsx", user=trainer, dry_run=False)
    assert report["saved"] and report["updated"] == 1
    item.refresh_from_db()
    assert item.stem == "Câu hỏi mới?" and item.options.count() == 3


def test_import_page_previews_then_confirms(trainer_client, framework):
    upload = SimpleUploadedFile("cau-hoi.xlsx", _sheet(GOOD))
    r = trainer_client.post(reverse("assessment_item_import"), {"buoc": "xem-truoc", "tep": upload})
    html = r.content.decode()
    assert r.status_code == 200 and "Xác nhận nhập 3 dòng" in html and "Chưa có gì được lưu" in html
    assert not Item.objects.exists()
    r = trainer_client.post(reverse("assessment_item_import"), {"buoc": "xac-nhan"})
    assert r.status_code == 302 and Item.objects.count() == 3


def test_import_page_shows_row_errors_and_offers_no_confirm(trainer_client, framework):
    bad = list(GOOD[0])
    bad[2] = "Tự luận"
    upload = SimpleUploadedFile("cau-hoi.csv", _sheet([bad], "csv"))
    html = trainer_client.post(reverse("assessment_item_import"), {"buoc": "xem-truoc", "tep": upload}).content.decode()
    assert "Dạng câu hỏi “Tự luận” không hợp lệ" in html and "Xác nhận nhập" not in html
    garbage = SimpleUploadedFile("rac.xlsx", b"khong phai excel")
    r = trainer_client.post(reverse("assessment_item_import"), {"buoc": "xem-truoc", "tep": garbage}, follow=True)
    assert r.status_code == 200 and "Không đọc được tệp" in r.content.decode()


def test_export_view_gives_xlsx_and_csv(trainer_client, framework):
    make_item(framework, "0.1", code="X-2")
    r = trainer_client.get(reverse("assessment_item_export", args=["csv"]))
    assert r.status_code == 200 and "X-2" in r.content.decode("utf-8-sig")
    r = trainer_client.get(reverse("assessment_item_export", args=["xlsx"]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


# ---- item statistics ----

def _scored_attempts(framework, outcomes):
    """Submitted attempts with given scores; `outcomes` maps score → {item: option chosen}."""
    rule = PassRule.objects.create(version="S")
    form = TestForm.objects.create(slug="s", title="s", framework=framework, blueprint={"0": 1}, pass_rule=rule)
    from django.utils import timezone

    for score, answers in outcomes:
        attempt = Attempt.objects.create(
            resident=ResidentFactory(), form=form, framework=framework, pass_rule=rule, deadline=timezone.now(),
            status="submitted", submitted_at=timezone.now(), score_pct=score, passed=score >= 70,
        )
        for pos, (item, option) in enumerate(answers.items(), start=1):
            AttemptItem.objects.create(attempt=attempt, item=item, position=pos, option_order=[o.pk for o in item.options.all()],
                                       answer=[option.pk] if option else None, is_correct=bool(option and option.is_correct))


def test_item_statistics_match_hand_computed_values(framework):
    item = make_item(framework, "0.1", code="S-1")
    right, wrong1, wrong2 = item.options.order_by("sort_order")
    _scored_attempts(framework, [(100, {item: right}), (75, {item: right}), (50, {item: wrong1}), (25, {item: wrong1})])
    [row] = item_statistics(min_n=4)
    # scores 100, 75, 50, 25; right for the two best: M1 = 87.5, M0 = 37.5, s = √781.25, p = q = 0.5
    assert row["n"] == 4 and row["p"] == 0.5 and row["exposure"] == 4
    assert math.isclose(row["discrimination"], 50 / math.sqrt(781.25) * 0.5, rel_tol=1e-9)
    assert [(o["text"], o["chosen"]) for o in row["options"]] == [("Đúng rồi", 2), ("Sai một", 2), ("Sai hai", 0)]
    assert row["flags"] == []


def test_items_that_behave_badly_are_flagged(framework):
    easy = make_item(framework, "0.1", code="S-2")
    upside_down = make_item(framework, "0.1", code="S-3")
    e_right = easy.options.get(is_correct=True)
    u_right, u_wrong = upside_down.options.get(is_correct=True), upside_down.options.filter(is_correct=False).first()
    # the weak scorers get S-3 right and the strong ones wrong: negative discrimination
    _scored_attempts(framework, [(s, {easy: e_right, upside_down: u_right if s < 60 else u_wrong}) for s in (90, 80, 70, 40, 30, 20)])
    rows = {r["item"].code: r for r in item_statistics(min_n=6)}
    assert rows["S-2"]["p"] == 1 and any("Quá dễ" in f for f in rows["S-2"]["flags"])
    assert rows["S-3"]["discrimination"] < 0 and any("Phân biệt kém" in f for f in rows["S-3"]["flags"])
    assert item_statistics(min_n=7)[0]["flags"] == []  # too few answers to judge


def test_stats_page_lists_items_for_trainers(trainer_client, framework):
    item = make_item(framework, "0.1", code="S-4")
    _scored_attempts(framework, [(100, {item: item.options.get(is_correct=True)})])
    html = trainer_client.get(reverse("assessment_item_stats")).content.decode()
    assert "S-4" in html and "Lượt trả lời" in html
