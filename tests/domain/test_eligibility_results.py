"""Eligibility decided by every value a report allows: each qualifier and word at, below and above each threshold
on both assays; the sentences name the result as reported; the inhibitor's re-test path; the results' dates; the
site's age limit; the thresholds from the data file; a preparation kept before results were recorded as reported."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from hemgenix_desktop.domain.eligibility import (
    EligibilityAnswers,
    Verdict,
    check_eligibility,
    check_results_recent,
    eligibility_thresholds,
    inhibitor_verdict,
    positive_first_result,
    reading,
    titre_verdict,
)
from hemgenix_desktop.domain.errors import (
    ClinicalStop,
    InhibitorPositive,
    InvalidInput,
    NoAuthorization,
    PriorGeneTherapy,
    ResultTooOld,
    ResultUndetermined,
    TitreOverLimit,
    UnderAge,
)
from hemgenix_desktop.domain.lab_result import Analyte, LabResult, lab_result
from hemgenix_desktop.domain.preparation import Preparation

BORN = date(1980, 3, 15)
ON = date(2026, 11, 28)  # the infusion date
IN, OUT, UND = Verdict.WITHIN, Verdict.OVER, Verdict.UNDETERMINED


def inhibitor(reported: str, limit: str = "", on: str = "2026-11-10", lab: str = "Central Lab") -> LabResult:
    return lab_result(Analyte.INHIBITOR, reported, on, lab, limit)


def titre(reported: str, points: int = 7, limit: str = "", on: str = "2026-11-10") -> LabResult:
    return lab_result(Analyte.NAB_TITRE, reported, on, "Central Lab", limit, points)


def answers(**changes: Any) -> EligibilityAnswers:
    base: dict[str, Any] = {
        "authorization_on_file": True,
        "prior_aav_gene_therapy": False,
        "inhibitor": inhibitor("<0.3"),
        "titre": titre("1:400"),
    }
    base.update(changes)
    return EligibilityAnswers(**base)


# --- the table: every qualifier and word at, below and above each threshold ----------------------------------
# The inhibitor is negative below 0.6 BU: the limit itself is positive.
INHIBITOR_TABLE = [
    # (reported, detection limit) → below 0.6, at 0.6, above 0.6 (the number in the report: 0.5, 0.6, 0.7)
    ("{}", "", (IN, OUT, OUT)),
    ("={} BU", "", (IN, OUT, OUT)),
    ("<{}", "", (IN, IN, UND)),
    ("≤{}", "", (IN, UND, UND)),
    (">{}", "", (UND, OUT, OUT)),
    ("≥{} BU", "", (UND, OUT, OUT)),
    ("negative", "{}", (IN, IN, UND)),
    ("not detected", "{} BU", (IN, IN, UND)),
    ("neg", "{}", (IN, IN, UND)),
    ("positive", "{}", (UND, OUT, OUT)),
    ("detected", "{}", (UND, OUT, OUT)),
]


@pytest.mark.parametrize(("form", "limit", "verdicts"), INHIBITOR_TABLE)
@pytest.mark.parametrize(("position", "number"), [(0, "0.5"), (1, "0.6"), (2, "0.7")], ids=["below", "at", "above"])
def test_inhibitor_table(form: str, limit: str, verdicts: tuple[Verdict, ...], position: int, number: str) -> None:
    result = inhibitor(form.format(number), limit.format(number))
    assert inhibitor_verdict(result) is verdicts[position]


# The titre is within at or below the assay's limit: 1:678 on the 7-point assay, 1:898 on the 9-point.
TITRE_TABLE = [
    ("1:{}", "", (IN, IN, OUT)),
    ("{}", "", (IN, IN, OUT)),
    ("=1:{}", "", (IN, IN, OUT)),
    ("<1:{}", "", (IN, IN, UND)),
    ("≤1:{}", "", (IN, IN, UND)),
    (">1:{}", "", (UND, OUT, OUT)),
    ("≥1:{}", "", (UND, UND, OUT)),
    ("not detected", "1:{}", (IN, IN, UND)),
    ("negative", "{}", (IN, IN, UND)),
    ("positive", "1:{}", (UND, UND, OUT)),
]


@pytest.mark.parametrize(("form", "limit", "verdicts"), TITRE_TABLE)
@pytest.mark.parametrize(("points", "at"), [(7, 678), (9, 898)], ids=["7-point", "9-point"])
@pytest.mark.parametrize("position", [0, 1, 2], ids=["below", "at", "above"])
def test_titre_table(form: str, limit: str, verdicts: tuple[Verdict, ...], points: int, at: int, position: int) -> None:
    number = str(at - 1 + position)
    result = titre(form.format(number), points, limit.format(number))
    assert titre_verdict(result) is verdicts[position]


def test_the_same_titre_is_within_on_one_assay_and_over_on_the_other() -> None:
    assert titre_verdict(titre("1:700", 9)) is IN
    assert titre_verdict(titre("1:700", 7)) is OUT
    assert titre_verdict(titre(">1:700", 9)) is UND
    assert titre_verdict(titre(">1:700", 7)) is OUT


# --- the sentences name the result as reported ----------------------------------------------------------------
def test_what_was_confirmed_names_each_result_as_reported() -> None:
    confirmed = check_eligibility(
        answers(inhibitor=inhibitor("not detected", "0.5 BU"), titre=titre("<1:50", 9)), BORN, ON
    )
    assert confirmed == [
        "Prior authorization on file for one dose.",
        "Age 46 years (at least 18).",
        "No prior AAV-vector gene therapy.",
        "Factor IX inhibitor “not detected” (detection limit 0.5 BU; 2026-11-10, Central Lab): negative (below "
        "0.6 BU).",
        "Anti-AAV5 NAb titre “<1:50” on the 9-point assay (2026-11-10, Central Lab): within the 9-point assay's "
        "limit of 1:898.",
    ]


def test_a_patient_the_policy_calls_negative_is_never_stopped_by_the_sign() -> None:
    """“<0.6” is what the policy itself calls negative: read as 0.6 it would have raised the positive stop."""
    confirmed = check_eligibility(answers(inhibitor=inhibitor("<0.6 BU")), BORN, ON)
    assert confirmed[3] == "Factor IX inhibitor “<0.6 BU” (2026-11-10, Central Lab): negative (below 0.6 BU)."


@pytest.mark.parametrize(
    ("change", "born", "error", "message"),
    [
        (
            {"authorization_on_file": False},
            BORN,
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
            BORN,
            PriorGeneTherapy,
            "The patient has had AAV-vector gene therapy before. Stop: the policy does not allow Hemgenix after prior "
            "hemophilia gene therapy.",
        ),
        (
            {"inhibitor": inhibitor("0.6")},
            BORN,
            InhibitorPositive,
            "The factor IX inhibitor result “0.6” (2026-11-10, Central Lab) is positive (0.6 BU or more); negative is "
            "below 0.6 BU. Stop: re-test in about 14 days (around 2026-11-24) and enter the re-test; if the re-test "
            "is positive too, Hemgenix must not be given.",
        ),
        (
            {"titre": titre(">1:678", 7)},
            BORN,
            TitreOverLimit,
            "The anti-AAV5 antibody titre “>1:678” on the 7-point assay (2026-11-10, Central Lab) is above the "
            "7-point assay's limit of 1:678. Stop: the patient does not meet the policy's criteria.",
        ),
        (
            {"titre": titre("1:899", 9)},
            BORN,
            TitreOverLimit,
            "The anti-AAV5 antibody titre “1:899” on the 9-point assay (2026-11-10, Central Lab) is above the "
            "9-point assay's limit of 1:898. Stop: the patient does not meet the policy's criteria.",
        ),
    ],
)
def test_each_failed_rule_is_its_own_stop(
    change: dict[str, Any], born: date, error: type[ClinicalStop], message: str
) -> None:
    with pytest.raises(error) as caught:
        check_eligibility(answers(**change), born, ON)
    assert caught.value.message == message


def test_an_undetermined_inhibitor_says_what_would_settle_it() -> None:
    with pytest.raises(ResultUndetermined) as caught:
        check_eligibility(answers(inhibitor=inhibitor("<1.0 BU")), BORN, ON)
    assert caught.value.message == (
        "The factor IX inhibitor result “<1.0 BU” (2026-11-10, Central Lab) allows values both below 0.6 BU and at "
        "or above it, so it says neither negative nor positive. A result reported below 0.6 BU (for example "
        "“<0.6 BU”, or a number below 0.6) would settle it as negative, one of 0.6 BU or more as positive: ask the "
        "laboratory for the result as a number, and enter it as reported."
    )


def test_a_word_with_a_detection_limit_above_the_threshold_is_undetermined() -> None:
    with pytest.raises(ResultUndetermined) as caught:
        check_eligibility(answers(inhibitor=inhibitor("negative", "1.0 BU")), BORN, ON)
    assert caught.value.message.startswith(
        "The factor IX inhibitor result “negative” (detection limit 1.0 BU; 2026-11-10, Central Lab) allows values"
    )


def test_an_undetermined_titre_says_what_would_settle_it() -> None:
    with pytest.raises(ResultUndetermined) as caught:
        check_eligibility(answers(titre=titre(">1:500", 7)), BORN, ON)
    assert caught.value.message == (
        "The anti-AAV5 antibody titre “>1:500” on the 7-point assay (2026-11-10, Central Lab) allows titres both "
        "within the 7-point assay's limit of 1:678 and above it, so it neither meets nor fails the criterion. A "
        "titre reported at or below 1:678 (for example “≤1:678”, or the end-point titre if it is 1:678 or lower) "
        "would settle it as within the limit, one above 1:678 as over it: ask the laboratory for the end-point "
        "titre, and enter it as reported."
    )


def test_unanswered_criteria_are_never_assumed() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(prior_aav_gene_therapy=None, inhibitor=None), BORN, ON)
    assert caught.value.message == (
        "Answer every criterion: whether the patient had AAV gene therapy before; the factor IX inhibitor result."
    )
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(titre=titre("1:400", None)), BORN, ON)  # type: ignore[arg-type]
    assert caught.value.message == "Answer every criterion: the anti-AAV5 antibody titre and its assay."
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(titre=titre("1:400", 8)), BORN, ON)
    assert caught.value.message == "Choose the assay the titre was measured with: 7-point or 9-point."


@pytest.mark.parametrize(
    ("change", "born", "error"),
    [
        ({"authorization_on_file": False, "prior_aav_gene_therapy": None}, BORN, NoAuthorization),
        # the policy's order: no authorization stops before the age does
        ({"authorization_on_file": False}, date(2010, 1, 1), NoAuthorization),
        ({"authorization_on_file": None, "prior_aav_gene_therapy": True}, BORN, PriorGeneTherapy),
        ({"authorization_on_file": None, "prior_aav_gene_therapy": True}, date(2010, 1, 1), UnderAge),
        ({"authorization_on_file": True, "prior_aav_gene_therapy": True}, BORN, PriorGeneTherapy),
    ],
)
@pytest.mark.parametrize("results", ["none", "inhibitor only", "titre without its assay"])
def test_an_answer_that_stops_stops_before_the_rest_is_answered(
    change: dict[str, Any], born: date, error: type[ClinicalStop], results: str
) -> None:
    """No authorization, or prior gene therapy, stops whatever is still unanswered: nothing to come can make the
    patient eligible (the page shows the stop before anyone copies the laboratory results)."""
    missing: dict[str, Any] = {
        "none": {"inhibitor": None, "titre": None},
        "inhibitor only": {"titre": None},
        "titre without its assay": {"inhibitor": None, "titre": titre("1:400", None)},  # type: ignore[arg-type]
    }[results]
    with pytest.raises(error):
        check_eligibility(answers(**change, **missing), born, ON)


def test_a_yes_and_a_no_that_do_not_stop_still_wait_for_every_answer() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(inhibitor=None, titre=None), BORN, ON)
    assert caught.value.message.startswith("Answer every criterion: the factor IX inhibitor result;")
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(authorization_on_file=None, prior_aav_gene_therapy=False), BORN, ON)
    assert caught.value.message == "Answer every criterion: whether the prior authorization is on file."


def test_a_result_dated_after_the_infusion_date_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(titre=titre("1:400", on="2026-11-29")), BORN, ON)
    assert caught.value.message == (
        "The anti-AAV5 NAb titre is dated 2026-11-29, after the infusion date 2026-11-28. Check the date on the "
        "laboratory report."
    )


# --- the inhibitor's re-test path -----------------------------------------------------------------------------
POSITIVE = inhibitor("0.8 BU", on="2026-11-01")


def test_a_positive_first_result_opens_the_re_test() -> None:
    assert positive_first_result(answers(inhibitor=POSITIVE))
    assert not positive_first_result(answers())
    assert not positive_first_result(answers(inhibitor=inhibitor("≤0.6")))  # undetermined: settle it, no re-test
    assert not positive_first_result(answers(inhibitor=None))


def test_a_negative_re_test_about_two_weeks_later_confirms_with_both_results() -> None:
    retest = inhibitor("neg", "0.5 BU", on="2026-11-15", lab="Second Lab")
    confirmed = check_eligibility(answers(inhibitor=POSITIVE, inhibitor_retest=retest), BORN, ON)
    assert confirmed[3] == (
        "Factor IX inhibitor “0.8 BU” (2026-11-01, Central Lab): positive (0.6 BU or more); re-test “neg” (detection "
        "limit 0.5 BU; 2026-11-15, Second Lab), 14 days later: negative (below 0.6 BU)."
    )


def test_two_positives_stop_for_good() -> None:
    retest = inhibitor(">0.6", on="2026-11-15")
    with pytest.raises(InhibitorPositive) as caught:
        check_eligibility(answers(inhibitor=POSITIVE, inhibitor_retest=retest), BORN, ON)
    assert caught.value.message == (
        "Both factor IX inhibitor results are positive (0.6 BU or more): the first “0.8 BU” (2026-11-01, Central "
        "Lab) and the re-test “>0.6” (2026-11-15, Central Lab). Stop for good: Hemgenix must not be given when the "
        "re-test is also positive."
    )


def test_an_undetermined_re_test_says_what_would_settle_it() -> None:
    with pytest.raises(ResultUndetermined) as caught:
        check_eligibility(answers(inhibitor=POSITIVE, inhibitor_retest=inhibitor("<2", on="2026-11-15")), BORN, ON)
    assert caught.value.message.startswith("The inhibitor re-test “<2” (2026-11-15, Central Lab) allows values both")


@pytest.mark.parametrize("day", ["2026-11-01", "2026-10-30"])
def test_a_re_test_must_come_after_the_first_result(day: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(inhibitor=POSITIVE, inhibitor_retest=inhibitor("0.1", on=day)), BORN, ON)
    assert caught.value.message == (
        f"The inhibitor re-test is dated {day}, not after the first result (2026-11-01). The re-test follows the "
        "positive result: check the dates on the two reports."
    )


@pytest.mark.parametrize("first", ["0.2", "<1.0"])
def test_no_re_test_follows_a_result_that_is_not_positive(first: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_eligibility(answers(inhibitor=inhibitor(first), inhibitor_retest=inhibitor("0.1")), BORN, ON)
    assert caught.value.message == (
        f"The first factor IX inhibitor result “{first}” (2026-11-10, Central Lab) is not positive, so no re-test "
        "follows it: clear the re-test's fields, or check the first result."
    )


def test_the_reading_of_each_result() -> None:
    assert reading(POSITIVE) == "positive (0.6 BU or more)"
    assert reading(inhibitor("<0.3")) == "negative (below 0.6 BU)"
    assert reading(inhibitor("<1")) == "undetermined: the report allows values on both sides of the limit"
    assert reading(titre("1:700", 9)) == "within the 9-point assay's limit of 1:898"
    assert reading(titre("1:700", 7)) == "above the 7-point assay's limit of 1:678"


# --- the site's age limit for results -------------------------------------------------------------------------
def test_results_older_than_the_site_accepts_are_refused_with_a_sentence() -> None:
    fresh = answers(inhibitor=inhibitor("0.1", on="2026-11-01"), titre=titre("1:400", on="2026-11-01"))
    check_results_recent(fresh, ON, 0)  # off: any age
    check_results_recent(fresh, ON, 28)  # 27 days old
    with pytest.raises(ResultTooOld) as caught:
        check_results_recent(fresh, ON, 27)
    assert caught.value.message == (
        "The factor IX inhibitor result “0.1” (2026-11-01, Central Lab) is 27 days old on the infusion date "
        "2026-11-28; this site accepts laboratory results newer than 27 days. Enter a newer result from the "
        "laboratory."
    )
    older_titre = answers(titre=titre("1:400", on="2026-08-01"))
    with pytest.raises(ResultTooOld) as caught:
        check_results_recent(older_titre, ON, 90)
    assert caught.value.message.startswith("The anti-AAV5 antibody titre “1:400” on the 7-point assay (2026-08-01")


def test_the_age_limit_rests_on_the_re_test_not_the_first_positive() -> None:
    retested = answers(inhibitor=inhibitor("0.8", on="2026-10-20"), inhibitor_retest=inhibitor("0.1", on="2026-11-03"))
    check_results_recent(retested, ON, 30)  # the first result is 39 days old, the re-test 25


# --- the data file and the stored form ------------------------------------------------------------------------
def test_thresholds_come_from_the_data_file() -> None:
    t = eligibility_thresholds()
    assert (t.minimum_age_years, t.inhibitor_negative_below_bu, t.titre_max_denominator) == (
        18,
        Decimal("0.6"),
        {7: 678, 9: 898},
    )
    assert t.inhibitor_retest_after_days == 14


def test_answers_round_trip_through_the_preparation_with_every_result() -> None:
    prep = Preparation()
    prep.eligibility = answers(
        inhibitor=POSITIVE, inhibitor_retest=inhibitor("not detected", "0.5", on="2026-11-15"), titre=titre("<1:50", 9)
    )
    again = Preparation.from_dict(prep.to_dict())
    assert again.eligibility == prep.eligibility
    assert again.to_dict() == prep.to_dict()


def test_a_preparation_kept_before_results_were_recorded_as_reported_reads_and_writes_back_the_same() -> None:
    prep = Preparation()
    prep.eligibility = answers()
    data = prep.to_dict()
    data["eligibility"] = {
        "authorization_on_file": True,
        "prior_aav_gene_therapy": False,
        "inhibitor_bu": "0.2",
        "titre_denominator": 300,
        "assay_points": 9,
    }
    old = Preparation.from_dict(data)
    assert old.eligibility is not None
    assert old.eligibility.inhibitor is not None
    assert old.eligibility.titre is not None
    assert (old.eligibility.inhibitor.reported, old.eligibility.titre.reported) == ("0.2", "1:300")
    assert old.to_dict() == data  # its hash, and the signatures on it, hold
    confirmed = check_eligibility(old.eligibility, BORN, ON)
    assert confirmed[3:] == [
        "Factor IX inhibitor “0.2”: negative (below 0.6 BU).",
        "Anti-AAV5 NAb titre “1:300” on the 9-point assay: within the 9-point assay's limit of 1:898.",
    ]
