"""One parser per kind of typed input, and the same strictness for every field of a kind: the verifier's blind
figures are read exactly as the preparer's volume and carton count are (issue 12: the blind check used to accept
"1_44", "1e2" and "+144" that the volume drawn up refused)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.checks import parse_final_volume_ml, parse_volume_ml
from hemgenix_desktop.domain.entry import parse_vial_count
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.lab_result import Analyte, parse_reported
from hemgenix_desktop.domain.parsing import parse_date, parse_measured_at, plain_decimal, require_text
from hemgenix_desktop.domain.signing import parse_blind_dose_ml, parse_blind_vials
from hemgenix_desktop.domain.weight import parse_weight

LONG = "1" * 5_000
ARABIC_144 = "١٤٤"  # Arabic-Indic digits: Decimal() and str.isdigit() read them as 144


def _refusal(parse: Callable[[str], object], text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    return caught.value.message


# --- the strict number every kind rests on -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("144", Decimal(144)),
        ("144.5", Decimal("144.5")),
        ("144.", Decimal(144)),
        (".5", Decimal("0.5")),
        ("0", Decimal(0)),
        ("1_44", None),
        ("1e2", None),
        ("+144", None),
        ("-144", None),
        (" 144 ", None),  # the callers trim; the lexer itself takes no spaces
        ("144,5", None),
        ("1.4.4", None),
        (ARABIC_144, None),
        ("１４４", None),
        ("NaN", None),
        ("Infinity", None),
        ("", None),
        (".", None),
        ("144\n", None),
    ],
)
def test_a_plain_decimal_is_ascii_digits_and_one_point(text: str, value: Decimal | None) -> None:
    assert plain_decimal(text) == value


# --- amounts in mL: the volume drawn up, the final volume and the verifier's dose volume ---------------------
VOLUME_FIELDS: dict[str, tuple[Callable[[str], Decimal], str, str, str]] = {
    # field: (parser, "not a volume" sentence after the quote, empty sentence, comma sentence)
    "drawn": (
        parse_volume_ml,
        "is not a volume. Type the mL drawn up as a number.",
        "Enter the volume drawn up, as a number of mL.",
        "The volume has a comma. Use a decimal point (.) instead.",
    ),
    "final": (
        parse_final_volume_ml,
        "is not a volume. Type the final volume in the bag as a number of mL.",
        "Enter the final volume in the infusion bag in mL, as a number.",
        "The final volume has a comma. Use a decimal point (.) instead.",
    ),
    "blind": (
        parse_blind_dose_ml,
        "is not a volume. Type the dose volume you computed as a number of mL.",
        "Enter the dose volume you computed, as a number of mL.",
        "The dose volume has a comma. Use a decimal point (.) instead.",
    ),
}
NOT_POSITIVE = {
    "drawn": "The volume must be a number of mL greater than zero.",
    "final": "The final volume must be a number of mL greater than zero.",
    "blind": "The dose volume must be a number of mL greater than zero.",
}
TOO_LARGE = {
    "drawn": "The volume drawn up cannot be over 10,000 mL. Check the volume and type it again.",
    "final": "The final volume in the bag cannot be over 10,000 mL. Check the volume and type it again.",
    "blind": "The dose volume cannot be over 10,000 mL. Compute it again and type it.",
}


@pytest.mark.parametrize("field", sorted(VOLUME_FIELDS))
@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("1_44", "not a number"),
        ("1e2", "not a number"),
        ("1.44E2", "not a number"),
        ("+144", "not a number"),
        (ARABIC_144, "not a number"),
        ("１４４", "not a number"),
        ("144 L", "not a number"),
        ("1.4.4", "not a number"),
        ("lots", "not a number"),
        ("", "empty"),
        ("   ", "empty"),
        ("mL", "empty"),
        ("144,5", "comma"),
        ("1,440", "comma"),
        ("0", "not positive"),
        ("0.0", "not positive"),
        ("-144", "not positive"),
        ("NaN", "not positive"),
        ("-Infinity", "not positive"),
        ("10000.1", "too large"),
        (LONG, "too large"),
    ],
)
def test_every_volume_field_refuses_the_same_entries(field: str, text: str, refusal: str) -> None:
    parse, not_a_number, empty, comma = VOLUME_FIELDS[field]
    expected = {
        "not a number": f"“{text.strip()[:40]}” {not_a_number}",
        "empty": empty,
        "comma": comma,
        "not positive": NOT_POSITIVE[field],
        "too large": TOO_LARGE[field],
    }[refusal]
    assert _refusal(parse, text) == expected


@pytest.mark.parametrize("field", sorted(VOLUME_FIELDS))
@pytest.mark.parametrize(
    ("text", "value"),
    [(" 144 ", Decimal(144)), ("144.5", Decimal("144.5")), ("144 mL", Decimal(144)), ("144ml", Decimal(144))],
)
def test_every_volume_field_reads_the_same_entries(field: str, text: str, value: Decimal) -> None:
    assert VOLUME_FIELDS[field][0](text) == value


def test_a_refused_volume_quotes_at_most_forty_characters() -> None:
    text = "x" * 500
    assert (
        _refusal(parse_blind_dose_ml, text)
        == f"“{'x' * 40}” is not a volume. Type the dose volume you computed as a number of mL."
    )


# --- counts: the vials counted in the carton and the verifier's vial count -----------------------------------
COUNT_FIELDS: dict[str, tuple[Callable[[str], int], str, str, str]] = {
    "carton": (
        parse_vial_count,
        "is not a number of vials. Type the number of vials you counted, in digits.",
        "Enter the number of vials you counted in the carton, in digits.",
        "The vial count must be a whole number greater than zero. Count the vials again.",
    ),
    "blind": (
        parse_blind_vials,
        "is not a number of vials. Type the vial count you computed, in digits.",
        "Enter the number of vials you computed from the weight, in digits.",
        "The vial count must be a whole number greater than zero. Compute it again.",
    ),
}


@pytest.mark.parametrize("field", sorted(COUNT_FIELDS))
@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("1_5", "not a count"),
        ("1e1", "not a count"),
        ("+15", "not a count"),
        ("-15", "not a count"),
        ("15.0", "not a count"),
        ("15,0", "not a count"),
        ("١٥", "not a count"),
        ("１５", "not a count"),
        ("15 vials", "not a count"),
        ("1000", "not a count"),
        (LONG, "not a count"),
        ("", "empty"),
        ("  ", "empty"),
        ("0", "zero"),
        ("000", "zero"),
    ],
)
def test_every_count_field_refuses_the_same_entries(field: str, text: str, refusal: str) -> None:
    parse, not_a_count, empty, zero = COUNT_FIELDS[field]
    expected = {"not a count": f"“{text.strip()[:40]}” {not_a_count}", "empty": empty, "zero": zero}[refusal]
    assert _refusal(parse, text) == expected


@pytest.mark.parametrize("field", sorted(COUNT_FIELDS))
@pytest.mark.parametrize(("text", "value"), [(" 15 ", 15), ("015", 15), ("999", 999), ("1", 1)])
def test_every_count_field_reads_the_same_entries(field: str, text: str, value: int) -> None:
    assert COUNT_FIELDS[field][0](text) == value


# --- the weight's number and a laboratory result use the same strict number --------------------------------
@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("+72", "“+72” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb."),
        ("7_2", "“7_2” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb."),
        ("7e1", "“7e1” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb."),
        ("٧٢", "“٧٢” is not a number. Type the weight in digits with a decimal point if needed, then kg or lb."),
        (" 72,5 ", "The weight has a comma. Use a decimal point (a full stop) instead."),
        ("-72", "The weight must be more than zero. Check the weight and type it again."),
        ("", "Enter the weight, in digits with a decimal point if needed, then kg or lb."),
        (
            LONG,
            "That is too long to be a weight. Type a number and its unit, in digits with a decimal point if needed, then kg or lb.",
        ),
    ],
)
def test_the_weight_number_is_as_strict(text: str, sentence: str) -> None:
    assert _refusal(lambda typed: parse_weight(typed, "kg"), text) == sentence


def test_a_weight_reads_with_spaces_around() -> None:
    assert parse_weight(" 72 ", "kg").kg == Decimal(72)


@pytest.mark.parametrize("text", ["1_0", "1e-1", "+0.2", "-0.2", "٠.٢", "0,2", LONG, ""])
def test_an_inhibitor_result_is_as_strict(text: str) -> None:
    assert _refusal(lambda typed: parse_reported(Analyte.INHIBITOR, typed), text).endswith(".")
    assert parse_reported(Analyte.INHIBITOR, " 0.2 BU ").value == Decimal("0.2")


# --- dates, times and text -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "Enter the infusion date as YYYY-MM-DD, for example 2026-11-29."),
        ("٢٠٢٦-١٢-٠١", "“٢٠٢٦-١٢-٠١” is not a date. Enter the infusion date as YYYY-MM-DD, for example 2026-11-29."),
        ("2026-12-1", "“2026-12-1” is not a date. Enter the infusion date as YYYY-MM-DD, for example 2026-11-29."),
        ("+2026-12-01", "“+2026-12-01” is not a date. Enter the infusion date as YYYY-MM-DD, for example 2026-11-29."),
        ("2026_12_01", "“2026_12_01” is not a date. Enter the infusion date as YYYY-MM-DD, for example 2026-11-29."),
        ("2026-02-30", "2026-02-30 is not a real date. Check the infusion date and enter it as YYYY-MM-DD."),
        (LONG, f"“{LONG[:40]}” is not a date. Enter the infusion date as YYYY-MM-DD, for example 2026-11-29."),
    ],
)
def test_a_date_is_iso_in_ascii_digits(text: str, sentence: str) -> None:
    assert _refusal(lambda typed: parse_date(typed, "infusion date"), text) == sentence


def test_a_date_reads_with_spaces_around() -> None:
    assert parse_date(" 2026-12-01 ", "infusion date") == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["", "2026-11-29", "2026-11-29 8:15", "٢٠٢٦-١١-٢٩ ٠٨:١٥", "2026-11-29 24:00", LONG])
def test_a_date_and_time_is_refused_with_a_sentence(text: str) -> None:
    now = datetime(2026, 11, 29, 13, 30, tzinfo=UTC)
    assert _refusal(lambda typed: parse_measured_at(typed, now, UTC), text).endswith(".")
    assert parse_measured_at(" 2026-11-29 08:15 ", now, UTC) == datetime(2026, 11, 29, 8, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "Enter the order number."),
        ("   ", "Enter the order number."),
        ("A" * 201, "The order number is too long: keep it under 200 characters."),
        (
            "A\tB",
            "The order number contains a control character (such as a tab or a line break), which cannot be "
            "shown or printed. Type it again without it.",
        ),
    ],
)
def test_a_line_of_text_is_refused_with_a_sentence(text: str, sentence: str) -> None:
    assert _refusal(lambda typed: require_text(typed, "order number"), text) == sentence
    assert require_text(" ORD-١٤٤ ", "order number") == "ORD-١٤٤"  # names and identifiers may be in any script
