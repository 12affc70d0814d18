import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.carton import format_bracketed, format_element_string, parse_carton
from hemgenix_desktop.domain.errors import (
    CartonExpired,
    KitTooSmall,
    PracticeCarton,
    VialCountMismatch,
    WeightDrift,
    WrongKit,
)
from hemgenix_desktop.domain.patient import IdentityCheck, Patient
from hemgenix_desktop.domain.preparation import EventKind, Order, Preparation
from hemgenix_desktop.domain.weight import parse_weight
from tests.helpers.preparations import reported_answers


def order(weight: str = "72") -> Order:
    return Order(
        patient=Patient("Alex Example", date(1980, 3, 15), "MRN-0001", "HGX-PSI-7731"),
        order_number="ORD-1",
        prescriber="Dr. Rivera",
        authorization_number="PA-99",
        prescription_weight=parse_weight(weight, "kg"),
        prescription_weight_date=date(2026, 11, 1),
        infusion_date=date(2026, 12, 1),
    )


def carton(gtin: str = "00300530150153", expiry: date = date(2027, 5, 31)):  # type: ignore[no-untyped-def]
    return parse_carton(format_element_string(gtin, expiry, "LOT1", "SER1"))


def full() -> Preparation:
    prep = Preparation(order=order())
    prep.eligibility = reported_answers("0.1", "1:300", 9, date(2026, 11, 20))
    prep.identity = IdentityCheck("HGX-PSI-7731", date(1980, 3, 15))
    prep.set_weight_today(parse_weight("160 lb"))
    prep.weight_measured_at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    prep.carton = carton()
    prep.vials_counted = 15
    prep.checks = {
        "uv_lamp_off": True,
        "volume_drawn_ml": Decimal("145.15"),
        "diluent_expiry": date(2027, 1, 1),
        "engineering_control": "Isolator",
    }
    prep.prepared_at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    prep.record(EventKind.NOTICE, "weight", "a notice")
    return prep


def test_round_trip_through_json() -> None:
    prep = full()
    data = json.loads(json.dumps(prep.to_dict()))
    again = Preparation.from_dict(data)
    assert again.to_dict() == prep.to_dict()
    assert again.dose is not None
    assert again.dose.dose_ml == Decimal("145.15")  # 160 lb converted exactly, rounded up to 0.01 mL
    assert again.complete_by == datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def test_a_new_weight_clears_the_kit_check_and_drawn_volume() -> None:
    prep = full()
    cleared = prep.set_weight_today(parse_weight("73", "kg"))
    assert cleared == [
        "The weight changed, so the kit scan and the vial count were cleared: scan the carton and count the vials "
        "again.",
        "The weight changed, so the volume drawn up was cleared: enter it again.",
    ]
    assert prep.carton is None
    assert prep.vials_counted is None
    assert "volume_drawn_ml" not in prep.checks
    assert prep.checks["uv_lamp_off"] is True
    assert [e.kind for e in prep.events[-2:]] == [EventKind.INVALIDATED, EventKind.INVALIDATED]


def test_the_same_weight_clears_nothing() -> None:
    prep = full()
    assert prep.set_weight_today(parse_weight("160", "lb")) == []
    assert prep.carton is not None


def test_drift() -> None:
    prep = Preparation(order=order("72"))
    prep.set_weight_today(parse_weight("76", "kg"))
    with pytest.raises(WeightDrift):
        prep.drift()
    prep.set_weight_today(parse_weight("73", "kg"))
    notice = prep.drift()
    assert notice is not None
    assert notice.change_kg == Decimal("1")


def test_kit_checks() -> None:
    prep = Preparation(order=order())
    prep.set_weight_today(parse_weight("72", "kg"))
    prep.check_kit(carton())
    with pytest.raises(KitTooSmall) as small:
        prep.check_kit(carton("00300530140147"))
    assert small.value.message == (
        "This kit holds 14 vials, but the dose of 144 mL for today's weight 72 kg needs the 15-vial kit (NDC "
        "00053-0150-15): the dose does not fit this kit. Stop. Re-check both weights, the order's (72 kg) and "
        "today's (72 kg), and their units (kg or lb). If the weights are right, set this kit aside and find the kit "
        "for this dose."
    )
    with pytest.raises(WrongKit):
        prep.check_kit(carton("00300530160169"))
    with pytest.raises(CartonExpired):
        prep.check_kit(carton(expiry=date(2026, 11, 30)))
    prep.carton = carton()
    prep.check_vial_count(15)
    with pytest.raises(VialCountMismatch) as caught:
        prep.check_vial_count(14)
    assert caught.value.message.startswith("You counted 14 vials: that is not the number this kit should hold.")
    assert "15" not in caught.value.message  # the count is blind: the stop never names the kit's number


