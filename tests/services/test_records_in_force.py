"""The record in force of a sealed preparation, every record of it named, and what a pharmacist may type to name
one (services/records.py), on a real SQLite database holding real sealed records; no Qt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.services.records import (
    WHAT_TO_TYPE,
    find_preparation,
    record_history,
    record_in_force,
    sealed_records,
    stored_record,
)
from hemgenix_desktop.storage import Store
from tests.cli.sealed_store import PREP_ID, SHORT_ID, Sealed, correct, draft_preparation, people, sealed_store, url_of
from tests.helpers import preparations as factory

SECOND_FIX = {"check.diluent_lot": "NS24K115"}
SECOND_REASON = "The second bag's lot was read from the wrong bag; it is NS24K115."


@pytest.fixture
def sealed(tmp_path: Path) -> Iterator[Sealed]:
    made = sealed_store(tmp_path / "records.sqlite3")
    yield made
    made.store.close()


def test_the_original_record_is_in_force_until_it_is_corrected(sealed: Sealed) -> None:
    store = sealed.store
    assert record_in_force(store, PREP_ID, "reprint", "reprinted") == sealed.original
    assert stored_record(store, PREP_ID) == sealed.original
    amended = correct(sealed)
    assert record_in_force(store, PREP_ID, "reprint", "reprinted") == amended
    assert stored_record(store, PREP_ID, amendment=0) == sealed.original
    assert stored_record(store, PREP_ID, amendment=1) == amended
    assert stored_record(store, PREP_ID, sealed.original.data["content_sha256"]) == sealed.original
    assert stored_record(store, PREP_ID, "0" * 64) is None


def test_every_record_is_named_and_the_newest_amendment_is_in_force(sealed: Sealed) -> None:
    first = correct(sealed)
    second = correct(sealed, SECOND_FIX, SECOND_REASON)
    assert sealed_records(sealed.store, PREP_ID) == [sealed.original, first, second]
    history = record_history(sealed.store, PREP_ID)
    assert [(r.name, r.record, r.in_force) for r in history.records] == [
        ("Original record", sealed.original, False),
        ("Amendment 1", first, False),
        ("Amendment 2", second, True),
    ]
    assert history.in_force.record == second
    assert history.preparation.id == PREP_ID
    assert history.correcting is None
    original, one, two = history.records
    assert (original.reason, original.corrects, original.changes) == ("", "", ())
    assert (one.reason, one.corrects) == (factory.AMENDMENT_REASON, sealed.original.record_id)
    assert (two.reason, two.corrects) == (SECOND_REASON, first.record_id)
    assert one.changes == ("0.9% sodium chloride lot number: “NS24K113” → “NS24K114”",)
    assert two.changes == ("0.9% sodium chloride lot number: “NS24K114” → “NS24K115”",)
    assert original.first_signature is not None
    assert (original.first_signature.meaning.value, original.first_signature.username) == ("Prepared by", "ttech")
    assert one.first_signature is not None
    assert (one.first_signature.meaning.value, one.first_signature.username) == ("Amended by", "ppharm")
    assert history.named(first.record_id.lower()) == one
    assert history.named("HGX-19990101-00000000") is None


def test_a_correction_being_made_is_named_but_not_in_force(sealed: Sealed) -> None:
    amended = factory.amendment(sealed.original)
    draft = sealed.store.start_amendment(
        amended.prep,
        reason=factory.AMENDMENT_REASON,
        changes=[change.to_dict() for change in amended.changes],
        amends_record_id=sealed.original.record_id,
        amends_sha256=sealed.original.sha256,
        user=sealed.people.pharmacist,
        workstation=factory.WORKSTATION,
    )
    history = record_history(sealed.store, PREP_ID)
    assert history.in_force.record == sealed.original
    assert history.correcting is not None
    assert (history.correcting.id, history.correcting.number) == (draft.id, 1)


@pytest.mark.slow
def test_a_preparation_not_sealed_has_no_record_in_force(sealed: Sealed) -> None:
    draft = draft_preparation(sealed.store, sealed.people.tech)
    for call in (
        lambda: record_in_force(sealed.store, draft, "reprint", "reprinted"),
        lambda: record_history(sealed.store, draft),
    ):
        with pytest.raises(InvalidInput) as caught:
            call()
        verb = "reprint" if "reprint" in caught.value.message else "show"
        assert caught.value.message == (
            f"Preparation {draft[:8]} is not sealed, so it has no record to {verb}. Finish its signatures first."
        )
    assert stored_record(sealed.store, draft) is None


def test_a_sealed_preparation_whose_record_is_missing_says_so(tmp_path: Path) -> None:
    """Sealed without its record kept (``canonical=None`` is the Store's "kept already"): the sentence, not a
    crash."""
    with Store.open(url_of(tmp_path / "bare.sqlite3")) as store:
        who = people(store)
        signed = factory.signed()
        store.start_preparation(signed.prep, who.tech, factory.WORKSTATION)
        for signature in signed.signatures:
            store.add_signature(signed.prep.id, signature)
        store.seal_preparation(
            signed.prep,
            who.pharmacist,
            factory.WORKSTATION,
            record_id="HGX-20261201-3F9A1C2B",
            record_sha256="a" * 64,
            canonical=None,
        )
        with pytest.raises(InvalidInput) as caught:
            record_in_force(store, PREP_ID, "correct", "corrected")
    assert caught.value.message == (
        "The sealed record of preparation 3f9a1c2b is not in the database, so it cannot be corrected. Call the "
        "pharmacist in charge."
    )


def test_a_record_is_found_by_its_record_id_or_its_preparation_s_id(sealed: Sealed) -> None:
    amended = correct(sealed)
    store = sealed.store
    for typed in (
        sealed.original.record_id,
        sealed.original.record_id.lower(),
        f"  {amended.record_id} ",
        PREP_ID,
        SHORT_ID,
        SHORT_ID.upper(),
    ):
        assert find_preparation(store, typed) == PREP_ID, typed


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("", f"No record was named. {WHAT_TO_TYPE}"),
        (
            "3f9a",
            f"“3f9a” is too short to name a preparation. Give at least the first 8 characters of its id. {WHAT_TO_TYPE}",
        ),
        (
            "HGX-20261201-DEADBEEF",
            f"No sealed record has the ID “HGX-20261201-DEADBEEF” in this database. {WHAT_TO_TYPE}",
        ),
        (  # the right preparation's digits, the wrong date: no such record
            "HGX-19991231-3F9A1C2B",
            f"No sealed record has the ID “HGX-19991231-3F9A1C2B” in this database. {WHAT_TO_TYPE}",
        ),
        (
            "aaaaaaaa",
            "There is no preparation “aaaaaaaa”. Check its id in the History window or with “hemgenix-prep audit "
            f"show”. {WHAT_TO_TYPE}",
        ),
    ],
)
def test_an_unknown_record_says_what_to_type(sealed: Sealed, typed: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        find_preparation(sealed.store, typed)
    assert caught.value.message == sentence


@pytest.mark.slow
def test_two_preparations_starting_alike_ask_for_more_of_the_id(sealed: Sealed) -> None:
    twin = draft_preparation(sealed.store, sealed.people.tech, prep_id=SHORT_ID + "-ffff-4fff-8fff-ffffffffffff")
    with pytest.raises(InvalidInput) as caught:
        find_preparation(sealed.store, SHORT_ID)
    assert (
        caught.value.message
        == f"More than one preparation starts with “{SHORT_ID}”. Give more of the id. {WHAT_TO_TYPE}"
    )
    assert find_preparation(sealed.store, twin[:9] + "f") == twin
    assert find_preparation(sealed.store, sealed.original.record_id) == PREP_ID
