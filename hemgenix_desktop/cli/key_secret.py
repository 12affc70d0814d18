"""The site key's PIN or passphrase on the command line: ``--pin-stdin`` (the first line of standard input), else
a prompt without echo when a command first needs it (only on a terminal), else ``HEMGENIX_SITE_KEY_SECRET`` for
scripts and CI (read by :mod:`hemgenix_desktop.security.key_protection`)."""

from __future__ import annotations

import argparse
import getpass
import sys

from hemgenix_desktop.domain.errors import InvalidInput


def add_pin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the site key's PIN (token) or passphrase (key file) from the first line of standard input",
    )


def _ask(question: str) -> str | None:
    try:
        return getpass.getpass(f"Enter {question}: ") or None
    except (EOFError, KeyboardInterrupt):
        return None


def set_up(args: argparse.Namespace) -> None:
    """Take the secret from standard input (``--pin-stdin``), or ask for it on the terminal when it is needed."""
    if getattr(args, "pin_stdin", False):
        from hemgenix_desktop.security.key_protection import provide_secret

        line = sys.stdin.readline()
        text = line.removesuffix("\n").removesuffix("\r")
        if not text:
            raise InvalidInput(
                "Nothing came on standard input. Give the site key's PIN or passphrase as its first line."
            )
        provide_secret(text)
    elif sys.stdin is not None and sys.stdin.isatty():
        from hemgenix_desktop.security.key_protection import set_prompt

        set_prompt(_ask)
