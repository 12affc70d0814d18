"""The first screen before the database: shown at once, its fields taking typing, the database opened right after
its first paint (ui/app.py, ``MainWindow(start=...)`` and ``attach``); what was typed meanwhile is kept."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from hemgenix_desktop.services.workstation import Startup
from hemgenix_desktop.storage import StorageError, Store
from hemgenix_desktop.ui import app as app_module
from hemgenix_desktop.ui.background import loading_ahead
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.signin import opening_sentence, queued_sentence, still_opening_sentence
from tests.helpers.people import PASSWORDS
from tests.ui.helpers import click, find, type_text
from tests.ui.main_helpers import OFFSCREEN_NOISE, WORKSTATION, add_people, db_url, open_store, services

pytestmark = OFFSCREEN_NOISE
ROOT = Path(__file__).resolve().parents[2]
# What the first screen must not wait for: the database, password, PDF, signing and barcode libraries.
HEAVY = {
    "sqlalchemy",
    "alembic",
    "argon2",
    "reportlab",
    "pyhanko",
    "pypdf",
    "biip",
    "zxingcpp",
    "segno",
    "cryptography",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path) as opened:
        yield opened


def window_before_database(qtbot: QtBot, *, first_user: bool) -> MainWindow:
    window = MainWindow(start=Startup(first_user=first_user, workstation=WORKSTATION))
    window.resize(1366, 768)
    qtbot.addWidget(window, before_close_func=lambda w: w.quit_without_asking())  # type: ignore[attr-defined]
    window.show()
    return window


def screen(window: MainWindow) -> str:
    return window.stack.currentWidget().objectName()


def message(window: MainWindow, name: str) -> str:
    """The sentence a message label shows ("" while hidden)."""
    shown = find(window, QLabel, name)
    return shown.text() if shown.isVisible() else ""


def test_the_sign_in_takes_typing_while_the_database_opens_and_keeps_it(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = window_before_database(qtbot, first_user=False)
    assert screen(window) == "signInScreen"
    button = find(window, QAbstractButton, "signInButton")
    assert not button.isEnabled()
    assert message(window, "signInMessage") == opening_sentence() == "Opening the database…"
    assert not window.history_action.isEnabled()

    type_text(window, "signInUsernameEdit", "ttech")
    type_text(window, "signInPasswordEdit", PASSWORDS["ttech"])
    assert find(window, QLineEdit, "signInPasswordEdit").text() == PASSWORDS["ttech"]  # nothing typed is lost

    window.attach(services(store))
    assert screen(window) == "signInScreen"
    assert button.isEnabled()
    assert message(window, "signInMessage") == ""
    assert find(window, QLineEdit, "signInUsernameEdit").text() == "ttech"
    click(window, "signInButton")
    assert window.user is not None
    assert window.user.username == "ttech"


def enter_before_the_database(qtbot: QtBot, store: Store) -> tuple[MainWindow, QLineEdit]:
    """The sign-in shown before the database: the username, the password typed key by key, Enter."""
    add_people(store)
    window = window_before_database(qtbot, first_user=False)
    type_text(window, "signInUsernameEdit", "ttech")
    password = find(window, QLineEdit, "signInPasswordEdit")
    password.setFocus()
    qtbot.keyClicks(password, PASSWORDS["ttech"])
    qtbot.keyClick(password, Qt.Key.Key_Return)  # Enter before the database is open
    return window, password


def test_enter_pressed_while_the_database_opens_signs_in_once_it_is_open(qtbot: QtBot, store: Store) -> None:
    window, _ = enter_before_the_database(qtbot, store)
    assert message(window, "signInMessage") == queued_sentence()
    assert window.user is None

    window.attach(services(store))
    qtbot.waitUntil(lambda: window.user is not None, timeout=60_000)  # no second Enter
    assert window.user is not None
    assert window.user.username == "ttech"


def test_what_was_typed_changed_after_enter_is_not_signed_in_by_itself(qtbot: QtBot, store: Store) -> None:
    """Keys typed after that Enter (a password longer than thought, then corrected) cancel it: the person presses
    Enter again once the database is open; nothing signs in with what they may no longer mean."""
    window, password = enter_before_the_database(qtbot, store)
    qtbot.keyClicks(password, "x")
    qtbot.keyClick(password, Qt.Key.Key_Backspace)
    assert message(window, "signInMessage") == still_opening_sentence()

    window.attach(services(store))
    for _ in range(3):  # the turns on which a remembered sign-in would have started (a zero-time timer)
        QApplication.processEvents()
    assert window.user is None
    assert find(window, QAbstractButton, "signInButton").isEnabled()  # no password is being checked
    assert message(window, "signInMessage") == ""
    qtbot.keyClick(password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.user is not None, timeout=60_000)


def test_enter_pressed_on_the_sign_in_before_a_first_account_exists_signs_nobody_in(qtbot: QtBot, store: Store) -> None:
    """The look said sign-in, the open database says no account exists yet: the first account's screen is shown and
    the remembered sign-in is not tried."""
    window = window_before_database(qtbot, first_user=False)
    type_text(window, "signInUsernameEdit", "ttech")
    type_text(window, "signInPasswordEdit", PASSWORDS["ttech"])
    find(window, QLineEdit, "signInPasswordEdit").returnPressed.emit()
    window.attach(services(store))
    for _ in range(3):
        QApplication.processEvents()
    assert screen(window) == "firstUserScreen"
    assert window.user is None
    assert store.audit.head()[0] == 0  # not even a refused sign-in was written


def test_the_first_account_waits_for_the_database_with_what_was_typed(qtbot: QtBot, store: Store) -> None:
    window = window_before_database(qtbot, first_user=True)
    assert screen(window) == "firstUserScreen"
    type_text(window, "firstUserUsernameEdit", "ppharm")
    type_text(window, "firstUserFullNameEdit", "Pat Pharmacist")
    type_text(window, "firstUserEmployeeNumberEdit", "E10442")
    type_text(window, "firstUserPasswordEdit", PASSWORDS["ppharm"])
    type_text(window, "firstUserRepeatEdit", PASSWORDS["ppharm"])
    create = find(window, QAbstractButton, "firstUserCreateButton")
    assert not create.isEnabled()  # every field passes, but the database is not open yet
    assert message(window, "firstUserMessage") == "Opening the database…"

    window.attach(services(store))
    assert screen(window) == "firstUserScreen"
    assert create.isEnabled()
    assert message(window, "firstUserMessage") == ""
    click(window, "firstUserCreateButton")
    assert screen(window) == "signInScreen"
    assert store.users.count() == 1


@pytest.mark.parametrize("looked_first_user", [True, False])
def test_the_open_database_decides_the_first_screen(qtbot: QtBot, store: Store, looked_first_user: bool) -> None:
    """The look said one thing, the database (opened a moment later) another, e.g. another workstation made the
    first account meanwhile: the database's screen is shown."""
    if looked_first_user:
        add_people(store)
    window = window_before_database(qtbot, first_user=looked_first_user)
    window.attach(services(store))
    assert screen(window) == ("signInScreen" if looked_first_user else "firstUserScreen")
    assert find(window, QAbstractButton, "signInButton").isEnabled()


