"""A laboratory result as reported: the one reader of its text (every form laboratories print), the detection
limit, the interval a report allows, a result with its date and laboratory, and the stored form."""

from datetime import date
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.lab_result import (
    INHIBITOR_FORMS,
    TITRE_FORMS,
    Analyte,
    Interval,
    LabResult,
    Qualifier,
    lab_result,
    legacy_result,
    parse_detection_limit,
    parse_reported,
)

INHIBITOR, TITRE = Analyte.INHIBITOR, Analyte.NAB_TITRE
LT, LE, EQ, GE, GT = Qualifier.LT, Qualifier.LE, Qualifier.EQ, Qualifier.GE, Qualifier.GT
NEG, POS = Qualifier.NEGATIVE, Qualifier.POSITIVE


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("0.4", EQ, "0.4"),
        ("0", EQ, "0"),
        (".5", EQ, "0.5"),
        ("0.4 BU", EQ, "0.4"),
        ("0.4BU", EQ, "0.4"),
        ("0.4 bu", EQ, "0.4"),
        ("0.4 BU/mL", EQ, "0.4"),
        ("0.4 B.U.", EQ, "0.4"),
        ("0.4 NBU", EQ, "0.4"),
        ("0.4 Bethesda units", EQ, "0.4"),
        ("0.4 Bethesda unit", EQ, "0.4"),
        ("0.4 Bethesda", EQ, "0.4"),
        ("=0.4", EQ, "0.4"),
        ("= 0.4 BU", EQ, "0.4"),
        ("<0.3", LT, "0.3"),
        ("< 0.6 BU", LT, "0.6"),
        ("<0.6BU", LT, "0.6"),
        ("  <   0.6   Bethesda   units  ", LT, "0.6"),
        ("<=0.5", LE, "0.5"),
        ("=<0.5", LE, "0.5"),
        ("≤0.5", LE, "0.5"),
        ("≤ 0.5 BU", LE, "0.5"),
        ("⩽0.5", LE, "0.5"),
        (">0.6", GT, "0.6"),
        ("> 2.0 BU", GT, "2.0"),
        (">=0.6", GE, "0.6"),
        ("=>0.6", GE, "0.6"),
        ("≥0.6", GE, "0.6"),
        ("⩾ 0.6", GE, "0.6"),
        ("negative", NEG, None),
        ("Negative", NEG, None),
        ("NEGATIVE", NEG, None),
        ("neg", NEG, None),
        ("Neg.", NEG, None),
        ("not detected", NEG, None),
        ("Not  Detected", NEG, None),
        ("none detected", NEG, None),
        ("undetectable", NEG, None),
        ("ND", NEG, None),
        ("positive", POS, None),
        ("pos", POS, None),
        ("Detected", POS, None),
    ],
)
def test_every_inhibitor_form_reads(text: str, qualifier: Qualifier, value: str | None) -> None:
    reading = parse_reported(INHIBITOR, text)
    assert (reading.qualifier, reading.value) == (qualifier, None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("1:400", EQ, 400),
        ("1 : 400", EQ, 400),
        ("1: 400", EQ, 400),
        ("400", EQ, 400),
        ("1/400", EQ, 400),
        ("1:1,000", EQ, 1000),
        ("1:1000", EQ, 1000),
        ("=1:400", EQ, 400),
        ("<1:50", LT, 50),
        ("< 1:50", LT, 50),
        ("<50", LT, 50),
        ("≤1:678", LE, 678),
        ("<= 1:678", LE, 678),
        (">1:700", GT, 700),
        ("> 1 : 700", GT, 700),
        ("≥1:898", GE, 898),
        (">=1:898", GE, 898),
        ("not detected", NEG, None),
        ("negative", NEG, None),
        ("neg", NEG, None),
        ("positive", POS, None),
        ("detected", POS, None),
    ],
)
def test_every_titre_form_reads(text: str, qualifier: Qualifier, value: int | None) -> None:
    reading = parse_reported(TITRE, text)
    assert (reading.qualifier, reading.value) == (qualifier, None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("analyte", "text", "sentence"),
    [
        (
            INHIBITOR,
            "",
            "Enter the factor IX inhibitor result as the laboratory reported it, for example 0.2, <0.5 BU or negative.",
        ),
        (INHIBITOR, "0,2", "The inhibitor result has a comma. Use a decimal point, for example 0.2."),
        (INHIBITOR, "<0,6", "The inhibitor result has a comma. Use a decimal point, for example 0.2."),
        (INHIBITOR, "-0.2", f"“-0.2” is not an inhibitor result. {INHIBITOR_FORMS}"),
        (INHIBITOR, "0.3 mg", f"“0.3 mg” is not an inhibitor result. {INHIBITOR_FORMS}"),
        (INHIBITOR, "<<0.3", f"“<<0.3” is not an inhibitor result. {INHIBITOR_FORMS}"),
        (INHIBITOR, "maybe", f"“maybe” is not an inhibitor result. {INHIBITOR_FORMS}"),
        (INHIBITOR, "negative 0.2", f"“negative 0.2” is not an inhibitor result. {INHIBITOR_FORMS}"),
        (INHIBITOR, "1:400", f"“1:400” is not an inhibitor result. {INHIBITOR_FORMS}"),
        (INHIBITOR, "<0", "“<0” allows no value: a result is never below 0. Check the laboratory report."),
        (
            TITRE,
            "",
            "Enter the anti-AAV5 antibody titre as the laboratory reported it, for example 1:400.",
        ),
        (TITRE, "1:0", "A titre is 1:N with N at least 1. Check the laboratory report."),
        (TITRE, "2:400", f"“2:400” is not a titre. {TITRE_FORMS}"),
        (TITRE, "1:40.5", f"“1:40.5” is not a titre. {TITRE_FORMS}"),
        (TITRE, "1:12345678", f"“1:12345678” is not a titre. {TITRE_FORMS}"),
        (TITRE, "0.4 BU", f"“0.4 BU” is not a titre. {TITRE_FORMS}"),
        (TITRE, "<1:", f"“<1:” is not a titre. {TITRE_FORMS}"),
    ],
)
def test_bad_text_gets_a_sentence_with_the_forms_to_use(analyte: Analyte, text: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_reported(analyte, text)
    assert caught.value.message == sentence


@pytest.mark.parametrize(
    ("analyte", "text", "value"),
    [(INHIBITOR, "0.5", "0.5"), (INHIBITOR, "0.5 BU", "0.5"), (TITRE, "1:50", "50"), (TITRE, "50", "50")],
)
def test_a_detection_limit_reads_as_the_report_gives_it(analyte: Analyte, text: str, value: str) -> None:
    assert parse_detection_limit(analyte, text) == Decimal(value)
    assert parse_detection_limit(analyte, "  ") is None


@pytest.mark.parametrize(
    ("analyte", "text", "sentence"),
    [
        (INHIBITOR, "<0.5", "Enter the detection limit as the number the report gives, for example 0.5 BU."),
        (TITRE, "negative", "Enter the detection limit as the number the report gives, for example 1:50."),
        (INHIBITOR, "0", "A detection limit is more than 0. Enter it as the report gives it, for example 0.5 BU."),
        (TITRE, "fifty", "“fifty” is not a detection limit. Enter it as the report gives it, for example 1:50."),
    ],
)
def test_a_bad_detection_limit_gets_a_sentence(analyte: Analyte, text: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_detection_limit(analyte, text)
    assert caught.value.message == sentence


def _result(analyte: Analyte, reported: str, limit: str = "") -> LabResult:
    return lab_result(analyte, reported, "2026-11-20", "Central Laboratory", limit)


@pytest.mark.parametrize(
    ("reported", "limit", "interval"),
    [
        ("0.4", "", Interval(Decimal("0.4"), True, Decimal("0.4"), True)),
        ("<0.3", "", Interval(Decimal(0), True, Decimal("0.3"), False)),
        ("≤0.3", "", Interval(Decimal(0), True, Decimal("0.3"), True)),
        (">0.3", "", Interval(Decimal("0.3"), False, None, False)),
        ("≥0.3", "", Interval(Decimal("0.3"), True, None, False)),
        ("negative", "0.5 BU", Interval(Decimal(0), True, Decimal("0.5"), False)),
        ("positive", "0.5", Interval(Decimal("0.5"), True, None, False)),
    ],
)
def test_the_interval_is_every_value_the_report_allows(reported: str, limit: str, interval: Interval) -> None:
    assert _result(INHIBITOR, reported, limit).interval() == interval


def test_a_word_needs_the_detection_limit_that_says_what_it_means() -> None:
    with pytest.raises(InvalidInput) as caught:
        _result(INHIBITOR, "not detected")
    assert caught.value.message == (
        "The inhibitor result is reported as a word (“not detected”): enter the assay's detection limit the report "
        "gives with it (for example 0.5 BU), which says what the word means."
    )


@pytest.mark.parametrize(
    ("on", "laboratory", "sentence"),
    [
        ("", "Lab", "Enter the date of the inhibitor result as YYYY-MM-DD, for example 2026-11-29."),
        (
            "20/11/2026",
            "Lab",
            "“20/11/2026” is not a date. Enter the date of the inhibitor result as YYYY-MM-DD, for example 2026-11-29.",
        ),
        ("2026-11-20", " ", "Enter the laboratory that reported the inhibitor result."),
    ],
)
def test_a_result_needs_its_date_and_laboratory(on: str, laboratory: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        lab_result(INHIBITOR, "0.2", on, laboratory)
    assert caught.value.message == sentence


def test_a_result_keeps_the_text_as_reported_and_round_trips() -> None:
    result = lab_result(TITRE, "  <1 : 50 ", "2026-11-20", " Central Laboratory ", "", 9)
    assert (result.reported, result.on, result.laboratory, result.assay_points) == (
        "<1 : 50",
        date(2026, 11, 20),
        "Central Laboratory",
        9,
    )
    assert result.described() == "“<1 : 50” on the 9-point assay (2026-11-20, Central Laboratory)"
    assert LabResult.from_dict(result.to_dict()) == result
    word = lab_result(INHIBITOR, "Not detected", "2026-11-20", "Lab B", "0.5 BU")
    assert word.described() == "“Not detected” (detection limit 0.5 BU; 2026-11-20, Lab B)"
    assert LabResult.from_dict(word.to_dict()) == word


def test_a_result_kept_before_reports_were_recorded_reads_as_its_number() -> None:
    old = legacy_result(TITRE, 300, 7)
    assert (old.reported, old.qualifier, old.value, old.on, old.laboratory) == ("1:300", EQ, Decimal(300), None, "")
    assert old.described() == "“1:300” on the 7-point assay"
    assert legacy_result(INHIBITOR, Decimal("0.2")).described() == "“0.2”"
