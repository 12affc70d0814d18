from datetime import date
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.eligibility import (
    EligibilityAnswers,
    check_eligibility,
    eligibility_thresholds,
    parse_inhibitor_bu,
    parse_titre,
)
from hemgenix_desktop.domain.errors import (
    ClinicalStop,
    DateOfBirthMismatch,
    IdentifierMismatch,
    InhibitorPositive,
    InvalidInput,
    NoAuthorization,
    PriorGeneTherapy,
    TitreOverLimit,
    UnderAge,
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


def answers(**changes: object) -> EligibilityAnswers:
    base: dict[str, object] = {
        "authorization_on_file": True,
        "prior_aav_gene_therapy": False,
        "inhibitor_bu": Decimal("0.2"),
        "titre_denominator": 400,
        "assay_points": 7,
    }
    base.update(changes)
    return EligibilityAnswers(**base)  # type: ignore[arg-type]


def test_eligible_patient_lists_what_was_confirmed() -> None:
    confirmed = check_eligibility(answers(), PATIENT.date_of_birth, ON)
    assert confirmed[1] == "Age 46 years (at least 18)."
    assert confirmed[4] == "Anti-AAV5 NAb titre 1:400 on the 7-point assay (limit 1:678)."


@pytest.mark.parametrize(
    ("change", "dob", "error", "message"),
    [
        (
            {"authorization_on_file": False},
            PATIENT.date_of_birth,
            NoAuthorization,
            "No prior authorization is on file for this one dose. Stop: Hemgenix is given once, only with an "
            "authorization for that dose.",
        ),
        (
            {},
            date(2008, 11, 29),
            UnderAge,
            "The patient is 17 years old on 2026-11-28; Hemgenix is for adults (18 or older). Stop: do not prepare.",
        ),
        (
            {"prior_aav_gene_therapy": True},
            PATIENT.date_of_birth,
            PriorGeneTherapy,
            "The patient has had AAV-vector gene therapy before. Stop: the policy does not allow Hemgenix after prior "
            "hemophilia gene therapy.",
        ),
        (
            {"inhibitor_bu": Decimal("0.6")},
            PATIENT.date_of_birth,
            InhibitorPositive,
            "The factor IX inhibitor result is 0.6 BU; it must be below 0.6 BU. Stop: re-test in about 2 weeks; if "
            "positive again, Hemgenix must not be given.",
        ),
        (
            {"titre_denominator": 679, "assay_points": 7},
            PATIENT.date_of_birth,
            TitreOverLimit,
            "The anti-AAV5 antibody titre 1:679 is above the limit of 1:678 for the 7-point assay. Stop: the patient "
            "does not meet the policy's criteria.",
        ),
        (
            {"titre_denominator": 899, "assay_points": 9},
            PATIENT.date_of_birth,
            TitreOverLimit,
            "The anti-AAV5 antibody titre 1:899 is above the limit of 1:898 for the 9-point assay. Stop: the patient "
            "does not meet the policy's criteria.",
        ),
    ],
)
def test_each_failed_rule_is_its_own_stop(
    change: dict[str, object], dob: date, error: type[ClinicalStop], message: str
) -> None:
    with pytest.raises(error) as caught:
        check_eligibility(answers(**change), dob, ON)
    assert caught.value.message == message


def test_titre_at_the_limit_passes_for_each_assay() -> None:
    check_eligibility(answers(titre_denominator=678, assay_points=7), PATIENT.date_of_birth, ON)
    check_eligibility(answers(titre_denominator=898, assay_points=9), PATIENT.date_of_birth, ON)
    check_eligibility(answers(inhibitor_bu=Decimal("0.59")), PATIENT.date_of_birth, ON)


def test_unanswered_criteria_are_never_assumed() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(prior_aav_gene_therapy=None, inhibitor_bu=None), PATIENT.date_of_birth, ON)
    assert caught.value.message == (
        "Answer every criterion: whether the patient had AAV gene therapy before; the factor IX inhibitor result."
    )


def test_thresholds_come_from_the_data_file() -> None:
    t = eligibility_thresholds()
    assert (t.minimum_age_years, t.inhibitor_negative_below_bu, t.titre_max_denominator) == (
        18,
        Decimal("0.6"),
        {7: 678, 9: 898},
    )


@pytest.mark.parametrize(("text", "value"), [("0.2", "0.2"), ("0.2 BU", "0.2"), ("<0.3", "0.3"), (".5", "0.5")])
def test_inhibitor_parsing(text: str, value: str) -> None:
    assert parse_inhibitor_bu(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the factor IX inhibitor result in Bethesda units, for example 0.2."),
        ("0,2", "The inhibitor result has a comma. Use a decimal point, for example 0.2."),
        ("neg", "“neg” is not an inhibitor result. Type the number of Bethesda units, for example 0.2."),
    ],
)
def test_inhibitor_rejections(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_inhibitor_bu(text)
    assert caught.value.message == message


@pytest.mark.parametrize(("text", "value"), [("1:678", 678), ("678", 678), (" 1 : 40 ", 40)])
def test_titre_parsing(text: str, value: int) -> None:
    assert parse_titre(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the anti-AAV5 antibody titre, for example 1:400."),
        ("1/678", "“1/678” is not a titre. Type it as 1:N, for example 1:400."),
        ("1:0", "A titre is 1:N with N at least 1. Check the laboratory report."),
    ],
)
def test_titre_rejections(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_titre(text)
    assert caught.value.message == message
