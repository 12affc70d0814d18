"""Start the program: ``hemgenix-prep``, ``hemgenix-prep gui --practice``, ``--db URL``, ``--exit-when-ready``."""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from hemgenix_desktop.config import Settings
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.resource_locator import ResourceNotFoundError, resources_dir
from hemgenix_desktop.services.database import first_look, open_store
from hemgenix_desktop.services.shared_types import StorageError, UnusableDatabaseError
from hemgenix_desktop.services.workstation import Startup
from hemgenix_desktop.ui.background import announce_loading, load_now
from hemgenix_desktop.ui.identity import apply_identity
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.memory import tune_allocator
from hemgenix_desktop.ui.signin import add_practice_users
from hemgenix_desktop.ui.style import BODY_POINT_SIZE
from hemgenix_desktop.ui.window_place import place_window, remember_window

if TYPE_CHECKING:  # SQLAlchemy (and Alembic, when migrating) load with the database, after the first screen
    from pathlib import Path

    from hemgenix_desktop.services.shared_types import Store
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.settings import SiteSettings

_READY_TIMEOUT_MS = 30_000


def application() -> QApplication:
    """The one QApplication, with a readable body font and the program's translations."""
    tune_allocator()  # before Qt's threads and the database's
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


def run_app(
    practice: bool,
    exit_when_ready: bool,
    db_url: str | None = None,
    watch: Callable[[MainWindow], QObject] | None = None,
) -> int:
    """The main window (first account, sign-in, the preparations) over the database, opened and migrated.

    ``db_url``: ``--db``; None means ``HEMGENIX_DB_URL``, else the settings file, else the SQLite file in the user's
    data folder. Practice mode uses a new in-memory database with practice accounts instead. A database that
    cannot be opened ends the program with a sentence (on stderr, and in a window) and exit code 1.

    The window first shows its first screen: the one a first look tells (practice mode, or an up-to-date SQLite file:
    :func:`hemgenix_desktop.services.database.first_look`), else the sign-in, which becomes the first account's
    screen if the database has none. After its first paint the database opens on a thread of its own
    (:class:`_Database`): SQLAlchemy, the migration check (and the migration, when one is due), the checklist, the
    accounts, argon2. Meanwhile the fields take typing and the button waits; once the database is open, the window
    gets its services and the button works. Nothing of this blocks the GUI thread.
    ``exit_when_ready`` ends with 0 once the first screen is painted and takes input; it opens the database first
    when a first look cannot tell the first screen (so a database that cannot be opened ends it with the exit code
    of every command: 2 when it cannot be used as it is, 1 when it cannot be reached now), and not at all when it
    can (docs/performance.md gives both times). ``watch``: made with the shown window before the event loop starts
    (benchmarks/usable_start.py times the start with it).
    """
    tune_allocator()  # before the first thread (ui/memory.py): Qt's, then the database's
    try:
        settings = Settings.from_env()
    except InvalidInput as exc:
        sys.stderr.write(f"{exc.message}\n")
        return 2
    site, warnings = site_settings(db_url)
    database = _Database(practice, db_url, settings, site.gs_standin or None)
    database.site = site
    start = first_screen(practice, db_url, settings)
    app = application()
    try:
        try:
            if start is None and exit_when_ready:
                window = MainWindow(database.services())
            else:
                window = MainWindow(start=start or Startup.from_settings(settings, practice=practice, first_user=False))
        except (DomainError, StorageError) as exc:
            return _cannot_start(app, exc, exit_when_ready)
        for sentence in (*warnings, database.notice):
            window.warn(sentence)
        place_window(window)  # inside the screen's available area, as it was left when that still fits
        window.show()
        if not exit_when_ready:
            _AfterFirstPaint(window, lambda: _open_after_first_paint(window, database, app, practice=practice))
        else:
            _ReadyWatch(window, app)
        kept = watch(window) if watch is not None else None
        settle_memory()
        code = app.exec()
        del kept
        if not exit_when_ready:
            remember_window(window)
        return code
    finally:
        database.close()


