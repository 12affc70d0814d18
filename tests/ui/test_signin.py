"""Start-up: the first pharmacist's account, the sign-in with its refusals, practice accounts, and a database that
cannot be opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.signin import LockoutPolicy
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.storage import StorageError, Store
from hemgenix_desktop.ui import app as app_module
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.signin import PRACTICE_PASSWORD, PRACTICE_USERS, add_practice_users
from tests.helpers.store import OPERATOR, START, FakeClock, cheap_passwords
from tests.ui.helpers import click, find, text_of, type_text
from tests.ui.main_helpers import OFFSCREEN_NOISE, WORKSTATION, add_people, make_main, services, sign_in

pytestmark = OFFSCREEN_NOISE

WRONG = (
    "The username or the password is wrong. Check both and try again; after 5 failed attempts in a row the "
    "account is locked for 15 minutes."
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def window_on(qtbot: QtBot, store: Store, **kwargs: object) -> MainWindow:
    window = make_main(services(store, **kwargs), qtbot)  # type: ignore[arg-type]
    window.show()
    return window


def screen(window: MainWindow) -> str:
    return window.stack.currentWidget().objectName()


# --- the first account ---------------------------------------------------------------------------------------
def test_the_first_start_asks_for_the_first_pharmacist(qtbot: QtBot, store: Store) -> None:
    window = window_on(qtbot, store)
    assert screen(window) == "firstUserScreen"
    assert not find(window, QAbstractButton, "firstUserCreateButton").isEnabled()
    assert not window.history_action.isEnabled()  # nothing to see before anyone signed in

    type_text(window, "firstUserUsernameEdit", "PPharm")
    type_text(window, "firstUserFullNameEdit", "  Pat   Pharmacist ")
    type_text(window, "firstUserEmployeeNumberEdit", "E10442")
    type_text(window, "firstUserPasswordEdit", "pat checks everything")
    type_text(window, "firstUserRepeatEdit", "pat checks everything")
    click(window, "firstUserCreateButton")

    user = store.users.get("ppharm")
    assert user is not None
    assert (user.full_name, user.role, user.active) == ("Pat Pharmacist", Role.PHARMACIST, True)
    assert screen(window) == "signInScreen"
    assert find(window, QLineEdit, "signInUsernameEdit").text() == "ppharm"
    assert (
        text_of(window, "signInMessage") == "The account Pat Pharmacist (ppharm) was created. Sign in with it to begin."
    )
    assert find(window, QLineEdit, "firstUserPasswordEdit").text() == ""  # the password is not kept on screen
    event = store.audit_trail()[-1]
    assert (event.action, event.username, event.workstation) == ("user_added", "ppharm", WORKSTATION)

    sign_in(window, "ppharm", "pat checks everything")
    assert screen(window) == "wizardHost"


@pytest.mark.parametrize(
    ("field", "value", "message_name", "message"),
    [
        (
            "firstUserUsernameEdit",
            "1st",
            "firstUserUsernameMessage",
            "“1st” cannot be a username: use 2 to 32 letters, digits, dots, dashes or underscores, starting with a "
            "letter, for example jsmith.",
        ),
        ("firstUserUsernameEdit", "", "firstUserUsernameMessage", "Enter a username."),
        (
            "firstUserFullNameEdit",
            "   ",
            "firstUserFullNameMessage",
            "Enter the person's full name, as it should be printed beside their signature.",
        ),
        (
            "firstUserFullNameEdit",
            "P\u0430t Pharmacist",  # a Cyrillic "а"
            "firstUserFullNameMessage",
            "The full name mixes letters of several scripts (Cyrillic, Latin), so it could look like another "
            "person's name on the record. Type it again in one script.",
        ),
        (
            "firstUserEmployeeNumberEdit",
            "",
            "firstUserEmployeeNumberMessage",
            "Enter the person's employee (or licence) number: it tells one person from another, whatever their "
            "usernames.",
        ),
        (
            "firstUserPasswordEdit",
            "short one",
            "firstUserPasswordMessage",
            "The password is too short: use at least 10 characters. A few words in a row make a good password.",
        ),
        (
            "firstUserPasswordEdit",
            "xxxxxxxxxxxx",
            "firstUserPasswordMessage",
            "The password is one character repeated. Choose one that is harder to guess.",
        ),
        (
            "firstUserPasswordEdit",
            "I am ppharm, believe me",
            "firstUserPasswordMessage",
            "The password must not contain the username. Choose another password.",
        ),
        (
            "firstUserRepeatEdit",
            "not the same",
            "firstUserRepeatMessage",
            "The two passwords differ. Type the same password twice.",
        ),
    ],
)
def test_the_first_account_form_says_what_is_wrong_inline(
    qtbot: QtBot, store: Store, field: str, value: str, message_name: str, message: str
) -> None:
    window = window_on(qtbot, store)
    good = {
        "firstUserUsernameEdit": "ppharm",
        "firstUserFullNameEdit": "Pat Pharmacist",
        "firstUserEmployeeNumberEdit": "E10442",
        "firstUserPasswordEdit": "pat checks everything",
        "firstUserRepeatEdit": "pat checks everything",
    }
    for name, text in {**good, field: value}.items():
        type_text(window, name, text)
    assert text_of(window, message_name) == message
    assert not find(window, QAbstractButton, "firstUserCreateButton").isEnabled()
    assert store.users.count() == 0
    for name, text in {**good, field: value}.items():
        assert find(window, QLineEdit, name).text() == text  # nothing typed is lost


def test_an_untouched_field_shows_no_message_yet(qtbot: QtBot, store: Store) -> None:
    window = window_on(qtbot, store)
    type_text(window, "firstUserUsernameEdit", "ppharm")
    for key in ("username", "full_name", "employee_number", "password", "repeat"):
        assert window.first_user.messages[key].isHidden(), key
    assert not find(window, QAbstractButton, "firstUserCreateButton").isEnabled()


def test_the_first_account_is_refused_once_another_workstation_made_one(qtbot: QtBot, store: Store) -> None:
    window = window_on(qtbot, store)
    add_people(store)  # meanwhile, on another workstation
    type_text(window, "firstUserUsernameEdit", "ppharm2")
    type_text(window, "firstUserFullNameEdit", "Pat Pharmacist")
    type_text(window, "firstUserEmployeeNumberEdit", "E10442")
    type_text(window, "firstUserPasswordEdit", "pat checks everything")
    type_text(window, "firstUserRepeatEdit", "pat checks everything")
    click(window, "firstUserCreateButton")
    assert text_of(window, "firstUserMessage") == (
        "Hemgenix Prep already has users, so the first account cannot be created again. Sign in, or ask a "
        "pharmacist to add your account."
    )
    assert screen(window) == "firstUserScreen"


# --- sign-in -------------------------------------------------------------------------------------------------
def test_with_accounts_the_program_starts_at_the_sign_in(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = window_on(qtbot, store)
    assert screen(window) == "signInScreen"
    assert text_of(window, "signInMessage") == ""


def test_a_wrong_password_is_refused_with_the_sentence(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = window_on(qtbot, store)
    sign_in(window, "ttech", "tara prepares doseS")
    assert screen(window) == "signInScreen"
    assert text_of(window, "signInMessage") == WRONG
    assert find(window, QLineEdit, "signInUsernameEdit").text() == "ttech"
    assert find(window, QLineEdit, "signInPasswordEdit").text() == ""
    assert window.user is None
    event = store.audit_trail()[-1]
    assert (event.action, event.username) == ("sign_in_failed", "ttech")


def test_empty_fields_ask_for_both(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = window_on(qtbot, store)
    click(window, "signInButton")
    assert text_of(window, "signInMessage") == "Enter your username and your password."


def test_the_lockout_is_said_and_ends_after_the_period(qtbot: QtBot, store: Store, clock: FakeClock) -> None:
    add_people(store)
    window = window_on(qtbot, store, lockout=LockoutPolicy(max_failures=2, lock_minutes=15), clock=clock)
    sign_in(window, "ttech", "not my password")
    assert text_of(window, "signInMessage") == (
        "The username or the password is wrong. Check both and try again; after 2 failed attempts in a row the "
        "account is locked for 15 minutes."
    )
    sign_in(window, "ttech", "not my password")
    locked = (
        "The account “ttech” is locked until 08:45 (UTC) after 2 failed sign-in attempts. Try again then, or ask a "
        "pharmacist to reset the password."
    )
    assert text_of(window, "signInMessage") == "The password is wrong. " + locked
    sign_in(window, "ttech")  # the right password, but locked
    assert text_of(window, "signInMessage") == locked
    assert screen(window) == "signInScreen"
    assert clock.now == START

    clock.advance(minutes=15)
    sign_in(window, "ttech")
    assert screen(window) == "wizardHost"
    assert window.user is not None
    assert window.user.username == "ttech"


def test_a_disabled_account_cannot_sign_in(qtbot: QtBot, store: Store) -> None:
    people = add_people(store)
    UserAdmin(store, passwords=cheap_passwords()).disable(people["ttech"].username, OPERATOR, WORKSTATION)
    window = window_on(qtbot, store)
    sign_in(window, "ttech")
    assert text_of(window, "signInMessage") == (
        "The account “ttech” is disabled, so it cannot sign in or sign. Ask a pharmacist to enable it."
    )
    assert window.user is None


def test_signing_in_opens_a_new_preparation_and_says_who_is_signed_in(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = window_on(qtbot, store)
    changed: list[object] = []
    window.session_changed.connect(changed.append)
    sign_in(window, "ttech")
    assert screen(window) == "wizardHost"
    assert window.wizard is not None
    assert window.wizard.current_key() == "order"
    assert window.wizard.isVisible()
    assert text_of(window, "mainSignedInLabel") == "Signed in: Tara Technician (ttech), technician · workstation hood-1"
    assert [u.username for u in changed] == ["ttech"]  # type: ignore[attr-defined]
    assert window.history_action.isEnabled()
    assert window.lock_action.isEnabled()
    assert window.idle.running()


# --- practice ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_practice_mode_has_its_own_accounts_and_still_signs_in(qtbot: QtBot) -> None:
    store = Store.open_practice()
    try:
        admin_services = services(store, practice=True)
        added = add_practice_users(admin_services.admin, WORKSTATION)
        assert [(u.username, u.full_name, u.role, u.employee_number) for u in added] == [
            (name, full, role, number) for name, full, role, number in PRACTICE_USERS
        ]
        window = make_main(admin_services, qtbot)
        assert screen(window) == "signInScreen"
        assert window.windowTitle() == "PRACTICE — NOT FOR PATIENT USE · Hemgenix Prep"
        assert text_of(window, "signInPracticeHint") == (
            "Practice accounts: practice.tech (technician), practice.pharmacist and practice.verifier "
            "(pharmacists). The password of each is “practice only”."
        )
        sign_in(window, "practice.tech", PRACTICE_PASSWORD)
        assert window.wizard is not None
        assert window.wizard.practice
        assert window.wizard.preparation.practice
    finally:
        store.close()


# --- names ---------------------------------------------------------------------------------------------------
def test_every_input_and_button_of_the_main_window_has_names(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    window = window_on(qtbot, store)
    sign_in(window, "ttech")
    window.show_home()
    history = window.show_history()
    assert history is not None
    for root in (window, history):
        for kind in (QLineEdit, QAbstractButton, QComboBox):
            for widget in root.findChildren(kind):
                if widget.objectName().startswith("qt_") or widget.parent() is None:
                    continue
                if root is window and window.wizard is not None and window.wizard.isAncestorOf(widget):
                    continue  # the wizard's own test covers it
                if not widget.isVisibleTo(root) and kind is not QLineEdit:
                    continue
                assert widget.objectName(), f"a {kind.__name__} without objectName: {widget.accessibleName()}"
                assert widget.accessibleName(), f"{widget.objectName()} has no accessible name"


# --- a database that cannot be opened --------------------------------------------------------------------------
def test_a_database_that_cannot_be_opened_ends_the_start_with_a_sentence(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = (
        "The database sqlite:////x/hemgenix.sqlite3 cannot be opened (attempt to write a readonly database). "
        "Check the address and that you may use it, or give another with --db."
    )

    def read_only(_url: str | None = None, **_kw: object) -> Store:
        raise StorageError(sentence)

    monkeypatch.setattr(Store, "open", read_only)
    assert app_module.run_app(practice=False, exit_when_ready=True, db_url="sqlite:////x/hemgenix.sqlite3") == 1
    captured = capsys.readouterr()
    assert captured.err == sentence + "\n"
    assert captured.out == ""


def test_a_damaged_database_file_is_named_in_a_sentence(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"this is not a database file at all, " * 200)
    with pytest.raises(StorageError) as info:
        app_module.open_store(False, f"sqlite:///{damaged}")
    assert info.value.message == (
        f"The database sqlite:///{damaged} cannot be opened (file is not a database). Check that it is a Hemgenix "
        "Prep database, not damaged or made by a newer version, and that you may use it; or give another with --db."
    )


def test_practice_uses_a_database_of_its_own(tmp_path: Path) -> None:
    store = app_module.open_store(True, f"sqlite:///{tmp_path / 'real.sqlite3'}")
    try:
        assert store.practice
        assert not (tmp_path / "real.sqlite3").exists()
    finally:
        store.close()


# --- a one-time password: the person chooses their own at the sign-in -----------------------------------------
def test_a_one_time_password_asks_for_the_persons_own_before_signing_in(qtbot: QtBot, store: Store) -> None:
    add_people(store)
    _user, one_time = UserAdmin(store, passwords=cheap_passwords()).reset_password("ttech", OPERATOR, WORKSTATION)
    window = window_on(qtbot, store)
    assert not find(window, QLineEdit, "signInNewPasswordEdit").isVisible()
    sign_in(window, "ttech", one_time)
    assert screen(window) == "signInScreen"  # not signed in on the one-time password
    assert text_of(window, "signInMessage") == (
        "Tara Technician, the password is a one-time password, so choose a new password of your own before going "
        "on (on the command line: hemgenix-prep users change-password)."
    )
    assert find(window, QLineEdit, "signInNewPasswordEdit").isVisible()
    type_text(window, "signInNewPasswordEdit", "tara's own words here")
    type_text(window, "signInNewRepeatEdit", "not the same words")
    click(window, "signInChangeButton")
    assert text_of(window, "signInChangeMessage") == "The two passwords differ. Type the same password twice."
    type_text(window, "signInNewPasswordEdit", one_time)
    type_text(window, "signInNewRepeatEdit", one_time)
    click(window, "signInChangeButton")
    assert text_of(window, "signInChangeMessage") == (
        "That password was used before. Choose one that is none of your last 5 passwords."
    )
    type_text(window, "signInNewPasswordEdit", "my very own words")
    type_text(window, "signInNewRepeatEdit", "my very own words")
    click(window, "signInChangeButton")
    assert screen(window) == "wizardHost"
    assert [e.action for e in store.audit_trail()[-3:]] == ["sign_in", "password_changed", "sign_in"]
