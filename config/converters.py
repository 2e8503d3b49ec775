class IdConverter:
    """Like <int:…> but at most 18 digits, so an absurd id in a URL is a 404, not an overflow in the database."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
