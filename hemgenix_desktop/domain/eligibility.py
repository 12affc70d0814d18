"""The payer policy's eligibility criteria, with thresholds from ``resources/eligibility.toml``.

A laboratory result (``domain/lab_result.py``) is decided by every value its report allows, never by its bare number:
within a limit only when every value is within it, over only when every one is over it, otherwise undetermined,
with the sentence of what result would settle it. The inhibitor's re-test path is the policy's: a positive result
is re-tested about two weeks later; two positives stop for good.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from pathlib import Path

from hemgenix_desktop.domain.errors import (
    DataFileError,
    InhibitorPositive,
    InvalidInput,
    NoAuthorization,
    PriorGeneTherapy,
    ResultTooOld,
    ResultUndetermined,
    TitreOverLimit,
    UnderAge,
)
from hemgenix_desktop.domain.lab_result import Analyte, LabResult
from hemgenix_desktop.domain.patient import age_on
from hemgenix_desktop.resource_locator import resource_path


@dataclass(frozen=True)
class EligibilityThresholds:
    minimum_age_years: int
    inhibitor_negative_below_bu: Decimal
    titre_max_denominator: dict[int, int]  # assay points → highest acceptable 1:N
    inhibitor_retest_after_days: int  # a positive inhibitor result is re-tested about this many days later


def load_thresholds(path: Path) -> EligibilityThresholds:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        thresholds = EligibilityThresholds(
            minimum_age_years=int(data["age"]["minimum_years"]),
            inhibitor_negative_below_bu=Decimal(str(data["inhibitor"]["negative_below_bu"])),
            titre_max_denominator={int(k): int(v) for k, v in data["nab_titre"]["max_denominator"].items()},
            inhibitor_retest_after_days=int(data["inhibitor"]["retest_after_days"]),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise DataFileError(f"The eligibility file {path} cannot be used ({exc}). Reinstall Hemgenix Prep.") from exc
    if (
        not thresholds.titre_max_denominator
        or thresholds.inhibitor_negative_below_bu <= 0
        or thresholds.inhibitor_retest_after_days <= 0
    ):
        raise DataFileError(f"The eligibility file {path} has no usable thresholds. Reinstall Hemgenix Prep.")
    return thresholds


@cache
def eligibility_thresholds() -> EligibilityThresholds:
    return load_thresholds(resource_path("eligibility.toml"))


class Verdict(StrEnum):
    """What a result says against its limit: every value the report allows is within it, or every one is over it,
    or the report allows both (undetermined)."""

    WITHIN = "within"
    OVER = "over"
    UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class EligibilityAnswers:
    """The policy criteria, answered explicitly (None = not answered yet). The titre's assay is its result's.

    ``legacy``: read from a preparation kept before results were recorded as reported (only their numbers), so that
    it is written back in the same form and its hash does not change."""

    authorization_on_file: bool | None
    prior_aav_gene_therapy: bool | None
    inhibitor: LabResult | None
    titre: LabResult | None
    inhibitor_retest: LabResult | None = None
    legacy: bool = False

    def results(self) -> list[tuple[str, LabResult]]:
        """Each result entered, with its name: the inhibitor, its re-test, the titre."""
        named = [
            ("Factor IX inhibitor", self.inhibitor),
            ("Factor IX inhibitor re-test", self.inhibitor_retest),
            ("Anti-AAV5 NAb titre", self.titre),
        ]
        return [(name, result) for name, result in named if result is not None]


def _inhibitor_words(limit: Decimal) -> tuple[str, str]:
    return f"negative (below {limit} BU)", f"positive ({limit} BU or more)"


def _titre_words(limit: int, points: int) -> tuple[str, str]:
    return (
        f"within the {points}-point assay's limit of 1:{limit}",
        f"above the {points}-point assay's limit of 1:{limit}",
    )


def inhibitor_verdict(result: LabResult, thresholds: EligibilityThresholds | None = None) -> Verdict:
    """Negative (within) only when every value the report allows is below the limit; positive (over) only when
    every one is at or above it."""
    limit = (thresholds or eligibility_thresholds()).inhibitor_negative_below_bu
    interval = result.interval()
    if interval.within(limit, inclusive=False):
        return Verdict.WITHIN
    return Verdict.OVER if interval.over(limit, inclusive=False) else Verdict.UNDETERMINED


def titre_limit(points: int | None, thresholds: EligibilityThresholds | None = None) -> int:
    """The highest acceptable 1:N of the assay; :class:`InvalidInput` when no assay (or an unknown one) is given."""
    limits = (thresholds or eligibility_thresholds()).titre_max_denominator
    if points is None or points not in limits:
        raise InvalidInput(
            "Choose the assay the titre was measured with: " + " or ".join(f"{p}-point" for p in sorted(limits)) + "."
        )
    return limits[points]


def titre_verdict(result: LabResult, thresholds: EligibilityThresholds | None = None) -> Verdict:
    """Within only when every titre the report allows is at most the assay's limit; over only when every one is
    above it."""
    limit = Decimal(titre_limit(result.assay_points, thresholds))
    interval = result.interval()
    if interval.within(limit, inclusive=True):
        return Verdict.WITHIN
    return Verdict.OVER if interval.over(limit, inclusive=True) else Verdict.UNDETERMINED


def reading(result: LabResult, thresholds: EligibilityThresholds | None = None) -> str:
    """What the result says against its limit, in words (the record's "Reading" column)."""
    thresholds = thresholds or eligibility_thresholds()
    if result.analyte is Analyte.INHIBITOR:
        within, over = _inhibitor_words(thresholds.inhibitor_negative_below_bu)
        verdict = inhibitor_verdict(result, thresholds)
    else:
        assert result.assay_points is not None
        within, over = _titre_words(titre_limit(result.assay_points, thresholds), result.assay_points)
        verdict = titre_verdict(result, thresholds)
    if verdict is Verdict.UNDETERMINED:
        return "undetermined: the report allows values on both sides of the limit"
    return within if verdict is Verdict.WITHIN else over


def positive_first_result(answers: EligibilityAnswers, thresholds: EligibilityThresholds | None = None) -> bool:
    """Whether the first inhibitor result is positive, so that a re-test may follow it."""
    first = answers.inhibitor
    return first is not None and inhibitor_verdict(first, thresholds) is Verdict.OVER


def check_age(date_of_birth: date, on: date, thresholds: EligibilityThresholds | None = None) -> int:
    thresholds = thresholds or eligibility_thresholds()
    age = age_on(date_of_birth, on)
    if age < thresholds.minimum_age_years:
        raise UnderAge(
            f"The patient is {age} years old on {on.isoformat()}; Hemgenix is for adults "
            f"({thresholds.minimum_age_years} or older). Stop: do not prepare."
        )
    return age


def _undetermined_inhibitor(name: str, result: LabResult, limit: Decimal) -> ResultUndetermined:
    return ResultUndetermined(
        f"The {name} {result.described()} allows values both below {limit} BU and at or above it, so it says "
        f"neither negative nor positive. A result reported below {limit} BU (for example “<{limit} BU”, or a number "
        f"below {limit}) would settle it as negative, one of {limit} BU or more as positive: ask the laboratory for "
        "the result as a number, and enter it as reported."
    )


def _check_dates(answers: EligibilityAnswers, on: date) -> None:
    for name, result in answers.results():
        if result.on is not None and result.on > on:
            raise InvalidInput(
                f"The {name[0].lower() + name[1:]} is dated {result.on.isoformat()}, after the infusion date "
                f"{on.isoformat()}. Check the date on the laboratory report."
            )


def _check_inhibitor(answers: EligibilityAnswers, thresholds: EligibilityThresholds) -> str:
    """The confirmed sentence of the inhibitor criterion; raises its stop, or says what would settle it."""
    first, retest = answers.inhibitor, answers.inhibitor_retest
    assert first is not None
    limit = thresholds.inhibitor_negative_below_bu
    negative, positive = _inhibitor_words(limit)
    verdict = inhibitor_verdict(first, thresholds)
    if verdict is not Verdict.OVER and retest is not None:
        raise InvalidInput(
            f"The first factor IX inhibitor result {first.described()} is not positive, so no re-test follows it: "
            "clear the re-test's fields, or check the first result."
        )
    if verdict is Verdict.UNDETERMINED:
        raise _undetermined_inhibitor("factor IX inhibitor result", first, limit)
    if verdict is Verdict.WITHIN:
        return f"Factor IX inhibitor {first.described()}: {negative}."
    days = thresholds.inhibitor_retest_after_days
    if retest is None:
        around = "" if first.on is None else f" (around {(first.on + timedelta(days=days)).isoformat()})"
        raise InhibitorPositive(
            f"The factor IX inhibitor result {first.described()} is {positive}; negative is below {limit} BU. "
            f"Stop: re-test in about {days} days{around} and enter the re-test; if the re-test is positive too, "
            "Hemgenix must not be given."
        )
    if first.on is not None and retest.on is not None and retest.on <= first.on:
        raise InvalidInput(
            f"The inhibitor re-test is dated {retest.on.isoformat()}, not after the first result "
            f"({first.on.isoformat()}). The re-test follows the positive result: check the dates on the two reports."
        )
    again = inhibitor_verdict(retest, thresholds)
    if again is Verdict.UNDETERMINED:
        raise _undetermined_inhibitor("inhibitor re-test", retest, limit)
    if again is Verdict.OVER:
        raise InhibitorPositive(
            f"Both factor IX inhibitor results are {positive}: the first {first.described()} and the re-test "
            f"{retest.described()}. Stop for good: Hemgenix must not be given when the re-test is also positive."
        )
    later = "" if first.on is None or retest.on is None else f", {(retest.on - first.on).days} days later"
    return f"Factor IX inhibitor {first.described()}: {positive}; re-test {retest.described()}{later}: {negative}."


def _check_titre(titre: LabResult, thresholds: EligibilityThresholds) -> str:
    assert titre.assay_points is not None
    limit = titre_limit(titre.assay_points, thresholds)
    within, over = _titre_words(limit, titre.assay_points)
    verdict = titre_verdict(titre, thresholds)
    if verdict is Verdict.OVER:
        raise TitreOverLimit(
            f"The anti-AAV5 antibody titre {titre.described()} is {over}. Stop: the patient does not meet the "
            "policy's criteria."
        )
    if verdict is Verdict.UNDETERMINED:
        raise ResultUndetermined(
            f"The anti-AAV5 antibody titre {titre.described()} allows titres both {within} and above it, so it "
            f"neither meets nor fails the criterion. A titre reported at or below 1:{limit} (for example "
            f"“≤1:{limit}”, or the end-point titre if it is 1:{limit} or lower) would settle it as within the limit, one "
            f"above 1:{limit} as over it: ask the laboratory for the end-point titre, and enter it as reported."
        )
    return f"Anti-AAV5 NAb titre {titre.described()}: {within}."


def check_eligibility(
    answers: EligibilityAnswers,
    date_of_birth: date,
    on: date,
    thresholds: EligibilityThresholds | None = None,
) -> list[str]:
    """Raise the clinical stop of the first failed criterion; return the sentences of what was confirmed.

    Unanswered criteria raise :class:`InvalidInput` (never treated as a yes or a no); so does a result whose report
    allows values on both sides of its limit (:class:`ResultUndetermined`, saying what result would settle it).
    ``on`` is the infusion date: no result may be dated after it. An answer that stops whatever the others are (no
    authorization on file, prior AAV gene therapy; the age) stops at once, before the rest is answered: nothing
    still to come can make the patient eligible, so nobody is asked to copy laboratory results first.
    """
    thresholds = thresholds or eligibility_thresholds()
    if answers.authorization_on_file is False or answers.prior_aav_gene_therapy is True:
        _stop_on_answers(answers, date_of_birth, on, thresholds)
    missing = []
    if answers.authorization_on_file is None:
        missing.append("whether the prior authorization is on file")
    if answers.prior_aav_gene_therapy is None:
        missing.append("whether the patient had AAV gene therapy before")
    if answers.inhibitor is None:
        missing.append("the factor IX inhibitor result")
    if answers.titre is None or answers.titre.assay_points is None:
        missing.append("the anti-AAV5 antibody titre and its assay")
    if missing:
        raise InvalidInput("Answer every criterion: " + "; ".join(missing) + ".")
    assert answers.titre is not None
    titre_limit(answers.titre.assay_points, thresholds)
    age = _stop_on_answers(answers, date_of_birth, on, thresholds)
    _check_dates(answers, on)
    inhibitor = _check_inhibitor(answers, thresholds)
    titre = _check_titre(answers.titre, thresholds)
    return [
        "Prior authorization on file for one dose.",
        f"Age {age} years (at least {thresholds.minimum_age_years}).",
        "No prior AAV-vector gene therapy.",
        inhibitor,
        titre,
    ]


def _stop_on_answers(
    answers: EligibilityAnswers, date_of_birth: date, on: date, thresholds: EligibilityThresholds
) -> int:
    """The stops that rest on the two questions and the age alone, in the policy's order (authorization, age, prior
    gene therapy); returns the age in years when none applies."""
    if answers.authorization_on_file is False:
        raise NoAuthorization(
            "No prior authorization is on file for this one dose. Stop: Hemgenix is given once, only with an "
            "authorization for that dose."
        )
    age = check_age(date_of_birth, on, thresholds)
    if answers.prior_aav_gene_therapy is True:
        raise PriorGeneTherapy(
            "The patient has had AAV-vector gene therapy before. Stop: the policy does not allow Hemgenix "
            "after prior hemophilia gene therapy."
        )
    return age


def check_results_recent(answers: EligibilityAnswers, on: date, newer_than_days: int) -> None:
    """The site's rule (setting ``lab_results_newer_than_days``; 0: none): each result the decision rests on (the
    inhibitor's re-test when there is one, else its first result; the titre) is newer than that many days on the
    infusion date ``on``. Raises :class:`ResultTooOld` naming the result."""
    if newer_than_days <= 0:
        return
    deciding = [
        (
            "factor IX inhibitor re-test" if answers.inhibitor_retest else "factor IX inhibitor result",
            answers.inhibitor_retest or answers.inhibitor,
        ),
        ("anti-AAV5 antibody titre", answers.titre),
    ]
    for name, result in deciding:
        if result is None or result.on is None:
            continue
        age = (on - result.on).days
        if age >= newer_than_days:
            raise ResultTooOld(
                f"The {name} {result.described()} is {age} days old on the infusion date {on.isoformat()}; this site "
                f"accepts laboratory results newer than {newer_than_days} days. Enter a newer result from the "
                "laboratory."
            )
