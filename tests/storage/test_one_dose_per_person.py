"""One dose per person in the database (issue 21), on SQLite and on PostgreSQL: an earlier preparation, not voided,
whose patient has the same MRN, or the same name and date of birth, under another identifier, stops the new one,
named, and the refusal is in the earlier preparation's trail; a pharmacist's finding that it is a different person
lets it go on; a voided one does not count. The second-dose sentence of a sealed preparation names its record."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from hemgenix_desktop.domain.errors import PatientAlreadyHasPreparation, SamePersonHasPreparation
from hemgenix_desktop.domain.guards import SAME_MRN, SAME_NAME_AND_BIRTH
from hemgenix_desktop.domain.patient import PersonOverride
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AuditAction, Role
from hemgenix_desktop.storage import Store, User
from hemgenix_desktop.storage.audit import canonical_json
from tests.helpers.preparations import fill_everything, new_prep
from tests.helpers.store import WORKSTATION, FakeClock, add_user, open_store_file
from tests.storage.test_store import _signature

PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def people_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh store on SQLite, or on PostgreSQL in a schema of its own (dropped afterwards)."""
    if request.param == "sqlite":
        with open_store_file(tmp_path / "hemgenix.sqlite3", clock=FakeClock()) as store:
            yield store
        return
    if not PG_URL:
        pytest.skip("HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one)")
    schema = f"hemgenix_person_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with Store.open(f"{PG_URL}?options=-csearch_path%3D{schema}", clock=FakeClock()) as store:
            yield store
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _people(store: Store) -> tuple[User, User]:
    return add_user(store, "tina", "Tina Tech"), add_user(store, "phil", "Phil Pharma", Role.PHARMACIST)


def _seal(store: Store, prep: Preparation, tech: User, pharmacist: User, record_id: str) -> None:
    store.start_preparation(prep, tech, WORKSTATION)
    store.add_signature(prep.id, _signature(tech, Meaning.PREPARED_BY))
    store.add_signature(prep.id, _signature(pharmacist, Meaning.VERIFIED_BY))
    canonical = canonical_json({"record_id": record_id, "content_sha256": "c" * 64})
    store.seal_preparation(
        prep,
        pharmacist,
        WORKSTATION,
        record_id=record_id,
        record_sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        canonical=canonical,
    )


def test_a_new_identifier_for_the_same_mrn_stops_naming_the_sealed_record(people_store: Store) -> None:
    tech, pharmacist = _people(people_store)
    first = fill_everything(new_prep("PSI-0001", "John Smith", "MRN-77"), serial="SER-1")
    _seal(people_store, first, tech, pharmacist, "HGX-20260506-AAAA0001")
    again = new_prep("PSI-REISSUED", "Jonathan Smith", " mrn 77 ")  # a reship: new identifier, same MRN
    with pytest.raises(SamePersonHasPreparation) as stop:
        people_store.start_preparation(again, tech, WORKSTATION)
    assert stop.value.existing_id == first.id
    assert stop.value.match == SAME_MRN
    assert "they received Hemgenix for infusion on 2026-05-06 (record HGX-20260506-AAAA0001)" in stop.value.message
    assert people_store.search(patient="Jonathan") == []  # nothing of it was saved
    refused = [e for e in people_store.audit_trail(first.id) if e.action == AuditAction.SAME_PERSON_REFUSED]
    assert len(refused) == 1
    assert refused[0].after == {"refused_preparation_id": again.id, "match": SAME_MRN}


