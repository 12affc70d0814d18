"""Each audit event names the Hemgenix Prep version that wrote it: audit_events.software_version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Events written before this revision keep NULL and are hashed as they were (the version joins an event's hashed
content only when it is set), so the chain of an upgraded database still verifies.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite and PostgreSQL alike): a batch copy of the table would drop its append-only
    # triggers.
    op.add_column("audit_events", sa.Column("software_version", sa.String(40), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_events", "software_version")
