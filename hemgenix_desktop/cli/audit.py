"""``audit``: verify the audit trail's hash chain, or print the trail."""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from hemgenix_desktop.cli import EXIT_INVALID, add_db_option, given
from hemgenix_desktop.cli.terminal import one_line
from hemgenix_desktop.cli.users import EXIT_FAILED, EXIT_OK, open_store, reports_storage_errors

if TYPE_CHECKING:
    from hemgenix_desktop.storage import AuditEvent
    from hemgenix_desktop.storage.approvals import ApprovalSignature
    from hemgenix_desktop.storage.audit import ChainVerification


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="verify or show the audit trail")
    add_db_option(audit)
    commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    verify = commands.add_parser(
        "verify",
        help="check the database file, the hash chain, and the tables against the trail: exit 0 when all agree, 1 "
        "naming each broken event or changed row",
    )
    verify.add_argument(
        "--checkpoints",
        metavar="DIR",
        type=given,
        help="also check the chain against the signed checkpoints in DIR (a rewrite before one, a seal after the last)",
    )
    verify.add_argument(
        "--data-dir", metavar="DIR", type=given, help="where the site certificate lives (default: your data folder)"
    )
    add_db_option(verify)
    verify.set_defaults(func=run_verify)

    backup = subparsers.add_parser(
        "backup",
        help="copy the SQLite database through its online backup API into a new file (mode 0600), then check the "
        "copy (integrity check and audit verify); PostgreSQL: says the pg_dump way",
    )
    backup.add_argument(
        "--out", metavar="FILE", type=given, required=True, help="the new backup file (never overwritten)"
    )
    add_db_option(backup)
    backup.set_defaults(func=run_backup)

    show = commands.add_parser("show", help="print the audit trail, or one preparation's")
    show.add_argument("--preparation", metavar="ID", help="only this preparation (its id, or its first 8 characters)")
    show.add_argument("--json", action="store_true", help="print a JSON list")
    add_db_option(show)
    show.set_defaults(func=run_show)


@reports_storage_errors
def run_verify(args: argparse.Namespace) -> int:
    """The database's own integrity check first, then the chain and the tables against it (one pass). The integrity
    check reads the whole file inside SQLite, which lets other threads run: it runs beside the walk, and when it finds
    damage, that alone is reported (whatever the walk found or failed on)."""
    with open_store(args, upgrade=False) as store, ThreadPoolExecutor(max_workers=1) as pool:
        version = store.audit.schema_version_finding()  # the database is never migrated here: verified as it is
        if version is not None:
            sys.stderr.write(f"{version}\n")
            return EXIT_FAILED
        checking = pool.submit(store.audit.integrity_problems)
        try:
            walked: tuple[ChainVerification, list[str]] | Exception = store.audit.verify_trail_and_state()
        except Exception as error:  # a damaged file can fail the walk: the integrity check says what it is
            walked = error
        damage = checking.result()
        if damage:
            shown = "; ".join(damage[:5]) + ("; …" if len(damage) > 5 else "")
            sys.stderr.write(
                f"The database file is damaged (SQLite's integrity check: {shown}). Nothing else was checked. Keep "
                "this file as it is, restore the last sound backup (hemgenix-prep backup checks each one), and "
                "report it to the pharmacist in charge.\n"
            )
            return EXIT_FAILED
        if isinstance(walked, Exception):
            raise walked
        result, findings = walked
        guards = store.audit.schema_findings()
        database_id = store.audit.database_id()
        named = f" Database ID: {database_id}." if database_id else ""
        agreed, unchecked = "", ""
        against: list[str] = []
        if result.intact and args.checkpoints:
            agreed, against, unchecked = _checkpoint_findings(store, args)
    if not result.intact:  # the tables cannot be checked against a trail that was itself changed
        sys.stderr.write(f"{result.message}\n")
        _report(guards, GUARDS_CHANGED, ("finding", "findings"))
        return EXIT_FAILED
    if not (findings or guards or against or unchecked):
        print(f"{result.message} The tables match the trail.{agreed}{named}")
        return EXIT_OK
    print(result.message if findings else f"{result.message} The tables match the trail.{named}")
    _report(findings, "The tables do not match the audit trail", ("difference", "differences"))
    _report(guards, GUARDS_CHANGED, ("finding", "findings"))
    _report(against, f"The signed checkpoints in {args.checkpoints} do not agree with it", ("finding", "findings"))
    if unchecked:
        sys.stderr.write(f"The checkpoints were not checked: {unchecked}\n")
    return EXIT_FAILED


GUARDS_CHANGED = "The database's triggers and indexes are not the ones its migrations make"


def _report(findings: list[str], headline: str, nouns: tuple[str, str]) -> None:
    """One sentence per finding under its headline, on stderr (nothing when there is none)."""
    if not findings:
        return
    noun = nouns[0] if len(findings) == 1 else nouns[1]
    sys.stderr.write(
        f"{headline} ({len(findings)} {noun}); keep this database as it is and report it to the pharmacist in charge:\n"
    )
    for finding in findings:
        sys.stderr.write(f"- {finding}\n")


