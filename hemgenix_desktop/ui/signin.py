"""The sign-in screen, the username-and-password form it shares with the lock screen, and practice accounts.

Nothing is decided here: ``SignInService`` checks the password, counts failures, locks accounts and writes
every attempt to the audit trail; this screen shows its sentence (wrong password, locked, disabled) under the
form and forgets the password typed. The practice database starts empty at every start, so practice mode
creates its accounts itself (:func:`add_practice_users`); their names and password are shown on the practice
sign-in screen and in README.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.signin import LockoutPolicy, PasswordChangeRequired
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.ui.background import BusyState, Outcome, checking_password, load_ahead, run_busy
from hemgenix_desktop.ui.new_password import NewPasswordForm
from hemgenix_desktop.ui.widgets import (
    MessageLabel,
    PracticeBanner,
    enter_moves_to,
    field_label,
    hint_label,
    named,
    password_edit,
)

if TYPE_CHECKING:  # the screens are shown before the database (and these services) are open
    from hemgenix_desktop.security.signin import SignInService
    from hemgenix_desktop.security.users import UserAdmin
    from hemgenix_desktop.services.shared_types import User

CARD_WIDTH = 700

# The practice database's accounts (an in-memory database, new at every start: nothing reaches the pharmacy's).
PRACTICE_PASSWORD = "practice only"
PRACTICE_USERS: tuple[tuple[str, str, Role, str], ...] = (  # username, printed name, role, employee number
    ("practice.pharmacist", "Practice Pharmacist (demo)", Role.PHARMACIST, "DEMO-1"),
    ("practice.tech", "Practice Technician (demo)", Role.TECHNICIAN, "DEMO-2"),
    ("practice.verifier", "Practice Verifier (demo)", Role.PHARMACIST, "DEMO-3"),
)


def add_practice_users(admin: UserAdmin, workstation: str) -> list[User]:
    """Create the practice accounts in an empty practice database: the first one is its first pharmacist,
    who adds the others (every account is audited like a real one)."""
    (first_name, first_full, _role, first_number), *others = PRACTICE_USERS
    first = admin.add_first_pharmacist(
        first_name, first_full, PRACTICE_PASSWORD, workstation, employee_number=first_number
    )
    added = [first]
    for username, full_name, role, number in others:
        added.append(
            admin.add(username, full_name, role, PRACTICE_PASSWORD, first, workstation, employee_number=number)
        )
    return added


def practice_accounts_sentence() -> str:
    names = {role: [u for u, _f, r, _n in PRACTICE_USERS if r is role] for role in Role}
    return QCoreApplication.translate(
        "SignIn",
        "Practice accounts: {technicians} (technician), {pharmacists} (pharmacists). "
        "The password of each is “{password}”.",
    ).format(
        technicians=", ".join(names[Role.TECHNICIAN]),
        pharmacists=" and ".join(names[Role.PHARMACIST]),
        password=PRACTICE_PASSWORD,
    )


# --- layout shared by the sign-in, first-account and lock screens -------------------------------------------
def heading_label(text: str, object_name: str) -> QLabel:
    label = named(QLabel(text), object_name, text)
    label.setProperty("role", "heading")
    label.setWordWrap(True)
    return label


class CardScreen(QWidget):
    """A screen with one centred column of fixed width (a card), the practice mark above it in practice mode."""

    def __init__(self, object_name: str, accessible_name: str, *, practice: bool) -> None:
        super().__init__()
        named(self, object_name, accessible_name)  # styled by the main window's STYLE_SHEET
        screen = QVBoxLayout(self)
        screen.setContentsMargins(0, 0, 0, 0)
        if practice:
            screen.addWidget(PracticeBanner(f"{object_name}PracticeBanner"))
        scroll = QScrollArea()  # a low screen (720 px, or 150 % scaling) scrolls the card instead of cutting it
        scroll.setObjectName(f"{object_name}ScrollArea")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        inside = QWidget()
        outer = QVBoxLayout(inside)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.addStretch(1)
        self.card = QFrame()
        self.card.setObjectName(f"{object_name}Card")
        self.card.setFixedWidth(CARD_WIDTH)  # a fixed width lets wrapped sentences take the height they need
        self.column = QVBoxLayout(self.card)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(8)
        row = QHBoxLayout()  # (not an alignment: the card's wrapped text must be measured at the card's width)
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        scroll.setWidget(inside)
        screen.addWidget(scroll, 1)


class CredentialsForm(QWidget):
    """Username and password, one button, and the sentence under them. Enter in the username goes to the
    password; Enter in the password presses the button. ``submitted`` carries what was typed."""

    submitted = Signal(str, str)

    def __init__(self, prefix: str, button_name: str, button_text: str, message_accessible: str) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(4)
        self.username = named(QLineEdit(), f"{prefix}UsernameEdit", self.tr("Username"))
        self.username.setMaxLength(64)
        self.password = password_edit(f"{prefix}PasswordEdit", self.tr("Password"))
        column.addWidget(field_label(self.tr("Username"), self.username))
        column.addWidget(self.username)
        column.addSpacing(4)
        column.addWidget(field_label(self.tr("Password"), self.password))
        column.addWidget(self.password)
        column.addSpacing(6)
        self.button = named(QPushButton(button_text), button_name, button_text)
        self.button.setAutoDefault(True)
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = MessageLabel(f"{prefix}Message", message_accessible)
        column.addWidget(self.message)
        enter_moves_to(self.username, self.password)
        self.password.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.busy = BusyState([self.button], self.button)

    def run(self, text: str, call: Callable[[], User], shown: Callable[[Outcome[User]], None]) -> None:
        """Check what was typed off the GUI thread (``text`` on the button meanwhile); ``shown`` gets the outcome."""
        self.message.show_message(text, "status")
        run_busy(self, self.busy, text, call, shown)

    def submit(self) -> None:
        if self.busy.idle:  # Enter pressed again while the password is checked: once is enough
            self.submitted.emit(self.username.text(), self.password.text())

    def refuse(self, sentence: str) -> None:
        """Show why; the password typed is forgotten, the username kept."""
        self.message.show_message(sentence, "error")
        self.password.clear()
        self.focus_first_empty()

    def inform(self, sentence: str) -> None:
        self.message.show_message(sentence, "ok")

    def reset(self, username: str = "") -> None:
        self.username.setText(username)
        self.password.clear()
        self.message.clear_message()

    def focus_first_empty(self) -> None:
        target = self.password if self.username.text().strip() else self.username
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_opening(self, opening: bool) -> None:
        """While the database opens: the fields take typing, the button waits, a line says why."""
        if not self.busy.idle:
            return
        self.button.setEnabled(not opening)
        if opening:
            self.message.show_message(opening_sentence(), "status")
        elif self.message.text() in (opening_sentence(), still_opening_sentence()):
            self.message.clear_message()


def sign_in_with(service: SignInService, username: str, password: str, workstation: str) -> User:
    """After a new password was chosen at the sign-in: the sign-in with it."""
    return service.sign_in(username, password, workstation)


def opening_sentence() -> str:
    return QCoreApplication.translate("SignIn", "Opening the database…")


def still_opening_sentence() -> str:
    return QCoreApplication.translate(
        "SignIn", "The database is still opening. Wait a moment, then try again: what you typed is kept."
    )


def queued_sentence() -> str:
    return QCoreApplication.translate(
        "SignIn",
        "The database is still opening: you are signed in as soon as it is open (changing what you typed "
        "cancels that).",
    )


# The screens after a sign-in: the wizard (its pages) and the signatures (with QtPdf and Qt's print support). Some
# 50 ms of imports that the GUI thread would otherwise do after the sign-in and at Finish.
AFTER_SIGN_IN = ("hemgenix_desktop.ui.wizard", "hemgenix_desktop.ui.signing")


def ahead_of_the_session() -> tuple[Callable[[], object], ...]:
    """What the screens after a sign-in need, not loaded with the first screen, as steps for
    :func:`~hemgenix_desktop.ui.background.load_ahead`: the kit catalogue (and biip, which reads its GTINs), for the
    first page's dose, and each module of :data:`AFTER_SIGN_IN`."""
    return (_kit_catalogue, *(partial(importlib.import_module, module) for module in AFTER_SIGN_IN))


