"""What every wizard page shares: layout, inline messages, the stop banner, and the commit protocol.

The protocol, page by page:

* ``initializePage`` → ``sync_from_preparation()`` puts into the widgets what the Preparation holds (on
  resume, or after a change elsewhere cleared something) and keeps what the operator typed otherwise;
  then ``refresh()``.
* ``refresh()`` reads the widgets, asks the domain, and calls ``set_state(complete, stop, status)``:
  Next is enabled only when the page is complete and no stop is shown.
* A stop is shown at once but recorded in ``Preparation.events`` only when the operator acts on the value: Enter
  in a field, Next, Read (a scan, the identity comparison), an entered vial count, or leaving the page (Back,
  Cancel); never on a keystroke, a focus change or a choice made half-way through an entry (issue 21: typing 73
  over 158.7 while lb is still chosen, then choosing kg, met no stop). What is recorded is what was really met.
* ``validatePage`` (Next) writes the page into the Preparation through ``commit()`` and tells the wizard,
  which calls the ``on_page_committed`` hook. A page that refuses to advance keeps everything typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from hemgenix_desktop.domain.checks import Checklist
from hemgenix_desktop.domain.errors import ClinicalStop, DomainError
from hemgenix_desktop.domain.preparation import EventKind, Preparation
from hemgenix_desktop.ui.person_check import ApproveDifferentPerson
from hemgenix_desktop.ui.widgets import (
    Banner,
    MessageLabel,
    PracticeBanner,
    field_label,
    hint_label,
    named,
    notice_banner,
    stop_banner,
)

# Logical pixels (Qt scales them with the screen): labels line up across groups; fields stay a readable width.
LABEL_COLUMN_WIDTH = 250
FIELD_MAX_WIDTH = 620

PAGE_KEYS: tuple[str, ...] = (
    "order",
    "eligibility",
    "identity",
    "weight",
    "kit",
    "preparation",
    "administration",
    "review",
)


@dataclass
class WizardContext:
    """What the pages share: the one Preparation, the mode, the scanner setting and the clock."""

    preparation: Preparation
    practice: bool
    gs_standin: str | None
    now: Callable[[], datetime]
    tz: tzinfo | None
    checklist: Checklist
    committed: Callable[[str], None] = field(default=lambda _key: None)
    # One dose per person: records a pharmacist's finding that an earlier patient is a different person (None: the
    # workstation cannot, e.g. a wizard without storage).
    different_person: ApproveDifferentPerson | None = None
    resuming: bool = False
    # The site's setting lab_results_newer_than_days: results must be newer than this many days (0: any age).
    lab_results_newer_than_days: int = 0
    # Sentences about what a change cleared, by the key of the page whose answers were cleared.
    cleared: dict[str, list[str]] = field(default_factory=dict)

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()


class PreparationPage(QWizardPage):
    """Base of every page. Subclasses set ``key`` and implement ``refresh`` and ``commit``."""

    key = ""
    has_stops = True
    can_be_cleared = False  # True for pages whose answers a change on an earlier page can clear
    # False after a commit that changed no answer (a checklist page): the same person's earlier attribution stands,
    # so a check is never stamped later than the preparation time that rests on it (issue 21).
    answers_changed = True

    def __init__(self, ctx: WizardContext, heading: str, intro: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"{self.key}Page")
        self.setAccessibleName(heading)
        self._complete = False
        self._touched: list[str] = []
        self._touch_order: list[str] = []
        self._text_fields: list[QLineEdit] = []
        self._last_recorded_stop = ""

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        if ctx.practice:
            outer.addWidget(PracticeBanner(f"{self.key}PracticeBanner"))
        heading_label = named(QLabel(heading), f"{self.key}Heading", heading)
        heading_label.setProperty("role", "heading")
        heading_label.setWordWrap(True)
        step = QLabel(
            self.tr("Step {number} of {total}").format(number=PAGE_KEYS.index(self.key) + 1, total=len(PAGE_KEYS))
        )
        named(step, f"{self.key}StepLabel", step.text())
        step.setProperty("role", "step")
        header = QHBoxLayout()
        header.addWidget(heading_label, 1)
        header.addWidget(step, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(header)

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName(f"{self.key}ScrollArea")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        body = QWidget()
        body.setObjectName(f"{self.key}Body")
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(2, 2, 14, 2)
        self.body.setSpacing(6)
        self.cleared_notice: Banner | None = None
        if self.can_be_cleared:
            self.cleared_notice = notice_banner(
                f"{self.key}Cleared", self.tr("What a change on an earlier page cleared on this page")
            )
            self.body.addWidget(self.cleared_notice)
        if intro:
            self.body.addWidget(hint_label(intro))
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area, 1)

        self.first_focus: QWidget | None = None  # where the cursor goes when the page opens
        # where it goes instead, until the page is next completed: the first answer a change elsewhere cleared
        self.cleared_focus: QWidget | None = None
        self.stop: Banner | None = None
        if self.has_stops:
            self.stop = stop_banner(f"{self.key}Stop")
            outer.addWidget(self.stop)
        self.status = MessageLabel(f"{self.key}StatusMessage", self.tr("What is still needed on this page"), "status")
        outer.addWidget(self.status)
        # a stale save refused: who changed the draft where, the values saved there and what was typed here
        self.elsewhere = MessageLabel(f"{self.key}ElsewhereMessage", self.tr("Changed at another workstation"))
        outer.addWidget(self.elsewhere)

    # --- helpers for subclasses ------------------------------------------------------------------
    @property
    def prep(self) -> Preparation:
        return self.ctx.preparation

    def add(self, widget: QWidget) -> QWidget:
        self.body.addWidget(widget)
        return widget

    def group(self, title: str, object_name: str) -> QGridLayout:
        """A titled box with a label column and a field column; returns its grid."""
        box = QGroupBox(title)
        box.setObjectName(object_name)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        grid.setColumnMinimumWidth(0, LABEL_COLUMN_WIDTH)
        grid.setColumnMinimumWidth(1, FIELD_MAX_WIDTH // 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)  # room to the right of fields that reached their width
        grid.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum), 0, 2)
        self.body.addWidget(box)
        return grid

    def add_row(
        self, grid: QGridLayout, label: str, field_widget: QWidget, message: MessageLabel | None = None, hint: str = ""
    ) -> None:
        """label | field, then under the field its hint and its message."""
        row = grid.rowCount()
        if not isinstance(field_widget, QLabel):
            field_widget.setMaximumWidth(FIELD_MAX_WIDTH)
        buddy = field_widget if field_widget.focusPolicy() != Qt.FocusPolicy.NoFocus else None
        grid.addWidget(field_label(label, buddy), row, 0, Qt.AlignmentFlag.AlignTop)
        if isinstance(field_widget, QAbstractButton):
            grid.addWidget(field_widget, row, 1, Qt.AlignmentFlag.AlignLeft)
        else:
            grid.addWidget(field_widget, row, 1)
        if hint:
            row += 1
            grid.addWidget(hint_label(hint), row, 1)
        if message is not None:
            grid.addWidget(message, row + 1, 1)

    def watch_text(self, name: str, edit: QLineEdit) -> None:
        """Re-check on every change; the field's message shows once it was touched (or skipped)."""
        self._touch_order.append(name)
        edit.textChanged.connect(lambda _text: self.refresh())
        edit.textEdited.connect(lambda _text: self.touch(name))
        edit.editingFinished.connect(lambda: self._finished(name))
        edit.returnPressed.connect(lambda: self._entered(edit))  # Enter acts on the value
        self._text_fields.append(edit)

    def _entered(self, edit: QLineEdit) -> None:
        """Enter in a field: the stop shown is met; and while the page is not complete, the cursor goes on to the
        next empty field (in Tab order), so that what is typed next goes there, never after this field's text. On a
        complete page Enter is Next (QWizard's default button: Next is disabled while the page is not complete)."""
        self.settle()
        if not self.isComplete():
            target = self.next_empty_field(edit)
            if target is not None:
                self.focus_field(target)

    def next_empty_field(self, after: QWidget) -> QLineEdit | None:
        """The first empty field of this page after ``after`` in Tab order (from the top again after the last), one
        that can be typed into; None when every other field holds something."""
        widget: QWidget | None = after.nextInFocusChain()
        while widget is not None and widget is not after:
            for edit in self._text_fields:
                if edit is widget and self._open_to_typing(edit) and not edit.text().strip():
                    return edit
            widget = widget.nextInFocusChain()
        return None

    def _open_to_typing(self, edit: QLineEdit) -> bool:
        return edit.isEnabled() and not edit.isReadOnly() and edit.isVisibleTo(self)

    def focus_field(self, widget: QWidget) -> None:
        """The cursor in ``widget``, scrolled into view."""
        widget.setFocus(Qt.FocusReason.TabFocusReason)  # Tab's reason: the focus frame shows
        self.scroll_area.ensureWidgetVisible(widget)

    def watch_choice(self, name: str, signal_owner: QWidget, signal_name: str = "changed") -> None:
        self._touch_order.append(name)
        getattr(signal_owner, signal_name).connect(lambda *_args: self._finished(name))

    def watch_check(self, name: str, box: QCheckBox) -> None:
        self._touch_order.append(name)
        box.toggled.connect(lambda _checked: self._finished(name))

    def _finished(self, name: str) -> None:
        self.touch(name)
        self.refresh()

    def touch(self, name: str) -> None:
        if name not in self._touched:
            self._touched.append(name)
            self.refresh()

    def shows_message(self, name: str) -> bool:
        """True once the field was touched, or a field after it was (it was skipped)."""
        if name in self._touched:
            return True
        if name not in self._touch_order:
            return False
        position = self._touch_order.index(name)
        return any(self._touch_order.index(t) > position for t in self._touched if t in self._touch_order)

    def set_state(self, complete: bool, stop: str = "", status: str = "") -> None:
        """Show the page's stop (if any) and status; enable Next only when complete and no stop."""
        if self.stop is not None:
            self.stop.show_text(stop)
        complete = complete and not stop
        if complete:
            status = self.tr("This page is complete. Press Next to continue.")
        self.status.show_message("" if stop else status)
        if complete != self._complete:
            self._complete = complete
            self.completeChanged.emit()

    def current_stop(self) -> str:
        return self.stop.text() if self.stop is not None else ""

    def settle(self) -> None:
        """Record the stop now shown, once: not again while the same stop stays on screen."""
        message = self.current_stop()
        if message and message != self._last_recorded_stop:
            self.prep.record(EventKind.STOP, self.key, message, at=self.ctx.now())
        self._last_recorded_stop = message

    def record_once(self, kind: EventKind, message: str) -> None:
        """Record a warning, notice or acknowledgement unless the same one is already recorded."""
        if any(e.kind is kind and e.step == self.key and e.message == message for e in self.prep.events):
            return
        self.prep.record(kind, self.key, message, at=self.ctx.now())

    # --- QWizardPage -------------------------------------------------------------------------------
    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self._complete

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        if self.cleared_notice is not None:
            self.cleared_notice.show_text(" ".join(self.ctx.cleared.get(self.key, [])))
        self.sync_from_preparation()
        self.refresh()
        self.settle()  # a stop shown as the page opens (an under-age patient, a kit now expired) is met
        self.focus_first()

    def focus_first(self) -> None:
        """Put the cursor in the page's first field (or the first one a change elsewhere cleared), scrolled into
        view, so that typing goes there (never on Cancel)."""
        for target in (self.cleared_focus, self.first_focus):
            if target is not None and target.isEnabled():
                self.focus_field(target)
                return

    def cleanupPage(self) -> None:  # noqa: N802 - Qt's name
        """Going back keeps what was typed on this page (QWizard would reset registered fields); a stop shown as
        the operator leaves the page was met."""
        self.settle()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.refresh()
        if not self._complete:
            self.settle()  # Next acts on what is shown
            return False
        try:
            self.commit()
            self.ctx.committed(self.key)  # the hook (storage) may refuse too, with a domain sentence
        except ClinicalStop as exc:
            self.set_state(False, stop=exc.message)
            self.settle()
            self.stopped(exc)
            return False
        except DomainError as exc:
            # Not a stop: say why, and leave Next enabled so that the same Next can be tried again (a save
            # that failed because the database could not be written succeeds once it can).
            self.status.show_message(exc.message)
            return False
        self.ctx.cleared.pop(self.key, None)
        self.cleared_focus = None
        self.elsewhere.clear_message()  # saved: what was typed here is in the draft now
        if self.cleared_notice is not None:
            self.cleared_notice.clear_text()
        return True

    # --- for subclasses ----------------------------------------------------------------------------
    def sync_from_preparation(self) -> None:
        """Put into the widgets what the Preparation holds for this page (see the module docstring)."""

    def stopped(self, stop: ClinicalStop) -> None:
        """Next met ``stop`` (from the domain or the store's guards); a page may offer what can follow it."""

    def refresh(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError
