import json
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Area, Competency, Framework

DEFAULT_YAML = Path(settings.BASE_DIR) / "data" / "framework-757-proposed.yaml"


@transaction.atomic
def framework_load(*, path: Path = DEFAULT_YAML, make_current: bool = True) -> Framework:
    """Load a framework version from YAML. Identical content reuses the existing version; changed content becomes
    a new version, so results keep pointing at the version they were scored on."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        meta = data["framework"]
        areas = data["areas"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ValidationError(_("Không đọc được tệp khung năng lực: %(err)s") % {"err": exc}) from exc

    # compare as stored: JSON turns YAML's integer keys (years) into strings and dates into ISO text
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    code = str(meta["id"])
    existing = Framework.objects.filter(code=code).order_by("-version")
    same = next((f for f in existing if f.source == data), None)
    if same is None:
        version = (existing[0].version + 1) if existing else 1
        legal = meta.get("legal_basis", {})
        fw = Framework(
            code=code,
            version=version,
            title=meta["title"],
            legal_basis=f"{legal.get('decision', '')} ({legal.get('date', '')})".strip(),
            status_note=meta.get("status", ""),
            source=data,
        )
        fw.full_clean()
        fw.save()
        for a_pos, a in enumerate(areas):
            area = Area.objects.create(
                framework=fw, code=str(a["code"]), name=a["name"], provenance=str(a.get("provenance", "")),
                mappings=a.get("maps_to") or {}, position=a_pos,
            )
            Competency.objects.bulk_create(
                Competency(
                    area=area, code=str(c["code"]), name=c["name"], provenance=str(c.get("provenance", "")),
                    examples=c.get("examples") or [], position=c_pos,
                )
                for c_pos, c in enumerate(a.get("competences") or [])
            )
    else:
        fw = same
    if make_current and not fw.is_current:
        Framework.objects.filter(is_current=True).update(is_current=False)
        fw.is_current = True
        fw.save(update_fields=["is_current"])
    return fw
