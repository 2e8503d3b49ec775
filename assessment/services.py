"""Writes with the rules of the skills test: start (draw and freeze), answer, submit exactly once, score."""
import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.models import CertificateKind
from certificates.services import certificate_issue, team_training_record
from cms.models import Audience
from cms.selectors import required_team_courses
from community.models import Resident
from community.selectors import active_membership
from framework.models import Competency

from .models import Attempt, AttemptItem, AttemptStatus, Item, ItemType, Option, TestForm


class AttemptError(ValidationError):
    pass


def _draw(*, form: TestForm, resident: Resident, rng: random.Random) -> list[Item]:
    """Stratified draw: a blueprint key is an area ("4", its count spread over the area's competencies) or a
    competency ("4.2"); within each, items this person has not seen in earlier attempts come first where the bank
    allows."""
    seen = set(AttemptItem.objects.filter(attempt__resident=resident).values_list("item_id", flat=True))
    pool = Item.objects.active().filter(competency__area__framework=form.framework, audience=form.audience)
    if form.course_id:
        pool = pool.filter(course_id=form.course_id)
    by_area: dict[str, dict[int, list[Item]]] = defaultdict(lambda: defaultdict(list))
    by_competency: dict[str, list[Item]] = defaultdict(list)
    for item in pool.select_related("competency__area"):
        by_area[item.competency.area.code][item.competency_id].append(item)
        by_competency[item.competency.code].append(item)
    competency_codes = set(Competency.objects.filter(area__framework=form.framework).values_list("code", flat=True))
    drawn: list[Item] = []
    for key, count in form.blueprint.items():
        key, count = str(key), int(count)
        if key in competency_codes:
            buckets = [by_competency.get(key, [])]
        else:
            buckets = list(by_area.get(key, {}).values())
        if sum(len(b) for b in buckets) < count:
            raise AttemptError("Ngân hàng câu hỏi chưa đủ câu cho đề này. Vui lòng báo giảng viên.")
        for items in buckets:
            rng.shuffle(items)
            items.sort(key=lambda i: i.pk in seen)  # unseen first, random within each group
        rng.shuffle(buckets)
        picked: list[Item] = []
        while len(picked) < count:
            for bucket in buckets:
                if bucket and len(picked) < count:
                    picked.append(bucket.pop(0))
        drawn.extend(picked)
    rng.shuffle(drawn)
    return drawn


def attempts_today(*, resident: Resident, form: TestForm) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Attempt.objects.filter(resident=resident, form=form, started_at__gte=start).count()


@transaction.atomic
def attempt_start(*, resident: Resident, form: TestForm, assisted_by: Resident | None = None) -> Attempt:
    """Resume the open attempt if there is one; otherwise draw a new one (subject to the retake policy)."""
    if not form.is_active:
        raise AttemptError("Bài kiểm tra này hiện chưa mở.")
    open_attempt = Attempt.objects.filter(resident=resident, form=form, status=AttemptStatus.IN_PROGRESS).first()
    if open_attempt:
        if attempt_expire_if_due(attempt=open_attempt):
            open_attempt.refresh_from_db()
        else:
            if assisted_by is not None and open_attempt.assisted_by_id != assisted_by.pk:
                # the resident now sits with a team member: the member's phone continues the same attempt
                open_attempt.assisted_by = assisted_by
                open_attempt.save(update_fields=["assisted_by"])
            return open_attempt
    if attempts_today(resident=resident, form=form) >= form.max_attempts_per_day:
        raise AttemptError(
            f"Bạn đã làm bài này {form.max_attempts_per_day} lần hôm nay. Hãy ôn lại bài học và quay lại vào ngày mai nhé."
        )
    rng = random.SystemRandom()
    items = _draw(form=form, resident=resident, rng=rng)
    now = timezone.now()
    attempt = Attempt(
        resident=resident, form=form, framework=form.framework, pass_rule=form.pass_rule, assisted_by=assisted_by,
        started_at=now, deadline=now + datetime.timedelta(minutes=form.time_limit_minutes),
    )
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # a concurrent start won; resume that one
        return Attempt.objects.get(resident=resident, form=form, status=AttemptStatus.IN_PROGRESS)
    options = defaultdict(list)
    for opt in Option.objects.filter(item__in=items).values_list("item_id", "id"):
        options[opt[0]].append(opt[1])
    rows = []
    for pos, item in enumerate(items, start=1):
        order = sorted(options[item.pk])
        if item.type != ItemType.TRUE_FALSE:
            rng.shuffle(order)
        rows.append(AttemptItem(attempt=attempt, item=item, position=pos, option_order=order))
    AttemptItem.objects.bulk_create(rows)
    return attempt


