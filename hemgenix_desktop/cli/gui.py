"""``gui``: start the wizard (the default when no subcommand is given)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    gui = subparsers.add_parser("gui", help="start the preparation wizard (the default)")
    add_gui_options(gui)
    gui.set_defaults(func=run_gui)


def add_gui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--practice", action="store_true", help="practice mode: a demo order, synthetic cartons")
    parser.add_argument("--exit-when-ready", action="store_true", help="show the first screen, then exit 0")


def run_default(args: argparse.Namespace) -> int:
    args.practice = getattr(args, "practice", False)
    args.exit_when_ready = getattr(args, "exit_when_ready", False)
    return run_gui(args)


def run_gui(args: argparse.Namespace) -> int:
    from hemgenix_desktop.ui.app import run_app  # Qt is imported only when the wizard starts

    return run_app(practice=bool(args.practice), exit_when_ready=bool(args.exit_when_ready))
