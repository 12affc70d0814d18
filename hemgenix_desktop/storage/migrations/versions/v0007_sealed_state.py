"""Sealed state that never changes, status changes only with their audit event, and an index the guards read.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Triggers, written for SQLite and for PostgreSQL, refuse in the database itself (issue 15):

- any UPDATE of a sealed preparation (a sealed dose can never become voided: a correction is an amendment), and any
  DELETE of a preparation;
- a change of a preparation's or an amendment's status unless the matching audit event (``preparation_signed``,
  ``preparation_sealed``, ``preparation_voided``, ``amendment_sealed``, ``amendment_voided``, naming the new
  status) is the chain's newest event, written just before it; on PostgreSQL that event must also have been
  written by the same transaction (its ``xmin``). The program writes the event first, then the status;
- a signature added to a record that is no longer being made (the original once signed, sealed or voided; an
  amendment once sealed or voided). Signatures and sealed amendments already refuse UPDATE and DELETE (0001, 0004).

An index on ``audit_events.action`` lets the one-dose and one-carton guards read the sealed records of the trail
(``record_sealed``) without reading every event.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEALED_NEVER_CHANGES = "a sealed preparation never changes: correct its record with an amendment"
NEVER_DELETED = "preparations are never deleted"
STATUS_AUDITED = "a status changes only with its audit event, written just before it in the same transaction"
SIGN_A_DRAFT = "a signature is added only to a record being made, never to a signed, sealed or voided one"

_PREPARATION_ACTION = (
    "CASE NEW.status WHEN 'signed' THEN 'preparation_signed' WHEN 'sealed' THEN 'preparation_sealed' "
    "WHEN 'voided' THEN 'preparation_voided' END"
)
_AMENDMENT_ACTION = "CASE NEW.status WHEN 'sealed' THEN 'amendment_sealed' WHEN 'voided' THEN 'amendment_voided' END"


def _head_event(prep_id: str, action: str, *, same_transaction: bool) -> str:
    """SQL true when the chain's newest event is ``action`` about ``prep_id`` naming ``NEW.status``."""
    xmin = " AND e.xmin = pg_current_xact_id()::xid" if same_transaction else ""
    return (
        "EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = (SELECT h.last_seq FROM audit_head h WHERE h.id = 1) "
        f"AND e.preparation_id = {prep_id} AND e.action = {action} "
        f"""AND e."after" LIKE '%"status":"' || NEW.status || '"%'{xmin})"""
    )


def _signature_refused(is_not: str) -> str:
    """SQL true when NEW (a signature) is for a record no longer being made (``is_not``: the dialect's IS NOT)."""
    return (
        f"(NEW.amendment = 0 AND (SELECT p.status FROM preparations p WHERE p.id = NEW.preparation_id) {is_not} "
        f"'draft') OR (NEW.amendment <> 0 AND (SELECT a.status FROM amendments a WHERE a.preparation_id = "
        f"NEW.preparation_id AND a.number = NEW.amendment) {is_not} 'draft')"
    )


_SQLITE = [
    f"""CREATE TRIGGER preparations_sealed_never_change BEFORE UPDATE ON preparations WHEN OLD.status = 'sealed'
        BEGIN SELECT RAISE(ABORT, '{SEALED_NEVER_CHANGES}'); END""",
    f"""CREATE TRIGGER preparations_no_delete BEFORE DELETE ON preparations
        BEGIN SELECT RAISE(ABORT, '{NEVER_DELETED}'); END""",
    f"""CREATE TRIGGER preparations_status_audited BEFORE UPDATE OF status ON preparations
        WHEN NEW.status IS NOT OLD.status AND NOT {_head_event("NEW.id", _PREPARATION_ACTION, same_transaction=False)}
        BEGIN SELECT RAISE(ABORT, '{STATUS_AUDITED}'); END""",
    f"""CREATE TRIGGER amendments_status_audited BEFORE UPDATE OF status ON amendments
        WHEN NEW.status IS NOT OLD.status
        AND NOT {_head_event("NEW.preparation_id", _AMENDMENT_ACTION, same_transaction=False)}
        BEGIN SELECT RAISE(ABORT, '{STATUS_AUDITED}'); END""",
    f"""CREATE TRIGGER signatures_only_while_made BEFORE INSERT ON signatures WHEN {_signature_refused("IS NOT")}
        BEGIN SELECT RAISE(ABORT, '{SIGN_A_DRAFT}'); END""",
]

_POSTGRESQL = [
    f"""CREATE FUNCTION hemgenix_preparation_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{NEVER_DELETED}'; END IF;
          IF OLD.status = 'sealed' THEN RAISE EXCEPTION '{SEALED_NEVER_CHANGES}'; END IF;
          IF NEW.status IS DISTINCT FROM OLD.status
             AND NOT {_head_event("NEW.id", _PREPARATION_ACTION, same_transaction=True)} THEN
            RAISE EXCEPTION '{STATUS_AUDITED}';
          END IF;
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER preparations_sealed_state BEFORE UPDATE OR DELETE ON preparations
       FOR EACH ROW EXECUTE FUNCTION hemgenix_preparation_guard()""",
    f"""CREATE FUNCTION hemgenix_amendment_status() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.status IS DISTINCT FROM OLD.status
             AND NOT {_head_event("NEW.preparation_id", _AMENDMENT_ACTION, same_transaction=True)} THEN
            RAISE EXCEPTION '{STATUS_AUDITED}';
          END IF;
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER amendments_status_audited BEFORE UPDATE ON amendments
       FOR EACH ROW EXECUTE FUNCTION hemgenix_amendment_status()""",
    f"""CREATE FUNCTION hemgenix_signature_while_made() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF {_signature_refused("IS DISTINCT FROM")} THEN RAISE EXCEPTION '{SIGN_A_DRAFT}'; END IF;
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER signatures_only_while_made BEFORE INSERT ON signatures
       FOR EACH ROW EXECUTE FUNCTION hemgenix_signature_while_made()""",
]

_TRIGGERS = (
    ("preparations_sealed_never_change", "preparations"),
    ("preparations_no_delete", "preparations"),
    ("preparations_status_audited", "preparations"),
    ("preparations_sealed_state", "preparations"),
    ("amendments_status_audited", "amendments"),
    ("signatures_only_while_made", "signatures"),
)
_FUNCTIONS = ("hemgenix_preparation_guard", "hemgenix_amendment_status", "hemgenix_signature_while_made")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):  # pragma: no cover - the engine refuses other databases
        raise RuntimeError(f"Hemgenix Prep has no migration 0007 for {dialect}.")
    op.create_index("ix_audit_events_action", "audit_events", ["action"])
    for statement in _SQLITE if dialect == "sqlite" else _POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for trigger, table in _TRIGGERS:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    if dialect == "postgresql":
        for function in _FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_index("ix_audit_events_action", table_name="audit_events")
