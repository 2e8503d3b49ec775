"""Small builders shared by tests."""


def make_item(framework, competency_code, *, correct="Đúng rồi", wrong=("Sai một", "Sai hai"), critical=False,
              type="single", code=None, audience="resident", course=None):
    from assessment.models import Item, Option
    from framework.models import Competency

    comp = Competency.objects.get(area__framework=framework, code=competency_code)
    item = Item.objects.create(
        code=code or f"T-{competency_code}-{Item.objects.count() + 1}", competency=comp, type=type, stem=f"Câu hỏi về {comp.name}?",
        explanation=f"GIẢI-THÍCH-{competency_code}", critical=critical, status="active", audience=audience, course=course,
    )
    Option.objects.create(item=item, text=correct, is_correct=True, sort_order=0)
    for i, w in enumerate(wrong, start=1):
        Option.objects.create(item=item, text=w, is_correct=False, sort_order=i)
    return item




def answer_all(attempt, *, correct: bool):
    """Answer every item of an attempt through the service, rightly or wrongly."""
    from assessment.models import Option
    from assessment.services import attempt_answer

    for ai in attempt.attempt_items.select_related("item").order_by("position"):
        opts = list(Option.objects.filter(item=ai.item).order_by("sort_order"))
        if ai.item.type == "ordering":
            ids = [o.id for o in opts] if correct else [o.id for o in reversed(opts)]
        else:
            ids = [o.id for o in opts if o.is_correct == correct][:1] or [opts[-1].id]
        attempt_answer(attempt=attempt, position=ai.position, answer=ids)
