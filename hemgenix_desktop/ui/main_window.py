"""The main window: one stack of screens, sign-in → unfinished preparations → the wizard → the signatures and the
sealed record, with the idle lock over all of them.

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
* **Signatures** (:mod:`ui.signing`): the wizard's Finish (after Review, the reviewed draft already saved)
  writes ``review_finished`` to the audit trail and puts a ``SigningFlow`` for the preparation into the stack:
  preparer, overrides, the independent pharmacist's blind check, sealing, print and save. Its Close goes back
  to the Resume screen. The flow gets this window's signing session (21 CFR 11.200): one per sign-in, so the
  first signature of the session takes username and password and later ones the password; after an unlock the
  session is a new, non-continuous one (``SigningSession(user, continuous=False)``) and the flow asks for both
  again (a verifier who had signed in signs in again).
* **Resume**: a draft opens in the wizard at its saved step (one saved at Review: Finish goes on to the
  signatures, and the flow reads back those already given); a preparation that is signed but not sealed (the
  program stopped while sealing) opens in the flow, which seals it.
* **History** (:mod:`ui.history`): the menu, or the Resume screen's button; a sealed preparation's record and
  label can be reprinted there (marked COPY, audited).
* **Menus**: History…, Lock the screen, Settings… (:mod:`ui.settings_dialog`), Quit; Help → About Hemgenix Prep
  (:mod:`ui.about`: versions, licence, third-party notices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hemgenix_desktop import PRACTICE_MARK, config
from hemgenix_desktop.config import Settings
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.security.passwords import PasswordPolicy
from hemgenix_desktop.security.signin import IdleLockPolicy, LockoutPolicy
from hemgenix_desktop.storage import PreparationStatus, StorageError
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.first_user import FirstUserScreen
from hemgenix_desktop.ui.identity import app_icon
from hemgenix_desktop.ui.lock import IdleWatch, LockScreen, idle_sentence
from hemgenix_desktop.ui.signin import SignInScreen
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import named

if TYPE_CHECKING:  # loaded where first used, so the first screen shows before the database and wizard libraries
    from hemgenix_desktop.domain.preparation import Preparation
    from hemgenix_desktop.domain.signing import Signer
    from hemgenix_desktop.services.drafting import Drafting
    from hemgenix_desktop.services.sealing import Amending
    from hemgenix_desktop.services.session import WorkstationSession
    from hemgenix_desktop.services.signing import SigningSession
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.storage import User
    from hemgenix_desktop.ui.about import AboutBox
    from hemgenix_desktop.ui.correction import CorrectionScreen
    from hemgenix_desktop.ui.history import HistoryWindow
    from hemgenix_desktop.ui.printing import PrinterBackend
    from hemgenix_desktop.ui.resume import ResumeScreen
    from hemgenix_desktop.ui.settings_dialog import SettingsDialog
    from hemgenix_desktop.ui.signing import SigningFlow
    from hemgenix_desktop.ui.wizard import PreparationWizard


@dataclass(frozen=True)
class WindowStart:
    """What the window needs to show its first screen before the database is open (``MainWindow(start=...)``):
    which screen (the first account's, or the sign-in), and the numbers those screens state."""

    first_user: bool  # True: no account exists yet
    workstation: str
    practice: bool = False
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    lock_after_ms: int = IdleLockPolicy().timeout_ms
    tz: tzinfo | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, practice: bool, first_user: bool) -> WindowStart:
        """As :meth:`Workstation.from_settings` will have it once the database is open."""
        return cls(
            first_user=first_user,
            workstation=config.workstation_name(),
            practice=practice,
            lockout=LockoutPolicy.from_settings(settings),
            lock_after_ms=IdleLockPolicy.from_settings(settings).timeout_ms,
        )

    @classmethod
    def of(cls, services: Workstation) -> WindowStart:
        return cls(
            first_user=False,  # not used: with its services the window asks the database (``start``)
            workstation=services.workstation,
            practice=services.practice,
            lockout=services.sign_in.lockout,
            password_policy=services.admin.policy,
            lock_after_ms=services.lock_after_ms,
            tz=services.tz,
        )


