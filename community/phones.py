import re

from django import forms
from django.core.exceptions import ValidationError

MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
MESSAGE = "Số điện thoại di động Việt Nam gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912 345 678)."


def normalize_phone(raw: str) -> str:
    """'0912 345 678', '+84 912 345 678' and '84912345678' all become '+84912345678'."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not MOBILE_RE.match(digits):
        raise ValidationError(MESSAGE, code="invalid_phone")
    return "+84" + digits[1:]


def display_phone(e164: str) -> str:
    if not e164:
        return ""
    local = "0" + e164[3:]
    return f"{local[:4]} {local[4:7]} {local[7:]}"


class VietnamPhoneField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Số điện thoại")
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "placeholder": "0912 345 678"}),
        )
        kwargs.pop("validators", None)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value
