"""Page 8, Review: the whole preparation on one page, with the stops, warnings and notices met."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QPushButton, QVBoxLayout

from hemgenix_desktop.domain.checks import Answer, InputKind, Section
from hemgenix_desktop.domain.dose import format_gc
from hemgenix_desktop.domain.preparation import EventKind
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.pages.base import PreparationPage, WizardContext
from hemgenix_desktop.ui.pages.checks import placeholders
from hemgenix_desktop.ui.widgets import named

Rows = list[tuple[str, str]]


class ReviewPage(PreparationPage):
    key = "review"
    has_stops = False

    def __init__(self, ctx: WizardContext, go_to: Callable[[str], None]) -> None:
        super().__init__(
            ctx,
            self.tr("Review"),
            self.tr(
                "Read everything once more. To correct an entry, press Change beside its section (or Back); "
                "nothing you entered is lost by going back."
            ),
        )
        self._go_to = go_to
        self.sections: dict[str, QLabel] = {}
        self.titles = titles = {
            "order": self.tr("Order"),
            "eligibility": self.tr("Authorization and eligibility"),
            "identity": self.tr("Patient identity"),
            "weight": self.tr("Weight and dose"),
            "kit": self.tr("Kit carton and vial count"),
            "preparation": self.tr("Preparation checks"),
            "administration": self.tr("Administration constraints"),
        }
        for key, title in titles.items():
            grid = self.group(title, f"review{_camel(key)}Group")
            label = named(QLabel(), f"review{_camel(key)}Label", title)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, 0, 0)
            change = named(
                QPushButton(self.tr("Change")),
                f"reviewChange{_camel(key)}Button",
                self.tr("Change: {section}").format(section=title),
            )
            change.setAutoDefault(False)
            change.clicked.connect(lambda _checked=False, k=key: self._go_to(k))
            grid.addWidget(change, 0, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.setColumnMinimumWidth(0, 0)
            grid.setColumnMinimumWidth(1, 0)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 0)
            grid.setColumnStretch(2, 0)
            self.sections[key] = label

        events_grid: QGridLayout = self.group(self.tr("Stops, warnings and notices met"), "reviewEventsGroup")
        events_grid.setColumnMinimumWidth(0, 0)
        self.events = named(QLabel(), "reviewEventsLabel", self.tr("Stops, warnings and notices met"))
        self.events.setTextFormat(Qt.TextFormat.RichText)
        self.events.setWordWrap(True)
        self.events.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        events_grid.addWidget(self.events, 0, 0, 1, 3)

        self.confirm = named(
            QCheckBox(self.tr("I have reviewed every entry on this page.")),
            "reviewConfirmCheck",
            self.tr("I have reviewed every entry on this page."),
        )
        outer = self.layout()  # under the scrolling review, always in sight: it has the cursor as the page opens
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(outer.indexOf(self.scroll_area) + 1, self.confirm)
        self.first_focus = self.confirm
        self.body.addStretch(1)
        self.confirm.toggled.connect(lambda _checked: self.refresh())

    # --- content -----------------------------------------------------------------------------------
    def _table(self, rows: Rows) -> str:
        cells = "".join(
            f"<tr><td style='padding-right:12px'>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows
        )
        return f"<table cellpadding='2'>{cells}</table>"

    def _fill(self) -> None:
        prep, tz = self.prep, self.ctx.tz
        not_yet = self.tr("Not entered yet.")
        order = prep.order
        self.sections["order"].setText(
            self._table(
                [
                    (self.tr("Patient"), order.patient.full_name),
                    (self.tr("Date of birth"), order.patient.date_of_birth.isoformat()),
                    (self.tr("MRN"), order.patient.mrn),
                    (self.tr("Patient-specific identifier"), order.patient.patient_specific_id),
                    (self.tr("Order number"), order.order_number),
                    (self.tr("Prescriber"), order.prescriber),
                    (self.tr("Prior authorization"), order.authorization_number),
                    (
                        self.tr("Prescription weight"),
                        self.tr("{weight}, weighed on {date}").format(
                            weight=order.prescription_weight.describe(),
                            date=order.prescription_weight_date.isoformat(),
                        ),
                    ),
                    (self.tr("Infusion date"), order.infusion_date.isoformat()),
                ]
            )
            if order is not None
            else escape(not_yet)
        )
        self.sections["eligibility"].setText(
            "<br>".join(escape(line) for line in prep.eligibility_confirmed) or escape(not_yet)
        )
        identity = prep.identity
        self.sections["identity"].setText(
            self._table(
                [
                    (self.tr("Identifier on the carton"), identity.carton_identifier),
                    (self.tr("Date of birth on the carton"), identity.carton_date_of_birth.isoformat()),
                    (self.tr("Result"), self.tr("Matches the order.")),
                ]
            )
            if identity is not None
            else escape(not_yet)
        )
        dose = prep.dose
        if dose is not None and prep.weight_today is not None:
            kit = dose.kit_choice.kit
            rows: Rows = [
                (self.tr("Today's weight"), prep.weight_today.describe()),
                (
                    self.tr("Measured"),
                    self.tr("{time}, {method}").format(
                        time=clock_time(prep.weight_measured_at, tz) if prep.weight_measured_at else "—",
                        method=prep.weight_method,
                    ),
                ),
                (self.tr("Calculation"), dose.formula()),
                (self.tr("Dose"), self.tr("{ml} mL ({gc} gc)").format(ml=dose.dose_ml, gc=format_gc(dose.dose_gc))),
                (
                    self.tr("Vials"),
                    self.tr("{vials}: {plan}").format(vials=dose.vials, plan=dose.withdrawal.describe()),
                ),
                (self.tr("Kit"), self.tr("{vials} vials, NDC {ndc}").format(vials=kit.vials, ndc=kit.ndc11)),
                (
                    self.tr("Supplied"),
                    self.tr("{supplied} mL; surplus {surplus} mL discarded").format(
                        supplied=dose.supplied_ml, surplus=dose.surplus_ml
                    ),
                ),
            ]
            if dose.warnings:
                rows.append(
                    (
                        self.tr("Below the kit table"),
                        self.tr("Acknowledged.") if prep.below_table_acknowledged else self.tr("Not acknowledged."),
                    )
                )
            self.sections["weight"].setText(self._table(rows))
        else:
            self.sections["weight"].setText(escape(not_yet))
        carton = prep.carton
        self.sections["kit"].setText(
            self._table(
                [
                    (
                        self.tr("NDC"),
                        self.tr("{ndc10} (billing {ndc11})").format(ndc10=carton.ndc10, ndc11=carton.ndc11),
                    ),
                    (self.tr("Kit vials"), str(carton.kit_vials)),
                    (self.tr("Lot"), carton.lot),
                    (self.tr("Expiry"), carton.expiry.isoformat()),
                    (self.tr("Serial"), carton.serial),
                    (self.tr("Vials counted"), "" if prep.vials_counted is None else str(prep.vials_counted)),
                ]
            )
            if carton is not None
            else escape(not_yet)
        )
        self.sections["preparation"].setText(self._checks(Section.PREPARATION))
        administration = self._checks(Section.ADMINISTRATION)
        if prep.prepared_at is not None and prep.complete_by is not None:
            administration += "<p>" + escape(
                self.tr("Prepared at {prepared}; complete the infusion by {complete_by}.").format(
                    prepared=clock_time(prep.prepared_at, tz), complete_by=clock_time(prep.complete_by, tz)
                )
            )
        self.sections["administration"].setText(administration)
        self.events.setText(self._events())

    def _checks(self, section: Section) -> str:
        prep = self.prep
        values = placeholders(prep, self.ctx.tz)
        rows: Rows = []
        for item in self.ctx.checklist.section(section):
            rendered = dataclasses.replace(item, text=item.render(**values))
            rows.append((rendered.text, self._answer_text(item.input, prep.checks.get(item.id))))
        return self._table(rows)

    def _answer_text(self, kind: InputKind, answer: Answer) -> str:
        if answer is None:
            return self.tr("Not answered.")
        if answer is True:
            return self.tr("Confirmed")
        if isinstance(answer, date):
            return answer.isoformat()
        if isinstance(answer, Decimal) and kind in (InputKind.VOLUME, InputKind.FINAL_VOLUME):
            return self.tr("{ml} mL").format(ml=answer)
        return str(answer)

    def _events(self) -> str:
        if not self.prep.events:
            return escape(self.tr("None: no stop, warning or notice was met."))
        kinds = {
            EventKind.STOP: self.tr("STOP"),
            EventKind.WARNING: self.tr("WARNING"),
            EventKind.NOTICE: self.tr("NOTICE"),
            EventKind.INVALIDATED: self.tr("CLEARED"),
            EventKind.ACKNOWLEDGED: self.tr("ACKNOWLEDGED"),
        }
        colours = {EventKind.STOP: "#8c1d18", EventKind.WARNING: "#7a4500", EventKind.NOTICE: "#17487f"}
        rows = "".join(
            f"<tr><td style='padding-right:10px; color:{colours.get(e.kind, '#202020')}'>"
            f"<b>{escape(kinds[e.kind])}</b></td>"
            f"<td style='padding-right:10px'>{escape(clock_time(e.at, self.ctx.tz))}</td>"
            f"<td style='padding-right:10px'>{escape(self.titles.get(e.step, e.step))}</td><td>{escape(e.message)}</td></tr>"
            for e in self.prep.events
        )
        return f"<table cellpadding='2'>{rows}</table>"

    # --- page protocol -----------------------------------------------------------------------------
    def sync_from_preparation(self) -> None:
        self.confirm.setChecked(False)  # a review is confirmed after reading what is on screen now
        self._fill()

    def refresh(self) -> None:
        self.set_state(
            self.confirm.isChecked(),
            status=self.tr("Tick “I have reviewed every entry on this page” to finish."),
        )
        if self.confirm.isChecked():
            self.status.show_message(self.tr("The review is complete. Press Finish review."))

    def commit(self) -> None:
        """Nothing to write: the Preparation is complete and reviewed."""


def _camel(key: str) -> str:
    return key[:1].upper() + key[1:]
