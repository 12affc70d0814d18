"""Write a PNG of every wizard page, some stop states and practice mode to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The wizard is driven by the same helpers as the tests (tests/ui/helpers.py) on a fixed clock, rendered
offscreen at 1366×768. The two densest pages are also written at 150% scaling (QT_SCALE_FACTOR=1.5, in a
second process, since the factor must be set before Qt starts): the same 1366×768 pixels, as a laptop at
150% shows them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HEMGENIX_SITE_KEY_SECRET", "the passphrase of the screenshots' throwaway site key")

SCREEN = (1366, 768)
MAX_BYTES = 150_000


def _shots(scaled: bool) -> list[tuple[str, bool, Callable[..., None]]]:
    from tests.ui import helpers as h

    def order(w: object) -> None:
        h.fill_order(w)  # type: ignore[arg-type]

    def upto(key: str, then: Callable[[object], None] | None = None) -> Callable[[object], None]:
        def go(w: object) -> None:
            h.walk_to(w, key)  # type: ignore[arg-type]
            filler = h.FILLERS.get(key)
            if then is not None:
                then(w)
            elif filler is not None:
                filler(w)  # type: ignore[arg-type]

        return go

    def identity_mismatch(w: object) -> None:
        h.fill_identity(w, identifier="HGX-PSI-7713")  # type: ignore[arg-type]

    def kit_expired(w: object) -> None:
        h.scan(w, h.kit_code(expiry=date(2026, 11, 28), lot="OLD7"))  # type: ignore[arg-type]

    def weight_drift(w: object) -> None:
        h.fill_weight(w, weight="76")  # type: ignore[arg-type]

    def review(w: object) -> None:
        h.walk_to(w, "review")  # type: ignore[arg-type]

    def review_end(w: object) -> None:
        """A review with a stop met on the way (a wrong identifier, corrected) and a weight notice."""
        h.walk_to(w, "identity")  # type: ignore[arg-type]
        h.fill_identity(w, identifier="HGX-PSI-7713")  # type: ignore[arg-type]
        h.fill_identity(w)  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]
        h.fill_weight(w, weight="73.5")  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]
        h.walk_to(w, "preparation")  # type: ignore[arg-type]
        h.fill_preparation(w, volume_drawn_ml="147")  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]
        h.walk_to(w, "review")  # type: ignore[arg-type]
        h.tick(w, "reviewConfirmCheck")  # type: ignore[arg-type]
        page = w.currentPage()  # type: ignore[attr-defined]
        bar = page.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())

    def qualified_results(w: object) -> None:
        """Results as laboratories print them: a “<” inhibitor, a titre below the detection limit in words."""
        h.fill_eligibility(w, inhibitor="< 0.6 BU", titre="not detected", titre_limit="1:50", assay=7)  # type: ignore[arg-type]

    def first_positive(w: object) -> None:
        """A positive inhibitor result: the stop, and the re-test's row it opens."""
        h.fill_eligibility(w, inhibitor="0.8 BU", tested="2026-11-01")  # type: ignore[arg-type]

    def retest(w: object) -> None:
        """A positive inhibitor result, and its re-test two weeks later, negative."""
        h.fill_eligibility(w, inhibitor="0.8 BU", tested="2026-11-01", titre="1:400", assay=9)  # type: ignore[arg-type]
        h.fill_result(w, "Retest", "<0.3 BU", "2026-11-15", "Central Coagulation Laboratory")  # type: ignore[arg-type]

    def weight_changed(w: object) -> None:
        """Back from the preparation checks to a new weight: the kit page says what was cleared."""
        h.walk_to(w, "administration")  # type: ignore[arg-type]
        w.go_to("weight")  # type: ignore[attr-defined]
        h.fill_weight(w, weight="73", measured="2026-11-29 08:40")  # type: ignore[arg-type]
        h.press_next(w)  # type: ignore[arg-type]

    def ordered_on(weight: str, unit: str, today: str, today_unit: str) -> Callable[[object], None]:
        """An order on ``weight``, then today's weight (issue 21's weight sentences)."""

        def go(w: object) -> None:
            h.fill_order(w, unit=unit, orderWeightEdit=weight)  # type: ignore[arg-type]
            h.press_next(w)  # type: ignore[arg-type]
            h.walk_to(w, "weight")  # type: ignore[arg-type]
            h.fill_weight(w, weight=today, unit=today_unit)  # type: ignore[arg-type]

        return go

    def slip_on_both(w: object) -> None:
        """158.7 lb typed as kg on the order and today: the kit page asks to re-check both weights."""
        ordered_on("158.7", "kg", "158.7", "kg")(w)
        h.press_next(w)  # type: ignore[arg-type]
        h.scan(w, h.kit_code())  # type: ignore[arg-type]

    if scaled:
        return [
            ("weight-150", False, upto("weight")),
            ("preparation-checks-150", False, upto("preparation")),
        ]
    return [
        ("01-order", False, order),
        ("02-eligibility", False, upto("eligibility")),
        ("03-identity", False, upto("identity")),
        ("04-weight", False, upto("weight")),
        ("05-kit", False, upto("kit")),
        ("06-preparation-checks", False, upto("preparation")),
        ("07-administration", False, upto("administration")),
        ("08-review", False, review),
        ("08b-review-end", False, review_end),
        ("eligibility-qualified-result", False, upto("eligibility", qualified_results)),
        ("eligibility-first-positive", False, upto("eligibility", first_positive)),
        ("eligibility-retest", False, upto("eligibility", retest)),
        ("kit-cleared-after-weight-change", False, weight_changed),
        ("stop-identity-mismatch", False, upto("identity", identity_mismatch)),
        ("stop-weight-drift", False, upto("weight", weight_drift)),
        ("stop-kit-expired", False, upto("kit", kit_expired)),
        ("weight-lb-band-edge", False, ordered_on("110.3", "lb", "110.3", "lb")),
        ("weight-drift-override", False, ordered_on("71", "kg", "75", "kg")),
        ("stop-weight-was-it-lb", False, ordered_on("72", "kg", "158.7", "kg")),
        ("stop-kit-weight-slip", False, slip_on_both),
        ("practice-order", True, lambda _w: None),
    ]


