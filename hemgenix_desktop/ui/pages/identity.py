"""Page 3, Identity: a blind comparison of the outer carton with the order.

The operator types (or scans) the patient-specific identifier printed on the outer carton and the date of
birth shown with it. The order's values are never on this page, not even after a mismatch: the stop repeats what
was typed and says which value differs (shown, the order's value could be typed back in to clear the stop; the
pharmacist in charge compares the carton with the order). The comparison runs when the operator asks for it
(button or Enter), never while typing.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from hemgenix_desktop.domain.errors import ClinicalStop, InvalidInput
from hemgenix_desktop.domain.parsing import parse_date, require_text
from hemgenix_desktop.domain.patient import IdentityCheck, identifiers_match, verify_identity
from hemgenix_desktop.ui.pages.base import PreparationPage, WizardContext
from hemgenix_desktop.ui.widgets import DateField, MessageLabel, named


class IdentityPage(PreparationPage):
    key = "identity"
    can_be_cleared = True

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            self.tr("Patient identity"),
            self.tr(
                "Read the outer carton of the kit. Type or scan the patient-specific identifier printed on it and "
                "the date of birth shown with it, then compare them with the order."
            ),
        )
        self._synced: IdentityCheck | None = None
        self._verified_for: tuple[str, str] | None = None
        self._mismatch: tuple[tuple[str, str], str] | None = None

        grid = self.group(self.tr("From the outer carton"), "identityCartonGroup")
        self.identifier = named(
            QLineEdit(), "identityCartonIdEdit", self.tr("Patient-specific identifier on the outer carton")
        )
        self.identifier_message = MessageLabel("identityCartonIdMessage", self.tr("Message about the identifier"))
        self.add_row(grid, self.tr("Patient-specific identifier"), self.identifier, self.identifier_message)
        self.first_focus = self.identifier
        self.date_of_birth = named(
            DateField(), "identityDateOfBirthEdit", self.tr("Date of birth shown with the identifier")
        )
        self.date_of_birth_message = MessageLabel(
            "identityDateOfBirthMessage", self.tr("Message about the date of birth")
        )
        self.add_row(grid, self.tr("Date of birth"), self.date_of_birth, self.date_of_birth_message)
        self.check_button = named(
            QPushButton(self.tr("Compare with the order")), "identityCheckButton", self.tr("Compare with the order")
        )
        self.check_button.setAutoDefault(False)
        self.add_row(grid, "", self.check_button)
        self.result = MessageLabel("identityResultMessage", self.tr("Result of the comparison"), "ok")
        self.body.addWidget(self.result)
        self.comparison = named(
            QLabel(), "identityComparisonLabel", self.tr("What was typed from the carton, compared with the order")
        )
        self.comparison.setTextFormat(Qt.TextFormat.RichText)
        self.comparison.setVisible(False)
        self.body.addWidget(self.comparison)
        self.body.addStretch(1)

        self.watch_text("identifier", self.identifier)
        self.watch_text("dob", self.date_of_birth)
        self.check_button.clicked.connect(self.compare)
        self.identifier.installEventFilter(self)  # Enter compares; the next Enter (the match seen) is Next
        self.date_of_birth.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter in either field compares, and stops there: the green match (or the STOP) stays on screen until
        the next Enter, which is Next. A tired technician sees the confirmation before the page goes. While the
        other field is empty, Enter is every page's: the cursor goes on to it."""
        if (
            watched in (self.identifier, self.date_of_birth)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self._verified_for != self._current()
            and self.next_empty_field(watched) is None
        ):
            self.compare()
            return True
        return super().eventFilter(watched, event)

    def _current(self) -> tuple[str, str]:
        return (self.identifier.text(), self.date_of_birth.text())

    def _read(self) -> tuple[IdentityCheck | None, dict[str, str]]:
        problems: dict[str, str] = {}
        identifier = ""
        try:
            identifier = require_text(self.identifier.text(), self.tr("patient-specific identifier on the carton"))
        except InvalidInput as exc:
            problems["identifier"] = exc.message
        try:
            born = parse_date(
                self.date_of_birth.text(), self.tr("date of birth shown on the carton"), example="1980-05-31"
            )
        except InvalidInput as exc:
            problems["dob"] = exc.message
            return None, problems
        return (None if problems else IdentityCheck(identifier, born)), problems

    def refresh(self) -> None:
        check, problems = self._read()
        self.identifier_message.show_message(problems.get("identifier", "") if self.shows_message("identifier") else "")
        self.date_of_birth_message.show_message(problems.get("dob", "") if self.shows_message("dob") else "")
        current = self._current()
        stop = ""
        if self._mismatch is not None and self._mismatch[0] == current:
            stop = self._mismatch[1]
        else:
            self._mismatch = None
        self.comparison.setVisible(bool(stop))
        verified = self._verified_for == current
        if not verified:
            self.result.clear_message()
        self.check_button.setEnabled(check is not None and not verified and not stop)
        if problems:
            status = next(iter(problems.values()))
        else:
            status = self.tr("Press “Compare with the order” to check the carton against the order.")
        self.set_state(verified, stop=stop, status=status)

    def compare(self) -> None:
        """Compare the carton's values with the order (the only moment the order's values are used)."""
        self.touch("identifier")
        self.touch("dob")
        check, _problems = self._read()
        order = self.prep.order
        if check is None or order is None:
            self.refresh()
            return
        try:
            verify_identity(order.patient, check)
        except ClinicalStop as exc:
            self._verified_for = None
            self._mismatch = (self._current(), exc.message)
            self._show_comparison(check)
        else:
            self._verified_for = self._current()
            self._mismatch = None
            self.result.show_message(self.tr("The carton's identifier and date of birth match the order."))
        self.refresh()
        self.settle()

    def _show_comparison(self, check: IdentityCheck) -> None:
        """What was typed from the carton, each value with whether it matches the order's; the order's values are
        not shown (the entry stays blind: shown, they could be typed back in)."""
        order = self.prep.order
        assert order is not None
        patient = order.patient
        rows = [
            (
                self.tr("Patient-specific identifier"),
                check.carton_identifier.strip(),
                not identifiers_match(check.carton_identifier, patient.patient_specific_id),
            ),
            (
                self.tr("Date of birth"),
                check.carton_date_of_birth.isoformat(),
                check.carton_date_of_birth != patient.date_of_birth,
            ),
        ]
        differs, matches = self.tr("differs from the order"), self.tr("matches the order")
        cells = "".join(
            f"<tr><td><b>{escape(name)}</b></td>"
            + (
                f"<td style='background:#fdecea'><b>{escape(carton)}</b></td><td><b>{escape(differs)}</b></td>"
                if different
                else f"<td>{escape(carton)}</td><td>{escape(matches)}</td>"
            )
            + "</tr>"
            for name, carton, different in rows
        )
        self.comparison.setText(
            "<table cellpadding='4' border='1' cellspacing='0'>"
            f"<tr><th></th><th>{escape(self.tr('Typed from the carton'))}</th>"
            f"<th>{escape(self.tr('Compared with the order'))}</th></tr>"
            f"{cells}</table>"
        )

    def sync_from_preparation(self) -> None:
        identity = self.prep.identity
        if identity is None:
            if self._synced is not None:  # cleared because the order changed: enter it again, blind
                self.identifier.clear()
                self.date_of_birth.clear()
                self._verified_for = None
                self._synced = None
            return
        if identity == self._synced:
            return
        self.identifier.setText(identity.carton_identifier)
        self.date_of_birth.setText(identity.carton_date_of_birth.isoformat())
        self._synced = identity
        order = self.prep.order
        if order is not None:
            try:
                verify_identity(order.patient, identity)
            except ClinicalStop:
                self._verified_for = None
            else:
                self._verified_for = self._current()
                self.result.show_message(self.tr("The carton's identifier and date of birth match the order."))

    def commit(self) -> None:
        check, problems = self._read()
        order = self.prep.order
        if check is None or order is None:
            raise InvalidInput(next(iter(problems.values()), self.tr("Complete the order page first.")))
        verify_identity(order.patient, check)
        self.prep.identity = check
        self._synced = check