@pytest.mark.parametrize("practice", [False, True])
def test_the_kit_check_asks_the_practice_carton_rule(practice: bool) -> None:
    prep = Preparation(practice=practice, order=order())
    prep.set_weight_today(parse_weight("72", "kg"))
    scan = parse_carton(format_bracketed("00300530150153", date(2027, 11, 29), "PRACTICE-L15", "PRACTICE-S0001"))
    if practice:
        prep.check_kit(scan)  # practice mode accepts its own carton
        return
    with pytest.raises(PracticeCarton):
        prep.check_kit(scan)


def test_a_lb_kg_slip_on_both_weights_says_the_dose_does_not_fit_the_kit() -> None:
    # Issue 21: 158.7 lb typed as kg on the order and today: no drift, but the 15-vial kit in hand (ordered for a
    # 72 kg patient) is not "the kit ordered for this patient" to find: re-check both weights and their units.
    prep = Preparation(order=order("158.7"))
    prep.set_weight_today(parse_weight("158.7", "kg"))
    assert prep.drift() is None
    with pytest.raises(KitTooSmall) as caught:
        prep.check_kit(carton())
    message = caught.value.message
    assert "the dose does not fit this kit" in message
    assert (
        "Re-check both weights, the order's (158.7 kg) and today's (158.7 kg), and their units (kg or lb)." in message
    )
    assert "Read in lb, 158.7 lb = 71.99 kg would need this 15-vial kit." in message
    assert "use the kit ordered for this patient" not in message


def test_a_kit_that_expires_before_the_infusion_date_is_not_called_expired() -> None:
    prep = Preparation(order=order())  # infusion on 2026-12-01
    prep.set_weight_today(parse_weight("72", "kg"))
    with pytest.raises(CartonExpired) as caught:
        prep.check_kit(carton(expiry=date(2026, 11, 30)), today=date(2026, 11, 29))
    assert caught.value.message.startswith(
        "This kit expires on 2026-11-30 (lot LOT1), before the infusion date 2026-12-01"
    )
    with pytest.raises(CartonExpired) as caught:
        prep.check_kit(carton(expiry=date(2026, 11, 30)), today=date(2026, 12, 1))
    assert caught.value.message.startswith("This kit expired on 2026-11-30")


@pytest.mark.parametrize(
    ("limit", "today", "needs_override"),
    [
        ("5", "72.4", False),  # +0.6 %: a notice only
        ("5", "75", False),  # +4.2 %
        ("5", "71.01", False),  # −1.4 %
        ("1", "72.72", False),  # exactly +1 %: still within
        ("1", "72.73", True),  # just over +1 %
        ("0", "72.01", True),  # 0: every change needs an override
    ],
)
def test_a_weight_change_with_the_same_vials_is_an_override_only_beyond_the_site_percentage(
    limit: str, today: str, needs_override: bool
) -> None:
    prep = Preparation(order=order("72"), drift_notice_percent=Decimal(limit))
    prep.set_weight_today(parse_weight(today, "kg"))
    notice = prep.drift()
    assert notice is not None
    assert notice.needs_override is needs_override
    assert notice.message.endswith("(an override).") is needs_override
    again = Preparation.from_dict(json.loads(json.dumps(prep.to_dict())))
    assert again.drift_notice_percent == Decimal(limit)


def test_a_preparation_saved_before_the_setting_keeps_every_change_an_override() -> None:
    data = full().to_dict()
    del data["drift_notice_percent"]
    assert Preparation.from_dict(data).drift_notice_percent == 0
    assert Preparation.from_dict(data).to_dict() == data  # written back as it was read: its signatures' hash holds
