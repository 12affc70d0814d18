"""What the operator types on the order, weight and kit pages, checked in plain words.

Dates are typed as ``YYYY-MM-DD`` (one format, no guessing between day and month); the time a weight was
measured as ``YYYY-MM-DD HH:MM`` in local time. Every function raises :class:`InvalidInput` with the
sentence the user sees. ``change_order`` is the order's counterpart of ``Preparation.set_weight_today``:
a changed patient identifier or date of birth clears the identity check and says so.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, tzinfo

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.patient import age_on, identifiers_match
from hemgenix_desktop.domain.preparation import EventKind, Order, Preparation

_DATE = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})")
_DATE_TIME = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[ T](?P<h>[0-9]{2}):(?P<min>[0-9]{2})")
_MAX_TEXT = 200
# A plausibility limit for a typed date of birth (a typo such as 1880 for 1980), not a clinical rule.
_OLDEST_PLAUSIBLE_AGE = 120
# The scale the weight was read from. Site SOPs may name others; these are the common ones.
WEIGHT_METHODS: tuple[str, ...] = ("Standing scale", "Bed scale", "Chair scale", "Wheelchair scale")


def require_text(text: str, what: str) -> str:
    """A required free text (a name, an MRN, an order number): returned trimmed."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"Enter the {what}.")
    if len(stripped) > _MAX_TEXT:
        raise InvalidInput(f"The {what} is too long: keep it under {_MAX_TEXT} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in stripped):  # tab, line break, NUL, a scanner's GS…
        raise InvalidInput(
            f"The {what} contains a control character (such as a tab or a line break), which cannot be shown or "
            "printed. Type it again without it."
        )
    return stripped


def parse_date(text: str, what: str, example: str = "2026-11-29") -> date:
    """A date typed as YYYY-MM-DD. ``what`` names the field in the sentence ("date of birth")."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"Enter the {what} as YYYY-MM-DD, for example {example}.")
    match = _DATE.fullmatch(stripped)
    if match is None:
        raise InvalidInput(f"“{stripped[:40]}” is not a date. Enter the {what} as YYYY-MM-DD, for example {example}.")
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise InvalidInput(f"{stripped} is not a real date. Check the {what} and enter it as YYYY-MM-DD.") from exc


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


def parse_measured_at(text: str, now: datetime, tz: tzinfo | None = None) -> datetime:
    """When today's weight was measured, typed as local ``YYYY-MM-DD HH:MM``; returned time-zone aware.

    ``now`` must be time-zone aware; ``tz`` is the local zone (the computer's when None).
    """
    local_now = now.astimezone(tz)
    example = local_now.strftime("%Y-%m-%d %H:%M")
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"Enter when the weight was measured as YYYY-MM-DD HH:MM, for example {example}.")
    match = _DATE_TIME.fullmatch(stripped)
    if match is None:
        raise InvalidInput(
            f"“{stripped[:40]}” is not a date and time. Enter when the weight was measured as YYYY-MM-DD HH:MM, "
            f"for example {example}."
        )
    day = parse_date(match["date"], "date the weight was measured", example=example[:10])
    hour, minute = int(match["h"]), int(match["min"])
    if hour > 23 or minute > 59:
        raise InvalidInput(f"{match['h']}:{match['min']} is not a time of day. Use 24-hour time, for example 08:15.")
    measured = datetime(day.year, day.month, day.day, hour, minute, tzinfo=local_now.tzinfo)
    if measured > local_now + timedelta(minutes=1):
        raise InvalidInput(
            f"The weight cannot have been measured at {stripped}: that is in the future. Enter when the patient "
            "was weighed."
        )
    return measured


def check_weight_method(text: str | None) -> str:
    """How the weight was measured: one of :data:`WEIGHT_METHODS`."""
    if text is None or text not in WEIGHT_METHODS:
        names = ", ".join(m.lower() for m in WEIGHT_METHODS[:-1]) + " or " + WEIGHT_METHODS[-1].lower()
        raise InvalidInput(f"Choose how the weight was measured: {names}.")
    return text


def parse_vial_count(text: str) -> int:
    """The number of vials the operator counted in the carton."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput("Enter the number of vials you counted in the carton, for example 15.")
    if not re.fullmatch(r"[0-9]{1,3}", stripped):
        raise InvalidInput(f"“{stripped[:40]}” is not a number of vials. Type the count in digits, for example 15.")
    count = int(stripped)
    if count == 0:
        raise InvalidInput("The vial count must be a whole number greater than zero. Count the vials again.")
    return count


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
