"""The idle lock: it hides every screen with patient data, asks for a password, and loses nothing entered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.lock import idle_audit_text, idle_sentence
from hemgenix_desktop.ui.main_window import MainWindow
from tests.helpers.store import OPERATOR, cheap_passwords
from tests.ui.conftest import Boxes
from tests.ui.helpers import fill_order, find, press_next, text_of, type_text, walk_to
from tests.ui.main_helpers import (
    OFFSCREEN_NOISE,
    PATIENT_DATA,
    WORKSTATION,
    add_people,
    make_main,
    services,
    sign_in,
    unlock,
    visible_texts,
    wizard_of,
)

pytestmark = OFFSCREEN_NOISE

WRONG = (
    "The username or the password is wrong. Check both and try again; after 5 failed attempts in a row the "
    "account is locked for 15 minutes."
)


@pytest.fixture
def store(store: Store) -> Store:
    """The shared store (tests/helpers/fixtures.py) with the people of these tests."""
    add_people(store)
    return store


def signed_in(qtbot: QtBot, store: Store, idle_lock_ms: int | None = None) -> MainWindow:
    window = make_main(services(store) if idle_lock_ms is None else services(store, idle_lock_ms=idle_lock_ms), qtbot)
    window.show()
    sign_in(window, "ttech")
    return window


def half_typed(window: MainWindow) -> QLineEdit:
    """The order page committed, and on the eligibility page an inhibitor result half typed."""
    wizard = wizard_of(window)
    fill_order(wizard)
    press_next(wizard)
    edit = find(wizard, QLineEdit, "eligibilityInhibitorEdit")
    edit.setFocus()
    edit.setText("0.")
    edit.textEdited.emit("0.")  # still typing: not finished
    return edit


def patient_data_on_screen(window: MainWindow) -> list[str]:
    return [text for text in visible_texts(window) for value in PATIENT_DATA if value in text]


@pytest.mark.slow
def test_the_screen_locks_after_the_idle_time(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store, idle_lock_ms=20)
    qtbot.waitUntil(window.is_locked)
    assert text_of(window, "lockReasonLabel") == (
        "The screen locked after 5 minutes without input, to keep patient data private."
    )
    assert text_of(window, "lockSignedInLabel") == "Signed in before the lock: Tara Technician (ttech)."
    assert find(window, QLineEdit, "lockUsernameEdit").text() == "ttech"
    assert not window.idle.running()  # no second lock while locked
    event = store.audit_trail()[-1]
    assert (event.action, event.username) == (AuditAction.SCREEN_LOCKED, "ttech")
    assert event.summary == ("The screen locked after 5 minutes without input; Tara Technician (ttech) was signed in.")


def test_nothing_locks_before_anyone_signed_in(qtbot: QtBot, store: Store) -> None:
    window = make_main(services(store, idle_lock_ms=1), qtbot)
    window.show()
    assert not window.idle.running()
    assert not window.idle_lock()
    assert window.stack.currentWidget() is window.sign_in


def test_input_starts_the_idle_time_again(qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    window = signed_in(qtbot, store)
    restarts: list[int] = []
    monkeypatch.setattr(window.idle.timer, "start", lambda: restarts.append(1))
    edit = find(window, QLineEdit, "orderPatientNameEdit")
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QApplication.sendEvent(edit, key)
    assert restarts == [1]
    # what that input sets off in the same turn of the event loop no longer goes through the filter (it is no input:
    # the loop delivers input); the idle time started again at the first
    QApplication.sendEvent(edit, key)
    assert restarts == [1]
    QApplication.processEvents()  # the loop turns: input is watched again
    point = QPointF(10, 10)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        point,
        point,
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, move)
    assert restarts == [1, 1]
    QApplication.processEvents()
    QApplication.sendEvent(edit, QEvent(QEvent.Type.User))  # not input: the time runs on
    assert restarts == [1, 1]


def test_the_idle_watch_is_off_only_while_a_screen_is_built(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wizard is built without the watch's filter (thousands of events, none of them input); input before
    and after restarts the idle time, and a stopped watch stays stopped."""
    window = signed_in(qtbot, store)  # the wizard was built and shown while the watch ran
    restarts: list[int] = []
    monkeypatch.setattr(window.idle.timer, "start", lambda: restarts.append(1))
    edit = find(window, QLineEdit, "orderPatientNameEdit")
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    with window.idle.paused():
        with window.idle.paused():
            QApplication.sendEvent(edit, key)
        QApplication.sendEvent(edit, key)
        assert restarts == []
    QApplication.sendEvent(edit, key)
    assert restarts == [1]
    window.idle.stop()
    with window.idle.paused():
        pass
    QApplication.processEvents()  # the rest after that input ends: a stopped watch stays stopped all the same
    QApplication.sendEvent(edit, key)
    assert restarts == [1]
    assert not window.idle.running()


