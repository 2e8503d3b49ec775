"""Bulk import and export of the question bank (XLSX / CSV) with django-import-export.

One row per item; options are flattened into "Phương án 1".."Phương án 6" and "Đáp án đúng" holds the numbers of the
right options ("1,3"), or for an ordering item the steps in their right order ("2,1,3"; empty = as listed)."""
from django.core.exceptions import ValidationError
from import_export import resources, widgets
from import_export.fields import Field

from cms.models import Audience
from framework.models import Competency

from .models import MAX_OPTIONS, AttemptItem, Item, ItemStatus, ItemType, Option, validate_item_options

OPTION_COLUMNS = [f"Phương án {i}" for i in range(1, MAX_OPTIONS + 1)]
CORRECT_COLUMN = "Đáp án đúng"
YES = {"có", "co", "x", "1", "true", "đúng", "yes"}
NO = {"", "không", "khong", "0", "false", "sai", "no"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class ChoiceWidget(widgets.Widget):
    """Accepts the stored value or its Vietnamese label; exports the label, which trainers read more easily."""

    def __init__(self, choices, what: str):
        super().__init__()
        self.choices = choices
        self.what = what

    def clean(self, value, row=None, **kwargs):
        text = _text(value).casefold()
        for stored, label in self.choices.choices:
            if text in (stored.casefold(), str(label).casefold()):
                return stored
        allowed = "; ".join(f"“{label}”" for _, label in self.choices.choices)
        raise ValueError(f"{self.what} “{_text(value)}” không hợp lệ; dùng một trong: {allowed}.")

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).casefold()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(f"“{_text(value)}” không hợp lệ; ghi “có” hoặc để trống.")

    def render(self, value, obj=None, **kwargs):
        return "có" if value else ""


class DifficultyWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value) or "1"
        if text not in {"1", "2", "3"}:
            raise ValueError(f"Độ khó “{text}” không hợp lệ; ghi 1 (dễ), 2 hoặc 3 (khó).")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return str(value)


class CompetencyWidget(widgets.Widget):
    """A competency code of the current framework version (codes repeat across versions)."""

    def clean(self, value, row=None, **kwargs):
        code = _text(value)
        competency = Competency.objects.filter(area__framework__is_current=True, code=code).first()
        if competency is None:
            raise ValueError(f"Không có năng lực mã “{code}” trong khung năng lực đang dùng.")
        return competency

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)


def parse_options(row: dict, item_type: str) -> list[dict]:
    """The options of one row, in stored order (for ordering items: the right order), checked against the type."""
    texts = [_text(row.get(col)) for col in OPTION_COLUMNS]
    while texts and not texts[-1]:
        texts.pop()
    if "" in texts:
        raise ValidationError(f"Không được bỏ trống một phương án ở giữa (cột “{OPTION_COLUMNS[texts.index('')]}”).")
    raw = _text(row.get(CORRECT_COLUMN)).replace(";", ",").replace(" ", "")
    numbers: list[int] = []
    if raw:
        parts = raw.split(",")
        if not all(p.isdigit() for p in parts):
            raise ValidationError(f"Cột “{CORRECT_COLUMN}” phải là các số thứ tự phương án, cách nhau bằng dấu phẩy, ví dụ 1,3.")
        numbers = [int(p) for p in parts]
        if any(n < 1 or n > len(texts) for n in numbers) or len(set(numbers)) != len(numbers):
            raise ValidationError(f"Cột “{CORRECT_COLUMN}” có số phương án không tồn tại hoặc bị lặp: {raw}.")
    if item_type == ItemType.ORDERING:
        if numbers and len(numbers) != len(texts):
            raise ValidationError(f"Câu sắp xếp: cột “{CORRECT_COLUMN}” phải liệt kê đủ {len(texts)} bước theo đúng thứ tự.")
        order = numbers or list(range(1, len(texts) + 1))
        options = [{"text": texts[n - 1], "is_correct": False, "has_image": False} for n in order]
    else:
        if not numbers:
            raise ValidationError(f"Chưa ghi “{CORRECT_COLUMN}” (số thứ tự phương án đúng, ví dụ 2 hoặc 1,3).")
        options = [{"text": t, "is_correct": i in numbers, "has_image": False} for i, t in enumerate(texts, start=1)]
    # pictures cannot travel in a spreadsheet: they are checked against the saved options after the row is saved
    validate_item_options(item_type, [{**o, "has_image": True} for o in options])
    return options


