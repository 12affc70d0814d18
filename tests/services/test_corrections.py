"""Correcting a sealed record with no Qt: start, change, discard, sign and seal the amendment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from hemgenix_desktop.domain.amendment import InvalidCorrection
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AmendmentStatus, PreparationStatus
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.services.corrections import Correction, ReasonMissing, reason_problem
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.services.sealing import Amending
from hemgenix_desktop.services.signing import SigningProcess, SigningSession, Step, Stopped, read_blind_check
from tests.helpers.people import PASSWORDS
from tests.helpers.preparations import SIGNED_AT
from tests.services.bench import Bench, make_bench, workstation

LOT = "check.diluent_lot"
EXPIRY = "check.diluent_expiry"
REASON = "Saline lot misread at the hood; checked against the bag"
LATER = SIGNED_AT + timedelta(days=1)


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def sealed(bench: Bench) -> SealedRecord:
    process = bench.process(bench.started())
    process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    process.blind_check(read_blind_check("72", "kg", "15", "144"))
    return process.seal()


def correction(bench: Bench, prep_id: str) -> Correction:
    return Correction(bench.store, prep_id, workstation=bench.ws.workstation, checklist=bench.ws.checklist)


def typed(c: Correction, **changes: str) -> dict[str, str]:
    values = {field.key: c.start_value(field.key) for field in c.fields}
    values.update({key.replace("__", "."): value for key, value in changes.items()})
    return values


def test_only_a_sealed_preparation_can_be_corrected(bench: Bench) -> None:
    prep = bench.started()
    with pytest.raises(InvalidInput, match="is not sealed, so it has no record to correct"):
        correction(bench, prep.id)


def test_a_correction_is_saved_as_a_draft_amendment_and_the_record_does_not_change(bench: Bench) -> None:
    original = sealed(bench)
    prep_id = original.preparation().id
    c = correction(bench, prep_id)
    assert (c.record, c.draft, c.draft_signed) == (original, None, False)
    assert not c.is_changed(LOT, c.recorded(LOT))
    corrected, amending = c.save(REASON, typed(c, check__diluent_lot="NS-4477"), bench.user("ttech"), LATER)
    assert corrected.checks["diluent_lot"] == "NS-4477"
    assert (amending.number, amending.corrects) == (1, original)
    assert [change.field for change in amending.changes()] == [LOT]
    [draft] = bench.store.amendments(prep_id)
    assert (draft.status, draft.reason, draft.amends_record_id) == (AmendmentStatus.DRAFT, REASON, original.record_id)
    assert stored_record(bench.store, prep_id) == original  # still the record in force
    assert bench.store.summary(prep_id).status is PreparationStatus.SEALED


def test_each_bad_value_is_named_and_a_missing_reason_is_refused(bench: Bench) -> None:
    original = sealed(bench)
    c = correction(bench, original.preparation().id)
    assert c.check_one(EXPIRY, "31/03/2027") is not None
    assert c.check_one(EXPIRY, c.recorded(EXPIRY)) is None
    with pytest.raises(InvalidCorrection) as caught:
        c.save("", typed(c, check__diluent_expiry="31/03/2027"), bench.user("ttech"), LATER)
    assert set(caught.value.problems) == {EXPIRY}
    assert reason_problem("") is not None
    with pytest.raises(ReasonMissing):
        c.save(" ", typed(c, check__diluent_lot="NS-4477"), bench.user("ttech"), LATER)
    assert bench.store.amendments(original.preparation().id) == []


@pytest.mark.slow
def test_a_draft_correction_is_found_again_and_changed(bench: Bench) -> None:
    original = sealed(bench)
    prep_id = original.preparation().id
    first = correction(bench, prep_id)
    first.save(REASON, typed(first, check__diluent_lot="NS-4477"), bench.user("ttech"), LATER)
    again = correction(bench, prep_id)  # after a crash, a lock, another person
    assert again.draft is not None
    assert again.start_value(LOT) == "NS-4477"
    corrected, amending = again.save(
        REASON, typed(again, check__diluent_lot="NS-4478"), bench.user("ppharm"), LATER + timedelta(minutes=5)
    )
    assert corrected.checks["diluent_lot"] == "NS-4478"
    [draft] = bench.store.amendments(prep_id)
    assert draft.id == amending.amendment.id
    assert bench.store.load_amendment(draft.id).checks["diluent_lot"] == "NS-4478"


def test_continuing_an_unchanged_draft_keeps_the_signatures_given_on_it(bench: Bench) -> None:
    original = sealed(bench)
    prep_id = original.preparation().id
    c = correction(bench, prep_id)
    corrected, amending = c.save(REASON, typed(c, check__diluent_lot="NS-4477"), bench.user("ttech"), LATER)
    ws = workstation(bench.store, bench.tmp, now=LATER)
    SigningProcess(corrected, ws, SigningSession(bench.user("ttech")), amending).sign_as_preparer(
        "ttech", PASSWORDS["ttech"]
    )
    again = correction(bench, prep_id)
    assert again.draft_signed
    same, same_amending = again.save(REASON, typed(again), bench.user("ttech"), LATER + timedelta(hours=1))
    assert same_amending.amendment == amending.amendment
    resumed = SigningProcess(same, ws, SigningSession(bench.user("ttech")), same_amending)
    assert resumed.next_step() is Step.VERIFIER  # "Amended by" still holds


def test_a_draft_correction_is_discarded_with_a_reason(bench: Bench) -> None:
    original = sealed(bench)
    prep_id = original.preparation().id
    c = correction(bench, prep_id)
    assert not c.discard("nothing to discard", bench.user("ttech"))
    corrected, amending = c.save(REASON, typed(c, check__diluent_lot="NS-4477"), bench.user("ttech"), LATER)
    with pytest.raises(DomainError):
        c.discard("", bench.user("ttech"))
    assert c.discard("Typed on the wrong record", bench.user("ttech"))
    [voided] = bench.store.amendments(prep_id)
    assert voided.status is AmendmentStatus.VOIDED
    assert bench.store.open_amendment(prep_id) is None
    process = SigningProcess(corrected, bench.ws, SigningSession(bench.user("ttech")), amending)
    assert process.next_step() is Step.DISCARDED
    assert stored_record(bench.store, prep_id) == original


@pytest.mark.slow
def test_the_amendment_is_signed_verified_by_another_pharmacist_and_sealed(bench: Bench) -> None:
    original = sealed(bench)
    prep_id = original.preparation().id
    c = correction(bench, prep_id)
    corrected, amending = c.save(REASON, typed(c, check__diluent_lot="NS-4477"), bench.user("ppharm"), LATER)
    ws = workstation(bench.store, bench.tmp, now=LATER)
    process = SigningProcess(corrected, ws, SigningSession(bench.user("ppharm")), amending)
    assert process.next_step() is Step.PREPARER
    signature = process.sign_as_preparer("ppharm", PASSWORDS["ppharm"])
    assert signature.meaning is Meaning.AMENDED_BY
    with pytest.raises(Stopped, match="you made this correction"):
        process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    process.verifier_signs_in("qpharm", PASSWORDS["qpharm"])
    process.blind_check(read_blind_check("72", "kg", "15", "144"))
    assert process.next_step() is Step.SEAL
    amendment = process.seal()
    assert amendment.amends is not None
    assert (amendment.amends.record_id, amendment.amends.sha256) == (original.record_id, original.sha256)
    assert [s.meaning for s in amendment.signatures] == [Meaning.AMENDED_BY, Meaning.VERIFIED_BY]
    assert stored_record(bench.store, prep_id) == amendment  # the record in force now
    assert stored_record(bench.store, prep_id, amendment=0) == original  # the original never changes
    [kept] = bench.store.amendments(prep_id)
    assert (kept.status, kept.record_id) == (AmendmentStatus.SEALED, amendment.record_id)
    again = SigningProcess(corrected, ws, SigningSession(bench.user("ppharm")), amending)
    assert again.seal() == amendment  # sealing again finds it: not sealed twice
    assert [e.action for e in bench.store.audit_trail(prep_id)].count("record_sealed") == 2
    assert isinstance(amending, Amending)


def test_a_corrections_blind_check_stops_send_to_another_pharmacist_than_the_person_correcting(bench: Bench) -> None:
    """The two-failure stop on a correction spoke of "the preparer" and "a pharmacist who did not prepare it"."""
    original = sealed(bench)
    prep_id = original.preparation().id
    c = correction(bench, prep_id)
    corrected, amending = c.save(REASON, typed(c, check__diluent_lot="NS-4477"), bench.user("ppharm"), LATER)
    ws = workstation(bench.store, bench.tmp, now=LATER)
    process = SigningProcess(corrected, ws, SigningSession(bench.user("ppharm")), amending)
    process.sign_as_preparer("ppharm", PASSWORDS["ppharm"])
    process.verifier_signs_in("qpharm", PASSWORDS["qpharm"])
    with pytest.raises(Stopped) as first:
        process.blind_check(read_blind_check("72", "kg", "14", "144"))
    assert "another pharmacist who did not make this correction must do the blind check" in first.value.message
    with pytest.raises(Stopped) as second:
        process.blind_check(read_blind_check("72", "kg", "16", "144"))
    assert second.value.message.startswith(
        "Quinn Pharmacist, your blind check has not matched the corrected preparation twice. Stop: do not sign. "
        "Another pharmacist who did not make this correction must do the blind check, or the person who made it must "
        "look at the correction and the calculation again"
    )
    with pytest.raises(Stopped) as again:  # signing in again: the same stop, in the same words
        process.verifier_signs_in("qpharm", PASSWORDS["qpharm"])
    assert "did not make this correction" in again.value.message
    assert "preparer" not in first.value.message + second.value.message + again.value.message
