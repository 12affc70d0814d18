"""``records show`` and ``reprint``: a sealed preparation's record in force, every amendment named, and a copy of
it, through the same services as the History window (services/records.py, services/reprints.py).

RECORD-ID is what a pharmacist has in hand: the record ID printed on the record or the label (the original's or an
amendment's), or the preparation's ID as History shows it (its first 8 characters are enough). Whichever record of
a preparation is named, the one in force is shown and reprinted. The command line has no sign-in: a reprint is
marked and audited with the operating-system account that ran it, as ``users`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemgenix_desktop.cli import add_db_option, given_path
from hemgenix_desktop.cli.terminal import one_line
from hemgenix_desktop.cli.users import EXIT_OK, open_store, reports_storage_errors

if TYPE_CHECKING:
    from hemgenix_desktop.domain.signing import Signature
    from hemgenix_desktop.services.records import NamedRecord, RecordHistory

EXIT_INVALID = 2
RECORD_ID_HELP = (
    "the record ID printed on the record or label (HGX-YYYYMMDD-XXXXXXXX), or the preparation's ID (its first 8 "
    "characters are enough)"
)


def register(subparsers: Any) -> None:
    records = subparsers.add_parser("records", help="show a sealed preparation's record in force and its amendments")
    add_db_option(records)
    commands = records.add_subparsers(dest="records_command", metavar="ACTION", required=True)
    show = commands.add_parser(
        "show", help="the record in force: patient, dose, kit, signatures, SHA-256, and every amendment named"
    )
    show.add_argument("record", metavar="RECORD-ID", help=RECORD_ID_HELP)
    show.add_argument("--json", action="store_true", help="print one JSON object")
    add_db_option(show)
    show.set_defaults(func=run_show)

    reprint = subparsers.add_parser(
        "reprint", help="write a copy of the record in force and its label, both PDFs marked COPY, into a folder"
    )
    reprint.add_argument("record", metavar="RECORD-ID", help=RECORD_ID_HELP)
    reprint.add_argument(
        "--out",
        metavar="DIR",
        type=given_path,
        required=True,
        help="the folder to write the two PDFs into (made if missing)",
    )
    reprint.add_argument(
        "--data-dir",
        metavar="DIR",
        type=given_path,
        default=None,
        help="the data folder holding the site certificate the record PDF is signed with (default: the user's)",
    )
    add_db_option(reprint)
    reprint.set_defaults(func=run_reprint)


# --- records show -------------------------------------------------------------------------------------------
@reports_storage_errors
def run_show(args: argparse.Namespace) -> int:
    from hemgenix_desktop.services.records import find_preparation, record_history

    with open_store(args) as store:
        history = record_history(store, find_preparation(store, args.record))
    if args.json:
        print(json.dumps(history_json(history, args.record), ensure_ascii=False))
    else:
        print("\n".join(one_line(line) for line in history_lines(history, args.record)))
    return EXIT_OK


def _asked_for_older(history: RecordHistory, typed: str) -> NamedRecord | None:
    """The record named by ``typed`` when it is one that a later amendment corrected (not the one in force)."""
    named = history.named(typed)
    return named if named is not None and not named.in_force else None


def history_lines(history: RecordHistory, typed: str) -> list[str]:
    from hemgenix_desktop.services.records import RecordFacts

    prep, in_force = history.preparation, history.in_force
    facts = RecordFacts.of(in_force.record)
    patient = facts.patient
    lines = [
        f"Preparation {prep.short_id} ({prep.id}), {prep.status.value}",
        f"Patient     {patient.full_name}, born {patient.date_of_birth:%Y-%m-%d}, MRN {patient.mrn}, "
        f"identifier {patient.patient_specific_id}",
        f"Dose        {facts.dose_ml} mL ({facts.dose_gc} genome copies), {facts.vials} vials, for {facts.weight}",
        f"Kit         {facts.kit_vials} vials, NDC {facts.kit_ndc11} (GTIN {facts.gtin}), lot {facts.lot}, "
        f"serial {facts.serial}, expires {facts.expiry}",
        "",
    ]
    older = _asked_for_older(history, typed)
    if older is not None:
        lines += [f"Record {older.record.record_id} ({older.name}) was corrected; the record in force is shown.", ""]
    lines += [
        f"Record in force: {in_force.record.record_id} ({in_force.name})",
        f"Record SHA-256:  {in_force.record.sha256}",
        f"Sealed at:       {in_force.sealed_at_text()}",
        "Signatures:",
        *(f"  {_signature_text(signature)}" for signature in in_force.record.signatures),
        "",
        f"Records of this preparation ({len(history.records)}; the last is in force):",
    ]
    for named, later in zip(history.records, (*history.records[1:], None), strict=True):
        lines += _named_lines(named, later)
    if history.correcting is not None:
        draft = history.correcting
        lines += [
            "",
            f"Amendment {draft.number} is being made (started {draft.created_at:%Y-%m-%d %H:%M} UTC by "
            f"{draft.created_by_name} ({draft.created_by}): {draft.reason}). It is not in force until it is sealed.",
        ]
    return lines


def _named_lines(named: NamedRecord, later: NamedRecord | None) -> list[str]:
    first = named.first_signature
    mark = "IN FORCE" if later is None else f"corrected by {later.name}"
    lines = [f"  {named.name}: {named.record.record_id}, sealed {named.sealed_at_text()} ({mark})"]
    if first is not None:
        lines.append(f"    {first.meaning.value} {first.printed_name} ({first.username}) at {_when(first)}")
    if named.number:
        lines.append(f"    Corrects {named.corrects}. Reason: {named.reason}")
        lines += [f"    Corrected: {change}" for change in named.changes]
    return lines


def _when(signature: Signature) -> str:
    return (
        f"{signature.local_time:%Y-%m-%d %H:%M} {signature.zone} ({signature.signed_at:%Y-%m-%d %H:%M} UTC), "
        f"{signature.workstation}"
    )


def _signature_text(signature: Signature) -> str:
    text = f"{signature.meaning.value}: {signature.printed_name} ({signature.username}, {signature.role}) at " + _when(
        signature
    )
    if signature.subject:
        text += f"; overrode “{signature.subject}” because: {signature.reason}"
    return text


def history_json(history: RecordHistory, typed: str) -> dict[str, Any]:
    from hemgenix_desktop.services.records import RecordFacts

    prep, in_force = history.preparation, history.in_force
    facts = RecordFacts.of(in_force.record)
    asked = history.named(typed)
    draft = history.correcting
    return {
        "preparation_id": prep.id,
        "short_id": prep.short_id,
        "status": prep.status.value,
        "asked_for": None if asked is None else asked.record.record_id,
        "patient": {
            "full_name": facts.patient.full_name,
            "date_of_birth": facts.patient.date_of_birth.isoformat(),
            "mrn": facts.patient.mrn,
            "identifier": facts.patient.patient_specific_id,
        },
        "dose": {
            "weight": facts.weight,
            "weight_kg": _number(facts.weight_kg),
            "dose_ml": _number(facts.dose_ml),
            "genome_copies": facts.dose_gc,
            "vials": facts.vials,
        },
        "kit": {
            "vials": facts.kit_vials,
            "ndc11": facts.kit_ndc11,
            "gtin": facts.gtin,
            "lot": facts.lot,
            "serial": facts.serial,
            "expiry": facts.expiry,
        },
        "lab_results": [
            {
                "test": r.test,
                "reported": r.reported,
                "date": None if r.on is None else r.on.isoformat(),
                "laboratory": r.laboratory,
                "assay": r.assay,
                "detection_limit": r.detection_limit,
                "reading": r.reading,
            }
            for r in in_force.record.view.lab_results
        ],
        "in_force": in_force.record.record_id,
        "records": [_named_json(named) for named in history.records],
        "correcting": None
        if draft is None
        else {
            "number": draft.number,
            "reason": draft.reason,
            "started_by": draft.created_by,
            "started_by_name": draft.created_by_name,
            "started_at": draft.created_at.isoformat(),
        },
    }


def _number(value: Decimal) -> int | float:
    """A Decimal as a JSON number, as ``dose --json`` gives one: an integer when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _named_json(named: NamedRecord) -> dict[str, Any]:
    record = named.record
    first = named.first_signature
    return {
        "name": named.name,
        "number": named.number,
        "record_id": record.record_id,
        "sha256": record.sha256,
        "sealed_at": named.sealed_at.isoformat(),
        "in_force": named.in_force,
        "corrects": named.corrects or None,
        "reason": named.reason or None,
        "changes": list(named.changes),
        "by": None if first is None else {"username": first.username, "printed_name": first.printed_name},
        "signatures": [_signature_json(signature) for signature in record.signatures],
    }


