"""An empty or blank value is refused (exit 2, a sentence), never taken for "not given": an empty ``--db`` opened the
configured database, an empty ``reprint --out`` wrote the patient's PDFs into the current folder, an empty
``audit verify --checkpoints`` checked none and said nothing was wrong (found by a command-line test with bad
input)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemgenix_desktop.cli import main

SENTENCE = "the value is empty; give one (an empty value is never taken for the default). See hemgenix-prep --help.\n"
CASES = {
    "--db": (["users", "list", "--db", "{v}"], "--db"),
    "top --db": (["--db={v}", "users", "list"], "--db"),
    "reprint --out": (["reprint", "HGX-1", "--out", "{v}"], "--out"),
    "reprint --data-dir": (["reprint", "HGX-1", "--out", "{tmp}/copies", "--data-dir", "{v}"], "--data-dir"),
    "audit verify --checkpoints": (["audit", "verify", "--checkpoints", "{v}"], "--checkpoints"),
    "audit verify --data-dir": (["audit", "verify", "--data-dir", "{v}"], "--data-dir"),
    "backup --out": (["backup", "--out", "{v}"], "--out"),
    "verify FILE": (["verify", "{v}"], "FILE.pdf"),
    "smoke-test --out": (["smoke-test", "--out", "{v}"], "--out"),
    "site show-certificate --data-dir": (["site", "show-certificate", "--data-dir", "{v}"], "--data-dir"),
}


@pytest.mark.parametrize("value", ["", "   "], ids=["empty", "blank"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_an_empty_value_is_refused(
    case: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    words, name = CASES[case]
    argv = [w.replace("{v}", value).replace("{tmp}", str(tmp_path)) for w in words]
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == f"hemgenix-prep: Argument {name}: {SENTENCE}".rstrip("\n")
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder
