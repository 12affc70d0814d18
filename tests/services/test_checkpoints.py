"""Signed checkpoints of the audit chain outside the database, and ``audit verify --checkpoints`` (issue 15).

Sealing writes a C2SP signed-note checkpoint (database ID, chain length, head hash, time) signed with the site
key into the site's checkpoint folder. Against it, ``audit verify --checkpoints`` finds what the chain alone
cannot: a consistent rewrite of the chain (every hash recomputed, the head moved) and a seal appended with a
correct hash after the newest checkpoint; and a checkpoint of another database (a shadow database).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select, update

from hemgenix_desktop.cli import main
from hemgenix_desktop.config import ENV_CHECKPOINT_DIR, ENV_DATABASE_ID
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.security.checkpoints import (
    KEY_NAME,
    Checkpoint,
    CheckpointError,
    checkpoint_files,
    read_checkpoint,
    sign_checkpoint,
)
from hemgenix_desktop.security.site_keys import load_site_certificate, trusted_certificates
from hemgenix_desktop.services.sealing import record_outputs, write_chain_checkpoint
from hemgenix_desktop.storage.audit import event_content, event_hash
from hemgenix_desktop.storage.schema import audit_events, audit_head
from tests.services.bench import Bench, make_bench
from tests.services.test_sealing import fully_signed


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    monkeypatch.setenv(ENV_CHECKPOINT_DIR, str(tmp_path / "checkpoints"))
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def _verify(bench: Bench, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    url = f"sqlite:///{bench.tmp / 'hemgenix.sqlite3'}"
    code = main(["audit", "verify", "--db", url, "--checkpoints", str(folder), "--data-dir", str(bench.ws.data_dir)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _sealed(bench: Bench) -> Path:
    """A preparation sealed through the real sealing service; the checkpoint folder it wrote into."""
    fully_signed(bench).seal()
    return bench.tmp / "checkpoints"


def test_sealing_writes_a_signed_note_checkpoint_of_the_chain_head(
    bench: Bench, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _sealed(bench)
    files = checkpoint_files(folder)
    seq, head_hash = bench.store.audit.head()
    assert [f.name for f in files] == [f"checkpoint-{seq:012d}.txt"]
    note = files[0].read_text(encoding="utf-8")
    database_id = bench.store.audit.database_id()
    assert database_id is not None
    assert len(database_id) == 32
    body, signature_line = note.split("\n\n")
    lines = body.splitlines()
    assert lines[:3] == [
        f"hemgenix-prep.invalid/db/{database_id}",
        str(seq),
        base64.b64encode(bytes.fromhex(head_hash)).decode(),
    ]
    assert lines[3].startswith("time ")
    assert signature_line.startswith(f"\u2014 {KEY_NAME} ")
    # signature type 0x02 of the signed-note spec: the key ID is SHA-256 of the site key's SPKI
    cert = load_site_certificate(bench.ws.data_dir)
    assert cert is not None
    assert isinstance(cert.certificate.public_key(), ec.EllipticCurvePublicKey)
    spki = cert.certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    blob = base64.b64decode(signature_line.split(" ")[2])
    assert blob[:4] == hashlib.sha256(spki).digest()[:4]
    assert read_checkpoint(note, trusted_certificates(bench.ws.data_dir), "note").seq == seq

    code, out, err = _verify(bench, folder, capsys)
    assert (code, err) == (0, "")
    assert out.endswith(
        f"The tables match the trail. 1 signed checkpoint agrees with it ({folder}). Database ID: {database_id}.\n"
    )


def test_a_changed_or_foreign_checkpoint_is_not_trusted(bench: Bench) -> None:
    folder = _sealed(bench)
    note = checkpoint_files(folder)[0].read_text(encoding="utf-8")
    trusted = trusted_certificates(bench.ws.data_dir)
    lines = note.split("\n")
    lines[1] = str(int(lines[1]) + 5)  # a longer chain than was signed
    with pytest.raises(CheckpointError, match="is not signed by this site's key"):
        read_checkpoint("\n".join(lines), trusted, "changed.txt")
    with pytest.raises(CheckpointError, match="is not a signed note"):
        read_checkpoint("just text", trusted, "plain.txt")


def test_a_consistent_rewrite_of_the_chain_is_found_against_the_checkpoint(
    bench: Bench, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _sealed(bench)
    with bench.store.engine.begin() as conn:  # the attacker: triggers dropped, event 3 changed, every hash redone
        for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'").all():
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        rows = conn.execute(select(audit_events).order_by(audit_events.c.seq)).all()
        previous = rows[0].prev_hash
        for row in rows:
            values = row._asdict()
            if row.seq == 3:
                values["summary"] = "Nothing happened here."
            values["prev_hash"] = previous
            content = {k: values[k] for k in ("seq", "at", "username", "full_name", "workstation", "action")}
            digest = event_hash(
                event_content(
                    **content,
                    preparation_id=values["preparation_id"],
                    summary=values["summary"],
                    before=values["before"],
                    after=values["after"],
                    prev_hash=previous,
                    software_version=values["software_version"],
                )
            )
            conn.execute(
                update(audit_events)
                .where(audit_events.c.seq == row.seq)
                .values(summary=values["summary"], prev_hash=previous, hash=digest)
            )
            previous = digest
        conn.execute(update(audit_head).values(last_hash=previous))
    assert bench.store.verify_audit_chain().intact  # the chain alone cannot tell
    code, _, err = _verify(bench, folder, capsys)
    assert code == 1
    seq, _ = bench.store.audit.head()
    # the triggers the rewrite dropped are named first (audit verify checks the migrations' triggers too)
    assert err.startswith("The database's triggers and indexes are not the ones its migrations make (")
    assert (
        f"The signed checkpoints in {folder} do not agree with it (1 finding); keep this database as it is and report "
        "it to the pharmacist in charge:\n"
    ) in err
    assert f"- Event {seq} is not the event checkpoint-{seq:012d}.txt, signed " in err
    assert f"the trail up to event {seq} was rewritten after the checkpoint." in err


def test_a_seal_appended_after_the_newest_checkpoint_is_found(bench: Bench, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _sealed(bench)
    user = bench.user("ttech")
    # a forged event with a correct hash, as the head's one-step trigger allows
    bench.store.audit.record_event(user, "ws-forged", AuditAction.RECORD_SEALED, "Record X was sealed.")
    code, _, err = _verify(bench, folder, capsys)
    assert code == 1
    assert "(record_sealed by ttech) seals a record after the newest checkpoint (event " in err


@pytest.mark.slow
def test_a_checkpoint_of_another_database_is_named_as_such(bench: Bench, capsys: pytest.CaptureFixture[str]) -> None:
    """A shadow database signs its checkpoints with the same site key, but names its own database ID."""
    folder = _sealed(bench)
    cert = load_site_certificate(bench.ws.data_dir)
    assert cert is not None
    shadow = Checkpoint("5" * 32, 7, "ab" * 32, datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
    (folder / "checkpoint-000000000007.txt").write_text(
        sign_checkpoint(shadow, cert.sign, cert.certificate), encoding="utf-8"
    )
    code, _, err = _verify(bench, folder, capsys)
    assert code == 1
    assert (
        f"- checkpoint-000000000007.txt is a checkpoint of database {'5' * 32}, not of this one "
        f"({bench.store.audit.database_id()}): records were sealed in another database" in err
    )


def test_each_database_has_a_random_id_in_its_first_event(bench: Bench) -> None:
    first = bench.store.audit_trail()[0]
    assert first.after["database_id"] == bench.store.audit.database_id()


@pytest.mark.slow
def test_verify_of_a_record_pdf_names_its_database_and_a_record_of_another_is_reported(
    bench: Bench, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    record = fully_signed(bench).seal()
    database_id = bench.store.audit.database_id()
    assert record.database_id == database_id
    pdf = bench.tmp / "record.pdf"
    pdf.write_bytes(record_outputs(bench.ws, record).outputs.record_pdf)
    command = ["verify", str(pdf), "--data-dir", str(bench.ws.data_dir)]

    monkeypatch.setenv(ENV_DATABASE_ID, str(database_id))  # the site names its database
    assert main(command) == 0
    assert f"\nDatabase: {database_id}\n" in capsys.readouterr().out

    monkeypatch.setenv(ENV_DATABASE_ID, "f" * 32)  # the site's real database is another: a shadow database's record
    assert main(command) == 1
    assert capsys.readouterr().err == (
        f"NOT THIS SITE'S DATABASE: Record {record.record_id} was sealed in database {database_id}, not in this "
        f"site's database {'f' * 32} (the setting database_id): it comes from another database. Keep it aside and "
        "report it to the pharmacist in charge.\n"
    )


def test_a_checkpoint_folder_that_cannot_be_written_leaves_the_record_sealed(
    bench: Bench, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = bench.tmp / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(ENV_CHECKPOINT_DIR, str(blocked))
    process = fully_signed(bench)
    process.seal()
    assert bench.store.summary(process.prep.id).status.value == "sealed"
    assert write_chain_checkpoint(bench.ws) is None
    monkeypatch.delenv(ENV_CHECKPOINT_DIR)
    assert write_chain_checkpoint(bench.ws) is None  # no folder named: none written


def test_checkpoints_that_could_not_be_checked_are_said_as_such(
    bench: Bench, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A mistyped checkpoint folder, or no certificate to check their signatures with: not a difference between the
    tables and the trail (which agree), and no success either."""
    _sealed(bench)
    missing = tmp_path / "no such folder"
    code, out, err = _verify(bench, missing, capsys)
    assert code == 1
    assert "The tables match the trail." in out
    assert err == (
        f"The checkpoints were not checked: there is no folder {missing}. Check the path (the site's checkpoint "
        "folder is in its settings, checkpoint_dir); if it is the right one, the folder was removed: report it to the "
        "pharmacist in charge.\n"
    )
    empty = tmp_path / "empty data folder"
    empty.mkdir()
    url = f"sqlite:///{bench.tmp / 'hemgenix.sqlite3'}"
    folder = str(bench.tmp / "checkpoints")
    code = main(["audit", "verify", "--db", url, "--checkpoints", folder, "--data-dir", str(empty)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err == (
        f"The checkpoints were not checked: there is no site certificate in {empty} to check their signatures with. "
        "Give --data-dir.\n"
    )