@pytest.mark.slow
def test_a_locked_window_shows_no_patient_data_and_keeps_everything(qtbot: QtBot, store: Store, boxes: Boxes) -> None:
    window = signed_in(qtbot, store)
    edit = half_typed(window)
    history = window.show_history()
    assert history is not None
    assert history.isVisible()
    wizard = wizard_of(window)
    assert patient_data_on_screen(window)  # before the lock the patient is on screen (the test can see it)

    assert window.lock_now()
    assert window.is_locked()
    assert not wizard.isVisible()  # hidden, not just covered
    assert not history.isVisible()
    assert patient_data_on_screen(window) == []
    assert not window.history_action.isEnabled()
    assert window.show_history() is None  # not while locked
    assert text_of(window, "lockReasonLabel") == "Tara Technician (ttech) locked the screen."
    assert store.audit_trail()[-1].action == AuditAction.SCREEN_LOCKED

    unlock(window, "ttech", "not the password")
    assert text_of(window, "lockMessage") == WRONG
    assert window.is_locked()
    assert patient_data_on_screen(window) == []

    unlock(window, "ttech")
    assert not window.is_locked()
    assert wizard.isVisible()
    assert history.isVisible()
    assert wizard.current_key() == "eligibility"
    assert edit.text() == "0."  # the half-typed answer is still there
    assert find(wizard, QLineEdit, "eligibilityInhibitorEdit") is edit
    wizard.go_to("order")
    assert find(wizard, QLineEdit, "orderPatientNameEdit").text() == "Alex Example"
    event = store.audit_trail()[-1]
    assert (event.action, event.username, event.summary) == (
        AuditAction.SCREEN_UNLOCKED,
        "ttech",
        "Tara Technician (ttech) unlocked the screen.",
    )
    assert window.idle.running()
    history.close()


def test_another_person_may_continue_after_the_lock(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store)
    edit = half_typed(window)
    sessions: list[str] = []
    window.session_changed.connect(lambda user: sessions.append(user.username))
    window.idle_lock()
    type_text(window, "lockUsernameEdit", "")
    unlock(window, "ppharm")
    assert not window.is_locked()
    assert sessions == ["ppharm"]
    assert text_of(window, "mainSignedInLabel") == "Signed in: Pat Pharmacist (ppharm), pharmacist · workstation hood-1"
    assert store.audit_trail()[-1].summary == (
        "Pat Pharmacist (ppharm) unlocked the screen and took over from Tara Technician (ttech)."
    )
    wizard = wizard_of(window)
    assert edit.text() == "0."
    type_text(wizard, "eligibilityInhibitorEdit", "0.1")
    walk_to(wizard, "identity")  # the eligibility page is filled in and committed by the pharmacist now
    saved = store.load(wizard.preparation.id)
    assert saved.attributions["order"].username == "ttech"
    assert saved.attributions["eligibility"].username == "ppharm"
    assert store.audit_trail(wizard.preparation.id)[-1].username == "ppharm"


SEALED_NOTE = "Record HGX-20250101-TEST is sealed. Print the record and the bag label."


def session_status(window: MainWindow) -> list[str]:
    """What the status bar shows: its sentence and, when visible, who is signed in."""
    shown = [window.statusBar().currentMessage()]
    if window.signed_in_label.isVisible():
        shown.append(window.signed_in_label.text())
    return [text for text in shown if text]


def test_the_status_bar_says_nothing_of_the_session_under_the_lock(qtbot: QtBot, store: Store) -> None:
    """Testers saw "Record HGX-… is sealed" and who was signed in in the status bar under the lock."""
    window = signed_in(qtbot, store)
    window.statusBar().showMessage(SEALED_NOTE)  # as after a seal (MainWindow._record_sealed)
    assert session_status(window) == [
        SEALED_NOTE,
        "Signed in: Tara Technician (ttech), technician · workstation hood-1",
    ]
    window.lock_now()
    assert session_status(window) == []
    unlock(window, "ttech")  # the same person: their session's sentence comes back
    assert session_status(window) == [
        SEALED_NOTE,
        "Signed in: Tara Technician (ttech), technician · workstation hood-1",
    ]


