"""One person, whatever their accounts (issue 14): the independence rules compare persons by their employee (or
licence) number, not usernames."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hemgenix_desktop.domain.errors import SameSignerRefused
from hemgenix_desktop.domain.signing import (
    Meaning,
    Signature,
    Signer,
    check_override_approver,
    check_verifier,
    same_signer,
)

ALICE = Signer("alice", "Alice Pharm", "pharmacist", "E1")
ALICE2 = Signer("alice2", "Alice Pharm", "pharmacist", "E1")  # a second account of the same person
BOB = Signer("bob", "Bob Pharm", "pharmacist", "E2")


def _prepared_by(signer: Signer) -> Signature:
    at = datetime(2026, 5, 4, 9, 15, tzinfo=UTC)
    return Signature(
        Meaning.PREPARED_BY,
        signer.username,
        signer.printed_name,
        signer.role,
        at,
        at,
        "UTC",
        "hood-1",
        "c" * 64,
        person=signer.person,
    )


def test_two_accounts_of_one_person_are_one_signer() -> None:
    assert same_signer(ALICE, ALICE2)
    assert not same_signer(ALICE, BOB)
    assert same_signer(Signer("alice", "A", "pharmacist"), Signer("ALICE ", "A", "pharmacist"))  # usernames too
    assert not same_signer(Signer("x", "X", "pharmacist"), Signer("y", "Y", "pharmacist"))  # no number: usernames


def test_the_same_person_cannot_verify_under_another_account() -> None:
    with pytest.raises(SameSignerRefused, match="you signed this preparation as the preparer"):
        check_verifier(_prepared_by(ALICE), ALICE2)
    check_verifier(_prepared_by(ALICE), BOB)


def test_the_same_person_cannot_approve_their_own_override_under_another_account() -> None:
    with pytest.raises(SameSignerRefused, match="you prepared this dose, so you cannot also approve its override"):
        check_override_approver(ALICE2, _prepared_by(ALICE))
    check_override_approver(BOB, _prepared_by(ALICE))


def test_the_person_is_kept_in_a_new_record_and_absent_from_an_old_one() -> None:
    signature = _prepared_by(ALICE)
    assert signature.to_dict()["person"] == "E1"
    assert Signature.from_dict(signature.to_dict()) == signature
    old = {k: v for k, v in signature.to_dict().items() if k != "person"}  # sealed before numbers were kept
    assert "person" not in Signature.from_dict(old).to_dict()