def test_the_same_name_and_date_of_birth_stop_an_open_preparation_too(people_store: Store) -> None:
    tech, _ = _people(people_store)
    first = new_prep("PSI-A", "Smith, John", "MRN-1")
    people_store.start_preparation(first, tech, WORKSTATION)
    born = first.order.patient.date_of_birth if first.order is not None else date(1980, 1, 1)
    second = new_prep("PSI-B", "JOHN  SMITH", "MRN-2")
    assert second.order is not None
    second.order.patient = type(second.order.patient)("JOHN  SMITH", born, "MRN-2", "PSI-B")
    with pytest.raises(SamePersonHasPreparation) as stop:
        people_store.start_preparation(second, tech, WORKSTATION)
    assert stop.value.match == SAME_NAME_AND_BIRTH
    assert stop.value.message.endswith(
        "if it is the same person, do not prepare a second dose: resume or void that preparation, or call the "
        "pharmacist in charge. Only when the earlier patient is shown to be a different person may a pharmacist "
        "other than the preparer approve going on, with the reason."
    )
    # a pharmacist's finding that the earlier patient is another person lets it go on, and it is kept with it
    second.person_overrides[first.id] = PersonOverride(
        first.id,
        first.id[:8],
        SAME_NAME_AND_BIRTH,
        "phil",
        "Phil Pharma",
        "pharmacist",
        "Photo IDs compared.",
        datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
    )
    people_store.start_preparation(second, tech, WORKSTATION)
    assert people_store.load(second.id).person_overrides == second.person_overrides


def test_a_changed_mrn_on_a_saved_draft_is_checked_too_and_a_voided_one_does_not_count(people_store: Store) -> None:
    tech, pharmacist = _people(people_store)
    first = new_prep("PSI-A", "Ann Able", "MRN-100")
    people_store.start_preparation(first, tech, WORKSTATION)
    second = new_prep("PSI-B", "Bob Baker", "MRN-200")
    people_store.start_preparation(second, tech, WORKSTATION)
    assert second.order is not None
    patient = second.order.patient
    second.order.patient = type(patient)(patient.full_name, patient.date_of_birth, "MRN-100", "PSI-B")
    with pytest.raises(SamePersonHasPreparation):
        people_store.save_draft(second, "eligibility", tech, WORKSTATION)
    people_store.void(first.id, "Entered twice by mistake.", pharmacist, WORKSTATION)
    people_store.save_draft(second, "eligibility", tech, WORKSTATION)  # a voided preparation holds no one


def test_the_same_identifier_still_meets_the_identifier_guard_with_the_sealed_sentence(people_store: Store) -> None:
    tech, pharmacist = _people(people_store)
    first = fill_everything(new_prep("PSI-0001"), serial="SER-1")
    _seal(people_store, first, tech, pharmacist, "HGX-20260506-AAAA0002")
    with pytest.raises(PatientAlreadyHasPreparation) as stop:
        people_store.start_preparation(new_prep(" psi-0001 "), tech, WORKSTATION)
    assert stop.value.message.startswith(
        "This patient received Hemgenix: a dose was prepared for infusion on 2026-05-06 (record "
        "HGX-20260506-AAAA0002, for John Smith, identifier “PSI-0001”). Hemgenix is given only once: no second "
        "dose is possible."
    )


def test_a_save_that_keeps_the_patient_is_not_stopped_by_a_later_preparation_found_to_be_another_person(
    people_store: Store,
) -> None:
    """The rule is asked when who the patient is changes (start, or a changed name, date of birth, MRN or identifier).
    A later preparation of a matching patient let go on by a pharmacist's finding does not stop the earlier one's
    next page (it is the same finding), while a change of the earlier one's patient is asked again."""
    tech, _ = _people(people_store)
    first = new_prep("PSI-A", "Ann Able", "MRN-100")
    people_store.start_preparation(first, tech, WORKSTATION)
    second = new_prep("PSI-B", "Bob Baker", "MRN-100")
    second.person_overrides[first.id] = PersonOverride(
        first.id,
        first.id[:8],
        SAME_MRN,
        "phil",
        "Phil Pharma",
        "pharmacist",
        "Two patients share a scanned MRN label: wristbands compared.",
        datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
    )
    people_store.start_preparation(second, tech, WORKSTATION)
    first.weight_method = "Standing scale"
    people_store.save_draft(first, "eligibility", tech, WORKSTATION)  # the same patient: not asked again
    assert first.order is not None
    patient = first.order.patient
    first.order.patient = type(patient)("Ann  Able", patient.date_of_birth, "MRN 100", "PSI-A")
    with pytest.raises(SamePersonHasPreparation) as stop:  # a changed patient is asked again
        people_store.save_draft(first, "identity", tech, WORKSTATION)
    assert stop.value.existing_id == second.id
