"""The shipped question bank (assessment/data/question-bank.yaml), the default pass rule and test forms."""
from pathlib import Path

import yaml
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model

from cms.models import CoursePage
from framework.models import Competency, Framework

from .models import Item, ItemStatus, Option, PassRule, TestForm

DATA_DIR = Path(__file__).resolve().parent / "data"
BANK = DATA_DIR / "question-bank.yaml"
IMAGES = DATA_DIR / "item-images"
TEAM_COURSE_SLUGS = {
    "ai-co-ban": "ung-dung-ai-co-ban",
    "dich-vu-cong": "dich-vu-cong-truc-tuyen",
    "bao-mat": "ky-nang-bao-mat",
    "chu-ky-so": "chu-ky-so",
}


def _image(filename: str):
    Image = get_image_model()
    title = f"Câu hỏi – {filename}"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    with open(IMAGES / filename, "rb") as fh:
        image = Image(title=title, file=ImageFile(fh, name=filename))
        image.save()
    return image


@transaction.atomic
def load_bank(*, framework: Framework, path: Path = BANK) -> int:
    """Create items that are not there yet (matched by code); existing items, maybe edited by trainers, stay."""
    if not path.exists():
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    competencies = {c.code: c for c in Competency.objects.filter(area__framework=framework)}
    courses = {c.slug: c for c in CoursePage.objects.all()}
    existing = set(Item.objects.values_list("code", flat=True))
    created = 0
    for row in data:
        if row["code"] in existing:
            continue
        item = Item.objects.create(
            code=row["code"], audience=row["audience"], competency=competencies[str(row["competency"])],
            course=courses.get(TEAM_COURSE_SLUGS.get(row.get("course") or "", "")), type=row["type"],
            difficulty=row.get("difficulty", 1), critical=row.get("critical", False), stem=row["stem"].strip(),
            explanation=(row.get("explanation") or "").strip(), status=ItemStatus.ACTIVE,
        )
        Option.objects.bulk_create(
            Option(item=item, text=o["text"], is_correct=bool(o.get("correct", False)), sort_order=i,
                   image=_image(o["image"]) if o.get("image") else None)
            for i, o in enumerate(row["options"])
        )
        created += 1
    return created


@transaction.atomic
def ensure_forms(*, framework: Framework) -> list[TestForm]:
    rule, _ = PassRule.objects.get_or_create(
        version="DX-2026.1",
        defaults={"min_overall_pct": 70, "min_area_pct": 50, "critical_must_pass": True,
                  "note": "Đề xuất: ≥70% toàn bài, ≥50% mỗi lĩnh vực, đúng mọi câu an toàn — chờ đối chiếu Phụ lục II QĐ 757."},
    )
    forms = []
    blueprint = {a.code: 2 for a in framework.areas.all()}
    form, _ = TestForm.objects.get_or_create(
        slug="ky-nang-so-co-ban",
        defaults={"title": "Kiểm tra kỹ năng số cơ bản", "audience": "resident", "framework": framework,
                  "blueprint": blueprint, "time_limit_minutes": 25, "max_attempts_per_day": 2, "pass_rule": rule,
                  "issues_certificate": True},
    )
    forms.append(form)
    for key, slug in TEAM_COURSE_SLUGS.items():
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            continue
        per_area: dict[str, int] = {}
        for code in Item.objects.active().filter(course=course).values_list("competency__area__code", flat=True):
            per_area[code] = per_area.get(code, 0) + 1
        if not per_area:
            continue
        form, _ = TestForm.objects.get_or_create(
            slug=f"kiem-tra-{slug}",
            defaults={"title": f"Kiểm tra cuối khóa: {course.title}", "audience": "team", "course": course,
                      "framework": framework, "blueprint": per_area, "time_limit_minutes": 15,
                      "max_attempts_per_day": 3, "pass_rule": rule},
        )
        forms.append(form)
    return forms
