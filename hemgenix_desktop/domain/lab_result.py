"""A laboratory result as the laboratory reported it: the factor IX inhibitor (Bethesda units) and the anti-AAV5
neutralizing-antibody titre (1:N, on the 7- or 9-point assay).

What a report says is kept as it says it: the text exactly as reported (``<0.3 BU``, ``not detected``, ``>1:700``),
read into a qualifier (``<``, ``≤``, ``=``, ``≥``, ``>``, or a word: negative / positive) and a number, with the
result's date, the laboratory and, for a word, the assay's detection limit. :func:`parse_reported` is the one
reader of a result's text; :meth:`LabResult.interval` is every value the report allows, which the eligibility
rules (``domain/eligibility.py``) compare with their limits. A word means a range only through the detection limit
entered with it: "negative" with a limit of 0.5 BU is any value below 0.5 BU.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.parsing import parse_date, plain_decimal, require_text, shown


class Analyte(StrEnum):
    """What was measured (the value is what the Preparation stores)."""

    INHIBITOR = "inhibitor"  # factor IX inhibitor, in Bethesda units
    NAB_TITRE = "nab_titre"  # anti-AAV5 neutralizing-antibody titre, 1:N


class Qualifier(StrEnum):
    """How the report qualifies its number, or the word it gives instead of one."""

    LT = "<"
    LE = "≤"
    EQ = "="
    GE = "≥"
    GT = ">"
    NEGATIVE = "negative"  # negative, not detected, neg…: below the assay's detection limit
    POSITIVE = "positive"  # positive, detected: at or above the assay's detection limit

    @property
    def is_word(self) -> bool:
        return self in (Qualifier.NEGATIVE, Qualifier.POSITIVE)


# The words laboratories print for a result below, or at and above, the assay's detection limit (compared in
# lower case, with a final full stop and repeated spaces dropped).
NEGATIVE_WORDS = frozenset(
    {"negative", "neg", "not detected", "none detected", "not detectable", "undetectable", "undetected", "nd", "n.d"}
)
POSITIVE_WORDS = frozenset({"positive", "pos", "detected"})

_QUALIFIERS: Mapping[str, Qualifier] = {
    "<=": Qualifier.LE,
    "=<": Qualifier.LE,
    "≤": Qualifier.LE,
    "⩽": Qualifier.LE,
    ">=": Qualifier.GE,
    "=>": Qualifier.GE,
    "≥": Qualifier.GE,
    "⩾": Qualifier.GE,
    "<": Qualifier.LT,
    ">": Qualifier.GT,
    "=": Qualifier.EQ,
}
_QUALIFIER = re.compile(r"(<=|=<|>=|=>|≤|⩽|≥|⩾|<|>|=)\s*")
_BU_UNIT = re.compile(r"\s*(?:n?bu(?:\s*/\s*ml)?|b\.u\.?|bethesda(?:\s+units?)?(?:\s*/\s*ml)?)$", re.IGNORECASE)
_TITRE = re.compile(r"(?:1\s*[:/]\s*)?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)")
_MAX_BU_DIGITS = 12  # a Bethesda result is a few digits; a longer one is a slip (or a paste), not a result
_MAX_TITRE_DIGITS = 7

INHIBITOR_FORMS = (
    "Type it as the laboratory reported it: the Bethesda units, with the report's < or > if it has one (for example "
    "0.2, 0.4 BU or <0.5 BU), or the report's word (negative, not detected, positive) with the assay's detection "
    "limit."
)
TITRE_FORMS = (
    "Type it as the laboratory reported it: 1:N (for example 1:400), with the report's < or > if it has one (for "
    "example <1:50 or >1:700), or the report's word (not detected, negative, positive) with the assay's detection "
    "limit."
)


@dataclass(frozen=True)
class Reading:
    """What the text of a result says: its qualifier and its number (None for a word)."""

    qualifier: Qualifier
    value: Decimal | None


@dataclass(frozen=True)
class Interval:
    """Every value a report allows: from ``low`` to ``high`` (None: no upper end), each end in or out."""

    low: Decimal
    low_closed: bool
    high: Decimal | None
    high_closed: bool

    def within(self, limit: Decimal, *, inclusive: bool) -> bool:
        """Whether every value allowed is within ``[0, limit]`` (``inclusive``) or ``[0, limit)``."""
        if self.high is None:
            return False
        return self.high < limit or (self.high == limit and (inclusive or not self.high_closed))

    def over(self, limit: Decimal, *, inclusive: bool) -> bool:
        """Whether every value allowed is beyond that same range."""
        return self.low > limit or (self.low == limit and (not inclusive or not self.low_closed))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _number(analyte: Analyte, body: str, original: str) -> Decimal:
    """The number of a result or a detection limit, its unit allowed after it; refused with a sentence."""
    if analyte is Analyte.INHIBITOR:
        number = _BU_UNIT.sub("", body).strip()
        if "," in number:
            raise InvalidInput("The inhibitor result has a comma. Use a decimal point, for example 0.2.")
        value = plain_decimal(number) if len(number) <= _MAX_BU_DIGITS else None
        if value is None:
            raise InvalidInput(f"“{shown(original)}” is not an inhibitor result. {INHIBITOR_FORMS}")
        return value
    match = _TITRE.fullmatch(body)
    digits = match.group(1).replace(",", "") if match is not None else ""
    if not digits or len(digits) > _MAX_TITRE_DIGITS:
        raise InvalidInput(f"“{shown(original)}” is not a titre. {TITRE_FORMS}")
    if int(digits) < 1:
        raise InvalidInput("A titre is 1:N with N at least 1. Check the laboratory report.")
    return Decimal(int(digits))


def parse_reported(analyte: Analyte, text: str) -> Reading:
    """The one reader of a result's text, e.g. ``0.4``, ``< 0.6 BU``, ``0.4 Bethesda units``, ``neg``, ``not
    detected``, ``1 : 400``, ``400``, ``<1:50``, ``>1:700``. Raises :class:`InvalidInput` saying what is wrong and
    which forms to use."""
    cleaned = _clean(text)
    if not cleaned:
        if analyte is Analyte.INHIBITOR:
            raise InvalidInput(
                "Enter the factor IX inhibitor result as the laboratory reported it, for example 0.2, <0.5 BU or "
                "negative."
            )
        raise InvalidInput("Enter the anti-AAV5 antibody titre as the laboratory reported it, for example 1:400.")
    word = cleaned.casefold().rstrip(".")
    if word in NEGATIVE_WORDS:
        return Reading(Qualifier.NEGATIVE, None)
    if word in POSITIVE_WORDS:
        return Reading(Qualifier.POSITIVE, None)
    match = _QUALIFIER.match(cleaned)
    qualifier = Qualifier.EQ if match is None else _QUALIFIERS[match.group(1)]
    body = cleaned if match is None else cleaned[match.end() :]
    value = _number(analyte, body, text)
    if qualifier is Qualifier.LT and value == 0:
        raise InvalidInput(f"“{shown(text)}” allows no value: a result is never below 0. Check the laboratory report.")
    return Reading(qualifier, value)


def parse_detection_limit(analyte: Analyte, text: str) -> Decimal | None:
    """The assay's detection limit as the report gives it (``0.5``, ``0.5 BU``; ``1:50``, ``50``); None if empty."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    example = "0.5 BU" if analyte is Analyte.INHIBITOR else "1:50"
    if _QUALIFIER.match(cleaned) or cleaned.casefold().rstrip(".") in NEGATIVE_WORDS | POSITIVE_WORDS:
        raise InvalidInput(f"Enter the detection limit as the number the report gives, for example {example}.")
    try:
        value = _number(analyte, cleaned, text)
    except InvalidInput:
        raise InvalidInput(
            f"“{shown(text)}” is not a detection limit. Enter it as the report gives it, for example {example}."
        ) from None
    if value <= 0:
        raise InvalidInput(f"A detection limit is more than 0. Enter it as the report gives it, for example {example}.")
    return value


