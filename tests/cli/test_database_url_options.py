"""A SQLite address with options after "?" is refused with a sentence, and no file is made: `?mode=ro&uri=true`
made a new database named "…db?mode=ro" (world-readable) and listed its users as none, exit 0; `?timeout=abc` and
`?check_same_thread=xyz` ended in a traceback (found by a command-line test with bad input)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from tests.helpers.store import add_user, open_store_file


@pytest.mark.parametrize("options", ["mode=ro&uri=true", "timeout=abc", "check_same_thread=xyz", "mode=ro"])
def test_options_after_the_question_mark_are_refused(
    options: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = tmp_path / "made.sqlite3"
    with open_store_file(made) as store:
        add_user(store, "amy", "Amy Pond")
    database = tmp_path / "hemgenix.sqlite3"
    shutil.copy(made, database)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["users", "list", "--db", f"sqlite:///{database}?{options}"]) == 2
    out, err = capsys.readouterr()
    shown = "&".join(sorted(options.split("&")))
    assert (out, err) == (
        "",
        f"The SQLite database address has options after “?” ({shown}), which Hemgenix Prep does not take: it sets "
        "SQLite's options itself (some options would open another file, or none at all). Give the file's address "
        "alone, for example sqlite:////srv/hemgenix/hemgenix-prep.sqlite3.\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == before
