import re
import unicodedata

from django.utils.html import strip_tags


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics so "CHỮ KÝ SỐ", "chữ ký số" and "chu ky so" compare equal."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text).strip().lower()


def fold_html(html: str) -> str:
    return fold(strip_tags(html))
