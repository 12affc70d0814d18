"""Does every screen fit a small screen? Run in its own process, one screen size and scale at a time.

``python -m tests.ui.screen_fit [--practice]`` under ``QT_QPA_PLATFORM=offscreen:configfile=<json>`` (the offscreen platform's
virtual screen: its width and height) and, for 150 % scaling, ``QT_SCALE_FACTOR=1.5``. It opens the main window
as the program does (``ui.window_place.place_window``), signs in, walks a preparation through every wizard page
(also with a STOP banner shown), through the signatures to the sealed record, and to the list of unfinished
preparations, and on each screen checks that every visible button, field and the status bar lie inside the
screen's available geometry (what scrolls inside a scroll area is reachable by scrolling: there the scroll area
must be on screen and tall enough to use). Prints one JSON object: the screen, and every problem found.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLineEdit,
    QScrollArea,
    QStatusBar,
    QWidget,
)

from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.app import application
from hemgenix_desktop.ui.driving import settle
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.signin import PRACTICE_PASSWORD, add_practice_users
from hemgenix_desktop.ui.window_place import place_window
from tests.helpers.people import PASSWORDS
from tests.ui.helpers import FILLERS, fill_order, fill_weight, press_next
from tests.ui.main_helpers import add_people, finish_review, open_store, services, sign_in, wizard_of
from tests.ui.signing_helpers import blind_check, sign_preparer, verifier_signs_in

ANOTHER_PATIENT = {
    "orderPatientNameEdit": "Robin Other",
    "orderDateOfBirthEdit": "1975-07-01",
    "orderMrnEdit": "MRN-0002",
    "orderPatientIdEdit": "HGX-PSI-8842",
}
MIN_SCROLL_HEIGHT = 60  # logical pixels: a scroll area lower than this shows too little to work with


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _scrolls(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def check(window: QWidget, where: str, problems: list[str]) -> None:
    """Add a sentence to ``problems`` for each control of ``window`` that lies outside the available area."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    _settle(app)
    screen = window.screen()
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    if not available.contains(frame):
        problems.append(f"{where}: the window {frame.getRect()} is larger than the screen {available.getRect()}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QScrollArea) and not _scrolls(widget):
            viewport = _global_rect(widget.viewport())
            if viewport.height() < MIN_SCROLL_HEIGHT or not available.contains(viewport.topLeft()):
                problems.append(f"{where}: {widget.objectName()} shows {viewport.height()} px, too little to use")
            continue
        if not isinstance(widget, QAbstractButton | QLineEdit | QStatusBar) or _scrolls(widget):
            continue
        rect = _global_rect(widget)
        if not available.contains(rect):
            name = widget.objectName() or type(widget).__name__
            problems.append(f"{where}: {name} at {rect.getRect()} is outside the screen {available.getRect()}")


def walk(window: MainWindow, problems: list[str], people: dict[str, tuple[str, str]]) -> None:
    """Every screen of one preparation, checked as it shows; ``people``: the technician's and the pharmacist's
    username and password."""
    check(window, "sign-in", problems)
    sign_in(window, *people["technician"])
    wizard = wizard_of(window)
    fill_order(wizard)
    check(window, "order", problems)
    press_next(wizard)
    while wizard.current_key() != "review":
        key = wizard.current_key()
        check(window, f"{key} (empty)", problems)
        if key == "weight":
            fill_weight(wizard, weight="95")  # another kit than the order's: the STOP banner
            check(window, "weight (STOP)", problems)
        FILLERS[key](wizard)
        check(window, key, problems)
        press_next(wizard)
    check(window, "review", problems)
    flow = finish_review(window)
    check(window, "signing: preparer", problems)
    sign_preparer(flow, *people["technician"])
    check(window, "signing: verifier", problems)
    verifier_signs_in(flow, *people["pharmacist"])
    check(window, "signing: blind check", problems)
    blind_check(flow)
    check(window, "signing: done", problems)
    window.show_home()  # the list, empty: then with one saved draft
    window.start_new()
    settle()  # the wizard opens in pieces (ui/wizard_host.py)
    fill_order(wizard_of(window), **ANOTHER_PATIENT)
    press_next(wizard_of(window))
    window.show_home()
    check(window, "unfinished preparations", problems)
    for name, other in (
        ("History", window.show_history()),
        ("Settings", window.show_settings()),
        ("About", window.show_about()),
    ):
        assert other is not None
        check(other, name, problems)
        other.close()


def main() -> int:
    application()
    folder = Path(tempfile.mkdtemp(prefix="hemgenix-fit-"))
    practice = "--practice" in sys.argv[1:]  # every screen also carries the PRACTICE banner
    store = Store.open_practice() if practice else open_store(folder)
    app_services = services(store, practice=practice, data_dir=folder / "data")
    if practice:
        add_practice_users(app_services.admin, app_services.workstation)
        people = {
            "technician": ("practice.tech", PRACTICE_PASSWORD),
            "pharmacist": ("practice.pharmacist", PRACTICE_PASSWORD),
        }
    else:
        add_people(store)
        people = {name: (user, PASSWORDS[user]) for name, user in (("technician", "ttech"), ("pharmacist", "ppharm"))}
    window = MainWindow(app_services)
    place_window(window, folder / "window.json")
    window.show()
    problems: list[str] = []
    try:
        walk(window, problems, people)
    finally:
        window.quit_without_asking()
        store.close()
    screen = window.screen().availableGeometry()
    ratio = window.screen().devicePixelRatio()
    sys.stdout.write(json.dumps({"available": screen.getRect(), "ratio": ratio, "problems": problems}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
