"""``audit verify`` checks the schema itself: its version, and the triggers, indexes and trigger functions that hold
the guards.

Whoever can edit the database can also drop a trigger (a sealed preparation could then be changed) or a unique index
(the one-dose and one-carton guards), or, on PostgreSQL, replace a trigger function or disable a trigger. The tables
might still agree with the trail, so the state check would not see it; this check reads the database's catalogue
(``sqlite_master``; ``pg_index``, ``pg_trigger``, ``pg_proc``) and compares every object with the one the migrations
make at the head revision (``schema_objects.EXPECTED``, generated from a freshly migrated database and checked
against one by ``tests/storage/test_schema_objects.py``, so it cannot drift from the migrations). Each missing,
changed or disabled object is one sentence naming it and what it guards (``audit verify`` heads them with what to
do). Objects added beside them are not reported.

Nothing here changes the database: a database whose schema version is not this program's is reported as such
(``revision_finding``), never migrated.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import Connection, text

from hemgenix_desktop.storage.migrate import stored_revision
from hemgenix_desktop.storage.schema_objects import EXPECTED
from hemgenix_desktop.storage.values import HEAD_REVISION

KEEP = "keep this database as it is and report it to the pharmacist in charge"


class SchemaObject(NamedTuple):
    """A trigger, an index or a trigger function as the catalogue defines it (whitespace and schema name left out)."""

    kind: str  # "trigger", "index" or "function"
    table: str  # the table it belongs to ("" for a function)
    definition: str


# What each object guards, as the sentences say it; an index not named here is described by its kind and table.
GUARDS: dict[str, str] = {
    "audit_events_no_update": "audit events are never changed",
    "audit_events_no_delete": "audit events are never deleted",
    "audit_events_append_only": "audit events are never changed or deleted",
    "audit_head_no_delete": "the audit trail's head record is never deleted",
    "audit_head_one_step": "the audit trail's head moves one event at a time",
    "signatures_no_update": "signatures are never changed",
    "signatures_no_delete": "signatures are never deleted",
    "signatures_append_only": "signatures are never changed or deleted",
    "signatures_only_while_made": "a signature is added only to a record being made",
    "amendments_sealed_never_change": "a sealed amendment never changes",
    "amendments_no_delete": "amendments are never deleted",
    "amendments_status_audited": "an amendment's status changes only with its audit event",
    "preparations_sealed_never_change": "a sealed preparation never changes",
    "preparations_no_delete": "preparations are never deleted",
    "preparations_status_audited": "a preparation's status changes only with its audit event",
    "preparations_sealed_state": (
        "a sealed preparation never changes, preparations are never deleted, and a status changes only with its "
        "audit event"
    ),
    "approvals_no_update": "approval signatures are never changed",
    "approvals_no_delete": "approval signatures are never deleted",
    "approvals_with_event": "an approval signature is added only with its audit event",
    "approvals_guard": "approval signatures are never changed or deleted, and each comes with its audit event",
    "hemgenix_append_only": "the code of the triggers that keep audit events and signatures unchanged and undeleted",
    "hemgenix_audit_head_one_step": "the code of the trigger that moves the audit trail's head one event at a time",
    "hemgenix_sealed_amendment": "the code of the trigger that keeps sealed amendments unchanged",
    "hemgenix_preparation_guard": "the code of the trigger that keeps sealed preparations unchanged and undeleted",
    "hemgenix_amendment_status": "the code of the trigger that changes an amendment's status only with its event",
    "hemgenix_signature_while_made": "the code of the trigger that adds signatures only to a record being made",
    "hemgenix_approval_guard": "the code of the trigger that keeps approval signatures as they were made",
    "uq_preparations_one_per_patient": "the one-dose guard: one preparation per patient unless voided",
    "uq_preparations_one_per_carton": "the one-carton guard: one preparation per carton unless voided",
    "uq_amendments_one_draft_per_preparation": "one correction being made per preparation",
    "uq_amendments_one_per_record": "each record is corrected at most once",
    "uq_users_employee_number": "one account per person (employee number)",
    "ix_audit_events_action": "the one-dose and one-carton guards read the trail's sealed records by it",
}


def revision_finding(conn: Connection) -> str | None:
    """A sentence when the database's schema version is not this program's (``HEAD_REVISION``), else None."""
    stored = stored_revision(conn)
    if stored == HEAD_REVISION:
        return None
    if stored is None:
        return (
            "The database has no Hemgenix Prep schema version, so it holds no audit trail to verify and nothing was "
            "checked or changed; give the pharmacy's database with --db."
        )
    if stored.isdigit() and len(stored) == len(HEAD_REVISION) and stored < HEAD_REVISION:
        why = (
            "it is older, so the database was not brought up to date by this program or its version row was "
            f"changed; nothing else was checked and nothing was changed: {KEEP}"
        )
    else:
        why = (
            "it is newer (or unknown), so it was written by a newer version of Hemgenix Prep or its version row was "
            "changed; nothing else was checked and nothing was changed: run audit verify with the newer version"
        )
    return f"The database's schema version says {stored} while this program's is {HEAD_REVISION}: {why}."


def object_findings(conn: Connection) -> list[str]:
    """One sentence per trigger, index or trigger function of the migrations' that is missing, changed or disabled."""
    found = schema_objects(conn)
    findings: list[str] = []
    for name, row in EXPECTED.get(conn.dialect.name, {}).items():
        wanted = SchemaObject(*row)
        have = found.get(name)
        where = f" on {wanted.table}" if wanted.table else ""
        label = f"The {wanted.kind} {name}{where} ({describe(name, wanted)})"
        if have is None:
            findings.append(f"{label} is missing: it was dropped outside Hemgenix Prep.")
        elif have.definition == f"{wanted.definition} DISABLED":
            findings.append(f"{label} is disabled, so it guards nothing: it was disabled outside Hemgenix Prep.")
        elif have != wanted:
            findings.append(f"{label} is not the one the migrations make: it was changed outside Hemgenix Prep.")
    return findings


