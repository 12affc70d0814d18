"""The one-dose and one-carton guards read the audit trail's sealed records too (issue 15).

An attacker with the database file drops the sealed-state triggers (as anyone with the file can) and edits the
sealed preparation's row behind the program: voids it, changes its identifier, changes its carton. The unique
indexes then let a second dose through; the trail does not: the second dose and the carton are still stopped,
naming the sealed preparation, and the refusal is recorded.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, PatientAlreadyHasPreparation, SamePersonHasPreparation
from hemgenix_desktop.domain.patient import normalise_identifier
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus, Role
from hemgenix_desktop.storage import Store, User
from hemgenix_desktop.storage.trail_guard import _keys
from tests.helpers.preparations import carton, fill_everything, new_prep, sealed_record
from tests.helpers.store import WORKSTATION, add_user, open_store_file
from tests.storage.test_amendments import seal
from tests.storage.test_store import _signature

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")

# What the attacker does to the sealed row once the triggers are gone: (what, SQL), {id} the sealed preparation.
EDITS = [
    ("voided", "UPDATE preparations SET status='voided', void_reason='x' WHERE id='{id}'"),
    ("identifier changed", "UPDATE preparations SET patient_identifier='SOMEONEELSE' WHERE id='{id}'"),
    (
        "carton and identifier changed",
        "UPDATE preparations SET patient_identifier='P2', carton_serial='Z' WHERE id='{id}'",
    ),
]
SQLITE_DROP = ["DROP TRIGGER preparations_sealed_never_change", "DROP TRIGGER preparations_status_audited"]
PG_DROP = ["DROP TRIGGER preparations_sealed_state ON preparations"]

Opener = Callable[[], Store]


def _sqlite(tmp_path: Path) -> tuple[Opener, Callable[[list[str]], None]]:
    path = tmp_path / "hemgenix.sqlite3"

    def attack(statements: list[str]) -> None:
        conn = sqlite3.connect(path)
        try:
            for sql in statements:
                conn.execute(sql)
            conn.commit()
        finally:
            conn.close()

    return (lambda: open_store_file(path)), attack


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Opener, Callable[[list[str]], None], list[str]]]:
    if request.param == "sqlite":
        opener, attack = _sqlite(tmp_path)
        yield opener, attack, SQLITE_DROP
        return
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one; CI sets it)")
    from tests.storage.test_postgresql import _empty

    _empty(PG_URL)
    engine = create_engine(PG_URL)

    def pg_attack(statements: list[str]) -> None:
        with engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)

    yield (lambda: Store.open(PG_URL)), pg_attack, PG_DROP
    engine.dispose()


@pytest.mark.parametrize(("what", "edit"), EDITS, ids=[what for what, _ in EDITS])
def test_an_edited_sealed_row_frees_neither_the_patient_nor_the_carton(
    database: tuple[Opener, Callable[[list[str]], None], list[str]], what: str, edit: str
) -> None:
    opener, attack, drop = database
    with opener() as store:
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharm", Role.PHARMACIST)
        sealed = seal(store, tech, pharmacist, identifier="PSI-0001", serial="SER-0001")
    attack([*drop, edit.format(id=sealed.id)])

    with opener() as store:
        second = new_prep("PSI-0001", name="John Smith")
        with pytest.raises(PatientAlreadyHasPreparation) as stopped:
            store.start_preparation(second, tech, WORKSTATION)
        assert stopped.value.existing_id == sealed.id
        assert f"preparation {sealed.id[:8]}" in stopped.value.message
        assert "This patient received Hemgenix" in stopped.value.message  # the sealed dose's sentence
        assert "Hemgenix is given only once" in stopped.value.message

        other = new_prep("PSI-0099", name="Other Patient")
        store.start_preparation(other, tech, WORKSTATION)
        other.carton = carton("SER-0001")
        with pytest.raises(CartonAlreadyUsed) as reused:
            store.save_draft(other, "kit", tech, WORKSTATION)
        assert reused.value.existing_id == sealed.id
        assert store.load(other.id).carton is None  # the draft is kept without the carton it could not take

        refusals = [e.action for e in store.audit_trail(sealed.id)]
        assert AuditAction.SECOND_PREPARATION_REFUSED.value in refusals
        assert AuditAction.CARTON_REUSE_REFUSED.value in refusals


def test_a_sealed_record_kept_before_0007_is_read_through_its_preparation() -> None:
    record = sealed_record()
    prep = record.preparation()
    keys = _keys(
        json.dumps({"record": record.canonical.decode(), "record_id": record.record_id, "sha256": record.sha256})
    )
    assert prep.order is not None
    assert prep.carton is not None
    assert keys == {
        "patient_identifier": normalise_identifier(prep.order.patient.patient_specific_id),
        "carton_gtin": prep.carton.gtin,
        "carton_serial": prep.carton.serial,
    }
    assert _keys('{"record": "not a record"}') is None


def test_a_voided_draft_still_frees_its_patient(tmp_path: Path) -> None:
    """Only a sealed record holds for good: a draft voided through the program frees the patient and the carton."""
    opener, _ = _sqlite(tmp_path)
    with opener() as store:
        tech = add_user(store, "tina", "Tina Tech")
        first = fill_everything(new_prep("PSI-0001"), serial="SER-0001")
        store.start_preparation(first, tech, WORKSTATION)
        store.void(first.id, "Wrong order", tech, WORKSTATION)
        again = fill_everything(new_prep("PSI-0001"), serial="SER-0001")
        store.start_preparation(again, tech, WORKSTATION)
        assert store.summary(again.id).status is PreparationStatus.DRAFT


def _sign_and_seal(store: Store, prep: Preparation, tech: User, pharmacist: User, record_id: str) -> None:
    store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY))
    store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY))
    store.seal_preparation(
        prep, pharmacist, WORKSTATION, record_id=record_id, record_sha256="c" * 64, canonical=f'{{"r":"{record_id}"}}'
    )


def test_a_draft_hidden_while_another_dose_is_sealed_cannot_be_sealed_after(
    database: tuple[Opener, Callable[[list[str]], None], list[str]],
) -> None:
    """No trigger dropped: a draft's row may change, so an insider renames its patient, seals a second preparation
    for that person, then names the draft's patient back. No start or save saw both; the sealing asks again."""
    opener, attack, _ = database
    with opener() as store:
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharm", Role.PHARMACIST)
        hidden = fill_everything(new_prep("PSI-0001"), serial="SER-0001")
        store.start_preparation(hidden, tech, WORKSTATION)
    hide = "UPDATE preparations SET patient_name='Zed Zulu', patient_mrn='MRN-X', patient_date_of_birth='1999-09-09'"
    attack([f"{hide} WHERE id='{hidden.id}'"])
    with opener() as store:
        second = fill_everything(new_prep("PSI-0002", mrn="MRN-77"), serial="SER-0002")  # John Smith again
        store.start_preparation(second, tech, WORKSTATION)
        _sign_and_seal(store, second, tech, pharmacist, "REC-SECOND")
    back = "UPDATE preparations SET patient_name='John Smith', patient_mrn='MRN-77', patient_date_of_birth='1980-02-29'"
    attack([f"{back} WHERE id='{hidden.id}'"])
    with opener() as store:
        with pytest.raises(SamePersonHasPreparation) as stopped:
            _sign_and_seal(store, hidden, tech, pharmacist, "REC-HIDDEN")
        assert second.id[:8] in stopped.value.message
        assert store.summary(hidden.id).status is PreparationStatus.DRAFT  # nothing of the sealing was kept
        assert AuditAction.SAME_PERSON_REFUSED.value in [e.action for e in store.audit_trail(second.id)]


