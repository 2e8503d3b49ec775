from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .models import validate_item_options


class ItemAdminForm(WagtailAdminModelForm):
    """The Wagtail admin form of an item: checks the options against the item type (the options live in a child
    formset, which the model's own clean() cannot see) and records the author."""

    def is_valid(self):
        if not super().is_valid():
            return False
        options = []
        for form in self.formsets["options"].forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            options.append({"text": data.get("text"), "is_correct": data.get("is_correct"), "has_image": bool(data.get("image"))})
        try:
            validate_item_options(self.cleaned_data.get("type"), options)
        except ValidationError as exc:
            self.add_error(None, exc)
            return False
        return True

    def save(self, commit=True):
        if self.instance.author_id is None and self.for_user is not None and self.for_user.is_authenticated:
            self.instance.author = self.for_user
        return super().save(commit=commit)