def describe(name: str, obj: SchemaObject) -> str:
    """What the object guards, in words."""
    if name in GUARDS:
        return GUARDS[name]
    if obj.kind == "index" and "UNIQUE" in obj.definition.upper():
        return f"a uniqueness rule of {obj.table}"
    return f"an index that makes reading {obj.table} fast"


def schema_objects(conn: Connection) -> dict[str, SchemaObject]:
    """Every trigger, index and (PostgreSQL) function of the database's own schema, by name, as the catalogue says."""
    if conn.dialect.name == "postgresql":
        return _postgresql_objects(conn)
    rows = conn.exec_driver_sql(
        "SELECT m.type, m.name, m.tbl_name, m.sql, (SELECT group_concat(name, ', ') FROM "
        "(SELECT i.name FROM pragma_index_info(m.name) i ORDER BY i.seqno)) FROM sqlite_master m "
        "WHERE m.type IN ('index', 'trigger')"
    )
    objects: dict[str, SchemaObject] = {}
    for kind, name, table, sql, columns in rows:
        definition = _squeezed(sql) if sql is not None else f"UNIQUE ({columns})"  # an index a constraint made
        objects[str(name)] = SchemaObject(str(kind), str(table), definition)
    return objects


_PG_OBJECTS = """
SELECT 'index', c.relname, t.relname, pg_get_indexdef(c.oid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
 WHERE t.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'trigger', g.tgname, t.relname, pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'D' THEN ' DISABLED' ELSE ''
       END
  FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
 WHERE NOT g.tgisinternal AND t.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'function', p.proname, '', pg_get_functiondef(p.oid)
  FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind = 'f'
"""


def _postgresql_objects(conn: Connection) -> dict[str, SchemaObject]:
    schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
    qualified = re.compile(rf'(?<![\w"$]){re.escape(schema)}\.|"{re.escape(schema)}"\.')
    objects: dict[str, SchemaObject] = {}
    for kind, name, table, definition in conn.exec_driver_sql(_PG_OBJECTS):
        # the schema's name is the site's choice, not the migrations': left out
        objects[str(name)] = SchemaObject(str(kind), str(table), _squeezed(qualified.sub("", str(definition))))
    return objects


def _squeezed(sql: str) -> str:
    return " ".join(sql.split())


__all__ = ["GUARDS", "SchemaObject", "describe", "object_findings", "revision_finding", "schema_objects"]