def _open_after_first_paint(window: MainWindow, database: _Database, app: QApplication, *, practice: bool) -> None:
    """The database's thread starts once the first screen is painted: started before, its imports (SQLAlchemy, the
    services) took turns with the first screen's for the one interpreter lock and delayed the first paint by about
    30 ms, and the sign-in worked no sooner (benchmarks/usable_start.py, measured alternately). Once the database is
    open, the window gets its services; once its thread has also loaded the site key's libraries (so that no two
    threads import them at once), the site key."""
    database.start_opening()
    database.when_open(lambda: _open_into(window, database, app))
    if not practice:  # practice signs with a throwaway key of its own (services.workstation): the site's is not asked
        database.when_loaded(lambda: _site_key_after_first_paint(window))


def _after_opening(store: Store) -> tuple[Callable[[], object], ...]:
    """What the database's thread loads once the sign-in works, a step at a time (each waits while a password is
    checked: ``background.load_now``): the list of unfinished preparations read once, which the window shows first
    after a sign-in (SQLAlchemy compiles its four queries the first time: about 10 ms less when it shows); the site
    key's libraries (cryptography), for the check after the first paint, and what the screens after a sign-in need
    (the signing services, sealing, the PDFs' modules; the kit catalogue, the wizard and the signatures), rather than
    on the GUI thread later."""
    from hemgenix_desktop.services.drafting import resumable
    from hemgenix_desktop.ui.signin import ahead_of_the_session

    return (
        partial(resumable, store),
        partial(importlib.import_module, "hemgenix_desktop.services.site_key"),
        partial(importlib.import_module, "hemgenix_desktop.services.signing"),
        *ahead_of_the_session(),
    )


def _site_key_after_first_paint(window: MainWindow) -> None:
    """The site key at start, once the first screen is painted (its libraries, cryptography among them, are not
    loaded before it): a key file in the clear is said on stderr and in the warning banner above every screen
    (``MainWindow.warn``); the token's PIN or the key file's passphrase is asked for when sealing needs it, and at
    once when the site has one (``services.site_key``). Not in practice mode, which never uses the site key."""
    from hemgenix_desktop.security.site_keys import default_data_dir
    from hemgenix_desktop.services.site_key import question_at_start, warning_at_start
    from hemgenix_desktop.ui.site_key import SiteKeyDialog, ask_when_needed

    data_dir = default_data_dir()
    clear = warning_at_start(data_dir)
    if clear:
        sys.stderr.write(f"Warning: {clear}\n")
        window.warn(clear)
    ask_when_needed(data_dir, window)
    question = question_at_start(data_dir)
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
    has_users = first_look(db_url)
    if has_users is None:
        return None
    return Startup.from_settings(settings, practice=False, first_user=not has_users)


class _Opened(QObject):
    """Hears on the GUI thread (a queued signal: made there, emitted by the database thread) that the database
    thread has got this far (the database open; what comes after the sign-in loaded), and then calls what waits
    for it."""

    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.arrived = False
        self.waiting: list[Callable[[], None]] = []
        self.done.connect(self._arrive)

    def _arrive(self) -> None:
        self.arrived = True
        waiting, self.waiting = self.waiting, []
        for then in waiting:
            then()

    def call_when_done(self, then: Callable[[], None], no_thread: bool) -> None:
        """``then`` now when the thread has got this far (or there is no thread), else when it has."""
        if no_thread or self.arrived:
            then()
        else:
            self.waiting.append(then)


