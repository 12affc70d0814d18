"""The idle lock: a watch on the user's input, and the lock screen that asks for a password again.

:class:`IdleWatch` sees every key press, click, wheel turn, touch and mouse move in the program (an event filter
on the application) and says ``idle`` after the site's idle time without any. The main window then shows the
:class:`LockScreen` in place of everything else: the wizard and every other screen are hidden (not covered),
so no patient data is on screen while it is locked. The lock screen shows no patient data itself: only who was
signed in. The same person or another one signs in to continue (``SignInService.unlock``, audited); what was
entered, even half typed, is still there, because nothing was closed. A one-time (or too old) password is right but
not enough: as at the sign-in, the person chooses their own there (the sign-in's form, :mod:`ui.new_password`),
and the unlock is made with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.security.signin import PasswordChangeRequired
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.ui.background import Outcome, busy
from hemgenix_desktop.ui.new_password import NewPasswordForm
from hemgenix_desktop.ui.signin import CardScreen, CredentialsForm, heading_label
from hemgenix_desktop.ui.widgets import MessageLabel, hint_label, named

if TYPE_CHECKING:  # the database modules load with the database, after the first screen
    from hemgenix_desktop.security.signin import SignInService
    from hemgenix_desktop.services.shared_types import User

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)


class IdleWatch(QObject):
    """Emits ``idle`` once ``timeout_ms`` pass without user input while it runs (``start``/``stop``)."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, timeout_ms))
        self.timer.timeout.connect(self._timed_out)
        self._watching = False  # the watch runs: the filter is on the application (each event costs)
        self._paused = 0  # screens being built (``paused``): the filter is off meanwhile
        self._resting = False  # input was seen in this turn of the event loop: the filter is off until the next
        self._filtering = False

    @property
    def timeout_ms(self) -> int:
        return self.timer.interval()

    def start(self) -> None:
        self._watching = True
        self._set_filter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._watching = False
        self._set_filter()

    def _set_filter(self) -> None:
        """The filter on the application while the watch runs and no screen is being built, else off."""
        app = QCoreApplication.instance()
        wanted = self._watching and not self._paused and not self._resting and app is not None
        if app is not None and wanted != self._filtering:
            if wanted:
                app.installEventFilter(self)
            else:
                app.removeEventFilter(self)
            self._filtering = wanted

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The filter off while the GUI thread builds and shows a screen (the wizard, the signing flow). A build
        sends thousands of events (a new child, a polish, a layout, a show: about 4,000 for the wizard), each
        through this filter in Python (some 2 µs each: 10–30 ms of the GUI thread at each sign-in), and none of
        them is input: input is delivered by the event loop, which does not run until the build returns. The idle
        time runs on meanwhile, so a pause can only make the lock come sooner, never later."""
        self._paused += 1
        self._set_filter()
        try:
            yield
        finally:
            self._paused -= 1
            self._set_filter()

    def running(self) -> bool:
        return self.timer.isActive()

    def _timed_out(self) -> None:
        """Idle long enough; while a password is checked or a record sealed (ui/background.py), the lock waits
        for it (checked again every 200 ms), so that it never falls in the middle of a signature."""
        if busy():
            QTimer.singleShot(200, self._timed_out_again)
            return
        self.idle.emit()

    def _timed_out_again(self) -> None:
        if self._watching and not self.timer.isActive():  # not stopped, nor restarted by input, meanwhile
            self._timed_out()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # input: the idle time starts again
            self._rest()
        return False

    def _rest(self) -> None:
        """Input was seen: the filter is off until the event loop turns again. What the input sets off (a Next that
        saves and shows the next page, a click that opens a screen) sends hundreds of events, each through this
        filter in Python, and none of them is input, which only the event loop delivers; it is delivered again
        after this turn's work (``_wake``: queued, so it runs when the loop, or a dialog's, turns). The idle time
        started again at this input, so the rest can only make the lock come sooner, by this turn's work."""
        if self._resting:
            return
        self._resting = True
        self._set_filter()  # (Qt allows an event filter to be removed while it runs)
        QTimer.singleShot(0, self, self._wake)

    def _wake(self) -> None:
        self._resting = False
        self._set_filter()


