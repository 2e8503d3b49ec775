"""Registry data for the demo and first deployment: the 95 communes from the official list."""
import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Commune, CommuneKind

COMMUNES_CSV = Path(settings.BASE_DIR) / "data" / "dong-nai-communes.csv"
KIND_CHANGE_DATE = datetime.date(2026, 4, 30)  # Nghị quyết 237/NQ-UBTVQH16: 10 xã became phường


@transaction.atomic
def load_communes(path: Path = COMMUNES_CSV) -> int:
    """Create or update the 95 communes. The target group defaults from the kind on 1/7/2025, the basis on which the
    2026 plan (issued March 2026) set its targets; the province officer can change it."""
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        kind_now = row["kind_from_2026_04_30"] or row["kind"]
        commune, created = Commune.objects.get_or_create(
            code=row["code"].strip(),
            defaults={
                "name": row["name"].strip(),
                "kind": kind_now,
                "kind_since": KIND_CHANGE_DATE if kind_now != row["kind"] else datetime.date(2025, 7, 1),
                "group": Commune.default_group(row["kind"]),
                "former_province": row["former_province"],
            },
        )
        if not created and commune.name != row["name"].strip():
            commune.name = row["name"].strip()
            commune.save(update_fields=["name"])
    return len(rows)


__all__ = ["load_communes", "CommuneKind"]
