"""The payer policy's eligibility criteria, with thresholds from ``resources/eligibility.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from hemgenix_desktop.domain.errors import (
    DataFileError,
    InhibitorPositive,
    InvalidInput,
    NoAuthorization,
    PriorGeneTherapy,
    TitreOverLimit,
    UnderAge,
)
from hemgenix_desktop.domain.parsing import plain_decimal, shown
from hemgenix_desktop.domain.patient import age_on
from hemgenix_desktop.resource_locator import resource_path


@dataclass(frozen=True)
class EligibilityThresholds:
    minimum_age_years: int
    inhibitor_negative_below_bu: Decimal
    titre_max_denominator: dict[int, int]  # assay points → highest acceptable 1:N


def load_thresholds(path: Path) -> EligibilityThresholds:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        thresholds = EligibilityThresholds(
            minimum_age_years=int(data["age"]["minimum_years"]),
            inhibitor_negative_below_bu=Decimal(str(data["inhibitor"]["negative_below_bu"])),
            titre_max_denominator={int(k): int(v) for k, v in data["nab_titre"]["max_denominator"].items()},
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise DataFileError(f"The eligibility file {path} cannot be used ({exc}). Reinstall Hemgenix Prep.") from exc
    if not thresholds.titre_max_denominator or thresholds.inhibitor_negative_below_bu <= 0:
        raise DataFileError(f"The eligibility file {path} has no usable thresholds. Reinstall Hemgenix Prep.")
    return thresholds


@cache
def eligibility_thresholds() -> EligibilityThresholds:
    return load_thresholds(resource_path("eligibility.toml"))


_MAX_BU_DIGITS = 12  # a Bethesda result is a few digits; a longer one is a slip (or a paste), not a result


def parse_inhibitor_bu(text: str) -> Decimal:
    """A factor IX inhibitor result in Bethesda units, e.g. ``0.3`` or ``0.3 BU``; ``<0.3`` reads as 0.3."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput("Enter the factor IX inhibitor result in Bethesda units, for example 0.2.")
    body = re.sub(r"\s*(BU|bu|Bethesda units?)$", "", stripped).lstrip("<").strip()
    if "," in body:
        raise InvalidInput("The inhibitor result has a comma. Use a decimal point, for example 0.2.")
    value = plain_decimal(body) if len(body) <= _MAX_BU_DIGITS else None
    if value is None:
        raise InvalidInput(
            f"“{shown(stripped)}” is not an inhibitor result. Type the number of Bethesda units, for example 0.2."
        )
    return value


def parse_titre(text: str) -> int:
    """An anti-AAV5 NAb titre as ``1:678`` or ``678``: returns the denominator."""
    stripped = text.strip().replace(" ", "")
    if not stripped:
        raise InvalidInput("Enter the anti-AAV5 antibody titre, for example 1:400.")
    match = re.fullmatch(r"(?:1:)?([0-9]{1,7})", stripped)
    if match is None:
        raise InvalidInput(f"“{text.strip()[:40]}” is not a titre. Type it as 1:N, for example 1:400.")
    value = int(match.group(1))
    if value < 1:
        raise InvalidInput("A titre is 1:N with N at least 1. Check the laboratory report.")
    return value


@dataclass(frozen=True)
class EligibilityAnswers:
    """The policy criteria, answered explicitly (None = not answered yet)."""

    authorization_on_file: bool | None
    prior_aav_gene_therapy: bool | None
    inhibitor_bu: Decimal | None
    titre_denominator: int | None
    assay_points: int | None


def check_age(date_of_birth: date, on: date, thresholds: EligibilityThresholds | None = None) -> int:
    thresholds = thresholds or eligibility_thresholds()
    age = age_on(date_of_birth, on)
    if age < thresholds.minimum_age_years:
        raise UnderAge(
            f"The patient is {age} years old on {on.isoformat()}; Hemgenix is for adults "
            f"({thresholds.minimum_age_years} or older). Stop: do not prepare."
        )
    return age


def check_eligibility(
    answers: EligibilityAnswers,
    date_of_birth: date,
    on: date,
    thresholds: EligibilityThresholds | None = None,
) -> list[str]:
    """Raise the clinical stop of the first failed criterion; return the sentences of what was confirmed.

    Unanswered criteria raise :class:`InvalidInput` (never treated as a yes or a no).
    """
    thresholds = thresholds or eligibility_thresholds()
    missing = []
    if answers.authorization_on_file is None:
        missing.append("whether the prior authorization is on file")
    if answers.prior_aav_gene_therapy is None:
        missing.append("whether the patient had AAV gene therapy before")
    if answers.inhibitor_bu is None:
        missing.append("the factor IX inhibitor result")
    if answers.titre_denominator is None or answers.assay_points is None:
        missing.append("the anti-AAV5 antibody titre and its assay")
    if missing:
        raise InvalidInput("Answer every criterion: " + "; ".join(missing) + ".")
    assert answers.inhibitor_bu is not None
    assert answers.titre_denominator is not None
    assert answers.assay_points is not None
    if not answers.authorization_on_file:
        raise NoAuthorization(
            "No prior authorization is on file for this one dose. Stop: Hemgenix is given once, only with an "
            "authorization for that dose."
        )
    age = check_age(date_of_birth, on, thresholds)
    if answers.prior_aav_gene_therapy:
        raise PriorGeneTherapy(
            "The patient has had AAV-vector gene therapy before. Stop: the policy does not allow Hemgenix "
            "after prior hemophilia gene therapy."
        )
    limit_bu = thresholds.inhibitor_negative_below_bu
    if answers.inhibitor_bu >= limit_bu:
        raise InhibitorPositive(
            f"The factor IX inhibitor result is {answers.inhibitor_bu} BU; it must be below {limit_bu} BU. "
            "Stop: re-test in about 2 weeks; if positive again, Hemgenix must not be given."
        )
    limit = thresholds.titre_max_denominator.get(answers.assay_points)
    if limit is None:
        points = " or ".join(f"{p}-point" for p in sorted(thresholds.titre_max_denominator))
        raise InvalidInput(f"Choose the assay the titre was measured with: {points}.")
    if answers.titre_denominator > limit:
        raise TitreOverLimit(
            f"The anti-AAV5 antibody titre 1:{answers.titre_denominator} is above the limit of 1:{limit} for the "
            f"{answers.assay_points}-point assay. Stop: the patient does not meet the policy's criteria."
        )
    return [
        "Prior authorization on file for one dose.",
        f"Age {age} years (at least {thresholds.minimum_age_years}).",
        "No prior AAV-vector gene therapy.",
        f"Factor IX inhibitor {answers.inhibitor_bu} BU (below {limit_bu} BU).",
        f"Anti-AAV5 NAb titre 1:{answers.titre_denominator} on the {answers.assay_points}-point assay "
        f"(limit 1:{limit}).",
    ]
