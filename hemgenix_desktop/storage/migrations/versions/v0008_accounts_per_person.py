"""One account per person, one-time passwords and the passwords not to be used again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``users.employee_number``: the person's employee (or licence) number, unique across every account, so that one
person cannot hold two accounts and the independence of a verifier is a different *person*. Accounts made before
this revision have none (NULL): such an account may still sign in (a pharmacist needs to, to set the numbers), but
cannot sign a record, approve or administer until a pharmacist, with a second pharmacist's approval, has set its
number (``hemgenix-prep users set-employee-number``). ``users.must_change_password``: a reset's one-time password
(or a new account's first one) must be replaced by the person at the next sign-in. ``users.password_history``: the
hashes of the person's last passwords (a JSON list, newest first) that may not be chosen again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE_NUMBER = "uq_users_employee_number"


def upgrade() -> None:
    # Plain ADD COLUMN and an index (no copy of the table: other tables' foreign keys point at users).
    op.add_column("users", sa.Column("employee_number", sa.String(64), nullable=True))
    op.add_column("users", sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("users", sa.Column("password_history", sa.Text(), nullable=False, server_default="[]"))
    op.create_index(UNIQUE_NUMBER, "users", ["employee_number"], unique=True)


def downgrade() -> None:
    """Back to 0007, which knows no person behind an account: the numbers, the one-time flags and the old hashes are
    dropped (upgraded again, the accounts need their numbers set again before they can sign)."""
    op.drop_index(UNIQUE_NUMBER, table_name="users")
    for column in ("password_history", "must_change_password", "employee_number"):
        op.drop_column("users", column)
