import math

from django.db.models import Q
from django.http import Http404

from cms.selectors import lessons_teaching
from community.models import Resident

from .models import Attempt, AttemptItem, Option, TestForm


def attempt_for(*, public_id, resident: Resident) -> Attempt:
    """An attempt the resident may see: their own, or one they are assisting. Anything else is a 404."""
    attempt = (
        Attempt.objects.select_related("form", "resident", "assisted_by", "framework", "pass_rule")
        .filter(Q(resident=resident) | Q(assisted_by=resident), public_id=public_id)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def question_view_data(*, attempt: Attempt, position: int) -> dict:
    """What the browser may see of one question before submission: no correctness, no explanation."""
    ai = (
        AttemptItem.objects.filter(attempt=attempt, position=position)
        .select_related("item__image")
        .only("id", "position", "option_order", "answer", "item__type", "item__stem", "item__image")
        .first()
    )
    if ai is None:
        raise Http404
    opts = {o["id"]: o for o in Option.objects.filter(id__in=ai.option_order).values("id", "text", "image_id")}
    from wagtail.images import get_image_model

    images = {img.pk: img for img in get_image_model().objects.filter(pk__in=[o["image_id"] for o in opts.values() if o["image_id"]])}
    options = []
    for oid in ai.option_order:
        o = opts[oid]
        options.append({"id": oid, "text": o["text"], "image": images.get(o["image_id"])})
    answer = ai.answer or []
    if ai.item.type == "ordering":
        rank = {oid: i + 1 for i, oid in enumerate(answer)}
        for o in options:
            o["rank"] = rank.get(o["id"])
    return {"attempt_item": ai, "item": ai.item, "options": options, "answer": answer}


def attempt_progress(attempt: Attempt) -> list[dict]:
    return list(AttemptItem.objects.filter(attempt=attempt).order_by("position").values("position", "answered_at"))


def result_data(attempt: Attempt) -> dict:
    missed = list(
        AttemptItem.objects.filter(attempt=attempt, is_correct=False)
        .select_related("item__competency")
        .order_by("position")
    )
    weak_areas = [a for a in attempt.area_scores if a.get("weak")]
    weak_competencies = {ai.item.competency_id for ai in missed}
    lessons = list(lessons_teaching(weak_competencies)[:8]) if weak_competencies else []
    correct_text = {}
    for o in Option.objects.filter(item__in=[ai.item_id for ai in missed]).order_by("sort_order"):
        if o.is_correct or o.item_id in {ai.item_id for ai in missed if ai.item.type == "ordering"}:
            correct_text.setdefault(o.item_id, []).append(o.text)
    for ai in missed:
        ai.correct_text = correct_text.get(ai.item_id, [])
    return {"missed": missed, "weak_areas": weak_areas, "lessons": lessons, "areas": area_bands(attempt)}


def area_bands(attempt: Attempt) -> list[dict]:
    """Feedback bands per area: below the rule's area minimum → review; up to 80% → reached; from 80% → solid."""
    bands = []
    for a in attempt.area_scores:
        if a.get("weak"):
            band, label = "weak", "Cần ôn thêm"
        elif a["pct"] >= 80:
            band, label = "strong", "Vững"
        else:
            band, label = "ok", "Đạt"
        bands.append({**a, "band": band, "band_label": label})
    return bands


def forms_for(resident: Resident, *, is_member: bool):
    audiences = ["resident", "team"] if is_member else ["resident"]
    return TestForm.objects.filter(is_active=True, audience__in=audiences).order_by("audience", "title")


ITEM_STATS_MIN_N = 20  # below this many scored answers an item's figures are too noisy to flag


def _point_biserial(*, n: int, n_correct: int, sum_score: float, sum_correct: float, sum_sq: float) -> float | None:
    """r_pb = (M1 − M0) / s · √(p·q), from the per-item sums the database returns (s: population SD of scores).
    The total includes the item itself (uncorrected), which slightly favours items on short forms."""
    if n < 2 or n_correct in (0, n):
        return None
    mean = sum_score / n
    variance = sum_sq / n - mean * mean
    if variance <= 1e-9:
        return None
    m1 = sum_correct / n_correct
    m0 = (sum_score - sum_correct) / (n - n_correct)
    p = n_correct / n
    return (m1 - m0) / math.sqrt(variance) * math.sqrt(p * (1 - p))


def item_statistics(*, min_n: int = ITEM_STATS_MIN_N, items=None) -> list[dict]:
    """Per item: scored answers (n), proportion correct (p), point-biserial discrimination against the attempt's
    score, how often each option was chosen, exposure (attempts that drew it), and flags for items that behave
    badly. All counting is done by grouped aggregates; Python only turns each item's sums into the formula."""
    from django.db.models import Count, FloatField, Sum
    from django.db.models.functions import Cast

    from .models import MAX_OPTIONS, AttemptStatus, Item

    items = list((items if items is not None else Item.objects.all()).select_related("competency").prefetch_related("options").order_by("code"))
    ids = [i.pk for i in items]
    scored = AttemptItem.objects.filter(attempt__status=AttemptStatus.SUBMITTED, item_id__in=ids)
    score = Cast("attempt__score_pct", FloatField())
    sums = {
        r["item_id"]: r
        for r in scored.values("item_id").annotate(
            n=Count("id"), n_correct=Count("id", filter=Q(is_correct=True)), sum_score=Sum(score),
            sum_correct=Sum(score, filter=Q(is_correct=True)), sum_sq=Sum(score * score),
        )
    }
    exposure = dict(
        AttemptItem.objects.filter(item_id__in=ids).values("item_id").annotate(c=Count("attempt_id")).values_list("item_id", "c")
    )
    total_attempts = Attempt.objects.count()
    chosen: dict[tuple[int, int], int] = {}
    ordering = {i.pk for i in items if i.type == "ordering"}
    for k in range(MAX_OPTIONS):  # one grouped query per answer slot: (item, option id) → count
        for item_id, oid, c in scored.filter(answer__isnull=False).values_list("item_id", f"answer__{k}").annotate(c=Count("id")):
            if oid is None or (k > 0 and item_id in ordering):
                continue  # for an ordering item, "chosen" means placed first
            chosen[(item_id, int(oid))] = chosen.get((item_id, int(oid)), 0) + c
    rows = []
    for item in items:
        s = sums.get(item.pk) or {}
        n = s.get("n", 0)
        p = s["n_correct"] / n if n else None
        r = _point_biserial(n=n, n_correct=s["n_correct"], sum_score=s["sum_score"] or 0, sum_correct=s["sum_correct"] or 0,
                            sum_sq=s["sum_sq"] or 0) if n else None
        flags = []
        if n >= min_n:
            if p < 0.2:
                flags.append("Quá khó: dưới 20% trả lời đúng")
            if p > 0.95:
                flags.append("Quá dễ: trên 95% trả lời đúng")
            if r is None or r < 0.1:
                flags.append("Phân biệt kém: người điểm cao không làm đúng hơn người điểm thấp")
        options = [
            {"text": o.text, "is_correct": o.is_correct if item.type != "ordering" else o.sort_order == 0,
             "chosen": chosen.get((item.pk, o.pk), 0), "share": (chosen.get((item.pk, o.pk), 0) / n) if n else None}
            for o in item.options.all()
        ]
        drawn = exposure.get(item.pk, 0)
        rows.append({
            "item": item, "n": n, "p": p, "discrimination": r, "options": options, "exposure": drawn,
            "exposure_rate": drawn / total_attempts if total_attempts else None, "flags": flags,
        })
    return rows


def attempt_item_for_answer(*, public_id, position: int, user) -> AttemptItem:
    """Saving an answer is the hot path of a test: one query fetches the row, its allowed options, the item type and
    the attempt (with the same ownership rule as attempt_for). Anything else is a 404."""
    ai = list(
        AttemptItem.objects.filter(attempt__public_id=public_id, position=position)
        .filter(Q(attempt__resident__user=user) | Q(attempt__assisted_by__user=user))
        .select_related("item", "attempt__form")
        .only("id", "attempt_id", "position", "option_order", "item__type", "attempt__public_id", "attempt__status",
              "attempt__deadline", "attempt__resident_id", "attempt__form__blueprint")
        .order_by()[:1]
    )
    if not ai:
        raise Http404
    return ai[0]


def resume_position(attempt: Attempt) -> int:
    """Where a resumed attempt opens: the question answered last (answers are saved as given), else the first."""
    last = (
        AttemptItem.objects.filter(attempt=attempt, answered_at__isnull=False)
        .order_by("-answered_at").values_list("position", flat=True).first()
    )
    return last or 1


def attempt_is_open(*, attempt: Attempt) -> bool:
    return Attempt.objects.filter(pk=attempt.pk, status="in_progress").exists()
