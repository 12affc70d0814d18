"""The longest stall of the GUI thread's event loop in each step of a normal preparation (issue 13, item 4).

A stall is how long the window could not repaint nor take a key: a 10 ms timer on the GUI thread records how late
each of its ticks comes (:class:`StallMonitor`); a step's figure is its latest tick. ``python -m benchmarks.stalls
FOLDER`` drives one whole preparation in the real main window, offscreen, the way a pharmacy runs it: a SQLite file
database, passwords hashed with the real argon2id parameters, the site certificate created at the first seal.
Steps: sign-in; each wizard page filled and Next; Finish review; the preparer's signature; the verifier's sign-in;
the blind check; sealing (the record sealed, its PDF built and signed, both PDFs saved); the print preview of the
record and of the label (opened until its pages are painted); History opened, and a search; the idle lock and the
unlock. Prints one JSON object: each step's longest stall in milliseconds, and the floor (the monitor alone, with
the window idle). :func:`run` runs it several times, each in its own process, and makes the rows.

Like the program, the benchmark loads what the program's database thread loads once the sign-in works (the signing
services, the wizard, the signatures: ``ui.app._after_opening``) before its first step: in practice it is done long
before anyone has typed a password (the quickest possible sign-in, where it is not, is the usable-start benchmark's). Like the program (``run_app``), the benchmark freezes what the start made before the
event loop runs
(``settle_memory``: ``gc.freeze``). Without it, each of Python's full collections walked every object of the start
again, 80-115 ms with the interpreter lock held, and landed in whichever step made the object that set it off
(the blind check, the sealing or a print preview): a stall of the benchmark, not of the program.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HEMGENIX_SITE_KEY_SECRET", "benchmark passphrase of a throwaway site key")

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from benchmarks.common import Config, Row, Section, child_env, run_module_json

TARGET_MS = 100.0
PERIOD_MS = 10


class StallMonitor(QObject):
    """A timer every ``PERIOD_MS`` on the GUI thread; ``worst`` is the most one tick came late, in milliseconds."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PERIOD_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def start(self) -> None:
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self.last) * 1000 - PERIOD_MS)
        self.last = now


def _busy() -> bool:
    try:  # the program's calls off the GUI thread (absent before issue 13: then nothing runs there)
        from hemgenix_desktop.ui.background import busy
    except ImportError:
        return False
    return busy()


