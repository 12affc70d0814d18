"""The signing process with no Qt: preparer, overrides, the verifier with the blind check, and their refusals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.domain.vocabulary import AuditAction, Role
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.services.signing import (
    BlindEntryInvalid,
    NotThePersonSignedIn,
    PagesNotAttributed,
    SigningProcess,
    SigningSession,
    Step,
    Stopped,
    read_blind_check,
)
from tests.helpers.people import PASSWORDS, employee_number
from tests.helpers.preparations import WORKSTATION, complete_preparation
from tests.helpers.store import OPERATOR, cheap_passwords
from tests.services.bench import Bench, make_bench


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def right_figures() -> object:
    return read_blind_check("72", "kg", "15", "144")


def signed_by_preparer(bench: Bench, weight: str = "72") -> SigningProcess:
    process = bench.process(bench.started(complete_preparation(weight)))
    process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    return process


# --- the preparer -----------------------------------------------------------------------------------------
def test_the_process_starts_with_the_preparer_and_the_preparer_signs(bench: Bench) -> None:
    process = bench.process(bench.started())
    assert process.next_step() is Step.PREPARER
    signature = process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    assert (signature.meaning, signature.username) == (Meaning.PREPARED_BY, "ttech")
    assert process.next_step() is Step.VERIFIER  # no override for 72 kg
    assert [s.meaning for s in bench.store.signatures(process.prep.id)] == [Meaning.PREPARED_BY]
    assert process.session.signatures_given == 1
    assert not process.session.needs_user_id()  # later signatures of the session take the password only


def test_a_wrong_password_does_not_sign(bench: Bench) -> None:
    process = bench.process(bench.started())
    with pytest.raises(DomainError):
        process.sign_as_preparer("ttech", "not the password")
    assert bench.store.signatures(process.prep.id) == []
    assert process.next_step() is Step.PREPARER


def test_the_preparer_signs_as_the_person_signed_in(bench: Bench) -> None:
    process = bench.process(bench.started())
    with pytest.raises(NotThePersonSignedIn):
        process.sign_as_preparer("terry", PASSWORDS["terry"])
    assert bench.store.signatures(process.prep.id) == []


def test_a_preparation_without_attributions_cannot_be_signed(bench: Bench) -> None:
    prep = complete_preparation()
    bench.store.start_preparation(prep, bench.user("ttech"), bench.ws.workstation)
    process = bench.process(prep)
    with pytest.raises(PagesNotAttributed) as caught:
        process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    assert caught.value.missing
    assert bench.store.signatures(prep.id) == []


def test_after_a_break_in_the_session_the_username_is_needed(bench: Bench) -> None:
    session = SigningSession(bench.user("ttech"), continuous=False, signatures_given=1)
    assert session.needs_user_id()
    assert not SigningSession(bench.user("ttech"), signatures_given=1).needs_user_id()


# --- the verifier --------------------------------------------------------------------------------------------
def test_the_preparer_cannot_also_verify_and_the_refusal_is_audited(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    with pytest.raises(Stopped, match="you signed this preparation as the preparer"):
        process.verifier_signs_in("ttech", PASSWORDS["ttech"])
    assert process.verifier is None
    assert (AuditAction.SIGNATURE_REFUSED, "ttech") in bench.actions(process.prep.id)
    assert process.next_step() is Step.VERIFIER


def test_a_technician_cannot_verify_and_the_refusal_is_audited(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    with pytest.raises(Stopped, match="only a pharmacist may verify"):
        process.verifier_signs_in("terry", PASSWORDS["terry"])
    event = next(e for e in bench.store.audit_trail(process.prep.id) if e.action == AuditAction.SIGNATURE_REFUSED)
    assert event.after == {"meaning": "Verified by", "username": "terry", "role": "technician"}


def test_the_verifier_signs_in_then_passes_the_blind_check(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    assert process.next_step() is Step.BLIND
    signature = process.blind_check(read_blind_check("72", "kg", "15", "144"))
    assert (signature.meaning, signature.username) == (Meaning.VERIFIED_BY, "ppharm")
    assert process.verifier is None
    assert process.next_step() is Step.SEAL


def test_the_blind_check_waits_for_the_verifier(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    with pytest.raises(DomainError):
        process.blind_check(read_blind_check("72", "kg", "15", "144"))
    assert not any(s.meaning is Meaning.VERIFIED_BY for s in bench.store.signatures(process.prep.id))


@pytest.mark.slow
def test_a_blind_check_mismatch_stops_and_is_audited(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    with pytest.raises(Stopped) as caught:
        process.blind_check(read_blind_check("72", "kg", "14", "144"))
    assert "your figures do not all agree" in caught.value.message
    assert "15" not in caught.value.message  # the preparation's figure is never shown to the verifier (issue 21)
    event = next(e for e in bench.store.audit_trail(process.prep.id) if e.action == AuditAction.BLIND_CHECK_MISMATCH)
    assert event.username == "ppharm"
    assert event.after["differences"] == [{"what": "vials", "verifier": "14 vials", "preparation": "15 vials"}]
    assert process.next_step() is Step.BLIND  # the verifier is still signed in; nothing was signed
    assert not any(s.meaning is Meaning.VERIFIED_BY for s in bench.store.signatures(process.prep.id))


def test_a_second_mismatch_stops_that_verifier_and_another_pharmacist_must_do_the_blind_check(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    with pytest.raises(Stopped, match="your figures do not all agree"):
        process.blind_check(read_blind_check("72", "kg", "14", "144"))
    assert process.next_step() is Step.BLIND  # one more try
    with pytest.raises(Stopped) as second:
        process.blind_check(read_blind_check("72", "kg", "16", "144"))
    assert second.value.message.startswith("Pat Pharmacist, your blind check has not matched the preparation twice.")
    assert "15" not in second.value.message
    assert process.next_step() is Step.VERIFIER  # signed out of the blind check
    with pytest.raises(Stopped, match="has not matched the preparation twice"):  # even after signing in again
        process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    assert bench.actions(process.prep.id).count((AuditAction.BLIND_CHECK_MISMATCH, "ppharm")) == 2
    assert (AuditAction.SIGNATURE_REFUSED, "ppharm") in bench.actions(process.prep.id)
    again = bench.process(process.prep)  # a restart counts the same, from the audit trail
    assert again.blind_mismatches("ppharm") == 2
    process.verifier_signs_in("qpharm", PASSWORDS["qpharm"])
    signature = process.blind_check(read_blind_check("72", "kg", "15", "144"))
    assert (signature.meaning, signature.username) == (Meaning.VERIFIED_BY, "qpharm")


def test_a_second_account_of_the_same_person_gets_no_fresh_blind_check_tries(bench: Bench) -> None:
    """Issue 14: the tries are counted by person (the employee number), not by username."""
    process = signed_by_preparer(bench)
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    for vials in ("14", "16"):
        with pytest.raises(Stopped):
            process.blind_check(read_blind_check("72", "kg", vials, "144"))
    # the person's number moves to a second account of theirs (the first is renumbered): the same person
    bench.store.users.set_employee_number("ppharm", "E-RENUMBERED", OPERATOR, WORKSTATION)
    admin = UserAdmin(bench.store, passwords=cheap_passwords())
    admin.add(
        "ppharm2",
        "Pat Pharmacist",
        Role.PHARMACIST,
        "pat's second account",
        OPERATOR,
        WORKSTATION,
        employee_number=employee_number("ppharm"),
    )
    assert process.blind_mismatches("ppharm2") == 2
    with pytest.raises(Stopped, match="has not matched the preparation twice"):
        process.verifier_signs_in("ppharm2", "pat's second account")
    assert process.blind_mismatches("qpharm") == 0  # another person keeps their tries
    process.verifier_signs_in("qpharm", PASSWORDS["qpharm"])


def test_another_verifier_starts_the_sign_in_again(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    process.another_verifier()
    assert process.next_step() is Step.VERIFIER


def test_a_new_session_asks_the_verifier_to_sign_in_again(bench: Bench) -> None:
    process = signed_by_preparer(bench)
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    process.set_session(SigningSession(bench.user("ttech"), continuous=False))
    assert process.next_step() is Step.VERIFIER


def test_the_blind_figures_are_read_each_with_its_sentence() -> None:
    with pytest.raises(BlindEntryInvalid) as caught:
        read_blind_check("", "kg", "many", "a lot")
    assert set(caught.value.problems) == {"weight", "vials", "dose"}
    entry = read_blind_check("158.7", "lb", "15", "144")
    assert (entry.vials, entry.dose_ml) == (15, Decimal("144"))


# --- overrides --------------------------------------------------------------------------------------------
def test_an_override_needs_a_pharmacist_and_a_reason(bench: Bench) -> None:
    process = signed_by_preparer(bench, "44")
    assert process.next_step() is Step.OVERRIDE
    assert process.override_progress() == (1, 1)
    subject = process.pending_overrides()[0]
    assert subject.startswith("The weight 44 kg is below the policy's kit table")
    with pytest.raises(DomainError, match="Enter the reason for the override"):
        process.approve_override(subject, "", "ppharm", PASSWORDS["ppharm"])
    with pytest.raises(Stopped, match="only a pharmacist may approve an override"):
        process.approve_override(subject, "Weighed twice.", "terry", PASSWORDS["terry"])
    assert (AuditAction.SIGNATURE_REFUSED, "terry") in bench.actions(process.prep.id)
    assert process.next_step() is Step.OVERRIDE
    signature = process.approve_override(subject, "Weighed twice.", "ppharm", PASSWORDS["ppharm"])
    assert (signature.meaning, signature.reason) == (Meaning.OVERRIDE_APPROVED, "Weighed twice.")
    assert process.next_step() is Step.VERIFIER


def test_the_pharmacist_who_prepared_cannot_approve_the_override_and_the_refusal_is_audited(bench: Bench) -> None:
    process = bench.process(bench.started(complete_preparation("44"), by="ppharm"), by="ppharm")
    process.sign_as_preparer("ppharm", PASSWORDS["ppharm"])
    subject = process.pending_overrides()[0]
    with pytest.raises(Stopped, match="you prepared this dose, so you cannot also approve its override"):
        process.approve_override(subject, "Weighed twice.", "ppharm", PASSWORDS["ppharm"])
    assert (AuditAction.SIGNATURE_REFUSED, "ppharm") in bench.actions(process.prep.id)
    assert [s.meaning for s in bench.store.signatures(process.prep.id)] == [Meaning.PREPARED_BY]
    assert process.next_step() is Step.OVERRIDE
    signature = process.approve_override(subject, "Weighed twice.", "qpharm", PASSWORDS["qpharm"])
    assert (signature.meaning, signature.username) == (Meaning.OVERRIDE_APPROVED, "qpharm")
    assert process.next_step() is Step.VERIFIER


def test_a_technician_cannot_approve_an_override(bench: Bench) -> None:
    process = signed_by_preparer(bench, "44")
    with pytest.raises(Stopped):
        process.approve_override(process.pending_overrides()[0], "Weighed twice.", "ttech", PASSWORDS["ttech"])
    assert [s.meaning for s in bench.store.signatures(process.prep.id)] == [Meaning.PREPARED_BY]
