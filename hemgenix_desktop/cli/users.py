"""``users``: add, list, disable, enable users, change their role or employee number, reset passwords.

Every command that changes an account signs a pharmacist in first (``cli/credentials.py``: ``--username`` and the
password, asked without echo or read with ``--password-stdin``) and goes through ``services/administration.py``:
the person is audited with the operating-system account beside them; adding a pharmacist, giving the pharmacist
role, resetting a password, enabling a disabled account and setting an employee number need a second pharmacist
(``--approver``). Only the first pharmacist of an empty database is added without a sign-in (their own password,
asked twice or read with ``--password-stdin``). An account added by a pharmacist, and a reset, get a one-time
password, printed once to be handed to the person, who chooses their own at the next sign-in (``users
change-password``). Hashes are never printed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
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
def open_store(args: argparse.Namespace, *, create: bool = False, upgrade: bool = True) -> Store:
    """The database ``--db`` (or the configured one) names. A SQLite file that is not there is made only with
    ``create`` (``users add``: a new site's first pharmacist). For any other command a mistyped path would make an
    empty database and give a false answer ("intact: 0 events checked", a backup of nothing, "no such record"): it is
    a ``StorageError`` that names the file, and nothing is made. A file that is not a usable database is
    ``Store.open``'s ``UnusableDatabaseError``. ``upgrade=False``: opened as it is, never migrated (``audit
    verify``, ``backup``)."""
    from hemgenix_desktop.storage import StorageError, Store
    from hemgenix_desktop.storage.engine import parse_url, require_kept, sqlite_file
    from hemgenix_desktop.storage.errors import UnusableDatabaseError

    url = resolve_db_url(getattr(args, "db", None))
    if not create:
        require_kept(url)  # in memory or a relative path: said as such, before "there is no database file"
        path = sqlite_file(parse_url(url))
        if path is not None and not path.exists():
            raise StorageError(
                f"There is no database file {path}. Give the pharmacy's database with --db URL (or HEMGENIX_DB_URL); "
                "nothing was created."
            )
        if path is not None and _empty_file(path):  # SQLite would take it as a new database and make one in it
            raise UnusableDatabaseError(
                f"The database file {path} is empty (0 bytes): it is not a Hemgenix Prep database (a copy cut short, "
                "or the wrong file), and nothing was read or written in it. Give the pharmacy's database with --db "
                "URL (or HEMGENIX_DB_URL), or restore it from a backup."
            )
    return Store.open(url, upgrade=upgrade)


def _empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:  # cannot be looked at: opening it says why
        return False


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


def reports_nothing_changed(func: Handler) -> Handler:
    """What was asked is already so (the service's ``NothingChanged``): its sentence, exit code 0, no event."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from hemgenix_desktop.services.administration import NothingChanged

        try:
            return func(args)
        except NothingChanged as exc:
            print(exc.message)
            return EXIT_OK

    return run


# --- the commands -----------------------------------------------------------------------------------
def register(subparsers: Any) -> None:
    from hemgenix_desktop.cli.credentials import add_signin_options

    users = subparsers.add_parser("users", help="add, list, disable and enable users; reset passwords")
    add_db_option(users)
    commands = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = commands.add_parser(
        "add", help="add a user: a pharmacist signs in (the first pharmacist of an empty database: no sign-in)"
    )
    add.add_argument("new_username", metavar="USERNAME", help="2 to 32 letters, digits, dots, dashes or underscores")
    add.add_argument("--full-name", required=True, metavar="NAME", help="the name printed beside signatures")
    add.add_argument("--role", required=True, metavar="ROLE", help="technician or pharmacist")
    add.add_argument(
        "--employee-number", default="", metavar="NUMBER", help="the person's employee (or licence) number (required)"
    )
    add_signin_options(add, approval=True)
    add_db_option(add)
    add.set_defaults(func=run_add)

    listing = commands.add_parser("list", help="list the users")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    add_db_option(listing)
    listing.set_defaults(func=run_list)

    for action, text, handler, approval in (
        ("disable", "disable a user: they can no longer sign in or sign", run_disable, False),
        ("enable", "enable a disabled user again (a second pharmacist approves)", run_enable, True),
        (
            "reset-password",
            "give a one-time password (a second pharmacist approves); also lifts a lockout",
            run_reset_password,
            True,
        ),
    ):
        sub = commands.add_parser(action, help=text)
        sub.add_argument("target", metavar="USERNAME")
        add_signin_options(sub, approval=approval)
        add_db_option(sub)
        sub.set_defaults(func=handler)

    role = commands.add_parser("set-role", help="change a user's role (to pharmacist: a second pharmacist approves)")
    role.add_argument("target", metavar="USERNAME")
    role.add_argument("new_role", metavar="ROLE", help="technician or pharmacist")
    add_signin_options(role, approval=True)
    add_db_option(role)
    role.set_defaults(func=run_set_role)

    number = commands.add_parser(
        "set-employee-number", help="set a user's employee (or licence) number (a second pharmacist approves)"
    )
    number.add_argument("target", metavar="USERNAME")
    number.add_argument("number", metavar="NUMBER")
    add_signin_options(number, approval=True)
    add_db_option(number)
    number.set_defaults(func=run_set_employee_number)

    change = commands.add_parser(
        "change-password", help="choose your own new password (after a one-time password, or when it is too old)"
    )
    change.add_argument("target", metavar="USERNAME", help="your username")
    change.add_argument(
        "--password-stdin",
        action="store_true",
        help="read your current password from the first line of standard input and the new one from the second",
    )
    add_db_option(change)
    change.set_defaults(func=run_change_password)


def read_new_password(args: argparse.Namespace, username: str) -> str:
    """A new password the person chooses: the next line of standard input, or typed twice without echo."""
    from hemgenix_desktop.cli.credentials import ask_secret, stdin_line
    from hemgenix_desktop.security.passwords import check_repeated

    if args.password_stdin:
        return stdin_line("the new password")
    first = ask_secret(f"New password for {username}: ", "password")
    second = ask_secret("Type the same password again: ", "password")
    check_repeated(first, second)
    return first


@reports_storage_errors
def run_add(args: argparse.Namespace) -> int:
    from hemgenix_desktop.cli import credentials
    from hemgenix_desktop.security.users import UserAdmin, check_employee_number, normalise_username, parse_role

    role = parse_role(args.role)
    username = normalise_username(args.new_username)
    with _removed_if_refused(resolve_db_url(getattr(args, "db", None))), open_store(args, create=True) as store:
        if store.users.count() == 0:  # the first pharmacist: nobody to sign in yet, so they choose their password
            from hemgenix_desktop.domain.vocabulary import Role

            _no_signer_yet(args)
            if role is not Role.PHARMACIST:
                raise InvalidInput("The first account must be a pharmacist's: add it with --role pharmacist.")
            number = check_employee_number(args.employee_number)
            password = read_new_password(args, username)
            from hemgenix_desktop.storage import cli_actor

            user = UserAdmin(store).add_first_pharmacist(
                args.new_username,
                args.full_name,
                password,
                workstation_name(),
                employee_number=number,
                os_account=cli_actor().username.removeprefix("cli:"),
            )
            print(f"Added the first pharmacist account {user.describe()}.")
            return EXIT_OK
        admin = credentials.administration(store)
        operator = credentials.sign_in(admin, args, "adding an account")
        approval = credentials.approval(admin, operator, args, "adding an account")
        added = admin.add_user(
            operator, args.new_username, args.full_name, role, args.employee_number, approval=approval
        )
    print(f"Added the {added.user.role.value} account {added.user.describe()}.")
    _print_one_time(added.user, added.one_time_password)
    return EXIT_OK


def _no_signer_yet(args: argparse.Namespace) -> None:
    """A sign-in or approver option given to a database with no account yet: the person expected an existing
    database (a mistyped ``--db``), so nothing is added in their name."""
    for option, value in (
        ("--username", args.username),
        ("--approver", args.approver),
        ("--approver-password-stdin", args.approver_password_stdin or None),
        ("--reason", args.reason or None),
    ):
        if value is not None:
            shown = f" {value.strip()}" if option in ("--username", "--approver") else ""
            raise InvalidInput(
                f"This database has no account yet, so there is nobody to sign in as{shown} ({option} was given): "
                "the first pharmacist's account is added without --username, --approver or --reason. Check --db "
                "(or HEMGENIX_DB_URL) if you meant an existing database; nothing was created."
            )


@contextlib.contextmanager
def _removed_if_refused(url: str) -> Iterator[None]:
    """``users add`` may make the SQLite database (and its folders); when it is refused or fails, the file and the
    folders it made are removed again, so a refused command leaves nothing behind."""
    from hemgenix_desktop.storage.engine import parse_url, sqlite_file

    try:
        path = sqlite_file(parse_url(url))
    except InvalidInput:
        path = None
    if path is None or path.exists():
        yield
        return
    missing = [folder for folder in path.parents if not folder.exists()]
    try:
        yield
    except BaseException:
        for leftover in (path, *(path.with_name(path.name + end) for end in ("-journal", "-wal", "-shm"))):
            with contextlib.suppress(OSError):  # not there, or its "folder" is a file: nothing was made
                leftover.unlink()
        for folder in missing:  # the deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _print_one_time(user: User, secret: str) -> None:
    print(
        f"One-time password for {user.username}: {secret}\nGive it to {user.full_name} in person. It works once, to "
        "choose their own password at the next sign-in (the sign-in screen, or: hemgenix-prep users change-password "
        f"{user.username})."
    )


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
            "--full-name NAME --role pharmacist --employee-number NUMBER"
        )
        return EXIT_OK
    rows = [("Username", "Full name", "Role", "Employee no.", "Status", "Added (UTC)")]
    rows += [
        (
            one_line(u.username),
            one_line(u.full_name),
            u.role.value,
            one_line(u.employee_number) if u.employee_number else "(none)",
            _status(u, now),
            f"{u.created_at:%Y-%m-%d %H:%M}",
        )
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
    return "active, one-time password" if user.must_change_password else "active"


def _user_json(user: User, now: datetime) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "active": user.active,
        "locked_until": user.locked_until.isoformat() if user.locked_at(now) and user.locked_until else None,
        "created_at": user.created_at.isoformat(),
        "created_by": user.created_by,
        "employee_number": user.employee_number,
        "must_change_password": user.must_change_password,
    }


