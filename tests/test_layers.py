"""The architecture's layer rule: an app imports only from layers below it (ARCHITECTURE.md §3)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYER = {"framework": 0, "community": 0, "certificates": 1, "cms": 1, "learning": 2, "assessment": 2, "reports": 3}
ALLOWED = {
    "framework": set(), "community": set(),
    "certificates": {"community", "framework"}, "cms": {"framework"},
    "learning": {"cms", "community", "framework", "certificates"},
    "assessment": {"cms", "community", "framework", "certificates"},
    "reports": set(LAYER) - {"reports"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(LAYER)


def test_no_app_imports_a_higher_or_sideways_app():
    problems = []
    for app in LAYER:
        for path in (ROOT / app).rglob("*.py"):
            for other in imported_apps(path) - {app}:
                if other not in ALLOWED[app]:
                    problems.append(f"{path.relative_to(ROOT)} imports {other}")
    assert problems == []
