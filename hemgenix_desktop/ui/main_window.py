"""The main window: one stack of screens, sign-in → unfinished preparations → the wizard → the signatures and the
sealed record, with the idle lock over all of them.

* **Start**: no account yet → the first pharmacist's account (:mod:`ui.first_user`); then the sign-in.
* **After sign-in**: unfinished preparations (drafts) → the Resume screen (:mod:`ui.resume`); none → a new
  preparation at once.
* **Autosave**: the wizard's ``on_page_committed`` hook saves each page (:mod:`services.drafting`); a refusal is
  shown on the page as a stop, and the page does not advance. ``autosaved(id, step)`` follows each save.
* **Idle lock** (:mod:`ui.lock`, :mod:`ui.window_lock`, :mod:`services.session`): after the site's idle time
  without input, or "Lock the screen", every screen and every window this window owns is hidden behind the lock
  screen, and comes back as it was after the unlock. Both are written to the audit trail.
* **Signatures** (:mod:`ui.signing`): the wizard's Finish writes ``review_finished`` to the audit trail and puts
  a ``SigningFlow`` into the stack; its Close goes back to the Resume screen. The flow gets this window's signing
  session (:mod:`services.session`, 21 CFR 11.200): one per sign-in; after an unlock a new, non-continuous one.
* **Resume** (:func:`services.drafting.resume_in`): a draft opens in the wizard at its saved step; a signed one
  not sealed (the program stopped while sealing) opens in the flow, which seals it; a correction, its screen.
* **History** (:mod:`ui.history`): the menu, or the Resume screen's button; a sealed preparation's record and
  label can be reprinted there (marked COPY, audited).
* **Corrections** (:mod:`ui.window_corrections`): History → Correct this record… puts its screen in the stack.
* **Menus** (:mod:`ui.window_menus`): History…, Lock the screen, Settings…, Quit; Help → About Hemgenix Prep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from hemgenix_desktop import PRACTICE_MARK
from hemgenix_desktop.domain.errors import DomainError, InvalidInput
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.services.workstation import Startup
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.background import busy, when_idle
from hemgenix_desktop.ui.first_user import FirstUserScreen
from hemgenix_desktop.ui.identity import app_icon
from hemgenix_desktop.ui.lock import IdleWatch, LockScreen, idle_audit_text, idle_sentence
from hemgenix_desktop.ui.screen_host import ScreenHost, SigningHost
from hemgenix_desktop.ui.signin import SignInScreen
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import EnterPressesButtons, banner_over, named, warning_banner
from hemgenix_desktop.ui.window_corrections import Corrections
from hemgenix_desktop.ui.window_lock import ScreenLock
from hemgenix_desktop.ui.window_menus import WindowMenus
from hemgenix_desktop.ui.window_quit import quit_sentence

if TYPE_CHECKING:  # loaded where first used, so the first screen shows before the database and wizard libraries
    from hemgenix_desktop.domain.preparation import Preparation
    from hemgenix_desktop.services.drafting import Drafting
    from hemgenix_desktop.services.sealing import Amending
    from hemgenix_desktop.services.session import WorkstationSession
    from hemgenix_desktop.services.shared_types import User
    from hemgenix_desktop.services.signing import SigningSession
    from hemgenix_desktop.services.workstation import Workstation
    from hemgenix_desktop.ui.about import AboutBox
    from hemgenix_desktop.ui.correction import CorrectionScreen
    from hemgenix_desktop.ui.history import HistoryWindow
    from hemgenix_desktop.ui.printing import PrinterBackend
    from hemgenix_desktop.ui.resume import ResumeScreen
    from hemgenix_desktop.ui.settings_dialog import SettingsDialog
    from hemgenix_desktop.ui.signing import SigningFlow
    from hemgenix_desktop.ui.wizard import PreparationWizard


def _after_preparation() -> None:
    """A preparation's signing flow was deleted (its PDFs, signatures and print previews with it): its memory goes
    back to the system (:mod:`ui.memory`)."""
    from hemgenix_desktop.ui.memory import give_back_memory

    give_back_memory()


class MainWindow(QMainWindow):
    """Hemgenix Prep's one window (see the module's docstring)."""

    autosaved = Signal(str, str)  # preparation id, the step it was saved at (where it resumes)
    session_changed = Signal(object)  # the User signed in now: after a sign-in, and after every unlock
    lock_changed = Signal(bool)  # True: locked

    services: Workstation  # set by ``attach`` (at once when given to the constructor)
    session: WorkstationSession  # who is signed in, the signing session, the lock: made by ``attach``
    resume: ResumeScreen  # made after ``attach`` (``_add_later_screens``), with the lock screen
    lock_screen: LockScreen
    sealed_note = ""  # the status bar's "Record … is sealed", dropped when the next preparation opens

    def __init__(
        self,
        services: Workstation | None = None,
        parent: QWidget | None = None,
        *,
        start: Startup | None = None,
        printer: PrinterBackend | None = None,
    ) -> None:
        """With ``services``: ready at once. With ``start`` instead: the first screen it names is shown while the
        database opens (the fields take typing, the button waits), and ``attach`` gives the services. ``printer``:
        the printers (None: this computer's, through Qt's print support)."""
        super().__init__(parent)
        begin = services.startup() if services is not None else start
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
        self.corrections = Corrections(self)  # History → Correct this record…: its screen in the stack
        self.drafting: Drafting | None = None  # the autosave of the wizard's preparation
        self._wizard_open = False  # a preparation is being entered (not finished, not left)
        self._may_close = False

        named(self, "mainWindow", self.tr("Hemgenix Prep"))
        title = self.tr("Hemgenix Prep")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if self.practice else title)
        self.setStyleSheet(STYLE_SHEET)
        if QApplication.windowIcon().isNull():  # the program's QApplication has it already (``apply_identity``)
            self.setWindowIcon(app_icon())
        EnterPressesButtons(self)
        ws = begin.workstation

        self.idle = IdleWatch(begin.lock_after_ms, self)
        self.idle.idle.connect(self.idle_lock)
        self.stack = named(QStackedWidget(), "mainStack", self.tr("Hemgenix Prep screens"))
        # what the start warns of, in full above every screen (``warn``)
        self.start_warnings = warning_banner("mainStartWarnings", self.tr("Warnings about this start"))
        self.setCentralWidget(banner_over(self.start_warnings, self.stack))
        self._begin = begin
        self._first_user: FirstUserScreen | None = None  # made when first shown (``first_user``): most starts never do
        self.sign_in = SignInScreen(None, ws, practice=self.practice, lockout=begin.lockout)
        self.sign_in.signed_in.connect(self._signed_in)
        # the wizard and the signing flow open there in pieces (ui.screen_host)
        self.wizard_host = ScreenHost(
            "wizardHost",
            "wizardOpeningLabel",
            self.tr("Opening the preparation…"),
            self.tr("The preparation is opening"),
            self.idle.paused,
        )
        self.signing_host = SigningHost(self.idle.paused)  # the signing flow opens in its flow_host, in pieces too
        self.flow_host, self.signing_home_button = self.signing_host.flow, self.signing_host.home_button
        self.signing_home_button.clicked.connect(self.show_home)
        for screen in (self.sign_in, self.wizard_host, self.signing_host):
            self.stack.addWidget(screen)

        self.menus = WindowMenus(self)
        self.history_action, self.lock_action = self.menus.history_action, self.menus.lock_action
        self.settings_action, self.about_action = self.menus.settings_action, self.menus.about_action
        self.locker = ScreenLock(self)
        self.signed_in_label = named(QLabel(), "mainSignedInLabel", self.tr("Who is signed in"))
        self.statusBar().setObjectName("mainStatusBar")
        self.statusBar().addPermanentWidget(self.signed_in_label)

        self._give_back = QTimer(self)  # a preparation's memory, once its signing flow is deleted
        self._give_back.setSingleShot(True)
        self._give_back.setInterval(0)
        self._give_back.timeout.connect(_after_preparation)
        self.resize(1280, 820)
        if services is not None:
            self.attach(services)
        else:  # the screen the database will want (Startup.first_user), shown while it opens
            self._show_first(begin.first_user)

    # --- start and sign-in ---------------------------------------------------------------------------------
    @property
    def user(self) -> User | None:
        """Who is signed in (None: nobody yet)."""
        session: WorkstationSession | None = getattr(self, "session", None)
        return session.user if session is not None else None

    def warn(self, sentence: str) -> None:
        """A warning of this start (a setting that cannot be used, security settings the environment changes, a site
        key in the clear), added in full to the banner above every screen for the whole session; the status bar
        would cut a long one off beside the signed-in person's name."""
        said = self.start_warnings.text().splitlines()
        if sentence.strip() and sentence.strip() not in said:  # each on its own line
            self.start_warnings.show_text("\n".join([*said, sentence.strip()]))

    def attach(self, services: Workstation) -> None:
        """The database is open: the screens get the services they work with. When the window was shown before
        (``MainWindow(start=...)``), its first screen stays as it is, with what was typed, unless the database
        says the other one is due (e.g. another workstation created the first account meanwhile)."""
        shown_before, self._opening = self._opening, False
        from hemgenix_desktop.services.session import WorkstationSession  # with the database, after the first screen

        self.services = services
        self.session = WorkstationSession(services)
        if self._first_user is not None:
            self._first_user.attach(services.admin)
        self.sign_in.attach(services.sign_in)
        if not shown_before:
            self._add_later_screens()
            self.start()
            return
        QTimer.singleShot(0, self._add_later_screens)  # the sign-in works meanwhile (the first password's check)
        try:
            needs_first = services.admin.needs_first_user()
        except StorageError:
            needs_first = None  # start() shows the sentence
        shown_first = self._first_user is not None and self.stack.currentWidget() is self._first_user
        if needs_first is None or needs_first != shown_first:
            self.start()

    def _add_later_screens(self) -> None:
        """The screens needed only after a sign-in (the list, the lock), made once: when the window came up before
        its database, on the turn after the sign-in began to work (or at the sign-in, if that comes first)."""
        if getattr(self, "resume", None) is not None:
            return
        from hemgenix_desktop.ui.resume import ResumeScreen

        services, ws = self.services, self.services.workstation
        self.resume = ResumeScreen(
            services.store, ws, lambda: self.user, practice=self.practice, tz=services.tz, sign_in=services.sign_in
        )
        self.resume.resume_requested.connect(self.resume_preparation)
        self.resume.start_new_requested.connect(self.start_new)
        self.resume.history_requested.connect(self.show_history)
        self.lock_screen = LockScreen(services.sign_in, ws, practice=self.practice)
        self.lock_screen.unlocked.connect(self.locker.unlocked)
        self.stack.addWidget(self.resume)
        self.stack.addWidget(self.lock_screen)
        self.resume.ensurePolished()  # under the window's style sheet now, not when it first shows after the sign-in

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

    @property
    def first_user(self) -> FirstUserScreen:
        """The first account's screen, made the first time it is needed (about 4 ms less before the first paint of a
        workstation that has its accounts), with the services when the database is open."""
        if self._first_user is None:
            begin = self._begin
            made = FirstUserScreen(None, begin.workstation, practice=self.practice, policy=begin.password_policy)
            made.created.connect(self._first_user_created)
            self.stack.insertWidget(0, made)
            if getattr(self, "services", None) is not None:
                made.attach(self.services.admin)
            self._first_user = made
        return self._first_user

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
        self._add_later_screens()
        self.session.signed_in(user)  # a new continuous session
        self.show_user(user)
        self.menus.set_signed_in(True)
        self.idle.start()
        if self.resume.reload() and not self.resume.summaries:
            self.start_new()
        else:
            self.stack.setCurrentWidget(self.resume)

    def show_user(self, user: User) -> None:
        self.signed_in_label.setText(
            self.tr("Signed in: {who}, {role} · workstation {workstation}").format(
                who=user.describe(), role=user.role.value, workstation=self.services.workstation
            )
        )
        self.session_changed.emit(user)

    # --- the list and the wizard ---------------------------------------------------------------------------
    def show_home(self) -> None:
        """The unfinished preparations (with Start new), read again; after the signature or the sealing that runs
        (ui/background.py), so that it is never dropped half-way."""
        if busy():
            when_idle(self.show_home)
            return
        self._drop_wizard()
        self._drop_signing()
        self.corrections.drop()
        self.resume.reload()
        self.stack.setCurrentWidget(self.resume)

    def start_new(self) -> None:
        self.open_wizard(self.services.new_preparation(), stored=False)

    def resume_preparation(self, prep_id: str) -> None:
        """Open the wizard on the saved draft, at its saved step; a signed preparation whose record was not sealed
        (the program stopped while sealing) opens in the signing flow, which seals it; a sealed one whose
        correction was started opens the correction screen with the correction's values."""
        from hemgenix_desktop.services.drafting import ResumeIn, resume

        try:
            where, summary, prep = resume(self.services.store, prep_id)
            if where is ResumeIn.SIGNING and prep is not None:
                self.open_signing(prep)
                return
            if where is ResumeIn.CORRECTION:
                self.open_correction(prep_id)  # its values, then its signatures go on where they stopped
                return
            if where is ResumeIn.NOWHERE:
                raise InvalidInput(
                    self.tr(
                        "Preparation {id} for {patient} is no longer unfinished (it is {status} now, perhaps at another "
                        "workstation). Open it from the History window."
                    ).format(id=summary.short_id, patient=summary.patient_name, status=summary.status.value)
                )
            assert prep is not None  # the wizard's draft, loaded by resume()
        except (DomainError, StorageError) as exc:
            self.resume.reload()
            self.resume.show_problem(exc.message)
            self.stack.setCurrentWidget(self.resume)
            return
        self.open_wizard(prep, stored=True)

    def open_wizard(self, prep: Preparation, *, stored: bool) -> None:
        """The wizard on ``prep`` (``stored``: a saved draft), opened in pieces (:mod:`ui.wizard_host`): "Opening the
        preparation…" now, the wizard a few turns of the event loop later (``busy()`` until then)."""
        self._drop_wizard()
        if self.sealed_note and self.statusBar().currentMessage() == self.sealed_note:
            self.statusBar().clearMessage()  # the previous patient's sealed record: not over the next order
        self.stack.setCurrentWidget(self.wizard_host)
        self.wizard_host.open(lambda: self._build_wizard(prep, stored=stored))

    def _build_wizard(self, prep: Preparation, *, stored: bool) -> PreparationWizard | None:
        """The wizard's first piece: the autosave and the wizard (None, the list saying why, when it cannot open)."""
        from hemgenix_desktop.ui.wizard import PreparationWizard

        s = self.services
        try:
            from hemgenix_desktop.services.drafting import Drafting

            drafting = Drafting(s, stored=stored, loaded=prep, user=self.user)  # as read, before the pages show it
            wizard = PreparationWizard(
                prep,
                practice=self.practice,
                gs_standin=s.gs_standin,
                on_page_committed=self._autosave,
                now=s.now,
                tz=s.tz,
                checklist=s.checklist,
                attribute_to=lambda: self.user.signer() if self.user is not None else None,
                lab_results_newer_than_days=s.lab_results_newer_than_days,
                different_person=lambda stop, entry: drafting.approve_different_person(prep, stop, self.user, entry),
                own_style_sheet=False,  # this window's style sheet applies
            )
        except DomainError as exc:
            self.resume.reload()
            self.resume.show_problem(exc.message)
            self.stack.setCurrentWidget(self.resume)
            return None
        self.wizard, self._wizard_open = wizard, True
        self.drafting = drafting
        wizard.accepted.connect(lambda: self._wizard_accepted(wizard))
        wizard.rejected.connect(lambda: self._wizard_rejected(wizard))
        return wizard

    def _drop_wizard(self) -> None:
        self.wizard_host.cancel()  # one still opening is not shown
        wizard, self.wizard, self._wizard_open = self.wizard, None, False
        if wizard is not None and self.drafting is not None:
            self.drafting.release(self.user)  # no longer open here
        if wizard is not None:
            self.wizard_host.remove(wizard)

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

    def on_wizard_finished(self, prep: Preparation) -> None:
        """Runs after the wizard's Finish on the Review page was accepted; the autosave has already saved the
        reviewed draft at step "review" (so it resumes at the review). The end of the review is written to the
        audit trail, then the signing flow opens in the stack. When the audit trail cannot be written, the
        Resume screen says so and nothing else happens (the reviewed draft is saved; resume it to sign)."""
        if self.user is None:  # pragma: no cover - the wizard is shown only to a signed-in user
            return
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
            return
        self.open_signing(prep)

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

    def open_signing(self, prep: Preparation, *, amending: Amending | None = None) -> None:
        """Put the signing flow for ``prep`` (or for its correction, ``amending``) into the stack, opened in pieces
        (:mod:`ui.screen_host`: "Opening the signatures…" now, the flow a few turns of the event loop later, ``busy()``
        until then); it starts at the first step not yet done."""
        self._drop_wizard()
        self._drop_signing()
        self.corrections.drop()
        self.stack.setCurrentWidget(self.signing_host)
        self.flow_host.open(lambda: self._build_flow(prep, amending))

    def _build_flow(self, prep: Preparation, amending: Amending | None) -> SigningFlow | None:
        """The flow's first piece (None, the list saying why, when it cannot open)."""
        from hemgenix_desktop.ui.signing import SigningFlow

        session = self.signing_session()
        if session is None:  # pragma: no cover - only a signed-in user reaches the signatures
            return None
        try:
            flow = SigningFlow(
                prep, self.services, session, amending=amending, printer=self.printers(), own_style_sheet=False
            )
        except (DomainError, StorageError) as exc:
            self._back_home_with(exc.message)
            return None
        self.signing, self._signing_open = flow, True
        self.signing_home_button.setVisible(True)
        flow.sealed.connect(lambda record_id: self._record_sealed(flow, record_id))
        flow.closed.connect(lambda: self._signing_closed(flow))
        if flow.record is not None:  # sealed as it opened (a signed preparation resumed): the Done screen shows
            self._record_sealed(flow, flow.record.record_id)
        return flow

    def _record_sealed(self, flow: SigningFlow, record_id: str) -> None:
        if flow is self.signing:
            self._signing_open = False
            self.signing_home_button.setVisible(False)
            note = self.tr("Record {record_id} is sealed. Print the record and the bag label.")
            self.sealed_note = note.format(record_id=record_id)
            self.statusBar().showMessage(self.sealed_note)
            if self.history is not None:  # a preparation or a correction sealed: History shows it as it is now
                self.history.refresh(flow.prep.id)

    def _signing_closed(self, flow: SigningFlow) -> None:
        if flow is self.signing:
            self.show_home()

    def _drop_signing(self) -> None:
        self.flow_host.cancel()  # one still opening is not shown
        flow, self.signing, self._signing_open = self.signing, None, False
        if flow is not None and flow.record is not None and flow.record.record_id in self.statusBar().currentMessage():
            self.statusBar().clearMessage()  # not kept while the next patient's order is typed (issue 21)
        if flow is not None:
            flow.destroyed.connect(self._give_back.start)  # on the next turn of the event loop after it is deleted
            self.flow_host.remove(flow)

    # --- correcting a sealed record (ui.window_corrections) ---------------------------------------------------
    @property
    def correction(self) -> CorrectionScreen | None:
        return self.corrections.screen

    def open_correction(self, prep_id: str) -> CorrectionScreen:
        return self.corrections.open(prep_id)

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
            from hemgenix_desktop.ui.memory import release_window_when_hidden

            self.history = HistoryWindow(
                self.services.store,
                practice=self.practice,
                tz=self.services.tz,
                parent=self,
                reprinting=Reprinting(services=lambda: self.services, user=lambda: self.user, printer=self.printers()),
                correct=self.open_correction,
            )
            release_window_when_hidden(self.history)  # kept with its search; its pixels go while it is closed
        self.history.search()
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()
        return self.history

    # --- settings and about (ui.window_menus) ---------------------------------------------------------------
    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self.menus.settings_dialog

    @property
    def about_box(self) -> AboutBox | None:
        return self.menus.about_box

    def show_settings(self) -> SettingsDialog | None:
        return self.menus.show_settings()

    def about_text(self) -> str:
        return self.menus.about_text()

    def show_about(self) -> AboutBox:
        return self.menus.show_about()

    # --- the lock (ui.window_lock) -------------------------------------------------------------------------
    def is_locked(self) -> bool:
        return self.locker.is_locked()

    def idle_lock(self) -> bool:
        return self.lock(idle_sentence(self.services.idle_minutes), idle_audit_text(self.services.idle_minutes))

    def lock_now(self) -> bool:
        who = self.user.describe() if self.user is not None else ""
        return self.lock(self.tr("{who} locked the screen.").format(who=who), f"{who} locked the screen")

    def lock(self, sentence: str, audit_text: str) -> bool:
        """Hide everything but the lock screen (``sentence`` says why); False when nobody is signed in or it is
        locked already."""
        return self.locker.lock(sentence, audit_text)

    # --- leaving -------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        correcting = self.correction is not None and self.stack.currentWidget() is self.correction
        if (self._wizard_open or self._signing_open or correcting) and not self._may_close:
            event.ignore()
            msgbox.ask(
                self,
                self.tr("Quit Hemgenix Prep?"),
                quit_sentence(practice=self.practice, wizard_open=self._wizard_open, correcting=correcting),
                self.quit_without_asking,
                yes_text=self.tr("Quit"),
                no_text=self.tr("Stay"),
            )
            return
        self._drop_wizard()
        self.idle.stop()
        if self.history is not None:
            self.history.close()
        super().closeEvent(event)

    def quit_without_asking(self) -> None:
        """Close at once: the person was asked already (or the program is ending)."""
        self._may_close = True
        self.close()


__all__ = ["MainWindow"]
