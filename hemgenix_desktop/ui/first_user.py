"""The first start: no account exists yet, so the first pharmacist's account is made here.

The rules are the security layer's (``check_username``, ``check_full_name``, the ``PasswordPolicy``,
``check_repeated``); this screen shows each one's sentence under its field as soon as the field was used, and
enables "Create the account" only when every field passes. ``UserAdmin.add_first_pharmacist`` refuses once any
account exists (two workstations on a new shared database), with a sentence shown here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QPushButton

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.security.passwords import PasswordPolicy, check_repeated
from hemgenix_desktop.security.users import (
    check_employee_number,
    check_full_name,
    check_username,
    normalise_username,
)
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.ui.signin import (
    CardScreen,
    heading_label,
    opening_sentence,
    still_opening_sentence,
)
from hemgenix_desktop.ui.widgets import MessageLabel, field_label, hint_label, named, password_edit

if TYPE_CHECKING:  # the screen is shown before the database (and UserAdmin) is open
    from hemgenix_desktop.security.users import UserAdmin
    from hemgenix_desktop.services.shared_types import User

FIELDS = ("username", "full_name", "employee_number", "password", "repeat")


class FirstUserScreen(CardScreen):
    """Username, full name, employee number, password twice. Emits ``created`` with the new pharmacist."""

    created = Signal(object)  # User

    def __init__(
        self, admin: UserAdmin | None, workstation: str, *, practice: bool, policy: PasswordPolicy | None = None
    ) -> None:
        """``admin`` None: the database is still opening (``attach`` gives it); ``policy`` is then the password
        policy the fields are checked against."""
        super().__init__("firstUserScreen", self.tr("Create the first pharmacist account"), practice=practice)
        self._admin = admin
        self._workstation = workstation
        self._touched: set[str] = set()
        if admin is not None:
            policy = admin.policy
        elif policy is None:
            policy = PasswordPolicy()
        self.policy = policy
        self.column.addWidget(heading_label(self.tr("Create the first pharmacist account"), "firstUserHeading"))
        self.column.addWidget(
            hint_label(
                self.tr(
                    "Hemgenix Prep has no accounts yet. Create the account of the pharmacist in charge: "
                    "a pharmacist can sign and verify preparations, and add the others' accounts with "
                    "“hemgenix-prep users add”."
                )
            )
        )
        self.username = named(QLineEdit(), "firstUserUsernameEdit", self.tr("Username"))
        self.username.setMaxLength(64)
        self.full_name = named(QLineEdit(), "firstUserFullNameEdit", self.tr("Full name"))
        self.full_name.setMaxLength(250)
        self.employee_number = named(QLineEdit(), "firstUserEmployeeNumberEdit", self.tr("Employee or licence number"))
        self.employee_number.setMaxLength(40)
        self.password = password_edit("firstUserPasswordEdit", self.tr("Password"))
        self.repeat = password_edit("firstUserRepeatEdit", self.tr("Password again"))
        self.edits: dict[str, QLineEdit] = {
            "username": self.username,
            "full_name": self.full_name,
            "employee_number": self.employee_number,
            "password": self.password,
            "repeat": self.repeat,
        }
        self.messages: dict[str, MessageLabel] = {
            "username": MessageLabel("firstUserUsernameMessage", self.tr("What is wrong with the username")),
            "full_name": MessageLabel("firstUserFullNameMessage", self.tr("What is wrong with the full name")),
            "employee_number": MessageLabel(
                "firstUserEmployeeNumberMessage", self.tr("What is wrong with the employee number")
            ),
            "password": MessageLabel("firstUserPasswordMessage", self.tr("What is wrong with the password")),
            "repeat": MessageLabel("firstUserRepeatMessage", self.tr("Whether the two passwords are the same")),
        }
        rows: list[tuple[str, str, str]] = [
            (
                "username",
                self.tr("Username"),
                self.tr("2 to 32 letters, digits, dots, dashes or underscores, e.g. jsmith."),
            ),
            ("full_name", self.tr("Full name"), self.tr("As it is printed beside your signature.")),
            (
                "employee_number",
                self.tr("Employee or licence number"),
                self.tr("Yours only: one person has one account, e.g. E10442."),
            ),
            (
                "password",
                self.tr("Password"),
                self.tr(
                    "At least {count} characters, not containing the username. A few words in a row make a good "
                    "password."
                ).format(count=policy.min_length),
            ),
            ("repeat", self.tr("Password again"), ""),
        ]
        for key, label, hint in rows:
            edit = self.edits[key]
            self.column.addSpacing(4)
            self.column.addWidget(field_label(label, edit))
            self.column.addWidget(edit)
            if hint:
                self.column.addWidget(hint_label(hint))
            self.column.addWidget(self.messages[key])
            edit.textEdited.connect(lambda _text, k=key: self._touch(k))
            edit.editingFinished.connect(lambda k=key: self._touch(k))
            edit.textChanged.connect(lambda _text: self.refresh())
            edit.returnPressed.connect(self._enter)
        self.column.addSpacing(6)

        self.create_button = named(
            QPushButton(self.tr("Create the account")), "firstUserCreateButton", self.tr("Create the account")
        )
        self.create_button.clicked.connect(self.create_account)
        self.column.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = MessageLabel("firstUserMessage", self.tr("Why the account could not be created"))
        self.column.addWidget(self.message)
        self.refresh()

    # --- checking --------------------------------------------------------------------------------------
    def _checks(self) -> dict[str, Callable[[], object]]:
        username = normalise_username(self.username.text())
        return {
            "username": lambda: check_username(self.username.text()),
            "full_name": lambda: check_full_name(self.full_name.text()),
            "employee_number": lambda: check_employee_number(self.employee_number.text()),
            "password": lambda: self.policy.check(self.password.text(), username or None),
            "repeat": lambda: check_repeated(self.password.text(), self.repeat.text()),
        }

    def problems(self) -> dict[str, str]:
        """The sentence for each field that does not pass (all fields, touched or not)."""
        found: dict[str, str] = {}
        for key, check in self._checks().items():
            try:
                check()
            except InvalidInput as exc:
                found[key] = exc.message
        return found

    def _touch(self, key: str) -> None:
        if key not in self._touched:
            self._touched.add(key)
            self.refresh()

    def refresh(self) -> None:
        problems = self.problems()
        for key in FIELDS:
            shown = problems.get(key, "") if key in self._touched else ""
            self.messages[key].show_message(shown)
        self.create_button.setEnabled(not problems and self._admin is not None)
        if self._admin is None:
            self.message.show_message(opening_sentence(), "status")
        elif self.message.text() in (opening_sentence(), still_opening_sentence()):
            self.message.show_message("", "error")  # hidden again, and a refusal shows as an error

    def attach(self, admin: UserAdmin) -> None:
        """The database is open: the account can be created from now on (what was typed stays)."""
        self._admin = admin
        self.policy = admin.policy
        self.refresh()

    def _enter(self) -> None:
        for key in FIELDS:  # Enter moves on to the next field that does not pass yet, then creates
            if key in self.problems():
                self._touch(key)
                self.edits[key].setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.create_account()

    # --- creating --------------------------------------------------------------------------------------
    def create_account(self) -> User | None:
        self._touched.update(FIELDS)
        self.refresh()
        if self.problems():
            return None
        if self._admin is None:  # Enter pressed before the database was open
            self.message.show_message(still_opening_sentence(), "status")
            return None
        try:
            user = self._admin.add_first_pharmacist(
                self.username.text(),
                self.full_name.text(),
                self.password.text(),
                self._workstation,
                employee_number=self.employee_number.text(),
            )
        except (InvalidInput, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            return None
        self.message.clear_message()
        self.password.clear()
        self.repeat.clear()
        self.created.emit(user)
        return user

    def focus_first(self) -> None:
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)


__all__ = ["FirstUserScreen"]
