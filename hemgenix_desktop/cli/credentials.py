"""Who runs an administrative command: the sign-in options every such command takes, and reading the passwords.

``--username NAME`` names the pharmacist who signs in (asked on the terminal when missing); their password is asked
without echo, or read from the first line of standard input with ``--password-stdin``. Where a second pharmacist
must approve, ``--approver NAME`` names them; their password is asked without echo, or read from the next line of
standard input with ``--approver-password-stdin``; ``--reason TEXT`` is the approval's reason where one is asked
for. The operating-system account that ran the command is recorded beside the person.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from hemgenix_desktop.config import workstation_name
from hemgenix_desktop.domain.errors import InvalidInput

if TYPE_CHECKING:
    from hemgenix_desktop.services.administration import Administration, Operator
    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.storage.users import Approval


def add_signin_options(parser: argparse.ArgumentParser, *, approval: bool) -> None:
    parser.add_argument("--username", metavar="NAME", help="the pharmacist who signs in to do this (asked if missing)")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read your password from the first line of standard input instead of asking",
    )
    if approval:
        parser.add_argument(
            "--approver", metavar="NAME", help="the second pharmacist who approves (two-person rule), by username"
        )
        parser.add_argument(
            "--approver-password-stdin",
            action="store_true",
            help="read the approver's password from the next line of standard input instead of asking",
        )
        parser.add_argument("--reason", metavar="TEXT", default="", help="the approval's reason, where one is asked")


def stdin_line(what: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput(f"Nothing came on standard input for {what}. Give it as a line of standard input.")
    return line.removesuffix("\n").removesuffix("\r")


def ask_secret(prompt: str, what: str) -> str:
    if not sys.stdin.isatty():
        raise InvalidInput(
            f"There is no terminal to ask for {what} on. Give it as a line of standard input (see --help)."
        )
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise InvalidInput(f"No {what} was given, so nothing was changed.") from None


def _ask_username(given: str | None, what: str) -> str:
    if given is not None and given.strip():
        return given
    if not sys.stdin.isatty():
        return ""  # the service refuses (audited): nobody signs in
    try:
        return input(f"Username of {what}: ")
    except (EOFError, KeyboardInterrupt):
        raise InvalidInput("No username was given, so nothing was changed.") from None


def administration(store: Store) -> Administration:
    """The administrative service for this command, the operating-system account recorded beside the person."""
    from hemgenix_desktop.config import Settings
    from hemgenix_desktop.security.signin import LockoutPolicy, PasswordAgeing, SignInService
    from hemgenix_desktop.security.users import UserAdmin
    from hemgenix_desktop.services.administration import Administration
    from hemgenix_desktop.services.environment import record_refusals
    from hemgenix_desktop.storage import cli_actor

    settings = Settings.from_env()
    os_account = cli_actor().username.removeprefix("cli:")
    refused = record_refusals(store, workstation_name())  # a site floor the environment tried to relax
    if refused:
        sys.stderr.write(refused.rstrip() + "\n")
    sign_in = SignInService(
        store,
        lockout=LockoutPolicy.from_settings(settings),
        ageing=PasswordAgeing.from_settings(settings),
        os_account=os_account,
    )
    return Administration(store, sign_in, UserAdmin(store), workstation_name(), os_account=os_account)


def sign_in(admin: Administration, args: argparse.Namespace, action: str) -> Operator:
    """The pharmacist doing ``action``, signed in (refused, audited and exit 2 otherwise: no username, no password,
    a wrong one, not a pharmacist)."""
    try:
        username = _ask_username(args.username, "the pharmacist signing in")
    except InvalidInput as exc:
        admin.refuse(None, action, exc.message)
    if not username.strip():
        return admin.sign_in("", "", action)  # refused, once, in the audit trail
    try:
        if args.password_stdin:
            password = stdin_line("your password")
        else:
            password = ask_secret(f"Password for {username.strip()}: ", "password")
    except InvalidInput as exc:
        admin.refuse(None, action, exc.message)
    return admin.sign_in(username, password, action)


def approval(
    admin: Administration, operator: Operator, args: argparse.Namespace, action: str, *, subject: str = ""
) -> Approval | None:
    """The second pharmacist's approval when ``--approver`` names one (None otherwise: the service says when one
    was needed)."""
    name: str | None = args.approver
    if name is None or not name.strip():
        if args.approver_password_stdin:
            admin.refuse(
                operator, action, "--approver-password-stdin needs --approver NAME: name the approving pharmacist."
            )
        return None
    try:
        if args.approver_password_stdin:
            password = stdin_line("the approver's password")
        else:
            password = ask_secret(f"Password of the approving pharmacist {name.strip()}: ", "approver's password")
    except InvalidInput as exc:
        admin.refuse(operator, action, exc.message)
    return admin.approve(
        operator,
        name,
        password,
        action,
        subject=subject,
        reason=args.reason,
        without_number=action.startswith("setting an employee number"),
    )


__all__ = ["add_signin_options", "administration", "approval", "ask_secret", "sign_in", "stdin_line"]
