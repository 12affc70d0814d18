"""Memory on the real path: the application as a pharmacist runs it, in a process of its own, offscreen.

``python -m benchmarks.memory FOLDER prepare`` first makes the database in FOLDER with a technician and a
pharmacist, through the program's own services and its password hasher (the site's argon2id cost), as on a
workstation that has run before. Then ``python -m benchmarks.memory FOLDER [PREPARATIONS]``: the program's own
QApplication and its services over that database (``ui.app._Database``, as ``hemgenix-prep gui`` opens it), the
main window (printing into PDF files through the tests' printer stand-in: no printer is needed), and a session
as a technician: sign-in, then PREPARATIONS (default 20) preparations, each for another patient, one after the
other, each driven as a person does (typing, scanning, Next): the wizard with autosave, Review and Finish, the
signing flow (the preparer's signature, the pharmacist signs in and does the blind check; the window seals the
record as it always does), the print preview of the record and of the bag label (QtPdf documents, the preview's
pages painted, printed into a file), Close; after the first, History is opened once and closed.
``python -m benchmarks.memory FOLDER floor`` then measures the floor: a process that loads every module the
session loaded (pyHanko as the program loads it, records/pyhanko_loading.py: by name, its stand-in packages would
load the aiohttp stack the session never loaded), makes the QApplication, and does nothing else.

The resident memory (VmRSS, from /proc) is read after each preparation, once what was closed has been deleted
(Qt's deferred deletes) and the collector has run. Prints one JSON object: ``rss_bytes`` (after the first
preparation and History: the figure), ``rss_after`` (after each), ``rss_split`` (that figure by kind: data, and
pages of files such as the libraries' code), ``peak_rss_bytes`` (VmHWM) and sizes.
Waits are event-loop turns until a condition holds, so work the window moves to a thread is waited for too.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop
from PySide6.QtWidgets import QApplication

from benchmarks.common import own_peak_rss_bytes, own_rss_bytes, own_rss_split
from hemgenix_desktop.config import Settings
from hemgenix_desktop.domain.vocabulary import PreparationStatus, Role
from hemgenix_desktop.records.pyhanko_loading import load_pyhanko
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.app import _Database, application, settle_memory
from hemgenix_desktop.ui.driving import print_from
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.printing import PrintPreview
from tests.helpers.people import PASSWORDS, PEOPLE, employee_number
from tests.helpers.printer import FakePrinter
from tests.ui.helpers import (
    FILLERS,
    NOW,
    click,
    fill_identity,
    fill_kit,
    fill_order,
    kit_code,
    press_next,
    tick,
    type_text,
)
from tests.ui.signing_helpers import blind_check, sign_preparer, verifier_signs_in

TECHNICIAN, PHARMACIST = "ttech", "ppharm"
PREPARATIONS = 20
MODULES = "modules.json"  # what the session loaded, for the floor
WAIT_S = 120.0


def url(folder: Path) -> str:
    return f"sqlite:///{folder / 'memory.sqlite3'}"


def prepare(folder: Path) -> dict[str, object]:
    """The database with its pharmacist (the first account) and a technician, as the program adds them."""
    with Store.open(url(folder)) as store:
        services = Workstation.from_settings(store, Settings.from_env(), practice=False)
        ws = services.workstation
        first = services.admin.add_first_pharmacist(
            PHARMACIST, PEOPLE[PHARMACIST][0], PASSWORDS[PHARMACIST], ws, employee_number=employee_number(PHARMACIST)
        )
        services.admin.add(
            TECHNICIAN,
            PEOPLE[TECHNICIAN][0],
            Role.TECHNICIAN,
            PASSWORDS[TECHNICIAN],
            first,
            ws,
            employee_number=employee_number(TECHNICIAN),
        )
        return {"users": store.users.count()}


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Turn the event loop until ``condition`` holds (work on other threads comes back through it)."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)


def settled_rss() -> int:
    """VmRSS once what was closed is deleted (Qt's deferred deletes, and what the window does after them, on the
    next turns of the event loop). The collector is left to the program."""
    for _ in range(3):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    return own_rss_bytes()


def fill_wizard(window: MainWindow, number: int) -> None:
    """Preparation ``number``: another patient each time (one dose per person), another carton, the 72 kg
    patient's figures otherwise; every page up to Review filled and Next pressed, then Review and Finish."""
    wizard = window.wizard
    assert wizard is not None, "no wizard is open"
    identifier, born = f"HGX-PSI-{7000 + number}", f"1980-03-{number:02d}"
    fillers: dict[str, Callable[[object], None]] = {
        **FILLERS,
        "order": lambda w: fill_order(
            w,  # type: ignore[arg-type]
            orderPatientNameEdit=f"Alex Example {chr(ord('A') + number - 1)}",
            orderDateOfBirthEdit=born,
            orderMrnEdit=f"MRN-{1000 + number}",
            orderPatientIdEdit=identifier,
            orderNumberEdit=f"ORD-{number}",
        ),
        "identity": lambda w: fill_identity(w, identifier=identifier, born=born),  # type: ignore[arg-type]
        "kit": lambda w: fill_kit(w, code=kit_code(serial=f"SER{number}")),  # type: ignore[arg-type]
    }
    while wizard.current_key() != "review":
        key = wizard.current_key()
        fillers[key](wizard)
        press_next(wizard)
        wait_until(lambda key=key: wizard.current_key() != key, f"the wizard to leave {key}")  # type: ignore[misc]
    tick(wizard, "reviewConfirmCheck")
    click(wizard, "wizardFinishButton")
    wait_until(lambda: window.signing is not None, "the signing flow")


