"""Pages 6 and 7, Preparation checks and Administration constraints, built from ``resources/checklist.toml``.

One row per checklist item, with the input its ``input`` kind asks for (tick, choice, text, date, volume,
final volume).
Nothing starts ticked or chosen. Placeholders in the item texts ({dose_ml}, {complete_by}, {rate_ml_per_h})
are filled in from the Preparation. Whether an answer is complete, and whether it is a clinical stop, is
decided by ``checks.problem_with``.
"""

from __future__ import annotations

import dataclasses
from datetime import date, tzinfo
from decimal import Decimal

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from hemgenix_desktop.domain.checks import (
    Answer,
    CheckContext,
    CheckItem,
    InputKind,
    Section,
    parse_final_volume_ml,
    parse_volume_ml,
    problem_with,
)
from hemgenix_desktop.domain.errors import ClinicalStop, InvalidInput
from hemgenix_desktop.domain.parsing import parse_date
from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.ui.formatting import clock_time
from hemgenix_desktop.ui.pages.base import FIELD_MAX_WIDTH, PreparationPage, WizardContext
from hemgenix_desktop.ui.widgets import ChoiceGroup, DateField, MessageLabel, TickBox, named


def placeholders(prep: Preparation, tz: tzinfo | None) -> dict[str, str]:
    """Values for the checklist texts' {placeholders}; one missing leaves its placeholder visible."""
    values = {"rate_ml_per_h": str(product_facts().rate_ml_per_h)}
    dose = prep.dose
    if dose is not None:
        values["dose_ml"] = str(dose.dose_ml)
    complete_by = prep.complete_by
    if complete_by is not None:
        values["complete_by"] = clock_time(complete_by, tz)
    return values


class _Row:
    """The widgets of one checklist item."""

    def __init__(self, item: CheckItem) -> None:
        self.item = item
        self.tick: TickBox | None = None
        self.choice: ChoiceGroup | None = None
        self.edit: QLineEdit | None = None
        self.question: QLabel | None = None
        self.message = MessageLabel(f"checkMessage_{item.id}", item.text)

    def focus_widget(self) -> QWidget | None:
        """Where the cursor goes to answer the item: its box, its first choice or its field."""
        if self.tick is not None:
            return self.tick.box
        if self.choice is not None:
            return next(iter(self.choice.buttons.values()))
        return self.edit


