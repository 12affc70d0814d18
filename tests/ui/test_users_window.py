"""The Users window (issue 14): pharmacists list, add, disable, enable, reset and change roles, each signed with
their password and, where the two-person rule asks, a second pharmacist's approval; technicians do not see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.storage import Store
from hemgenix_desktop.ui.main_window import MainWindow
from hemgenix_desktop.ui.users_window import UsersWindow
from tests.helpers import people
from tests.helpers.people import PASSWORDS, employee_number
from tests.ui.helpers import click, find, text_of, type_text
from tests.ui.main_helpers import OFFSCREEN_NOISE, WORKSTATION, make_main, services, sign_in

pytestmark = OFFSCREEN_NOISE


def signed_in(qtbot: QtBot, store: Store, username: str) -> MainWindow:
    people.add_people(store, workstation=WORKSTATION)  # two technicians, two pharmacists
    window = make_main(services(store), qtbot)
    window.show()
    sign_in(window, username)
    return window


def open_users(window: MainWindow) -> UsersWindow:
    window.menus.users_action.trigger()
    dialog = window.menus.users_window
    assert dialog is not None
    return dialog


def test_technicians_do_not_see_the_users_window(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store, "ttech")
    assert not window.menus.users_action.isVisible()
    assert window.menus.show_users() is None


def test_a_pharmacist_adds_a_technician_alone_and_a_pharmacist_with_a_second(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store, "ppharm")
    assert window.menus.users_action.isVisible()
    dialog = open_users(window)
    assert dialog.table.rowCount() == 4
    type_text(dialog, "usersNewUsernameEdit", "nina")
    type_text(dialog, "usersNewFullNameEdit", "Nina Night")
    type_text(dialog, "usersNewEmployeeNumberEdit", "E500")
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    click(dialog, "usersAddButton")
    assert text_of(dialog, "usersMessage").startswith(
        "Added the technician account Nina Night (nina). One-time password: "
    )
    assert dialog.table.rowCount() == 5
    assert find(dialog, type(dialog.password), "usersPasswordEdit").text() == ""  # never kept on screen

    type_text(dialog, "usersNewUsernameEdit", "mallory")
    type_text(dialog, "usersNewFullNameEdit", "Mallory Pharm")
    type_text(dialog, "usersNewEmployeeNumberEdit", "E666")
    find(dialog, QComboBox, "usersNewRoleCombo").setCurrentIndex(list(Role).index(Role.PHARMACIST))
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    click(dialog, "usersAddButton")
    assert text_of(dialog, "usersMessage") == (
        "Adding a pharmacist needs a second pharmacist's approval: name them with --approver (in the window: the "
        "approval fields) and let them type their own password. Nothing was changed."
    )
    assert store.users.get("mallory") is None
    assert store.audit_trail()[-1].action == "administration_refused"

    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    type_text(dialog, "usersApproverEdit", "qpharm")
    type_text(dialog, "usersApproverPasswordEdit", PASSWORDS["qpharm"])
    click(dialog, "usersAddButton")
    assert text_of(dialog, "usersMessage").startswith("Added the pharmacist account Mallory Pharm (mallory).")
    event = store.audit_trail()[-1]
    assert (event.action, event.username) == ("user_added", "ppharm")
    assert event.summary.endswith("Approved by Quinn Pharmacist (qpharm).")


def test_disable_then_enable_with_an_approval(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store, "ppharm")
    dialog = open_users(window)
    dialog.select("ttech")
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    click(dialog, "usersDisableButton")
    assert text_of(dialog, "usersMessage") == (
        "Disabled the account Tara Technician (ttech): it can no longer sign in or sign."
    )
    assert not store.users.get("ttech").active  # type: ignore[union-attr]
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    click(dialog, "usersEnableButton")
    assert "Enabling a disabled account needs a second pharmacist's approval" in text_of(dialog, "usersMessage")
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    type_text(dialog, "usersApproverEdit", "ppharm")  # not the one asking
    type_text(dialog, "usersApproverPasswordEdit", PASSWORDS["ppharm"])
    click(dialog, "usersEnableButton")
    assert "is the person asking, so cannot also approve" in text_of(dialog, "usersMessage")
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    type_text(dialog, "usersApproverEdit", "qpharm")
    type_text(dialog, "usersApproverPasswordEdit", PASSWORDS["qpharm"])
    click(dialog, "usersEnableButton")
    assert text_of(dialog, "usersMessage") == "Enabled the account Tara Technician (ttech)."
    assert store.users.get("ttech").active  # type: ignore[union-attr]


def test_the_own_account_offers_only_its_employee_number(qtbot: QtBot, store: Store) -> None:
    """Found using the program: Disable and Make technician were offered on one's own account, and refused only once
    the password was typed. They are off there now, with why beside them; the employee number (which the service
    allows on one's own account, with an approval) stays."""
    window = signed_in(qtbot, store, "ppharm")
    dialog = open_users(window)
    hint = find(dialog, QLabel, "usersOwnAccountHint")
    dialog.select("ppharm")
    assert hint.isVisible()
    enabled = {name: find(dialog, QPushButton, name).isEnabled() for name in BUTTONS}
    assert enabled == {
        "usersDisableButton": False,
        "usersEnableButton": False,
        "usersResetButton": False,
        "usersRoleButton": False,
        "usersEmployeeNumberButton": True,
    }
    assert find(dialog, QLineEdit, "usersEmployeeNumberEdit").isEnabled()
    dialog.select("ttech")
    assert not hint.isVisible()
    assert [find(dialog, QPushButton, name).isEnabled() for name in BUTTONS] == [True, False, True, True, True]


BUTTONS = (
    "usersDisableButton",
    "usersEnableButton",
    "usersResetButton",
    "usersRoleButton",
    "usersEmployeeNumberButton",
)


def test_a_reset_and_a_role_change_need_the_approval(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    window = signed_in(qtbot, store, "ppharm")
    dialog = open_users(window)
    dialog.select("terry")
    for button in ("usersResetButton", "usersRoleButton"):
        type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
        type_text(dialog, "usersApproverEdit", "qpharm")
        type_text(dialog, "usersApproverPasswordEdit", PASSWORDS["qpharm"])
        click(dialog, button)
        dialog.select("terry")
    terry = store.users.get("terry")
    assert terry is not None
    assert (terry.role, terry.must_change_password) == (Role.PHARMACIST, True)
    assert text_of(dialog, "usersMessage") == "Terry Technician (terry) is now a pharmacist."


@pytest.mark.parametrize("wrong", ["", "not the password"])
def test_a_change_without_the_right_password_is_refused(qtbot: QtBot, store: Store, wrong: str) -> None:
    window = signed_in(qtbot, store, "ppharm")
    dialog = open_users(window)
    dialog.select("ttech")
    type_text(dialog, "usersPasswordEdit", wrong)
    click(dialog, "usersDisableButton")
    assert text_of(dialog, "usersMessage").endswith("Nothing was changed.")
    assert store.users.get("ttech").active  # type: ignore[union-attr]


def test_an_employee_number_is_set_and_changed_in_the_window_with_a_second_pharmacist(
    qtbot: QtBot, store: Store
) -> None:
    """Issue 14: an account made before numbers were kept gets its number here, and a number is changed, each with
    the same two-person approval as ``users set-employee-number``; typed and sent with the keyboard alone."""
    window = signed_in(qtbot, store, "ppharm")
    store.users.add(  # made before revision 0008: no employee number
        "olive", "Olive Old", Role.TECHNICIAN, "$argon2id$unused", people.OPERATOR, WORKSTATION
    )
    dialog = open_users(window)
    dialog.select("olive")
    button = find(dialog, QPushButton, "usersEmployeeNumberButton")
    assert button.text() == "Set the employee number"
    edit = find(dialog, QLineEdit, "usersEmployeeNumberEdit")
    type_text(dialog, "usersEmployeeNumberEdit", "E777")
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    QTest.keyClick(edit, Qt.Key.Key_Return)  # the keyboard alone: Return in the number's field
    assert "Setting an employee number needs a second pharmacist's approval" in text_of(dialog, "usersMessage")
    assert store.users.get("olive").employee_number is None  # type: ignore[union-attr]
    assert store.audit_trail()[-1].action == "administration_refused"

    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    type_text(dialog, "usersApproverEdit", "qpharm")
    type_text(dialog, "usersApproverPasswordEdit", PASSWORDS["qpharm"])
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert text_of(dialog, "usersMessage") == "The employee number of Olive Old (olive) is now E777."
    event = store.audit_trail()[-1]
    assert (event.action, event.username, event.after["approved_by"]) == (
        "user_employee_number_set",
        "ppharm",
        "qpharm",
    )
    assert store.audit.approvals()[event.seq].employee_number == employee_number("qpharm")
    assert dialog.selected() is not None
    assert button.text() == "Change the employee number"

    dialog.select("ttech")  # changing one: the same approval; a number taken is refused
    for number, said in (
        ("E777", "The employee number E777 already belongs to Olive Old (olive)"),
        ("E778", "The employee number of Tara Technician (ttech) is now E778 (it was E-TTECH)."),
    ):
        type_text(dialog, "usersEmployeeNumberEdit", number)
        type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
        type_text(dialog, "usersApproverEdit", "qpharm")
        type_text(dialog, "usersApproverPasswordEdit", PASSWORDS["qpharm"])
        click(dialog, "usersEmployeeNumberButton")
        assert said in text_of(dialog, "usersMessage")
    assert store.users.get("ttech").employee_number == "E778"  # type: ignore[union-attr]


@pytest.mark.slow
def test_an_account_is_not_added_in_the_window_without_an_employee_number(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store, "ppharm")
    dialog = open_users(window)
    type_text(dialog, "usersNewUsernameEdit", "nina")
    type_text(dialog, "usersNewFullNameEdit", "Nina Night")
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    QTest.keyClick(find(dialog, QLineEdit, "usersNewFullNameEdit"), Qt.Key.Key_Return)  # Return adds
    assert text_of(dialog, "usersMessage").startswith("Enter the person's employee (or licence) number")
    assert store.users.get("nina") is None
    assert store.audit_trail()[-1].action == "administration_refused"


def test_after_an_account_is_added_the_form_is_new_again(qtbot: QtBot, store: Store) -> None:
    """Testers added a pharmacist and the Role choice stayed "pharmacist" for the next account."""
    window = signed_in(qtbot, store, "ppharm")
    dialog = open_users(window)
    role = find(dialog, QComboBox, "usersNewRoleCombo")
    assert role.currentText() == "technician"  # the default
    type_text(dialog, "usersNewUsernameEdit", "mallory")
    type_text(dialog, "usersNewFullNameEdit", "Mallory Pharm")
    type_text(dialog, "usersNewEmployeeNumberEdit", "E666")
    role.setFocus()
    QTest.keyClick(role, Qt.Key.Key_Down)
    assert role.currentText() == "pharmacist"
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    type_text(dialog, "usersApproverEdit", "qpharm")
    type_text(dialog, "usersApproverPasswordEdit", PASSWORDS["qpharm"])
    click(dialog, "usersAddButton")
    assert text_of(dialog, "usersMessage").startswith("Added the pharmacist account Mallory Pharm (mallory).")
    for name in ("usersNewUsernameEdit", "usersNewFullNameEdit", "usersNewEmployeeNumberEdit"):
        assert find(dialog, QLineEdit, name).text() == ""
    assert role.currentText() == "technician"
    assert dialog.focusWidget() is find(dialog, QLineEdit, "usersNewUsernameEdit")


def test_a_refused_add_keeps_the_form_as_typed(qtbot: QtBot, store: Store) -> None:
    window = signed_in(qtbot, store, "ppharm")
    dialog = open_users(window)
    type_text(dialog, "usersNewUsernameEdit", "mallory")
    type_text(dialog, "usersNewFullNameEdit", "Mallory Pharm")
    type_text(dialog, "usersNewEmployeeNumberEdit", "E666")
    role = find(dialog, QComboBox, "usersNewRoleCombo")
    role.setCurrentIndex(list(Role).index(Role.PHARMACIST))
    type_text(dialog, "usersPasswordEdit", PASSWORDS["ppharm"])
    click(dialog, "usersAddButton")  # no second pharmacist: refused
    assert store.users.get("mallory") is None
    assert find(dialog, QLineEdit, "usersNewUsernameEdit").text() == "mallory"
    assert role.currentText() == "pharmacist"
