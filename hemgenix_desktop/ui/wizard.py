"""The preparation wizard: eight pages over one Preparation.

``PreparationWizard(preparation, practice=…, gs_standin=…, on_page_committed=…)``:

* ``on_page_committed(preparation, page_key)`` is called each time a page validly advances (Next, or
  Finish on the review page), after the page wrote into the Preparation and ``preparation.step`` was set to
  the page to resume at. Storage (autosave) plugs in here. If it raises a domain error (a ClinicalStop such
  as "this patient already has a preparation", or InvalidInput), the page shows its sentence (a stop in the
  stop banner) and does not advance; ``step`` is put back.
* ``attribute_to()`` (optional) names the person signed in now; each committed page is attributed to them
  (``Preparation.attributions``, through ``domain.signing.attribute_page``) before the hook runs, so the sealed
  record can say who answered each step. Without it nothing is attributed and the record cannot be sealed.
* A Preparation whose ``step`` is a later page (a saved one, restored) opens at that page: the wizard walks
  forward from the order page, re-checking every page through the domain on the way, and stops early at
  the first page that is not complete. ``on_page_committed`` is not called during that walk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget, QWizard

from hemgenix_desktop.domain.carton import validate_gs_standin
from hemgenix_desktop.domain.checks import Checklist, load_checklist
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Signer, attribute_page
from hemgenix_desktop.practice import PRACTICE_MARK
from hemgenix_desktop.services.drafting import DraftChangedElsewhere
from hemgenix_desktop.ui import msgbox
from hemgenix_desktop.ui.pages.base import PAGE_KEYS, PreparationPage, WizardContext
from hemgenix_desktop.ui.pages.checks import AdministrationPage, PreparationChecksPage
from hemgenix_desktop.ui.pages.eligibility import EligibilityPage
from hemgenix_desktop.ui.pages.identity import IdentityPage
from hemgenix_desktop.ui.pages.kit import KitPage
from hemgenix_desktop.ui.pages.order import OrderPage
from hemgenix_desktop.ui.pages.review import ReviewPage
from hemgenix_desktop.ui.pages.weight import WeightPage
from hemgenix_desktop.ui.person_check import ApproveDifferentPerson
from hemgenix_desktop.ui.practice_sheet import PracticeSheetDialog
from hemgenix_desktop.ui.style import STYLE_SHEET
from hemgenix_desktop.ui.widgets import EnterPressesButtons

PageHook = Callable[[Preparation, str], None]


class PreparationWizard(QWizard):
    def __init__(
        self,
        preparation: Preparation,
        *,
        practice: bool,
        gs_standin: str | None = None,
        on_page_committed: PageHook | None = None,
        now: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        checklist: Checklist | None = None,
        attribute_to: Callable[[], Signer | None] | None = None,
        lab_results_newer_than_days: int = 0,
        different_person: ApproveDifferentPerson | None = None,
        parent: QWidget | None = None,
        own_style_sheet: bool = True,
    ) -> None:
        """``own_style_sheet`` False: the wizard is shown inside a window whose style sheet it inherits (the main
        window's stack), so it sets none of its own; built without one, its pages are polished once, when shown
        there, not once while built and again when added (about 30 ms of the GUI thread at each sign-in)."""
        super().__init__(parent)
        preparation.practice = preparation.practice or practice
        self.practice = preparation.practice
        self.ctx = WizardContext(
            preparation=preparation,
            practice=self.practice,
            gs_standin=validate_gs_standin(gs_standin),
            now=now or (lambda: datetime.now(UTC)),
            tz=tz,
            checklist=checklist or load_checklist(),
            lab_results_newer_than_days=lab_results_newer_than_days,
            different_person=different_person,
        )
        self.ctx.committed = self._committed
        self._on_page_committed = on_page_committed
        self._attribute_to = attribute_to
        self._leaving = False
        self._practice_sheet: QWidget | None = None

        self.setObjectName("preparationWizard")
        self.setAccessibleName(self.tr("Hemgenix preparation wizard"))
        title = self.tr("Hemgenix Prep: preparation")
        self.setWindowTitle(f"{PRACTICE_MARK} · {title}" if self.practice else title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        if own_style_sheet:  # shown on its own (a test, a screenshot): the program's look
            self.setStyleSheet(STYLE_SHEET)

        self.pages: dict[str, PreparationPage] = {
            "order": OrderPage(self.ctx),
            "eligibility": EligibilityPage(self.ctx),
            "identity": IdentityPage(self.ctx),
            "weight": WeightPage(self.ctx),
            "kit": KitPage(self.ctx),
            "preparation": PreparationChecksPage(self.ctx),
            "administration": AdministrationPage(self.ctx),
            "review": ReviewPage(self.ctx, self.go_to),
        }
        for index, key in enumerate(PAGE_KEYS):
            self.setPage(index, self.pages[key])

        names = {
            QWizard.WizardButton.BackButton: ("wizardBackButton", self.tr("Back")),
            QWizard.WizardButton.NextButton: ("wizardNextButton", self.tr("Next")),
            QWizard.WizardButton.FinishButton: ("wizardFinishButton", self.tr("Finish review")),
            QWizard.WizardButton.CancelButton: ("wizardCancelButton", self.tr("Cancel")),
        }
        for which, (object_name, text) in names.items():
            self.setButtonText(which, text)
            button = self.button(which)
            button.setObjectName(object_name)
            button.setAccessibleName(text)
        if self.practice:
            self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
            text = self.tr("Practice carton codes…")
            self.setButtonText(QWizard.WizardButton.CustomButton1, text)
            practice_button = self.button(QWizard.WizardButton.CustomButton1)
            practice_button.setObjectName("wizardPracticeCodesButton")
            practice_button.setAccessibleName(text)
            self.customButtonClicked.connect(self._custom_button)

        EnterPressesButtons(self)  # "Now" on the weight page: Enter presses it, as Space does
        self.currentIdChanged.connect(self._focus_page)  # after QWizard gave the focus to the page's first button
        self.setMinimumSize(600, 420)
        self.resize(1180, 760)
        self.restart()
        if preparation.step in PAGE_KEYS and preparation.step != PAGE_KEYS[0]:
            self._resume_to(preparation.step)

    # --- navigation --------------------------------------------------------------------------------
    @property
    def preparation(self) -> Preparation:
        return self.ctx.preparation

    def current_key(self) -> str:
        page = self.currentPage()
        return page.key if isinstance(page, PreparationPage) else ""

    def next_button(self) -> QAbstractButton:
        return self.button(QWizard.WizardButton.NextButton)

    def _resume_to(self, target: str) -> None:
        self.ctx.resuming = True
        try:
            while self.current_key() != target:
                before = self.currentId()
                page = self.currentPage()
                if page is None or not page.isComplete():
                    break
                self.next()
                if self.currentId() == before:
                    break
        finally:
            self.ctx.resuming = False

    def go_to(self, key: str) -> None:
        """Go back to an earlier page (what every page holds is kept)."""
        target = PAGE_KEYS.index(key)
        while self.currentId() > target:
            before = self.currentId()
            self.back()
            if self.currentId() == before:
                break

    def _committed(self, key: str) -> None:
        if self.ctx.resuming:
            return
        index = PAGE_KEYS.index(key)
        before, attributed = self.preparation.step, dict(self.preparation.attributions)
        self.preparation.step = PAGE_KEYS[min(index + 1, len(PAGE_KEYS) - 1)]
        signer = self._attribute_to() if self._attribute_to is not None else None
        page, earlier = self.currentPage(), self.preparation.attributions.get(key)
        kept = (  # nothing changed, by the same person: the earlier attribution stands
            isinstance(page, PreparationPage)
            and not page.answers_changed
            and earlier is not None
            and signer is not None
            and earlier.username == signer.username
        )
        if signer is not None and not kept:
            attribute_page(self.preparation, key, signer, self.ctx.now(), self.ctx.checklist)
        if self._on_page_committed is not None:
            try:
                self._on_page_committed(self.preparation, key)
            except Exception as exc:
                self.preparation.step = before  # the page did not advance
                self.preparation.attributions = attributed
                if isinstance(exc, DraftChangedElsewhere):  # a stale save: the pages show the newer values
                    self.reload(exc.newer, key, exc.message)
                    raise InvalidInput(
                        self.tr("Not saved: another workstation changed this preparation (see below).")
                    ) from exc
                raise

    def reload(self, newer: Preparation, key: str, sentence: str) -> None:
        """Show ``newer`` (the draft as another workstation saved it) on every page, staying on page ``key``, whose
        message keeps the refusal's sentence: who changed what where, and what was typed here beside it."""
        newer.practice = newer.practice or self.practice
        self.ctx.preparation = newer
        for page in self.pages.values():
            page.sync_from_preparation()
            page.refresh()
        self.pages[key].elsewhere.show_message(sentence)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Shown (first, or again in the main window's stack): the cursor in the page's first field, unless it is
        in a field of the page already (then it stays where the person left it)."""
        super().showEvent(event)
        page, where = self.currentPage(), self.focusWidget()
        if page is not None and (where is None or not page.isAncestorOf(where)):
            self._focus_page()

    def _focus_page(self, _id: int = -1) -> None:
        page = self.currentPage()
        if isinstance(page, PreparationPage):
            page.focus_first()

    # --- practice ----------------------------------------------------------------------------------
    def _custom_button(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.show_practice_sheet()

    def show_practice_sheet(self) -> QWidget:

        if self._practice_sheet is None:
            self._practice_sheet = PracticeSheetDialog(self.ctx.today(), self)
        self._practice_sheet.show()
        self._practice_sheet.raise_()
        return self._practice_sheet

    # --- leaving -----------------------------------------------------------------------------------
    def reject(self) -> None:
        """Cancel, Escape or closing the window: ask first once anything was entered."""
        if self._leaving or not self._anything_entered():
            super().reject()
            return
        if self._on_page_committed is None:
            text = self.tr("Nothing of this preparation is saved. If you leave now, everything entered is lost.")
        else:
            text = self.tr("Pages completed with Next are kept. What you typed on this page since then is lost.")
        msgbox.ask(
            self,
            self.tr("Leave this preparation?"),
            text,
            self._leave,
            yes_text=self.tr("Leave"),
            no_text=self.tr("Stay"),
        )

    def _anything_entered(self) -> bool:
        return self.preparation.order is not None or any(edit.text() for edit in self.findChildren(QLineEdit))

    def _leave(self) -> None:
        page = self.currentPage()
        if isinstance(page, PreparationPage):
            page.settle()  # a stop shown as the operator leaves the preparation was met
        self._leaving = True
        self.reject()
