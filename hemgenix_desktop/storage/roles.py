"""PostgreSQL with least privilege (issue 15): the owner role migrates; the program runs as an app role.

The app role may read every table and add rows, and change only what the program changes (a preparation or an
amendment being made, the users' sign-in state, the audit head, the search words); it may not UPDATE or DELETE
audit events or signatures at all, and, not owning the tables, cannot drop or disable their triggers (which
refuse any change of a sealed preparation or a sealed amendment, and a status change without its event). Run
``grant_app_role`` as the owner, after the migrations (``hemgenix-prep database grant-app-role ROLE``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

# (privilege, tables): everything the program's own paths need, and nothing more.
_GRANTS = (
    ("SELECT", "ALL TABLES IN SCHEMA public"),
    ("INSERT", "users, preparations, preparation_search_terms, audit_events, signatures, amendments, approvals"),
    ("UPDATE", "users, preparations, amendments, audit_head"),
    ("DELETE", "preparation_search_terms"),
    ("USAGE, SELECT", "ALL SEQUENCES IN SCHEMA public"),
)
_ROLE_NAME = r"^[a-z_][a-z0-9_]{0,62}$"


class RoleRefused(Exception):  # noqa: N818 - reads as the user sees it
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def require_postgresql(dialect: str) -> None:
    """Roles are PostgreSQL's: ``RoleRefused`` for any other database (``dialect``: SQLAlchemy's name of it)."""
    if dialect != "postgresql":
        raise RoleRefused("Database roles are PostgreSQL's: a SQLite database is protected by its file's permissions.")


def grant_app_role(engine: Engine, role: str) -> None:
    """Give ``role`` (an existing PostgreSQL role) exactly the app's privileges, revoking any others first."""
    require_postgresql(engine.dialect.name)
    if not re.match(_ROLE_NAME, role):
        raise RoleRefused(f"“{role}” is not a plain role name (lower-case letters, digits, _). Give the app's role.")
    with engine.begin() as conn:
        exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(role)s", {"role": role}).first()
        if exists is None:
            raise RoleRefused(f"There is no role “{role}” on this server. Create it first (CREATE ROLE {role} LOGIN).")
        conn.exec_driver_sql(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}"')
        conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        for privilege, tables in _GRANTS:
            conn.exec_driver_sql(f'GRANT {privilege} ON {tables} TO "{role}"')


__all__ = ["RoleRefused", "grant_app_role", "require_postgresql"]
