"""The layering check: fails the build when a layer imports what it must not.

* Every module outside ``hemgenix_desktop/ui/`` imports with PySide6 made unimportable.
* The domain imports with PySide6, SQL and PDF libraries made unimportable.
* Storage and security import without reportlab/pyhanko (PDF belongs to records/).
* What ui/ names of storage (``services/shared_types.py``) and the start's first look at the database
  (``services/database.py``) import without SQLAlchemy or Alembic: ui/ reaches storage only through them (the
  import-linter contract ``ui-not-storage``), and the first screen loads no database library.

Each rule runs in a fresh interpreter so that one rule's imports cannot hide another's.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "hemgenix_desktop"

RULES: list[tuple[str, list[str], list[str]]] = [
    # (description, module prefixes to import, top-level packages blocked)
    ("no Qt outside ui/", [""], ["PySide6", "shiboken6"]),
    (
        "domain: no Qt, no SQL, no PDF",
        ["domain", "resource_locator"],
        ["PySide6", "shiboken6", "sqlalchemy", "alembic", "reportlab", "pyhanko", "pypdf", "zxingcpp"],
    ),
    ("storage: no Qt, no PDF", ["storage"], ["PySide6", "shiboken6", "reportlab", "pyhanko"]),
    ("security: no Qt, no PDF", ["security"], ["PySide6", "shiboken6", "reportlab"]),
    ("records: no Qt", ["records"], ["PySide6", "shiboken6"]),
    (
        "ui/'s way to storage: no SQL when imported",
        ["services.shared_types", "services.database"],
        ["sqlalchemy", "alembic"],
    ),
]

_CHILD = r"""
import importlib, importlib.abc, sys
blocked = set(sys.argv[1].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ImportError(f"{name} is blocked by the layering check")
        return None
sys.meta_path.insert(0, Block())
failed = []
for mod in sys.argv[2:]:
    try:
        importlib.import_module(mod)
    except Exception as exc:
        failed.append(f"{mod}: {type(exc).__name__}: {exc}")
leaked = sorted(m for m in sys.modules if m.split(".")[0] in blocked)
if leaked:
    failed.append("imported anyway: " + ", ".join(leaked))
print("\n".join(failed))
sys.exit(1 if failed else 0)
"""


def modules() -> list[str]:
    found = [PACKAGE]
    for info in pkgutil.walk_packages([str(ROOT / PACKAGE)], prefix=f"{PACKAGE}."):
        if info.name.startswith(f"{PACKAGE}.ui") or info.name.endswith("__main__"):
            continue
        found.append(info.name)
    return found


def main() -> int:
    all_modules = modules()
    status = 0
    for description, prefixes, blocked in RULES:
        chosen = [
            m
            for m in all_modules
            if any(m == f"{PACKAGE}.{p}" or m.startswith(f"{PACKAGE}.{p}.") or p == "" for p in prefixes)
        ]
        if not chosen:
            print(f"layering: {description}: no modules yet")
            continue
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, ",".join(blocked), *chosen],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if result.returncode != 0:
            status = 1
            print(f"layering: FAILED {description}:\n{result.stdout}{result.stderr}")
        else:
            print(f"layering: ok   {description} ({len(chosen)} modules)")
    return status


if __name__ == "__main__":
    sys.exit(main())
