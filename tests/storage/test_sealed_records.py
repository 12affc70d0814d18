"""The sealed-records repository: the one home of "the record in force" (the newest sealed record kept), found by
amendment number or by the content its signatures were given on, a kept record that cannot be trusted skipped."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from sqlalchemy import select, update

from hemgenix_desktop.domain.errors import InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.storage import KeptRecord, PreparationClosed, Store, User
from hemgenix_desktop.storage.audit import canonical_json
from hemgenix_desktop.storage.schema import audit_events
from tests.helpers.preparations import amended_record, fill_everything, new_prep, sealed_record
from tests.helpers.store import WORKSTATION
from tests.storage.test_amendments import start
from tests.storage.test_store import _signature

ORIGINAL_CONTENT, AMENDED_CONTENT = "c" * 64, "e" * 64


def record_text(record_id: str, content_sha256: str, number: int | None = None) -> str:
    """A sealed record's canonical text, with what storage reads of it (the rest is the security layer's)."""
    amends = None if number is None else {"number": number, "record_id": "REC-BEFORE", "sha256": "0" * 64}
    return canonical_json({"record_id": record_id, "content_sha256": content_sha256, "amends": amends, "n": "é"})


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal_original(store: Store, tech: User, pharmacist: User) -> tuple[Preparation, str]:
    prep = fill_everything(new_prep())
    store.start_preparation(prep, tech, WORKSTATION)
    store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY, ORIGINAL_CONTENT))
    store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY, ORIGINAL_CONTENT))
    text = record_text("REC-ORIGINAL", ORIGINAL_CONTENT)
    store.seal_preparation(
        prep, pharmacist, WORKSTATION, record_id="REC-ORIGINAL", record_sha256=sha(text), canonical=text
    )
    return store.load(prep.id), text


def seal_amendment(store: Store, prep: Preparation, tech: User, pharmacist: User, original: str) -> str:
    draft = start(store, prep, tech, record_id="REC-ORIGINAL", sha256=sha(original))
    store.add_signature(prep.id, _signature(tech, Meaning.AMENDED_BY, AMENDED_CONTENT), amendment=draft.number)
    store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY, AMENDED_CONTENT), amendment=draft.number)
    text = record_text("REC-AMENDMENT-1", AMENDED_CONTENT, draft.number)
    store.seal_amendment(
        draft.id, pharmacist, WORKSTATION, record_id="REC-AMENDMENT-1", record_sha256=sha(text), canonical=text
    )
    return text


def kept(record_id: str, text: str, amendment: int, content: str) -> KeptRecord:
    return KeptRecord(
        record_id=record_id, sha256=sha(text), canonical=text, amendment=amendment, content_sha256=content
    )


def rewrite_kept(store: Store, record_id: str, change: Any) -> None:
    """Change the ``after`` of the event that keeps ``record_id`` behind Hemgenix Prep's back (dropping the trigger
    that refuses it, as someone with the database file could)."""
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        for seq, after in conn.execute(select(audit_events.c.seq, audit_events.c.after)).all():
            loaded = json.loads(after)
            if loaded.get("record_id") == record_id and "record" in loaded:
                conn.execute(update(audit_events).where(audit_events.c.seq == seq).values(after=change(after)))


def test_the_record_in_force_is_the_newest_kept_and_each_is_found_by_amendment_or_content(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep, original = seal_original(store, tech, pharmacist)
    first = kept("REC-ORIGINAL", original, 0, ORIGINAL_CONTENT)
    assert store.records.newest(prep.id) == first
    assert store.records.newest(prep.id, amendment=1) is None

    amended = seal_amendment(store, prep, tech, pharmacist, original)
    second = kept("REC-AMENDMENT-1", amended, 1, AMENDED_CONTENT)
    assert store.records.newest(prep.id) == second  # the record in force
    assert store.records.newest(prep.id, amendment=0) == first
    assert store.records.newest(prep.id, amendment=1) == second
    assert store.records.newest(prep.id, content_sha256=ORIGINAL_CONTENT) == first
    assert store.records.newest(prep.id, content_sha256=AMENDED_CONTENT) == second
    assert store.records.newest(prep.id, content_sha256=AMENDED_CONTENT, amendment=0) is None
    assert store.records.newest(prep.id, content_sha256="f" * 64) is None
    assert store.records.kept(prep.id) == [second, first]
    assert second.canonical_bytes == amended.encode("utf-8")


def test_a_record_id_names_the_preparation_that_keeps_it_whatever_the_case_and_a_tampered_one_names_none(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep, original = seal_original(store, tech, pharmacist)
    seal_amendment(store, prep, tech, pharmacist, original)
    assert store.records.preparations_with("REC-ORIGINAL") == [prep.id]
    assert store.records.preparations_with(" rec-amendment-1 ") == [prep.id]
    assert store.records.preparations_with("REC-NOWHERE") == []
    rewrite_kept(store, "REC-AMENDMENT-1", lambda after: after.replace("REC-AMENDMENT-1", "REC-AMENDMENT-X"))
    assert store.records.preparations_with("REC-AMENDMENT-X") == []  # its text no longer matches its hash


def test_a_sealed_preparation_is_never_voided_and_keeps_its_patient_and_carton(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep, _text = seal_original(store, tech, pharmacist)
    with pytest.raises(PreparationClosed, match="is sealed: its dose was issued, so it can never be voided"):
        store.void(prep.id, "Entered by mistake.", pharmacist, WORKSTATION)
    assert store.summary(prep.id).status is PreparationStatus.SEALED
    second = fill_everything(new_prep(), serial="SER-0002")  # the same patient, another carton
    with pytest.raises(PatientAlreadyHasPreparation):
        store.start_preparation(second, tech, WORKSTATION)


def test_a_preparation_without_a_kept_record_has_none(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    assert store.records.newest(prep.id) is None
    assert store.records.kept(prep.id) == []


def replaced(record: str, *, rehash: bool = True) -> Any:
    """A change of the kept text to ``record``, with its SHA-256 made to match it (``rehash``) or left as it was."""

    def change(after: str) -> str:
        loaded = json.loads(after)
        loaded["record"] = record
        if rehash:
            loaded["sha256"] = sha(record)
        return canonical_json(loaded)

    return change


AMENDED = json.loads(record_text("REC-AMENDMENT-1", AMENDED_CONTENT, 1))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(replaced(record_text("REC-AMENDMENT-1", "f" * 64, 1), rehash=False), id="text changed"),
        pytest.param(replaced("not JSON {"), id="not JSON"),
        pytest.param(replaced(canonical_json([AMENDED])), id="not an object"),
        pytest.param(
            replaced(canonical_json({k: v for k, v in AMENDED.items() if k != "content_sha256"})), id="no hash"
        ),
        pytest.param(replaced(canonical_json(AMENDED | {"record_id": "REC-OTHER"})), id="another record's id"),
        pytest.param(replaced(canonical_json(AMENDED | {"amends": {"number": "1"}})), id="number not a number"),
        pytest.param(replaced(canonical_json(AMENDED).replace('"n":', '"w":1.5,"n":')), id="a float"),
    ],
)
def test_a_kept_record_that_cannot_be_trusted_is_skipped(
    store: Store, tech: User, pharmacist: User, change: Any
) -> None:
    prep, original = seal_original(store, tech, pharmacist)
    seal_amendment(store, prep, tech, pharmacist, original)
    rewrite_kept(store, "REC-AMENDMENT-1", change)
    first = kept("REC-ORIGINAL", original, 0, ORIGINAL_CONTENT)
    assert store.records.newest(prep.id) == first
    assert store.records.newest(prep.id, amendment=1) is None
    assert store.records.kept(prep.id) == [first]


def test_a_kept_record_whose_hash_was_rewritten_to_match_a_changed_text_in_another_form_is_skipped(
    store: Store, tech: User, pharmacist: User
) -> None:
    """Not in canonical form (spaces added): its hash cannot be the one the record was sealed with."""
    prep, original = seal_original(store, tech, pharmacist)
    spaced = json.dumps(json.loads(original), sort_keys=True, ensure_ascii=False)

    def respace(after: str) -> str:
        loaded = json.loads(after)
        loaded.update(record=spaced, sha256=sha(spaced))
        return canonical_json(loaded)

    rewrite_kept(store, "REC-ORIGINAL", respace)
    assert store.records.newest(prep.id) is None


def test_a_correction_corrects_the_kept_original_when_no_amendment_is_sealed(
    store: Store, tech: User, pharmacist: User
) -> None:
    """Starting a correction checks the record named against the record in force the repository gives."""
    prep, original = seal_original(store, tech, pharmacist)
    with pytest.raises(InvalidInput) as other:
        start(store, prep, tech, record_id="REC-ELSEWHERE", sha256=sha(original))
    assert other.value.message == (
        f"Record REC-ELSEWHERE is not the newest record of preparation {prep.id[:8]} (that is record REC-ORIGINAL). "
        "Correct the newest record."
    )
    with pytest.raises(InvalidInput, match=r"^The SHA-256 given for record REC-ORIGINAL is not the one it was sealed"):
        start(store, prep, tech, record_id="REC-ORIGINAL", sha256="0" * 64)
    assert start(store, prep, tech, record_id="REC-ORIGINAL", sha256=sha(original)).number == 1


def test_a_consistently_rewritten_record_is_read_and_the_audit_chain_names_the_change(
    store: Store, tech: User, pharmacist: User
) -> None:
    """What the repository skips is a record that cannot be read as sealed; a record rewritten whole, with its hash,
    is read, and only the audit trail's chain shows that it was changed."""
    prep, original = seal_original(store, tech, pharmacist)
    seal_amendment(store, prep, tech, pharmacist, original)
    rewritten = canonical_json(AMENDED | {"n": "changed"})
    rewrite_kept(store, "REC-AMENDMENT-1", replaced(rewritten))
    assert store.records.newest(prep.id) == kept("REC-AMENDMENT-1", rewritten, 1, AMENDED_CONTENT)
    assert not store.verify_audit_chain().intact


@pytest.mark.slow
def test_storage_reads_what_the_security_layer_seals(store: Store, tech: User) -> None:
    """The repository chooses among real sealed records (``security.seal``) as ``SealedRecord`` reads them: the
    same record id, hash, amendment number and content hash, and the same bytes back."""
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    original = sealed_record()
    amended = amended_record(original)
    for number, record in ((0, original), (1, amended)):
        after: dict[str, Any] = {"record_id": record.record_id, "sha256": record.sha256}
        after |= {"record": record.canonical.decode("utf-8")} | ({"amendment": number} if number else {})
        store.record_event(tech, WORKSTATION, "record_sealed", "kept", preparation_id=prep.id, after=after)

    for number, record in ((0, original), (1, amended)):
        found = store.records.newest(prep.id, amendment=number)
        assert found is not None
        assert (found.record_id, found.sha256, found.amendment, found.content_sha256) == (
            record.record_id,
            record.sha256,
            number,
            record.data["content_sha256"],
        )
        assert SealedRecord.from_canonical(found.canonical_bytes) == record
    in_force = store.records.newest(prep.id)
    assert in_force is not None
    assert in_force.record_id == amended.record_id
