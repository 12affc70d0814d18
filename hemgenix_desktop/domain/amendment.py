"""Corrections to a sealed record (pure: no Qt, no SQL, no PDF).

A sealed record never changes. A correction is a new *amendment* record: the corrected Preparation, the
reason, and the list of what changed (:class:`FieldChange`), signed again by the person correcting ("Amended
by") and an independent pharmacist ("Verified by", after the blind check), then sealed with a reference to the
record it corrects.

Only what documents the preparation can be corrected: the patient's name and MRN, the order's number,
prescriber and authorization number, and the checklist answers that are written down rather than done at the
cabinet (an ID, a lot, an expiry date, the bag's final volume, which engineering control was used). What the
dose was made from and with (the patient-specific identifier and date of birth checked against the carton, the
weights, the dose, the kit and its vial count, the inspections and confirmations, the times) cannot be
corrected: if one of those was wrong, the dose itself is in question, which no correction of the paperwork can
mend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hemgenix_desktop.domain.checks import (
    Answer,
    CheckContext,
    Checklist,
    InputKind,
    parse_final_volume_ml,
    problem_with,
)
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.parsing import parse_date, require_text
from hemgenix_desktop.domain.preparation import Attribution, Preparation

PATIENT_NAME = "patient.full_name"
PATIENT_MRN = "patient.mrn"
ORDER_NUMBER = "order.order_number"
PRESCRIBER = "order.prescriber"
AUTHORIZATION = "order.authorization_number"
CHECK_PREFIX = "check."

# What cannot be corrected, in the words the correction screen shows.
NOT_CORRECTABLE = (
    "The patient-specific identifier and date of birth (checked against the carton), the weights, the dose, the "
    "kit and its vial count, the inspections and confirmations, and the times cannot be corrected: they record "
    "what was done at the cabinet. If one of them is wrong, do not correct the record: call the pharmacist in "
    "charge and report it under your site's procedure."
)


@dataclass(frozen=True)
class FieldChange:
    """One corrected value: which field (``field``, e.g. ``check.diluent_lot``), its label as printed, and the
    value before and after, as text."""

    field: str
    label: str
    before: str
    after: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "before": self.before, "after": self.after}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldChange:
        return cls(str(data["field"]), str(data["label"]), str(data["before"]), str(data["after"]))

    def describe(self) -> str:
        return f"{self.label}: “{self.before}” → “{self.after}”"


@dataclass(frozen=True)
class CorrectableField:
    """A value a correction may change. ``kind`` is "text", "date", "volume" or "choice" (with ``choices``)."""

    key: str
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    hint: str = ""


class InvalidCorrection(InvalidInput):
    """Some corrected values are not acceptable; ``problems`` maps each field's key to its sentence."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


def correctable_fields(checklist: Checklist) -> tuple[CorrectableField, ...]:
    """The fields a correction may change, in the order the record prints them."""
    fields = [
        CorrectableField(PATIENT_NAME, "Patient name", "text"),
        CorrectableField(PATIENT_MRN, "MRN", "text"),
        CorrectableField(ORDER_NUMBER, "Order number", "text"),
        CorrectableField(PRESCRIBER, "Prescriber", "text"),
        CorrectableField(AUTHORIZATION, "Authorization number", "text"),
    ]
    for item in checklist.items:
        key = CHECK_PREFIX + item.id
        if item.input is InputKind.TEXT:
            fields.append(CorrectableField(key, item.render(), "text"))
        elif item.input is InputKind.DATE:
            fields.append(CorrectableField(key, item.render(), "date", hint="YYYY-MM-DD"))
        elif item.input is InputKind.FINAL_VOLUME:
            fields.append(CorrectableField(key, item.render(), "volume", hint="mL"))
        elif item.input is InputKind.CHOICE and not item.stop_choices:
            fields.append(CorrectableField(key, item.render(), "choice", item.choices))
    return tuple(fields)


