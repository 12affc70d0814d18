"""Start the program: ``hemgenix-prep``, ``hemgenix-prep gui --practice``, ``--db URL``, ``--exit-when-ready``."""

from __future__ import annotations

import os
import sys

from alembic.util.exc import CommandError as AlembicError
from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from hemgenix_desktop.config import Settings, resolve_db_url
from hemgenix_desktop.domain.carton import validate_gs_standin
from hemgenix_desktop.domain.checks import load_checklist
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.resource_locator import ResourceNotFoundError, resources_dir
from hemgenix_desktop.storage import StorageError, Store
from hemgenix_desktop.storage.engine import describe_url
from hemgenix_desktop.ui.main_window import AppServices, MainWindow
from hemgenix_desktop.ui.signin import add_practice_users
from hemgenix_desktop.ui.style import BODY_POINT_SIZE

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


def run_app(practice: bool, exit_when_ready: bool, db_url: str | None = None) -> int:
    """Open the database (migrating it), then the main window: first account, sign-in, the preparations.

    ``db_url``: ``--db``; None means ``HEMGENIX_DB_URL``, else the settings file, else the SQLite file in the user's
    data folder. Practice mode uses a new in-memory database with practice accounts instead. A database that
    cannot be opened ends the program with a sentence (on stderr, and in a window) and exit code 1.
    """
    try:
        standin = validate_gs_standin(os.environ.get(ENV_GS_STANDIN) or None)
    except InvalidInput as exc:
        sys.stderr.write(f"{ENV_GS_STANDIN}: {exc.message}\n")
        return 2
    try:
        settings = Settings.from_env()
        checklist = load_checklist()
    except InvalidInput as exc:
        sys.stderr.write(f"{exc.message}\n")
        return 2
    except DomainError as exc:  # a broken data file: say so and stop
        sys.stderr.write(f"{exc.message}\n")
        return 1
    app = application()
    try:
        store = open_store(practice, db_url)
    except (DomainError, StorageError) as exc:
        return _cannot_start(app, exc.message, exit_when_ready)
    try:
        services = AppServices.from_settings(store, settings, practice=practice, gs_standin=standin)
        services.checklist = checklist
        if practice:
            add_practice_users(services.admin, services.workstation)
        window = MainWindow(services)
        window.show()
        if exit_when_ready:
            _ReadyWatch(window, app)
        return app.exec()
    except (DomainError, StorageError) as exc:
        return _cannot_start(app, exc.message, exit_when_ready)
    finally:
        store.close()


def open_store(practice: bool, db_url: str | None) -> Store:
    """The practice database (new, in memory), or the pharmacy's, opened and brought up to date.

    Raises ``StorageError`` or ``InvalidInput`` with the sentence; any other database failure becomes a
    ``StorageError`` too, so the program never ends with a traceback because of its database."""
    if practice:
        return Store.open_practice()
    url = resolve_db_url(db_url)
    try:
        return Store.open(url)
    except (DomainError, StorageError):
        raise
    except (SQLAlchemyError, AlembicError, OSError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        detail = (str(reason).splitlines() or [type(reason).__name__])[0]
        raise StorageError(
            f"The database {describe_url(url)} cannot be opened ({detail}). Check that it is a Hemgenix Prep "
            "database, not damaged or made by a newer version, and that you may use it; or give another with --db."
        ) from exc


def _cannot_start(app: QApplication, sentence: str, exit_when_ready: bool) -> int:
    """Say why the program cannot start: on stderr, and (unless only checking the start) in a window."""
    sys.stderr.write(f"{sentence}\n")
    if exit_when_ready:
        return 1
    box = QMessageBox(QMessageBox.Icon.Critical, "Hemgenix Prep", sentence, QMessageBox.StandardButton.Close)
    box.setObjectName("startupProblemBox")
    box.setAccessibleName(app.translate("App", "Hemgenix Prep cannot start"))
    box.finished.connect(lambda _result: app.exit(1))
    box.open()
    app.exec()
    return 1