def _signature_json(signature: Signature) -> dict[str, str]:
    return {
        "meaning": signature.meaning.value,
        "username": signature.username,
        "printed_name": signature.printed_name,
        "role": signature.role,
        "signed_at": signature.signed_at.isoformat(),
        "signed_at_local": signature.local_time.isoformat(),
        "zone": signature.zone,
        "workstation": signature.workstation,
        "subject": signature.subject,
        "reason": signature.reason,
    }


# --- reprint ------------------------------------------------------------------------------------------------
@reports_storage_errors
def run_reprint(args: argparse.Namespace) -> int:
    from hemgenix_desktop.config import workstation_name
    from hemgenix_desktop.records.outputs import PdfSaveError
    from hemgenix_desktop.services.records import find_preparation, record_history
    from hemgenix_desktop.services.reprints import reprint_into
    from hemgenix_desktop.storage import cli_actor

    out: Path = args.out
    with open_store(args) as store:
        prep_id = find_preparation(store, args.record)
        try:
            saved = reprint_into(
                store,
                prep_id,
                cli_actor(),
                out,
                data_dir=args.data_dir,
                workstation=workstation_name(),
            )
        except PdfSaveError as exc:  # the folder turned out not writable: the user gives another (exit 2)
            sys.stderr.write(f"{exc.message}\n")
            return EXIT_INVALID
        history = record_history(store, prep_id)  # to name the record reprinted and the one asked for
    older = _asked_for_older(history, args.record)
    if older is not None:
        print(f"Record {older.record.record_id} ({older.name}) was corrected; the record in force is reprinted.")
    marking = saved.outputs.reprint.marking() if saved.outputs.reprint is not None else ""
    print(
        f"Reprinted record {saved.record.record_id} ({history.in_force.name}, the record in force) of preparation "
        f"{history.preparation.short_id}, both PDFs marked “{marking}”:"
    )
    print(f"  {saved.record_path}")
    print(f"  {saved.label_path}")
    print("The reprint is in the audit trail; the sealed record is unchanged.")
    return EXIT_OK
