"""``users``: add, list, disable, enable users and reset their passwords.

A new password is asked twice without echo, or read from standard input with ``--password-stdin``
(its first line is the password). The command line has no sign-in: the audit trail names the
operating-system account that ran it. Passwords and hashes are never printed.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hemgenix_desktop.cli import add_db_option
from hemgenix_desktop.cli.terminal import one_line
from hemgenix_desktop.config import resolve_db_url, workstation_name
from hemgenix_desktop.domain.errors import InvalidInput

if TYPE_CHECKING:  # the database and security code load only when a command runs (``dose`` stays quick)
    from hemgenix_desktop.storage import Store, User

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2

Handler = Callable[[argparse.Namespace], int]


# --- shared by the commands that use the database (users, audit) --------------------------------------
def open_store(args: argparse.Namespace) -> Store:
    from hemgenix_desktop.storage import Store

    return Store.open(resolve_db_url(getattr(args, "db", None)))


def reports_storage_errors(func: Handler) -> Handler:
    """A database that cannot be opened or written ends the command with its sentence and exit code 1; one that is
    not a usable Hemgenix Prep database as given (damaged, another program's, newer, in memory), exit code 2."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from hemgenix_desktop.storage.errors import StorageError, UnusableDatabaseError

        try:
            return func(args)
        except StorageError as exc:
            sys.stderr.write(f"{exc.message}\n")
            return EXIT_INVALID if isinstance(exc, UnusableDatabaseError) else EXIT_FAILED

    return run


# --- the commands -----------------------------------------------------------------------------------
def register(subparsers: Any) -> None:
    users = subparsers.add_parser("users", help="add, list, disable and enable users; reset passwords")
    add_db_option(users)
    commands = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = commands.add_parser("add", help="add a user (asks for the password twice)")
    add.add_argument("username", metavar="USERNAME", help="2 to 32 letters, digits, dots, dashes or underscores")
    add.add_argument("--full-name", required=True, metavar="NAME", help="the name printed beside signatures")
    add.add_argument("--role", required=True, metavar="ROLE", help="technician or pharmacist")
    _add_password_stdin(add)
    add_db_option(add)
    add.set_defaults(func=run_add)

    listing = commands.add_parser("list", help="list the users")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    add_db_option(listing)
    listing.set_defaults(func=run_list)

    for action, text, handler in (
        ("disable", "disable a user: they can no longer sign in or sign", run_disable),
        ("enable", "enable a disabled user again", run_enable),
    ):
        sub = commands.add_parser(action, help=text)
        sub.add_argument("username", metavar="USERNAME")
        add_db_option(sub)
        sub.set_defaults(func=handler)

    reset = commands.add_parser("reset-password", help="set a new password (asks twice); also lifts a lockout")
    reset.add_argument("username", metavar="USERNAME")
    _add_password_stdin(reset)
    add_db_option(reset)
    reset.set_defaults(func=run_reset_password)


def _add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (its first line) instead of asking",
    )


def read_new_password(args: argparse.Namespace, username: str) -> str:
    """The new password: the first line of standard input, or typed twice without echo."""
    from hemgenix_desktop.security.passwords import check_repeated

    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput("Nothing came on standard input. Give the password as its first line.")
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise InvalidInput(
            "There is no terminal to ask for the password on. Give it as the first line of standard input "
            "with --password-stdin."
        )
    try:
        first = getpass.getpass(f"New password for {username}: ")
        second = getpass.getpass("Type the same password again: ")
    except (EOFError, KeyboardInterrupt):
        raise InvalidInput("No password was given, so nothing was changed.") from None
    check_repeated(first, second)
    return first


@reports_storage_errors
def run_add(args: argparse.Namespace) -> int:
    from hemgenix_desktop.security.users import UserAdmin, normalise_username, parse_role
    from hemgenix_desktop.storage import cli_actor

    role = parse_role(args.role)
    username = normalise_username(args.username)
    with open_store(args) as store:
        admin = UserAdmin(store)
        password = read_new_password(args, username)
        user = admin.add(args.username, args.full_name, role, password, cli_actor(), workstation_name())
    print(f"Added the {user.role.value} account {user.describe()}.")
    return EXIT_OK


@reports_storage_errors
def run_list(args: argparse.Namespace) -> int:
    from hemgenix_desktop.security.users import UserAdmin

    with open_store(args) as store:
        users = UserAdmin(store).list()
        now = store.now()
    if args.json:
        print(json.dumps([_user_json(user, now) for user in users]))
        return EXIT_OK
    if not users:
        print(
            "There are no users yet. Add the first pharmacist with: hemgenix-prep users add USERNAME "
            "--full-name NAME --role pharmacist"
        )
        return EXIT_OK
    rows = [("Username", "Full name", "Role", "Status", "Added (UTC)")]
    rows += [
        (one_line(u.username), one_line(u.full_name), u.role.value, _status(u, now), f"{u.created_at:%Y-%m-%d %H:%M}")
        for u in users
    ]  # stored text shown escaped (cli/terminal.py), so the columns line up and nothing reaches the terminal
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


def _status(user: User, now: datetime) -> str:
    if not user.active:
        return "disabled"
    if user.locked_at(now) and user.locked_until is not None:
        return f"locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
    return "active"


def _user_json(user: User, now: datetime) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "active": user.active,
        "locked_until": user.locked_until.isoformat() if user.locked_at(now) and user.locked_until else None,
        "created_at": user.created_at.isoformat(),
        "created_by": user.created_by,
    }


@reports_storage_errors
def run_disable(args: argparse.Namespace) -> int:
    from hemgenix_desktop.security.users import UserAdmin
    from hemgenix_desktop.storage import cli_actor

    with open_store(args) as store:
        user = UserAdmin(store).disable(args.username, cli_actor(), workstation_name())
    print(f"Disabled the account {user.describe()}: it can no longer sign in or sign.")
    return EXIT_OK


@reports_storage_errors
def run_enable(args: argparse.Namespace) -> int:
    from hemgenix_desktop.security.users import UserAdmin
    from hemgenix_desktop.storage import cli_actor

    with open_store(args) as store:
        user = UserAdmin(store).enable(args.username, cli_actor(), workstation_name())
    print(f"Enabled the account {user.describe()}.")
    return EXIT_OK


@reports_storage_errors
def run_reset_password(args: argparse.Namespace) -> int:
    from hemgenix_desktop.security.users import UserAdmin
    from hemgenix_desktop.storage import cli_actor

    with open_store(args) as store:
        admin = UserAdmin(store)
        user = admin.get(args.username)
        password = read_new_password(args, user.username)
        user = admin.reset_password(user.username, password, cli_actor(), workstation_name())
    print(f"Set a new password for {user.describe()}; any lockout is lifted.")
    return EXIT_OK
