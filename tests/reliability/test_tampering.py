"""Tampering: whoever can open the database file or the record PDF changes something. Each change is found,
and the sentence names where.

The audit trail: any column of any event changed, an event deleted, moved or added, found by
``Store.verify_audit_chain`` and by ``hemgenix-prep audit verify`` (exit 1). The record PDF: a changed byte,
bytes added, another genuine record of the same site swapped in as the attachment, found by
``verify_record_pdf`` and ``hemgenix-prep verify`` (exit 1). (Rewriting the whole chain after an edit and
moving its head is not detectable from the database alone: see docs/reliability.md.)
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import text

from hemgenix_desktop.cli import main
from hemgenix_desktop.records.pades import embed_and_sign
from hemgenix_desktop.records.record_pdf import build_record_pdf, render_record_pdf
from hemgenix_desktop.records.verify import RecordNotVerified, verify_record_pdf
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate, create_site_certificate
from hemgenix_desktop.storage import Store, User
from tests.helpers.preparations import complete_preparation, fill_everything, new_prep, sealed_record
from tests.helpers.store import WORKSTATION, FakeClock, add_user

KEEP = "Keep this database as it is and report it to the pharmacist in charge."
TRAIL_STEPS = ("eligibility", "identity", "weight", "kit", "preparation")


# --- the audit trail ------------------------------------------------------------------------------------
@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hemgenix.sqlite3'}"


@pytest.fixture
def trail(db_url: str) -> Iterator[Store]:
    """Three preparations, each started and saved page by page: 1 + 3 × 6 = 19 events."""
    clock = FakeClock()
    with Store.open(db_url, clock=clock) as store:
        tech: User = add_user(store, "tina", "Tina Tech")
        for n in range(3):
            prep = new_prep(f"PSI-{n}", f"Patient {n}", f"MRN-{n}")
            store.start_preparation(prep, tech, WORKSTATION)
            fill_everything(prep, serial=f"SER-{n}")
            for step in TRAIL_STEPS:
                clock.advance(minutes=1)
                store.save_draft(prep, step, tech, WORKSTATION)
        assert store.verify_audit_chain().checked == 19
        yield store


def _tamper(store: Store, *statements: str) -> None:
    """What someone with the database file can do: drop the append-only guards, then edit."""
    with store.engine.begin() as conn:
        for trigger in ("audit_events_no_update", "audit_events_no_delete", "audit_head_one_step"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in statements:
            conn.exec_driver_sql(statement)


def _changed(seq: int, action: str, username: str, when: str) -> str:
    return (
        f"The audit trail is broken at event {seq}: event {seq} ({action} by {username} on {when}) was changed "
        f"after it was written: its content no longer matches its hash. {KEEP}"
    )


EDITS = [
    ("the summary", "summary = 'Nothing happened.'"),
    ("the time", "at = '2026-05-04 09:30:00.000000'"),
    ("the user", "username = 'mallory'"),
    ("the printed name", "full_name = 'Someone Else'"),
    ("the workstation", "workstation = 'hood-9'"),
    ("the action", "action = 'screen_locked'"),
    ("the value before", "before = '{\"vials_counted\":14}'"),
    ("the value after", 'after = \'{"weight_method":"bed scale"}\''),
    ("the preparation", "preparation_id = NULL"),
]


@pytest.mark.parametrize(("what", "assignment"), EDITS, ids=[e[0] for e in EDITS])
def test_any_column_of_an_event_changed_is_found(
    what: str, assignment: str, trail: Store, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seq = 10
    _tamper(trail, f"UPDATE audit_events SET {assignment} WHERE seq = {seq}")
    event = next(e for e in trail.audit_trail() if e.seq == seq)
    result = trail.verify_audit_chain()
    assert (result.intact, result.first_broken, result.checked) == (False, seq, seq - 1)
    assert result.message == _changed(seq, event.action, event.username, f"{event.at:%Y-%m-%d %H:%M} UTC")
    assert main(["audit", "verify", "--db", db_url]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(result.message + "\n")  # first the broken event, then the guards dropped for it
    assert "- The trigger audit_events_no_update on audit_events (audit events are never changed) is missing" in (
        captured.err
    )


def test_a_changed_hash_is_found(trail: Store) -> None:
    _tamper(trail, "UPDATE audit_events SET hash = '" + "f" * 64 + "' WHERE seq = 7")
    result = trail.verify_audit_chain()
    assert result.first_broken == 7
    assert result.message.startswith("The audit trail is broken at event 7: event 7 (draft_saved by tina on ")


def test_a_changed_link_to_the_event_before_is_found(trail: Store) -> None:
    _tamper(trail, "UPDATE audit_events SET prev_hash = '" + "e" * 64 + "' WHERE seq = 12")
    assert trail.verify_audit_chain().first_broken == 12


def test_two_events_swapped_are_found(trail: Store) -> None:
    """Their whole contents exchanged, hashes included: the links no longer run in order."""
    columns = "at, username, full_name, workstation, action, preparation_id, summary, before, after, prev_hash, hash"
    _tamper(
        trail,
        "CREATE TEMP TABLE swap AS SELECT * FROM audit_events WHERE seq IN (8, 9)",
        "DELETE FROM audit_events WHERE seq IN (8, 9)",
        f"INSERT INTO audit_events (seq, {columns}) SELECT 17 - seq, {columns} FROM swap",
    )
    result = trail.verify_audit_chain()
    assert (result.intact, result.first_broken) == (False, 8)


def test_a_deleted_event_in_the_middle_is_found(trail: Store) -> None:
    _tamper(trail, "DELETE FROM audit_events WHERE seq = 11")
    assert trail.verify_audit_chain().message == (
        "The audit trail is broken at event 11: event 11 is missing (the trail jumps from event 10 to event 12), "
        f"so it was deleted. {KEEP}"
    )


def test_an_event_added_at_the_end_without_the_head_is_found(trail: Store) -> None:
    """A forged event that links correctly and hashes correctly, but the trail's head was not moved."""
    from hemgenix_desktop.storage.audit import event_content, event_hash

    last = trail.audit_trail()[-1]
    values = {
        "seq": last.seq + 1,
        "at": last.at,
        "username": "tina",
        "full_name": "Tina Tech",
        "workstation": WORKSTATION,
        "action": "preparation_voided",
        "preparation_id": None,
        "summary": "Voided.",
        "before": "{}",
        "after": "{}",
        "prev_hash": last.hash,
    }
    digest = event_hash(event_content(**values))  # type: ignore[arg-type]
    with trail.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (seq, at, username, full_name, workstation, action, preparation_id, "
                "summary, before, after, prev_hash, hash) VALUES (:seq, :at, :username, :full_name, :workstation, "
                ":action, :preparation_id, :summary, :before, :after, :prev_hash, :hash)"
            ),
            values | {"at": last.at.replace(tzinfo=None), "hash": digest},
        )
    result = trail.verify_audit_chain()
    assert not result.intact
    assert result.message == (
        "The audit trail is broken at event 20: the last events do not match the trail's head record, so they "
        f"were added or changed outside Hemgenix Prep. {KEEP}"
    )