@reports_storage_errors
@reports_nothing_changed
def run_disable(args: argparse.Namespace) -> int:
    from hemgenix_desktop.cli import credentials

    with open_store(args) as store:
        admin = credentials.administration(store)
        operator = credentials.sign_in(admin, args, "disabling an account")
        user = admin.disable(operator, args.target)
    print(f"Disabled the account {user.describe()}: it can no longer sign in or sign.")
    return EXIT_OK


@reports_storage_errors
@reports_nothing_changed
def run_enable(args: argparse.Namespace) -> int:
    from hemgenix_desktop.cli import credentials

    with open_store(args) as store:
        admin = credentials.administration(store)
        operator = credentials.sign_in(admin, args, "enabling a disabled account")
        approval = credentials.approval(admin, operator, args, "enabling a disabled account", subject=args.target)
        user = admin.enable(operator, args.target, approval)
    print(f"Enabled the account {user.describe()}.")
    return EXIT_OK


@reports_storage_errors
def run_reset_password(args: argparse.Namespace) -> int:
    from hemgenix_desktop.cli import credentials

    with open_store(args) as store:
        admin = credentials.administration(store)
        operator = credentials.sign_in(admin, args, "resetting a password")
        approval = credentials.approval(admin, operator, args, "resetting a password", subject=args.target)
        added = admin.reset_password(operator, args.target, approval)
    print(f"Gave {added.user.describe()} a one-time password; any lockout is lifted.")
    _print_one_time(added.user, added.one_time_password)
    return EXIT_OK


