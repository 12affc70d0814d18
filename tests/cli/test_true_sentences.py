"""Each sentence says what is so (found by a command-line test with bad input): a refusal to take the pharmacist
role away spoke of giving it; a weight just below 20 kg was shown as "20.00 kg is outside 20–400 kg"; a file where
a folder belongs was "a folder that does not exist"; ``dose -72kg`` was "the following arguments are required:
WEIGHT"; a file that is not the timestamp authority's certificate showed a Rust parser's error and asked for the
site's certificate; ``site encrypt-key`` named "…-stdin", and an empty line for "nothing came"."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.storage import Store
from tests.cli.accounts import BOTH, SIGNED, Run


def _run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_taking_the_role_away_is_named_so(accounts: Run) -> None:
    code, out, err = accounts("users", "set-role", "quinn", "technician", *SIGNED, "--approver", "quinn",
                              "--approver-password-stdin", stdin=BOTH)  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "Quinn Pharm (quinn) is the person acted on, so cannot approve taking the pharmacist role away for "
        "themselves. Ask another pharmacist to approve it. Nothing was changed.\n"
    )


@pytest.mark.parametrize(
    ("weight", "shown"),
    [("44.09 lb", "44.09 lb = 19.999 kg"), ("881.85 lb", "881.85 lb = 400.0004 kg"), ("43 lb", "43 lb = 19.50 kg")],
)
def test_a_weight_just_outside_is_shown_outside(weight: str, shown: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["dose", weight], capsys) == (
        2,
        "",
        f"{shown} is outside 20–400 kg. Check the weight and its unit.\n",
    )


@pytest.mark.parametrize(
    ("words", "sentence"),
    [
        (["-72kg"], "The weight must be more than zero. Check the weight and type it again."),
        (["--json", "-72 kg"], "The weight must be more than zero. Check the weight and type it again."),
        (["-.5", "--unit", "lb"], "The weight must be more than zero. Check the weight and type it again."),
        (["-inf"], "“-inf” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb."),
    ],
)
def test_a_negative_weight_gets_the_weights_sentence(
    words: list[str], sentence: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["dose", *words], capsys) == (2, "", f"{sentence}\n")


def test_a_backup_into_a_file_says_it_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'hemgenix.sqlite3'}"
    Store.open(url).close()
    (tmp_path / "somefile").write_text("x")
    code, out, err = _run(["--db", url, "backup", "--out", str(tmp_path / "somefile" / "x.db")], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"{tmp_path / 'somefile'} is a file, not a folder, so the backup cannot be written into it. Give --out a file "
        "in a folder.\n"
    )


def test_checkpoints_in_a_file_says_it_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'hemgenix.sqlite3'}"
    Store.open(url).close()
    (tmp_path / "somefile").write_text("x")
    code, _, err = _run(["--db", url, "audit", "verify", "--checkpoints", str(tmp_path / "somefile")], capsys)
    assert code == 1
    assert err.splitlines()[-1] == (
        f"The checkpoints were not checked: {tmp_path / 'somefile'} is a file, not a folder. Give --checkpoints the "
        "site's checkpoint folder."
    )


def test_a_tsa_certificate_that_is_not_one_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "not-a-cert.pem"
    junk.write_text("not a certificate\n")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    given = ["verify", str(pdf), "--certificate", str(junk), "--tsa-certificate", str(junk)]
    code, out, err = _run(given, capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"NOT VERIFIED: {junk} is not a certificate in PEM or DER form. Give the file of the site's certificate.\n"
    )
    data = tmp_path / "data"
    data.mkdir()
    given = ["verify", str(pdf), "--data-dir", str(data), "--tsa-certificate", str(junk)]
    code, out, err = _run(given, capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"NOT VERIFIED: {junk} is not a certificate in PEM or DER form. Give the file of the timestamp authority's "
        "root certificate (--tsa-certificate).\n"
    )
    assert "ParseError" not in err


@pytest.mark.parametrize(
    ("words", "stdin", "sentence"),
    [
        (
            [],
            "",
            "There is no terminal to ask for the passphrase on. Give it as the first line of standard input with "
            "--passphrase-stdin; nothing was changed.",
        ),
        (
            ["--passphrase-stdin"],
            "\n",
            "The first line of standard input is empty: an empty passphrase protects nothing. Give the passphrase as "
            "that line; nothing was changed.",
        ),
        (
            ["--passphrase-stdin"],
            "",
            "Nothing came on standard input. Give the passphrase as its first line (--passphrase-stdin).",
        ),
    ],
)
def test_the_passphrase_sentences(
    words: list[str], stdin: str, sentence: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = ["site", "encrypt-key", "--data-dir", str(tmp_path), *words]
    assert _run(given, capsys, stdin) == (2, "", f"{sentence}\n")