def idle_audit_text(minutes: int) -> str:
    """Why the screen locked, in the audit trail's words (English, as every event's summary)."""
    return f"The screen locked after {minutes} minute{'' if minutes == 1 else 's'} without input"


def idle_sentence(minutes: int) -> str:
    """Why the screen locked, on the lock screen (translated)."""
    if minutes == 1:  # the site may set 1 (to 60)
        return QCoreApplication.translate(
            "LockScreen", "The screen locked after 1 minute without input, to keep patient data private."
        )
    return QCoreApplication.translate(
        "LockScreen",
        "The screen locked after {minutes} minutes without input, to keep patient data private.",
    ).format(minutes=minutes)


class LockScreen(CardScreen):
    """ "The screen is locked": username and password to continue. Emits ``unlocked`` with the user."""

    unlocked = Signal(object)  # User

    def __init__(self, service: SignInService, workstation: str, *, practice: bool) -> None:
        super().__init__("lockScreen", self.tr("The screen is locked"), practice=practice)
        self._service = service
        self._workstation = workstation
        self.column.addWidget(heading_label(self.tr("The screen is locked"), "lockHeading"))
        self.reason = named(hint_label(""), "lockReasonLabel", self.tr("Why the screen is locked"))
        self.column.addWidget(self.reason)
        self.who = named(hint_label(""), "lockSignedInLabel", self.tr("Who was signed in"))
        self.column.addWidget(self.who)
        self.column.addWidget(
            hint_label(
                self.tr(
                    "Sign in to continue where the work stopped: the same person or another one. Nothing entered "
                    "is lost."
                )
            )
        )
        self.form = CredentialsForm("lock", "lockUnlockButton", self.tr("Unlock"), self.tr("Why unlocking was refused"))
        self.form.submitted.connect(self.attempt)
        self.column.addWidget(self.form)
        # a one-time (or aged) password accepted: the person's own one next, then the unlock with it
        self.change = NewPasswordForm("lock", self.tr("Set my password and unlock"))
        self.change.done.connect(self._password_chosen)
        self.column.addWidget(self.change)
        self.notice = MessageLabel("lockNoticeMessage", self.tr("A problem with the lock itself"), "status")
        self.column.addWidget(self.notice)

    def prepare(self, previous: User, reason: str) -> None:
        self.reason.setText(reason)
        self.who.setText(self.tr("Signed in before the lock: {who}.").format(who=previous.describe()))
        self.form.reset(previous.username)
        self.change.end()
        self.notice.clear_message()
        self.form.focus_first_empty()

    def show_notice(self, sentence: str) -> None:
        self.notice.show_message(sentence)

    def attempt(self, username: str, password: str) -> None:
        """Check the password off the GUI thread (:mod:`hemgenix_desktop.ui.background`); then unlocked, or why not."""
        service, workstation = self._service, self._workstation
        self.change.end()  # (another attempt: a new password half chosen before it is not kept)
        self.form.run(
            self.tr("Checking password…"),
            lambda: service.unlock(username, password, workstation),
            lambda outcome: self._checked(outcome, password),
        )

    def _checked(self, outcome: Outcome[User], password: str) -> None:
        try:
            user = outcome.get()
        except PasswordChangeRequired as exc:  # the right one-time (or aged) password: the person chooses theirs
            self.form.message.show_message(exc.message, "status")
            self.form.password.clear()
            self.change.begin(self._service, self._workstation, exc.user.username, password, unlock_with)
            return
        except (InvalidInput, StorageError) as exc:
            self.form.refuse(exc.message)
            return
        self.form.reset()
        self.unlocked.emit(user)

    def _password_chosen(self, user: User) -> None:
        """The new password is set and the unlock made with it: as any unlock (the same person, or a take-over)."""
        self.form.reset()
        self.unlocked.emit(user)


def unlock_with(service: SignInService, username: str, password: str, workstation: str) -> User:
    """After a new password was chosen on the lock screen: the unlock with it."""
    return service.unlock(username, password, workstation)


__all__ = ["INPUT_EVENTS", "IdleWatch", "LockScreen", "idle_audit_text", "idle_sentence"]
