"""The Users window (the menu, Users…; pharmacists only): list the accounts, add one, disable, enable, reset a
password, change a role, each signed with the pharmacist's password and, where the two-person rule asks for it, a
second pharmacist's approval.

Nothing is decided here: :class:`hemgenix_desktop.services.administration.Administration` signs the pharmacist in
(a wrong password counts toward the lockout), checks the role, asks for the approval, writes the change with its
audit event, or refuses with the sentence shown under the buttons. The passwords typed are cleared after every
try; a one-time password is shown once, to be handed to the person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.services.administration import Administration, NothingChanged, Operator
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.ui.resume import cell
from hemgenix_desktop.ui.signin import heading_label
from hemgenix_desktop.ui.widgets import MessageLabel, field_label, hint_label, named, password_edit

if TYPE_CHECKING:
    from hemgenix_desktop.services.administration import Approval
    from hemgenix_desktop.services.shared_types import User
    from hemgenix_desktop.services.workstation import Workstation

COLUMNS = ("Username", "Full name", "Role", "Employee no.", "Status")
SETTING_A_NUMBER = "setting an employee number"  # the service's action: its approver may lack a number only once


class UsersWindow(QDialog):
    """The accounts of this site, for the signed-in pharmacist ``user``."""

    def __init__(self, parent: QWidget | None, ws: Workstation, user: User) -> None:
        super().__init__(parent)
        named(self, "usersWindow", self.tr("Users"))
        self.setWindowTitle(self.tr("Users · Hemgenix Prep"))
        self.resize(1100, 720)
        self._ws = ws
        self._user = user
        self.admin = Administration(ws.store, ws.sign_in, ws.admin, ws.workstation)
        self.users: list[User] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Users"), "usersHeading"))
        layout.addWidget(
            hint_label(
                self.tr(
                    "Each change is signed with your password. Adding a pharmacist, giving the pharmacist role, "
                    "resetting a password, enabling a disabled account and setting an employee number need a second "
                    "pharmacist, who approves with their own password (Approved by)."
                )
            )
        )
        self.table = named(QTableWidget(0, len(COLUMNS)), "usersTable", self.tr("The accounts"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next control; the arrow keys move within it
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        row.addWidget(self._add_group(), 3)
        row.addWidget(self._selected_group(), 2)
        layout.addLayout(row)
        layout.addWidget(self._signature_group())
        self.message = MessageLabel("usersMessage", self.tr("What happened to the last change"))
        layout.addWidget(self.message)
        for button in self.findChildren(QPushButton):  # Return acts where it is typed, never on another change
            button.setAutoDefault(False)
            button.setDefault(False)
        self.reload()

    # --- the parts -------------------------------------------------------------------------------------
    def _add_group(self) -> QGroupBox:
        box = named(QGroupBox(self.tr("Add an account")), "usersAddGroup", self.tr("Add an account"))
        grid = QGridLayout(box)
        self.new_username = named(QLineEdit(), "usersNewUsernameEdit", self.tr("Username"))
        self.new_full_name = named(QLineEdit(), "usersNewFullNameEdit", self.tr("Full name"))
        self.new_number = named(QLineEdit(), "usersNewEmployeeNumberEdit", self.tr("Employee or licence number"))
        self.new_role = named(QComboBox(), "usersNewRoleCombo", self.tr("Role"))
        for role in Role:
            self.new_role.addItem(role.value, role)
        for index, (label, widget) in enumerate(
            (
                (self.tr("Username"), self.new_username),
                (self.tr("Full name, as printed"), self.new_full_name),
                (self.tr("Employee or licence number"), self.new_number),
                (self.tr("Role"), self.new_role),
            )
        ):
            grid.addWidget(field_label(label, widget), index, 0)
            grid.addWidget(widget, index, 1)
        self.add_button = named(QPushButton(self.tr("Add the account")), "usersAddButton", self.tr("Add the account"))
        self.add_button.clicked.connect(self.add_account)
        for edit in (self.new_username, self.new_full_name, self.new_number):
            edit.returnPressed.connect(self.add_button.click)
        grid.addWidget(self.add_button, 4, 1, Qt.AlignmentFlag.AlignLeft)
        return box

    def _selected_group(self) -> QGroupBox:
        box = named(QGroupBox(self.tr("The selected account")), "usersSelectedGroup", self.tr("The selected account"))
        column = QVBoxLayout(box)
        self.disable_button = named(QPushButton(self.tr("Disable")), "usersDisableButton", self.tr("Disable"))
        self.enable_button = named(QPushButton(self.tr("Enable")), "usersEnableButton", self.tr("Enable"))
        self.reset_button = named(
            QPushButton(self.tr("Give a one-time password")), "usersResetButton", self.tr("Give a one-time password")
        )
        self.role_button = named(QPushButton(self.tr("Change the role")), "usersRoleButton", self.tr("Change the role"))
        self.disable_button.clicked.connect(lambda: self._on_selected("disabling an account", self._disable))
        self.enable_button.clicked.connect(lambda: self._on_selected("enabling a disabled account", self._enable))
        self.reset_button.clicked.connect(lambda: self._on_selected("resetting a password", self._reset))
        self.role_button.clicked.connect(lambda: self._on_selected("changing a role", self._change_role))
        for button in (self.disable_button, self.enable_button, self.reset_button, self.role_button):
            column.addWidget(button)
        self.number = named(QLineEdit(), "usersEmployeeNumberEdit", self.tr("The selected account's employee number"))
        self.number.setPlaceholderText(self.tr("e.g. E20417"))
        self.number_button = named(
            QPushButton(self.tr("Set the employee number")),
            "usersEmployeeNumberButton",
            self.tr("Set the employee number (a second pharmacist approves)"),
        )
        self.number_button.clicked.connect(lambda: self._on_selected(SETTING_A_NUMBER, self._set_number))
        self.number.returnPressed.connect(self.number_button.click)
        column.addWidget(field_label(self.tr("Employee or licence &number"), self.number))
        numbers = QHBoxLayout()
        numbers.addWidget(self.number, 1)
        numbers.addWidget(self.number_button)
        column.addLayout(numbers)
        self.own_hint = named(
            hint_label(
                self.tr(
                    "This is your own account: another pharmacist disables or enables it, gives it a one-time "
                    "password or changes its role (your own password: hemgenix-prep users change-password). Its "
                    "employee number can be set here, with a second pharmacist's approval."
                )
            ),
            "usersOwnAccountHint",
            self.tr("Why your own account cannot be changed here"),
        )
        self.own_hint.hide()
        column.addWidget(self.own_hint)
        column.addStretch(1)
        return box

    def _signature_group(self) -> QGroupBox:
        box = named(QGroupBox(self.tr("Sign the change")), "usersSignGroup", self.tr("Sign the change"))
        grid = QGridLayout(box)
        self.password = password_edit("usersPasswordEdit", self.tr("Your password"))
        self.approver = named(QLineEdit(), "usersApproverEdit", self.tr("Approving pharmacist's username"))
        self.approver_password = password_edit("usersApproverPasswordEdit", self.tr("Approving pharmacist's password"))
        self.reason = named(QLineEdit(), "usersReasonEdit", self.tr("Reason for the approval"))
        self.reason.setPlaceholderText(self.tr("Only where asked, e.g. two persons with the same name"))
        grid.addWidget(
            field_label(self.tr("Your password ({who})").format(who=self._user.username), self.password), 0, 0
        )
        grid.addWidget(self.password, 0, 1)
        grid.addWidget(field_label(self.tr("Second pharmacist (approves)"), self.approver), 1, 0)
        grid.addWidget(self.approver, 1, 1)
        grid.addWidget(field_label(self.tr("Their password"), self.approver_password), 1, 2)
        grid.addWidget(self.approver_password, 1, 3)
        grid.addWidget(field_label(self.tr("Reason"), self.reason), 2, 0)
        grid.addWidget(self.reason, 2, 1, 1, 3)
        return box

    # --- the list --------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the accounts again, keeping the selected one selected."""
        before = self.selected() if self.users else None
        try:
            self.users = self.admin.admin.list()
            now = self._ws.now()
        except StorageError as exc:
            self.message.show_message(exc.message, "error")
            return
        self.table.setRowCount(len(self.users))
        for index, user in enumerate(self.users):
            if not user.active:
                status = self.tr("disabled")
            elif user.locked_at(now):
                status = self.tr("locked")
            elif user.must_change_password:
                status = self.tr("one-time password")
            else:
                status = self.tr("active")
            values = (user.username, user.full_name, user.role.value, user.employee_number or self.tr("(none)"), status)
            for column, text in enumerate(values):
                self.table.setItem(index, column, cell(text, user.username))
        self.table.clearSelection()
        if before is not None:
            self.select(before.username)
        self._selection_changed()

    def selected(self) -> User | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.users[rows.pop()] if len(rows) == 1 else None

    def select(self, username: str) -> None:
        for index, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(index)

    def _selection_changed(self) -> None:
        """The selected account's buttons. On the signed-in pharmacist's own account the service refuses all but the
        employee number (``Administration._acted_on``): those buttons are off, and why is said beside them rather
        than after a typed password."""
        chosen = self.selected()
        own = chosen is not None and chosen.username == self._user.username
        self.own_hint.setVisible(own)
        for button in (
            self.disable_button,
            self.enable_button,
            self.reset_button,
            self.role_button,
            self.number_button,
        ):
            button.setEnabled(chosen is not None)
        self.number.setEnabled(chosen is not None)
        if chosen is not None:
            self.number_button.setText(
                self.tr("Change the employee number") if chosen.employee_number else self.tr("Set the employee number")
            )
            self.disable_button.setEnabled(chosen.active and not own)
            self.enable_button.setEnabled(not chosen.active and not own)
            self.reset_button.setEnabled(not own)
            self.role_button.setEnabled(not own)
            other = Role.TECHNICIAN if chosen.role is Role.PHARMACIST else Role.PHARMACIST
            self.role_button.setText(self.tr("Make {role}").format(role=other.value))

    # --- the changes -----------------------------------------------------------------------------------
    def _signed(self, action: str, change: Callable[[Operator, Approval | None], str], subject: str = "") -> bool:
        """Sign the pharmacist in, take the approval when one is named, make the change; the sentence below."""
        password, approver_password = self.password.text(), self.approver_password.text()
        self.password.clear()
        self.approver_password.clear()
        try:
            operator = self.admin.sign_in(self._user.username, password, action)
            approval = None
            if self.approver.text().strip():
                approval = self.admin.approve(
                    operator,
                    self.approver.text(),
                    approver_password,
                    action,
                    subject=subject,
                    reason=self.reason.text(),
                    without_number=action == SETTING_A_NUMBER,
                )
            done = change(operator, approval)
        except NothingChanged as exc:  # already so: said, nothing written
            done = exc.message
        except (InvalidInput, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.approver.clear()
        self.reason.clear()
        self.reload()
        if subject:
            self.select(subject)
        self.message.show_message(done, "ok")
        return True

    def add_account(self) -> bool:
        def add(operator: Operator, approval: Approval | None) -> str:
            added = self.admin.add_user(
                operator,
                self.new_username.text(),
                self.new_full_name.text(),
                self.new_role.currentData(),
                self.new_number.text(),
                approval,
            )
            self._reset_add_form()
            return self.tr(
                "Added the {role} account {who}. One-time password: {secret} — give it to {name} in person; it "
                "works once, to choose their own password at the sign-in."
            ).format(
                role=added.user.role.value,
                who=added.user.describe(),
                secret=added.one_time_password,
                name=added.user.full_name,
            )

        if not self._signed("adding an account", add):
            return False
        self.new_username.setFocus(Qt.FocusReason.OtherFocusReason)  # the next account starts at the first field
        return True

    def _reset_add_form(self) -> None:
        """After an account is added the form is new again: its fields empty and the role back to its default
        (technician), so that the next account is not given the last one's role unnoticed."""
        for edit in (self.new_username, self.new_full_name, self.new_number):
            edit.clear()
        self.new_role.setCurrentIndex(0)

    def _on_selected(self, action: str, change: Callable[[Operator, Approval | None, User], str]) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        return self._signed(action, lambda operator, approval: change(operator, approval, chosen), chosen.username)

    def _disable(self, operator: Operator, _approval: Approval | None, user: User) -> str:
        done = self.admin.disable(operator, user.username)
        return self.tr("Disabled the account {who}: it can no longer sign in or sign.").format(who=done.describe())

    def _enable(self, operator: Operator, approval: Approval | None, user: User) -> str:
        done = self.admin.enable(operator, user.username, approval)
        return self.tr("Enabled the account {who}.").format(who=done.describe())

    def _reset(self, operator: Operator, approval: Approval | None, user: User) -> str:
        reset = self.admin.reset_password(operator, user.username, approval)
        return self.tr(
            "Gave {who} a one-time password: {secret} — give it in person; it works once, to choose their own."
        ).format(who=reset.user.describe(), secret=reset.one_time_password)

    def _set_number(self, operator: Operator, approval: Approval | None, user: User) -> str:
        before = user.employee_number
        done = self.admin.set_employee_number(operator, user.username, self.number.text(), approval)
        self.number.clear()
        if before:
            return self.tr("The employee number of {who} is now {number} (it was {before}).").format(
                who=done.describe(), number=done.employee_number, before=before
            )
        return self.tr("The employee number of {who} is now {number}.").format(
            who=done.describe(), number=done.employee_number
        )

    def _change_role(self, operator: Operator, approval: Approval | None, user: User) -> str:
        other = Role.TECHNICIAN if user.role is Role.PHARMACIST else Role.PHARMACIST
        done = self.admin.change_role(operator, user.username, other, approval)
        return self.tr("{who} is now a {role}.").format(who=done.describe(), role=done.role.value)


__all__ = ["UsersWindow"]
