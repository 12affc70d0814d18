from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hemgenix_desktop.domain.entry import (
    WEIGHT_METHODS,
    change_order,
    check_date_of_birth,
    check_infusion_date,
    check_prescription_weight_date,
    check_weight_method,
    parse_vial_count,
)
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.parsing import parse_date, parse_measured_at, require_text
from hemgenix_desktop.domain.patient import IdentityCheck, Patient
from hemgenix_desktop.domain.preparation import EventKind, Order, Preparation
from hemgenix_desktop.domain.weight import parse_weight

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 13, 30, tzinfo=UTC)
CET = timezone(timedelta(hours=1))


def test_require_text_trims_and_refuses_empty() -> None:
    assert require_text("  MRN-1 ", "medical record number") == "MRN-1"
    with pytest.raises(InvalidInput) as info:
        require_text("   ", "medical record number")
    assert info.value.message == "Enter the medical record number."
    with pytest.raises(InvalidInput) as info:
        require_text("x" * 201, "prescriber")
    assert info.value.message == "The prescriber is too long: keep it under 200 characters."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the date of birth as YYYY-MM-DD, for example 2026-11-29."),
        ("31/05/1980", "“31/05/1980” is not a date. Enter the date of birth as YYYY-MM-DD, for example 2026-11-29."),
        ("1980-5-31", "“1980-5-31” is not a date. Enter the date of birth as YYYY-MM-DD, for example 2026-11-29."),
        ("1980-02-30", "1980-02-30 is not a real date. Check the date of birth and enter it as YYYY-MM-DD."),
        ("١٩٨٠-٠٥-٣١", "“١٩٨٠-٠٥-٣١” is not a date. Enter the date of birth as YYYY-MM-DD, for example 2026-11-29."),
    ],
)
def test_parse_date_refuses_with_a_sentence(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_date(text, "date of birth")
    assert info.value.message == message


def test_parse_date_accepts_iso() -> None:
    assert parse_date(" 1980-05-31 ", "date of birth") == date(1980, 5, 31)


def test_date_of_birth_checks() -> None:
    check_date_of_birth(date(1980, 5, 31), TODAY)
    with pytest.raises(InvalidInput) as info:
        check_date_of_birth(date(2026, 11, 30), TODAY)
    assert info.value.message == "The date of birth 2026-11-30 is in the future. Check it and enter it again."
    with pytest.raises(InvalidInput) as info:
        check_date_of_birth(date(1880, 5, 31), TODAY)
    assert info.value.message == (
        "The date of birth 1880-05-31 would make the patient older than 120 years. Check it and enter it again."
    )


def test_order_dates() -> None:
    check_prescription_weight_date(TODAY, TODAY)
    check_infusion_date(TODAY, TODAY)
    with pytest.raises(InvalidInput) as info:
        check_prescription_weight_date(date(2026, 12, 1), TODAY)
    assert info.value.message == (
        "The prescription weight date 2026-12-01 is in the future. Enter the date the patient was weighed for the "
        "prescription."
    )
    with pytest.raises(InvalidInput) as info:
        check_infusion_date(date(2026, 11, 28), TODAY)
    assert info.value.message == (
        "The infusion date 2026-11-28 has passed. Check the order: the dose is prepared for an infusion today or later."
    )


def test_measured_at_is_local_and_aware() -> None:
    measured = parse_measured_at("2026-11-29 08:15", NOW, CET)
    assert measured == datetime(2026, 11, 29, 8, 15, tzinfo=CET)
    assert measured.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter when the weight was measured as YYYY-MM-DD HH:MM, for example 2026-11-29 14:30."),
        (
            "08:15",
            "“08:15” is not a date and time. Enter when the weight was measured as YYYY-MM-DD HH:MM, "
            "for example 2026-11-29 14:30.",
        ),
        ("2026-11-29 24:10", "24:10 is not a time of day. Use 24-hour time, for example 08:15."),
        (
            "2026-11-31 08:15",
            "2026-11-31 is not a real date. Check the date the weight was measured and enter it as YYYY-MM-DD.",
        ),
        (
            "2026-11-29 15:00",
            "The weight cannot have been measured at 2026-11-29 15:00: that is in the future. Enter when the patient "
            "was weighed.",
        ),
    ],
)
def test_measured_at_refuses_with_a_sentence(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_measured_at(text, NOW, CET)
    assert info.value.message == message


def test_weight_method() -> None:
    assert check_weight_method("Bed scale") == "Bed scale"
    assert "Standing scale" in WEIGHT_METHODS
    with pytest.raises(InvalidInput) as info:
        check_weight_method(None)
    assert info.value.message == (
        "Choose how the weight was measured: standing scale, bed scale, chair scale or wheelchair scale."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the number of vials you counted in the carton, in digits."),
        ("fifteen", "“fifteen” is not a number of vials. Type the number of vials you counted, in digits."),
        ("15.0", "“15.0” is not a number of vials. Type the number of vials you counted, in digits."),
        ("0", "The vial count must be a whole number greater than zero. Count the vials again."),
    ],
)
def test_vial_count_refuses_with_a_sentence(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_vial_count(text)
    assert info.value.message == message


def test_vial_count_accepts_digits() -> None:
    assert parse_vial_count(" 15 ") == 15


def _order(psi: str = "HGX-PSI-7731", born: date = date(1980, 3, 15), infusion: date = TODAY) -> Order:
    return Order(
        patient=Patient("Alex Example", born, "MRN-0001", psi),
        order_number="ORD-1",
        prescriber="Dr. Rivera",
        authorization_number="PA-99",
        prescription_weight=parse_weight("72", "kg"),
        prescription_weight_date=date(2026, 11, 1),
        infusion_date=infusion,
    )


def test_change_order_keeps_identity_when_the_patient_is_the_same() -> None:
    prep = Preparation(order=_order())
    prep.identity = IdentityCheck("HGX-PSI-7731", date(1980, 3, 15))
    assert change_order(prep, _order(psi=" HGX-PSI-7731 ", infusion=date(2026, 12, 1))) == []
    assert prep.identity is not None
    assert prep.order is not None
    assert prep.order.infusion_date == date(2026, 12, 1)
    assert prep.events == []


@pytest.mark.parametrize(
    "changed",
    [_order(psi="HGX-PSI-7732"), _order(psi="hgx-psi-7731"), _order(born=date(1980, 3, 16))],  # case: issue 21
)
def test_change_order_clears_identity_when_the_patient_changes(changed: Order) -> None:
    prep = Preparation(order=_order())
    prep.identity = IdentityCheck("HGX-PSI-7731", date(1980, 3, 15))
    message = (
        "The patient-specific identifier or date of birth on the order changed, so the identity check was cleared: "
        "enter the carton's identifier and date of birth again."
    )
    assert change_order(prep, changed) == [message]
    assert prep.identity is None
    assert prep.order is changed
    assert [(e.kind, e.step, e.message) for e in prep.events] == [(EventKind.INVALIDATED, "order", message)]


def test_change_order_on_a_new_preparation_sets_it() -> None:
    prep = Preparation()
    order = _order()
    assert change_order(prep, order) == []
    assert prep.order is order
