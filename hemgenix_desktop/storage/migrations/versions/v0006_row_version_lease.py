"""A preparation's row version, who has its draft open, and whether the saving of its original PDFs is audited.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-07

- ``row_version``: raised by every write of the row; a draft save names the version it was made on, and the
  database refuses it (compare-and-set) when another workstation saved in between (a stale save).
- ``lease_by``, ``lease_workstation``, ``lease_until``: who has the draft open where, until when; a lease runs
  out by itself, so a crashed workstation holds nothing.
- ``outputs_audited``: set when the preparation is sealed by a version that writes "originals saved" to the audit
  trail once the record and label are saved; a sealed preparation with it and without that event is listed
  among the unfinished work. Rows sealed before keep false (nothing is known of their files).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemgenix_desktop.storage.types import UTCDateTime

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("outputs_audited", "lease_until", "lease_workstation", "lease_by", "row_version")


def upgrade() -> None:
    # Plain ADD COLUMNs (SQLite and PostgreSQL alike): no copy of the table, its indexes stay as they are.
    op.add_column("preparations", sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("preparations", sa.Column("lease_by", sa.String(64), nullable=True))
    op.add_column("preparations", sa.Column("lease_workstation", sa.String(200), nullable=True))
    op.add_column("preparations", sa.Column("lease_until", UTCDateTime(), nullable=True))
    op.add_column("preparations", sa.Column("outputs_audited", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    for name in _COLUMNS:  # SQLite 3.35+ drops a column in place, like PostgreSQL
        op.drop_column("preparations", name)