def test_another_persons_unlock_does_not_bring_back_the_status_sentence(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store)
    window.statusBar().showMessage(SEALED_NOTE)
    window.idle_lock()
    assert session_status(window) == []
    type_text(window, "lockUsernameEdit", "")
    unlock(window, "ppharm")
    assert session_status(window) == ["Signed in: Pat Pharmacist (ppharm), pharmacist · workstation hood-1"]


def test_the_lock_covers_the_list_of_unfinished_preparations_too(qtbot: QtBot, store: Store, boxes: Boxes) -> None:
    window = signed_in(qtbot, store)
    half_typed(window)
    window.show_home()  # (as after Cancel): the list shows the patient
    assert window.stack.currentWidget() is window.resume
    assert patient_data_on_screen(window)
    window.lock_now()
    assert patient_data_on_screen(window) == []
    assert not window.resume.isVisible()
    unlock(window, "ttech")
    assert window.stack.currentWidget() is window.resume


def test_the_menu_locks_the_screen(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store)
    window.lock_action.trigger()
    assert window.is_locked()
    assert not window.lock_action.isEnabled()


@pytest.mark.parametrize(
    ("minutes", "shown", "audited"),
    [
        (1, "The screen locked after 1 minute without input", "The screen locked after 1 minute without input"),
        (5, "The screen locked after 5 minutes without input", "The screen locked after 5 minutes without input"),
    ],
)
def test_the_idle_time_is_said_in_the_singular_for_one_minute(minutes: int, shown: str, audited: str) -> None:
    assert idle_sentence(minutes) == f"{shown}, to keep patient data private."
    assert idle_audit_text(minutes) == audited


# --- a one-time password at the lock: the person chooses their own there, as at the sign-in ---------------------
def keys(qtbot: QtBot, window: MainWindow, field: str, text: str) -> None:
    """Wait until ``field`` has the keyboard, type ``text`` into it and press Enter (keys only)."""
    qtbot.waitUntil(lambda: (QApplication.focusWidget() or window).objectName() == field)
    focused = QApplication.focusWidget()
    assert focused is not None
    QTest.keyClicks(focused, text)
    QTest.keyClick(focused, Qt.Key.Key_Return)


@pytest.mark.parametrize("who", ["ttech", "ppharm"])
def test_a_one_time_password_is_replaced_on_the_lock_screen(qtbot: QtBot, store: Store, who: str) -> None:
    """The lock is no dead end for a password reset by a pharmacist: the same fields as at the sign-in, and then
    the unlock, as the same person or as another one taking over."""
    window = signed_in(qtbot, store)
    window.activateWindow()
    edit = half_typed(window)
    sessions: list[str] = []
    window.session_changed.connect(lambda user: sessions.append(user.username))
    _user, one_time = UserAdmin(store, passwords=cheap_passwords()).reset_password(who, OPERATOR, WORKSTATION)
    window.lock_now()
    assert not find(window, QLineEdit, "lockNewPasswordEdit").isVisible()
    type_text(window, "lockUsernameEdit", who)
    find(window, QLineEdit, "lockPasswordEdit").setFocus()
    keys(qtbot, window, "lockPasswordEdit", one_time)
    qtbot.waitUntil(lambda: find(window, QLineEdit, "lockNewPasswordEdit").isVisible())
    assert window.is_locked()  # not unlocked on the one-time password
    assert "choose a new password of your own" in text_of(window, "lockMessage")
    keys(qtbot, window, "lockNewPasswordEdit", "my very own words")
    keys(qtbot, window, "lockNewRepeatEdit", "not the same words")
    qtbot.waitUntil(lambda: text_of(window, "lockChangeMessage") != "")
    assert text_of(window, "lockChangeMessage") == "The two passwords differ. Type the same password twice."
    keys(qtbot, window, "lockNewPasswordEdit", "my very own words")
    keys(qtbot, window, "lockNewRepeatEdit", "my very own words")
    qtbot.waitUntil(lambda: not window.is_locked())
    assert sessions == [who]
    assert edit.text() == "0."  # what was half typed is still there
    assert not find(window, QLineEdit, "lockNewPasswordEdit").isVisible()
    trail = store.audit_trail()[-4:]
    assert [e.action for e in trail] == ["sign_in", "password_changed", "sign_in", "screen_unlocked"]
    assert (
        trail[-1].summary
        == {
            "ttech": "Tara Technician (ttech) unlocked the screen.",
            "ppharm": "Pat Pharmacist (ppharm) unlocked the screen and took over from Tara Technician (ttech).",
        }[who]
    )
    window.lock_now()  # the new password is the person's from now on
    unlock(window, who, "my very own words")
    assert not window.is_locked()
