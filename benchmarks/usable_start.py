"""Cold start to a usable sign-in: the program started as a pharmacist starts it, timed from the moment the
benchmark started the process.

``python benchmarks/usable_start.py prepare`` makes the database (``HEMGENIX_DB_URL``) with its first pharmacist,
through the program's own services and password hasher (the site's argon2id cost), as a workstation that has
run before has it. ``python benchmarks/usable_start.py`` then starts the program as ``hemgenix-prep`` (no command, the desktop's launcher) does
(the command line parsed, the collector off, ``ui.app.run_app``), with one watcher on its window: the username
and password are in their fields when the first screen is painted (a person types while the database opens),
and the sign-in button is pressed the moment it is enabled. It prints one JSON object of seconds since
``HEMGENIX_BENCH_T0`` (the parent's ``time.monotonic()`` just before it started this process; the clock is the
system's, the same in both): ``painted`` (the first paint, on the next turn of the event loop, as the bare
wizard's), ``enabled`` (the sign-in button can be pressed), ``signed_in`` (the typed password accepted: the
window signed the person in: the figure the issue names), ``shown`` (the screen after the sign-in painted, on the
next turn of the event loop: what the person sees a little later); and ``verify_s``, the floor: one argon2id check
of the same password with the same hash, timed in this process afterwards.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from typing import Any

USERNAME = "bench.pharmacist"
PASSWORD = "benchmark pass phrase 2026"
T0_VARIABLE = "HEMGENIX_BENCH_T0"


def since_start() -> float:
    return time.monotonic() - float(os.environ[T0_VARIABLE])


def prepare() -> dict[str, object]:
    from hemgenix_desktop.config import Settings
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.storage import Store

    with Store.open() as store:  # HEMGENIX_DB_URL: created and migrated here, not in the timed runs
        services = Workstation.from_settings(store, Settings.from_env(), practice=False)
        if services.admin.needs_first_user():
            services.admin.add_first_pharmacist(
                USERNAME, "Bench Pharmacist", PASSWORD, services.workstation, employee_number="BENCH-1"
            )
        return {"users": store.users.count()}


def start() -> dict[str, Any]:
    from hemgenix_desktop.cli import build_parser

    argv: list[str] = []  # no command, as the desktop's launcher starts it
    build_parser(argv).parse_args(argv)  # what hemgenix_desktop.cli.main does first
    gc.disable()  # as cli/gui.py's run_gui; run_app collects again before its event loop
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

    from hemgenix_desktop.ui.app import run_app

    marks: dict[str, float] = {}

    class Watch(QObject):
        """Types at the first paint, presses the button once it is enabled, ends the program when signed in."""

        def __init__(self, window: QWidget) -> None:
            super().__init__(window)
            self.window = window
            self.button = window.findChild(QPushButton, "signInButton")
            window.installEventFilter(self)
            self.button.installEventFilter(self)
            window.session_changed.connect(self._signed_in)  # type: ignore[attr-defined]
            self._after = AfterSignIn(window)
            QTimer.singleShot(60_000, lambda: QApplication.exit(3))

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            kind = event.type()
            if watched is self.window and kind == QEvent.Type.Paint and "painted" not in marks:
                marks["painted"] = -1.0
                QTimer.singleShot(0, self._painted)
            elif watched is self.button and kind == QEvent.Type.EnabledChange and "painted" in marks:
                QTimer.singleShot(0, self._press)
            return False

        def _painted(self) -> None:
            marks["painted"] = since_start()
            for name, text in (("signInUsernameEdit", USERNAME), ("signInPasswordEdit", PASSWORD)):
                edit = self.window.findChild(QLineEdit, name)
                edit.setText(text)
                edit.textEdited.emit(text)
            self._press()

        def _press(self) -> None:
            if "enabled" in marks or not self.button.isEnabled() or not self.button.isVisible():
                return
            marks["enabled"] = since_start()
            self.button.click()

        def _signed_in(self, _user: object) -> None:
            if "signed_in" not in marks:
                marks["signed_in"] = since_start()
                app = QApplication.instance()
                assert app is not None
                app.installEventFilter(self._after)  # the screen shown after it (set current in the same call)

    class AfterSignIn(QObject):
        """Marks ``shown`` on the turn after the first paint of the screen the window shows once signed in."""

        def __init__(self, window: QWidget) -> None:
            super().__init__(window)
            self.window = window

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            current = self.window.stack.currentWidget()  # type: ignore[attr-defined]
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and (watched is current or current.isAncestorOf(watched))
                and "shown" not in marks
            ):
                marks["shown"] = -1.0
                QTimer.singleShot(0, self._shown)
            return False

        def _shown(self) -> None:
            marks["shown"] = since_start()
            app = QApplication.instance()
            assert app is not None
            app.removeEventFilter(self)  # not left watching the window while it is torn down
            QApplication.exit(0)

    code = run_app(practice=False, exit_when_ready=False, db_url=None, watch=Watch)
    if code != 0 or set(marks) != {"painted", "enabled", "signed_in", "shown"}:
        raise SystemExit(f"the start did not reach a signed-in window (exit {code}, {sorted(marks)})")
    return {**marks, "verify_s": verify_floor()}


def verify_floor() -> float:
    """One argon2id check of the password against its stored hash (the best of three, warm): what any sign-in
    costs at the least."""
    from hemgenix_desktop.security.passwords import Passwords
    from hemgenix_desktop.storage import Store

    with Store.open() as store:
        stored = store.users.password_hash(USERNAME)
    if stored is None:
        raise SystemExit(f"{USERNAME} is not in the database: run with 'prepare' first")
    passwords = Passwords()
    times = []
    for _ in range(3):
        began = time.perf_counter()
        passwords.verify(stored, PASSWORD)
        times.append(time.perf_counter() - began)
    return min(times)


if __name__ == "__main__":
    print(json.dumps(prepare() if sys.argv[1:] == ["prepare"] else start()))
