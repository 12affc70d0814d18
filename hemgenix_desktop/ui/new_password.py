"""The new-password form that the sign-in and the lock screen share, after a one-time (or too old) password.

``SignInService`` refuses such a password with ``PasswordChangeRequired``: it was right, but the person must choose
their own before going on. :class:`NewPasswordForm` asks for it twice, changes it
(``SignInService.change_password``, audited) and then finishes what the person was doing with the new password: the
sign-in, or the unlock (``then``). Nothing is decided here; the service's sentence shows under the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.security.passwords import check_repeated
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.ui.background import BusyState, Outcome, run_busy
from hemgenix_desktop.ui.widgets import MessageLabel, enter_moves_to, field_label, named, password_edit

if TYPE_CHECKING:
    from hemgenix_desktop.security.signin import SignInService
    from hemgenix_desktop.services.shared_types import User

# After the change: the sign-in (or the unlock) with the new password (service, username, new password, workstation)
Then = Callable[["SignInService", str, str, str], "User"]


class NewPasswordForm(QWidget):
    """New password, the same again, one button (``button_text``) and the sentence under them; hidden until
    :meth:`begin`. Emits ``done`` with the user signed in (or unlocked) on the new password."""

    done = Signal(object)  # User

    def __init__(self, prefix: str, button_text: str) -> None:
        super().__init__()
        named(self, f"{prefix}ChangePanel", self.tr("Choose your own password"))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        self.new_password = password_edit(f"{prefix}NewPasswordEdit", self.tr("New password"))
        self.new_repeat = password_edit(f"{prefix}NewRepeatEdit", self.tr("New password again"))
        column.addWidget(field_label(self.tr("New password (yours only: nobody else knows it)"), self.new_password))
        column.addWidget(self.new_password)
        column.addWidget(field_label(self.tr("New password again"), self.new_repeat))
        column.addWidget(self.new_repeat)
        self.button = named(QPushButton(button_text), f"{prefix}ChangeButton", self.tr("Set my password"))
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = MessageLabel(f"{prefix}ChangeMessage", self.tr("Why the new password was refused"))
        column.addWidget(self.message)
        self.hide()
        enter_moves_to(self.new_password, self.new_repeat)
        self.new_repeat.returnPressed.connect(self.choose)
        self.button.clicked.connect(self.choose)
        self.busy = BusyState([self.button], self.button)
        self._pending: tuple[SignInService, str, str, str, Then] | None = None

    def begin(self, service: SignInService, workstation: str, username: str, current: str, then: Then) -> None:
        """``username``'s one-time (or aged) password ``current`` was right: the fields shown, the keyboard in the
        first; ``then`` finishes with the new password once it is set."""
        self._pending = (service, workstation, username, current, then)
        self.new_password.clear()
        self.new_repeat.clear()
        self.message.clear_message()
        self.show()
        self.new_password.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self) -> None:
        """The person's own new password, twice; then ``then``. The passwords are hashed and checked off the GUI
        thread (:mod:`hemgenix_desktop.ui.background`)."""
        if self._pending is None:
            return
        service, workstation, username, current, then = self._pending
        new, repeated = self.new_password.text(), self.new_repeat.text()

        def change() -> User:
            check_repeated(new, repeated)
            service.change_password(username, current, new, workstation)
            return then(service, username, new, workstation)

        run_busy(self, self.busy, self.tr("Setting your password…"), change, self._chosen)

    def _chosen(self, outcome: Outcome[User]) -> None:
        try:
            user = outcome.get()
        except (InvalidInput, StorageError) as exc:
            self.message.show_message(exc.message, "error")
            self.new_password.clear()
            self.new_repeat.clear()
            self.new_password.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.end()
        self.done.emit(user)

    def end(self) -> None:
        """Hidden again, nothing typed kept."""
        self._pending = None
        self.new_password.clear()
        self.new_repeat.clear()
        self.message.clear_message()
        self.hide()


__all__ = ["NewPasswordForm"]