def test_the_first_account_screen_is_made_only_when_it_is_shown(qtbot: QtBot, store: Store) -> None:
    """A workstation with its accounts never builds the first account's screen (it is not on the first paint's
    path); one whose database turns out to have none builds it then, ready to create the account."""
    window = window_before_database(qtbot, first_user=False)
    assert window.findChild(QWidget, "firstUserScreen") is None
    window.attach(services(store))  # no account yet
    assert screen(window) == "firstUserScreen"
    for name, text in (
        ("firstUserUsernameEdit", "ppharm"),
        ("firstUserFullNameEdit", "Pat Pharmacist"),
        ("firstUserEmployeeNumberEdit", "E10442"),
        ("firstUserPasswordEdit", PASSWORDS["ppharm"]),
        ("firstUserRepeatEdit", PASSWORDS["ppharm"]),
    ):
        type_text(window, name, text)
    click(window, "firstUserCreateButton")
    qtbot.waitUntil(lambda: screen(window) == "signInScreen")
    assert store.users.count() == 1

    with_accounts = window_before_database(qtbot, first_user=False)
    with_accounts.attach(services(store))
    assert screen(with_accounts) == "signInScreen"
    assert with_accounts.findChild(QWidget, "firstUserScreen") is None


def test_a_database_that_fails_after_the_first_paint_stops_with_its_sentence(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = "The database sqlite:////x/hemgenix.sqlite3 cannot be opened (disk I/O error). Check the address."

    def failing(_url: str | None = None, **_kw: object) -> Store:
        raise StorageError(sentence)

    monkeypatch.setattr(Store, "open", failing)
    window = window_before_database(qtbot, first_user=False)
    settings = app_module.Settings.from_env()
    database = app_module._Database(False, db_url(tmp_path), settings, None)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ended: list[int] = []
    monkeypatch.setattr(app, "exit", ended.append)  # the program's end, heard (and not ending the tests' loop)
    app_module._open_into(window, database, app)
    assert capsys.readouterr().err == sentence + "\n"
    box = window.findChild(QMessageBox, "startupProblemBox")
    assert box is not None
    assert box.isVisible()
    assert box.isModal()  # over the window, which takes nothing more
    assert box.text() == sentence
    box.close()
    assert ended == [1]  # closing the box ends the program with 1


def test_the_sign_in_works_before_what_comes_after_it_has_loaded(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 13: once the database is open the sign-in works (``when_open``); the database's thread then loads what
    the screens after a sign-in need, and what must not be imported on two threads at once (the site key's check)
    waits for that (``when_loaded``)."""
    add_people(store)
    release = threading.Event()
    loading: list[str] = []

    def slow_loading() -> None:
        loading.append(threading.current_thread().name)
        release.wait(10)

    monkeypatch.setattr(app_module, "_after_opening", lambda _store: (slow_loading,))
    database = app_module._Database(False, db_url(tmp_path), app_module.Settings.from_env(), None)
    heard: list[str] = []
    database.start_opening()
    database.when_open(lambda: heard.append("open"))
    database.when_loaded(lambda: heard.append("loaded"))
    try:
        qtbot.waitUntil(lambda: heard == ["open"] and loading == ["open the database"], timeout=20_000)
        assert database.services().sign_in is not None  # at once: the loading does not hold the services back
        assert heard == ["open"]
    finally:
        release.set()
    qtbot.waitUntil(lambda: heard == ["open", "loaded"], timeout=10_000)
    assert not loading_ahead()  # counted from before the sign-in could begin, and no longer
    database.when_loaded(lambda: heard.append("at once"))  # after the fact: called at once
    assert heard[-1] == "at once"
    database.close()


@pytest.mark.slow
def test_loading_after_opening_reads_the_list_the_sign_in_shows_first(store: Store) -> None:
    """The first step after opening reads the unfinished preparations as the list after a sign-in does (so that
    its queries are compiled before anyone signs in); it only reads."""
    from hemgenix_desktop.services.drafting import resumable
    from tests.helpers.preparations import complete_preparation

    people = add_people(store)
    store.start_preparation(complete_preparation(), people["ttech"], WORKSTATION)  # one draft on the list
    events = store.audit.head()
    first = app_module._after_opening(store)[0]
    listed = first()
    assert [summary.patient_name for summary in listed] == ["Alex Example"]
    assert listed == resumable(store)
    assert store.audit.head() == events


def test_what_loads_after_opening_failing_to_be_listed_still_ends_its_loading(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Loading ahead is only ahead: a failure there is not the start's, and the screens waiting for it (counted
    from before the sign-in could begin) are not left waiting, nor the site key's check."""
    add_people(store)

    def broken(_store: Store) -> tuple[()]:
        raise ImportError("a module that cannot load")

    monkeypatch.setattr(app_module, "_after_opening", broken)
    database = app_module._Database(False, db_url(tmp_path), app_module.Settings.from_env(), None)
    heard: list[str] = []
    database.start_opening()
    database.when_loaded(lambda: heard.append("loaded"))
    qtbot.waitUntil(lambda: heard == ["loaded"], timeout=20_000)
    assert not loading_ahead()
    assert database.services().sign_in is not None
    database.close()


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_a_normal_start_shows_the_sign_in_then_opens_the_database(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run_app`` as a person starts it: the sign-in is shown with its button waiting, the database's thread starts
    only after the first paint (not competing with the first screen's imports) and the button works; closing the
    window ends the program with 0."""
    with open_store(tmp_path) as made:
        add_people(made)
    seen: list[tuple[str, bool]] = []
    threads_at_first_paint: list[list[str]] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not threads_at_first_paint:
                threads_at_first_paint.append([thread.name for thread in threading.enumerate()])
            return False

    first_paint = FirstPaint()
    placed = app_module.place_window

    def place_and_watch(window: MainWindow) -> None:
        placed(window)
        window.installEventFilter(first_paint)

    monkeypatch.setattr(app_module, "place_window", place_and_watch)

    def watch() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            return
        window = windows[0]
        opened = hasattr(window, "services")
        state = (screen(window), find(window, QAbstractButton, "signInButton").isEnabled())
        if not seen or seen[-1] != state:
            seen.append(state)
        if opened:
            poll.stop()
            window.close()

    poll = QTimer()
    poll.timeout.connect(watch)
    poll.start(0)
    app = QApplication.instance()
    assert app is not None
    QTimer.singleShot(30_000, lambda: app.exit(9))  # a start that never opens its database fails the test
    try:
        assert app_module.run_app(practice=False, exit_when_ready=False, db_url=db_url(tmp_path)) == 0
    finally:
        poll.stop()
    assert seen == [("signInScreen", False), ("signInScreen", True)]
    assert threads_at_first_paint
    assert "open the database" not in threads_at_first_paint[0]


def run_gui(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from hemgenix_desktop.cli import main; code = main(['gui', '--exit-when-ready']); "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HEAVY)!r}))); sys.exit(code)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False
    )


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_the_first_screen_loads_no_database_pdf_or_barcode_library(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HEMGENIX_DB_URL": db_url(tmp_path)}
    first = run_gui(env)  # a new database: created and migrated before the first screen
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == "Hemgenix Prep is ready."
    assert "sqlalchemy" in first.stdout
    again = run_gui(env)  # up to date: the first screen comes before the database libraries
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == ["Hemgenix Prep is ready.", "[]"]


@pytest.mark.slow  # one of the slowest (2 s or more here): ./scripts/run-tests runs it, --fast does not
def test_a_new_database_is_made_off_the_gui_thread_after_the_first_screen_and_before_anyone_signs_in(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: a database a first look cannot vouch for (here a new file, to be created and migrated) is opened
    on a thread of its own; the window is shown at once with its button waiting, and the first account's screen
    works only once the database is made (at the newest revision)."""
    from hemgenix_desktop.storage.glance import glance

    url = db_url(tmp_path)
    assert glance(url) is None  # no file yet: the start cannot tell its first screen without opening it
    opened_on: list[bool] = []
    real_open = app_module.open_store

    def recording(practice: bool, db: str | None) -> Store:
        opened_on.append(threading.current_thread() is threading.main_thread())
        return real_open(practice, db)

    monkeypatch.setattr(app_module, "open_store", recording)
    seen: list[tuple[str, bool]] = []

    def watch() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            return
        window = windows[0]
        state = (screen(window), hasattr(window, "services"))
        if not seen or seen[-1] != state:
            seen.append(state)
        if state[1]:
            poll.stop()
            window.close()

    poll = QTimer()
    poll.timeout.connect(watch)
    poll.start(0)
    app = QApplication.instance()
    assert app is not None
    QTimer.singleShot(30_000, lambda: app.exit(9))
    try:
        assert app_module.run_app(practice=False, exit_when_ready=False, db_url=url) == 0
    finally:
        poll.stop()
    assert opened_on == [False]  # once, and not on the GUI thread
    assert seen == [("signInScreen", False), ("firstUserScreen", True)]  # shown before the database; then its
    # first account's screen, once the new database is made (the sign-in's button waited meanwhile)
    look = glance(url)
    assert look is not None  # made and at the newest revision (the first look now vouches for it)
    assert not look.has_users


@pytest.mark.slow  # about 0.7 s (a real sign-in): ./scripts/run-tests runs it, --fast does not
def test_what_the_start_warns_of_is_shown_whole_above_every_screen(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Security settings the environment changes: the sentence (recorded in the audit trail) is shown in full in the
    banner above the screens, before and after the sign-in. The status bar showed it on one line and cut it off beside
    the signed-in person's name."""
    add_people(store)
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "no-settings-file.toml"))
    monkeypatch.setenv("HEMGENIX_IDLE_LOCK_MINUTES", "3")
    monkeypatch.setenv("HEMGENIX_LOCKOUT_ATTEMPTS", "4")
    window = window_before_database(qtbot, first_user=False)
    banner = find(window, QLabel, "mainStartWarningsMessage")
    assert not banner.isVisible()  # nothing to warn of yet: the screens have all the room
    database = app_module._Database(False, db_url(tmp_path), app_module.Settings.from_env(), None)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app_module._open_into(window, database, app)
    notice = database.notice
    assert "HEMGENIX_IDLE_LOCK_MINUTES" in notice
    assert "HEMGENIX_LOCKOUT_ATTEMPTS" in notice
    window.warn(notice)  # said once, however often it is given
    window.warn("A second warning.")  # on a line of its own
    for signed_in in (False, True):
        qtbot.waitUntil(banner.isVisible)
        assert banner.text() == f"{notice.strip()}\nA second warning."
        qtbot.waitUntil(lambda: banner.heightForWidth(banner.width()) <= banner.height())  # every line of it shows
        assert window.statusBar().currentMessage() == ""
        if not signed_in:
            type_text(window, "signInUsernameEdit", "ppharm")
            type_text(window, "signInPasswordEdit", PASSWORDS["ppharm"])
            click(window, "signInButton")
            qtbot.waitUntil(lambda: window.user is not None, timeout=20_000)
    database.close()
