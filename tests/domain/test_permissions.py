"""domain.permissions: who may do what, as one table (the module's docstring), and the void refusal's sentence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from hemgenix_desktop.domain import permissions
from hemgenix_desktop.domain.errors import OverrideNotPharmacist, SignerRefused, VerifierNotPharmacist
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import (
    Meaning,
    Signature,
    Signer,
    check_override_approver,
    check_verifier,
    sign_as_preparer,
)
from hemgenix_desktop.domain.vocabulary import PreparationStatus, Role

TECH, PHARM, OTHER = Role.TECHNICIAN.value, Role.PHARMACIST.value, "administrator"

# (what, rule, technician may, pharmacist may); any other role may nothing
TABLE: list[tuple[str, Callable[[str], bool], bool, bool]] = [
    ("prepare", permissions.may_prepare, True, True),
    ("correct", permissions.may_correct, True, True),
    ("verify", permissions.may_verify, False, True),
    ("approve an override", permissions.may_approve_override, False, True),
    ("administer", permissions.may_administer, False, True),
    ("void a draft", lambda role: permissions.may_void(role, PreparationStatus.DRAFT), True, True),
    ("void a signed one", lambda role: permissions.may_void(role, PreparationStatus.SIGNED), False, True),
    ("void a sealed one", lambda role: permissions.may_void(role, "sealed"), False, False),  # issue 21: never
]


@pytest.mark.parametrize(("what", "rule", "technician", "pharmacist"), TABLE, ids=[row[0] for row in TABLE])
def test_who_may_do_what(what: str, rule: Callable[[str], bool], technician: bool, pharmacist: bool) -> None:
    assert (rule(TECH), rule(PHARM), rule(OTHER)) == (technician, pharmacist, False), what
    assert (rule(Role.TECHNICIAN), rule(Role.PHARMACIST)) == (technician, pharmacist), what


@pytest.mark.parametrize("role", ["Pharmacist", " pharmacist", "", "PHARMACIST"])
def test_a_role_is_only_its_exact_stored_word(role: str) -> None:
    assert not permissions.may_verify(role)
    assert not permissions.may_prepare(role)


def test_the_void_refusal_names_the_preparation_and_whom_to_ask() -> None:
    assert permissions.void_refusal(PHARM, PreparationStatus.SIGNED, "abcd1234") is None
    assert permissions.void_refusal(PHARM, PreparationStatus.SEALED, "abcd1234") == (
        "Preparation abcd1234 is sealed: its dose was issued, so it can never be voided (the patient cannot have a "
        "second dose). To correct its record, select it in History and choose “Correct this record…”."
    )
    assert permissions.void_refusal(TECH, PreparationStatus.DRAFT, "abcd1234") is None
    assert permissions.void_refusal(TECH, PreparationStatus.SIGNED, "abcd1234") == (
        "Preparation abcd1234 is signed, so only a pharmacist may void it. Ask the pharmacist in charge."
    )
    assert permissions.void_refusal(OTHER, PreparationStatus.DRAFT, "abcd1234") == (
        "Preparation abcd1234 may be voided only by a technician or a pharmacist. Ask the pharmacist in charge."
    )


def test_the_signing_rules_ask_the_permissions() -> None:
    """domain.signing refuses a preparer, a verifier and an override approver by these rules, not its own."""
    at = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
    preparer = Signature(Meaning.PREPARED_BY, "tina", "Tina Tech", TECH, at, at, "UTC", "hood-1", "c" * 64)
    with pytest.raises(VerifierNotPharmacist):
        check_verifier(preparer, Signer("tom", "Tom Tech", TECH))
    check_verifier(preparer, Signer("phil", "Phil Pharma", PHARM))
    with pytest.raises(OverrideNotPharmacist):
        check_override_approver(Signer("tom", "Tom Tech", TECH), preparer)
    check_override_approver(Signer("phil", "Phil Pharma", PHARM), preparer)
    with pytest.raises(SignerRefused, match="which cannot sign preparations"):
        sign_as_preparer(
            Preparation(), Signer("ann", "Ann Admin", OTHER), workstation="hood-1", content_sha256="c" * 64
        )
