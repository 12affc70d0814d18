"""The dead-code check's whitelist (scripts/vulture_whitelist.py) names only what still exists: a name whose code
was deleted fails here, so that its line goes too and the whitelist cannot hide a new dead function of that name."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHITELIST = ROOT / "scripts" / "vulture_whitelist.py"


def whitelisted() -> list[str]:
    names = []
    for node in ast.parse(WHITELIST.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant):  # not the docstring
            value = node.value
            names.append(value.attr if isinstance(value, ast.Attribute) else ast.unparse(value))
    return names


def checked_sources() -> str:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["vulture"]
    texts = []
    for entry in config["paths"]:
        path = ROOT / entry
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            if file != WHITELIST:
                texts.append(file.read_text(encoding="utf-8"))
    return "\n".join(texts)


@pytest.mark.slow
def test_every_whitelisted_name_is_still_defined_in_the_checked_code() -> None:
    sources = checked_sources()
    gone = [name for name in whitelisted() if not re.search(rf"\b{re.escape(name)}\b", sources)]
    assert whitelisted(), "the whitelist lists nothing: is it still read?"
    assert gone == [], f"delete these lines of scripts/vulture_whitelist.py, their code is gone: {gone}"