def attempt_start_assisted(*, member: Resident, resident: Resident, form: TestForm) -> Attempt:
    """A team member starts (or resumes) the test for a resident of the member's own commune, on the member's phone."""
    membership = active_membership(member)
    if membership is None or membership.team.commune_id != resident.commune_id or member.pk == resident.pk:
        raise PermissionDenied("Bạn chỉ hỗ trợ làm bài cho người dân thuộc xã/phường của Tổ mình.")
    if form.audience != Audience.RESIDENT:
        raise AttemptError("Chế độ hỗ trợ chỉ dùng cho bài kiểm tra dành cho người dân.")
    return attempt_start(resident=resident, form=form, assisted_by=member)


def _deadline_passed(attempt: Attempt, *, with_grace: bool = True) -> bool:
    grace = datetime.timedelta(seconds=settings.ASSESSMENT_DEADLINE_GRACE_SECONDS if with_grace else 0)
    return timezone.now() > attempt.deadline + grace


def attempt_answer(*, attempt: Attempt, position: int, answer: list[int], attempt_item: AttemptItem | None = None) -> AttemptItem:
    """Save one answer: a single small UPDATE of the answer row (the resume position is derived from answered_at).
    The answer is a list of option ids (in order, for ordering items). A caller that already loaded the row with
    its item type passes it as attempt_item."""
    if not attempt.is_open:
        raise AttemptError("Bài làm đã được nộp, không thể sửa câu trả lời.")
    if _deadline_passed(attempt):
        attempt_submit(attempt=attempt, auto=True)
        raise AttemptError("Đã hết giờ làm bài. Bài làm đã được nộp với các câu trả lời đã lưu.")
    ai = attempt_item
    if ai is None or ai.attempt_id != attempt.pk or ai.position != position:
        ai = AttemptItem.objects.filter(attempt=attempt, position=position).select_related("item").first()
    if ai is None:
        raise AttemptError("Không có câu hỏi này trong bài làm.")
    allowed = set(ai.option_order)
    answer = [int(a) for a in answer]
    if not set(answer) <= allowed or len(set(answer)) != len(answer):
        raise AttemptError("Phương án đã chọn không thuộc câu hỏi này.")
    kind = ai.item.type
    if kind in (ItemType.SINGLE, ItemType.TRUE_FALSE, ItemType.IMAGE_CHOICE) and len(answer) > 1:
        raise AttemptError("Câu này chỉ chọn một đáp án.")
    if kind == ItemType.ORDERING and answer and len(answer) != len(allowed):
        raise AttemptError("Vui lòng sắp xếp đủ tất cả các bước.")
    now = timezone.now()
    # the status condition makes an answer racing a submit lose cleanly instead of changing a scored attempt
    updated = AttemptItem.objects.filter(pk=ai.pk, attempt__status=AttemptStatus.IN_PROGRESS).update(
        answer=answer or None, answered_at=now
    )
    if not updated:
        raise AttemptError("Bài làm đã được nộp, không thể sửa câu trả lời.")
    ai.answer, ai.answered_at = answer or None, now
    return ai


def _is_correct(item_type: str, answer: list[int] | None, options: list[tuple[int, bool, int]]) -> bool:
    if not answer:
        return False
    if item_type == ItemType.ORDERING:
        return answer == [oid for oid, _c, _s in sorted(options, key=lambda o: o[2])]
    return set(answer) == {oid for oid, correct, _s in options if correct}


def attempt_submit(*, attempt: Attempt, auto: bool = False) -> Attempt:
    """Submit and score exactly once. The row lock (PostgreSQL) and the status check make a second or concurrent
    submit a no-op that returns the first result; the certificate service is idempotent besides."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != AttemptStatus.IN_PROGRESS:
            return locked
        rule = locked.pass_rule
        items = list(AttemptItem.objects.filter(attempt=locked).select_related("item__competency__area"))
        options: dict[int, list] = defaultdict(list)
        for oid, item_id, correct, sort in Option.objects.filter(item__in=[ai.item_id for ai in items]).values_list(
            "id", "item_id", "is_correct", "sort_order"
        ):
            options[item_id].append((oid, correct, sort or 0))
        areas: dict[str, dict] = {}
        critical_ok = True
        for ai in items:
            ai.is_correct = _is_correct(ai.item.type, ai.answer, options[ai.item_id])
            area = ai.item.competency.area
            a = areas.setdefault(area.code, {"code": area.code, "name": area.name, "total": 0, "correct": 0, "position": area.position})
            a["total"] += 1
            a["correct"] += int(ai.is_correct)
            if ai.item.critical and not ai.is_correct:
                critical_ok = False
        AttemptItem.objects.bulk_update(items, ["is_correct"])
        total = len(items)
        correct = sum(int(ai.is_correct) for ai in items)
        score = Decimal(100 * correct / total).quantize(Decimal("0.01")) if total else Decimal(0)
        area_list = sorted(areas.values(), key=lambda a: a["position"])
        for a in area_list:
            a["pct"] = round(100 * a["correct"] / a["total"]) if a["total"] else 0
            a["weak"] = a["pct"] < rule.min_area_pct
        passed = (
            score >= rule.min_overall_pct
            and all(not a["weak"] for a in area_list)
            and (critical_ok or not rule.critical_must_pass)
        )
        locked.status = AttemptStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.auto_submitted = auto
        locked.score_pct = score
        locked.area_scores = area_list
        locked.critical_ok = critical_ok
        locked.passed = passed
        locked.save()
        form = locked.form
        if passed and form.audience == Audience.TEAM and form.course_id:
            # the end-of-course check of an in-depth course (Kế hoạch 2026: team members trained in depth)
            team_training_record(
                resident=locked.resident, course_id=form.course_id, course_title=form.course.title,
                required_course_ids=list(required_team_courses().values_list("id", flat=True)), check_passed=True,
            )
        if passed and form.issues_certificate:
            certificate_issue(
                resident=locked.resident,
                kind=CertificateKind.BASIC,
                evidence={"attempt": str(locked.public_id), "score_pct": str(score)},
                framework_label=locked.framework.label,
                rule_label=rule.version,
            )
    return locked


def attempt_expire_if_due(*, attempt: Attempt, with_grace: bool = True) -> bool:
    """Submit an attempt whose time is up. The grace lets answers still in flight at the deadline land; the
    browser's own countdown, having stopped answering, asks without it."""
    if attempt.is_open and _deadline_passed(attempt, with_grace=with_grace):
        attempt_submit(attempt=attempt, auto=True)
        return True
    return False


