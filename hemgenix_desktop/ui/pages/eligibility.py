"""Page 2, Authorization and eligibility: the payer policy's criteria, answered explicitly.

Each laboratory result is entered as the laboratory reported it (``<0.3 BU``, ``not detected``, ``1:400``), with its
date, the laboratory and, for a word, the assay's detection limit; the domain reads and decides it
(``domain/lab_result.py``, ``domain/eligibility.py``). A positive first inhibitor result opens its re-test's row.
A result refused keeps every field as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from hemgenix_desktop.domain.eligibility import (
    EligibilityAnswers,
    check_age,
    check_eligibility,
    check_results_recent,
    eligibility_thresholds,
    positive_first_result,
)
from hemgenix_desktop.domain.errors import ClinicalStop, InvalidInput
from hemgenix_desktop.domain.lab_result import Analyte, LabResult, format_value, lab_result
from hemgenix_desktop.domain.patient import age_on
from hemgenix_desktop.ui.pages.base import PreparationPage, WizardContext
from hemgenix_desktop.ui.widgets import ChoiceGroup, DateField, MessageLabel, field_label, hint_label, named

RESULT_ROW_MAX_WIDTH = 980  # a result's four fields side by side: the laboratory's name stays readable


@dataclass
class ResultFields:
    """The fields of one laboratory result: as reported, its date, the laboratory, the detection limit."""

    key: str
    analyte: Analyte
    reported: QLineEdit
    on: QLineEdit
    laboratory: QLineEdit
    limit: QLineEdit
    message: MessageLabel
    row: QWidget

    def edits(self) -> tuple[QLineEdit, ...]:
        return (self.reported, self.on, self.laboratory, self.limit)

    def empty(self) -> bool:
        return not any(edit.text().strip() for edit in self.edits())

    def read(self, assay_points: int | None = None) -> LabResult:
        return lab_result(
            self.analyte,
            self.reported.text(),
            self.on.text(),
            self.laboratory.text(),
            self.limit.text(),
            assay_points,
        )

    def show(self, result: LabResult | None) -> None:
        self.reported.setText("" if result is None else result.reported)
        self.on.setText("" if result is None or result.on is None else result.on.isoformat())
        self.laboratory.setText("" if result is None else result.laboratory)
        limit = None if result is None else result.detection_limit
        self.limit.setText("" if limit is None else format_value(self.analyte, limit))


class EligibilityPage(PreparationPage):
    key = "eligibility"

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(
            ctx,
            self.tr("Authorization and eligibility"),
            self.tr(
                "Answer each criterion of the payer policy from the patient's file. Nothing is answered for you; "
                "a criterion that is not met stops the preparation."
            ),
        )
        self._synced: EligibilityAnswers | None = None
        thresholds = eligibility_thresholds()

        policy = self.group(self.tr("Authorization and history"), "eligibilityHistoryGroup")
        self.authorization = ChoiceGroup(
            "eligibilityAuthorization",
            self.tr("Prior authorization on file for this one dose"),
            [
                ("yes", self.tr("Yes, on file"), "eligibilityAuthorizationYes"),
                ("no", self.tr("No"), "eligibilityAuthorizationNo"),
            ],
        )
        self.add_row(policy, self.tr("Is a prior authorization for this one dose on file?"), self.authorization)
        self.first_focus = self.authorization.buttons["yes"]
        self.prior_therapy = ChoiceGroup(
            "eligibilityPriorGeneTherapy",
            self.tr("Prior AAV-vector gene therapy"),
            [
                ("yes", self.tr("Yes"), "eligibilityPriorGeneTherapyYes"),
                ("no", self.tr("No, never"), "eligibilityPriorGeneTherapyNo"),
            ],
        )
        self.add_row(
            policy, self.tr("Has the patient had hemophilia AAV-vector gene therapy before?"), self.prior_therapy
        )
        self.age_label = named(QLabel(), "eligibilityAgeLabel", self.tr("Age on the infusion date"))
        self.age_label.setProperty("role", "value")
        self.age_label.setWordWrap(True)
        self.add_row(policy, self.tr("Age (from the date of birth)"), self.age_label)

        labs = self.group(self.tr("Laboratory results, as reported"), "eligibilityLabGroup")
        limit_bu = thresholds.inhibitor_negative_below_bu
        self.inhibitor = self._result_fields(
            labs,
            "Inhibitor",
            Analyte.INHIBITOR,
            self.tr("Factor IX inhibitor"),
            self.tr("as printed, with its < or > sign"),
            self.tr("BU"),
            self.tr(
                "As printed on the report: 0.4, <{limit} BU, negative… Negative means below {limit} BU. With a word, "
                "give the assay's detection limit."
            ).format(limit=limit_bu),
        )
        retest_group = self.group(self.tr("After a positive inhibitor result"), "eligibilityRetestGroup")
        retest_box = retest_group.parentWidget()
        assert retest_box is not None  # the group's box
        self.retest_box: QWidget = retest_box
        self.retest = self._result_fields(
            retest_group,
            "Retest",
            Analyte.INHIBITOR,
            self.tr("Inhibitor re-test"),
            self.tr("the re-test, as reported"),
            self.tr("BU"),
            self.tr(
                "The first result is positive: the policy asks for a re-test about {days} days later. If the re-test "
                "is positive too, Hemgenix must not be given."
            ).format(days=thresholds.inhibitor_retest_after_days),
        )
        titre_group = self.group(self.tr("Anti-AAV5 neutralizing antibodies"), "eligibilityTitreGroup")
        self.titre = self._result_fields(
            titre_group,
            "Titre",
            Analyte.NAB_TITRE,
            self.tr("Anti-AAV5 NAb titre"),
            self.tr("1:N, as printed, with its < or > sign"),
            self.tr("1:N"),
            self.tr(
                "As printed on the report: 1:400, <1:50, >1:700, not detected… With a word, give the detection limit."
            ),
        )
        self.assay = ChoiceGroup(
            "eligibilityAssay",
            self.tr("Assay the titre was measured with"),
            [
                (
                    str(points),
                    self.tr("{points}-point assay (limit 1:{limit})").format(points=points, limit=limit),
                    f"eligibilityAssay{points}",
                )
                for points, limit in sorted(thresholds.titre_max_denominator.items())
            ],
        )
        self.add_row(titre_group, self.tr("Luciferase NAb assay"), self.assay)

        self.confirmed = named(QLabel(), "eligibilityConfirmedLabel", self.tr("Criteria confirmed"))
        self.confirmed.setWordWrap(True)
        self.body.addWidget(self.confirmed)
        self.body.addStretch(1)

        self.watch_choice("authorization", self.authorization)
        self.watch_choice("prior", self.prior_therapy)
        for fields in (self.inhibitor, self.retest, self.titre):
            for index, edit in enumerate(fields.edits()):
                self.watch_text(f"{fields.key}{index}", edit)
        self.watch_choice("assay", self.assay)

    def _result_fields(
        self,
        grid: QGridLayout,
        key: str,
        analyte: Analyte,
        title: str,
        example: str,
        limit_example: str,
        hint: str,
    ) -> ResultFields:
        """One result's row: its four fields side by side under their labels, the hint and the message below."""
        row = QWidget()
        row.setObjectName(f"eligibility{key}Row")
        inner = QGridLayout(row)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setHorizontalSpacing(8)
        inner.setVerticalSpacing(2)
        reported = named(QLineEdit(), f"eligibility{key}Edit", self.tr("{title}, as reported").format(title=title))
        reported.setPlaceholderText(example)
        reported.setMaxLength(60)
        on = named(DateField(), f"eligibility{key}DateEdit", self.tr("{title}: date of the result").format(title=title))
        laboratory = named(QLineEdit(), f"eligibility{key}LabEdit", self.tr("{title}: laboratory").format(title=title))
        laboratory.setMaxLength(200)
        limit = named(
            QLineEdit(),
            f"eligibility{key}LimitEdit",
            self.tr("{title}: the assay's detection limit").format(title=title),
        )
        limit.setPlaceholderText(self.tr("with a word only ({limit})").format(limit=limit_example))
        limit.setMaxLength(40)
        captions = (self.tr("As reported"), self.tr("Date"), self.tr("Laboratory"), self.tr("Detection limit"))
        for column, (caption, edit) in enumerate(zip(captions, (reported, on, laboratory, limit), strict=True)):
            inner.addWidget(field_label(caption, edit), 0, column)
            inner.addWidget(edit, 1, column)
        inner.setColumnStretch(0, 3)
        inner.setColumnStretch(1, 2)
        inner.setColumnStretch(2, 3)
        inner.setColumnStretch(3, 2)
        message = MessageLabel(f"eligibility{key}Message", self.tr("Message about the {title}").format(title=title))
        # The four fields take the field column and the room beside it; the hint and the message go under them.
        at = grid.rowCount()
        row.setMaximumWidth(RESULT_ROW_MAX_WIDTH)
        grid.addWidget(field_label(title, reported), at, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(row, at, 1, 1, 2)
        grid.addWidget(hint_label(hint), at + 1, 1, 1, 2)
        grid.addWidget(message, at + 2, 1, 1, 2)
        return ResultFields(key.lower(), analyte, reported, on, laboratory, limit, message, row)

    def _shows(self, fields: ResultFields) -> bool:
        return any(self.shows_message(f"{fields.key}{index}") for index in range(len(fields.edits())))

    def _read(self, fields: ResultFields, problems: dict[str, str], assay: int | None = None) -> LabResult | None:
        try:
            return fields.read(assay)
        except InvalidInput as exc:
            problems[fields.key] = exc.message
            return None

    def _answers(self) -> tuple[EligibilityAnswers, dict[str, str]]:
        """The answers as typed, and each result's problem by its key (a result refused is None)."""
        problems: dict[str, str] = {}
        auth, prior, assay = self.authorization.value(), self.prior_therapy.value(), self.assay.value()
        answers = EligibilityAnswers(
            authorization_on_file=None if auth is None else auth == "yes",
            prior_aav_gene_therapy=None if prior is None else prior == "yes",
            inhibitor=self._read(self.inhibitor, problems),
            titre=self._read(self.titre, problems, None if assay is None else int(assay)),
        )
        if self.retest.empty():
            return answers, problems
        return replace(answers, inhibitor_retest=self._read(self.retest, problems)), problems

    def refresh(self) -> None:
        order = self.prep.order
        if order is None:  # cannot happen: the order page comes first
            self.set_state(False, status=self.tr("Complete the order page first."))
            return
        dob, on = order.patient.date_of_birth, order.infusion_date
        self.age_label.setText(
            self.tr("{age} years on the infusion date {date} (born {born}).").format(
                age=age_on(dob, on), date=on.isoformat(), born=dob.isoformat()
            )
        )
        answers, problems = self._answers()
        self.retest_box.setVisible(positive_first_result(answers) or not self.retest.empty())
        for fields in (self.inhibitor, self.retest, self.titre):
            fields.message.show_message(problems.get(fields.key, "") if self._shows(fields) else "")
        self.confirmed.setText("")
        try:
            check_age(dob, on)
        except ClinicalStop as exc:
            self.set_state(False, stop=exc.message)
            return
        try:  # unanswered criteria and unreadable results count as not answered
            confirmed = check_eligibility(answers, dob, on)
            check_results_recent(answers, on, self.ctx.lab_results_newer_than_days)
        except ClinicalStop as exc:
            self.set_state(False, stop=exc.message)
            return
        except InvalidInput as exc:
            self.set_state(False, status=exc.message)
            return
        self.confirmed.setText(self.tr("Confirmed:") + "\n" + "\n".join(f"• {line}" for line in confirmed))
        self.set_state(True)

    def sync_from_preparation(self) -> None:
        answers = self.prep.eligibility
        if answers is None or answers == self._synced:
            return

        def yes_no(value: bool | None) -> str | None:
            return None if value is None else ("yes" if value else "no")

        self.authorization.set_value(yes_no(answers.authorization_on_file))
        self.prior_therapy.set_value(yes_no(answers.prior_aav_gene_therapy))
        self.inhibitor.show(answers.inhibitor)
        self.retest.show(answers.inhibitor_retest)
        self.titre.show(answers.titre)
        points = None if answers.titre is None else answers.titre.assay_points
        self.assay.set_value(None if points is None else str(points))
        self._synced = answers

    def commit(self) -> None:
        order = self.prep.order
        assert order is not None
        answers, problems = self._answers()
        if problems:
            raise InvalidInput(next(iter(problems.values())))
        confirmed = check_eligibility(answers, order.patient.date_of_birth, order.infusion_date)
        check_results_recent(answers, order.infusion_date, self.ctx.lab_results_newer_than_days)
        self.prep.eligibility = answers
        self.prep.eligibility_confirmed = confirmed
        self._synced = answers
