import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.carton import format_element_string, parse_carton
from hemgenix_desktop.domain.eligibility import EligibilityAnswers
from hemgenix_desktop.domain.errors import CartonExpired, KitTooSmall, VialCountMismatch, WeightDrift, WrongKit
from hemgenix_desktop.domain.patient import IdentityCheck, Patient
from hemgenix_desktop.domain.preparation import EventKind, Order, Preparation
from hemgenix_desktop.domain.weight import parse_weight


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
    prep.eligibility = EligibilityAnswers(True, False, Decimal("0.1"), 300, 9)
    prep.identity = IdentityCheck("HGX-PSI-7731", date(1980, 3, 15))
    prep.set_weight_today(parse_weight("160 lb"))
    prep.weight_measured_at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    prep.carton = carton()
    prep.vials_counted = 15
    prep.checks = {
        "uv_lamp_off": True,
        "volume_drawn_ml": Decimal("145.2"),
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
    assert again.dose.dose_ml == Decimal("145.2")
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
    assert prep.set_weight_today(parse_weight("72.6", "kg")) == []
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
        "This kit holds 14 vials but the dose of 144 mL needs 15. Stop: use the kit ordered for this patient."
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