class ItemResource(resources.ModelResource):
    code = Field(attribute="code", column_name="Mã câu", widget=TextWidget())
    competency = Field(attribute="competency", column_name="Năng lực", widget=CompetencyWidget())
    type = Field(attribute="type", column_name="Dạng", widget=ChoiceWidget(ItemType, "Dạng câu hỏi"))
    difficulty = Field(attribute="difficulty", column_name="Độ khó", widget=DifficultyWidget())
    stem = Field(attribute="stem", column_name="Câu hỏi", widget=TextWidget())
    option_1 = Field(column_name=OPTION_COLUMNS[0], dehydrate_method="dehydrate_option_1")
    option_2 = Field(column_name=OPTION_COLUMNS[1], dehydrate_method="dehydrate_option_2")
    option_3 = Field(column_name=OPTION_COLUMNS[2], dehydrate_method="dehydrate_option_3")
    option_4 = Field(column_name=OPTION_COLUMNS[3], dehydrate_method="dehydrate_option_4")
    option_5 = Field(column_name=OPTION_COLUMNS[4], dehydrate_method="dehydrate_option_5")
    option_6 = Field(column_name=OPTION_COLUMNS[5], dehydrate_method="dehydrate_option_6")
    correct = Field(column_name=CORRECT_COLUMN, dehydrate_method="dehydrate_correct")
    explanation = Field(attribute="explanation", column_name="Giải thích", widget=TextWidget())
    critical = Field(attribute="critical", column_name="Bắt buộc đúng", widget=YesNoWidget())
    audience = Field(attribute="audience", column_name="Đối tượng", widget=ChoiceWidget(Audience, "Đối tượng"))
    status = Field(attribute="status", column_name="Trạng thái", widget=ChoiceWidget(ItemStatus, "Trạng thái"))

    class Meta:
        model = Item
        fields = ("code", "competency", "type", "difficulty", "stem", "option_1", "option_2", "option_3", "option_4",
                  "option_5", "option_6", "correct", "explanation", "critical", "audience", "status")
        import_id_fields = ("code",)
        use_transactions = True
        skip_unchanged = False
        clean_model_instances = True

    def __init__(self, user=None):
        super().__init__()
        self.user = user
        self._options: dict[int, list[dict]] = {}

    # ---- export ----
    def get_export_queryset(self, *args, **kwargs):
        return Item.objects.select_related("competency").prefetch_related("options").order_by("code")

    def _option(self, item: Item, n: int) -> str:
        options = list(item.options.all())
        return options[n - 1].text if len(options) >= n else ""

    def dehydrate_option_1(self, item): return self._option(item, 1)  # noqa: E704
    def dehydrate_option_2(self, item): return self._option(item, 2)  # noqa: E704
    def dehydrate_option_3(self, item): return self._option(item, 3)  # noqa: E704
    def dehydrate_option_4(self, item): return self._option(item, 4)  # noqa: E704
    def dehydrate_option_5(self, item): return self._option(item, 5)  # noqa: E704
    def dehydrate_option_6(self, item): return self._option(item, 6)  # noqa: E704

    def dehydrate_correct(self, item: Item) -> str:
        options = list(item.options.all())
        if item.type == ItemType.ORDERING:
            return ",".join(str(i) for i in range(1, len(options) + 1))
        return ",".join(str(i) for i, o in enumerate(options, start=1) if o.is_correct)

    # ---- import ----
    def before_import_row(self, row, row_number=None, **kwargs):
        if not _text(row.get("Mã câu")):
            raise ValidationError("Thiếu mã câu (cột “Mã câu”).")
        try:
            item_type = ChoiceWidget(ItemType, "Dạng câu hỏi").clean(row.get("Dạng"))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        self._options[row_number] = parse_options(row, item_type)

    def after_save_instance(self, instance: Item, row, row_number=None, **kwargs):
        wanted = self._options[row_number]
        current = [{"text": o.text, "is_correct": o.is_correct, "has_image": False}
                   for o in instance.options.order_by("sort_order")]
        if current != wanted:
            if instance.type == ItemType.IMAGE_CHOICE:
                raise ValidationError(
                    "Câu “Chọn hình đúng” cần ảnh cho từng phương án: hãy soạn hoặc sửa phương án trong trang quản trị."
                )
            if AttemptItem.objects.filter(item=instance).exists():
                raise ValidationError(
                    f"Câu {instance.code} đã có người làm: không đổi phương án qua tệp nhập được. "
                    "Hãy sửa trong trang quản trị hoặc tạo câu mới với mã khác."
                )
            Option.objects.filter(item=instance).delete()
            Option.objects.bulk_create(
                Option(item=instance, text=o["text"], is_correct=o["is_correct"], sort_order=i) for i, o in enumerate(wanted)
            )
        elif instance.type == ItemType.IMAGE_CHOICE and instance.options.filter(image__isnull=True).exists():
            raise ValidationError("Câu “Chọn hình đúng” cần ảnh cho từng phương án: hãy thêm ảnh trong trang quản trị.")
        if instance.author_id is None and self.user is not None:
            Item.objects.filter(pk=instance.pk).update(author=self.user)
            instance.author = self.user
        instance.save_revision(user=self.user, log_action=True)
