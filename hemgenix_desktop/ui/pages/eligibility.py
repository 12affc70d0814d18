"""Page 2, Authorization and eligibility: the payer policy's criteria, answered explicitly."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QLabel, QLineEdit

from hemgenix_desktop.domain.eligibility import (
    EligibilityAnswers,
    check_age,
    check_eligibility,
    eligibility_thresholds,
    parse_inhibitor_bu,
    parse_titre,
)
from hemgenix_desktop.domain.errors import ClinicalStop, InvalidInput
from hemgenix_desktop.domain.patient import age_on
from hemgenix_desktop.ui.pages.base import PreparationPage, WizardContext
from hemgenix_desktop.ui.widgets import ChoiceGroup, MessageLabel, named


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

        labs = self.group(self.tr("Laboratory results"), "eligibilityLabGroup")
        limit_bu = thresholds.inhibitor_negative_below_bu
        self.inhibitor = named(QLineEdit(), "eligibilityInhibitorEdit", self.tr("Factor IX inhibitor result"))
        self.inhibitor.setPlaceholderText(self.tr("Bethesda units, as on the lab report"))
        self.inhibitor_message = MessageLabel(
            "eligibilityInhibitorMessage", self.tr("Message about the inhibitor result")
        )
        self.add_row(
            labs,
            self.tr("Factor IX inhibitor (Bethesda units)"),
            self.inhibitor,
            self.inhibitor_message,
            hint=self.tr("Negative means below {limit} BU.").format(limit=limit_bu),
        )
        self.titre = named(QLineEdit(), "eligibilityTitreEdit", self.tr("Anti-AAV5 neutralizing-antibody titre"))
        self.titre.setPlaceholderText(self.tr("1:N, as on the lab report"))
        self.titre_message = MessageLabel("eligibilityTitreMessage", self.tr("Message about the titre"))
        self.add_row(labs, self.tr("Anti-AAV5 NAb titre"), self.titre, self.titre_message)
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
        self.add_row(labs, self.tr("Luciferase NAb assay"), self.assay)

        self.confirmed = named(QLabel(), "eligibilityConfirmedLabel", self.tr("Criteria confirmed"))
        self.confirmed.setWordWrap(True)
        self.body.addWidget(self.confirmed)
        self.body.addStretch(1)

        self.watch_choice("authorization", self.authorization)
        self.watch_choice("prior", self.prior_therapy)
        self.watch_text("inhibitor", self.inhibitor)
        self.watch_text("titre", self.titre)
        self.watch_choice("assay", self.assay)

    def _answers(self) -> tuple[EligibilityAnswers, dict[str, str]]:
        problems: dict[str, str] = {}
        inhibitor: Decimal | None = None
        titre: int | None = None
        try:
            inhibitor = parse_inhibitor_bu(self.inhibitor.text())
        except InvalidInput as exc:
            problems["inhibitor"] = exc.message
        try:
            titre = parse_titre(self.titre.text())
        except InvalidInput as exc:
            problems["titre"] = exc.message
        auth, prior, assay = self.authorization.value(), self.prior_therapy.value(), self.assay.value()
        answers = EligibilityAnswers(
            authorization_on_file=None if auth is None else auth == "yes",
            prior_aav_gene_therapy=None if prior is None else prior == "yes",
            inhibitor_bu=inhibitor,
            titre_denominator=titre,
            assay_points=None if assay is None else int(assay),
        )
        return answers, problems

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
        self.inhibitor_message.show_message(problems.get("inhibitor", "") if self.shows_message("inhibitor") else "")
        self.titre_message.show_message(problems.get("titre", "") if self.shows_message("titre") else "")
        self.confirmed.setText("")
        try:
            check_age(dob, on)
        except ClinicalStop as exc:
            self.set_state(False, stop=exc.message)
            return
        try:  # unanswered criteria and unreadable results count as not answered
            confirmed = check_eligibility(answers, dob, on)
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
        self.inhibitor.setText("" if answers.inhibitor_bu is None else str(answers.inhibitor_bu))
        self.titre.setText("" if answers.titre_denominator is None else f"1:{answers.titre_denominator}")
        self.assay.set_value(None if answers.assay_points is None else str(answers.assay_points))
        self._synced = answers

    def commit(self) -> None:
        order = self.prep.order
        assert order is not None
        answers, problems = self._answers()
        if problems:
            raise InvalidInput(next(iter(problems.values())))
        confirmed = check_eligibility(answers, order.patient.date_of_birth, order.infusion_date)
        self.prep.eligibility = answers
        self.prep.eligibility_confirmed = confirmed
        self._synced = answers
