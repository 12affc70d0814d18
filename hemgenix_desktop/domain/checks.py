"""Preparation checks and administration constraints from ``resources/checklist.toml``.

Items from the policy or the label cannot be removed by a site; a site may add items of its own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from hemgenix_desktop.domain.errors import DataFileError, DrawnVolumeMismatch, FailedInspection, InvalidInput
from hemgenix_desktop.domain.parsing import AmountWords, parse_ml, require_text
from hemgenix_desktop.resource_locator import resource_path


class Section(StrEnum):
    PREPARATION = "preparation"
    ADMINISTRATION = "administration"


class Source(StrEnum):
    POLICY = "policy"
    LABEL = "label"
    SITE = "site"


class InputKind(StrEnum):
    TICK = "tick"
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"
    VOLUME = "volume"
    FINAL_VOLUME = "final_volume"


@dataclass(frozen=True)
class CheckItem:
    id: str
    section: Section
    input: InputKind
    text: str
    source: Source
    source_ref: str
    choices: tuple[str, ...] = ()
    stop_choices: tuple[str, ...] = ()
    stop_text: str = ""
    not_before_preparation: bool = False

    def render(self, **values: str) -> str:
        """The text with its placeholders ({dose_ml}, {complete_by}, {rate_ml_per_h}) filled in."""
        try:
            return self.text.format(**values)
        except (KeyError, IndexError):
            return self.text


@dataclass(frozen=True)
class Checklist:
    items: tuple[CheckItem, ...]

    def section(self, section: Section) -> tuple[CheckItem, ...]:
        return tuple(item for item in self.items if item.section is section)

    def get(self, item_id: str) -> CheckItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def _item(raw: dict[str, Any], where: str) -> CheckItem:
    try:
        item = CheckItem(
            id=str(raw["id"]),
            section=Section(raw["section"]),
            input=InputKind(raw.get("input", "tick")),
            text=str(raw["text"]),
            source=Source(raw["source"]),
            source_ref=str(raw.get("source_ref", "")),
            choices=tuple(str(c) for c in raw.get("choices", ())),
            stop_choices=tuple(str(c) for c in raw.get("stop_choices", ())),
            stop_text=str(raw.get("stop_text", "")),
            not_before_preparation=bool(raw.get("not_before_preparation", False)),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise DataFileError(f"{where}: a checklist item is incomplete or has a wrong value ({exc}).") from exc
    if not item.id.isidentifier() or not item.text.strip():
        raise DataFileError(f"{where}: item {item.id!r} needs an id (letters, digits, _) and a text.")
    if item.input is InputKind.CHOICE and len(item.choices) < 2:
        raise DataFileError(f"{where}: item {item.id!r} is a choice but lists fewer than two choices.")
    if not set(item.stop_choices) <= set(item.choices):
        raise DataFileError(f"{where}: item {item.id!r} has a stop choice that is not among its choices.")
    if item.stop_choices and not item.stop_text:
        raise DataFileError(f"{where}: item {item.id!r} has stop choices but no stop_text to show.")
    return item


def parse_checklist(text: str, where: str) -> Checklist:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{where} is not valid TOML ({exc}).") from exc
    items = tuple(_item(raw, where) for raw in data.get("item", []))
    ids = [item.id for item in items]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise DataFileError(f"{where}: these item ids appear more than once: {', '.join(repeated)}.")
    return Checklist(items)


def merge_site_checklist(base: Checklist, site_text: str, where: str) -> Checklist:
    """Add a site's own items (``[[item]]`` with source = "site"). A site may also remove its own
    site-sourced items with ``remove = ["id", ...]``; removing a policy or label item is refused."""
    try:
        data = tomllib.loads(site_text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{where} is not valid TOML ({exc}).") from exc
    remove = [str(r) for r in data.get("remove", [])]
    protected = {item.id: item for item in base.items if item.source is not Source.SITE}
    refused = [r for r in remove if r in protected]
    if refused:
        raise DataFileError(
            f"{where} tries to remove {', '.join(refused)}: items from the policy or the label cannot be removed."
        )
    site_items = parse_checklist(site_text, where).items
    not_site = [item.id for item in site_items if item.source is not Source.SITE]
    if not_site:
        raise DataFileError(f'{where}: a site\'s own items must have source = "site" ({", ".join(not_site)}).')
    clash = [item.id for item in site_items if item.id in {b.id for b in base.items}]
    if clash:
        raise DataFileError(f"{where}: these ids already exist in the standard checklist: {', '.join(clash)}.")
    kept = tuple(item for item in base.items if item.id not in remove)
    return Checklist(kept + site_items)


@cache
def standard_checklist() -> Checklist:
    path = resource_path("checklist.toml")
    return parse_checklist(path.read_text(encoding="utf-8"), str(path))


def load_checklist(site_file: Path | None = None) -> Checklist:
    base = standard_checklist()
    if site_file is None or not site_file.exists():
        return base
    return merge_site_checklist(base, site_file.read_text(encoding="utf-8"), str(site_file))


Answer = bool | str | date | Decimal | None


def _lower_first(text: str) -> str:
    """Lower-case the first letter only, to run an item's text into a sentence ("Enter the cabinet … ID")."""
    first = text.split(" ", 1)[0]
    if first.isupper() or any(ch.isupper() for ch in first[1:]):  # an acronym or a name: keep it
        return text
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class CheckContext:
    dose_ml: Decimal | None
    preparation_date: date