def _checkpoint_findings(store: Any, args: argparse.Namespace) -> tuple[str, list[str], str]:
    """(" N signed checkpoints … agree with the trail." or "", what disagrees with the trail, why none could be checked
    or ""). A folder that is not there, or no site certificate to check signatures with, is not a difference of the
    trail's: the checkpoints were not checked, which is said as such (and is no success)."""
    from pathlib import Path

    from hemgenix_desktop.security.checkpoints import check_against_chain
    from hemgenix_desktop.security.site_keys import default_data_dir
    from hemgenix_desktop.services.site_trust import site_certificates

    folder = Path(args.checkpoints).expanduser()
    if not folder.is_dir():
        if folder.exists():
            return "", [], f"{folder} is a file, not a folder. Give --checkpoints the site's checkpoint folder."
        return (
            "",
            [],
            (
                f"there is no folder {folder}. Check the path (the site's checkpoint folder is in its settings, "
                "checkpoint_dir); if it is the right one, the folder was removed: report it to the pharmacist in charge."
            ),
        )
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()
    trusted = site_certificates(store, data_dir)  # the current one and the retired ones the trail trusts
    if not trusted:
        return "", [], f"there is no site certificate in {data_dir} to check their signatures with. Give --data-dir."
    agreed, findings = check_against_chain(store.audit, folder, trusted)
    noun = "checkpoint agrees" if agreed == 1 else "checkpoints agree"
    return f" {agreed} signed {noun} with it ({args.checkpoints}).", findings, ""


PG_BACKUP = (
    "This database is PostgreSQL, which Hemgenix Prep does not copy itself: back it up with PostgreSQL's own tools, "
    "e.g. pg_dump --format=custom --file=FILE followed by the database URL (or a base backup with pg_basebackup "
    "for point-in-time recovery), then restore it into a throwaway database and run hemgenix-prep audit verify "
    "--db on it. README, “Backups”, says more."
)


@reports_storage_errors
def run_backup(args: argparse.Namespace) -> int:
    """A copy through SQLite's online backup API, then the copy's integrity check and audit verify."""
    from pathlib import Path

    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.storage.backup import BackupRefused, backup_sqlite

    out = Path(args.out).expanduser().absolute()
    with open_store(args, upgrade=False) as store:  # copied as it is: a backup never migrates its database
        if store.engine.dialect.name != "sqlite":
            sys.stderr.write(f"{PG_BACKUP}\n")
            return EXIT_INVALID
        try:
            backup_sqlite(store.engine, out)
        except BackupRefused as refused:
            sys.stderr.write(f"{refused.message}\n")
            return EXIT_INVALID
    with Store.open(f"sqlite:///{out}", upgrade=False) as copy:
        version = copy.audit.schema_version_finding()
        if version is None:
            damage = copy.audit.integrity_problems()
            result, findings = copy.audit.verify_trail_and_state()
            findings += copy.audit.schema_findings()
    problems = [version] if version is not None else damage or ([] if result.intact else [result.message]) or findings
    if problems:
        out.unlink(missing_ok=True)
        sys.stderr.write(
            f"The backup did not pass its checks, so it was removed: {problems[0]} Run hemgenix-prep audit verify "
            "on the database and report it to the pharmacist in charge.\n"
        )
        return EXIT_FAILED
    events = "1 event" if result.checked == 1 else f"{result.checked} events"
    print(
        f"Backed up the database to {out} (readable by its owner only). The copy passed SQLite's integrity check "
        f"and its audit trail verifies ({events}; the tables match the trail). Keep it where this workstation's "
        "users cannot change it."
    )
    return EXIT_OK


@reports_storage_errors
def run_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        prep_id = store.resolve_id(args.preparation) if args.preparation is not None else None
        events = store.audit_trail(prep_id)
        approvals = store.audit.approvals([e.seq for e in events] if prep_id is not None else None)
    if args.json:
        print(
            json.dumps(
                [_event_json(event) | _approval_json(approvals.get(event.seq)) for event in events], ensure_ascii=False
            )
        )
        return EXIT_OK
    if not events:
        print("The audit trail has no events yet." if prep_id is None else "This preparation has no events.")
        return EXIT_OK
    for event in events:
        print(_event_text(event, approvals.get(event.seq)))
    return EXIT_OK


def _approval_json(approval: ApprovalSignature | None) -> dict[str, Any]:
    return {} if approval is None else {"approval": approval.to_dict()}


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


def _event_text(event: AuditEvent, approval: ApprovalSignature | None = None) -> str:
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
    if approval is not None:  # the second pharmacist's signature (issue 14), stored beside the event
        lines.append(f"    signature: {approval.describe()}")
    return "\n".join(one_line(line) for line in lines)  # a stored value never forges a line


def _value(values: dict[str, Any], path: str) -> str:
    if path not in values:
        return "(none)"
    return json.dumps(values[path], ensure_ascii=False)