def _show(value: Answer | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def current_value(prep: Preparation, key: str) -> str:
    """The value of a correctable field in ``prep``, as text (as the correction screen and the record show it)."""
    order = prep.order
    if key.startswith(CHECK_PREFIX):
        return _show(prep.checks.get(key.removeprefix(CHECK_PREFIX)))
    if order is None:
        return ""
    values = {
        PATIENT_NAME: order.patient.full_name,
        PATIENT_MRN: order.patient.mrn,
        ORDER_NUMBER: order.order_number,
        PRESCRIBER: order.prescriber,
        AUTHORIZATION: order.authorization_number,
    }
    return values[key]


def _parse(field: CorrectableField, text: str, prep: Preparation, checklist: Checklist) -> Answer | str:
    what = field.label[:1].lower() + field.label[1:] if not field.label[:3].isupper() else field.label
    if not field.key.startswith(CHECK_PREFIX):
        return require_text(text, what)
    item = checklist.get(field.key.removeprefix(CHECK_PREFIX))
    value: Answer
    if field.kind == "date":
        value = parse_date(text, what)
    elif field.kind == "volume":
        value = parse_final_volume_ml(text)
    elif field.kind == "choice":
        if text not in field.choices:
            raise InvalidInput(f"Choose one of the answers for: {field.label}")
        value = text
    else:
        value = require_text(text, what)
    dose = prep.dose
    prepared_on = prep.prepared_at.date() if prep.prepared_at is not None else date.min
    problem = problem_with(item, value, CheckContext(dose.dose_ml if dose is not None else None, prepared_on))
    if problem is not None:
        raise InvalidInput(problem)
    return value


def check_field(prep: Preparation, key: str, text: str, checklist: Checklist) -> None:
    """Raise :class:`InvalidInput` with the sentence when ``text`` is not an acceptable value for ``key``."""
    fields = {f.key: f for f in correctable_fields(checklist)}
    if key not in fields:
        raise InvalidInput(f"“{key}” cannot be corrected. {NOT_CORRECTABLE}")
    _parse(fields[key], text, prep, checklist)


def check_reason(reason: str) -> str:
    """The reason for a correction: what was wrong in the record (required; plain text)."""
    return require_text(reason, "reason for the correction (what was wrong in the record)")


def apply_corrections(
    prep: Preparation,
    typed: Mapping[str, str],
    *,
    username: str,
    printed_name: str,
    at: datetime,
    checklist: Checklist,
) -> tuple[Preparation, tuple[FieldChange, ...]]:
    """The corrected copy of ``prep`` (``prep`` itself is not changed) and what changed.

    ``typed`` holds the text of each correctable field the person may have changed (keys of
    :func:`correctable_fields`; a key left out keeps its value). A corrected checklist answer is attributed to
    the person correcting at ``at``. Raises :class:`InvalidCorrection` (every bad field with its sentence), or
    :class:`InvalidInput` when nothing changed.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("correction times must carry a time zone")
    fields = {f.key: f for f in correctable_fields(checklist)}
    unknown = [key for key in typed if key not in fields]
    if unknown:
        raise InvalidInput(f"“{unknown[0]}” cannot be corrected. {NOT_CORRECTABLE}")
    corrected = Preparation.from_dict(prep.to_dict())
    order = corrected.order
    if order is None:
        raise InvalidInput("This preparation has no order, so there is nothing to correct.")
    problems: dict[str, str] = {}
    changes: list[FieldChange] = []
    patient = order.patient
    order_number, prescriber, authorization = order.order_number, order.prescriber, order.authorization_number
    for key, field in fields.items():
        if key not in typed:
            continue
        before = current_value(prep, key)
        text = typed[key]
        if text.strip() == before.strip() or (field.kind == "choice" and text == before):
            continue
        try:
            value = _parse(field, text, corrected, checklist)
        except InvalidInput as exc:
            problems[key] = exc.message
            continue
        after = _show(value)
        if after == before:
            continue
        changes.append(FieldChange(key, field.label, before, after))
        if key == PATIENT_NAME:
            patient = replace(patient, full_name=str(value))
        elif key == PATIENT_MRN:
            patient = replace(patient, mrn=str(value))
        elif key == ORDER_NUMBER:
            order_number = str(value)
        elif key == PRESCRIBER:
            prescriber = str(value)
        elif key == AUTHORIZATION:
            authorization = str(value)
        else:
            item_id = key.removeprefix(CHECK_PREFIX)
            corrected.checks[item_id] = value
            corrected.attributions[item_id] = Attribution(username, printed_name, at)
    if problems:
        raise InvalidCorrection(problems)
    if not changes:
        raise InvalidInput(
            "Nothing was changed, so there is nothing to correct. Change the value that is wrong in the record, or "
            "cancel the correction."
        )
    corrected.order = replace(
        order,
        patient=patient,
        order_number=order_number,
        prescriber=prescriber,
        authorization_number=authorization,
    )
    return corrected, tuple(changes)


def describe_changes(changes: Sequence[FieldChange]) -> str:
    """One line: every change, for the audit trail and the confirmation."""
    return "; ".join(change.describe() for change in changes)
