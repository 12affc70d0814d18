"""The first schema: users, preparations, the audit trail (hash chain) and signatures.

Revision ID: 0001
Revises:
Create Date: 2026-05-10

The audit trail, its head and the signatures refuse UPDATE and DELETE in the database itself
(a trigger on each, written for SQLite and for PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemgenix_desktop.storage.types import UTCDateTime

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_VOIDED = "status <> 'voided'"
GENESIS_HASH = "0" * 64

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: never updated'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: never deleted'); END""",
    """CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
       BEGIN SELECT RAISE(ABORT, 'signatures are append-only: never updated'); END""",
    """CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
       BEGIN SELECT RAISE(ABORT, 'signatures are append-only: never deleted'); END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
       BEGIN SELECT RAISE(ABORT, 'the audit head is never deleted'); END""",
    """CREATE TRIGGER audit_head_one_step BEFORE UPDATE ON audit_head
       WHEN NEW.last_seq <> OLD.last_seq + 1 OR NEW.id <> OLD.id
       BEGIN SELECT RAISE(ABORT, 'the audit head moves one event at a time'); END""",
]

_POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION hemgenix_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only: never %', TG_TABLE_NAME, lower(TG_OP); END $$""",
    """CREATE FUNCTION hemgenix_audit_head_one_step() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'the audit head is never deleted'; END IF;
         IF NEW.last_seq <> OLD.last_seq + 1 OR NEW.id <> OLD.id THEN
           RAISE EXCEPTION 'the audit head moves one event at a time';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION hemgenix_append_only()""",
    """CREATE TRIGGER signatures_append_only BEFORE UPDATE OR DELETE ON signatures
       FOR EACH ROW EXECUTE FUNCTION hemgenix_append_only()""",
    """CREATE TRIGGER audit_head_one_step BEFORE UPDATE OR DELETE ON audit_head
       FOR EACH ROW EXECUTE FUNCTION hemgenix_audit_head_one_step()""",
]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("password_changed_at", UTCDateTime(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.CheckConstraint("role IN ('technician', 'pharmacist')", name="ck_users_role"),
        sa.CheckConstraint("failed_attempts >= 0", name="ck_users_failed_attempts"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "preparations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("patient_identifier", sa.String(200), nullable=False),
        sa.Column("patient_identifier_entered", sa.String(200), nullable=False),
        sa.Column("patient_name", sa.String(200), nullable=False),
        sa.Column("patient_date_of_birth", sa.Date(), nullable=False),
        sa.Column("patient_mrn", sa.String(100), nullable=False),
        sa.Column("carton_gtin", sa.String(14), nullable=True),
        sa.Column("carton_serial", sa.String(100), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("step", sa.String(50), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'signed', 'sealed', 'voided')", name="ck_preparations_status"),
        sa.CheckConstraint("status <> 'voided' OR void_reason IS NOT NULL", name="ck_preparations_void_reason"),
        sa.CheckConstraint("(carton_gtin IS NULL) = (carton_serial IS NULL)", name="ck_preparations_carton_complete"),
        sa.ForeignKeyConstraint(["created_by"], ["users.username"], name="fk_preparations_created_by_users"),
        sa.ForeignKeyConstraint(["updated_by"], ["users.username"], name="fk_preparations_updated_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_preparations"),
    )
    # The guards: one preparation per patient and one per carton, unless voided.
    op.create_index(
        "uq_preparations_one_per_patient",
        "preparations",
        ["patient_identifier"],
        unique=True,
        sqlite_where=sa.text(NOT_VOIDED),
        postgresql_where=sa.text(NOT_VOIDED),
    )
    op.create_index(
        "uq_preparations_one_per_carton",
        "preparations",
        ["carton_gtin", "carton_serial"],
        unique=True,
        sqlite_where=sa.text(NOT_VOIDED),
        postgresql_where=sa.text(NOT_VOIDED),
    )
    op.create_index("ix_preparations_created_at", "preparations", ["created_at"])
    op.create_index("ix_preparations_status", "preparations", ["status"])

    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("preparation_id", sa.String(36), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("seq > 0", name="ck_audit_events_seq"),
        sa.ForeignKeyConstraint(
            ["preparation_id"], ["preparations.id"], name="fk_audit_events_preparation_id_preparations"
        ),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
        sa.UniqueConstraint("prev_hash", name="uq_audit_events_prev_hash"),
        sa.UniqueConstraint("hash", name="uq_audit_events_hash"),
    )
    op.create_index("ix_audit_events_preparation_id", "audit_events", ["preparation_id"])

    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}])

    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("preparation_id", sa.String(36), nullable=False),
        sa.Column("meaning", sa.String(50), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        sa.Column("local_time", sa.String(64), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["preparation_id"], ["preparations.id"], name="fk_signatures_preparation_id_preparations"
        ),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name="fk_signatures_username_users"),
        sa.PrimaryKeyConstraint("id", name="pk_signatures"),
        sa.UniqueConstraint(
            "preparation_id",
            "meaning",
            "subject",
            "content_sha256",
            name="uq_signatures_preparation_id_meaning_subject_content_sha256",
        ),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements = _SQLITE_TRIGGERS
    elif dialect == "postgresql":
        statements = _POSTGRESQL_TRIGGERS
    else:  # pragma: no cover - the engine refuses other databases
        raise RuntimeError(f"Hemgenix Prep has no append-only triggers for {dialect}.")
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for trigger, table in (
            ("audit_events_append_only", "audit_events"),
            ("signatures_append_only", "signatures"),
            ("audit_head_one_step", "audit_head"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS hemgenix_append_only()")
        op.execute("DROP FUNCTION IF EXISTS hemgenix_audit_head_one_step()")
    op.drop_table("signatures")
    op.drop_table("audit_head")
    op.drop_index("ix_audit_events_preparation_id", table_name="audit_events")
    op.drop_table("audit_events")
    for name in (
        "ix_preparations_status",
        "ix_preparations_created_at",
        "uq_preparations_one_per_carton",
        "uq_preparations_one_per_patient",
    ):
        op.drop_index(name, table_name="preparations")
    op.drop_table("preparations")
    op.drop_table("users")
