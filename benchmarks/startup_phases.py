"""Where the cold start goes: ``hemgenix-prep --exit-when-ready`` in steps, with a clock between them.

``python -m benchmarks.startup_phases`` imports PySide6, builds the command line and parses
``--exit-when-ready`` (no command, as the desktop's launcher starts it: the wizard), imports the program's window module (hemgenix_desktop.ui.app and all it imports),
then runs the command's own handler (QApplication, settings, the first look at the database, first window,
first paint, exit), and prints one JSON object: milliseconds per step, and which heavy libraries were loaded
after the imports and at the ready line. A last step, not part of the cold-start figure, then opens the database
and makes the services as a normal start does right after the first paint (``_Database.services``: SQLAlchemy,
the migration check, the checklist, argon2): how long after the first screen the sign-in button works.
It follows whatever the ``gui`` command does, so it stays true as the program changes. A profile for
docs/performance.md, not a figure with a target.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time

AFTER = "after the first paint: open the database"  # the last step; not part of the cold-start figure
HEAVY = ("biip", "zxingcpp", "sqlalchemy", "alembic", "reportlab", "pyhanko", "pypdf", "argon2", "segno")


def _heavy() -> list[str]:
    return sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    marks: list[tuple[str, float]] = [("start", time.perf_counter())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    import PySide6.QtWidgets  # noqa: F401 - timed on its own: what every Qt program pays

    mark("import PySide6")
    from hemgenix_desktop.cli import build_parser

    argv = ["--exit-when-ready"]  # no command, as the desktop's launcher starts it
    args = build_parser(argv).parse_args(argv)  # as hemgenix_desktop.cli.main does
    from hemgenix_desktop.cli.gui import run_default  # main's handler when no command is given

    handler = getattr(args, "func", None) or run_default
    mark("command line")
    import hemgenix_desktop.ui.app  # noqa: F401

    mark("import the window and what it imports")
    after_imports = _heavy()
    code = handler(args)
    mark("settings, first look, window, first paint, exit")
    at_ready = _heavy()
    from hemgenix_desktop.config import Settings
    from hemgenix_desktop.ui.app import _Database

    opened = _Database(practice=False, db_url=None, settings=Settings.from_env(), standin=None)
    opened.services()
    opened.close()
    mark(AFTER)
    steps = {b[0]: (b[1] - a[1]) * 1000 for a, b in itertools.pairwise(marks)}
    print(json.dumps({"steps_ms": steps, "after_imports": after_imports, "at_exit": at_ready, "exit": code}))


if __name__ == "__main__":
    main()