@reports_storage_errors
@reports_nothing_changed
def run_set_role(args: argparse.Namespace) -> int:
    from hemgenix_desktop.cli import credentials
    from hemgenix_desktop.domain.vocabulary import Role
    from hemgenix_desktop.security.users import parse_role

    role = parse_role(args.new_role)
    with open_store(args) as store:
        admin = credentials.administration(store)
        operator = credentials.sign_in(admin, args, "changing a role")
        approving = "giving the pharmacist role" if role is Role.PHARMACIST else "taking the pharmacist role away"
        approval = credentials.approval(admin, operator, args, approving, subject=args.target)
        user = admin.change_role(operator, args.target, role, approval)
    print(f"{user.describe()} is now a {user.role.value}.")
    return EXIT_OK


@reports_storage_errors
@reports_nothing_changed
def run_set_employee_number(args: argparse.Namespace) -> int:
    from hemgenix_desktop.cli import credentials
    from hemgenix_desktop.security.users import check_employee_number

    number = check_employee_number(args.number)
    with open_store(args) as store:
        admin = credentials.administration(store)
        operator = credentials.sign_in(admin, args, "setting an employee number")
        approval = credentials.approval(admin, operator, args, "setting an employee number", subject=args.target)
        user = admin.set_employee_number(operator, args.target, number, approval)
    print(f"The employee number of {user.describe()} is now {user.employee_number}.")
    return EXIT_OK


@reports_storage_errors
def run_change_password(args: argparse.Namespace) -> int:
    from hemgenix_desktop.cli import credentials

    with open_store(args) as store:
        admin = credentials.administration(store)
        username = args.target.strip()
        if args.password_stdin:
            current = credentials.stdin_line("your current password")
        else:
            current = credentials.ask_secret(f"Current (or one-time) password for {username}: ", "password")
        new = read_new_password(args, username)
        user = admin.change_password(username, current, new)
    print(f"{user.describe()}, your new password is set.")
    return EXIT_OK
