"""No module of the program over 600 lines (issue 12): a longer one is split by what it holds."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hemgenix_desktop"
MAX_LINES = 600


def line_counts() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_no_module_is_longer_than_600_lines() -> None:
    longer = {path: n for path, n in line_counts().items() if n > MAX_LINES}
    assert longer == {}, f"split these modules (at most {MAX_LINES} lines each): {longer}"
