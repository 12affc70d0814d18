"""The main window on a throwaway database: people, services, and driving sign-in, the lock and the list.

Shared by the main-window tests (test_signin, test_resume, test_lock, test_history), the kill-and-resume
driver (tests/reliability/gui_driver.py) and scripts/screenshots.py. Passwords are hashed with the cheapest
argon2id (the same code path, fast). The wizard runs on the fixed clock of tests/ui/helpers.py.
"""

from __future__ import annotations

import tempfile
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from hemgenix_desktop.security.signin import LockoutPolicy, SignInService
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import Clock, Store, User, utc_now
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.printing import PrinterBackend
from hemgenix_desktop.ui.signing import SigningFlow
from hemgenix_desktop.ui.wizard import PreparationWizard
from tests.helpers import people
from tests.helpers.people import PASSWORDS
from tests.helpers.store import cheap_passwords, open_store_file
from tests.ui.helpers import NOW, click, tick, type_text, walk_to

# The offscreen test platform cannot raise windows or propagate size hints and says so; that is not a failure.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)\(\)")
WORKSTATION = "hood-1"
HOUR_MS = 3_600_000  # an idle time no test reaches by accident
PEOPLE = ("ttech", "ppharm")  # of tests/helpers/people.py: a technician and a pharmacist
PATIENT_DATA = ("Alex Example", "MRN-0001", "HGX-PSI-7731", "1980-03-15")  # as tests/ui/helpers.py types them


def db_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'hemgenix.sqlite3'}"


def open_store(folder: Path, clock: Clock = utc_now) -> Store:
    return open_store_file(folder / "hemgenix.sqlite3", clock=clock)


def add_people(store: Store) -> dict[str, User]:
    return people.add_people(store, PEOPLE, workstation=WORKSTATION)


def services(
    store: Store,
    *,
    practice: bool = False,
    idle_lock_ms: int = HOUR_MS,
    lockout: LockoutPolicy | None = None,
    clock: Clock | None = None,
    data_dir: Path | None = None,
) -> Workstation:
    """The main window's services on ``store``. The site certificate and the records go into ``data_dir`` (a new
    temporary folder when not given: never the user's data folder)."""
    folder = data_dir if data_dir is not None else Path(tempfile.mkdtemp(prefix="hemgenix-test-data-"))
    return Workstation(
        store=store,
        sign_in=SignInService(
            store, lockout=lockout or LockoutPolicy(), passwords=cheap_passwords(), clock=clock, local_zone=UTC
        ),
        admin=UserAdmin(store, passwords=cheap_passwords()),
        workstation=WORKSTATION,
        practice=practice,
        idle_lock_ms=idle_lock_ms,
        now=lambda: NOW,
        tz=UTC,
        site="Test Infusion Pharmacy",
        data_dir=folder,
        records_dir=folder / "records",
    )


def sign_in(window: MainWindow, username: str, password: str | None = None) -> None:
    type_text(window, "signInUsernameEdit", username)
    type_text(window, "signInPasswordEdit", password if password is not None else PASSWORDS[username])
    click(window, "signInButton")


def unlock(window: MainWindow, username: str, password: str | None = None) -> None:
    type_text(window, "lockUsernameEdit", username)
    type_text(window, "lockPasswordEdit", password if password is not None else PASSWORDS[username])
    click(window, "lockUnlockButton")


def wizard_of(window: MainWindow) -> PreparationWizard:
    wizard = window.wizard
    assert wizard is not None, "no wizard is open"
    return wizard


def visible_texts(window: QWidget) -> list[str]:
    """Every text a person could read on screen now: in the window and in every other visible window."""
    texts: list[str] = []
    tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for top in [window, *tops]:
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
                texts.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                texts.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                texts.append(widget.currentText())
            elif isinstance(widget, QTableWidget):
                for row in range(widget.rowCount()):
                    for column in range(widget.columnCount()):
                        item = widget.item(row, column)
                        if item is not None:
                            texts.append(item.text())
            texts.append(widget.toolTip())
    return texts


def make_main(
    app_services: Workstation, qtbot: QtBot | None = None, printer: PrinterBackend | None = None
) -> MainWindow:
    """The main window at 1366×768; with ``qtbot`` it is closed for good after the test (a window with an open
    preparation would otherwise ask first, and stay on screen for the next test). Printing goes to ``printer`` (a
    stand-in that records the jobs when not given: no printer is needed)."""
    from tests.ui.signing_helpers import FakePrinter

    chosen = printer if printer is not None else FakePrinter(["Pharmacy-Laser"], default="Pharmacy-Laser")
    window = MainWindow(app_services, printer=chosen)
    window.resize(1366, 768)
    if qtbot is not None:
        qtbot.addWidget(window, before_close_func=lambda w: w.quit_without_asking())  # type: ignore[attr-defined]
    return window


def finish_review(window: MainWindow) -> SigningFlow:
    """The open wizard walked to its Review (the 72 kg patient of tests/ui/helpers.py unless filled already),
    reviewed and finished: the signing flow the main window shows next."""
    wizard = wizard_of(window)
    walk_to(wizard, "review")
    tick(wizard, "reviewConfirmCheck")
    click(wizard, "wizardFinishButton")
    flow = window.signing
    assert flow is not None, "Finish did not open the signatures"
    assert window.stack.currentWidget() is window.signing_host
    return flow
