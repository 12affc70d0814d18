"""The schema, as SQLAlchemy Core tables. Alembic migrations (``migrations/versions``) create it;
a test proves the migrated database matches these tables exactly.

Nothing here is SQLite-only: the partial unique indexes carry the same predicate for SQLite and
PostgreSQL, so the one-dose and one-carton guards hold wherever the database lives. PostgreSQL's copy of each
predicate is added when a PostgreSQL engine is made (:func:`for_postgresql`, from ``engine.make_engine``): naming it
here would load SQLAlchemy's PostgreSQL dialect on every workstation, some 25 ms of a SQLite workstation's start
(docs/performance.md). The migrations name both, and a test proves the tables match on both.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from hemgenix_desktop.storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


metadata = MetaData(naming_convention=NAMING)


# The predicate of both guards: a voided preparation frees its patient and its carton.
NOT_VOIDED = "status <> 'voided'"

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("password_changed_at", UTCDateTime, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    # 0008: the person behind the account (unique: one account per person; NULL only for accounts made before),
    # a one-time password to be replaced at the next sign-in, and the last passwords' hashes (JSON, newest first)
    Column("employee_number", String(64), nullable=True),
    Column("must_change_password", Boolean, nullable=False, server_default=false()),
    Column("password_history", Text, nullable=False, server_default="[]"),
    CheckConstraint("role IN ('technician', 'pharmacist')", name="role"),
    CheckConstraint("failed_attempts >= 0", name="failed_attempts"),
    Index("uq_users_employee_number", "employee_number", unique=True),  # NULLs (accounts before 0008) may repeat
)

preparations = Table(
    "preparations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_identifier", String(200), nullable=False),  # normalise_identifier() of the order's
    Column("patient_identifier_entered", String(200), nullable=False),  # as written on the order
    Column("patient_name", String(200), nullable=False),
    Column("patient_date_of_birth", Date, nullable=False),
    Column("patient_mrn", String(100), nullable=False),
    Column("carton_gtin", String(14), nullable=True),  # both null until the carton is scanned
    Column("carton_serial", String(100), nullable=True),
    Column("status", String(10), nullable=False),
    Column("void_reason", Text, nullable=True),
    Column("step", String(50), nullable=False),
    Column("data", JSON, nullable=False),  # Preparation.to_dict()
    Column("practice", Boolean, nullable=False),
    Column("created_by", String(64), ForeignKey("users.username"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_by", String(64), ForeignKey("users.username"), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("workstation", String(200), nullable=False),  # where it was last saved
    # raised by every write of the row: a draft save made on an older version is refused (migration 0006)
    Column("row_version", Integer, nullable=False, server_default="1"),
    # who has the draft open, where, until when (a lease: it runs out by itself after a crash)
    Column("lease_by", String(64), nullable=True),
    Column("lease_workstation", String(200), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    # sealed by a version that audits saving the original PDFs ("originals_saved")
    Column("outputs_audited", Boolean, nullable=False, server_default=text("false")),
    CheckConstraint("status IN ('draft', 'signed', 'sealed', 'voided')", name="status"),
    CheckConstraint("status <> 'voided' OR void_reason IS NOT NULL", name="void_reason"),
    CheckConstraint("(carton_gtin IS NULL) = (carton_serial IS NULL)", name="carton_complete"),
    Index(
        "uq_preparations_one_per_patient",
        "patient_identifier",
        unique=True,
        sqlite_where=text(NOT_VOIDED),
    ),
    Index(
        "uq_preparations_one_per_carton",
        "carton_gtin",
        "carton_serial",
        unique=True,
        sqlite_where=text(NOT_VOIDED),
    ),
    Index("ix_preparations_created_at", "created_at"),
    Index("ix_preparations_status", "status"),
    Index("ix_preparations_patient_identifier", "patient_identifier"),
)

# The words the History search looks up by prefix (values.search_terms), rewritten whenever a preparation's
# patient is saved, so a search reads the index instead of every preparation.
preparation_search_terms = Table(
    "preparation_search_terms",
    metadata,
    Column("preparation_id", String(36), ForeignKey("preparations.id"), primary_key=True),
    # Compared byte by byte on PostgreSQL too (collation "C"), so a range from a prefix holds every term
    # that starts with it, whatever the server's locale.
    Column("term", String(200).with_variant(String(200, collation="C"), "postgresql"), primary_key=True),
    Index("ix_preparation_search_terms_term", "term"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("username", String(64), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("workstation", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("preparation_id", String(36), ForeignKey("preparations.id"), nullable=True),
    Column("summary", Text, nullable=False),
    Column("before", Text, nullable=False),  # canonical JSON, exactly as hashed
    Column("after", Text, nullable=False),
    Column("software_version", String(40), nullable=True),  # the program that wrote it; NULL before 0003
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False, unique=True),
    CheckConstraint("seq > 0", name="seq"),
    Index("ix_audit_events_preparation_id", "preparation_id"),
    Index("ix_audit_events_action", "action"),  # the guards read the sealed records (0007)
)

# One row: the last event's number and hash. Every write locks it first (SELECT … FOR UPDATE on
# PostgreSQL, BEGIN IMMEDIATE on SQLite), so events join the chain one at a time; and deleting the
# last event leaves the head pointing at it, so verification notices a cut-off tail.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

signatures = Table(
    "signatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("preparation_id", String(36), ForeignKey("preparations.id"), nullable=False),
    Column("meaning", String(50), nullable=False),  # domain.signing.Meaning
    Column("username", String(64), ForeignKey("users.username"), nullable=False),
    Column("full_name", String(200), nullable=False),  # the printed name
    Column("role", String(20), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    Column("local_time", String(64), nullable=False),  # ISO 8601 with the UTC offset, as the signer saw it
    Column("time_zone", String(64), nullable=False),
    Column("workstation", String(200), nullable=False),
    Column("content_sha256", String(64), nullable=False),  # the preparation content it was given on
    Column("subject", Text, nullable=False),  # an override: what was overridden ("" otherwise)
    Column("reason", Text, nullable=False),  # an override: why
    # 0: a signature of the original record; N: of amendment N (amendments.number) of the preparation.
    Column("amendment", Integer, nullable=False, server_default=text("0")),
    # A changed preparation is signed again (new content); the same content is never signed twice alike on one
    # record (the original, or one amendment).
    UniqueConstraint(
        "preparation_id", "amendment", "meaning", "subject", "content_sha256", name="uq_signatures_once_per_content"
    ),
)

# The predicates of the amendments' guards: one correction being made per preparation at a time, and each
# record corrected at most once (the next correction corrects the newest record), so the records form one chain.
AMENDMENT_DRAFT = "status = 'draft'"

# A correction of a sealed preparation: a new record that references the one it corrects (the original's, or
# the latest earlier amendment's). The preparations row and the original record never change.
amendments = Table(
    "amendments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("preparation_id", String(36), ForeignKey("preparations.id"), nullable=False),
    Column("number", Integer, nullable=False),  # 1, 2, … per preparation; a voided one keeps its number
    Column("status", String(10), nullable=False),  # values.AmendmentStatus
    Column("reason", Text, nullable=False),  # what was wrong in the record
    Column("changes", JSON, nullable=False),  # [domain.amendment.FieldChange.to_dict(), …]
    Column("data", JSON, nullable=False),  # the corrected Preparation.to_dict()
    Column("amends_record_id", String(64), nullable=False),  # the sealed record it corrects
    Column("amends_sha256", String(64), nullable=False),
    Column("record_id", String(64), nullable=True),  # its own record, once sealed
    Column("record_sha256", String(64), nullable=True),
    Column("void_reason", Text, nullable=True),
    Column("created_by", String(64), ForeignKey("users.username"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_by", String(64), ForeignKey("users.username"), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("workstation", String(200), nullable=False),  # where it was last saved
    CheckConstraint("status IN ('draft', 'sealed', 'voided')", name="status"),
    CheckConstraint("status <> 'voided' OR void_reason IS NOT NULL", name="void_reason"),
    CheckConstraint(
        "status <> 'sealed' OR (record_id IS NOT NULL AND record_sha256 IS NOT NULL)", name="sealed_record"
    ),
    CheckConstraint("number > 0", name="number"),
    UniqueConstraint("preparation_id", "number"),
    Index(
        "uq_amendments_one_draft_per_preparation",
        "preparation_id",
        unique=True,
        sqlite_where=text(AMENDMENT_DRAFT),
    ),
    Index(
        "uq_amendments_one_per_record",
        "amends_record_id",
        unique=True,
        sqlite_where=text(NOT_VOIDED),
    ),
    # The History list counts each preparation's sealed amendments through this index alone.
    Index("ix_amendments_preparation_id_status", "preparation_id", "status"),
)

# A second pharmacist's approval ("Approved by", the two-person rule of issue 14) is an electronic signature like the
# record's: who (printed name, username, employee number, role), when (UTC), where (workstation), what it means and
# what it approved: the audit event written with it in the same transaction (its number and its hash, which covers
# the change's content). Never updated or deleted, added only with its event (triggers of 0009).
approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_seq", Integer, ForeignKey("audit_events.seq"), nullable=False, unique=True),
    Column("event_hash", String(64), nullable=False),  # the approved event's hash: its content, as chained
    Column("action", String(50), nullable=False),  # the approved event's action (what was approved)
    Column("meaning", String(50), nullable=False),  # "Approved by"
    Column("username", String(64), ForeignKey("users.username"), nullable=False),
    Column("full_name", String(200), nullable=False),  # the printed name
    Column("employee_number", String(64), nullable=True),  # None: the database's very first number (0008's path)
    Column("role", String(20), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    Column("workstation", String(200), nullable=False),
    Column("reason", Text, nullable=False),
)


def for_postgresql() -> None:
    """Give every partial index its predicate for PostgreSQL too: the same as SQLite's (see the module's
    docstring). Called whenever a PostgreSQL engine is made; doing it again changes nothing."""
    for table in metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None:
                index.dialect_kwargs["postgresql_where"] = where
