"""One parser per kind of typed input: a decimal number, an amount in mL, a count, a date, a date and time, a line
of text (a name, an identifier).

Each kind's rule lives here once; a field brings only its words (what it is called, its example), so two fields
of one kind cannot drift apart (the verifier's blind dose volume and the preparer's volume drawn up are read by
the same :func:`parse_ml`). Every number is strict: ASCII digits with at most one decimal point (a full stop),
no exponent (``1e2``), no underscore (``1_44``), no sign (``+144``), no digits of other scripts (``١٤٤``), no
thousands separator. Surrounding spaces are ignored. A refusal is one sentence that quotes at most
:data:`SHOWN` characters of what was typed and never names a value the entry is later compared with.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from hemgenix_desktop.domain.errors import InvalidInput

SHOWN = 40  # characters of a refused entry quoted back in its sentence
MAX_TEXT = 200  # a free text (a name, an identifier, an order number)

# Decimal() alone would also read 1e3, 1_000, +144, NaN, Infinity and other scripts' digits.
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_NEGATIVE_OR_NOT_FINITE = re.compile(r"-(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)|[+-]?(?:s?nan|inf|infinity)", re.IGNORECASE)
_COUNT = re.compile(r"[0-9]+")
_DATE = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})")
_DATE_TIME = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[ T](?P<h>[0-9]{2}):(?P<min>[0-9]{2})")

MOST_ML = Decimal(10_000)  # no dose or bag comes near 10 L
MOST_COUNT = 999  # no kit holds a thousand vials


def shown(text: str) -> str:
    """What was typed, trimmed and cut to :data:`SHOWN` characters, as a refusal quotes it."""
    return text.strip()[:SHOWN]


def plain_decimal(text: str) -> Decimal | None:
    """``text`` as a number when it is written plainly (ASCII digits, at most one decimal point), else None."""
    return Decimal(text) if _DECIMAL.fullmatch(text) else None


def negative_or_not_finite(text: str) -> bool:
    """Whether ``text`` is a plainly written negative number, or "NaN" / "Infinity" (refused as not positive)."""
    return _NEGATIVE_OR_NOT_FINITE.fullmatch(text) is not None


# --- an amount in mL ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AmountWords:
    """The sentences of one amount field. ``not_a_number`` follows the quoted entry: “lots” is not a volume…"""

    empty: str
    comma: str
    not_a_number: str
    not_positive: str
    too_large: str


def parse_ml(text: str, words: AmountWords) -> Decimal:
    """An amount of mL more than zero and at most :data:`MOST_ML`, typed ``144``, ``144.5`` or ``144 mL``."""
    number = text.strip().removesuffix("mL").removesuffix("ml").strip()
    if not number:
        raise InvalidInput(words.empty)
    if "," in number:
        raise InvalidInput(words.comma)
    value = plain_decimal(number)
    if value is None:
        if negative_or_not_finite(number):
            raise InvalidInput(words.not_positive)
        raise InvalidInput(f"“{shown(text)}” {words.not_a_number}")
    if value == 0:
        raise InvalidInput(words.not_positive)
    if value > MOST_ML:
        raise InvalidInput(words.too_large)
    return value


# --- a count -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountWords:
    """The sentences of one count field. ``not_a_count`` follows the quoted entry: “15.5” is not a number of…"""

    empty: str
    not_a_count: str
    zero: str


def parse_count(text: str, words: CountWords, most: int = MOST_COUNT) -> int:
    """A whole number from 1 to ``most``, in ASCII digits (leading zeros allowed)."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(words.empty)
    significant = stripped.lstrip("0")
    if not _COUNT.fullmatch(stripped) or len(significant) > len(str(most)) or int(significant or "0") > most:
        raise InvalidInput(f"“{shown(stripped)}” {words.not_a_count}")
    if not significant:
        raise InvalidInput(words.zero)
    return int(significant)


# --- a line of text (a name, an identifier) ----------------------------------------------------------------
def require_text(text: str, what: str) -> str:
    """A required free text (a name, an MRN, an identifier, an order number): returned trimmed."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"Enter the {what}.")
    if len(stripped) > MAX_TEXT:
        raise InvalidInput(f"The {what} is too long: keep it under {MAX_TEXT} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in stripped):  # tab, line break, NUL, a scanner's GS…
        raise InvalidInput(
            f"The {what} contains a control character (such as a tab or a line break), which cannot be shown or "
            "printed. Type it again without it."
        )
    return stripped


# --- dates and times ---------------------------------------------------------------------------------------
def parse_date(text: str, what: str, example: str = "2026-11-29") -> date:
    """A date typed as YYYY-MM-DD (one format, no guessing between day and month). ``what`` names the field in
    the sentence ("date of birth")."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"Enter the {what} as YYYY-MM-DD, for example {example}.")
    match = _DATE.fullmatch(stripped)
    if match is None:
        raise InvalidInput(f"“{shown(stripped)}” is not a date. Enter the {what} as YYYY-MM-DD, for example {example}.")
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise InvalidInput(f"{stripped} is not a real date. Check the {what} and enter it as YYYY-MM-DD.") from exc


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
            f"“{shown(stripped)}” is not a date and time. Enter when the weight was measured as YYYY-MM-DD HH:MM, "
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
