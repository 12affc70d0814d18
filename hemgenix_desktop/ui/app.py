"""Start the wizard: ``hemgenix-prep``, ``hemgenix-prep gui --practice``, ``--exit-when-ready``."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from hemgenix_desktop.domain.carton import validate_gs_standin
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.resource_locator import ResourceNotFoundError, resources_dir
from hemgenix_desktop.ui.style import BODY_POINT_SIZE
from hemgenix_desktop.ui.wizard import PreparationWizard

_READY_TIMEOUT_MS = 30_000
# The character this workstation's keyboard-wedge scanner sends for the GS1 group separator, when it does
# not send GS itself (for example | or ~). Empty or unset: the scanner sends GS (Ctrl+]).
ENV_GS_STANDIN = "HEMGENIX_GS_STANDIN"


def application() -> QApplication:
    """The one QApplication, with a readable body font and the program's translations."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Hemgenix Prep")
    app.setOrganizationName("Hemgenix Prep")
    font = app.font()
    if font.pointSizeF() < BODY_POINT_SIZE:
        font.setPointSizeF(BODY_POINT_SIZE)
        app.setFont(font)
    _install_translations(app)
    return app


def _install_translations(app: QApplication) -> None:
    """Qt's own strings and ours (resources/translations/hemgenix_<locale>.qm), when present."""
    locale = QLocale.system()
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    try:
        folder = resources_dir() / "translations"
    except ResourceNotFoundError:
        return
    ours = QTranslator(app)
    if folder.is_dir() and ours.load(locale, "hemgenix", "_", str(folder)):
        app.installTranslator(ours)


class _ReadyWatch(QObject):
    """Ends the event loop with 0 once the window has painted and takes input (for ``--exit-when-ready``)."""

    def __init__(self, window: QWidget, app: QApplication) -> None:
        super().__init__(window)
        self.window = window
        self.app = app
        self.painted = False
        window.installEventFilter(self)
        self.timeout = QTimer(self)
        self.timeout.setSingleShot(True)
        self.timeout.timeout.connect(self._gave_up)
        self.timeout.start(_READY_TIMEOUT_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self._check)  # after this paint, when the loop takes input again
        return False

    def _check(self) -> None:
        window = self.window
        if window.isVisible() and window.isEnabled() and window.updatesEnabled():
            sys.stdout.write("Hemgenix Prep is ready.\n")
            self.app.exit(0)
        else:  # pragma: no cover - the window was hidden or disabled right after painting
            QTimer.singleShot(50, self._check)

    def _gave_up(self) -> None:
        sys.stderr.write("Hemgenix Prep did not show its first screen in time.\n")
        self.app.exit(1)


def run_app(practice: bool, exit_when_ready: bool) -> int:
    try:
        standin = validate_gs_standin(os.environ.get(ENV_GS_STANDIN) or None)
    except InvalidInput as exc:
        sys.stderr.write(f"{ENV_GS_STANDIN}: {exc.message}\n")
        return 2
    app = application()
    try:
        wizard = PreparationWizard(Preparation(practice=practice), practice=practice, gs_standin=standin)
    except DomainError as exc:  # a broken data file: say so and stop
        sys.stderr.write(f"{exc.message}\n")
        return 1
    wizard.show()
    if exit_when_ready:
        _ReadyWatch(wizard, app)
    return app.exec()
