from django.db.models import Q
from django.http import Http404

from cms.selectors import lessons_teaching
from community.models import Resident

from .models import Attempt, AttemptItem, Option, TestForm


def attempt_for(*, public_id, resident: Resident) -> Attempt:
    """An attempt the resident may see: their own, or one they are assisting. Anything else is a 404."""
    attempt = (
        Attempt.objects.select_related("form", "resident", "framework", "pass_rule")
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
    return {"missed": missed, "weak_areas": weak_areas, "lessons": lessons}


def forms_for(resident: Resident, *, is_member: bool):
    audiences = ["resident", "team"] if is_member else ["resident"]
    return TestForm.objects.filter(is_active=True, audience__in=audiences).order_by("audience", "title")
