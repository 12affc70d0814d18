"""``audit``: verify the audit trail's hash chain, or print the trail."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from hemgenix_desktop.cli import add_db_option
from hemgenix_desktop.cli.terminal import one_line
from hemgenix_desktop.cli.users import EXIT_FAILED, EXIT_OK, open_store, reports_storage_errors

if TYPE_CHECKING:
    from hemgenix_desktop.storage import AuditEvent


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="verify or show the audit trail")
    add_db_option(audit)
    commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    verify = commands.add_parser(
        "verify", help="check the hash chain: exit 0 when intact, 1 naming the first broken event"
    )
    add_db_option(verify)
    verify.set_defaults(func=run_verify)

    show = commands.add_parser("show", help="print the audit trail, or one preparation's")
    show.add_argument("--preparation", metavar="ID", help="only this preparation (its id, or its first 8 characters)")
    show.add_argument("--json", action="store_true", help="print a JSON list")
    add_db_option(show)
    show.set_defaults(func=run_show)


@reports_storage_errors
def run_verify(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        result = store.verify_audit_chain()
    if result.intact:
        print(result.message)
        return EXIT_OK
    sys.stderr.write(f"{result.message}\n")
    return EXIT_FAILED


@reports_storage_errors
def run_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        prep_id = store.resolve_id(args.preparation) if args.preparation is not None else None
        events = store.audit_trail(prep_id)
    if args.json:
        print(json.dumps([_event_json(event) for event in events], ensure_ascii=False))
        return EXIT_OK
    if not events:
        print("The audit trail has no events yet." if prep_id is None else "This preparation has no events.")
        return EXIT_OK
    for event in events:
        print(_event_text(event))
    return EXIT_OK


def _event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "username": event.username,
        "full_name": event.full_name,
        "workstation": event.workstation,
        "action": event.action,
        "preparation_id": event.preparation_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "software_version": event.software_version,
    }


def _event_text(event: AuditEvent) -> str:
    from hemgenix_desktop.storage import short_id

    who = f"{event.full_name} ({event.username})" if event.full_name else event.username
    prep = f"  preparation {short_id(event.preparation_id)}" if event.preparation_id else ""
    lines = [f"#{event.seq}  {event.at:%Y-%m-%d %H:%M:%S} UTC  {who}  at {event.workstation}  {event.action}{prep}"]
    lines.append(f"    {event.summary}")
    if event.software_version:
        lines.append(f"    written by Hemgenix Prep {event.software_version}")
    for path in sorted(event.before.keys() | event.after.keys()):
        old = _value(event.before, path)
        new = _value(event.after, path)
        lines.append(f"    {path}: {old} → {new}")
    return "\n".join(one_line(line) for line in lines)  # a stored value never forges a line


def _value(values: dict[str, Any], path: str) -> str:
    if path not in values:
        return "(none)"
    return json.dumps(values[path], ensure_ascii=False)
