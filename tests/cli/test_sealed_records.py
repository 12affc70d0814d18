"""``hemgenix-prep records show`` and ``hemgenix-prep reprint``: the record in force, every amendment named, and a
copy marked COPY, from the command line, on a real SQLite database holding real sealed records."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.services.records import WHAT_TO_TYPE
from hemgenix_desktop.storage import AuditEvent
from tests.cli.sealed_store import PREP_ID, SHORT_ID, Sealed, correct, draft_preparation, sealed_store
from tests.helpers import preparations as factory

OPERATOR = "command line, operating-system account pat"
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


@pytest.fixture
def sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sealed]:
    """The sealed database; the command line run by the operating-system account "pat" on PHARM-WS-01."""
    monkeypatch.setenv("LOGNAME", "pat")
    monkeypatch.setenv("HEMGENIX_WORKSTATION", "PHARM-WS-01")
    monkeypatch.setenv("HEMGENIX_SITE", factory.SITE)
    monkeypatch.delenv("HEMGENIX_DB_URL", raising=False)
    made = sealed_store(tmp_path / "records.sqlite3")
    yield made
    made.store.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def reprints(sealed: Sealed) -> list[AuditEvent]:
    return [e for e in sealed.store.audit_trail(PREP_ID) if e.action == "record_reprinted"]


def text_of(path: Path) -> str:
    pages = pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


# --- records show ------------------------------------------------------------------------------------------
def test_records_show_names_the_amendment_in_force_after_a_correction(
    sealed: Sealed, capsys: pytest.CaptureFixture[str]
) -> None:
    amended = correct(sealed)
    original = sealed.original
    code, out, err = run(capsys, "records", "show", SHORT_ID, "--db", sealed.url)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:4] == [
        f"Preparation {SHORT_ID} ({PREP_ID}), sealed",
        "Patient     Alex Example, born 1980-03-15, MRN MRN-0001234, identifier HGX-PSI-7731",
        "Dose        144 mL (1.44×10^15 genome copies), 15 vials, for 72 kg",
        "Kit         15 vials, NDC 00053-0150-15 (GTIN 00300530150153), lot LOT4471A, serial SN000123, expires "
        "2027-05-31",
    ]
    assert f"Record in force: {amended.record_id} (Amendment 1)" in lines
    assert f"Record SHA-256:  {amended.sha256}" in lines
    assert "Sealed at:       2026-12-01 12:11 CST (2026-12-01 18:11 UTC)" in lines
    assert (
        "  Amended by: Pat Pharmacist (ppharm, pharmacist) at 2026-12-01 12:03 CST (2026-12-01 18:03 UTC), PHARM-WS-02"
        in lines
    )
    assert (
        "  Verified by: Quinn Pharmacist (qpharm, pharmacist) at 2026-12-01 12:09 CST (2026-12-01 18:09 UTC), "
        "PHARM-WS-02" in lines
    )
    at = lines.index("Records of this preparation (2; the last is in force):")
    assert lines[at + 1 :] == [
        f"  Original record: {original.record_id}, sealed 2026-12-01 09:41 CST (2026-12-01 15:41 UTC) (corrected by "
        "Amendment 1)",
        "    Prepared by Tara Technician (ttech) at 2026-12-01 09:33 CST (2026-12-01 15:33 UTC), PHARM-WS-02",
        f"  Amendment 1: {amended.record_id}, sealed 2026-12-01 12:11 CST (2026-12-01 18:11 UTC) (IN FORCE)",
        "    Amended by Pat Pharmacist (ppharm) at 2026-12-01 12:03 CST (2026-12-01 18:03 UTC), PHARM-WS-02",
        f"    Corrects {original.record_id}. Reason: {factory.AMENDMENT_REASON}",
        "    Corrected: 0.9% sodium chloride lot number: “NS24K113” → “NS24K114”",
    ]
    assert "was corrected" not in out  # the preparation was named, not an older record


def test_records_show_by_a_corrected_record_s_id_says_which_is_in_force(
    sealed: Sealed, capsys: pytest.CaptureFixture[str]
) -> None:
    amended = correct(sealed)
    code, out, err = run(capsys, "records", "show", sealed.original.record_id.lower(), "--db", sealed.url)
    assert (code, err) == (0, "")
    assert f"Record {sealed.original.record_id} (Original record) was corrected; the record in force is shown." in out
    assert f"Record in force: {amended.record_id} (Amendment 1)" in out


def test_records_show_json(sealed: Sealed, capsys: pytest.CaptureFixture[str]) -> None:
    amended = correct(sealed)
    code, out, err = run(capsys, "records", "--db", sealed.url, "show", amended.record_id, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["preparation_id"], data["short_id"], data["status"]) == (PREP_ID, SHORT_ID, "sealed")
    assert (data["in_force"], data["asked_for"], data["correcting"]) == (amended.record_id, amended.record_id, None)
    assert data["patient"] == {
        "full_name": "Alex Example",
        "date_of_birth": "1980-03-15",
        "mrn": "MRN-0001234",
        "identifier": "HGX-PSI-7731",
    }
    assert data["dose"] == {
        "weight": "72 kg",
        "weight_kg": 72,
        "dose_ml": 144,
        "genome_copies": "1.44×10^15",
        "vials": 15,
    }
    assert data["kit"] == {
        "vials": 15,
        "ndc11": "00053-0150-15",
        "gtin": "00300530150153",
        "lot": "LOT4471A",
        "serial": "SN000123",
        "expiry": "2027-05-31",
    }
    assert data["lab_results"][0] == {
        "test": "Factor IX inhibitor",
        "reported": "0.2",
        "date": "2026-11-20",
        "laboratory": "Central Coagulation Laboratory",
        "assay": "",
        "detection_limit": "",
        "reading": "negative (below 0.6 BU)",
    }
    assert [(r["test"], r["reported"], r["assay"]) for r in data["lab_results"][1:]] == [
        ("Anti-AAV5 NAb titre", "1:300", "9-point")
    ]
    original, amendment = data["records"]
    assert {k: original[k] for k in ("name", "number", "record_id", "sha256", "in_force", "corrects", "reason")} == {
        "name": "Original record",
        "number": 0,
        "record_id": sealed.original.record_id,
        "sha256": sealed.original.sha256,
        "in_force": False,
        "corrects": None,
        "reason": None,
    }
    assert {k: amendment[k] for k in ("name", "number", "record_id", "sha256", "in_force", "corrects", "reason")} == {
        "name": "Amendment 1",
        "number": 1,
        "record_id": amended.record_id,
        "sha256": amended.sha256,
        "in_force": True,
        "corrects": sealed.original.record_id,
        "reason": factory.AMENDMENT_REASON,
    }
    assert amendment["changes"] == ["0.9% sodium chloride lot number: “NS24K113” → “NS24K114”"]
    assert amendment["by"] == {"username": "ppharm", "printed_name": "Pat Pharmacist"}
    assert amendment["sealed_at"] == "2026-12-01T18:11:00+00:00"
    assert [(s["meaning"], s["username"], s["signed_at"]) for s in amendment["signatures"]] == [
        ("Amended by", "ppharm", "2026-12-01T18:03:00+00:00"),
        ("Verified by", "qpharm", "2026-12-01T18:09:00+00:00"),
    ]
    assert [s["meaning"] for s in original["signatures"]] == ["Prepared by", "Verified by"]


def test_records_show_gives_an_override_s_subject_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    below_table = sealed_store(tmp_path / "below.sqlite3", weight="40")
    try:
        code, out, _ = run(capsys, "records", "show", SHORT_ID, "--db", below_table.url)
        assert code == 0
        assert "Dose        80 mL (8×10^14 genome copies), 8 vials, for 40 kg" in out
        (line,) = [line for line in out.splitlines() if line.startswith("  Override approved: ")]
        assert line.startswith(
            "  Override approved: Pat Pharmacist (ppharm, pharmacist) at 2026-12-01 09:40 CST (2026-12-01 15:40 UTC), "
            "PHARM-WS-02; overrode “The weight 40 kg is below the policy's kit table"
        )
        assert line.endswith(
            "” because: Weighed twice on the calibrated scale; prescriber agrees with dosing on today's weight."
        )
    finally:
        below_table.store.close()


@pytest.mark.slow
def test_records_show_names_a_correction_being_made(sealed: Sealed, capsys: pytest.CaptureFixture[str]) -> None:
    amended = factory.amendment(sealed.original)
    sealed.store.start_amendment(
        amended.prep,
        reason=factory.AMENDMENT_REASON,
        changes=[change.to_dict() for change in amended.changes],
        amends_record_id=sealed.original.record_id,
        amends_sha256=sealed.original.sha256,
        user=sealed.people.pharmacist,
        workstation=factory.WORKSTATION,
    )
    code, out, _ = run(capsys, "records", "show", PREP_ID, "--db", sealed.url)
    assert code == 0
    assert f"Record in force: {sealed.original.record_id} (Original record)" in out
    assert "Amendment 1 is being made (started " in out
    assert f"by Pat Pharmacist (ppharm): {factory.AMENDMENT_REASON}). It is not in force until it is sealed." in out
    code, out, _ = run(capsys, "records", "show", PREP_ID, "--db", sealed.url, "--json")
    assert json.loads(out)["correcting"]["number"] == 1


# --- reprint -------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_reprint_writes_two_copies_marked_copy_and_one_audit_event(
    sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amended = correct(sealed)
    out_dir = tmp_path / "copies"
    code, out, err = run(
        capsys,
        "reprint",
        sealed.original.record_id,
        "--out",
        str(out_dir),
        "--db",
        sealed.url,
        "--data-dir",
        str(tmp_path / "data"),
    )
    assert (code, err) == (0, "")
    (event,) = reprints(sealed)
    marking = event.after["marking"]
    assert marking.startswith("COPY — reprinted ")
    assert marking.endswith(f" by {OPERATOR}")
    assert (event.username, event.full_name, event.workstation) == ("cli:pat", OPERATOR, "PHARM-WS-01")
    assert (event.after["record_id"], event.after["sha256"]) == (amended.record_id, amended.sha256)
    files = sorted(out_dir.iterdir())
    assert [f.name.split("-copy-")[0] for f in files] == [f"{amended.record_id}-label", f"{amended.record_id}-record"]
    for path in files:
        assert marking in text_of(path)
    label, record = files
    assert out.splitlines() == [
        f"Record {sealed.original.record_id} (Original record) was corrected; the record in force is reprinted.",
        f"Reprinted record {amended.record_id} (Amendment 1, the record in force) of preparation {SHORT_ID}, both "
        f"PDFs marked “{marking}”:",
        f"  {record}",
        f"  {label}",
        "The reprint is in the audit trail; the sealed record is unchanged.",
    ]


@pytest.mark.slow
def test_the_reprint_command_runs_as_a_program(sealed: Sealed, tmp_path: Path) -> None:
    env = {**os.environ, "LOGNAME": "pat"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hemgenix_desktop",
            "reprint",
            SHORT_ID,
            "--out",
            str(tmp_path / "copies"),
            "--db",
            sealed.url,
            "--data-dir",
            str(tmp_path / "data"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert f"Reprinted record {sealed.original.record_id} (Original record, the record in force)" in result.stdout
    assert len(list((tmp_path / "copies").iterdir())) == 2
    assert len(reprints(sealed)) == 1


# --- what is refused, with a sentence and exit code 2 -----------------------------------------------------------
@pytest.mark.parametrize("command", ["show", "reprint"])
@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        (
            "HGX-20261201-DEADBEEF",
            f"No sealed record has the ID “HGX-20261201-DEADBEEF” in this database. {WHAT_TO_TYPE}",
        ),
        (
            "3f9a",
            f"“3f9a” is too short to name a preparation. Give at least the first 8 characters of its id. {WHAT_TO_TYPE}",
        ),
        (
            "bbbbbbbb",
            "There is no preparation “bbbbbbbb”. Check its id in the History window or with “hemgenix-prep audit "
            f"show”. {WHAT_TO_TYPE}",
        ),
    ],
)
@pytest.mark.slow
def test_an_unknown_record_is_exit_2_with_what_to_type(
    sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, typed: str, sentence: str
) -> None:
    out_dir = tmp_path / "copies"
    argv = ["records", "show", typed] if command == "show" else ["reprint", typed, "--out", str(out_dir)]
    assert run(capsys, *argv, "--db", sealed.url) == (2, "", sentence + "\n")
    assert not out_dir.exists()
    assert reprints(sealed) == []


def test_two_preparations_starting_alike_is_exit_2(sealed: Sealed, capsys: pytest.CaptureFixture[str]) -> None:
    draft_preparation(sealed.store, sealed.people.tech, prep_id=f"{SHORT_ID}-ffff-4fff-8fff-ffffffffffff")
    assert run(capsys, "records", "show", SHORT_ID, "--db", sealed.url) == (
        2,
        "",
        f"More than one preparation starts with “{SHORT_ID}”. Give more of the id. {WHAT_TO_TYPE}\n",
    )


@pytest.mark.parametrize(("command", "verb"), [("show", "show"), ("reprint", "reprint")])
def test_a_preparation_not_sealed_is_exit_2(
    sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, verb: str
) -> None:
    draft = draft_preparation(sealed.store, sealed.people.tech)
    out_dir = tmp_path / "copies"
    argv = ["records", "show", draft[:8]] if command == "show" else ["reprint", draft[:8], "--out", str(out_dir)]
    assert run(capsys, *argv, "--db", sealed.url) == (
        2,
        "",
        f"Preparation {draft[:8]} is not sealed, so it has no record to {verb}. Finish its signatures first.\n",
    )
    assert not out_dir.exists()
    assert reprints(sealed) == []


def test_a_file_given_as_the_out_folder_is_exit_2_and_untouched(
    sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    in_the_way = tmp_path / "copies.pdf"
    in_the_way.write_bytes(b"a file")
    assert run(capsys, "reprint", SHORT_ID, "--out", str(in_the_way), "--db", sealed.url) == (
        2,
        "",
        f"{in_the_way} is a file, not a folder. Give a folder to write the two PDFs into.\n",
    )
    assert in_the_way.read_bytes() == b"a file"
    assert reprints(sealed) == []


@pytest.mark.slow
def test_an_out_folder_that_cannot_be_made_is_exit_2(
    sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a file").write_text("x")
    out_dir = tmp_path / "a file" / "copies"
    assert run(
        capsys, "reprint", SHORT_ID, "--out", str(out_dir), "--db", sealed.url, "--data-dir", str(tmp_path / "data")
    ) == (
        2,
        "",
        f"The folder {out_dir} cannot be created (Not a directory). Give a folder you may write to.\n",
    )
    assert reprints(sealed) == []


@pytest.mark.skipif(ROOT, reason="file modes do not stop root; the cases around it fail the same way")
def test_an_out_folder_not_writable_is_exit_2(
    sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # pragma: no cover - the tests run as root here
    out_dir = tmp_path / "copies"
    out_dir.mkdir()
    out_dir.chmod(0o500)
    try:
        assert run(capsys, "reprint", SHORT_ID, "--out", str(out_dir), "--db", sealed.url) == (
            2,
            "",
            f"The folder {out_dir} cannot be written to (Permission denied). Give a folder you may write to.\n",
        )
    finally:
        out_dir.chmod(0o700)
    assert list(out_dir.iterdir()) == []
    assert reprints(sealed) == []


@pytest.mark.slow
def test_an_out_folder_whose_files_cannot_be_written_is_exit_2_with_nothing_left(
    sealed: Sealed, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder refuses the files themselves (as a read-only or full disk does): SQLite's own sentence style,
    exit 2, neither file nor a .partial left, no audit event."""
    from hemgenix_desktop.services import reprints as module

    def refused(_data: bytes, _path: Path, **_options: object) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(module, "write_partial", refused)
    out_dir = tmp_path / "copies"
    code, out, err = run(
        capsys, "reprint", SHORT_ID, "--out", str(out_dir), "--db", sealed.url, "--data-dir", str(tmp_path / "data")
    )
    assert (code, out) == (2, "")
    assert err.startswith(f"{sealed.original.record_id}-record-copy-")
    assert err.endswith(
        f".pdf could not be saved in {out_dir} (Permission denied). Give a folder you may write to; nothing was "
        "reprinted.\n"
    )
    assert not out_dir.exists()  # the folder made for the copies goes too
    assert reprints(sealed) == []