def _kit_catalogue() -> object:
    return importlib.import_module("hemgenix_desktop.domain.kits").kit_catalogue()


class SignInScreen(CardScreen):
    """Before anything else: username and password. Emits ``signed_in`` with the user."""

    signed_in = Signal(object)  # User

    def __init__(
        self, service: SignInService | None, workstation: str, *, practice: bool, lockout: LockoutPolicy | None = None
    ) -> None:
        """``service`` None: the database is still opening (``attach`` gives it); ``lockout`` is then the site's
        lockout numbers, for the sentence under the heading."""
        super().__init__("signInScreen", self.tr("Sign in"), practice=practice)
        self._service = service
        self._workstation = workstation
        if service is not None:
            lockout = service.lockout
        elif lockout is None:
            lockout = LockoutPolicy()
        self.column.addWidget(heading_label(self.tr("Sign in to Hemgenix Prep"), "signInHeading"))
        self.column.addWidget(
            hint_label(
                self.tr(
                    "Sign in with your own username and password. Everything you do is recorded under your name. "
                    "After {attempts} wrong passwords in a row your account is locked for {minutes} minutes."
                ).format(attempts=lockout.max_failures, minutes=lockout.lock_minutes)
            )
        )
        self.form = CredentialsForm(
            "signIn", "signInButton", self.tr("Sign in"), self.tr("Why the sign-in was refused")
        )
        self.form.submitted.connect(self.attempt)
        self.column.addWidget(self.form)
        if practice:
            self.column.addWidget(
                named(
                    hint_label(practice_accounts_sentence()),
                    "signInPracticeHint",
                    self.tr("The practice accounts and their password"),
                )
            )
        self.form.set_opening(service is None)
        # Enter pressed while the database opened: what was typed, checked once it is open (unless changed meanwhile)
        self._queued: tuple[str, str] | None = None
        self.form.username.textEdited.connect(self._drop_queued)
        self.form.password.textEdited.connect(self._drop_queued)
        # a one-time (or aged) password accepted: the person's own one next, then the sign-in with it
        self.change = NewPasswordForm("signIn", self.tr("Set my password and sign in"))
        self.change.done.connect(self._password_chosen)
        self.column.addWidget(self.change)

    def _password_chosen(self, user: User) -> None:
        self.form.reset()
        self.signed_in.emit(user)

    def attach(self, service: SignInService) -> None:
        """The database is open: signing in works from now on (what was typed stays). Enter pressed while it opened:
        the sign-in goes on by itself, on the next turn (once the window has chosen its screen), if this screen is
        still the one shown and what was typed has not changed."""
        self._service = service
        self.form.set_opening(False)
        if self._queued is not None:
            QTimer.singleShot(0, self, self._sign_in_queued)  # (not called if the screen is gone by then)

    def _sign_in_queued(self) -> None:
        queued, self._queued = self._queued, None
        if queued is None:
            return
        typed = (self.form.username.text(), self.form.password.text())
        if typed == queued and self.isVisibleTo(self.window()) and self.form.busy.idle:
            self.attempt(*queued)
        elif self.form.message.text() == queued_sentence():
            self.form.message.clear_message()

    def _drop_queued(self, _text: str = "") -> None:
        """What was typed changed after Enter while the database opened: that sign-in is not made; Enter again."""
        if self._queued is not None:
            self._queued = None
            self.form.message.show_message(still_opening_sentence(), "status")

    def attempt(self, username: str, password: str) -> None:
        """Check the password off the GUI thread (argon2id takes a while); then signed in, or the sentence why not.
        Before the database is open: remembered, and checked once it is (``attach``)."""
        service = self._service
        if service is None:  # Enter pressed before the database was open
            self._queued = (username, password)
            self.form.message.show_message(queued_sentence(), "status")
            return
        workstation = self._workstation
        self.form.run(
            self.tr("Checking password…"),
            lambda: checking_password(lambda: service.sign_in(username, password, workstation)),
            lambda outcome: self._checked(outcome, service, password),
        )
        # the next screens' modules, when nothing has loaded them yet: once the password is checked. argon2id runs
        # its lanes on every core; loading beside it made the check about 70 ms slower (benchmarks/usable_start.py)
        load_ahead(*ahead_of_the_session())

    def _checked(self, outcome: Outcome[User], service: SignInService, password: str) -> None:
        try:
            user = outcome.get()
        except PasswordChangeRequired as exc:  # the right one-time (or aged) password: the person chooses theirs
            self.form.message.show_message(exc.message, "status")
            self.form.password.clear()
            self.change.begin(service, self._workstation, exc.user.username, password, sign_in_with)
            return
        except InvalidInput as exc:  # wrong password, locked, disabled, empty fields
            self.form.refuse(exc.message)
            return
        except StorageError as exc:
            self.form.refuse(exc.message)
            return
        self.form.reset()
        self.signed_in.emit(user)

    def prepare(self, username: str = "", sentence: str = "") -> None:
        """Show the screen empty (or with a username and a sentence, e.g. after the first account was made)."""
        self._queued = None
        self.change.end()
        self.form.reset(username)
        if sentence:
            self.form.inform(sentence)
        elif self._service is None:
            self.form.set_opening(True)
        self.form.focus_first_empty()
