"""A place in the main window's stack where a big screen opens in pieces: the wizard, the signing flow (issue 13,
item 4).

Building the wizard (eight pages) or the signing flow (six screens), polishing it under the window's style sheet,
and its first layout and paint take 60–100 ms of the GUI thread; done in one go after a sign-in or at Finish review,
the window froze for that long (benchmarks/stalls.py). :meth:`ScreenHost.open` does it a piece per turn of the event
loop (:class:`~hemgenix_desktop.ui.background.Turns`): the build, then the polish, then the show. "Opening …" is
shown at once, and the keys typed meanwhile (a name typed or scanned straight after signing in, a password typed
straight after Finish) are kept and handed to the screen's field with the focus once it shows, in order, so nothing
typed is lost. While it opens, :func:`~hemgenix_desktop.ui.background.busy` says so: the idle lock and a return to
the list wait for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hemgenix_desktop.ui.background import Turns, loading_ahead
from hemgenix_desktop.ui.widgets import named

Key = tuple[int, Qt.KeyboardModifier, str, bool, int]  # key, modifiers, text, auto-repeat, count
_LOADING_POLL_MS = 10  # while the screen's modules load on another thread, how often the opening looks again
_LOADING_WAIT_MS = 5_000  # and for how long at most


class ScreenHost(QWidget):
    """Holds one screen; :meth:`open` opens one in pieces (see the module's docstring). ``label`` is the name of
    the "Opening …" line, ``text`` what it says and ``accessible`` its accessible name; ``paused`` is the idle
    watch's pause (:meth:`~hemgenix_desktop.ui.lock.IdleWatch.paused`): each piece runs without its filter."""

    _collecting = False  # keys pressed here are kept (while it opens); read by ``event`` from the first event on

    def __init__(
        self,
        name: str,
        label: str,
        text: str,
        accessible: str,
        paused: Callable[[], AbstractContextManager[None]],
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self._paused = paused
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.opening_label = named(QLabel(text), label, accessible)
        self.opening_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening_label.setProperty("role", "hint")
        self._layout.addWidget(self.opening_label)
        self.opening_label.hide()
        self._turns: Turns | None = None
        self._keys: list[Key] = []

    def open(self, build: Callable[[], QWidget | None]) -> None:
        """Show "Opening …" now; then, a piece per turn: ``build()`` makes the screen (None: it could not, and the
        window said why), the screen is added and polished, and shown with the keys typed meanwhile."""
        self.cancel()
        self.opening_label.show()
        self._collecting = True
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the keys typed meanwhile come here
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._turns = Turns(self._pieces(build))

    def _pieces(self, build: Callable[[], QWidget | None]) -> Iterator[int | None]:
        try:
            waited = 0
            while loading_ahead() and waited < _LOADING_WAIT_MS:  # its modules are loading on another thread: not
                waited += _LOADING_POLL_MS  # imported here at the same time (at most a while: then here all the same)
                yield _LOADING_POLL_MS
            with self._paused():
                screen = build()
            if screen is None:
                self._opened()
                return
            yield None
            with self._paused():
                screen.hide()  # added to a shown host it would show at once: that is the next piece
                self._layout.addWidget(screen)
                screen.ensurePolished()  # under the window's style sheet, now
            yield None
            with self._paused():
                self._opened()
                screen.show()  # its first field takes the focus (the wizard's and the flow's showEvent)
                self._hand_on(screen)
        except Exception:  # (not GeneratorExit: a stopped opening leaves the host to the next one)
            self._opened()
            raise

    def _opened(self) -> None:
        self._collecting = False
        self.opening_label.hide()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _hand_on(self, screen: QWidget) -> None:
        """The keys typed while it opened, to the screen's field with the focus, in order, as if typed now."""
        keys, self._keys = self._keys, []
        for key, modifiers, text, repeat, count in keys:
            target = screen.focusWidget() or screen
            QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text, repeat, count))

    def event(self, event: QEvent) -> bool:
        """While it opens, a key pressed here (Tab and Enter too) is kept for the screen."""
        if self._collecting and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._keys.append((event.key(), event.modifiers(), event.text(), event.isAutoRepeat(), event.count()))
            event.accept()
            return True
        return super().event(event)

    def cancel(self) -> None:
        """The screen is dropped: its opening stops, and what was typed meanwhile with it."""
        if self._turns is not None:
            self._turns.stop()
            self._turns = None
        self._keys = []
        self._opened()

    def remove(self, screen: QWidget) -> None:
        self._layout.removeWidget(screen)
        screen.hide()
        screen.deleteLater()


class SigningHost(QWidget):
    """The main window's place for the signing flow: the flow opens in ``flow`` (a :class:`ScreenHost`), with
    ``home_button`` under it (Back to the preparations; the window connects it)."""

    def __init__(self, paused: Callable[[], AbstractContextManager[None]]) -> None:
        super().__init__()
        self.setObjectName("signingHost")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.flow = ScreenHost(
            "signingFlowHost",
            "signingOpeningLabel",
            self.tr("Opening the signatures…"),
            self.tr("The signatures are opening"),
            paused,
        )
        layout.addWidget(self.flow, 1)
        self.home_button = named(
            QPushButton(self.tr("Back to the preparations")),
            "signingHomeButton",
            self.tr("Back to the preparations; the signatures given are kept"),
            self.tr(
                "Leave the signatures for now. Those given are kept: the preparation stays on the list of unfinished "
                "preparations, and resuming it goes on where the signing stopped."
            ),
        )
        self.home_button.setAutoDefault(False)
        home_row = QHBoxLayout()
        home_row.setContentsMargins(12, 0, 12, 10)
        home_row.addWidget(self.home_button)
        home_row.addStretch(1)
        layout.addLayout(home_row)


__all__ = ["ScreenHost", "SigningHost"]