def format_value(analyte: Analyte, value: Decimal) -> str:
    """A number of this analyte with its unit: ``0.6 BU``, ``1:678``."""
    return f"{value} BU" if analyte is Analyte.INHIBITOR else f"1:{value}"


@dataclass(frozen=True)
class LabResult:
    """One result as reported: the text as the report gives it, read; its date, laboratory and assay.

    ``on`` is None and ``laboratory`` empty only for a result recorded before they were kept."""

    analyte: Analyte
    reported: str
    qualifier: Qualifier
    value: Decimal | None
    on: date | None
    laboratory: str
    detection_limit: Decimal | None = None
    assay_points: int | None = None  # the NAb assay (7- or 9-point); None for the inhibitor

    def interval(self) -> Interval:
        """Every value this report allows (a word through the detection limit entered with it)."""
        q, v = self.qualifier, self.value
        if q.is_word:
            assert self.detection_limit is not None  # lab_result() refuses a word without its limit
            limit = self.detection_limit
            return (
                Interval(Decimal(0), True, limit, False)
                if q is Qualifier.NEGATIVE
                else Interval(limit, True, None, False)
            )
        assert v is not None
        if q is Qualifier.EQ:
            return Interval(v, True, v, True)
        if q in (Qualifier.LT, Qualifier.LE):
            return Interval(Decimal(0), True, v, q is Qualifier.LE)
        return Interval(v, q is Qualifier.GE, None, False)

    def described(self) -> str:
        """The result as reported, with what goes with it: “negative” (detection limit 0.5 BU; 2026-11-20, Central
        Laboratory); a titre names its assay: “1:400” on the 7-point assay (2026-11-20, Central Laboratory)."""
        text = f"“{self.reported}”"
        if self.assay_points is not None:
            text += f" on the {self.assay_points}-point assay"
        when_where = ", ".join(x for x in (None if self.on is None else self.on.isoformat(), self.laboratory) if x)
        notes = [x for x in (self._limit_text(), when_where) if x]
        return text + (f" ({'; '.join(notes)})" if notes else "")

    def _limit_text(self) -> str:
        return (
            ""
            if self.detection_limit is None
            else f"detection limit {format_value(self.analyte, self.detection_limit)}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyte": self.analyte.value,
            "reported": self.reported,
            "qualifier": self.qualifier.value,
            "value": None if self.value is None else str(self.value),
            "on": None if self.on is None else self.on.isoformat(),
            "laboratory": self.laboratory,
            "detection_limit": None if self.detection_limit is None else str(self.detection_limit),
            "assay_points": self.assay_points,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LabResult:
        return cls(
            analyte=Analyte(data["analyte"]),
            reported=str(data["reported"]),
            qualifier=Qualifier(data["qualifier"]),
            value=None if data["value"] is None else Decimal(data["value"]),
            on=None if data["on"] is None else date.fromisoformat(data["on"]),
            laboratory=str(data["laboratory"]),
            detection_limit=None if data["detection_limit"] is None else Decimal(data["detection_limit"]),
            assay_points=None if data["assay_points"] is None else int(data["assay_points"]),
        )


def lab_result(
    analyte: Analyte,
    reported: str,
    on: str,
    laboratory: str,
    detection_limit: str = "",
    assay_points: int | None = None,
) -> LabResult:
    """A result from what was typed: the text as reported, its date (YYYY-MM-DD), the laboratory and, with a word,
    the assay's detection limit. Raises :class:`InvalidInput` with the first thing wrong and what to type."""
    reading = parse_reported(analyte, reported)
    limit = parse_detection_limit(analyte, detection_limit)
    what = "inhibitor result" if analyte is Analyte.INHIBITOR else "titre"
    if reading.qualifier.is_word and limit is None:
        example = "0.5 BU" if analyte is Analyte.INHIBITOR else "1:50"
        raise InvalidInput(
            f"The {what} is reported as a word (“{_clean(reported)}”): enter the assay's detection limit the report "
            f"gives with it (for example {example}), which says what the word means."
        )
    day = parse_date(on, f"date of the {what}")
    lab = require_text(laboratory, f"laboratory that reported the {what}")
    return LabResult(analyte, _clean(reported), reading.qualifier, reading.value, day, lab, limit, assay_points)


def legacy_result(analyte: Analyte, value: Decimal | int, assay_points: int | None = None) -> LabResult:
    """A result kept by a version that stored only its number (no date, laboratory or qualifier)."""
    number = Decimal(value)
    reported = str(number) if analyte is Analyte.INHIBITOR else f"1:{number}"
    return LabResult(analyte, reported, Qualifier.EQ, number, None, "", None, assay_points)
