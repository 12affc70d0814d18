"""The main window's lock: every screen and every window it owns hidden behind the lock screen, and back.

:class:`ScreenLock` hides the stack's current screen (the wizard with it) and the windows the main window owns
(History, the practice codes, a question) behind :class:`~hemgenix_desktop.ui.lock.LockScreen`; after the unlock
everything comes back as it was, half-typed text and the focus included. The status bar shows nothing of the
hidden session while locked (its sentence comes back for the same person only). The audit events and the broken
signing session are the workstation session's (:class:`~hemgenix_desktop.services.session.WorkstationSession`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from hemgenix_desktop.ui.background import busy, when_idle

if TYPE_CHECKING:
    from hemgenix_desktop.services.shared_types import User
    from hemgenix_desktop.ui.main_window import MainWindow


class ScreenLock(QObject):
    """Locks and unlocks ``window`` (see the module's docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._locked_from: QWidget | None = None
        self._focus_before_lock: QWidget | None = None
        self._hidden_windows: list[QWidget] = []
        self._status_before_lock = ""  # the status bar's sentence (a sealed record's number): not shown while locked

    def is_locked(self) -> bool:
        window = self.window
        return getattr(window, "lock_screen", None) is not None and window.stack.currentWidget() is window.lock_screen

    def lock(self, sentence: str, audit_text: str) -> bool:
        """Hide everything but the lock screen (``sentence`` says why); False when nobody is signed in or it is
        locked already."""
        window = self.window
        user = window.user
        if user is None or self.is_locked():
            return False
        if busy():  # a password is being checked or the record sealed (ui/background.py): the lock follows it

            def lock_after() -> None:
                self.lock(sentence, audit_text)

            when_idle(lock_after)
            return True
        window.idle.stop()
        self._focus_before_lock = QApplication.focusWidget()
        self._locked_from = window.stack.currentWidget()
        self._hidden_windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and self._owns(w)]
        for hidden in self._hidden_windows:
            hidden.hide()
        self._hide_session_status()
        window.lock_screen.prepare(user, sentence)
        window.stack.setCurrentWidget(window.lock_screen)
        window.menus.set_signed_in(False)
        problem = window.session.lock(audit_text)
        if problem:
            window.lock_screen.show_notice(problem)
        window.lock_changed.emit(True)
        return True

    def _hide_session_status(self) -> None:
        """The status bar says nothing of the session the lock hides: its sentence (e.g. "Record HGX-… is sealed")
        is kept for the same person's unlock, and who is signed in is not shown (the lock screen says who was)."""
        window = self.window
        self._status_before_lock = window.statusBar().currentMessage()
        window.statusBar().clearMessage()
        window.signed_in_label.clear()
        window.signed_in_label.hide()

    def _show_session_status(self, took_over: bool) -> None:
        """After the unlock: the sentence back for the same person (another person's session did not say it)."""
        window = self.window
        if self._status_before_lock and not took_over and not window.statusBar().currentMessage():
            window.statusBar().showMessage(self._status_before_lock)
        self._status_before_lock = ""
        window.signed_in_label.show()

    def _owns(self, other: QWidget) -> bool:
        parent = other.parentWidget()
        while parent is not None:
            if parent is self.window:
                return True
            parent = parent.parentWidget()
        return False

    def unlocked(self, user: User) -> None:
        """``user`` signed in on the lock screen: everything as it was (a Settings window opened by another person
        is closed unsaved), audited, and the signing flow gets the new, broken session."""
        window = self.window
        previous = window.user
        window.stack.setCurrentWidget(self._locked_from or window.resume)
        self._locked_from = None
        took_over = previous is not None and previous.username != user.username
        self._show_session_status(took_over)
        settings = window.menus.settings_dialog
        for hidden in self._hidden_windows:
            if took_over and hidden is settings:  # opened by the previous person, in their name: not handed on
                hidden.close()
                window.statusBar().showMessage(
                    self.tr("The Settings window of {who} was closed unsaved; open Settings… again to use it.").format(
                        who=previous.describe() if previous is not None else ""
                    )
                )
                continue
            hidden.show()
        self._hidden_windows = []
        if self._focus_before_lock is not None and self._focus_before_lock.isVisible():
            self._focus_before_lock.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus_before_lock = None
        window.menus.set_signed_in(True)
        unlocked = window.session.unlock(user)  # audited; the lock broke the signing session (21 CFR 11.200)
        if unlocked.problem:
            window.statusBar().showMessage(unlocked.problem)
        window.show_user(user)
        session = window.signing_session()
        if window.signing is not None and session is not None:
            window.signing.set_session(session)
        window.idle.start()
        window.lock_changed.emit(False)


__all__ = ["ScreenLock"]
