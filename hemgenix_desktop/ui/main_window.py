"""The main window: one stack of screens, sign-in → unfinished preparations → the wizard → ready for signatures,
with the idle lock over all of them.

* **Start**: no account yet → the first pharmacist's account (:mod:`ui.first_user`); then the sign-in screen
  (:mod:`ui.signin`).
* **After sign-in**: unfinished preparations (drafts) → the Resume screen (:mod:`ui.resume`); none → a new
  preparation at once.
* **Autosave**: the wizard's ``on_page_committed`` hook. The first page committed starts the preparation in the
  store (``Store.start_preparation``), every later one saves the draft (``Store.save_draft``) at the page to
  resume at. The database's guards (one dose per patient, one carton per preparation) refuse there, and the
  page shows the store's sentence as a stop and does not advance. ``autosaved(id, step)`` follows each save.
* **Idle lock** (:mod:`ui.lock`): after the site's idle time without input, or "Lock the screen", the stack
  shows the lock screen: every other screen (the wizard with it) is hidden, and so are the windows this window
  owns (History, the practice codes, a question). The same user or another one signs in again and everything
  comes back as it was, half-typed text included. Both are written to the audit trail.
* **History** (:mod:`ui.history`): the menu, or the Resume screen's button.

**Extension point**: :meth:`MainWindow.on_wizard_finished` runs when the wizard's Finish (after Review) was
accepted, the reviewed draft already saved. Replace it to go on to the signatures; ``session_changed`` says who
is signed in after a sign-in or an unlock (a new session, 21 CFR 11.200).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop import config
from hemgenix_desktop.config import Settings
from hemgenix_desktop.domain.checks import Checklist, load_checklist
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Signer
from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.security.signin import IdleLockPolicy, LockoutPolicy, SignInService
from hemgenix_desktop.security.users import UserAdmin
from hemgenix_desktop.storage import PreparationStatus, StorageError, Store, User, short_id
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.first_user import FirstUserScreen
from hemgenix_desktop.ui.history import HistoryWindow
from hemgenix_desktop.ui.lock import IdleWatch, LockScreen, idle_sentence
from hemgenix_desktop.ui.resume import ResumeScreen
from hemgenix_desktop.ui.signin import CardScreen, SignInScreen, heading_label
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import MessageLabel, hint_label, named
from hemgenix_desktop.ui.wizard import PreparationWizard

REVIEW_FINISHED = "review_finished"  # the audit action of a finished review
SCREEN_LOCKED = "screen_locked"
SCREEN_UNLOCKED = "screen_unlocked"


@dataclass
class AppServices:
    """What the main window works with: the store, the password checks, and this workstation's settings."""

    store: Store
    sign_in: SignInService
    admin: UserAdmin
    workstation: str
    practice: bool = False
    gs_standin: str | None = None
    idle_minutes: int = IdleLockPolicy().idle_minutes
    idle_lock_ms: int | None = None  # None: idle_minutes; tests give a few milliseconds
    checklist: Checklist = field(default_factory=load_checklist)
    now: Callable[[], datetime] | None = None  # the wizard's clock (None: the computer's)
    tz: tzinfo | None = None  # the zone times are shown in (None: the computer's)

    @classmethod
    def from_settings(
        cls, store: Store, settings: Settings, *, practice: bool, gs_standin: str | None = None
    ) -> AppServices:
        """The services of this workstation, with the site's lockout and idle-lock numbers."""
        return cls(
            store=store,
            sign_in=SignInService(store, lockout=LockoutPolicy.from_settings(settings)),
            admin=UserAdmin(store),
            workstation=config.workstation_name(),
            practice=practice,
            gs_standin=gs_standin,
            idle_minutes=IdleLockPolicy.from_settings(settings).idle_minutes,
        )

    @property
    def lock_after_ms(self) -> int:
        return self.idle_lock_ms if self.idle_lock_ms is not None else IdleLockPolicy(self.idle_minutes).timeout_ms