IMPORT_FORMATS = ("xlsx", "csv")


def _dataset_from_bytes(*, content: bytes, file_format: str):
    import tablib

    if file_format not in IMPORT_FORMATS:
        raise ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
    try:
        if file_format == "csv":
            dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except UnicodeDecodeError as exc:
        raise ValidationError("Tệp CSV cần lưu với bảng mã UTF-8.") from exc
    except Exception as exc:  # tablib/openpyxl raise many kinds of errors on a damaged file
        raise ValidationError("Không đọc được tệp. Hãy dùng mẫu tải về từ trang này.") from exc
    while len(dataset) and not any(str(v or "").strip() for v in dataset[-1]):
        del dataset[-1]
    if not len(dataset):
        raise ValidationError("Tệp không có dòng dữ liệu nào.")
    from .resources import ItemResource

    missing = [c for c in ("Mã câu", "Năng lực", "Dạng", "Câu hỏi") if c not in (dataset.headers or [])]
    if missing:
        raise ValidationError("Tệp thiếu cột: %s. Hãy dùng mẫu tải về từ trang này." % ", ".join(missing))
    return dataset, ItemResource


def item_bank_import(*, content: bytes, file_format: str, user, dry_run: bool) -> dict:
    """Import items from XLSX/CSV: all rows or none. Returns per-row outcomes and errors (Vietnamese), spreadsheet
    line numbers counting the header as line 1."""
    dataset, resource_class = _dataset_from_bytes(content=content, file_format=file_format)
    resource = resource_class(user=user)
    columns = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True)
    errors: dict[int, list[str]] = defaultdict(list)
    for number, row_errors in result.row_errors():
        for err in row_errors:
            errors[number].append(f"Lỗi không xử lý được: {err.error}")
    for invalid in result.invalid_rows:
        exc = invalid.error
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                label = columns.get(field, "") if field != "__all__" else ""
                errors[invalid.number].extend(f"{label}: {m}" if label else m for m in messages)
        else:
            errors[invalid.number].extend(exc.messages)
    labels = {"new": "Thêm mới", "update": "Cập nhật", "skip": "Bỏ qua", "error": "Lỗi", "invalid": "Lỗi"}
    rows = []
    for number, values in enumerate(dataset.dict, start=1):
        outcome = result.rows[number - 1].import_type if number - 1 < len(result.rows) else "error"
        rows.append({
            "line": number + 1, "code": str(values.get("Mã câu") or ""), "stem": str(values.get("Câu hỏi") or "")[:80],
            "action": "Lỗi" if errors.get(number) else labels.get(outcome, outcome), "errors": errors.get(number, []),
        })
    ok = not errors and not result.has_errors()
    return {
        "ok": ok, "rows": rows, "error_count": sum(1 for r in rows if r["errors"]),
        "new": sum(1 for r in rows if r["action"] == "Thêm mới"), "updated": sum(1 for r in rows if r["action"] == "Cập nhật"),
        "saved": ok and not dry_run,
    }


def item_bank_export(*, file_format: str) -> bytes:
    from .resources import ItemResource

    if file_format not in IMPORT_FORMATS:
        raise ValidationError("Chỉ xuất được .xlsx hoặc .csv.")
    dataset = ItemResource().export()
    if file_format == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")  # the BOM lets Excel read Vietnamese correctly
    return dataset.export("xlsx")
