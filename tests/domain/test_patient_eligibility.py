from datetime import date

import pytest

from hemgenix_desktop.domain.errors import (
    DateOfBirthMismatch,
    IdentifierMismatch,
)
from hemgenix_desktop.domain.patient import IdentityCheck, Patient, age_on, identifiers_match, verify_identity

PATIENT = Patient("Alex Example", date(1980, 3, 15), "MRN-0001", "HGX-PSI-7731")
ON = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        ("HGX-PSI-7731", "HGX-PSI-7731", True),
        ("  HGX-PSI-7731 ", "HGX-PSI-7731", True),
        ("hgx-psi-7731", "HGX-PSI-7731", False),  # issue 21: a case-only difference is a difference
        ("HGX-PSI-7731", "HGX PSI 7731", False),
        ("HGX-PSI-7731", "HGX-PSI-7781", False),
        ("HGX-PSI-7731", "HGXPSI7731", False),
    ],
)
def test_identifier_comparison_trims_and_nothing_else(a: str, b: str, match: bool) -> None:
    assert identifiers_match(a, b) is match


def test_age_in_whole_years() -> None:
    assert age_on(date(2008, 11, 29), date(2026, 11, 28)) == 17
    assert age_on(date(2008, 11, 28), date(2026, 11, 28)) == 18
    assert age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18


def test_identity_verified() -> None:
    verify_identity(PATIENT, IdentityCheck(" HGX-PSI-7731 ", date(1980, 3, 15)))


def test_an_identifier_differing_only_in_letter_case_stops_and_says_so() -> None:
    with pytest.raises(IdentifierMismatch) as caught:
        verify_identity(PATIENT, IdentityCheck("hgx-psi-7731", date(1980, 3, 15)))
    assert caught.value.message == (
        "The patient-specific identifier on the carton differs from the order only in letter case: carton "
        "“hgx-psi-7731”, order “HGX-PSI-7731”. The identifier is compared exactly. Stop: do not prepare this kit "
        "until the pharmacist in charge has confirmed with the manufacturer which identifier is right."
    )


def test_identifier_mismatch_shows_both() -> None:
    with pytest.raises(IdentifierMismatch) as caught:
        verify_identity(PATIENT, IdentityCheck("HGX-PSI-7781", date(1980, 3, 15)))
    assert caught.value.message == (
        "The patient-specific identifier on the carton does not match the order: carton “HGX-PSI-7781”, order "
        "“HGX-PSI-7731”. Stop: this kit may belong to another patient. Do not prepare it; call the pharmacist in "
        "charge."
    )


def test_date_of_birth_mismatch_shows_both() -> None:
    with pytest.raises(DateOfBirthMismatch) as caught:
        verify_identity(PATIENT, IdentityCheck("HGX-PSI-7731", date(1980, 5, 13)))
    assert "carton 1980-05-13, order 1980-03-15" in caught.value.message