DRAWN_VOLUME = AmountWords(
    empty="Enter the volume drawn up, as a number of mL.",
    comma="The volume has a comma. Use a decimal point (.) instead.",
    not_a_number="is not a volume. Type the mL drawn up as a number.",
    not_positive="The volume must be a number of mL greater than zero.",
    too_large="The volume drawn up cannot be over 10,000 mL. Check the volume and type it again.",
)
FINAL_VOLUME = AmountWords(
    empty="Enter the final volume in the infusion bag in mL, as a number.",
    comma="The final volume has a comma. Use a decimal point (.) instead.",
    not_a_number="is not a volume. Type the final volume in the bag as a number of mL.",
    not_positive="The final volume must be a number of mL greater than zero.",
    too_large="The final volume in the bag cannot be over 10,000 mL. Check the volume and type it again.",
)


def parse_volume_ml(text: str) -> Decimal:
    """The volume of Hemgenix drawn up, in mL, as typed (``144`` or ``144 mL``)."""
    return parse_ml(text, DRAWN_VOLUME)


def parse_final_volume_ml(text: str) -> Decimal:
    """The final volume in the infusion bag, in mL, as typed (``394`` or ``394 mL``)."""
    return parse_ml(text, FINAL_VOLUME)


@dataclass
class ChecklistAnswers:
    values: dict[str, Answer] = field(default_factory=dict)


def problem_with(item: CheckItem, answer: Answer, context: CheckContext) -> str | None:
    """The sentence saying what is missing or wrong with one answer, or None when it is complete.

    A clinical stop (failed inspection, wrong volume) raises instead of returning.
    """
    if item.input is InputKind.TICK:
        return None if answer is True else f"Confirm: {item.render()}."
    if item.input is InputKind.CHOICE:
        if not isinstance(answer, str) or answer not in item.choices:
            return f"Choose an answer: {item.render()}"
        if answer in item.stop_choices:
            raise FailedInspection(item.stop_text)
        return None
    if item.input is InputKind.TEXT:
        if not isinstance(answer, str) or not answer.strip():
            return f"Enter the {_lower_first(item.render())}."
        try:  # the rule of every free text: no control character, at most 200 characters
            require_text(answer, _lower_first(item.render()))
        except InvalidInput as exc:
            return exc.message
        return None
    if item.input is InputKind.DATE:
        if not isinstance(answer, date):
            return f"Enter the {_lower_first(item.render())} as YYYY-MM-DD."
        if item.not_before_preparation and answer < context.preparation_date:
            return (
                f"The {_lower_first(item.render())} {answer.isoformat()} has passed. Use an in-date bag and enter its "
                "details."
            )
        return None
    if item.input is InputKind.FINAL_VOLUME:
        if not isinstance(answer, Decimal):
            return f"Enter the {_lower_first(item.render())}."
        if context.dose_ml is None:
            return "Enter today's weight first: the dose volume is not known yet."
        if answer < context.dose_ml:
            return (
                f"The final volume, {answer} mL, is less than the dose volume {context.dose_ml} mL that the bag "
                "holds. Read the volume in the bag again and enter it in mL."
            )
        return None
    # volume
    if not isinstance(answer, Decimal):
        return f"Enter the {_lower_first(item.render())}."
    if context.dose_ml is None:
        return "Enter today's weight first: the dose volume is not known yet."
    if answer != context.dose_ml:
        raise DrawnVolumeMismatch(
            f"The volume drawn up, {answer} mL, is not the dose volume {context.dose_ml} mL. Stop: draw up exactly "
            "the dose volume before you continue."
        )
    return None
