"""Start the program: ``hemgenix-prep``, ``hemgenix-prep gui --practice``, ``--db URL``, ``--exit-when-ready``."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from hemgenix_desktop.config import Settings, resolve_db_url
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.resource_locator import ResourceNotFoundError, resources_dir
from hemgenix_desktop.services.workstation import Startup
from hemgenix_desktop.storage import StorageError
from hemgenix_desktop.storage.glance import glance
from hemgenix_desktop.ui.identity import apply_identity
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.signin import add_practice_users
from hemgenix_desktop.ui.style import BODY_POINT_SIZE
from hemgenix_desktop.ui.window_place import place_window, remember_window

if TYPE_CHECKING:  # SQLAlchemy (and Alembic, when migrating) load with the database, after the first screen
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.settings import SiteSettings
    from hemgenix_desktop.storage import Store

_READY_TIMEOUT_MS = 30_000


def application() -> QApplication:
    """The one QApplication, with a readable body font and the program's translations."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Hemgenix Prep")
    app.setOrganizationName("Hemgenix Prep")
    apply_identity(app)
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
    """The main window (first account, sign-in, the preparations) over the database, opened and migrated.

    ``db_url``: ``--db``; None means ``HEMGENIX_DB_URL``, else the settings file, else the SQLite file in the user's
    data folder. Practice mode uses a new in-memory database with practice accounts instead. A database that
    cannot be opened ends the program with a sentence (on stderr, and in a window) and exit code 1.

    The first screen comes before the database libraries when a first look can tell which it is (practice mode,
    or an up-to-date SQLite file: :mod:`hemgenix_desktop.storage.glance`): the window shows it at once and the
    database opens right after its first paint; until then the fields take typing and the button waits. In every
    other case (a new database, one to migrate, PostgreSQL) the database opens first, then the window.
    ``exit_when_ready`` ends with 0 once the first screen is painted and takes input (the database opening after
    that paint is not waited for; docs/performance.md gives its time).
    """
    try:
        settings = Settings.from_env()
    except InvalidInput as exc:
        sys.stderr.write(f"{exc.message}\n")
        return 2
    site, warnings = site_settings(db_url)
    app = application()
    database = _Database(practice, db_url, settings, site.gs_standin or None)
    database.site = site
    try:
        try:
            start = first_screen(practice, db_url, settings)
            window = MainWindow(database.services()) if start is None else MainWindow(start=start)
        except (DomainError, StorageError) as exc:
            return _cannot_start(app, exc.message, exit_when_ready)
        if warnings or database.notice:
            window.statusBar().showMessage(" ".join([*warnings, database.notice]).strip())
        place_window(window)  # inside the screen's available area, as it was left when that still fits
        window.show()
        if not exit_when_ready:  # the site key's libraries load after the first screen
            _AfterFirstPaint(window, lambda: _site_key_after_first_paint(window, ask_now=not practice))
        if exit_when_ready:
            _ReadyWatch(window, app)
        elif start is not None:
            _AfterFirstPaint(window, lambda: _open_into(window, database, app))
        settle_memory()
        code = app.exec()
        if not exit_when_ready:
            remember_window(window)
        return code
    finally:
        database.close()


def _site_key_after_first_paint(window: MainWindow, *, ask_now: bool) -> None:
    """The site key at start, once the first screen is painted (its libraries, cryptography among them, are not
    loaded before it): a key file in the clear is said on stderr and in the status bar; the token's PIN or the key
    file's passphrase is asked for when sealing needs it, and (``ask_now``, not in practice mode) at once when the
    site has one (``services.site_key``). Practice records are signed with the site key too, so practice mode
    asks when its first record is sealed rather than failing then."""
    from hemgenix_desktop.security.site_keys import default_data_dir
    from hemgenix_desktop.services.site_key import question_at_start, warning_at_start
    from hemgenix_desktop.ui.site_key import SiteKeyDialog, ask_when_needed

    data_dir = default_data_dir()
    clear = warning_at_start(data_dir)
    if clear:
        sys.stderr.write(f"Warning: {clear}\n")
        shown = window.statusBar().currentMessage()
        window.statusBar().showMessage(f"{shown} {clear}".strip())
    ask_when_needed(data_dir, window)
    question = question_at_start(data_dir) if ask_now else ""
    if question:
        SiteKeyDialog(data_dir, question, window).open()


