"""Writes with the rules of the skills test: start (draw and freeze), answer, submit exactly once, score."""
import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.models import CertificateKind
from certificates.services import certificate_issue
from community.models import Resident

from .models import Attempt, AttemptItem, AttemptStatus, Item, ItemType, Option, TestForm


class AttemptError(ValidationError):
    pass


def _draw(*, form: TestForm, resident: Resident, rng: random.Random) -> list[Item]:
    """Stratified draw: for each area, spread its count over the area's competencies, preferring items this person
    has not seen in earlier attempts where the bank allows."""
    seen = set(AttemptItem.objects.filter(attempt__resident=resident).values_list("item_id", flat=True))
    pool = Item.objects.active().filter(competency__area__framework=form.framework, audience=form.audience)
    if form.course_id:
        pool = pool.filter(course_id=form.course_id)
    by_area: dict[str, dict[int, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for item in pool.select_related("competency__area"):
        by_area[item.competency.area.code][item.competency_id].append(item)
    drawn: list[Item] = []
    for area_code, count in form.blueprint.items():
        competencies = by_area.get(str(area_code), {})
        if sum(len(v) for v in competencies.values()) < int(count):
            raise AttemptError("Ngân hàng câu hỏi chưa đủ câu cho đề này. Vui lòng báo giảng viên.")
        buckets = []
        for items in competencies.values():
            rng.shuffle(items)
            items.sort(key=lambda i: i.pk in seen)  # unseen first, random within each group
            buckets.append(items)
        rng.shuffle(buckets)
        picked: list[Item] = []
        while len(picked) < int(count):
            for bucket in buckets:
                if bucket and len(picked) < int(count):
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


def _deadline_passed(attempt: Attempt) -> bool:
    grace = datetime.timedelta(seconds=settings.ASSESSMENT_DEADLINE_GRACE_SECONDS)
    return timezone.now() > attempt.deadline + grace


def attempt_answer(*, attempt: Attempt, position: int, answer: list[int]) -> AttemptItem:
    """Save one answer: a single small UPDATE. The answer is a list of option ids (in order, for ordering items)."""
    if not attempt.is_open:
        raise AttemptError("Bài làm đã được nộp, không thể sửa câu trả lời.")
    if _deadline_passed(attempt):
        attempt_submit(attempt=attempt, auto=True)
        raise AttemptError("Đã hết giờ làm bài. Bài làm đã được nộp với các câu trả lời đã lưu.")
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
    updated = AttemptItem.objects.filter(
        pk=ai.pk, attempt__status=AttemptStatus.IN_PROGRESS
    ).update(answer=answer or None, answered_at=now)
    if not updated:
        raise AttemptError("Bài làm đã được nộp, không thể sửa câu trả lời.")
    Attempt.objects.filter(pk=attempt.pk).update(last_position=position)
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
        if passed and locked.form.issues_certificate:
            certificate_issue(
                resident=locked.resident,
                kind=CertificateKind.BASIC,
                evidence={"attempt": str(locked.public_id), "score_pct": str(score)},
                framework_label=locked.framework.label,
                rule_label=rule.version,
            )
    return locked


def attempt_expire_if_due(*, attempt: Attempt) -> bool:
    if attempt.is_open and _deadline_passed(attempt):
        attempt_submit(attempt=attempt, auto=True)
        return True
    return False