class ReadyScreen(CardScreen):
    """After the review: the preparation is saved and waits for its signatures."""

    home_requested = Signal()

    def __init__(self, *, practice: bool) -> None:
        super().__init__("readyScreen", self.tr("Ready for signatures"), practice=practice)
        self.column.addWidget(heading_label(self.tr("Ready for signatures"), "readyHeading"))
        self.summary = named(QLabel(), "readySummaryLabel", self.tr("The reviewed preparation"))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.column.addWidget(self.summary)
        self.column.addWidget(
            hint_label(
                self.tr(
                    "The next step is the signatures: the preparer signs, then a pharmacist checks independently "
                    "and signs as verifier. Until then the preparation stays on the list of unfinished "
                    "preparations, and nobody can start a second one for this patient."
                )
            )
        )
        self.message = MessageLabel("readyMessage", self.tr("A problem saving the end of the review"))
        self.column.addWidget(self.message)
        self.home_button = named(
            QPushButton(self.tr("Back to the preparations")), "readyHomeButton", self.tr("Back to the preparations")
        )
        self.home_button.clicked.connect(self.home_requested)
        self.column.addWidget(self.home_button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_preparation(self, prep: Preparation, problem: str = "") -> None:
        order, dose, carton = prep.order, prep.dose, prep.carton
        lines = [self.tr("Preparation {id} is reviewed and saved.").format(id=short_id(prep.id))]
        if order is not None:
            patient = order.patient
            lines.append(
                self.tr("Patient: {name}, born {born}, MRN {mrn}.").format(
                    name=patient.full_name, born=patient.date_of_birth.isoformat(), mrn=patient.mrn
                )
            )
        if dose is not None:
            lines.append(
                self.tr("Dose: {ml} mL from {vials} vials ({weight}).").format(
                    ml=dose.dose_ml, vials=dose.vials, weight=dose.weight.describe()
                )
            )
        if carton is not None:
            lines.append(
                self.tr("Carton: kit {ndc}, lot {lot}, serial {serial}.").format(
                    ndc=carton.ndc10, lot=carton.lot, serial=carton.serial
                )
            )
        self.summary.setText("\n".join(lines))
        self.message.show_message(problem)


class MainWindow(QMainWindow):
    """Hemgenix Prep's one window (see the module's docstring)."""

    autosaved = Signal(str, str)  # preparation id, the step it was saved at (where it resumes)
    session_changed = Signal(object)  # the User signed in now: after a sign-in, and after every unlock
    lock_changed = Signal(bool)  # True: locked

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.practice = services.practice
        self.user: User | None = None
        self.wizard: PreparationWizard | None = None
        self.history: HistoryWindow | None = None
        self._stored = False  # the wizard's preparation is in the store already
        self._wizard_open = False  # a preparation is being entered (not finished, not left)
        self._locked_from: QWidget | None = None
        self._focus_before_lock: QWidget | None = None
        self._hidden_windows: list[QWidget] = []
        self._may_close = False

        named(self, "mainWindow", self.tr("Hemgenix Prep"))
        title = self.tr("Hemgenix Prep")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if self.practice else title)
        self.setStyleSheet(STYLE_SHEET)
        store, ws = services.store, services.workstation

        self.stack = named(QStackedWidget(), "mainStack", self.tr("Hemgenix Prep screens"))
        self.setCentralWidget(self.stack)
        self.first_user = FirstUserScreen(services.admin, ws, practice=self.practice)
        self.first_user.created.connect(self._first_user_created)
        self.sign_in = SignInScreen(services.sign_in, ws, practice=self.practice)
        self.sign_in.signed_in.connect(self._signed_in)
        self.resume = ResumeScreen(store, ws, lambda: self.user, practice=self.practice, tz=services.tz)
        self.resume.resume_requested.connect(self.resume_preparation)
        self.resume.start_new_requested.connect(self.start_new)
        self.resume.history_requested.connect(self.show_history)
        self.wizard_host = QWidget()
        self.wizard_host.setObjectName("wizardHost")
        self._wizard_layout = QVBoxLayout(self.wizard_host)
        self._wizard_layout.setContentsMargins(0, 0, 0, 0)
        self.ready = ReadyScreen(practice=self.practice)
        self.ready.home_requested.connect(self.show_home)
        self.lock_screen = LockScreen(services.sign_in, ws, practice=self.practice)
        self.lock_screen.unlocked.connect(self._unlocked)
        for screen in (self.first_user, self.sign_in, self.resume, self.wizard_host, self.ready, self.lock_screen):
            self.stack.addWidget(screen)

        self._build_menu()
        self.signed_in_label = named(QLabel(), "mainSignedInLabel", self.tr("Who is signed in"))
        self.statusBar().setObjectName("mainStatusBar")
        self.statusBar().addPermanentWidget(self.signed_in_label)

        self.idle = IdleWatch(services.lock_after_ms, self)
        self.idle.idle.connect(self.idle_lock)
        self.resize(1280, 820)
        self.start()

    def _build_menu(self) -> None:
        bar = self.menuBar()
        named(bar, "mainMenuBar", self.tr("Menu bar"))
        menu = bar.addMenu(self.tr("&Hemgenix Prep"))
        named(menu, "mainMenu", self.tr("Hemgenix Prep menu"))
        self.history_action = QAction(self.tr("&History…"), self)
        self.history_action.setObjectName("historyAction")
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.triggered.connect(self.show_history)
        self.lock_action = QAction(self.tr("&Lock the screen"), self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_now)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setObjectName("quitAction")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.history_action, self.lock_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(quit_action)
        self._set_signed_in_actions(False)

    def _set_signed_in_actions(self, enabled: bool) -> None:
        self.history_action.setEnabled(enabled)
        self.lock_action.setEnabled(enabled)

    # --- start and sign-in ---------------------------------------------------------------------------------
    def start(self) -> None:
        """The first screen: the first account when there is none, else the sign-in."""
        try:
            needs_first = self.services.admin.needs_first_user()
        except StorageError as exc:
            self.sign_in.prepare()
            self.sign_in.form.refuse(exc.message)
            self.stack.setCurrentWidget(self.sign_in)
            return
        if needs_first:
            self.stack.setCurrentWidget(self.first_user)
            self.first_user.focus_first()
        else:
            self.sign_in.prepare()
            self.stack.setCurrentWidget(self.sign_in)

    def _first_user_created(self, user: User) -> None:
        self.sign_in.prepare(
            user.username,
            self.tr("The account {who} was created. Sign in with it to begin.").format(who=user.describe()),
        )
        self.stack.setCurrentWidget(self.sign_in)

    def _signed_in(self, user: User) -> None:
        self._set_user(user)
        self._set_signed_in_actions(True)
        self.idle.start()
        if self.resume.reload() and not self.resume.summaries:
            self.start_new()
        else:
            self.stack.setCurrentWidget(self.resume)

    def _set_user(self, user: User) -> None:
        self.user = user
        self.signed_in_label.setText(
            self.tr("Signed in: {who}, {role} · workstation {workstation}").format(
                who=user.describe(), role=user.role.value, workstation=self.services.workstation
            )
        )
        self.session_changed.emit(user)

    def _signer(self) -> Signer | None:
        return self.user.signer() if self.user is not None else None

    # --- the list and the wizard ---------------------------------------------------------------------------
    def show_home(self) -> None:
        """The unfinished preparations (with Start new), read again."""
        self._drop_wizard()
        self.resume.reload()
        self.stack.setCurrentWidget(self.resume)

    def start_new(self) -> PreparationWizard | None:
        return self.open_wizard(Preparation(practice=self.practice), stored=False)

    def resume_preparation(self, prep_id: str) -> PreparationWizard | None:
        """Open the wizard on the saved preparation, at its saved step."""
        store = self.services.store
        try:
            summary = store.summary(prep_id)
            if summary.status is not PreparationStatus.DRAFT:
                raise InvalidInput(
                    self.tr(
                        "Preparation {id} for {patient} is no longer unfinished (it is {status} now, perhaps at another "
                        "workstation). Open it from the History window."
                    ).format(id=summary.short_id, patient=summary.patient_name, status=summary.status.value)
                )
            prep = store.load(prep_id)
        except (DomainError, StorageError) as exc:
            self.resume.reload()
            self.resume.show_problem(exc.message)
            self.stack.setCurrentWidget(self.resume)
            return None
        return self.open_wizard(prep, stored=True)

    def open_wizard(self, prep: Preparation, *, stored: bool) -> PreparationWizard | None:
        self._drop_wizard()
        s = self.services
        try:
            wizard = PreparationWizard(
                prep,
                practice=self.practice,
                gs_standin=s.gs_standin,
                on_page_committed=self._autosave,
                now=s.now,
                tz=s.tz,
                checklist=s.checklist,
                attribute_to=self._signer,
            )
        except DomainError as exc:
            self.resume.reload()
            self.resume.show_problem(exc.message)
            self.stack.setCurrentWidget(self.resume)
            return None
        self.wizard, self._stored, self._wizard_open = wizard, stored, True
        self._wizard_layout.addWidget(wizard)
        wizard.accepted.connect(lambda: self._wizard_accepted(wizard))
        wizard.rejected.connect(lambda: self._wizard_rejected(wizard))
        self.stack.setCurrentWidget(self.wizard_host)
        wizard.show()
        return wizard

    def _drop_wizard(self) -> None:
        wizard, self.wizard, self._wizard_open = self.wizard, None, False
        if wizard is not None:
            self._wizard_layout.removeWidget(wizard)
            wizard.hide()
            wizard.deleteLater()

    def _autosave(self, prep: Preparation, _key: str) -> None:
        """The wizard's hook: save the page just committed (a refusal keeps the wizard on the page)."""
        user = self.user
        if user is None:  # pragma: no cover - the wizard is shown only to a signed-in user
            raise InvalidInput(self.tr("Nobody is signed in, so nothing can be saved. Sign in again."))
        store, ws = self.services.store, self.services.workstation
        try:
            if self._stored:
                store.save_draft(prep, prep.step, user, ws)
            else:
                store.start_preparation(prep, user, ws)
                self._stored = True
        except StorageError as exc:  # the database could not be written: the page says so and stays
            raise InvalidInput(exc.message) from exc
        self.autosaved.emit(prep.id, prep.step)

    def _wizard_accepted(self, wizard: PreparationWizard) -> None:
        if wizard is self.wizard:
            self._wizard_open = False
            self.on_wizard_finished(wizard.preparation)

    def _wizard_rejected(self, wizard: PreparationWizard) -> None:
        if wizard is self.wizard:
            self.show_home()

    def on_wizard_finished(self, prep: Preparation) -> None:
        """EXTENSION POINT, replace to go on to the signatures. Runs after the wizard's Finish on the Review page
        was accepted; the autosave has already saved the reviewed draft at step "review" (so it resumes at the
        review). Here: the end of the review is written to the audit trail, and the "Ready for signatures"
        screen is shown."""
        problem = ""
        user = self.user
        if user is not None:
            try:
                self.services.store.record_event(
                    user,
                    self.services.workstation,
                    REVIEW_FINISHED,
                    f"{user.describe()} finished the review of preparation {short_id(prep.id)}; it is ready for "
                    "signatures.",
                    preparation_id=prep.id,
                )
            except (DomainError, StorageError) as exc:
                problem = exc.message
        self.ready.show_preparation(prep, problem)
        self.stack.setCurrentWidget(self.ready)

    # --- history -------------------------------------------------------------------------------------------
    def show_history(self) -> HistoryWindow | None:
        if self.user is None or self.is_locked():
            return None
        if self.history is None:
            self.history = HistoryWindow(self.services.store, practice=self.practice, tz=self.services.tz, parent=self)
        self.history.search()
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()
        return self.history

    # --- the lock ------------------------------------------------------------------------------------------
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_screen

    def idle_lock(self) -> bool:
        return self.lock(
            idle_sentence(self.services.idle_minutes),
            f"The screen locked after {self.services.idle_minutes} minutes without input",
        )

    def lock_now(self) -> bool:
        who = self.user.describe() if self.user is not None else ""
        return self.lock(self.tr("{who} locked the screen.").format(who=who), f"{who} locked the screen")

    def lock(self, sentence: str, audit_text: str) -> bool:
        """Hide everything but the lock screen (``sentence`` says why); False when nobody is signed in or it is
        locked already."""
        user = self.user
        if user is None or self.is_locked():
            return False
        self.idle.stop()
        self._focus_before_lock = QApplication.focusWidget()
        self._locked_from = self.stack.currentWidget()
        self._hidden_windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and self._owns(w)]
        for window in self._hidden_windows:
            window.hide()
        self.lock_screen.prepare(user, sentence)
        self.stack.setCurrentWidget(self.lock_screen)
        self._set_signed_in_actions(False)
        try:
            self.services.store.record_event(
                user, self.services.workstation, SCREEN_LOCKED, f"{audit_text}; {user.describe()} was signed in."
            )
        except StorageError as exc:
            self.lock_screen.show_notice(exc.message)
        self.lock_changed.emit(True)
        return True

    def _owns(self, window: QWidget) -> bool:
        parent = window.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    def _unlocked(self, user: User) -> None:
        previous = self.user
        self.stack.setCurrentWidget(self._locked_from or self.resume)
        self._locked_from = None
        for window in self._hidden_windows:
            window.show()
        self._hidden_windows = []
        if self._focus_before_lock is not None and self._focus_before_lock.isVisible():
            self._focus_before_lock.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus_before_lock = None
        self._set_signed_in_actions(True)
        summary = f"{user.describe()} unlocked the screen"
        if previous is not None and previous.username != user.username:
            summary += f" and took over from {previous.describe()}"
        try:
            self.services.store.record_event(user, self.services.workstation, SCREEN_UNLOCKED, summary + ".")
        except StorageError as exc:
            self.statusBar().showMessage(exc.message)
        self._set_user(user)
        self.idle.start()
        self.lock_changed.emit(False)

    # --- leaving -------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._wizard_open and not self._may_close:
            event.ignore()
            msgbox.ask(
                self,
                self.tr("Quit Hemgenix Prep?"),
                self.tr(
                    "The pages completed with Next are saved: the preparation can be resumed after signing in "
                    "again. What was typed on the page open now is lost."
                ),
                self.quit_without_asking,
                yes_text=self.tr("Quit"),
                no_text=self.tr("Stay"),
            )
            return
        self.idle.stop()
        if self.history is not None:
            self.history.close()
        super().closeEvent(event)

    def quit_without_asking(self) -> None:
        """Close at once: the person was asked already (or the program is ending)."""
        self._may_close = True
        self.close()


__all__ = ["REVIEW_FINISHED", "SCREEN_LOCKED", "SCREEN_UNLOCKED", "AppServices", "MainWindow", "ReadyScreen"]