def _save(image: object, path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    image.save(str(path))
    if path.stat().st_size > MAX_BYTES:  # flat UI colours survive a palette without dithering noise
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        image.convertToFormat(QImage.Format.Format_RGB32).convertToFormat(QImage.Format.Format_Indexed8, flags).save(
            str(path)
        )
    size = path.stat().st_size
    print(f"{path.relative_to(ROOT)}  {image.width()}×{image.height()}  {size // 1024} KB")
    if size > MAX_BYTES:
        raise SystemExit(f"{path} is larger than {MAX_BYTES // 1000} KB")


def _quiet(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """The offscreen platform says it cannot propagate size hints; everything else is shown."""
    if "does not support propagateSizeHints" not in message:
        sys.stderr.write(f"{kind.name}: {message}\n")


def render(out: Path, scaled: bool) -> None:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from hemgenix_desktop.ui.app import application
    from tests.ui import helpers as h

    app = application()
    qInstallMessageHandler(_quiet)
    ratio = float(os.environ.get("QT_SCALE_FACTOR", "1"))
    width, height = int(SCREEN[0] / ratio), int(SCREEN[1] / ratio)
    for name, practice, drive in _shots(scaled):
        wizard = h.make_wizard(practice=practice)
        wizard.resize(width, height)
        wizard.show()
        drive(wizard)
        for _ in range(3):  # nested layouts settle over a few passes of the event loop
            QApplication.processEvents()
        if name == "08b-review-end":  # the scroll range is known once laid out
            bar = wizard.currentPage().scroll_area.verticalScrollBar()  # type: ignore[attr-defined]
            bar.setValue(bar.maximum())
            QApplication.processEvents()
        _save(wizard.grab().toImage(), out / f"{name}.png")
        wizard.close()
        wizard.deleteLater()
    if not scaled:
        from hemgenix_desktop.ui.practice_sheet import PracticeSheetDialog

        wizard = h.make_wizard(practice=True)
        sheet = PracticeSheetDialog(h.TODAY, wizard)
        sheet.resize(width, height)
        sheet.show()
        QApplication.processEvents()
        _save(sheet.grab().toImage(), out / "practice-codes-dialog.png")
        sheet.close()
        _render_signing(out, width, height)
        _render_main(out, width, height)
        _render_main_signing(out, width, height)
        _render_settings(out, width, height)
        _render_users(out, width, height)
    app.processEvents()


def _render_signing(out: Path, width: int, height: int) -> None:
    """The screens after Review, on a throwaway database with the test people (tests/ui/signing_helpers.py)."""
    import tempfile

    from PySide6.QtWidgets import QApplication, QWidget

    from hemgenix_desktop.ui.printing import start_print
    from tests.helpers.preparations import complete_preparation
    from tests.helpers.printer import FakePrinter
    from tests.ui import signing_helpers as s

    def shot(widget: QWidget, name: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        _save(widget.grab().toImage(), out / f"{name}.png")

    with tempfile.TemporaryDirectory(prefix="hemgenix-screenshots-") as folder:
        bench = s.make_bench(Path(folder), FakePrinter(["Pharmacy-Laser", "Label-4x6"], default="Label-4x6"))
        try:
            flow = bench.flow(bench.started(complete_preparation("44")))
            flow.resize(width, height)
            flow.show()
            shot(flow, "09-sign-preparer")
            s.sign_preparer(flow)
            s.approve(flow, "", "terry")
            shot(flow, "10-override-technician-refused")
            s.approve(flow, "Weighed twice on the calibrated scale; the prescriber agrees.", "ppharm")
            s.verifier_signs_in(flow, "ttech")
            shot(flow, "11-verifier-same-person-refused")
            s.verifier_signs_in(flow, "qpharm")
            shot(flow, "12-blind-check")
            s.blind_check(flow, weight="44", vials="10", dose="88")
            shot(flow, "13-blind-check-mismatch")
            s.blind_check(flow, weight="44", vials="9", dose="88")
            shot(flow, "14-record-sealed")
            flow.close()

            bench2 = s.make_bench(Path(folder) / "b", FakePrinter([]))
            flow2 = bench2.flow(bench2.started())
            flow2.resize(width, height)
            flow2.show()
            s.sign_through(flow2)
            s.click(flow2, "donePrintRecordButton")
            shot(flow2, "15-print-no-printer")
            flow2.close()
            bench2.store.close()

            flow.show()
            assert flow.saved is not None
            preview = start_print(flow, flow.saved[0], "record", bench.printer, lambda _outcome: None)
            assert preview is not None
            preview.resize(width, height)
            shot(preview, "16-print-dialog")
            preview.close()
            flow.close()
        finally:
            bench.store.close()


def _render_main(out: Path, width: int, height: int) -> None:
    """The main window's screens (first account, sign-in, unfinished preparations, lock, History) on a throwaway
    database with the test people (tests/ui/main_helpers.py)."""
    import tempfile
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication, QWidget

    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.ui.main_window import MainWindow
    from tests.helpers.store import FakeClock
    from tests.ui import helpers as h
    from tests.ui import main_helpers as m

    def shot(widget: QWidget, name: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        _save(widget.grab().toImage(), out / f"{name}.png")

    def window_on(store: Store) -> MainWindow:
        window = m.make_main(m.services(store))
        window.resize(width, height)
        window.show()
        return window

    with tempfile.TemporaryDirectory(prefix="hemgenix-screenshots-") as folder:
        clock = FakeClock(h.NOW - timedelta(hours=5))
        store = m.open_store(Path(folder), clock)
        try:
            first = window_on(store)
            h.type_text(first, "firstUserUsernameEdit", "ppharm")
            h.type_text(first, "firstUserFullNameEdit", "Pat Pharmacist")
            h.type_text(first, "firstUserPasswordEdit", "ppharm2026")
            shot(first, "first-user")
            first.quit_without_asking()
            m.add_people(store)

            work = window_on(store)
            m.sign_in(work, "ttech", "tara prepares dose")
            shot(work, "sign-in")
            m.sign_in(work, "ttech")
            wizard = m.wizard_of(work)
            h.walk_to(wizard, "kit")
            h.type_text(wizard, "kitVialCountEdit", "1")
            clock.advance(minutes=40)
            work.lock_now()
            shot(work, "lock")
            m.unlock(work, "ttech")
            work.quit_without_asking()

            clock.advance(minutes=20)
            other = window_on(store)
            m.sign_in(other, "ppharm")
            h.click(other, "resumeStartNewButton")
            wizard = m.wizard_of(other)
            h.fill_order(
                wizard,
                orderPatientNameEdit="Blake Other",
                orderMrnEdit="MRN-0002",
                orderPatientIdEdit="HGX-PSI-9000",
                orderDateOfBirthEdit="1975-07-01",
            )
            h.press_next(wizard)
            other.quit_without_asking()

            clock.advance(minutes=25)
            home = window_on(store)
            m.sign_in(home, "ppharm")
            shot(home, "resume")
            home.resume.select(home.resume.summaries[0].id)
            h.type_text(home, "resumeVoidReasonEdit", "The infusion was moved to next month.")
            h.click(home, "resumeVoidButton")
            history = home.show_history()
            assert history is not None
            history.resize(width, height)
            alex = next(s.id for s in store.search(patient="Alex Example"))
            assert history.select(alex)
            shot(history, "history")
            history.close()
            home.quit_without_asking()

            same = window_on(store)  # one dose per person: a new identifier with Alex Example's MRN (issue 21)
            m.sign_in(same, "ppharm")
            h.click(same, "resumeStartNewButton")
            wizard = m.wizard_of(same)
            h.fill_order(wizard, orderPatientNameEdit="Alexander Example", orderPatientIdEdit="HGX-PSI-9999")
            wizard.next_button().click()
            shot(same, "order-same-person")
            same.quit_without_asking()
        finally:
            store.close()


def _render_main_signing(out: Path, width: int, height: int) -> None:
    """The signatures inside the main window (after Finish review), the sealed record there, the History window's
    reprint of it, and the About box; on a throwaway database with the test people (tests/ui/main_helpers.py)."""
    import tempfile
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication, QWidget

    from tests.helpers.store import FakeClock
    from tests.ui import helpers as h
    from tests.ui import main_helpers as m
    from tests.ui import signing_helpers as s

    def shot(widget: QWidget, name: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        _save(widget.grab().toImage(), out / f"{name}.png")

    def shot_over(window: QWidget, dialog: QWidget, name: str) -> None:
        """A dialog as it appears over the main window, centred, at the window's size."""
        from PySide6.QtGui import QPainter

        for _ in range(3):
            QApplication.processEvents()
        image = window.grab().toImage()
        front = dialog.grab()
        painter = QPainter(image)
        painter.drawPixmap((image.width() - front.width()) // 2, (image.height() - front.height()) // 2, front)
        painter.end()
        _save(image, out / f"{name}.png")

    with tempfile.TemporaryDirectory(prefix="hemgenix-screenshots-") as folder:
        clock = FakeClock(h.NOW - timedelta(hours=1))
        store = m.open_store(Path(folder), clock)
        try:
            m.add_people(store)
            window = m.make_main(m.services(store, data_dir=Path(folder) / "data"))
            window.resize(width, height)
            window.show()
            m.sign_in(window, "ttech")
            flow = m.finish_review(window)
            shot(window, "main-sign-preparer")
            s.sign_preparer(flow)
            s.verifier_signs_in(flow, "ppharm")
            shot(window, "main-blind-check")
            s.blind_check(flow)
            shot(window, "main-record-sealed")
            h.click(flow, "doneCloseButton")

            history = window.show_history()
            assert history is not None
            history.resize(width, height)
            assert history.select(flow.prep.id)
            dialog = history.reprint_selected()
            assert dialog is not None
            shot(history, "history-reprint")
            shot(dialog, "reprint-dialog")
            dialog.close()

            history.correct_selected()  # the correction: bad values first, then signed and sealed
            screen = window.correction
            assert screen is not None
            h.type_text(screen, "correctionCheckDiluentLotEdit", "NS-4477")
            h.type_text(screen, "correctionCheckDiluentExpiryEdit", "31/03/2027")
            h.click(screen, "correctionContinueButton")
            shot(window, "main-correction-bad-values")
            h.type_text(screen, "correctionReasonEdit", "Saline lot misread at the hood; checked against the bag")
            h.type_text(screen, "correctionCheckDiluentExpiryEdit", "2027-03-31")
            h.click(screen, "correctionContinueButton")
            amendment = window.signing
            assert amendment is not None
            shot(window, "main-correction-sign")
            s.sign_preparer(amendment)
            s.verifier_signs_in(amendment, "ppharm")
            s.blind_check(amendment)
            shot(window, "main-correction-sealed")
            h.click(amendment, "doneCloseButton")
            history.search()
            history.select(flow.prep.id)
            shot(history, "history-amended")
            history.close()

            about = window.show_about()
            shot_over(window, about, "about")
            notices = about.show_notices()
            notices.resize(width, height)
            shot(notices, "about-notices")
            notices.close()
            about.close()
            window.quit_without_asking()

            # a start whose environment changes two security settings: the sentence it records, above every screen
            from hemgenix_desktop.services.environment import record_environment

            environ = {"HEMGENIX_CONFIG": str(Path(folder) / "none.toml"), "HEMGENIX_IDLE_LOCK_MINUTES": "3"}
            warned = m.make_main(m.services(store, data_dir=Path(folder) / "data"))
            warned.resize(width, height)
            warned.show()
            warned.warn(record_environment(store, "hood-1", {**environ, "HEMGENIX_LOCKOUT_ATTEMPTS": "4"}))
            m.sign_in(warned, "ttech")
            shot(warned, "main-start-warnings")
            warned.quit_without_asking()
        finally:
            store.close()


def _render_settings(out: Path, width: int, height: int) -> None:
    """The Settings dialog of a pharmacist, on a throwaway settings file (with a problem in it and an environment
    variable that overrides it), then with two bad values typed."""
    import tempfile

    from PySide6.QtWidgets import QApplication, QWidget

    from hemgenix_desktop.settings import ENV_CONFIG, FIELDS
    from hemgenix_desktop.ui.settings_dialog import SettingsDialog
    from tests.ui import helpers as h
    from tests.ui import main_helpers as m

    def shot(widget: QWidget, name: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        _save(widget.grab().toImage(), out / f"{name}.png")

    names = [ENV_CONFIG, *(spec.env for spec in FIELDS)]
    saved_env = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory(prefix="hemgenix-screenshots-") as folder:
        config = Path(folder) / "settings.toml"
        config.write_text(
            'site_name = "St. Example Infusion Pharmacy"\n'
            f'database_url = "{m.db_url(Path(folder))}"\n'
            "idle_lock_minutes = 90\n"
            'label_size = "100x150mm"\n',
            encoding="utf-8",
        )
        for name in names:
            os.environ.pop(name, None)
        os.environ[ENV_CONFIG] = str(config)
        os.environ["HEMGENIX_WORKSTATION"] = "PHARM-WS-07"
        store = m.open_store(Path(folder))
        try:
            people = m.add_people(store)
            dialog = SettingsDialog(None, user=people["ppharm"], store=store, workstation=m.WORKSTATION, practice=False)
            dialog.resize(min(width, 1000), min(height, 720))
            dialog.show()
            shot(dialog, "settings")
            h.type_text(dialog, "settingsLabelSizeEdit", "2x2in")
            h.type_text(dialog, "settingsSiteNameEdit", "")
            h.type_text(dialog, "settingsGsStandinEdit", "(")
            h.click(dialog, "settingsSaveButton")
            shot(dialog, "settings-bad-value")
            dialog.close()
        finally:
            store.close()
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _render_users(out: Path, width: int, height: int) -> None:
    """The Users window of a pharmacist (issue 14), then adding a pharmacist with a second pharmacist's approval:
    the approval typed (users-approval), then done (users-approved, the one-time password shown once); then an
    employee number changed with the approval typed (users-employee-number) and done (users-employee-number-set)."""
    import tempfile

    from PySide6.QtWidgets import QApplication, QComboBox, QWidget

    from hemgenix_desktop.domain.vocabulary import Role
    from hemgenix_desktop.ui.users_window import UsersWindow
    from tests.helpers import people as p
    from tests.ui import helpers as h
    from tests.ui import main_helpers as m

    def shot(widget: QWidget, name: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        _save(widget.grab().toImage(), out / f"{name}.png")

    with tempfile.TemporaryDirectory(prefix="hemgenix-screenshots-") as folder:
        store = m.open_store(Path(folder))
        try:
            added = p.add_people(store, workstation=m.WORKSTATION)
            window = UsersWindow(None, m.services(store), added["ppharm"])
            window.resize(min(width, 1100), min(height, 720))
            window.show()
            window.select("ttech")
            shot(window, "users")
            h.type_text(window, "usersNewUsernameEdit", "mchen")
            h.type_text(window, "usersNewFullNameEdit", "Morgan Chen")
            h.type_text(window, "usersNewEmployeeNumberEdit", "E20417")
            window.findChild(QComboBox, "usersNewRoleCombo").setCurrentIndex(list(Role).index(Role.PHARMACIST))
            h.type_text(window, "usersPasswordEdit", p.PASSWORDS["ppharm"])
            h.type_text(window, "usersApproverEdit", "qpharm")
            h.type_text(window, "usersApproverPasswordEdit", p.PASSWORDS["qpharm"])
            shot(window, "users-approval")
            h.click(window, "usersAddButton")
            shot(window, "users-approved")
            window.select("terry")  # an employee number changed, a second pharmacist approving
            h.type_text(window, "usersEmployeeNumberEdit", "E20418")
            h.type_text(window, "usersPasswordEdit", p.PASSWORDS["ppharm"])
            h.type_text(window, "usersApproverEdit", "qpharm")
            h.type_text(window, "usersApproverPasswordEdit", p.PASSWORDS["qpharm"])
            shot(window, "users-employee-number")
            h.click(window, "usersEmployeeNumberButton")
            shot(window, "users-employee-number-set")
            window.close()
        finally:
            store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scaled", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.scaled:
        render(out, scaled=True)
        return 0
    render(out, scaled=False)
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5"}
    return subprocess.run([sys.executable, __file__, "--out", str(out), "--scaled"], env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
