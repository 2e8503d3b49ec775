"""Seed a throwaway database for bench/answer_save.py: a small bank, one form, N residents each logged in with an
open attempt. Writes a Lua data file for wrk with each resident's cookies, CSRF token and answer URLs."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402

from assessment.models import Item, Option, PassRule, TestForm  # noqa: E402
from assessment.services import attempt_start  # noqa: E402
from community.models import Commune, Household, Resident, User  # noqa: E402
from framework.models import Competency  # noqa: E402
from framework.services import framework_load  # noqa: E402


def main(out: str, n: int) -> None:
    fw = framework_load()
    items = []
    for comp in Competency.objects.filter(area__framework=fw).select_related("area"):
        for k in range(2):
            items.append(Item(code=f"B-{comp.code}-{k}", competency=comp, stem=f"Câu thử {comp.code}/{k}?", status="active"))
    Item.objects.bulk_create(items)
    Option.objects.bulk_create(
        Option(item=item, text=t, is_correct=(i == 0), sort_order=i)
        for item in Item.objects.all() for i, t in enumerate(["Đúng", "Sai", "Cũng sai"])
    )
    rule = PassRule.objects.create(version="BENCH")
    form = TestForm.objects.create(slug="bench", title="Bench", framework=fw, blueprint={a.code: 2 for a in fw.areas.all()},
                                   time_limit_minutes=240, max_attempts_per_day=5, pass_rule=rule)
    commune = Commune.objects.create(code="99999", name="Bench", kind="phuong", group="I")
    household = Household.objects.create(commune=commune, code="B-1")
    lines = ["return {"]
    for i in range(n):
        user = User.objects.create_user(email=f"bench{i}@example.vn", password=None)
        resident = Resident.objects.create(user=user, household=household, commune=commune, full_name=f"Người thử {i}", birth_year=1970)
        attempt = attempt_start(resident=resident, form=form)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = _get_new_csrf_string()  # an unmasked secret is accepted as the token too
        answers = ", ".join(
            f'{{"/kiem-tra/bai-lam/{attempt.public_id}/cau/{ai.position}/", {ai.option_order[0]}}}'
            for ai in attempt.attempt_items.all()
        )
        lines.append(f'  {{cookie="{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}", '
                     f'csrf="{csrf}", answers={{{answers}}}}},')
    lines.append("}")
    Path(out).write_text("\n".join(lines), encoding="utf-8")
    print(f"seeded {n} residents, {form.item_count} items each")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
