"""The Preparation: the one plain object the wizard pages read and write.

It holds what was entered, derives the rest through the domain's functions, records the stops, warnings
and notices met along the way, and knows which answers depend on which (a new weight clears the kit check
and the drawn volume). It converts to and from plain JSON-ready dictionaries for autosave and the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hemgenix_desktop.domain.carton import CartonScan, ScanForm, check_carton_for_mode, check_not_expired
from hemgenix_desktop.domain.checks import Answer
from hemgenix_desktop.domain.dose import (
    DRIFT_NOTICE_PERCENT,
    DoseCalculation,
    DriftNotice,
    assess_weight_drift,
    calculate_dose,
)
from hemgenix_desktop.domain.eligibility import EligibilityAnswers
from hemgenix_desktop.domain.errors import ClinicalStop, KitTooSmall, VialCountMismatch, WrongKit
from hemgenix_desktop.domain.lab_result import Analyte, LabResult, legacy_result
from hemgenix_desktop.domain.patient import IdentityCheck, Patient, PersonOverride
from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.domain.weight import Weight, WeightUnit

SCHEMA_VERSION = 1


class EventKind(StrEnum):
    STOP = "stop"
    WARNING = "warning"
    NOTICE = "notice"
    INVALIDATED = "invalidated"
    ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    step: str
    message: str
    at: datetime


@dataclass(frozen=True)
class Attribution:
    """Who answered a step (the identity check, one checklist item, one wizard page) and when."""

    username: str
    printed_name: str
    at: datetime  # aware

    def to_dict(self) -> dict[str, str]:
        return {"username": self.username, "printed_name": self.printed_name, "at": self.at.isoformat()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attribution:
        return cls(str(data["username"]), str(data["printed_name"]), datetime.fromisoformat(data["at"]))


@dataclass
class Order:
    patient: Patient
    order_number: str
    prescriber: str
    authorization_number: str
    prescription_weight: Weight
    prescription_weight_date: date
    infusion_date: date


@dataclass
class Preparation:
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    practice: bool = False
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    step: str = "order"
    order: Order | None = None
    eligibility: EligibilityAnswers | None = None
    eligibility_confirmed: list[str] = field(default_factory=list)
    identity: IdentityCheck | None = None
    weight_today: Weight | None = None
    weight_measured_at: datetime | None = None
    weight_method: str = ""
    below_table_acknowledged: bool = False
    # The site's setting `drift_notice_pct` when the preparation was started: a weight change with the same vials
    # up to it is a notice, beyond it an override (kept with the preparation, so that its record says the same).
    drift_notice_percent: Decimal = DRIFT_NOTICE_PERCENT
    # False for a preparation kept before the setting existed: it reads as 0 and is written back without it, so
    # that the hash its signatures carry still holds.
    drift_notice_kept: bool = field(default=True, repr=False)
    carton: CartonScan | None = None
    vials_counted: int | None = None
    checks: dict[str, Answer] = field(default_factory=dict)
    prepared_at: datetime | None = None
    events: list[Event] = field(default_factory=list)
    # Who committed each step, by step id ("identity", each checklist item id, each wizard page's key): the
    # person signed in when the page was committed; a page committed again is attributed anew.
    attributions: dict[str, Attribution] = field(default_factory=dict)
    # Earlier preparations whose patient matched this one (one dose per person) and that a pharmacist other than the
    # preparer found to be a different person, by the earlier preparation's id.
    person_overrides: dict[str, PersonOverride] = field(default_factory=dict)

    # --- derived -----------------------------------------------------------------------------------
    @property
    def dose(self) -> DoseCalculation | None:
        return calculate_dose(self.weight_today) if self.weight_today is not None else None

    @property
    def prescription_dose(self) -> DoseCalculation | None:
        return calculate_dose(self.order.prescription_weight) if self.order is not None else None

    @property
    def complete_by(self) -> datetime | None:
        if self.prepared_at is None:
            return None
        return self.prepared_at + timedelta(hours=product_facts().complete_within_hours)

    def drift(self) -> DriftNotice | None:
        """Compare today's weight with the prescription weight; raises WeightDrift on a new vial count."""
        today, ordered = self.dose, self.prescription_dose
        if today is None or ordered is None:
            return None
        return assess_weight_drift(ordered, today, self.drift_notice_percent)

    # --- events ------------------------------------------------------------------------------------
    def record(self, kind: EventKind, step: str, message: str, at: datetime | None = None) -> Event:
        event = Event(kind, step, message, at or datetime.now(UTC))
        self.events.append(event)
        return event

    # --- changes with dependants --------------------------------------------------------------------
    def set_weight_today(self, weight: Weight) -> list[str]:
        """Set today's weight. A changed weight clears the kit check, the drawn volume and the bag's final
        volume; returns what was cleared, in sentences, and records them."""
        cleared: list[str] = []
        if self.weight_today is not None and self.weight_today.kg != weight.kg:
            if self.carton is not None or self.vials_counted is not None:
                cleared.append(
                    "The weight changed, so the kit scan and the vial count were cleared: scan the "
                    "carton and count the vials again."
                )
            if self.checks.get("volume_drawn_ml") is not None:
                cleared.append("The weight changed, so the volume drawn up was cleared: enter it again.")
            if self.checks.get("final_volume_ml") is not None:
                cleared.append("The weight changed, so the final volume in the bag was cleared: enter it again.")
            if self.below_table_acknowledged:
                cleared.append("The weight changed, so the below-table acknowledgement was cleared.")
            self.carton = None
            self.vials_counted = None
            self.checks.pop("volume_drawn_ml", None)
            self.checks.pop("final_volume_ml", None)
            self.below_table_acknowledged = False
        self.weight_today = weight
        for message in cleared:
            self.record(EventKind.INVALIDATED, "weight", message)
        return cleared

    def check_kit(self, scan: CartonScan, today: date | None = None) -> None:
        """Stops unless the scanned kit fits this dose on the infusion date (``today``: to say "expired" of a kit
        already past its date, and "expires on … before the infusion date" of one still in date). A practice
        carton code stops a preparation that is not practice."""
        check_carton_for_mode(scan, practice=self.practice)
        if self.order is not None:
            check_not_expired(scan, self.order.infusion_date, today)
        dose = self.dose
        if dose is None:
            return
        needed = dose.kit_choice.kit.vials
        if scan.kit_vials == needed:
            return
        error = KitTooSmall if scan.kit_vials < needed else WrongKit
        raise error(self._kit_does_not_fit(scan, dose))

    def _kit_does_not_fit(self, scan: CartonScan, dose: DoseCalculation) -> str:
        """The dose does not fit the kit in hand, which is most often the kit ordered for this patient: ask to
        re-check both weights and their units (a lb/kg slip on the order and today alike, issue 21), naming the
        reading in the other unit when it would need this kit."""
        needed = dose.kit_choice.kit
        sentence = (
            f"This kit holds {scan.kit_vials} vials, but the dose of {dose.dose_ml} mL for today's weight "
            f"{dose.weight.describe()} needs the {needed.vials}-vial kit (NDC {needed.ndc11}): the dose does not fit "
            "this kit. Stop."
        )
        weights = f"today's ({dose.weight.describe()})"
        if self.order is not None:
            weights = f"the order's ({self.order.prescription_weight.describe()}) and {weights}"
        sentence += f" Re-check both weights, {weights}, and their units (kg or lb)."
        other = dose.weight.other_unit()
        if other is not None:
            try:
                other_vials = calculate_dose(other).kit_choice.kit.vials
            except ClinicalStop:
                other_vials = 0
            if other_vials == scan.kit_vials:
                sentence += (
                    f" Read in {other.unit.value}, {other.describe()} would need this {scan.kit_vials}-vial kit."
                )
        return sentence + " If the weights are right, set this kit aside and find the kit for this dose."

    def check_vial_count(self, counted: int) -> None:
        if self.carton is None:
            return
        if counted != self.carton.kit_vials:
            raise VialCountMismatch(
                f"You counted {counted} vials: that is not the number this kit should hold. Stop: count again; if "
                "the count is still different, do not use the kit and call the pharmacist in charge."
            )

    # --- serialisation ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "practice": self.practice,
            "created_at": self.created_at.isoformat(),
            "step": self.step,
            "order": _order_to_dict(self.order),
            "eligibility": _eligibility_to_dict(self.eligibility),
            "eligibility_confirmed": list(self.eligibility_confirmed),
            "identity": None
            if self.identity is None
            else {
                "carton_identifier": self.identity.carton_identifier,
                "carton_date_of_birth": self.identity.carton_date_of_birth.isoformat(),
            },
            "weight_today": _weight_to_dict(self.weight_today),
            "weight_measured_at": _dt(self.weight_measured_at),
            "weight_method": self.weight_method,
            "below_table_acknowledged": self.below_table_acknowledged,
            **({"drift_notice_percent": str(self.drift_notice_percent)} if self.drift_notice_kept else {}),
            "carton": _carton_to_dict(self.carton),
            "vials_counted": self.vials_counted,
            "checks": {k: _answer_to_json(v) for k, v in self.checks.items()},
            "prepared_at": _dt(self.prepared_at),
            "events": [
                {"kind": e.kind.value, "step": e.step, "message": e.message, "at": e.at.isoformat()}
                for e in self.events
            ],
            "attributions": {step: who.to_dict() for step, who in self.attributions.items()},
        } | (  # only when there is one: the content (and its hash) of every other preparation stays as it was
            {"person_overrides": [o.to_dict() for o in self.person_overrides.values()]} if self.person_overrides else {}
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preparation:
        prep = cls(
            id=str(data["id"]),
            practice=bool(data["practice"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            step=str(data["step"]),
        )
        prep.order = _order_from_dict(data.get("order"))
        prep.eligibility = _eligibility_from_dict(data.get("eligibility"))
        prep.eligibility_confirmed = list(data.get("eligibility_confirmed", []))
        i = data.get("identity")
        if i is not None:
            prep.identity = IdentityCheck(i["carton_identifier"], date.fromisoformat(i["carton_date_of_birth"]))
        prep.weight_today = _weight_from_dict(data.get("weight_today"))
        prep.weight_measured_at = _dt_from(data.get("weight_measured_at"))
        prep.weight_method = str(data.get("weight_method", ""))
        prep.below_table_acknowledged = bool(data.get("below_table_acknowledged", False))
        # A preparation saved before the setting existed: every weight change needed an override then.
        prep.drift_notice_percent = Decimal(str(data.get("drift_notice_percent", "0")))
        prep.drift_notice_kept = "drift_notice_percent" in data
        c = data.get("carton")
        if c is not None:
            prep.carton = CartonScan(
                raw=c["raw"],
                form=ScanForm(c["form"]),
                gtin=c["gtin"],
                ndc10=c["ndc10"],
                ndc11=c["ndc11"],
                kit_vials=int(c["kit_vials"]),
                lot=c["lot"],
                expiry=date.fromisoformat(c["expiry"]),
                serial=c["serial"],
            )
        prep.vials_counted = data.get("vials_counted")
        prep.checks = {k: _answer_from_json(v) for k, v in data.get("checks", {}).items()}
        prep.prepared_at = _dt_from(data.get("prepared_at"))
        prep.events = [
            Event(EventKind(ev["kind"]), ev["step"], ev["message"], datetime.fromisoformat(ev["at"]))
            for ev in data.get("events", [])
        ]
        prep.attributions = {
            str(step): Attribution.from_dict(who) for step, who in data.get("attributions", {}).items()
        }
        overrides = [PersonOverride.from_dict(o) for o in data.get("person_overrides", [])]
        prep.person_overrides = {o.earlier_id: o for o in overrides}
        return prep


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt_from(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _weight_to_dict(weight: Weight | None) -> dict[str, str] | None:
    if weight is None:
        return None
    return {
        "entered": weight.entered,
        "value": str(weight.value),
        "unit": weight.unit.value,
        "kg": str(weight.kg),
    }


def _weight_from_dict(data: dict[str, str] | None) -> Weight | None:
    if data is None:
        return None
    return Weight(data["entered"], Decimal(data["value"]), WeightUnit(data["unit"]), Decimal(data["kg"]))


def _order_to_dict(order: Order | None) -> dict[str, Any] | None:
    if order is None:
        return None
    p = order.patient
    return {
        "patient": {
            "full_name": p.full_name,
            "date_of_birth": p.date_of_birth.isoformat(),
            "mrn": p.mrn,
            "patient_specific_id": p.patient_specific_id,
        },
        "order_number": order.order_number,
        "prescriber": order.prescriber,
        "authorization_number": order.authorization_number,
        "prescription_weight": _weight_to_dict(order.prescription_weight),
        "prescription_weight_date": order.prescription_weight_date.isoformat(),
        "infusion_date": order.infusion_date.isoformat(),
    }


def _order_from_dict(data: dict[str, Any] | None) -> Order | None:
    if data is None:
        return None
    p = data["patient"]
    weight = _weight_from_dict(data["prescription_weight"])
    assert weight is not None
    return Order(
        patient=Patient(p["full_name"], date.fromisoformat(p["date_of_birth"]), p["mrn"], p["patient_specific_id"]),
        order_number=data["order_number"],
        prescriber=data["prescriber"],
        authorization_number=data["authorization_number"],
        prescription_weight=weight,
        prescription_weight_date=date.fromisoformat(data["prescription_weight_date"]),
        infusion_date=date.fromisoformat(data["infusion_date"]),
    )


def _eligibility_to_dict(e: EligibilityAnswers | None) -> dict[str, Any] | None:
    if e is None:
        return None
    answered = {"authorization_on_file": e.authorization_on_file, "prior_aav_gene_therapy": e.prior_aav_gene_therapy}
    if e.legacy:  # kept before results were recorded as reported: written back as it was read (its hash holds)
        titre = e.titre
        return {
            **answered,
            "inhibitor_bu": None if e.inhibitor is None else e.inhibitor.reported,
            "titre_denominator": None if titre is None or titre.value is None else int(titre.value),
            "assay_points": None if titre is None else titre.assay_points,
        }
    return {
        **answered,
        "inhibitor": None if e.inhibitor is None else e.inhibitor.to_dict(),
        "inhibitor_retest": None if e.inhibitor_retest is None else e.inhibitor_retest.to_dict(),
        "titre": None if e.titre is None else e.titre.to_dict(),
    }


def _eligibility_from_dict(e: dict[str, Any] | None) -> EligibilityAnswers | None:
    if e is None:
        return None
    if "inhibitor_bu" in e:  # the form kept before results were recorded as reported: numbers only
        titre, points = e["titre_denominator"], e["assay_points"]
        return EligibilityAnswers(
            authorization_on_file=e["authorization_on_file"],
            prior_aav_gene_therapy=e["prior_aav_gene_therapy"],
            inhibitor=None
            if e["inhibitor_bu"] is None
            else legacy_result(Analyte.INHIBITOR, Decimal(e["inhibitor_bu"])),
            titre=None if titre is None else legacy_result(Analyte.NAB_TITRE, int(titre), points),
            legacy=True,
        )

    def result(key: str) -> LabResult | None:
        value = e.get(key)
        return None if value is None else LabResult.from_dict(value)

    return EligibilityAnswers(
        authorization_on_file=e["authorization_on_file"],
        prior_aav_gene_therapy=e["prior_aav_gene_therapy"],
        inhibitor=result("inhibitor"),
        titre=result("titre"),
        inhibitor_retest=result("inhibitor_retest"),
    )


def _carton_to_dict(c: CartonScan | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "raw": c.raw,
        "form": c.form.value,
        "gtin": c.gtin,
        "ndc10": c.ndc10,
        "ndc11": c.ndc11,
        "kit_vials": c.kit_vials,
        "lot": c.lot,
        "expiry": c.expiry.isoformat(),
        "serial": c.serial,
    }


def _answer_to_json(value: Answer) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _answer_from_json(value: Any) -> Answer:
    if isinstance(value, dict):
        if "decimal" in value:
            return Decimal(value["decimal"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    if value is None or isinstance(value, bool | str):
        return value
    raise ValueError(f"unexpected checklist answer {value!r}")