# --- the record PDF -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tamper-site")


@pytest.fixture(scope="module")
def site(site_dir: Path) -> SiteCertificate:
    return create_site_certificate(site_dir, "St. Example Infusion Pharmacy")


@pytest.fixture(scope="module")
def record() -> SealedRecord:
    return sealed_record()


@pytest.fixture(scope="module")
def other_record() -> SealedRecord:
    """Another genuine record of the same site: another patient, another weight."""
    return sealed_record(complete_preparation(weight="90", full_name="Blake Other"))


@pytest.fixture(scope="module")
def record_pdf(record: SealedRecord, site: SiteCertificate) -> bytes:
    return build_record_pdf(record, site)


def _verify_cli(pdf: bytes, tmp_path: Path, site: SiteCertificate, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    cert = tmp_path / "site.pem"
    cert.write_bytes(site.certificate.public_bytes(serialization.Encoding.PEM))
    code = main(["verify", str(path), "--certificate", str(cert)])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err.startswith("NOT VERIFIED: ")
    return captured.err.removeprefix("NOT VERIFIED: ").removesuffix("\n")


def _reason(pdf: bytes, site: SiteCertificate) -> str:
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(pdf, [site.certificate])
    return caught.value.message


@pytest.mark.slow
def test_the_untouched_record_verifies(record_pdf: bytes, site: SiteCertificate, record: SealedRecord) -> None:
    assert verify_record_pdf(record_pdf, [site.certificate]).sha256 == record.sha256


def test_a_changed_byte_on_a_page_is_found(
    record_pdf: bytes, site: SiteCertificate, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = record_pdf.index(b"/MediaBox") + 12
    tampered = record_pdf[:at] + (b"7" if record_pdf[at : at + 1] != b"7" else b"8") + record_pdf[at + 1 :]
    sentence = "The PDF was changed after it was signed: its content no longer matches the signature."
    assert _reason(tampered, site) == sentence
    assert _verify_cli(tampered, tmp_path, site, capsys) == sentence


def test_a_byte_changed_in_the_attached_record_is_found(record_pdf: bytes, site: SiteCertificate) -> None:
    at = record_pdf.index(b"/EmbeddedFile") + 40
    tampered = bytearray(record_pdf)
    tampered[at] ^= 0x20
    assert _reason(bytes(tampered), site)  # some sentence, never a pass


def test_bytes_added_at_the_end_are_found(
    record_pdf: bytes, site: SiteCertificate, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentence = "The signature does not cover the whole file: something was added or removed after signing."
    assert _verify_cli(record_pdf + b"%% a comment\n", tmp_path, site, capsys) == sentence


def test_another_genuine_record_attached_in_a_later_update_is_found(
    record_pdf: bytes, other_record: SealedRecord, site: SiteCertificate
) -> None:
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(record_pdf))
    spec = writer.root["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    swapped = embed.EmbeddedFileObject.from_file_data(writer, other_record.canonical, mime_type="application/json")
    spec["/EF"]["/F"] = writer.add_object(swapped)
    writer.update_container(spec)
    out = io.BytesIO()
    writer.write(out)
    assert _reason(out.getvalue(), site) == (
        "The signature does not cover the whole file: something was added or removed after signing."
    )


def test_another_genuine_record_signed_under_these_pages_is_found(
    record: SealedRecord,
    other_record: SealedRecord,
    site: SiteCertificate,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Someone holding the site's key signs this patient's pages with another patient's sealed record."""
    pages = render_record_pdf(record, certificate_fingerprint=site.fingerprint)
    forged = embed_and_sign(
        pages,
        other_record.canonical,
        record_id=other_record.record_id,
        sha256=other_record.sha256,
        site=site,
        location="x",
    )
    sentence = (
        f"The attached record (SHA-256 {other_record.sha256}) is not the record this PDF was made for "
        f"(SHA-256 {record.sha256}): the attachment was changed."
    )
    assert _reason(forged, site) == sentence
    assert _verify_cli(forged, tmp_path, site, capsys) == sentence


def test_the_pages_of_another_record_under_this_attachment_are_found(
    record: SealedRecord, other_record: SealedRecord, site: SiteCertificate
) -> None:
    pages = render_record_pdf(other_record, certificate_fingerprint=site.fingerprint)
    forged = embed_and_sign(
        pages, record.canonical, record_id=record.record_id, sha256=record.sha256, site=site, location="x"
    )
    assert _reason(forged, site) == (
        f"The attached record (SHA-256 {record.sha256}) is not the record this PDF was made for "
        f"(SHA-256 {other_record.sha256}): the attachment was changed."
    )


BYTE_POSITIONS = 120  # bytes changed one at a time, spread evenly over the whole file


def _positions(pdf: bytes) -> list[int]:
    """Evenly spread offsets, plus some inside the signature's /Contents (its DER and the zero padding after it,
    the one part of the file the signature does not cover)."""
    spread = [round(i * (len(pdf) - 1) / (BYTE_POSITIONS - 1)) for i in range(BYTE_POSITIONS)]
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    inside = [start, start + 1, start + 40, (start + end) // 2, end - 2, end - 1]
    return sorted(set(spread + inside))


@pytest.mark.slow
def test_a_byte_changed_anywhere_in_the_record_pdf_is_found(record_pdf: bytes, site: SiteCertificate) -> None:
    """One bit of one byte changed, at each of 120+ places from the header to the last byte (a hex digit of the
    signature stays a hex digit: ``0`` becomes ``1``): every copy is refused with a sentence."""
    positions = _positions(record_pdf)
    assert len(positions) >= BYTE_POSITIONS
    for at in positions:
        tampered = bytearray(record_pdf)
        tampered[at] ^= 0x01
        with pytest.raises(RecordNotVerified) as caught:
            verify_record_pdf(bytes(tampered), [site.certificate])
        assert caught.value.message.endswith("."), at