class MainWindow(QMainWindow):
    """Hemgenix Prep's one window (see the module's docstring)."""

    autosaved = Signal(str, str)  # preparation id, the step it was saved at (where it resumes)
    session_changed = Signal(object)  # the User signed in now: after a sign-in, and after every unlock
    lock_changed = Signal(bool)  # True: locked

    services: Workstation  # set by ``attach`` (at once when given to the constructor)
    session: WorkstationSession  # who is signed in, the signing session, the lock: made by ``attach``
    resume: ResumeScreen  # made by ``attach``, with the lock screen
    lock_screen: LockScreen

    def __init__(
        self,
        services: Workstation | None = None,
        parent: QWidget | None = None,
        *,
        start: WindowStart | None = None,
        printer: PrinterBackend | None = None,
    ) -> None:
        """With ``services``: ready at once. With ``start`` instead: the first screen it names is shown while the
        database opens (the fields take typing, the button waits), and ``attach`` gives the services. ``printer``:
        the printers (None: this computer's, through Qt's print support)."""
        super().__init__(parent)
        begin = WindowStart.of(services) if services is not None else start
        if begin is None:
            raise TypeError("MainWindow needs its services, or what to show until they are ready")
        self.practice = begin.practice
        self._opening = services is None  # the first screen is shown before the database is open
        self._printer = printer
        self._printers: PrinterBackend | None = None  # made when first needed (the site's printer chosen first)
        self.wizard: PreparationWizard | None = None
        self.history: HistoryWindow | None = None
        self.signing: SigningFlow | None = None  # the signatures of the reviewed preparation, in the stack
        self._signing_open = False  # the flow is shown and its record is not sealed yet
        self.correction: CorrectionScreen | None = None  # History → Correct this record…, in the stack
        self.drafting: Drafting | None = None  # the autosave of the wizard's preparation
        self._wizard_open = False  # a preparation is being entered (not finished, not left)
        self._locked_from: QWidget | None = None
        self._focus_before_lock: QWidget | None = None
        self._hidden_windows: list[QWidget] = []
        self._may_close = False

        named(self, "mainWindow", self.tr("Hemgenix Prep"))
        title = self.tr("Hemgenix Prep")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if self.practice else title)
        self.setStyleSheet(STYLE_SHEET)
        self.setWindowIcon(app_icon())
        self.settings_dialog: SettingsDialog | None = None
        self.about_box: AboutBox | None = None
        ws = begin.workstation

        self.stack = named(QStackedWidget(), "mainStack", self.tr("Hemgenix Prep screens"))
        self.setCentralWidget(self.stack)
        self.first_user = FirstUserScreen(None, ws, practice=self.practice, policy=begin.password_policy)
        self.first_user.created.connect(self._first_user_created)
        self.sign_in = SignInScreen(None, ws, practice=self.practice, lockout=begin.lockout)
        self.sign_in.signed_in.connect(self._signed_in)
        self.wizard_host = QWidget()
        self.wizard_host.setObjectName("wizardHost")
        self._wizard_layout = QVBoxLayout(self.wizard_host)
        self._wizard_layout.setContentsMargins(0, 0, 0, 0)
        self.signing_host = QWidget()
        self.signing_host.setObjectName("signingHost")
        host_layout = QVBoxLayout(self.signing_host)
        host_layout.setContentsMargins(0, 0, 0, 0)
        host_layout.setSpacing(0)
        self._signing_layout = QVBoxLayout()
        host_layout.addLayout(self._signing_layout, 1)
        self.signing_home_button = named(
            QPushButton(self.tr("Back to the preparations")),
            "signingHomeButton",
            self.tr("Back to the preparations; the signatures given are kept"),
            self.tr(
                "Leave the signatures for now. Those given are kept: the preparation stays on the list of unfinished "
                "preparations, and resuming it goes on where the signing stopped."
            ),
        )
        self.signing_home_button.setAutoDefault(False)
        self.signing_home_button.clicked.connect(self.show_home)
        home_row = QHBoxLayout()
        home_row.setContentsMargins(12, 0, 12, 10)
        home_row.addWidget(self.signing_home_button)
        home_row.addStretch(1)
        host_layout.addLayout(home_row)
        for screen in (
            self.first_user,
            self.sign_in,
            self.wizard_host,
            self.signing_host,
        ):
            self.stack.addWidget(screen)

        self._build_menu()
        self.signed_in_label = named(QLabel(), "mainSignedInLabel", self.tr("Who is signed in"))
        self.statusBar().setObjectName("mainStatusBar")
        self.statusBar().addPermanentWidget(self.signed_in_label)

        self.idle = IdleWatch(begin.lock_after_ms, self)
        self.idle.idle.connect(self.idle_lock)
        self.resize(1280, 820)
        if services is not None:
            self.attach(services)
        else:  # the screen the database will want (WindowStart.first_user), shown while it opens
            self._show_first(begin.first_user)

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
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.triggered.connect(self.show_settings)
        self.about_action = QAction(self.tr("&About Hemgenix Prep"), self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setObjectName("quitAction")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.history_action, self.lock_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("He&lp"))  # Alt+L: Alt+H opens the Hemgenix Prep menu
        named(help_menu, "helpMenu", self.tr("Help menu"))
        help_menu.addAction(self.about_action)
        self._set_signed_in_actions(False)

    def _set_signed_in_actions(self, enabled: bool) -> None:
        self.history_action.setEnabled(enabled)
        self.lock_action.setEnabled(enabled)
        self.settings_action.setEnabled(enabled)

    # --- start and sign-in ---------------------------------------------------------------------------------
    @property
    def user(self) -> User | None:
        """Who is signed in (None: nobody yet)."""
        session: WorkstationSession | None = getattr(self, "session", None)
        return session.user if session is not None else None

    def attach(self, services: Workstation) -> None:
        """The database is open: the screens get the services they work with. When the window was shown before
        (``MainWindow(start=...)``), its first screen stays as it is, with what was typed, unless the database
        says the other one is due (e.g. another workstation created the first account meanwhile)."""
        shown_before, self._opening = self._opening, False
        from hemgenix_desktop.services.session import WorkstationSession  # with the database, after the first screen

        self.services = services
        self.session = WorkstationSession(services)
        self.first_user.attach(services.admin)
        self.sign_in.attach(services.sign_in)
        self._add_later_screens(services)
        if not shown_before:
            self.start()
            return
        try:
            needs_first = services.admin.needs_first_user()
        except StorageError:
            needs_first = None  # start() shows the sentence
        if needs_first is None or needs_first != (self.stack.currentWidget() is self.first_user):
            self.start()

    def _add_later_screens(self, services: Workstation) -> None:
        """The screens needed only after a sign-in (the list, the lock), made with the services: when the window
        came up before its database, after the first screen is on show."""
        from hemgenix_desktop.ui.resume import ResumeScreen

        ws = services.workstation
        self.resume = ResumeScreen(services.store, ws, lambda: self.user, practice=self.practice, tz=services.tz)
        self.resume.resume_requested.connect(self.resume_preparation)
        self.resume.start_new_requested.connect(self.start_new)
        self.resume.history_requested.connect(self.show_history)
        self.lock_screen = LockScreen(services.sign_in, ws, practice=self.practice)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.stack.addWidget(self.resume)
        self.stack.addWidget(self.lock_screen)

    def start(self) -> None:
        """The first screen: the first account when there is none, else the sign-in."""
        try:
            needs_first = self.services.admin.needs_first_user()
        except StorageError as exc:
            self.sign_in.prepare()
            self.sign_in.form.refuse(exc.message)
            self.stack.setCurrentWidget(self.sign_in)
            return
        self._show_first(needs_first)

    def _show_first(self, first_user: bool) -> None:
        if first_user:
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
        self.session.signed_in(user)  # a new continuous session
        self._set_user(user)
        self._set_signed_in_actions(True)
        self.idle.start()
        if self.resume.reload() and not self.resume.summaries:
            self.start_new()
        else:
            self.stack.setCurrentWidget(self.resume)

    def _set_user(self, user: User) -> None:
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
        self._drop_signing()
        self._drop_correction()
        self.resume.reload()
        self.stack.setCurrentWidget(self.resume)

    def start_new(self) -> PreparationWizard | None:
        from hemgenix_desktop.domain.preparation import Preparation

        return self.open_wizard(Preparation(practice=self.practice), stored=False)

    def resume_preparation(self, prep_id: str) -> PreparationWizard | SigningFlow | None:
        """Open the wizard on the saved draft, at its saved step; a signed preparation whose record was not sealed
        (the program stopped while sealing) opens in the signing flow, which seals it; a sealed one whose
        correction was started opens the correction screen with the correction's values."""
        store = self.services.store
        try:
            summary = store.summary(prep_id)
            if summary.status is PreparationStatus.SIGNED:
                return self.open_signing(store.load(prep_id))
            if summary.status is PreparationStatus.SEALED and summary.correcting:
                self.open_correction(prep_id)  # its values, then its signatures go on where they stopped
                return None
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
        from hemgenix_desktop.ui.wizard import PreparationWizard

        self._drop_wizard()
        s = self.services
        try:
            from hemgenix_desktop.services.drafting import Drafting

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
        self.wizard, self._wizard_open = wizard, True
        self.drafting = Drafting(s, stored=stored)
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

    def _autosave(self, prep: Preparation, key: str) -> None:
        """The wizard's hook: save the page just committed (a refusal keeps the wizard on the page)."""
        if self.drafting is None:  # pragma: no cover - the hook is the open wizard's
            return
        self.drafting.save(prep, key, self.user)
        self.autosaved.emit(prep.id, prep.step)

    def _wizard_accepted(self, wizard: PreparationWizard) -> None:
        if wizard is self.wizard:
            self._wizard_open = False
            self.on_wizard_finished(wizard.preparation)

    def _wizard_rejected(self, wizard: PreparationWizard) -> None:
        if wizard is self.wizard:
            self.show_home()

    def on_wizard_finished(self, prep: Preparation) -> SigningFlow | None:
        """Runs after the wizard's Finish on the Review page was accepted; the autosave has already saved the
        reviewed draft at step "review" (so it resumes at the review). The end of the review is written to the
        audit trail, then the signing flow opens in the stack. When the audit trail cannot be written, the
        Resume screen says so and nothing else happens (the reviewed draft is saved; resume it to sign)."""
        if self.user is None:  # pragma: no cover - the wizard is shown only to a signed-in user
            return None
        try:
            self.session.review_finished(prep)
        except (DomainError, StorageError) as exc:
            self._drop_wizard()
            self._back_home_with(
                self.tr(
                    "The end of the review could not be written to the audit trail, so the signatures were not "
                    "opened: {reason} The reviewed preparation is saved: resume it and press Finish again."
                ).format(reason=exc.message)
            )
            return None
        return self.open_signing(prep)

    # --- the signatures ------------------------------------------------------------------------------------
    def printers(self) -> PrinterBackend:
        """The printers the signing flow and a reprint print on, the site's printer chosen first (made once)."""
        if self._printers is None:
            from hemgenix_desktop.ui.printing import PreferredPrinter, SystemPrinters

            backend = self._printer if self._printer is not None else SystemPrinters()
            self._printers = PreferredPrinter(backend, self.services.printer_name)
        return self._printers

    def signing_session(self) -> SigningSession | None:
        """The signed-in person's signing session (:meth:`WorkstationSession.signing_session`)."""
        return self.session.signing_session() if getattr(self, "session", None) is not None else None

    def open_signing(self, prep: Preparation, *, amending: Amending | None = None) -> SigningFlow | None:
        """Put the signing flow for ``prep`` (or for its correction, ``amending``) into the stack: it starts at the
        first step not yet done."""
        from hemgenix_desktop.ui.signing import SigningFlow

        self._drop_wizard()
        self._drop_signing()
        self._drop_correction()
        session = self.signing_session()
        if session is None:  # pragma: no cover - only a signed-in user reaches the signatures
            return None
        try:
            flow = SigningFlow(prep, self.services, session, amending=amending, printer=self.printers())
        except (DomainError, StorageError) as exc:
            self._back_home_with(exc.message)
            return None
        self.signing, self._signing_open = flow, True
        self._signing_layout.addWidget(flow)
        self.signing_home_button.setVisible(True)
        flow.sealed.connect(lambda record_id: self._record_sealed(flow, record_id))
        flow.closed.connect(lambda: self._signing_closed(flow))
        if flow.record is not None:  # sealed as it opened (a signed preparation resumed): the Done screen shows
            self._record_sealed(flow, flow.record.record_id)
        self.stack.setCurrentWidget(self.signing_host)
        flow.show()
        return flow

    def _record_sealed(self, flow: SigningFlow, record_id: str) -> None:
        if flow is self.signing:
            self._signing_open = False
            self.signing_home_button.setVisible(False)
            self.statusBar().showMessage(
                self.tr("Record {record_id} is sealed. Print the record and the bag label.").format(record_id=record_id)
            )

    def _signing_closed(self, flow: SigningFlow) -> None:
        if flow is self.signing:
            self.show_home()

    def _drop_signing(self) -> None:
        flow, self.signing, self._signing_open = self.signing, None, False
        if flow is not None:
            self._signing_layout.removeWidget(flow)
            flow.hide()
            flow.deleteLater()

    # --- correcting a sealed record --------------------------------------------------------------------------
    def open_correction(self, prep_id: str) -> CorrectionScreen:
        """History → Correct this record…: the correction screen of a sealed preparation in the stack (its Continue
        opens the signing flow for the amendment). Raises ``InvalidInput``/``StorageError`` with the sentence when
        it cannot open: nobody signed in, the screen locked, or a preparation open in this window (finish it or
        go back to the list first, so nothing typed is lost)."""
        from hemgenix_desktop.ui.correction import CorrectionScreen

        user = self.user
        if user is None or self.is_locked():
            raise InvalidInput(self.tr("Sign in first: a record is corrected by the person signed in."))
        if self._wizard_open or self._signing_open:
            raise InvalidInput(
                self.tr(
                    "A preparation is open in the main window. Finish it, or go back to the list of preparations "
                    "(what was completed is kept), then correct the record."
                )
            )
        s = self.services
        screen = CorrectionScreen(
            s.store,
            prep_id,
            lambda: self.user,
            workstation=s.workstation,
            checklist=s.checklist,
            now=s.now,
            tz=s.tz,
        )
        self._drop_wizard()
        self._drop_signing()
        self._drop_correction()
        self.correction = screen
        self.stack.addWidget(screen)
        screen.ready.connect(lambda prep, amending: self._correction_ready(screen, prep, amending))
        screen.cancelled.connect(lambda: self._correction_left(screen))
        self.stack.setCurrentWidget(screen)
        self.statusBar().showMessage(self._correcting_message(screen))
        self.raise_()
        self.activateWindow()
        return screen

    def _correcting_message(self, screen: CorrectionScreen) -> str:
        return self.tr("Correcting record {record_id}.").format(record_id=screen.record.record_id)

    def _correction_ready(self, screen: CorrectionScreen, prep: Preparation, amending: Amending) -> None:
        if screen is self.correction:
            self.open_signing(prep, amending=amending)
            if self.history is not None:
                self.history.search()

    def _correction_left(self, screen: CorrectionScreen) -> None:
        if screen is self.correction:
            self.show_home()
            if self.history is not None:
                self.history.search()

    def _drop_correction(self) -> None:
        screen, self.correction = self.correction, None
        if screen is not None:
            if self.statusBar().currentMessage() == self._correcting_message(screen):
                self.statusBar().clearMessage()
            self.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()

    def _back_home_with(self, sentence: str) -> None:
        self.resume.reload()
        self.resume.show_problem(sentence)
        self.stack.setCurrentWidget(self.resume)

    # --- history -------------------------------------------------------------------------------------------
    def show_history(self) -> HistoryWindow | None:
        if self.user is None or self.is_locked():
            return None
        if self.history is None:
            from hemgenix_desktop.ui.history import HistoryWindow, Reprinting

            self.history = HistoryWindow(
                self.services.store,
                practice=self.practice,
                tz=self.services.tz,
                parent=self,
                reprinting=Reprinting(services=lambda: self.services, user=lambda: self.user, printer=self.printers()),
                correct=self.open_correction,
            )
        self.history.search()
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()
        return self.history

    # --- settings and about --------------------------------------------------------------------------------
    def show_settings(self) -> SettingsDialog | None:
        """The Settings dialog (a pharmacist edits, others read); only while someone is signed in and the screen
        is not locked (the lock hides it with the other windows this window owns)."""
        user = self.user
        if user is None or self.is_locked():
            return None
        from hemgenix_desktop.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            if self.settings_dialog.isVisible():
                self.settings_dialog.raise_()
                self.settings_dialog.activateWindow()
                return self.settings_dialog
            self.settings_dialog.deleteLater()
        dialog = SettingsDialog(
            self, user=user, store=self.services.store, workstation=self.services.workstation, practice=self.practice
        )
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def about_text(self) -> str:
        """What the About box says: the version, the licence, Qt and PySide6, the database schema, the site,
        this workstation, the database (its password hidden) and the data folder."""
        from hemgenix_desktop.settings import hide_password
        from hemgenix_desktop.ui.about import qt_version_lines

        services: Workstation | None = getattr(self, "services", None)
        first, *versions = qt_version_lines()
        lines = [
            first,
            self.tr("Guided preparation of one patient's dose of Hemgenix (etranacogene dezaparvovec-drlb)."),
            "",
            *versions,
            "",
        ]
        if services is None:
            lines.append(self.tr("The database is still being opened."))
        else:
            if services.practice:
                database = self.tr("the practice database, in memory: nothing is kept after the program closes")
            else:
                database = hide_password(services.store.url)
            data = services.data_dir
            lines += [
                self.tr("Site: {site}").format(site=services.site),
                self.tr("Workstation: {workstation}").format(workstation=services.workstation),
                self.tr("Database: {database}").format(database=database),
                self.tr("Data folder: {folder}").format(folder=data),
            ]
        if self.practice:
            lines += ["", self.tr("{mark}: practice mode, for training only.").format(mark=PRACTICE_MARK)]
        return "\n".join(lines)

    def show_about(self) -> AboutBox:
        """Help → About (not modal to the program: it is opened, never run)."""
        from hemgenix_desktop.ui.about import AboutBox

        if self.about_box is not None:
            self.about_box.deleteLater()
        box = AboutBox(self.about_text(), self.windowIcon(), self)
        self.about_box = box
        box.open()
        return box

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
        problem = self.session.lock(audit_text)
        if problem:
            self.lock_screen.show_notice(problem)
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
        took_over = previous is not None and previous.username != user.username
        settings = self.settings_dialog
        for window in self._hidden_windows:
            if took_over and window is settings:  # opened by the previous person, in their name: not handed on
                window.close()
                self.statusBar().showMessage(
                    self.tr("The Settings window of {who} was closed unsaved; open Settings… again to use it.").format(
                        who=previous.describe() if previous is not None else ""
                    )
                )
                continue
            window.show()
        self._hidden_windows = []
        if self._focus_before_lock is not None and self._focus_before_lock.isVisible():
            self._focus_before_lock.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus_before_lock = None
        self._set_signed_in_actions(True)
        unlocked = self.session.unlock(user)  # audited; the lock broke the signing session (21 CFR 11.200)
        if unlocked.problem:
            self.statusBar().showMessage(unlocked.problem)
        self._set_user(user)
        session = self.signing_session()
        if self.signing is not None and session is not None:
            self.signing.set_session(session)
        self.idle.start()
        self.lock_changed.emit(False)

    # --- leaving -------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        correcting = self.correction is not None and self.stack.currentWidget() is self.correction
        if (self._wizard_open or self._signing_open or correcting) and not self._may_close:
            event.ignore()
            msgbox.ask(
                self,
                self.tr("Quit Hemgenix Prep?"),
                self.tr(
                    "The pages completed with Next are saved: the preparation can be resumed after signing in "
                    "again. What was typed on the page open now is lost."
                )
                if self._wizard_open
                else self.tr(
                    "What was typed on the correction screen is lost. A correction continued to its signatures "
                    "before is kept: open it again from the History window."
                )
                if correcting
                else self.tr(
                    "The signatures given so far are saved: after signing in again, resume the preparation and the "
                    "signing goes on where it stopped. What was typed on this screen is lost."
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


__all__ = ["MainWindow", "WindowStart"]
