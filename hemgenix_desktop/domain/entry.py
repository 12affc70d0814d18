"""What the operator types on the order, weight and kit pages, checked in plain words.

The typed text is read by :mod:`hemgenix_desktop.domain.parsing` (one parser per kind); here are the checks of
what it means (a date of birth not in the future, an infusion not past). Every function raises
:class:`InvalidInput` with the sentence the user sees. ``change_order`` is the order's counterpart of ``Preparation.set_weight_today``:
a changed patient identifier or date of birth clears the identity check and says so.
"""

from __future__ import annotations

from datetime import date, datetime

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.parsing import CountWords, parse_count
from hemgenix_desktop.domain.patient import age_on, identifiers_match
from hemgenix_desktop.domain.preparation import EventKind, Order, Preparation
from hemgenix_desktop.domain.weight import Weight

# A plausibility limit for a typed date of birth (a typo such as 1880 for 1980), not a clinical rule.
_OLDEST_PLAUSIBLE_AGE = 120
# The scale the weight was read from. Site SOPs may name others; these are the common ones.
WEIGHT_METHODS: tuple[str, ...] = ("Standing scale", "Bed scale", "Chair scale", "Wheelchair scale")


def check_date_of_birth(date_of_birth: date, today: date) -> None:
    if date_of_birth > today:
        raise InvalidInput(
            f"The date of birth {date_of_birth.isoformat()} is in the future. Check it and enter it again."
        )
    if age_on(date_of_birth, today) > _OLDEST_PLAUSIBLE_AGE:
        raise InvalidInput(
            f"The date of birth {date_of_birth.isoformat()} would make the patient older than "
            f"{_OLDEST_PLAUSIBLE_AGE} years. Check it and enter it again."
        )


def check_prescription_weight_date(weighed_on: date, today: date) -> None:
    if weighed_on > today:
        raise InvalidInput(
            f"The prescription weight date {weighed_on.isoformat()} is in the future. Enter the date the patient "
            "was weighed for the prescription."
        )


def check_infusion_date(infusion_date: date, today: date) -> None:
    if infusion_date < today:
        raise InvalidInput(
            f"The infusion date {infusion_date.isoformat()} has passed. Check the order: the dose is prepared for "
            "an infusion today or later."
        )


def check_measured_again(prep: Preparation, weight: Weight, measured_at: datetime) -> None:
    """A new weight needs its own measuring time (issue 21): the time kept for the earlier weight does not say when
    this one was read."""
    before, measured_before = prep.weight_today, prep.weight_measured_at
    if before is None or measured_before is None or before.kg == weight.kg or measured_at != measured_before:
        return
    raise InvalidInput(
        f"The weight changed from {before.describe()}, which was measured at this time. Enter when "
        f"{weight.describe()} was measured (“Now” if it was just read)."
    )


def check_weight_method(text: str | None) -> str:
    """How the weight was measured: one of :data:`WEIGHT_METHODS`."""
    if text is None or text not in WEIGHT_METHODS:
        names = ", ".join(m.lower() for m in WEIGHT_METHODS[:-1]) + " or " + WEIGHT_METHODS[-1].lower()
        raise InvalidInput(f"Choose how the weight was measured: {names}.")
    return text


COUNTED_VIALS = CountWords(
    empty="Enter the number of vials you counted in the carton, in digits.",
    not_a_count="is not a number of vials. Type the number of vials you counted, in digits.",
    zero="The vial count must be a whole number greater than zero. Count the vials again.",
)


def parse_vial_count(text: str) -> int:
    """The number of vials the operator counted in the carton."""
    return parse_count(text, COUNTED_VIALS)


def change_order(preparation: Preparation, order: Order) -> list[str]:
    """Set the order. A changed patient-specific identifier or date of birth clears the identity check
    (the carton must be compared again); returns what was cleared, in sentences, and records them."""
    cleared: list[str] = []
    old = preparation.order
    if old is not None and preparation.identity is not None:
        changed = not identifiers_match(old.patient.patient_specific_id, order.patient.patient_specific_id) or (
            old.patient.date_of_birth != order.patient.date_of_birth
        )
        if changed:
            cleared.append(
                "The patient-specific identifier or date of birth on the order changed, so the identity check "
                "was cleared: enter the carton's identifier and date of birth again."
            )
            preparation.identity = None
    preparation.order = order
    for message in cleared:
        preparation.record(EventKind.INVALIDATED, "order", message)
    return cleared
