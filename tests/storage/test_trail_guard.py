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

from hemgenix_desktop.domain.errors import CartonAlreadyUsed, PatientAlreadyHasPreparation
from hemgenix_desktop.domain.patient import normalise_identifier
from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus, Role
from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.trail_guard import _keys
from tests.helpers.preparations import carton, fill_everything, new_prep, sealed_record
from tests.helpers.store import WORKSTATION, add_user, open_store_file
from tests.storage.test_amendments import seal

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
