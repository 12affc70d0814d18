"""The main window's correction of a sealed record: History → Correct this record… puts the correction screen
(:mod:`ui.correction`) into the main window's stack; its Continue opens the signing flow for the amendment, its
Cancel goes back to the list of preparations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from hemgenix_desktop.domain.errors import InvalidInput

if TYPE_CHECKING:
    from hemgenix_desktop.domain.preparation import Preparation
    from hemgenix_desktop.services.sealing import Amending
    from hemgenix_desktop.ui.correction import CorrectionScreen
    from hemgenix_desktop.ui.main_window import MainWindow


class Corrections(QObject):
    """The correction screen of ``window`` (``screen``: the one in its stack, or None)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.screen: CorrectionScreen | None = None

    def open(self, prep_id: str) -> CorrectionScreen:
        """History → Correct this record…: the correction screen of a sealed preparation in the stack (its Continue
        opens the signing flow for the amendment). Raises ``InvalidInput``/``StorageError`` with the sentence when
        it cannot open: nobody signed in, the screen locked, or a preparation open in this window (finish it or
        go back to the list first, so nothing typed is lost)."""
        window = self.window
        if window.user is None or window.is_locked():
            raise InvalidInput(window.tr("Sign in first: a record is corrected by the person signed in."))
        if window._wizard_open or window._signing_open:
            raise InvalidInput(
                window.tr(
                    "A preparation is open in the main window. Finish it, or go back to the list of preparations "
                    "(what was completed is kept), then correct the record."
                )
            )
        with window.idle.paused():  # built and shown without the idle watch's filter (ui.lock: no input meanwhile)
            return self._open(prep_id)

    def _open(self, prep_id: str) -> CorrectionScreen:
        from hemgenix_desktop.ui.correction import CorrectionScreen

        window, s = self.window, self.window.services
        screen = CorrectionScreen(
            s.store,
            prep_id,
            lambda: window.user,
            workstation=s.workstation,
            checklist=s.checklist,
            now=s.now,
            tz=s.tz,
            own_style_sheet=False,  # the main window's style sheet applies
        )
        window._drop_wizard()
        window._drop_signing()
        self.drop()
        self.screen = screen
        window.stack.addWidget(screen)
        screen.ready.connect(lambda prep, amending: self._ready(screen, prep, amending))
        screen.cancelled.connect(lambda: self._left(screen))
        window.stack.setCurrentWidget(screen)
        window.statusBar().showMessage(self._message(screen))
        window.raise_()
        window.activateWindow()
        return screen

    def _message(self, screen: CorrectionScreen) -> str:
        return self.window.tr("Correcting record {record_id}.").format(record_id=screen.record.record_id)

    def _ready(self, screen: CorrectionScreen, prep: Preparation, amending: Amending) -> None:
        if screen is self.screen:
            self.window.open_signing(prep, amending=amending)
            if self.window.history is not None:  # "correction in progress", the selection kept
                self.window.history.refresh(prep.id)

    def _left(self, screen: CorrectionScreen) -> None:
        if screen is self.screen:
            self.window.show_home()
            if self.window.history is not None:  # a correction discarded (voided) is no longer in progress
                self.window.history.refresh(screen.base.id)

    def drop(self) -> None:
        screen, self.screen = self.screen, None
        if screen is not None:
            if self.window.statusBar().currentMessage() == self._message(screen):
                self.window.statusBar().clearMessage()
            self.window.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
