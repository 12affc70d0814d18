"""Corrections of a sealed record (amendments) in the database: a new record that references the one it corrects;
the preparation's row, its original record and its signatures never change; one correction at a time, each
record corrected at most once; each record's signatures apart; sealing is one transaction and safe to retry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, PreparationStatus, Role
from hemgenix_desktop.storage import (
    AmendmentNotFound,
    PreparationClosed,
    Store,
    User,
    WrongStoreForPreparation,
)
from hemgenix_desktop.storage import amendments as amendments_module
from hemgenix_desktop.storage.schema import amendments, preparation_search_terms, preparations, signatures
from tests.helpers.preparations import carton, fill_everything, new_prep
from tests.helpers.store import WORKSTATION, FakeClock, add_user
from tests.storage.helpers import corrected, run_amendment_race
from tests.storage.test_store import _signature

ORIGINAL = "REC-ORIGINAL"
ORIGINAL_SHA = "a" * 64
FIRST = "REC-AMENDMENT-1"
FIRST_SHA = "b" * 64
REASON = "Name misspelt on the order entry"
RACE_ROUNDS = 8
RACE_TIMEOUT = 120


def seal(
    store: Store,
    tech: User,
    pharmacist: User,
    *,
    identifier: str = "PSI-0001",
    serial: str = "SER-0001",
    record_id: str = ORIGINAL,
    sha256: str = ORIGINAL_SHA,
) -> Preparation:
    """A preparation prepared by ``tech``, verified by ``pharmacist`` and sealed, its record kept in the trail."""
    prep = fill_everything(new_prep(identifier), serial=serial)
    store.start_preparation(prep, tech, WORKSTATION)
    store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY))
    store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY))
    store.seal_preparation(
        prep,
        pharmacist,
        WORKSTATION,
        record_id=record_id,
        record_sha256=sha256,
        canonical=f'{{"record":"{record_id}"}}',
    )
    return store.load(prep.id)


def start(
    store: Store,
    prep: Preparation,
    user: User,
    *,
    name: str = "Jon Smith",
    record_id: str = ORIGINAL,
    sha256: str = ORIGINAL_SHA,
    workstation: str = WORKSTATION,
) -> Any:
    fixed, changes = corrected(prep, name=name)
    return store.start_amendment(
        fixed,
        reason=REASON,
        changes=changes,
        amends_record_id=record_id,
        amends_sha256=sha256,
        user=user,
        workstation=workstation,
    )


def sign_and_seal(
    store: Store, prep_id: str, number: int, amendment_id: str, tech: User, pharmacist: User, record_id: str, sha: str
) -> None:
    store.add_signature(prep_id, _signature(tech, Meaning.AMENDED_BY, "e" * 64), amendment=number)
    store.add_signature(prep_id, _signature(pharmacist, Meaning.VERIFIED_BY, "e" * 64), amendment=number)
    store.seal_amendment(
        amendment_id,
        pharmacist,
        WORKSTATION,
        record_id=record_id,
        record_sha256=sha,
        canonical=f'{{"r":"{record_id}"}}',
    )


def raw_rows(store: Store, prep_id: str) -> tuple[Any, list[Any]]:
    """The preparation's row and its original signatures' rows, exactly as stored."""
    with store.engine.connect() as conn:
        row = conn.execute(select(preparations).where(preparations.c.id == prep_id)).one()
        signed = conn.execute(
            select(signatures).where(signatures.c.preparation_id == prep_id, signatures.c.amendment == 0)
        ).all()
    return tuple(row), [tuple(s) for s in signed]


def test_a_correction_is_started_changed_signed_and_sealed_and_the_original_never_changes(
    store: Store, tech: User, pharmacist: User, clock: FakeClock
) -> None:
    prep = seal(store, tech, pharmacist)
    row_before, signatures_before = raw_rows(store, prep.id)
    original_signatures = store.signatures(prep.id)

    clock.advance(days=3)
    draft = start(store, prep, tech)
    assert (draft.preparation_id, draft.number, draft.status, draft.reason) == (
        prep.id,
        1,
        AmendmentStatus.DRAFT,
        REASON,
    )
    assert draft.changes == (
        {"field": "patient.full_name", "label": "Patient name", "before": "John Smith", "after": "Jon Smith"},
    )
    assert (draft.amends_record_id, draft.amends_sha256, draft.record_id, draft.record_sha256) == (
        ORIGINAL,
        ORIGINAL_SHA,
        None,
        None,
    )
    assert (draft.created_by_name, draft.created_at, draft.workstation, draft.void_reason) == (
        "Tina Tech",
        clock.now,
        WORKSTATION,
        None,
    )
    assert store.open_amendment(prep.id) == draft
    assert store.amendment(draft.id) == draft
    assert store.load_amendment(draft.id).to_dict() == corrected(prep, name="Jon Smith")[0].to_dict()
    summary = store.summary(prep.id)
    assert (summary.status, summary.correcting, summary.amendments) == (PreparationStatus.SEALED, True, 0)
    started = store.audit_trail(prep.id)[-1]
    assert (started.action, started.username) == ("amendment_started", "tina")
    assert started.summary == (
        f"Started amendment 1 of preparation {prep.id[:8]}, correcting record {ORIGINAL}: {REASON}"
    )
    assert started.after == {
        "number": 1,
        "reason": REASON,
        "changes": list(draft.changes),
        "amends_record_id": ORIGINAL,
        "amends_sha256": ORIGINAL_SHA,
    }

    # changed while it is a draft: the audit event holds what changed, nothing else
    clock.advance(minutes=5)
    fixed, changes = corrected(prep, name="Jon Smith", mrn="MRN-78")
    changed = store.update_amendment(
        draft.id, fixed, reason=REASON + ".", changes=changes, user=pharmacist, workstation="hood-2"
    )
    assert (changed.updated_by_name, changed.updated_at, changed.workstation) == ("Phil Pharma", clock.now, "hood-2")
    assert (changed.created_by, changed.number, changed.reason) == ("tina", 1, REASON + ".")
    event = store.audit_trail(prep.id)[-1]
    assert event.action == "amendment_changed"
    assert event.summary == f"Saved amendment 1 of preparation {prep.id[:8]} (6 values changed)."
    assert event.before == {"data.order.patient.mrn": "MRN-77", "reason": REASON}
    assert event.after == {
        "changes.1.after": "MRN-78",
        "changes.1.before": "MRN-77",
        "changes.1.field": "patient.mrn",
        "changes.1.label": "MRN",
        "data.order.patient.mrn": "MRN-78",
        "reason": REASON + ".",
    }
    assert store.load_amendment(draft.id).to_dict() == fixed.to_dict()

    # signed ("Amended by", "Verified by") and sealed
    sign_and_seal(store, prep.id, 1, draft.id, tech, pharmacist, FIRST, FIRST_SHA)
    sealed = store.amendment(draft.id)
    assert (sealed.status, sealed.record_id, sealed.record_sha256) == (AmendmentStatus.SEALED, FIRST, FIRST_SHA)
    assert store.open_amendment(prep.id) is None
    summary = store.summary(prep.id)
    assert (summary.status, summary.correcting, summary.amendments) == (PreparationStatus.SEALED, False, 1)
    kept, done = store.audit_trail(prep.id)[-2:]
    assert (kept.action, kept.after) == (
        "record_sealed",
        {
            "record_id": FIRST,
            "sha256": FIRST_SHA,
            "record": f'{{"r":"{FIRST}"}}',
            "amendment": 1,
            # the dose keys, named plainly for the guards that read the trail (issue 15)
            "patient_identifier": "psi-0001",
            "carton_gtin": prep.carton.gtin if prep.carton else None,
            "carton_serial": "SER-0001",
            # and the patient's, which audit verify compares with a sealed row (an amendment's: not compared)
            "patient_name": "Jon Smith",
            "patient_date_of_birth": "1980-02-29",
            "patient_mrn": "MRN-78",
        },
    )
    assert (done.action, done.before, done.after) == (
        "amendment_sealed",
        {"status": "draft"},
        {"status": "sealed", "record_id": FIRST, "record_sha256": FIRST_SHA},
    )

    # the original never changes: the preparation's row, its signatures, what it loads as
    assert raw_rows(store, prep.id) == (row_before, signatures_before)
    assert store.signatures(prep.id) == original_signatures
    assert store.load(prep.id).to_dict() == prep.to_dict()
    assert store.verify_audit_chain().intact


def test_sealing_again_with_the_same_record_changes_nothing(store: Store, tech: User, pharmacist: User) -> None:
    prep = seal(store, tech, pharmacist)
    draft = start(store, prep, tech)
    sign_and_seal(store, prep.id, 1, draft.id, tech, pharmacist, FIRST, FIRST_SHA)
    trail = store.audit_trail()

    # a retry after a crash that came after the commit: nothing is written twice
    store.seal_amendment(draft.id, pharmacist, WORKSTATION, record_id=FIRST, record_sha256=FIRST_SHA, canonical="{}")
    store.seal_amendment(draft.id, pharmacist, WORKSTATION, record_id=FIRST, record_sha256=FIRST_SHA, canonical=None)
    assert store.audit_trail() == trail

    with pytest.raises(PreparationClosed) as other:
        store.seal_amendment(
            draft.id, pharmacist, WORKSTATION, record_id="REC-X", record_sha256="c" * 64, canonical="{}"
        )
    assert other.value.message == (
        f"Amendment 1 of preparation {prep.id[:8]} is sealed already as record {FIRST}, and a sealed record never "
        "changes. Nothing was changed."
    )
    fixed, changes = corrected(prep, name="Joan Smith")
    for attempt, verb in (
        (
            lambda: store.update_amendment(draft.id, fixed, reason="x", changes=changes, user=tech, workstation="w"),
            "changed",
        ),
        (lambda: store.void_amendment(draft.id, "Wrong record", pharmacist, WORKSTATION), "discarded"),
        (lambda: store.add_signature(prep.id, _signature(tech, Meaning.AMENDED_BY, "f" * 64), amendment=1), "signed"),
    ):
        with pytest.raises(PreparationClosed) as closed:
            attempt()
        assert closed.value.message == (
            f"Amendment 1 of preparation {prep.id[:8]} is sealed, so it cannot be {verb}: a sealed record never "
            "changes. To correct it, start a new correction of the record in force."
        )
    assert store.audit_trail() == trail
    assert store.amendment(draft.id).status is AmendmentStatus.SEALED


def test_the_database_refuses_to_change_a_sealed_amendment_or_delete_any(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep = seal(store, tech, pharmacist)
    draft = start(store, prep, tech)
    with store.engine.begin() as conn:  # a draft may change (the Store saves it)
        conn.execute(update(amendments).where(amendments.c.id == draft.id).values(workstation="sql"))
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match="amendments are never deleted"):
        conn.execute(text("DELETE FROM amendments"))
    sign_and_seal(store, prep.id, 1, draft.id, tech, pharmacist, FIRST, FIRST_SHA)
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match="a sealed amendment never changes"):
        conn.execute(update(amendments).where(amendments.c.id == draft.id).values(reason="edited"))
    assert store.amendment(draft.id).reason == REASON


@pytest.mark.slow
def test_search_finds_the_preparation_by_the_corrected_and_the_original_name(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep = seal(store, tech, pharmacist)
    draft = start(store, prep, tech, name="Jonathan Smythe")

    def found(words: str) -> list[str]:
        return [row.id for row in store.search(patient=words)]

    assert found("smythe") == []  # a draft correction is not in force yet
    sign_and_seal(store, prep.id, 1, draft.id, tech, pharmacist, FIRST, FIRST_SHA)
    assert found("smythe") == [prep.id]
    assert found("jonathan smy") == [prep.id]
    assert found("john smith") == [prep.id]  # the original's name still finds it
    assert found("mrn-77") == [prep.id]
    assert store.summary(prep.id).patient_name == "John Smith"  # the row shows the original, as sealed
    with store.engine.connect() as conn:
        terms = conn.execute(
            select(preparation_search_terms.c.term).where(preparation_search_terms.c.preparation_id == prep.id)
        ).scalars()
        assert {"john", "jonathan", "smith", "smythe"} <= set(terms)


def test_the_one_dose_and_one_carton_guards_still_hold_while_a_correction_exists(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep = seal(store, tech, pharmacist, serial="SER-777")
    first = start(store, prep, tech)
    sign_and_seal(store, prep.id, 1, first.id, tech, pharmacist, FIRST, FIRST_SHA)
    start(store, store.load(prep.id), tech, name="Jonny Smith", record_id=FIRST, sha256=FIRST_SHA)  # a draft too

    with pytest.raises(PatientAlreadyHasPreparation) as patient:
        store.start_preparation(new_prep(" psi-0001 "), tech, WORKSTATION)
    assert patient.value.existing_id == prep.id
    other = new_prep("PSI-OTHER", "Olga Other")
    store.start_preparation(other, tech, WORKSTATION)
    other.carton = carton("SER-777")
    with pytest.raises(CartonAlreadyUsed) as reused:
        store.save_draft(other, "carton", tech, WORKSTATION)
    assert reused.value.existing_id == prep.id
    assert store.load(other.id).carton is None


def test_a_second_correction_is_refused_while_one_is_being_made(
    store: Store, tech: User, pharmacist: User, clock: FakeClock
) -> None:
    prep = seal(store, tech, pharmacist)
    clock.advance(hours=2)
    start(store, prep, tech, workstation="hood-3")
    clock.advance(minutes=30)
    trail = store.audit_trail()
    with pytest.raises(InvalidInput) as second:
        start(store, prep, pharmacist, name="Joan Smith")
    assert second.value.message == (
        "Tina Tech is already correcting this record (started 2026-05-04 10:30 UTC at hood-3). Continue that "
        "correction or discard it first."
    )
    assert store.audit_trail() == trail
    assert len(store.amendments(prep.id)) == 1


def test_the_reason_of_a_signed_correction_cannot_change(store: Store, tech: User, pharmacist: User) -> None:
    prep = seal(store, tech, pharmacist)
    draft = start(store, prep, tech)
    fixed, changes = corrected(prep, name="Jon Smith")
    store.update_amendment(draft.id, fixed, reason="Another reason", changes=changes, user=tech, workstation="h")
    store.update_amendment(draft.id, fixed, reason=REASON, changes=changes, user=tech, workstation="h")
    store.add_signature(prep.id, _signature(tech, Meaning.AMENDED_BY, "e" * 64), amendment=1)
    trail = store.audit_trail()
    with pytest.raises(InvalidInput) as changed:
        store.update_amendment(draft.id, fixed, reason="Another reason", changes=changes, user=tech, workstation="h")
    assert changed.value.message == (
        f"Signatures were given on correction 1 with the reason “{REASON}”, so its reason cannot change now. Keep it, "
        "or discard the correction and start again."
    )
    assert store.audit_trail() == trail
    assert store.amendment(draft.id).reason == REASON
    fixed, changes = corrected(prep, name="Jon Smyth")  # the values may still change (they are signed anew)
    assert store.update_amendment(draft.id, fixed, reason=REASON, changes=changes, user=tech, workstation="h")


def test_the_database_backs_the_one_correction_at_a_time_rule(
    store: Store, tech: User, pharmacist: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the check inside the transaction misses the other draft, the unique index refuses the row and the
    same sentence is given."""
    prep = seal(store, tech, pharmacist)
    start(store, prep, tech)
    real = amendments_module._amendment_conflict
    calls: list[str] = []

    def misses_once(conn: Any, prep_id: str, record_id: str) -> InvalidInput | None:
        calls.append(prep_id)
        return None if len(calls) == 1 else real(conn, prep_id, record_id)

    monkeypatch.setattr(amendments_module, "_amendment_conflict", misses_once)
    with pytest.raises(InvalidInput, match=r"^Tina Tech is already correcting this record \(started 2026-05-04"):
        start(store, prep, pharmacist, name="Joan Smith")
    assert len(calls) == 2
    assert len(store.amendments(prep.id)) == 1