def wait_until(condition: Callable[[], bool], timeout_ms: int = 120_000) -> None:
    """Run the event loop (the monitor's ticks wake it) until ``condition`` holds and nothing runs in the
    background; never blocks the GUI thread itself."""
    deadline = QDeadlineTimer(timeout_ms)
    while _busy() or not condition():
        if deadline.hasExpired():
            raise RuntimeError(f"the window did not get there in time; it shows: {_shown()}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _shown() -> str:
    """The sentences on screen (for the error when a step does not get where it should)."""
    from PySide6.QtWidgets import QLabel

    texts = []
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            texts += [w.text() for w in top.findChildren(QLabel) if w.isVisible() and w.text().strip()]
    return " | ".join(texts)[-1500:]


def spin(ms: int) -> None:
    """The event loop for ``ms`` milliseconds (the monitor's last tick of a step comes in)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class Steps:
    def __init__(self, monitor: StallMonitor) -> None:
        self.monitor = monitor
        self.stalls: dict[str, float] = {}

    def measure(self, name: str, action: Callable[[], None], until: Callable[[], bool] = lambda: True) -> None:
        spin(3 * PERIOD_MS)
        self.monitor.reset()
        action()
        wait_until(until)
        spin(3 * PERIOD_MS)  # the tick after the step's last work
        self.stalls[name] = round(self.monitor.worst, 1)


def one_preparation(folder: Path) -> dict[str, float]:
    from hemgenix_desktop.domain.vocabulary import Role
    from hemgenix_desktop.security.signin import SignInService
    from hemgenix_desktop.security.users import UserAdmin
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.ui.app import _after_opening, settle_memory
    from hemgenix_desktop.ui.background import load_now
    from hemgenix_desktop.ui.main_window import MainWindow
    from tests.helpers.printer import FakePrinter
    from tests.ui.helpers import FILLERS, NOW, find, press_next, tick, type_text

    def click(root: QWidget, name: str, *, wait: bool = False) -> None:  # pressed, not waited for
        del wait
        button = find(root, QAbstractButton, name)
        assert button.isEnabled(), f"{name} is disabled"
        button.click()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = Store.open(f"sqlite:///{folder / 'stalls.sqlite3'}")
    password = "correct horse battery staple 7"
    admin = UserAdmin(store)  # argon2id with its real parameters, as at a pharmacy
    first = admin.add_first_pharmacist("pat", "Pat Pharmacist", password, "bench-ws", employee_number="B-1")
    admin.add("tara", "Tara Technician", Role.TECHNICIAN, password, first, "bench-ws", employee_number="B-2")
    services = Workstation(
        store=store,
        sign_in=SignInService(store, local_zone=UTC),
        admin=admin,
        workstation="bench-ws",
        data_dir=folder / "data",
        records_dir=folder / "records",
        site="Benchmark site",
        idle_lock_ms=3_600_000,
        now=lambda: NOW,
        tz=UTC,
    )
    window = MainWindow(services, printer=FakePrinter(["Pharmacy-Laser"], default="Pharmacy-Laser"))
    window.resize(1366, 768)
    window.show()
    # what the program's database thread loads once the sign-in works (ui/app.py), in practice long before anyone has
    # typed a password: done here too, before the first step, on a thread of its own as there
    ahead = _after_opening(store)  # made here, so that a mistake in making them stops the benchmark
    loader = threading.Thread(target=lambda: load_now(*ahead), name="open the database")
    loader.start()
    loader.join()
    settle_memory()  # what the program does before its event loop (ui/app.py): what the start made is not walked again
    monitor = StallMonitor()
    monitor.start()
    steps = Steps(monitor)
    wait_until(lambda: window.stack.currentWidget() is window.sign_in)
    steps.measure("floor (the window idle, 300 ms)", lambda: spin(300))

    def sign_in() -> None:
        type_text(window, "signInUsernameEdit", "tara")
        type_text(window, "signInPasswordEdit", password)
        click(window, "signInButton", wait=False)

    steps.measure("sign-in", sign_in, lambda: window.wizard is not None)
    wizard = window.wizard
    assert wizard is not None
    while wizard.current_key() != "review":
        key = wizard.current_key()

        def page(key: str = key) -> None:
            FILLERS[key](wizard)
            press_next(wizard)

        steps.measure(f"wizard page {key}", page, lambda key=key: wizard.current_key() != key)  # type: ignore[misc]

    def finish() -> None:
        tick(wizard, "reviewConfirmCheck")
        click(wizard, "wizardFinishButton", wait=False)

    steps.measure("wizard page review + Finish", finish, lambda: window.signing is not None)
    flow = window.signing
    assert flow is not None

    def preparer() -> None:
        if not flow.preparer_username.isReadOnly():
            type_text(flow, "signPreparerUsernameEdit", "tara")
        type_text(flow, "signPreparerPasswordEdit", password)
        click(flow, "signPreparerSignButton", wait=False)

    steps.measure("preparer signs", preparer, lambda: flow.current_key() != "signPreparer")

    def verifier() -> None:
        type_text(flow, "signVerifierUsernameEdit", "pat")
        type_text(flow, "signVerifierPasswordEdit", password)
        click(flow, "signVerifierContinueButton", wait=False)

    steps.measure("verifier signs in", verifier, lambda: flow.current_key() == "blindCheck")

    def blind() -> None:
        type_text(flow, "blindCheckWeightEdit", "72")
        click(flow, "blindCheckWeightUnitKg", wait=False)
        type_text(flow, "blindCheckVialsEdit", "15")
        type_text(flow, "blindCheckDoseEdit", "144")
        click(flow, "blindCheckSignButton", wait=False)

    # The blind check's step ends as the sealing starts (the sealing screen shows); sealing ends on the Done screen.
    def sealing_started() -> bool:
        return flow.current_key() in ("seal", "done")

    deadline = QDeadlineTimer(120_000)
    spin(3 * PERIOD_MS)
    monitor.reset()
    blind()
    while not sealing_started() and not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    spin(PERIOD_MS)
    steps.stalls["blind check"] = round(monitor.worst, 1)
    monitor.reset()
    wait_until(lambda: flow.current_key() == "done")
    spin(3 * PERIOD_MS)
    steps.stalls["sealing (seal, sign the PDF, save both)"] = round(monitor.worst, 1)

    actions = flow.record_actions
    assert actions is not None
    for kind, button in (("record", "donePrintRecordButton"), ("label", "donePrintLabelButton")):
        previews: list[QWidget] = []

        def opened(previews: list[QWidget] = previews) -> bool:
            from hemgenix_desktop.ui.printing import PrintPreview

            found = [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreview) and w.isVisible()]
            previews[:] = found
            return bool(found)

        steps.measure(f"print preview of the {kind}", lambda button=button: click(actions, button, wait=False), opened)  # type: ignore[misc]
        for preview in previews:
            preview.close()
        spin(50)

    history_windows: list[QWidget] = []

    def open_history() -> None:
        shown = window.show_history()
        if shown is not None:
            history_windows.append(shown)

    steps.measure("History opens", open_history, lambda: bool(history_windows) and history_windows[0].isVisible())
    history = history_windows[0]

    def search() -> None:
        type_text(history, "historyPatientEdit", "Alex")
        click(history, "historySearchButton", wait=False)

    steps.measure("History search", search)
    history.close()

    window.lock(window.tr("Locked for the benchmark."), "Locked for the benchmark")
    wait_until(lambda: window.stack.currentWidget() is window.lock_screen)

    def unlock() -> None:
        type_text(window, "lockUsernameEdit", "tara")
        type_text(window, "lockPasswordEdit", password)
        click(window, "lockUnlockButton", wait=False)

    steps.measure("idle-lock unlock", unlock, lambda: window.stack.currentWidget() is not window.lock_screen)
    monitor.timer.stop()
    window.quit_without_asking()
    window.close()
    store.close()
    app.processEvents()
    return steps.stalls


def run(config: Config) -> Section:
    """Several whole preparations, each in its own process; per step the median of the longest stall."""
    rounds = 1 if config.quick else 5
    runs: list[dict[str, float]] = []
    for number in range(rounds):
        folder = config.work / f"stalls-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        env = child_env(folder / "home", bytecode_cache=None)
        runs.append(run_module_json("stalls", [str(folder)], env))
    section = Section("GUI stalls")
    for step in runs[0]:
        values = [r[step] for r in runs]
        median = statistics.median(values)
        floor = step.startswith("floor")
        section.rows.append(
            Row(
                f"Longest GUI stall: {step}",
                f"{median:.0f} ms (min {min(values):.0f}, max {max(values):.0f}, n={len(values)})",
                "" if floor else f"≤ {TARGET_MS:.0f} ms",
                None if floor else median <= TARGET_MS,
            )
        )
    section.details.append(
        "The longest stall of the GUI thread's event loop per step of one whole preparation in the real main "
        f"window (offscreen; SQLite file; real argon2id; the start's objects frozen with gc.freeze before the first "
        f"step, as the program does before its event loop): a {PERIOD_MS} ms timer records how late each tick comes. "
        "The floor row is the same timer with the window idle: what the machine's load alone adds."
    )
    return section


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(one_preparation(Path(sys.argv[1]))))
    else:
        with tempfile.TemporaryDirectory() as work:
            print(json.dumps(one_preparation(Path(work)), indent=1))