@pytest.mark.parametrize("index", ["uq_preparations_one_per_patient", "uq_preparations_one_per_carton"])
def test_with_a_unique_index_dropped_a_second_dose_is_still_not_sealed(
    database: tuple[Opener, Callable[[list[str]], None], list[str]], index: str
) -> None:
    """The unique index gone (no row or trigger touched), two drafts hold one patient (or one carton): neither is
    sealed while the other holds it, and once one is voided through the program, the other is."""
    opener, attack, _ = database
    with opener():  # the database, made
        pass
    attack([f"DROP INDEX {index}"])
    patient = index.endswith("patient")
    with opener() as store:
        tech = add_user(store, "tina", "Tina Tech")
        pharmacist = add_user(store, "phil", "Phil Pharm", Role.PHARMACIST)
        first = fill_everything(new_prep("PSI-0001"), serial="SER-0001")
        store.start_preparation(first, tech, WORKSTATION)
        twin = fill_everything(
            new_prep("PSI-0001" if patient else "PSI-0002"), serial="SER-0002" if patient else "SER-0001"
        )
        store.start_preparation(twin, tech, WORKSTATION)  # let through: the index is gone
        stop = PatientAlreadyHasPreparation if patient else CartonAlreadyUsed
        with pytest.raises(stop) as stopped:
            _sign_and_seal(store, first, tech, pharmacist, "REC-FIRST")
        assert stopped.value.existing_id == twin.id
        assert store.summary(first.id).status is PreparationStatus.DRAFT
        store.void(twin.id, "Entered twice", tech, WORKSTATION)
        store.seal_preparation(
            first, pharmacist, WORKSTATION, record_id="REC-FIRST", record_sha256="c" * 64, canonical='{"r":1}'
        )
        assert store.summary(first.id).status is PreparationStatus.SEALED
