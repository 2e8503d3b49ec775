"""Public certificate codes: 75 random bits in an alphabet without look-alikes, plus a Luhn mod 32 check character
so a typo is caught before any lookup."""
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
N = len(ALPHABET)
RANDOM_CHARS = 15  # 15 × 5 bits = 75 bits
CODE_LENGTH = RANDOM_CHARS + 1


class CodeError(ValueError):
    pass


def _check_char(payload: str) -> str:
    # Luhn mod N: catches every single-character error and most adjacent swaps.
    factor, total = 2, 0
    for ch in reversed(payload):
        addend = factor * ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // N + addend % N
    return ALPHABET[(N - total % N) % N]


def generate() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return payload + _check_char(payload)


def normalize(raw: str) -> str:
    """Turn what a person typed into the stored form, or raise CodeError with a Vietnamese message."""
    code = "".join(ch for ch in (raw or "").upper() if ch not in " -.\t")
    if not code:
        raise CodeError("Vui lòng nhập mã chứng nhận.")
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise CodeError(
            "Mã chứng nhận chỉ gồm chữ in hoa và chữ số, không có số 0, số 1, chữ O và chữ I. "
            f"Ký tự không hợp lệ: {' '.join(bad)}."
        )
    if len(code) != CODE_LENGTH:
        raise CodeError(f"Mã chứng nhận có {CODE_LENGTH} ký tự; bạn đã nhập {len(code)} ký tự.")
    if _check_char(code[:-1]) != code[-1]:
        raise CodeError("Mã chứng nhận không đúng: có thể gõ nhầm một ký tự. Vui lòng kiểm tra lại.")
    return code


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