def site_settings(db_url: str | None = None) -> tuple[SiteSettings, list[str]]:
    """The site's settings the program runs with (``settings.resolve_settings``: environment, settings file,
    defaults), and the sentence of each bad value, which is written to stderr as a warning: that setting has its
    default (the scanner's stand-in too), the program starts. A database that cannot be used is not among the
    warnings: opening the database says so, and the program does not start."""
    from hemgenix_desktop.settings import resolve_settings

    resolved = resolve_settings({"database_url": db_url})
    warnings = [w for w in resolved.warnings if w != resolved.database_problem]
    for warning in warnings:
        sys.stderr.write(f"Warning: {warning}\n")
    return resolved.settings, warnings


def settle_memory() -> None:
    """Before the event loop: what the start made (modules, classes, Qt's enums, the window) lives as long as the
    program, so the garbage collector stops walking it (``gc.freeze``), and collects again if the start turned it
    off (``cli/gui.py``: the start makes many objects and almost no garbage). Shorter collector pauses while
    people type and scan, and a quicker exit."""
    gc.freeze()
    gc.enable()


def first_screen(practice: bool, db_url: str | None, settings: Settings) -> Startup | None:
    """The first screen when it can be told without opening the database (None: open it first to know)."""
    if practice:  # the practice database is new at every start, with its accounts: the sign-in comes first
        return Startup.from_settings(settings, practice=True, first_user=False)
    look = glance(resolve_db_url(db_url))
    if look is None:
        return None
    return Startup.from_settings(settings, practice=False, first_user=not look.has_users)


class _Database:
    """The store and the services over it (with the checklist): opened once, before the window or right after
    its first paint. A broken checklist data file, like a database that cannot be opened, stops the start."""

    def __init__(self, practice: bool, db_url: str | None, settings: Settings, standin: str | None) -> None:
        self.practice, self.db_url, self.settings, self.standin = practice, db_url, settings, standin
        self.store: Store | None = None
        self.site: SiteSettings | None = None  # the site's name, label size and printer (resolve_settings)
        self.notice = ""  # security settings the environment changes (recorded in the audit trail at start)

    def services(self) -> Workstation:
        from hemgenix_desktop.domain.checks import load_checklist
        from hemgenix_desktop.services.environment import record_environment
        from hemgenix_desktop.services.workstation import Workstation

        checklist = load_checklist()  # a DataFileError (a DomainError) names the broken file
        self.store = store = open_store(self.practice, self.db_url)
        services = Workstation.from_settings(
            store, self.settings, practice=self.practice, gs_standin=self.standin, site=self.site
        )
        services.checklist = checklist
        if self.practice:
            add_practice_users(services.admin, services.workstation)
        else:
            self.notice = record_environment(store, services.workstation)
        return services

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def _open_into(window: MainWindow, database: _Database, app: QApplication) -> None:
    """After the first paint: open the database and give the window its services; a database that cannot be
    opened ends the program as at the start (the sentence on stderr and in a window, exit code 1)."""
    try:
        window.attach(database.services())
        if database.notice:
            window.statusBar().showMessage(database.notice)
    except (DomainError, StorageError) as exc:
        sys.stderr.write(f"{exc.message}\n")
        _problem_box(app, exc.message, window).open()  # modal over the window: nothing more can be done there


class _AfterFirstPaint(QObject):
    """Runs ``then`` once, on the turn of the event loop after the window's first paint."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self.then)
        return False


def open_store(practice: bool, db_url: str | None) -> Store:
    """The practice database (new, in memory), or the pharmacy's, opened and brought up to date.

    Raises ``StorageError`` or ``InvalidInput`` with the sentence; any other database failure becomes a
    ``StorageError`` too, so the program never ends with a traceback because of its database."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from hemgenix_desktop.storage import Store
    from hemgenix_desktop.storage.engine import describe_url

    if practice:
        return Store.open_practice()
    url = resolve_db_url(db_url)
    try:
        return Store.open(url)
    except (DomainError, StorageError):
        raise
    except Exception as exc:
        from alembic.util.exc import CommandError as AlembicError  # loaded already when a migration failed

        if not isinstance(exc, SQLAlchemyError | AlembicError | OSError):
            raise
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
    box = _problem_box(app, sentence)  # kept here until the loop ends
    box.open()
    settle_memory()
    app.exec()
    return 1


def _problem_box(app: QApplication, sentence: str, parent: QWidget | None = None) -> QMessageBox:
    """The window saying why the program cannot start; closing it ends the program with exit code 1."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Hemgenix Prep", sentence, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("startupProblemBox")
    box.setAccessibleName(app.translate("App", "Hemgenix Prep cannot start"))
    box.finished.connect(lambda _result: app.exit(1))
    return box