# --- a database that cannot be opened: a sentence, never a traceback ------------------------------------------
def test_a_database_file_that_is_not_there_is_not_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no such folder" / "records.sqlite3"
    for argv in (["records", "show", SHORT_ID], ["reprint", SHORT_ID, "--out", str(tmp_path / "copies")]):
        assert run(capsys, *argv, "--db", f"sqlite:///{missing}") == (
            1,
            "",
            f"There is no database file {missing}. Give the pharmacy's database with --db URL (or HEMGENIX_DB_URL); "
            "nothing was created.\n",
        )
    assert not missing.parent.exists()
    assert not (tmp_path / "copies").exists()


@pytest.mark.slow
def test_a_file_that_is_not_a_database_is_one_sentence_from_the_program(tmp_path: Path) -> None:
    # issue 16: a file that is not a database is invalid input (exit 2), said before SQLite is asked (it was exit 1)
    not_a_database = tmp_path / "records.sqlite3"
    not_a_database.write_bytes(b"this is not a SQLite database, it is a text file " * 100)
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", "records", "show", SHORT_ID, "--db", f"sqlite:///{not_a_database}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"The database sqlite:///{not_a_database} cannot be opened (file is not a database). Check that it is a "
        "Hemgenix Prep database, not damaged or made by a newer version, and that you may use it; or give another "
        "with --db.\n"
    )


def test_records_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_usage(capsys, "records")
    assert (code, out) == (2, "")
    assert "See hemgenix-prep --help." in err


def run_usage(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(str(caught.value.code)), out, err
