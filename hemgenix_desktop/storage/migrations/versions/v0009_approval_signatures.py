"""A second pharmacist's approval is an electronic signature of its own: the approvals table.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Until this revision an approval ("Approved by", the two-person rule) was kept only inside the changed thing's audit
event. Each approval is now also a signature row (``approvals``): the approver's printed name, username, employee
number and role, the meaning, the UTC time, the workstation, the reason, and what it approved: the audit event
written with it (its number, action and hash, the hash covering the change's content). Triggers, for SQLite and for
PostgreSQL, keep the rows as the record's signatures are kept: never updated, never deleted, and added only together
with their event (the chain's newest, with the same hash; on PostgreSQL written by the same transaction), so a row
cannot be slipped in beside an older event. ``audit verify`` compares the rows with the events that name an approval.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemgenix_desktop.storage.types import UTCDateTime

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEVER_CHANGED = "approvals are signatures: never updated or deleted"
WITH_ITS_EVENT = "an approval is added only with its audit event, the newest of the trail, in the same transaction"


def _with_event(same_transaction: bool) -> str:
    """SQL true when NEW (an approval) names the chain's newest event and its hash."""
    xmin = " AND e.xmin = pg_current_xact_id()::xid" if same_transaction else ""
    return (
        "EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = (SELECT h.last_seq FROM audit_head h WHERE h.id = 1) "
        f"AND e.seq = NEW.event_seq AND e.hash = NEW.event_hash AND e.action = NEW.action{xmin})"
    )


_SQLITE = [
    f"""CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals
        BEGIN SELECT RAISE(ABORT, '{NEVER_CHANGED}'); END""",
    f"""CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
        BEGIN SELECT RAISE(ABORT, '{NEVER_CHANGED}'); END""",
    f"""CREATE TRIGGER approvals_with_event BEFORE INSERT ON approvals WHEN NOT {_with_event(False)}
        BEGIN SELECT RAISE(ABORT, '{WITH_ITS_EVENT}'); END""",
]

_POSTGRESQL = [
    f"""CREATE FUNCTION hemgenix_approval_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP <> 'INSERT' THEN RAISE EXCEPTION '{NEVER_CHANGED}'; END IF;
          IF NOT {_with_event(True)} THEN RAISE EXCEPTION '{WITH_ITS_EVENT}'; END IF;
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER approvals_guard BEFORE INSERT OR UPDATE OR DELETE ON approvals
       FOR EACH ROW EXECUTE FUNCTION hemgenix_approval_guard()""",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):  # pragma: no cover - the engine refuses other databases
        raise RuntimeError(f"Hemgenix Prep has no migration 0009 for {dialect}.")
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(64), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("meaning", sa.String(50), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("employee_number", sa.String(64), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_seq"], ["audit_events.seq"], name="fk_approvals_event_seq_audit_events"),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name="fk_approvals_username_users"),
        sa.PrimaryKeyConstraint("id", name="pk_approvals"),
        sa.UniqueConstraint("event_seq", name="uq_approvals_event_seq"),
    )
    for statement in _SQLITE if dialect == "sqlite" else _POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    """Back to 0008: the approvals stay in their events' details (the summary and ``approved_by``); the signature
    rows are dropped."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS approvals_guard ON approvals")
        op.execute("DROP FUNCTION IF EXISTS hemgenix_approval_guard()")
    else:
        for trigger in ("approvals_no_update", "approvals_no_delete", "approvals_with_event"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table("approvals")
