"""The Order page's panel for one dose per person (issue 21): when saving the order stopped because an earlier
preparation's patient has the same MRN, or the same name and date of birth, a pharmacist other than the preparer
may record, with the password and a reason, that the earlier patient was shown to be a different person. The
decision is the service's (``services.drafting``); this panel draws it and passes on what was typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLineEdit, QPushButton, QWidget

from hemgenix_desktop.domain.errors import DomainError, SamePersonHasPreparation
from hemgenix_desktop.services.drafting import DifferentPerson
from hemgenix_desktop.services.shared_types import StorageError
from hemgenix_desktop.ui.widgets import MessageLabel, enter_moves_to, field_label, hint_label, named

# Approves a possible same person as a different one (raises DomainError with the sentence when refused).
ApproveDifferentPerson = Callable[[SamePersonHasPreparation, DifferentPerson], object]


class DifferentPersonPanel(QGroupBox):
    """Hidden until :meth:`ask`; emits ``approved`` once a pharmacist's finding is recorded."""

    approved = Signal()

    def __init__(self, approve: ApproveDifferentPerson | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Is the earlier patient a different person?"), parent)
        self.setObjectName("orderDifferentPersonGroup")
        self._approve = approve
        self._stop: SamePersonHasPreparation | None = None
        grid = QGridLayout(self)
        grid.addWidget(
            hint_label(
                self.tr(
                    "Only a pharmacist who is not preparing this dose may go on, and only after showing that the "
                    "earlier patient is a different person (for instance by comparing photo ID, the MRN's history "
                    "and the earlier order). Otherwise stop: Hemgenix is given only once."
                )
            ),
            0,
            0,
            1,
            2,
        )
        self.shown = named(
            QCheckBox(self.tr("I have shown that the earlier patient is a different person.")),
            "orderDifferentPersonShown",
            self.tr("The earlier patient was shown to be a different person"),
        )
        grid.addWidget(self.shown, 1, 0, 1, 2)
        self.reason = named(QLineEdit(), "orderDifferentPersonReason", self.tr("How it was shown"))
        self.reason.setMaxLength(500)
        grid.addWidget(field_label(self.tr("How it was shown"), self.reason), 2, 0)
        grid.addWidget(self.reason, 2, 1)
        self.username = named(QLineEdit(), "orderDifferentPersonUsername", self.tr("Pharmacist's username"))
        grid.addWidget(field_label(self.tr("Pharmacist's username"), self.username), 3, 0)
        grid.addWidget(self.username, 3, 1)
        self.password = named(QLineEdit(), "orderDifferentPersonPassword", self.tr("Pharmacist's password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        grid.addWidget(field_label(self.tr("Password"), self.password), 4, 0)
        grid.addWidget(self.password, 4, 1)
        self.button = named(
            QPushButton(self.tr("Approve: a different person")),
            "orderDifferentPersonApprove",
            self.tr("Approve going on: the earlier patient is a different person"),
        )
        self.button.setAutoDefault(False)
        grid.addWidget(self.button, 5, 1)
        self.message = MessageLabel("orderDifferentPersonMessage", self.tr("Message about the approval"))
        grid.addWidget(self.message, 6, 1)
        self.button.clicked.connect(self._approve_now)
        self.password.returnPressed.connect(self._approve_now)
        enter_moves_to(self.username, self.password)
        self.setVisible(False)

    def ask(self, stop: SamePersonHasPreparation) -> None:
        """Offer the finding for this stop (only when the workstation can record it)."""
        if self._approve is None:
            return
        self._stop = stop
        self.message.clear_message()
        self.setVisible(True)

    def _approve_now(self) -> None:
        stop = self._stop
        if stop is None or self._approve is None:
            return
        entry = DifferentPerson(self.username.text(), self.password.text(), self.reason.text(), self.shown.isChecked())
        self.password.clear()
        try:
            self._approve(stop, entry)
        except (DomainError, StorageError) as exc:
            self.message.show_message(exc.message)
            return
        self._stop = None
        for edit in (self.reason, self.username):
            edit.clear()
        self.shown.setChecked(False)
        self.setVisible(False)
        self.approved.emit()


__all__ = ["ApproveDifferentPerson", "DifferentPersonPanel"]