class _Database:
    """The store and the services over it (with the checklist): opened once, on a thread of its own
    (``start_opening``) or, when it was not started, when ``services`` is first asked. A broken checklist data file,
    like a database that cannot be opened, stops the start."""

    def __init__(self, practice: bool, db_url: str | None, settings: Settings, standin: str | None) -> None:
        self.practice, self.db_url, self.settings, self.standin = practice, db_url, settings, standin
        self.store: Store | None = None
        self.site: SiteSettings | None = None  # the site's name, label size and printer (resolve_settings)
        self.notice = ""  # security settings the environment changes (recorded in the audit trail at start)
        self.practice_folder: Path | None = None  # practice's throwaway data folder (services.workstation)
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()  # the outcome is there (the services, or what went wrong)
        self._opened = _Opened()
        self._loaded = _Opened()
        self._outcome: Workstation | BaseException | None = None

    def start_opening(self) -> None:
        """Open the database on a thread of its own; ``when_open`` hears when it is done."""
        self._thread = threading.Thread(target=self._open, name="open the database", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        try:
            self._outcome = self._services()
            from argon2 import PasswordHasher  # noqa: F401 - loaded here, not on the first sign-in
        except BaseException as exc:  # handed to the GUI thread, which says it (or raises it)
            self._outcome = exc
        self._ready.set()
        outcome = self._outcome
        opened = not isinstance(outcome, BaseException)
        if opened:
            announce_loading()  # before the sign-in can begin: the screens after it wait for this loading
        self._opened.done.emit()  # the sign-in works from here
        if outcome is not None and not isinstance(outcome, BaseException):
            steps: tuple[Callable[[], object], ...] = ()
            with contextlib.suppress(Exception):  # loading ahead only: what fails here fails again where it is needed
                steps = _after_opening(outcome.store)
            load_now(*steps, announced=True)  # ends the count announced above, whatever happened
        self._loaded.done.emit()

    def when_open(self, then: Callable[[], None]) -> None:
        """Call ``then`` on the GUI thread once the database is open (at once if it is)."""
        self._opened.call_when_done(then, self._thread is None)

    def when_loaded(self, then: Callable[[], None]) -> None:
        """Call ``then`` on the GUI thread once the database thread has also loaded what comes after the sign-in
        (:func:`_after_opening`), so that the GUI thread does not import it at the same time."""
        self._loaded.call_when_done(then, self._thread is None)

    def services(self) -> Workstation:
        """The services over the open database (opened now when no thread opens it); raises what opening it
        raised (``DomainError``, ``StorageError``)."""
        if self._thread is None:
            return self._services()
        self._ready.wait()
        outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        return outcome

    def _services(self) -> Workstation:
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
            self.practice_folder = services.data_dir  # removed at the end (``close``)
            add_practice_users(services.admin, services.workstation)
        else:
            self.notice = record_environment(store, services.workstation)
        return services

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join()  # the program ended while its database was opening
        if self.store is not None:
            self.store.close()
        if self.practice_folder is not None:  # its throwaway key and practice records (never the real data folder)
            from hemgenix_desktop.security.throwaway import remove_practice_folder

            remove_practice_folder(self.practice_folder)
            self.practice_folder = None


def _open_into(window: MainWindow, database: _Database, app: QApplication) -> None:
    """After the first paint, the database open: give the window its services; a database that cannot be
    opened ends the program as at the start (the sentence on stderr and in a window, its exit code)."""
    try:
        window.attach(database.services())
        window.warn(database.notice)
    except (DomainError, StorageError) as exc:
        sys.stderr.write(f"{exc.message}\n")
        _problem_box(app, exc, window).open()  # modal over the window: nothing more can be done there


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


def _exit_code(exc: DomainError | StorageError) -> int:
    """The command line's exit code for why the program cannot start (README, "Exit codes"): 2 for a database or a
    setting given that cannot be used as it is (damaged, another program's, written by a newer version), as every
    other command says it; 1 for one that cannot be reached or written now."""
    return 2 if isinstance(exc, InvalidInput | UnusableDatabaseError) else 1


def _cannot_start(app: QApplication, exc: DomainError | StorageError, exit_when_ready: bool) -> int:
    """Say why the program cannot start: on stderr, and (unless only checking the start) in a window."""
    sys.stderr.write(f"{exc.message}\n")
    if exit_when_ready:
        return _exit_code(exc)
    box = _problem_box(app, exc)  # kept here until the loop ends
    box.open()
    settle_memory()
    app.exec()
    return _exit_code(exc)


def _problem_box(app: QApplication, exc: DomainError | StorageError, parent: QWidget | None = None) -> QMessageBox:
    """The window saying why the program cannot start; closing it ends the program with the error's exit code."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Hemgenix Prep", exc.message, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("startupProblemBox")
    box.setAccessibleName(app.translate("App", "Hemgenix Prep cannot start"))
    code = _exit_code(exc)
    box.finished.connect(lambda _result: app.exit(code))
    return box