class ChecklistPage(PreparationPage):
    """The items of one checklist section."""

    section = Section.PREPARATION

    def __init__(self, ctx: WizardContext, heading: str, intro: str) -> None:
        super().__init__(ctx, heading, intro)
        self._rows: list[_Row] = []
        self._synced: dict[str, Answer] = {}
        self._extra_top()
        grid = self.group(self.tr("Checklist (from the policy, the label and the site)"), f"{self.key}ChecksGroup")
        grid.setVerticalSpacing(6)
        grid.setColumnMinimumWidth(0, 0)
        for item in ctx.checklist.section(self.section):
            self._rows.append(self._build(grid, item))
        if self._rows:
            self.first_focus = self._rows[0].focus_widget()
        self.body.addStretch(1)

    def _extra_top(self) -> None:
        """Room for a page to add something above the items."""

    def _build(self, grid: QGridLayout, item: CheckItem) -> _Row:
        row = _Row(item)
        name = f"checkItem_{item.id}"
        r = grid.rowCount()
        if item.input is InputKind.TICK:
            row.tick = TickBox(item.text, name)
            grid.addWidget(row.tick, r, 0, 1, 3)
            self.watch_check(item.id, row.tick.box)
        else:
            row.question = QLabel(item.text)
            row.question.setWordWrap(True)
            row.question.setProperty("role", "fieldLabel")
            grid.addWidget(row.question, r, 0, 1, 3)
            r += 1
            if item.input is InputKind.CHOICE:
                row.choice = ChoiceGroup(
                    name,
                    item.text,
                    [(choice, choice, f"{name}_{n}") for n, choice in enumerate(item.choices)],
                    vertical=True,
                )
                grid.addWidget(row.choice, r, 0, 1, 3)
                self.watch_choice(item.id, row.choice)
            else:
                edit: QLineEdit = DateField() if item.input is InputKind.DATE else QLineEdit()
                named(edit, name, item.text)
                row.edit = edit
                row.question.setBuddy(edit)
                holder = QWidget()
                holder.setMaximumWidth(FIELD_MAX_WIDTH)
                layout = QHBoxLayout(holder)
                layout.setContentsMargins(0, 0, 0, 0)
                layout.addWidget(edit, 1)
                if item.input in (InputKind.VOLUME, InputKind.FINAL_VOLUME):
                    layout.addWidget(QLabel(self.tr("mL")))
                layout.addStretch(1)
                grid.addWidget(holder, r, 0, 1, 2)
                self.watch_text(item.id, edit)
        grid.addWidget(row.message, r + 1, 0, 1, 3)
        grid.setRowMinimumHeight(r + 2, 6)  # air between items
        return row

    def placeholders(self) -> dict[str, str]:
        return placeholders(self.prep, self.ctx.tz)

    # --- reading -----------------------------------------------------------------------------------
    def _answer(self, row: _Row) -> tuple[Answer, str]:
        """The answer a row holds, and what is wrong with its text when it cannot be read."""
        item = row.item
        if row.tick is not None:
            return (True if row.tick.box.isChecked() else None), ""
        if row.choice is not None:
            return row.choice.value(), ""
        assert row.edit is not None
        text = row.edit.text()
        if item.input is InputKind.TEXT:
            return (text.strip() or None), ""
        if not text.strip():
            return None, ""
        try:
            if item.input is InputKind.DATE:
                return parse_date(text, item.text.lower()), ""
            if item.input is InputKind.FINAL_VOLUME:
                return parse_final_volume_ml(text), ""
            return parse_volume_ml(text), ""
        except InvalidInput as exc:
            return None, exc.message

    def _read(self) -> tuple[dict[str, Answer], dict[str, str], ClinicalStop | None]:
        values = self.placeholders()
        dose = self.prep.dose
        context = CheckContext(dose_ml=dose.dose_ml if dose is not None else None, preparation_date=self.ctx.today())
        answers: dict[str, Answer] = {}
        problems: dict[str, str] = {}
        stop: ClinicalStop | None = None
        for row in self._rows:
            rendered = dataclasses.replace(row.item, text=row.item.render(**values))
            answer, unreadable = self._answer(row)
            answers[row.item.id] = answer
            if unreadable:
                problems[row.item.id] = unreadable
                continue
            try:
                problem = problem_with(rendered, answer, context)
            except ClinicalStop as exc:
                stop = stop or exc
                continue
            if problem is not None:
                problems[row.item.id] = problem
        return answers, problems, stop

    def refresh(self) -> None:
        values = self.placeholders()
        for row in self._rows:
            text = row.item.render(**values)
            if row.tick is not None:
                row.tick.set_text(text)
            elif row.question is not None and row.question.text() != text:
                row.question.setText(text)
                for widget in (row.edit, row.choice):
                    if widget is not None:
                        widget.setAccessibleName(text)
            if row.message.accessibleName() != text:
                row.message.setAccessibleName(text)
        _answers, problems, stop = self._read()
        for row in self._rows:
            item_id = row.item.id
            row.message.show_message(problems.get(item_id, "") if self.shows_message(item_id) else "")
        open_items = [problems[row.item.id] for row in self._rows if row.item.id in problems]
        status = ""
        if len(open_items) == 1:
            status = open_items[0]
        elif open_items:
            status = self.tr("{count} items on this page are still open. The first: {problem}").format(
                count=len(open_items), problem=open_items[0]
            )
        self.set_state(not problems, stop=stop.message if stop is not None else "", status=status)

    # --- Preparation ↔ widgets -----------------------------------------------------------------------
    def sync_from_preparation(self) -> None:
        checks = self.prep.checks
        cleared: list[_Row] = []
        for row in self._rows:
            item_id = row.item.id
            if item_id in checks:
                if self._synced.get(item_id) != checks[item_id] or item_id not in self._synced:
                    self._set(row, checks[item_id])
            elif item_id in self._synced:  # cleared by a change on an earlier page (a new weight)
                self._set(row, None)
                cleared.append(row)
        if cleared:  # the cursor opens on the first item to answer again, not on the page's first item
            self.cleared_focus = cleared[0].focus_widget()
        self._synced = {row.item.id: checks[row.item.id] for row in self._rows if row.item.id in checks}

    def _set(self, row: _Row, answer: Answer) -> None:
        if row.tick is not None:
            row.tick.box.setChecked(answer is True)
        elif row.choice is not None:
            row.choice.set_value(answer if isinstance(answer, str) else None)
        elif row.edit is not None:
            if answer is None:
                row.edit.clear()
            elif isinstance(answer, date):
                row.edit.setText(answer.isoformat())
            elif isinstance(answer, Decimal | str):
                row.edit.setText(str(answer))

    def commit(self) -> None:
        answers, problems, stop = self._read()
        if stop is not None:
            raise stop
        if problems:
            raise InvalidInput(next(iter(problems.values())))
        changed = any(self.prep.checks.get(item_id) != answer for item_id, answer in answers.items())
        for item_id, answer in answers.items():
            if answer is None:
                self.prep.checks.pop(item_id, None)
            else:
                self.prep.checks[item_id] = answer
        self._synced = {k: v for k, v in answers.items() if v is not None}
        self.answers_changed = changed
        self.after_commit(changed)

    def after_commit(self, changed: bool) -> None:
        """Room for a page to do more once its answers are in the Preparation (``changed``: any answer differs
        from what the Preparation held)."""


class PreparationChecksPage(ChecklistPage):
    key = "preparation"
    section = Section.PREPARATION
    can_be_cleared = True

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            self.tr("Preparation checks"),
            self.tr("Confirm each step as you do it. Nothing is ticked for you."),
        )

    def after_commit(self, changed: bool) -> None:
        """The preparation time is when these checks are complete (the clock for completing the infusion starts):
        set when first complete, and set again when an answer changed (a volume drawn again after a new weight), so
        that "Prepared at" is never earlier than the checks it rests on (issue 21)."""
        if self.prep.prepared_at is None or changed:
            self.prep.prepared_at = self.ctx.now()


class AdministrationPage(ChecklistPage):
    key = "administration"
    section = Section.ADMINISTRATION

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            self.tr("Administration constraints"),
            self.tr("Acknowledge each constraint; they go with the bag to the infusion nurse."),
        )

    def _extra_top(self) -> None:
        self.times = named(QLabel(), "administrationTimesLabel", self.tr("Preparation time and complete-by time"))
        self.times.setProperty("role", "value")
        self.times.setWordWrap(True)
        self.body.addWidget(self.times)

    def refresh(self) -> None:
        prepared, complete_by = self.prep.prepared_at, self.prep.complete_by
        if prepared is not None and complete_by is not None:
            self.times.setText(
                self.tr("Prepared at {prepared}. The infusion must be completed by {complete_by}.").format(
                    prepared=clock_time(prepared, self.ctx.tz), complete_by=clock_time(complete_by, self.ctx.tz)
                )
            )
        super().refresh()
