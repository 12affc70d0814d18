"""Corrections of a sealed record: the amendments table, and signatures that say which record they sign.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

A sealed preparation is corrected by a new amendment record that references the record it corrects; the
preparations row and the original record never change. ``signatures.amendment`` is 0 for the original record's
signatures (every row stored before this revision) and N for amendment N's, and the same content may be signed
alike once per record.

On SQLite the signatures table is copied to change its unique constraint (``batch_alter_table``); the copy loses
the append-only triggers, so they are made again here. A sealed amendment refuses UPDATE, and amendments refuse
DELETE, in the database itself (a trigger, written for SQLite and for PostgreSQL). A downgrade is refused while
any amendment is stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemgenix_desktop.storage.types import UTCDateTime

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_VOIDED = "status <> 'voided'"
DRAFT = "status = 'draft'"
OLD_UNIQUE = "uq_signatures_preparation_id_meaning_subject_content_sha256"
NEW_UNIQUE = "uq_signatures_once_per_content"

# The signatures' append-only triggers of 0001, made again after SQLite's copy of the table.
_SQLITE_SIGNATURE_TRIGGERS = [
    """CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
       BEGIN SELECT RAISE(ABORT, 'signatures are append-only: never updated'); END""",
    """CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
       BEGIN SELECT RAISE(ABORT, 'signatures are append-only: never deleted'); END""",
]

_SQLITE_AMENDMENT_TRIGGERS = [
    """CREATE TRIGGER amendments_sealed_never_change BEFORE UPDATE ON amendments WHEN OLD.status = 'sealed'
       BEGIN SELECT RAISE(ABORT, 'a sealed amendment never changes'); END""",
    """CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
       BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END""",
]

_POSTGRESQL_AMENDMENT_TRIGGERS = [
    """CREATE FUNCTION hemgenix_sealed_amendment() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'amendments are never deleted'; END IF;
         IF OLD.status = 'sealed' THEN RAISE EXCEPTION 'a sealed amendment never changes'; END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER amendments_sealed_never_change BEFORE UPDATE OR DELETE ON amendments
       FOR EACH ROW EXECUTE FUNCTION hemgenix_sealed_amendment()""",
]


def _dialect() -> str:
    name = op.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):  # pragma: no cover - the engine refuses other databases
        raise RuntimeError(f"Hemgenix Prep has no migration 0004 for {name}.")
    return name


def upgrade() -> None:
    dialect = _dialect()
    with op.batch_alter_table("signatures") as batch:
        batch.add_column(sa.Column("amendment", sa.Integer(), nullable=False, server_default=sa.text("0")))
        batch.drop_constraint(OLD_UNIQUE, type_="unique")
        batch.create_unique_constraint(
            NEW_UNIQUE, ["preparation_id", "amendment", "meaning", "subject", "content_sha256"]
        )
    if dialect == "sqlite":
        for statement in _SQLITE_SIGNATURE_TRIGGERS:
            op.execute(statement)

    op.create_table(
        "amendments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("preparation_id", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("amends_record_id", sa.String(64), nullable=False),
        sa.Column("amends_sha256", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("record_sha256", sa.String(64), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'sealed', 'voided')", name="ck_amendments_status"),
        sa.CheckConstraint("status <> 'voided' OR void_reason IS NOT NULL", name="ck_amendments_void_reason"),
        sa.CheckConstraint(
            "status <> 'sealed' OR (record_id IS NOT NULL AND record_sha256 IS NOT NULL)",
            name="ck_amendments_sealed_record",
        ),
        sa.CheckConstraint("number > 0", name="ck_amendments_number"),
        sa.ForeignKeyConstraint(
            ["preparation_id"], ["preparations.id"], name="fk_amendments_preparation_id_preparations"
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.username"], name="fk_amendments_created_by_users"),
        sa.ForeignKeyConstraint(["updated_by"], ["users.username"], name="fk_amendments_updated_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_amendments"),
        sa.UniqueConstraint("preparation_id", "number", name="uq_amendments_preparation_id_number"),
    )
    # The guards: one correction being made per preparation, and each record corrected at most once.
    op.create_index(
        "uq_amendments_one_draft_per_preparation",
        "amendments",
        ["preparation_id"],
        unique=True,
        sqlite_where=sa.text(DRAFT),
        postgresql_where=sa.text(DRAFT),
    )
    op.create_index(
        "uq_amendments_one_per_record",
        "amendments",
        ["amends_record_id"],
        unique=True,
        sqlite_where=sa.text(NOT_VOIDED),
        postgresql_where=sa.text(NOT_VOIDED),
    )
    op.create_index("ix_amendments_preparation_id_status", "amendments", ["preparation_id", "status"])
    for statement in _SQLITE_AMENDMENT_TRIGGERS if dialect == "sqlite" else _POSTGRESQL_AMENDMENT_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    """Back to 0003, which cannot hold corrections: refused while any amendment is stored (nothing is dropped)."""
    dialect = _dialect()
    conn = op.get_bind()
    stored = conn.execute(sa.text("SELECT count(*) FROM amendments")).scalar_one()
    stored += conn.execute(sa.text("SELECT count(*) FROM signatures WHERE amendment <> 0")).scalar_one()
    if stored:
        raise RuntimeError(
            "This database holds corrections (amendments) of sealed records, which revision 0003 cannot hold, so it "
            "is not downgraded. Keep it at revision 0004."
        )
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS amendments_sealed_never_change ON amendments")
        op.execute("DROP FUNCTION IF EXISTS hemgenix_sealed_amendment()")
    for name in (
        "ix_amendments_preparation_id_status",
        "uq_amendments_one_per_record",
        "uq_amendments_one_draft_per_preparation",
    ):
        op.drop_index(name, table_name="amendments")
    op.drop_table("amendments")

    with op.batch_alter_table("signatures") as batch:
        batch.drop_constraint(NEW_UNIQUE, type_="unique")
        batch.drop_column("amendment")
        batch.create_unique_constraint(OLD_UNIQUE, ["preparation_id", "meaning", "subject", "content_sha256"])
    if dialect == "sqlite":
        for statement in _SQLITE_SIGNATURE_TRIGGERS:
            op.execute(statement)
