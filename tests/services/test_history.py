"""The History window's questions, with no Qt: a search checks its days first; the trail is oldest first."""

from __future__ import annotations

from datetime import date

import pytest

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import AuditAction, PreparationStatus
from hemgenix_desktop.services.drafting import ResumeIn, resume
from hemgenix_desktop.services.history import Search, find, trail
from hemgenix_desktop.storage import Store, User
from tests.helpers.preparations import new_prep
from tests.helpers.store import WORKSTATION


def test_a_first_day_after_the_last_is_refused_before_the_database_is_asked(store: Store) -> None:
    with pytest.raises(InvalidInput) as caught:
        find(store, Search(first_day=date(2026, 5, 6), last_day=date(2026, 5, 4)), local_zone=None, limit=10)
    assert (
        caught.value.message
        == "The first day (2026-05-06) is after the last day (2026-05-04). Swap them or correct one."
    )


def test_a_search_finds_by_patient_and_status_and_the_trail_is_oldest_first(store: Store, tech: User) -> None:
    prep = new_prep(name="John Smith")
    store.start_preparation(prep, tech, WORKSTATION)
    other = new_prep(identifier="PSI-0002", name="Ann Other", mrn="MRN-88")
    store.start_preparation(other, tech, WORKSTATION)
    found = find(store, Search(patient="smi jo", status=PreparationStatus.DRAFT), local_zone=None, limit=10)
    assert [s.id for s in found] == [prep.id]
    assert find(store, Search(status=PreparationStatus.SEALED), local_zone=None, limit=10) == []
    events = trail(store, prep.id)
    assert events[0].action == AuditAction.PREPARATION_STARTED
    assert [e.seq for e in events] == sorted(e.seq for e in events)


def test_resume_opens_a_draft_in_the_wizard_with_its_values(store: Store, tech: User) -> None:
    prep = new_prep()
    store.start_preparation(prep, tech, WORKSTATION)
    where, summary, loaded = resume(store, prep.id)
    assert (where, summary.id) == (ResumeIn.WIZARD, prep.id)
    assert loaded is not None
    assert loaded.to_dict() == store.load(prep.id).to_dict()
    store.void(prep.id, "Entered twice.", tech, WORKSTATION)
    assert resume(store, prep.id)[0] is ResumeIn.NOWHERE
    assert resume(store, prep.id)[2] is None
