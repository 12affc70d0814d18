"""``gui``: start the wizard (the default when no subcommand is given)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import Any


def version_lines() -> list[str]:
    """``--version``: the About box's version lines, with the Qt this program runs (Qt is loaded for it)."""
    from hemgenix_desktop.ui.about import qt_version_lines

    return qt_version_lines()


def register(subparsers: Any) -> None:
    from hemgenix_desktop.cli import add_db_option

    gui = subparsers.add_parser("gui", help="start the preparation wizard (the default)")
    add_gui_options(gui)
    add_db_option(gui)  # `hemgenix-prep gui --db URL`; `hemgenix-prep --db URL gui` works too
    gui.set_defaults(func=run_gui)


def add_gui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--practice", action="store_true", help="practice mode: a demo order, synthetic cartons")
    parser.add_argument("--exit-when-ready", action="store_true", help="show the first screen, then exit 0")


def run_default(args: argparse.Namespace) -> int:
    """No subcommand: the wizard, with the top-level ``--practice`` / ``--exit-when-ready`` if given."""
    return run_gui(args)


def run_gui(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        sys.stderr.write(
            "No screen was found (DISPLAY and WAYLAND_DISPLAY are not set). Start Hemgenix Prep from the "
            "workstation's desktop session, or use the command-line tools (hemgenix-prep --help).\n"
        )
        return 1
    gc.disable()  # the start makes many objects and almost no garbage; run_app collects again (settle_memory)
    try:
        from hemgenix_desktop.ui.app import run_app  # Qt is imported only when the wizard starts

        return run_app(
            practice=bool(args.practice), exit_when_ready=bool(args.exit_when_ready), db_url=getattr(args, "db", None)
        )
    finally:
        gc.enable()
