"""The Store: drafts saved and loaded whole, the unfinished list, voiding, searching, signatures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, InvalidInput, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.signing import Meaning, Signature
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.domain.weight import parse_weight
from hemgenix_desktop.storage import (
    PreparationClosed,
    PreparationNotFound,
    Store,
    User,
    UserNotActive,
    WrongStoreForPreparation,
)
from hemgenix_desktop.storage.schema import preparations
from tests.helpers.preparations import carton, fill_everything, new_prep
from tests.helpers.store import OPERATOR, START, WORKSTATION, FakeClock, leave_signed_not_sealed


def test_a_saved_draft_loads_with_every_value(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    fill_everything(prep)
    store.save_draft(prep, "checks", tech, WORKSTATION)

    loaded = store.load(prep.id)

    expected = prep.to_dict() | {"step": "checks"}
    assert loaded.to_dict() == expected
    assert loaded.step == "checks"
    assert loaded.carton == prep.carton
    assert loaded.checks == prep.checks
    assert prep.step == "order"  # the caller's object is not changed


@pytest.mark.slow
def test_saving_a_draft_audits_only_what_changed(store: Store, tech: User, clock: FakeClock) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    clock.advance(minutes=3)
    prep.set_weight_today(parse_weight("73 kg"))
    store.save_draft(prep, "weight", tech, WORKSTATION)

    event = store.audit_trail(prep.id)[-1]

    assert event.action == "draft_saved"
    assert event.summary == f"Saved preparation {prep.id[:8]} at step “weight” (6 values changed)."
    assert event.before == {"step": "order", "weight_today": None}
    assert event.after == {
        "step": "weight",
        "weight_today.entered": "73 kg",
        "weight_today.kg": "73",
        "weight_today.unit": "kg",
        "weight_today.value": "73",
    }
    assert (event.username, event.full_name, event.workstation) == ("tina", "Tina Tech", WORKSTATION)
    assert event.at == START + timedelta(minutes=3)


def test_saving_an_unchanged_draft_still_leaves_a_trace(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    store.save_draft(prep, "order", tech, WORKSTATION)
    event = store.audit_trail(prep.id)[-1]
    assert event.summary == f"Saved preparation {prep.id[:8]} at step “order” (no value changed)."
    assert (event.before, event.after) == ({}, {})


def test_unfinished_lists_patient_step_who_and_when(
    store: Store, tech: User, pharmacist: User, clock: FakeClock
) -> None:
    first = new_prep("PSI-1", "Ann Able")
    store.start_preparation(first, tech, WORKSTATION)
    clock.advance(minutes=10)
    second = new_prep("PSI-2", "Bob Baker")
    store.start_preparation(second, tech, "hood-2")
    clock.advance(minutes=10)
    store.save_draft(first, "weight", pharmacist, "hood-3")

    rows = store.unfinished()

    assert [(r.patient_name, r.step, r.updated_by_name, r.updated_at, r.workstation) for r in rows] == [
        ("Ann Able", "weight", "Phil Pharma", START + timedelta(minutes=20), "hood-3"),
        ("Bob Baker", "order", "Tina Tech", START + timedelta(minutes=10), "hood-2"),
    ]
    assert rows[0].created_by_name == "Tina Tech"
    assert rows[0].patient_identifier == "PSI-1"
    assert rows[0].patient_date_of_birth == date(1980, 2, 29)
    assert rows[0].short_id == first.id[:8]


def test_voiding_needs_a_reason(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    with pytest.raises(InvalidInput) as info:
        store.void(prep.id, "   ", tech, WORKSTATION)
    assert info.value.message == "Give the reason for voiding the preparation, in a few words, then void it again."


def test_a_voided_draft_leaves_the_unfinished_list_and_cannot_be_saved(store: Store, tech: User) -> None:
    prep = new_prep("PSI-9", "Cleo Cole")
    store.start_preparation(prep, tech, WORKSTATION)
    store.void(prep.id, "Order cancelled  by the\nprescriber.", tech, WORKSTATION)

    assert store.unfinished() == []
    summary = store.summary(prep.id)
    assert (summary.status, summary.void_reason) == (PreparationStatus.VOIDED, "Order cancelled by the prescriber.")
    event = store.audit_trail(prep.id)[-1]
    assert event.before == {"status": "draft"}
    assert event.after == {"status": "voided", "void_reason": "Order cancelled by the prescriber."}
    with pytest.raises(PreparationClosed) as info:
        store.save_draft(prep, "weight", tech, WORKSTATION)
    assert info.value.message == (
        f"Preparation {prep.id[:8]} for Cleo Cole is voided, so it cannot be saved. Open it from the History "
        "window to see it, or start a new preparation."
    )
    with pytest.raises(PreparationClosed, match="was already voided"):
        store.void(prep.id, "again", tech, WORKSTATION)


def test_one_dose_per_patient(store: Store, tech: User, pharmacist: User) -> None:
    first = new_prep("PSI-0001", "John Smith")
    store.start_preparation(first, tech, WORKSTATION)

    second = new_prep("  psi-0001 ", "John Smith")  # the same identifier, typed differently
    with pytest.raises(PatientAlreadyHasPreparation) as info:
        store.start_preparation(second, pharmacist, "hood-2")

    assert info.value.message == (
        f"This patient already has preparation {first.id[:8]} for John Smith (identifier “PSI-0001”), a draft, "
        "started by Tina Tech (tina) on 2026-05-04 08:30 UTC. Hemgenix is given only once: do not prepare a "
        "second dose. Resume or void that preparation, or call the pharmacist in charge."
    )
    assert info.value.existing_id == first.id
    with pytest.raises(PreparationNotFound):
        store.load(second.id)
    refusal = store.audit_trail(first.id)[-1]
    assert (refusal.action, refusal.username) == ("second_preparation_refused", "phil")
    assert refusal.after == {"refused_preparation_id": second.id}


def test_a_voided_preparation_frees_the_patient_and_the_carton(store: Store, tech: User) -> None:
    first = fill_everything(new_prep("PSI-0001"), serial="SER-1")
    store.start_preparation(first, tech, WORKSTATION)
    store.void(first.id, "Bag punctured.", tech, WORKSTATION)

    again = fill_everything(new_prep("PSI-0001"), serial="SER-1")
    store.start_preparation(again, tech, WORKSTATION)

    assert store.summary(again.id).status is PreparationStatus.DRAFT


def test_one_carton_per_preparation(store: Store, tech: User, clock: FakeClock) -> None:
    first = new_prep("PSI-A", "Ann Able")
    store.start_preparation(first, tech, WORKSTATION)
    first.carton = carton("SER-777")
    store.save_draft(first, "carton", tech, WORKSTATION)

    clock.advance(hours=1)
    other = new_prep("PSI-B", "Bob Baker")
    store.start_preparation(other, tech, WORKSTATION)
    other.carton = carton("SER-777")
    with pytest.raises(CartonAlreadyUsed) as info:
        store.save_draft(other, "carton", tech, WORKSTATION)

    assert info.value.message == (
        f"This carton (serial “SER-777”) is already used by preparation {first.id[:8]} for Ann Able (identifier "
        "“PSI-A”), a draft, started by Tina Tech (tina) on 2026-05-04 08:30 UTC. One carton is for one preparation "
        "only: set this carton aside and call the pharmacist in charge."
    )
    assert info.value.existing_id == first.id
    assert store.load(other.id).carton is None  # nothing of the refused save was kept
    assert store.audit_trail(first.id)[-1].action == "carton_reuse_refused"


def test_the_same_serial_on_another_kit_is_another_carton(store: Store, tech: User) -> None:
    first = new_prep("PSI-A")
    first.carton = carton("SER-1", vials=15)
    store.start_preparation(first, tech, WORKSTATION)
    other = new_prep("PSI-B")
    other.carton = carton("SER-1", vials=16)  # GS1: a serial is unique within its GTIN
    store.start_preparation(other, tech, WORKSTATION)
    assert len(store.unfinished()) == 2


def test_the_guards_live_in_the_database(store: Store, tech: User) -> None:
    prep = new_prep("PSI-0001")
    prep.carton = carton("SER-1")
    store.start_preparation(prep, tech, WORKSTATION)
    row = {
        "patient_identifier_entered": "x",
        "patient_name": "x",
        "patient_date_of_birth": date(1990, 1, 1),
        "patient_mrn": "x",
        "status": "draft",
        "step": "order",
        "data": {},
        "practice": False,
        "created_by": "tina",
        "created_at": START,
        "updated_by": "tina",
        "updated_at": START,
        "workstation": "sql",
    }
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match="patient_identifier"):
        conn.execute(insert(preparations).values(id="raw-1", patient_identifier="psi-0001", **row))
    with store.engine.begin() as conn, pytest.raises(IntegrityError, match=r"carton_gtin, preparations\.carton_serial"):
        conn.execute(
            insert(preparations).values(
                id="raw-2", patient_identifier="other", carton_gtin=prep.carton.gtin, carton_serial="SER-1", **row
            )
        )
    with store.engine.begin() as conn:  # a voided row does not count
        conn.execute(
            insert(preparations).values(
                id="raw-3", patient_identifier="psi-0001", **(row | {"status": "voided", "void_reason": "x"})
            )
        )
        assert conn.execute(text("SELECT count(*) FROM preparations")).scalar_one() == 2


def test_search(store: Store, tech: User, clock: FakeClock) -> None:
    ann = new_prep("PSI-1", "Ann Able", "MRN-100")
    store.start_preparation(ann, tech, WORKSTATION)
    clock.advance(days=2)
    bob = new_prep("PSI-2", "Bob Baker", "MRN-200")
    store.start_preparation(bob, tech, WORKSTATION)
    store.void(bob.id, "Wrong patient on the order.", tech, WORKSTATION)

    def ids(**kwargs: object) -> list[str]:
        return [row.id for row in store.search(**kwargs)]  # type: ignore[arg-type]

    assert ids() == [bob.id, ann.id]
    assert ids(patient="able") == [ann.id]
    assert ids(patient="mrn-2") == [bob.id]
    assert ids(patient="%") == []
    assert ids(identifier=" psi-2 ") == [bob.id]
    assert ids(status=PreparationStatus.VOIDED) == [bob.id]
    assert ids(date_from=date(2026, 5, 5), local_zone=UTC) == [bob.id]
    assert ids(date_to=date(2026, 5, 4), local_zone=UTC) == [ann.id]
    assert ids(date_from=date(2026, 5, 4), date_to=date(2026, 5, 4), local_zone=UTC) == [ann.id]
    assert ids(date_from=START + timedelta(days=1)) == [bob.id]


def test_search_matches_words_from_their_start(store: Store, tech: User) -> None:
    ann = new_prep("PSI-1", "Ann-Marie van der Berg", "MRN-100")
    store.start_preparation(ann, tech, WORKSTATION)
    john = new_prep("AB 12.34", "John Smithson", "77-001")
    store.start_preparation(john, tech, WORKSTATION)

    def ids(patient: str) -> list[str]:
        return [row.id for row in store.search(patient=patient)]

    assert ids("SMITH") == [john.id]  # case ignored, a word found from its start
    assert ids("ithson") == []  # the middle of a word is not searched
    assert ids("jo sm") == [john.id]  # several words: each must start one of the patient's words
    assert ids("jo berg") == []
    assert ids("van berg") == [ann.id]
    assert ids("ann-mar") == [ann.id]
    assert ids("annmarie") == [ann.id]  # the name without its dashes and spaces
    assert ids("mrn-10") == [ann.id]
    assert ids("mrn100") == [ann.id]
    assert ids("77001") == [john.id]
    assert ids("ab12") == [john.id]  # the identifier, by the start of its normalised form


def test_search_follows_a_changed_name(store: Store, tech: User) -> None:
    prep = new_prep("PSI-1", "Ann Able", "MRN-100")
    store.start_preparation(prep, tech, WORKSTATION)
    changed = new_prep("PSI-1", "Ann Baker", "MRN-100")
    changed.id = prep.id
    store.save_draft(changed, "order", tech, WORKSTATION)
    assert [row.id for row in store.search(patient="baker")] == [prep.id]
    assert store.search(patient="able") == []


def test_resolve_a_short_id(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    assert store.resolve_id(prep.id[:8].upper()) == prep.id
    with pytest.raises(InvalidInput) as info:
        store.resolve_id("abc")
    assert (
        info.value.message
        == "“abc” is too short to name a preparation. Give at least the first 8 characters of its id."
    )
    with pytest.raises(PreparationNotFound) as missing:
        store.resolve_id("ffffffff")
    assert missing.value.message == (
        "There is no preparation “ffffffff”. Check its id in the History window or with “hemgenix-prep audit show”."
    )


def test_a_preparation_needs_its_order_before_it_is_saved(store: Store, tech: User) -> None:
    prep = new_prep()
    prep.order = None
    with pytest.raises(InvalidInput) as info:
        store.start_preparation(prep, tech, WORKSTATION)
    assert info.value.message == (
        "The order and the patient are not filled in yet, so the preparation cannot be saved. Fill in the order first."
    )


def test_practice_and_real_preparations_never_mix(store: Store, tech: User) -> None:
    practice = new_prep()
    practice.practice = True
    with pytest.raises(WrongStoreForPreparation) as info:
        store.start_preparation(practice, tech, WORKSTATION)
    assert info.value.message == (
        "A practice preparation is never saved in the pharmacy's records. Leave practice mode to prepare a real dose."
    )
    with Store.open_practice() as sandbox:
        trainee = sandbox.users.add("trainee", "Trainee", tech.role, "x", OPERATOR, WORKSTATION)
        sandbox.start_preparation(practice, trainee, WORKSTATION)
        assert [r.id for r in sandbox.unfinished()] == [practice.id]
        with pytest.raises(WrongStoreForPreparation):
            sandbox.start_preparation(new_prep("PSI-X"), trainee, WORKSTATION)
    assert store.unfinished() == []


def test_a_disabled_user_cannot_save(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    store.users.set_active("tina", False, OPERATOR, WORKSTATION)
    with pytest.raises(UserNotActive) as info:
        store.save_draft(prep, "weight", tech, WORKSTATION)
    assert info.value.message == (
        "The account “tina” is disabled, so it cannot save, sign or change anything. Sign in with an active "
        "account, or ask a pharmacist to enable this one."
    )


def _signature(user: User, meaning: Meaning, content: str = "c" * 64, subject: str = "") -> Signature:
    at = datetime(2026, 5, 4, 9, 15, tzinfo=UTC)
    return Signature(
        meaning=meaning,
        username=user.username,
        printed_name=user.full_name,
        role=user.role.value,
        signed_at=at,
        local_time=at.astimezone(),
        zone="UTC",
        workstation=WORKSTATION,
        content_sha256=content,
        subject=subject,
        person=user.employee_number or "",
    )


def test_signatures_then_signed_then_sealed(store: Store, tech: User, pharmacist: User) -> None:
    prep = fill_everything(new_prep())
    store.start_preparation(prep, tech, WORKSTATION)
    with pytest.raises(InvalidInput, match="has no signature yet"):
        leave_signed_not_sealed(store, prep, tech, WORKSTATION)

    prepared = _signature(tech, Meaning.PREPARED_BY)
    store.add_signature(prep.id, prepared)
    with pytest.raises(InvalidInput) as twice:
        store.add_signature(prep.id, prepared)
    assert twice.value.message == (
        f"Preparation {prep.id[:8]} already carries this signature (Prepared by, Tina Tech) on the same content. "
        "Nothing was added."
    )
    store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY, content="d" * 64))  # signed again after a change
    store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY, content="d" * 64))

    assert store.signatures(prep.id, content_sha256="d" * 64) == [
        _signature(tech, Meaning.PREPARED_BY, content="d" * 64),
        _signature(pharmacist, Meaning.VERIFIED_BY, content="d" * 64),
    ]
    leave_signed_not_sealed(store, prep, pharmacist, WORKSTATION)
    assert store.summary(prep.id).status is PreparationStatus.SIGNED
    with pytest.raises(PreparationClosed):
        store.save_draft(prep, "review", tech, WORKSTATION)
    with pytest.raises(PreparationClosed) as not_by_technician:
        store.void(prep.id, "Dropped the bag.", tech, WORKSTATION)
    assert not_by_technician.value.message == (
        f"Preparation {prep.id[:8]} is signed, so only a pharmacist may void it. Ask the pharmacist in charge."
    )
    # sealed as the application seals (one transaction; its record kept already, so no record_sealed event here)
    store.seal_preparation(prep, pharmacist, WORKSTATION, record_id="REC-1", record_sha256="e" * 64, canonical=None)
    assert store.summary(prep.id).status is PreparationStatus.SEALED
    assert [e.action for e in store.audit_trail(prep.id)][-5:] == [
        "signature_added",
        "signature_added",
        "signature_added",
        "preparation_signed",
        "preparation_sealed",
    ]


def test_a_signature_must_match_an_active_account(store: Store, tech: User, pharmacist: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    forged = _signature(tech, Meaning.VERIFIED_BY)
    forged = Signature(**(forged.__dict__ | {"role": "pharmacist"}))
    with pytest.raises(InvalidInput) as info:
        store.add_signature(prep.id, forged)
    assert info.value.message == (
        "The signature names Tina Tech (tina) as a pharmacist, but the account is Tina Tech, technician. "
        "Sign in again and sign anew."
    )
    store.users.set_active("phil", False, OPERATOR, WORKSTATION)
    with pytest.raises(UserNotActive):
        store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY))
    assert store.signatures(prep.id) == []


def test_record_an_event_without_a_change(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    event = store.record_event(
        tech, WORKSTATION, "screen_locked", "The screen locked after 5 idle minutes.", preparation_id=prep.id
    )
    assert store.audit_trail(prep.id)[-1] == event
    with pytest.raises(PreparationNotFound):
        store.record_event(tech, WORKSTATION, "printed", "x", preparation_id="nope")