def test_a_corrected_record_is_not_corrected_again_and_the_next_correction_amends_the_newest(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep = seal(store, tech, pharmacist)
    first = start(store, prep, tech)
    sign_and_seal(store, prep.id, 1, first.id, tech, pharmacist, FIRST, FIRST_SHA)

    with pytest.raises(InvalidInput) as again:
        start(store, prep, tech, name="Joan Smith")
    assert again.value.message == (
        f"Record {ORIGINAL} was corrected already by amendment 1 (record {FIRST}). Correct the newest record."
    )
    with pytest.raises(InvalidInput) as unknown:
        start(store, prep, tech, name="Joan Smith", record_id="REC-ELSEWHERE", sha256=FIRST_SHA)
    assert unknown.value.message == (
        f"Record REC-ELSEWHERE is not the newest record of preparation {prep.id[:8]} (that is record {FIRST}). "
        "Correct the newest record."
    )
    with pytest.raises(InvalidInput) as wrong_hash:
        start(store, prep, tech, name="Joan Smith", record_id=FIRST, sha256="0" * 64)
    assert wrong_hash.value.message == (
        f"The SHA-256 given for record {FIRST} is not the one it was sealed with, so it cannot be corrected. Open the "
        "preparation from the History window again."
    )

    second = start(store, store.load_amendment(first.id), tech, name="Joan Smith", record_id=FIRST, sha256=FIRST_SHA)
    assert (second.number, second.amends_record_id) == (2, FIRST)
    store.void_amendment(second.id, "  Opened the wrong\nrecord ", tech, WORKSTATION)
    voided = store.amendment(second.id)
    assert (voided.status, voided.void_reason) == (AmendmentStatus.VOIDED, "Opened the wrong record")
    event = store.audit_trail(prep.id)[-1]
    assert (event.action, event.before, event.after) == (
        "amendment_voided",
        {"status": "draft"},
        {"status": "voided", "void_reason": "Opened the wrong record"},
    )
    # a discarded correction keeps its number and frees the record it was correcting
    third = start(store, store.load_amendment(first.id), tech, name="Joan Smith", record_id=FIRST, sha256=FIRST_SHA)
    assert [(a.number, a.status) for a in store.amendments(prep.id)] == [
        (1, AmendmentStatus.SEALED),
        (2, AmendmentStatus.VOIDED),
        (3, AmendmentStatus.DRAFT),
    ]
    assert store.open_amendment(prep.id) == store.amendment(third.id)
    assert store.summary(prep.id).amendments == 1
    assert store.verify_audit_chain().intact


def test_each_record_has_its_own_signatures_even_on_identical_content(
    store: Store, tech: User, pharmacist: User
) -> None:
    prep = seal(store, tech, pharmacist)
    same = "c" * 64  # the original's signatures (test_store._signature) were given on this content
    original = store.signatures(prep.id)
    assert [s.content_sha256 for s in original] == [same, same]

    first = start(store, prep, tech)
    verified = _signature(pharmacist, Meaning.VERIFIED_BY, same)
    store.add_signature(prep.id, verified, amendment=1)  # the same signature as on the original: another record
    with pytest.raises(InvalidInput) as twice:
        store.add_signature(prep.id, verified, amendment=1)
    assert twice.value.message == (
        f"Amendment 1 of preparation {prep.id[:8]} already carries this signature (Verified by, Phil Pharma) on the "
        "same content. Nothing was added."
    )
    amended = _signature(tech, Meaning.AMENDED_BY, same)
    store.add_signature(prep.id, amended, amendment=1)
    event = store.audit_trail(prep.id)[-1]
    assert event.summary == f"Tina Tech (tina) signed amendment 1 of preparation {prep.id[:8]}: Amended by."
    assert event.after == amended.to_dict() | {"amendment": 1}
    store.seal_amendment(first.id, pharmacist, WORKSTATION, record_id=FIRST, record_sha256=FIRST_SHA, canonical="{}")

    second = start(store, prep, tech, name="Joan Smith", record_id=FIRST, sha256=FIRST_SHA)
    store.add_signature(prep.id, verified, amendment=2)

    assert store.signatures(prep.id) == original
    assert store.signatures(prep.id, amendment=0) == original
    assert store.signatures(prep.id, same, amendment=1) == [verified, amended]
    assert store.signatures(prep.id, amendment=2) == [verified]
    assert store.signatures(prep.id, "d" * 64, amendment=2) == []
    assert second.number == 2

    with pytest.raises(AmendmentNotFound) as missing:
        store.add_signature(prep.id, amended, amendment=5)
    assert missing.value.message == (
        f"Preparation {prep.id[:8]} has no amendment 5. Open the preparation from the History window and start or "
        "continue its correction there."
    )
    assert store.signatures(prep.id, amendment=5) == []


def test_an_amendment_is_signed_only_on_a_sealed_preparation(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    with pytest.raises(PreparationClosed) as refused:
        store.add_signature(prep.id, _signature(tech, Meaning.AMENDED_BY), amendment=1)
    assert refused.value.message == (
        f"Only a sealed preparation's record can be corrected; preparation {prep.id[:8]} for John Smith is a draft. "
        "Finish its signatures so that it is sealed, or change it as it is."
    )
    assert store.signatures(prep.id) == []


def test_only_a_sealed_preparation_is_corrected(store: Store, tech: User, pharmacist: User) -> None:
    draft = fill_everything(new_prep())
    store.start_preparation(draft, tech, WORKSTATION)
    with pytest.raises(PreparationClosed) as not_sealed:
        start(store, draft, tech)
    assert not_sealed.value.message == (
        f"Only a sealed preparation's record can be corrected; preparation {draft.id[:8]} for John Smith is a draft. "
        "Finish its signatures so that it is sealed, or change it as it is."
    )
    store.void(draft.id, "Order cancelled", tech, WORKSTATION)
    with pytest.raises(PreparationClosed) as voided:
        start(store, draft, tech)
    assert voided.value.message == (
        f"Only a sealed preparation's record can be corrected; preparation {draft.id[:8]} for John Smith is voided. "
        "A voided preparation has no record in force to correct."
    )
    assert store.amendments(draft.id) == []


def test_bad_corrections_are_refused_with_a_sentence(store: Store, tech: User, pharmacist: User) -> None:
    prep = seal(store, tech, pharmacist)
    fixed, changes = corrected(prep, name="Jon Smith")

    def attempt(fixed: Preparation = fixed, reason: str = REASON, changes: list[dict[str, str]] = changes) -> None:
        store.start_amendment(
            fixed,
            reason=reason,
            changes=changes,
            amends_record_id=ORIGINAL,
            amends_sha256=ORIGINAL_SHA,
            user=tech,
            workstation=WORKSTATION,
        )

    with pytest.raises(InvalidInput) as no_reason:
        attempt(reason="  \n ")
    assert no_reason.value.message == (
        "Give the reason for the correction (what was wrong in the record), then save it again."
    )
    with pytest.raises(InvalidInput) as nothing:
        attempt(changes=[])
    assert nothing.value.message == (
        "Nothing was changed, so there is nothing to correct. Change the value that is wrong in the record, or cancel "
        "the correction."
    )
    practice = Preparation.from_dict(fixed.to_dict() | {"practice": True})
    with pytest.raises(WrongStoreForPreparation):
        attempt(fixed=practice)
    other_patient = new_prep("PSI-0002")
    other_patient.id = prep.id
    other_patient.carton = prep.carton
    with pytest.raises(InvalidInput) as identifier:
        attempt(fixed=other_patient)
    assert identifier.value.message == (
        f"A correction cannot change the patient-specific identifier, the date of birth or the carton of preparation "
        f"{prep.id[:8]}: they were checked against the carton when the dose was made. If one of them is wrong, call "
        "the pharmacist in charge and report it under your site's procedure."
    )
    other_carton = Preparation.from_dict(fixed.to_dict())
    other_carton.carton = carton("SER-OTHER")
    with pytest.raises(InvalidInput, match=r"^A correction cannot change the patient-specific identifier"):
        attempt(fixed=other_carton)
    assert store.amendments(prep.id) == []

    draft = start(store, prep, tech)
    with pytest.raises(InvalidInput) as no_void_reason:
        store.void_amendment(draft.id, " ", tech, WORKSTATION)
    assert no_void_reason.value.message == (
        "Give the reason for discarding the correction, in a few words, then discard it again."
    )
    with pytest.raises(InvalidInput) as unsigned:
        store.seal_amendment(
            draft.id, pharmacist, WORKSTATION, record_id=FIRST, record_sha256=FIRST_SHA, canonical="{}"
        )
    assert unsigned.value.message == (
        f"Amendment 1 of preparation {prep.id[:8]} has no signature yet. Sign it before sealing it."
    )
    with pytest.raises(InvalidInput, match=f"^Correction 1 belongs to preparation {prep.id[:8]}, not to"):
        store.update_amendment(
            draft.id, new_prep("PSI-0003"), reason=REASON, changes=changes, user=tech, workstation="w"
        )
    store.void_amendment(draft.id, "Wrong record", tech, WORKSTATION)
    with pytest.raises(PreparationClosed) as twice:
        store.void_amendment(draft.id, "again", tech, WORKSTATION)
    assert twice.value.message == (
        f"Amendment 1 of preparation {prep.id[:8]} was discarded already (Wrong record). Nothing was changed."
    )
    closed_attempts: list[Callable[[], object]] = [
        lambda: store.seal_amendment(
            draft.id, tech, WORKSTATION, record_id=FIRST, record_sha256=FIRST_SHA, canonical=None
        ),
        lambda: store.add_signature(prep.id, _signature(tech, Meaning.AMENDED_BY), amendment=1),
    ]
    for attempt_closed in closed_attempts:
        with pytest.raises(
            PreparationClosed, match=r"was discarded \(Wrong record\), so it cannot be (sealed|signed)\."
        ):
            attempt_closed()
    with pytest.raises(AmendmentNotFound) as missing:
        store.amendment("no-such-id")
    assert missing.value.message == (
        "There is no correction “no-such-id”. Open the preparation from the History window and look at its "
        "corrections there."
    )
    assert store.verify_audit_chain().intact


@pytest.mark.slow
def test_two_workstations_starting_a_correction_at_once_one_wins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    check_amendment_race(url)


def check_amendment_race(url: str) -> None:
    """Both workstations start correcting the same sealed record at the same moment, RACE_ROUNDS times: each
    round one correction is started and the other workstation is told who is making it."""
    with Store.open(url) as store:
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)
        records = []
        for i in range(RACE_ROUNDS):
            prep = seal(store, tech, pharmacist, identifier=f"PSI-R{i}", serial=f"SER-R{i}", record_id=f"REC-R{i}")
            records.append((prep.id, f"REC-R{i}", ORIGINAL_SHA))
    outcomes = run_amendment_race(url, records, RACE_TIMEOUT)
    with Store.open(url) as store:
        for i, (prep_id, record_id, _) in enumerate(records):
            this_round = sorted(o for o in outcomes if o[0] == i)
            won = [o for o in this_round if o[2] == "won"]
            lost = [o for o in this_round if o[2] == "lost"]
            assert (len(won), len(lost)) == (1, 1), this_round
            [draft] = store.amendments(prep_id)
            assert (draft.id, draft.number, draft.created_by, draft.amends_record_id) == (
                won[0][3],
                1,
                won[0][1],
                record_id,
            )
            assert lost[0][4] == (
                f"{draft.created_by_name} is already correcting this record (started "
                f"{draft.created_at:%Y-%m-%d %H:%M} UTC at {draft.workstation}). Continue that correction or discard "
                "it first."
            )
        assert store.verify_audit_chain().intact


def test_the_summary_counts_sealed_corrections_only(store: Store, tech: User, pharmacist: User) -> None:
    prep = seal(store, tech, pharmacist)
    other = seal(store, tech, pharmacist, identifier="PSI-0002", serial="SER-0002", record_id="REC-OTHER")
    first = start(store, prep, tech)
    sign_and_seal(store, prep.id, 1, first.id, tech, pharmacist, FIRST, FIRST_SHA)
    second = start(store, prep, tech, name="Joan Smith", record_id=FIRST, sha256=FIRST_SHA)
    sign_and_seal(store, prep.id, 2, second.id, tech, pharmacist, "REC-AMENDMENT-2", "d" * 64)
    start(store, prep, tech, name="Jo Smith", record_id="REC-AMENDMENT-2", sha256="d" * 64)

    rows = {row.id: (row.amendments, row.correcting) for row in store.search()}
    assert rows == {prep.id: (2, True), other.id: (0, False)}
    assert store.unfinished() == []


@pytest.mark.slow
def test_corrections_in_progress_are_listed_until_sealed_or_discarded(
    store: Store, tech: User, pharmacist: User, clock: FakeClock
) -> None:
    first = seal(store, tech, pharmacist)
    second = seal(store, tech, pharmacist, identifier="PSI-0002", serial="SER-0002", record_id="REC-2")
    assert store.corrections_in_progress() == []
    one = start(store, first, tech)
    clock.advance(minutes=1)
    two = start(store, second, tech, record_id="REC-2")
    assert [s.id for s in store.corrections_in_progress()] == [second.id, first.id]  # the latest saved first
    assert all(s.correcting for s in store.corrections_in_progress())
    store.void_amendment(two.id, "Opened by mistake", tech, WORKSTATION)
    assert [s.id for s in store.corrections_in_progress()] == [first.id]
    sign_and_seal(store, first.id, 1, one.id, tech, pharmacist, FIRST, FIRST_SHA)
    assert store.corrections_in_progress() == []
