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
        "The patient-specific identifier typed from the carton, “hgx-psi-7731”, differs from the order's only in "
        "letter case. The identifier is compared exactly. Stop: do not prepare this kit until the pharmacist in charge "
        "has confirmed with the manufacturer which identifier is right."
    )


# The stop repeats what was typed from the carton, never the order's value it was compared with: shown, it could be
# typed back in to clear the stop (found using the wizard on a real display).
def test_an_identifier_mismatch_does_not_show_the_order_s_identifier() -> None:
    with pytest.raises(IdentifierMismatch) as caught:
        verify_identity(PATIENT, IdentityCheck("HGX-PSI-7781", date(1980, 3, 15)))
    assert caught.value.message == (
        "The patient-specific identifier typed from the carton, “HGX-PSI-7781”, does not match the order's. Stop: this "
        "kit may belong to another patient. Do not prepare it; call the pharmacist in charge, who compares the carton "
        "with the order."
    )
    assert PATIENT.patient_specific_id not in caught.value.message


def test_a_date_of_birth_mismatch_does_not_show_the_order_s_date() -> None:
    with pytest.raises(DateOfBirthMismatch) as caught:
        verify_identity(PATIENT, IdentityCheck("HGX-PSI-7731", date(1980, 5, 13)))
    assert caught.value.message == (
        "The date of birth typed from the carton, 1980-05-13, does not match the order's. Stop: do not prepare this "
        "kit; call the pharmacist in charge, who compares the carton with the order."
    )
    assert "1980-03-15" not in caught.value.message
