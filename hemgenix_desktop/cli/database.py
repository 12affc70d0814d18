"""``database grant-app-role ROLE``: PostgreSQL least privilege for the program's own role (issue 15)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hemgenix_desktop.cli import EXIT_INVALID, add_db_option
from hemgenix_desktop.cli.users import EXIT_OK, open_store, reports_storage_errors
from hemgenix_desktop.config import resolve_db_url
from hemgenix_desktop.storage.engine import parse_url
from hemgenix_desktop.storage.roles import RoleRefused, grant_app_role, require_postgresql


def register(subparsers: Any) -> None:
    database = subparsers.add_parser("database", help="PostgreSQL: the program's own least-privilege role")
    add_db_option(database)
    commands = database.add_subparsers(dest="database_command", metavar="ACTION", required=True)
    grant = commands.add_parser(
        "grant-app-role",
        help="run as the database owner: ROLE may add rows and change only what the program changes; it cannot "
        "change audit events, signatures or sealed rows, nor drop triggers",
    )
    grant.add_argument("role", metavar="ROLE", help="the existing PostgreSQL role the workstations connect as")
    add_db_option(grant)
    grant.set_defaults(func=run_grant)


@reports_storage_errors
def run_grant(args: argparse.Namespace) -> int:
    try:  # said before anything is opened: a SQLite path is not made into a database to say so
        require_postgresql(parse_url(resolve_db_url(getattr(args, "db", None))).get_backend_name())
        with open_store(args) as store:
            grant_app_role(store.engine, args.role)
    except RoleRefused as refused:
        sys.stderr.write(f"{refused.message}\n")
        return EXIT_INVALID
    print(
        f"The role {args.role} may now use this database as Hemgenix Prep does, and no more. Give the workstations "
        "its URL; keep the owner's for migrations."
    )
    return EXIT_OK