STAGES: dict[str, int] = {}  # VmRSS at each step of the first preparation (where the memory goes)


def stage(name: str) -> None:
    if name not in STAGES:
        STAGES[name] = settled_rss()


def sign_and_print(window: MainWindow) -> tuple[int, int]:
    """The signatures with the blind check (the window seals), both PDFs through their print preview, Close.
    Returns the sizes of the saved record and label."""
    flow = window.signing
    assert flow is not None
    sign_preparer(flow, TECHNICIAN)
    wait_until(lambda: flow.current_key() == "signVerifier", "the verifier's screen")
    verifier_signs_in(flow, PHARMACIST)
    wait_until(lambda: flow.current_key() == "blindCheck", "the blind check")
    blind_check(flow)
    wait_until(lambda: flow.current_key() == "done" and flow.saved is not None, "the sealed record")
    stage("signed and sealed, PDFs saved")
    assert flow.record is not None
    actions = flow.record_actions
    assert actions is not None
    for button in ("donePrintRecordButton", "donePrintLabelButton"):
        actions.last_outcome = None
        click(flow, button)
        wait_until(lambda: any(p.isVisible() for p in flow.findChildren(PrintPreview)), "the print preview")
        preview = next(p for p in flow.findChildren(PrintPreview) if p.isVisible())
        print_from(preview)
        del preview  # the preview deletes itself once printed: this function must not keep it (and its pages)
        wait_until(lambda: actions.last_outcome is not None, "the printed file")
        outcome = actions.last_outcome
        if outcome is None or not outcome.printed:
            raise RuntimeError(f"nothing was printed: {outcome.message if outcome else '?'}")
        stage(f"after {button}")
    record_path, label_path = flow.saved
    sizes = record_path.stat().st_size, label_path.stat().st_size
    click(flow, "doneCloseButton")
    wait_until(lambda: window.signing is None, "the list of preparations")
    return sizes


def session(folder: Path, preparations: int) -> dict[str, object]:
    application()
    stage("QApplication and the imports")
    settings = Settings.from_env()
    database = _Database(False, url(folder), settings, None)
    services = database.services()
    services.now = lambda: NOW  # the tests' order (its infusion date) is for that day
    window = MainWindow(services, printer=FakePrinter(["Pharmacy-Laser"], default="Pharmacy-Laser"))
    window.resize(1366, 768)
    window.show()
    settle_memory()
    stage("database open, main window shown")
    type_text(window, "signInUsernameEdit", TECHNICIAN)
    type_text(window, "signInPasswordEdit", PASSWORDS[TECHNICIAN])
    click(window, "signInButton")
    wait_until(lambda: window.user is not None, "the sign-in")
    stage("signed in")
    rss_after: list[int] = []
    split: dict[str, int] = {}
    sizes = (0, 0)
    for number in range(1, preparations + 1):
        if number > 1:
            click(window, "resumeStartNewButton")
        wait_until(lambda: window.wizard is not None, "a new preparation")
        fill_wizard(window, number)
        stage("wizard finished")
        sizes = sign_and_print(window)
        if number == 1:
            history = window.show_history()
            assert history is not None
            wait_until(history.isVisible, "History")
            stage("History open")
            history.close()
        rss_after.append(settled_rss())
        if number == 1:
            split = own_rss_split()
    store = services.store
    sealed = [s for s in store.search() if s.status is PreparationStatus.SEALED]
    if len(sealed) != preparations:
        raise RuntimeError(f"{len(sealed)} of {preparations} preparations were sealed")
    intact = store.verify_audit_chain().intact
    window.quit_without_asking()
    database.close()
    (folder / MODULES).write_text(json.dumps(sorted(sys.modules)), encoding="utf-8")
    return {
        "rss_bytes": rss_after[0],
        "rss_after": rss_after,
        "rss_split": split,
        # the window's picture (Qt's backing store: 4 bytes a pixel), which a shown window keeps
        "window_picture_bytes": int(window.width() * window.height() * window.devicePixelRatio() ** 2 * 4),
        "stages": STAGES,
        "peak_rss_bytes": own_peak_rss_bytes(),
        "record_pdf_bytes": sizes[0],
        "label_pdf_bytes": sizes[1],
        "preparations": preparations,
        "audit_intact": intact,
    }


def floor(folder: Path) -> dict[str, object]:
    """The floor: a process that only loads what the session had loaded (every module it imported, Qt's
    libraries with them) and makes the program's QApplication, and does nothing. No session can use less."""
    application()
    # pyHanko as the program loads it (records/pyhanko_loading.py): imported by name, its stand-in packages would load
    # aiohttp, which the session never did
    load_pyhanko()
    for name in json.loads((folder / MODULES).read_text(encoding="utf-8")):
        if name not in sys.modules and not name.startswith(("benchmarks", "tests", "__main__")):
            try:
                importlib.import_module(name)
            except Exception:
                continue
    return {"rss_bytes": own_rss_bytes(), "rss_split": own_rss_split(), "modules": len(sys.modules)}


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    rest = sys.argv[2:]
    if rest == ["prepare"]:
        print(json.dumps(prepare(folder)))
    elif rest == ["floor"]:
        print(json.dumps(floor(folder)))
    else:
        print(json.dumps(session(folder, int(rest[0]) if rest else PREPARATIONS)))
