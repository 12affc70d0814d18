"""No module of the program over 600 lines (issue 12): a longer one is split by what it holds.

Today's longer modules are listed with the change of issue 12 that splits them; the list only shrinks: a listed
module that is 600 lines or fewer fails too, so that its line is deleted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hemgenix_desktop"
MAX_LINES = 600
LONGER_TODAY = {
    "hemgenix_desktop/storage/store.py": "STORAGE's repositories",
    "hemgenix_desktop/ui/signing.py": "SERVICES' signing process and sealing",
    "hemgenix_desktop/ui/main_window.py": "SERVICES' workstation and session",
    "hemgenix_desktop/records/record_pdf.py": "RECORDS' record sections",
    "hemgenix_desktop/settings.py": "DOMAIN's one configuration resolver",
    "hemgenix_desktop/ui/settings_dialog.py": "DOMAIN's setting rows",
}


def line_counts() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_no_module_is_longer_than_600_lines() -> None:
    longer = {path: n for path, n in line_counts().items() if n > MAX_LINES and path not in LONGER_TODAY}
    assert longer == {}, f"split these modules (at most {MAX_LINES} lines each): {longer}"


@pytest.mark.parametrize("path", sorted(LONGER_TODAY))
def test_a_listed_module_is_still_longer_or_its_line_goes(path: str) -> None:
    counts = line_counts()
    assert path in counts, f"{path} is gone: delete its line from LONGER_TODAY"
    assert counts[path] > MAX_LINES, f"{path} has {counts[path]} lines now: delete its line from LONGER_TODAY"
