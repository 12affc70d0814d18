"""What the printed record shows, computed once at sealing through the domain's functions (formula, dose, vials,
rendered check texts, local times), so that a reprint years later shows exactly what was sealed even if the product
data have changed since. :func:`derive` makes the record's ``derived`` part; :func:`stamp` every time it keeps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from hemgenix_desktop.domain.checks import Checklist, InputKind, parse_volume_ml
from hemgenix_desktop.domain.dose import format_gc
from hemgenix_desktop.domain.eligibility import EligibilityAnswers, check_eligibility, reading
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.lab_result import format_value
from hemgenix_desktop.domain.preparation import Attribution, Preparation
from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.domain.signing import IDENTITY_STEP

# The bag's final volume (checklist item "final_volume_ml", a site item since the bag size is the site SOP's): it is
# printed on the record and the label.
FINAL_VOLUME_ITEM = "final_volume_ml"


def stamp(at: datetime, tz: tzinfo | None = None) -> dict[str, str]:
    """A time as the record keeps it: UTC, local (in ``tz``, else the system's zone) and the zone's name."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("record times must carry a time zone")
    local = at.astimezone(tz) if tz is not None else at.astimezone()
    return {
        "utc": at.astimezone(UTC).isoformat(),
        "local": local.isoformat(),
        "zone": local.tzname() or local.strftime("UTC%z"),
    }


def _answer_text(kind: InputKind, answer: Any) -> str:
    if answer is None:
        return ""
    if kind is InputKind.TICK:
        return "Confirmed" if answer is True else "Not confirmed"
    if kind in (InputKind.VOLUME, InputKind.FINAL_VOLUME) and isinstance(answer, Decimal):
        return f"{answer} mL"
    if isinstance(answer, date):
        return answer.isoformat()
    return str(answer)


def _final_volume(answer: Any) -> str | None:
    """The bag's final volume as printed ("394 mL"), from a site checklist item; None when not recorded."""
    if isinstance(answer, Decimal):
        return f"{answer} mL"
    if isinstance(answer, str) and answer.strip():
        try:
            return f"{parse_volume_ml(answer)} mL"
        except InvalidInput:
            return answer.strip()
    return None


def lab_results(answers: EligibilityAnswers) -> list[dict[str, Any]]:
    """Each laboratory result exactly as reported, with its date, laboratory, assay, detection limit and what it
    says against its limit (the record's table of results)."""
    return [
        {
            "test": name,
            "reported": result.reported,
            "date": result.on,
            "laboratory": result.laboratory,
            "assay": "" if result.assay_points is None else f"{result.assay_points}-point",
            "detection_limit": ""
            if result.detection_limit is None
            else format_value(result.analyte, result.detection_limit),
            "reading": reading(result),
        }
        for name, result in answers.results()
    ]


def _clock(at: datetime, tz: tzinfo | None) -> str:
    local = at.astimezone(tz) if tz is not None else at.astimezone()
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or local.strftime('UTC%z')}"


def derive(
    prep: Preparation, checklist: Checklist, attributions: Mapping[str, Attribution], tz: tzinfo | None
) -> dict[str, Any]:
    """What the printed record shows, computed once through the domain's functions."""
    facts = product_facts()
    order, dose, carton, prescription = prep.order, prep.dose, prep.carton, prep.prescription_dose
    assert order is not None
    assert dose is not None
    assert carton is not None
    assert prescription is not None
    assert prep.eligibility is not None
    assert prep.identity is not None
    assert prep.prepared_at is not None
    complete_by = prep.complete_by
    assert complete_by is not None
    notice = prep.drift()
    render_values = {
        "dose_ml": str(dose.dose_ml),
        "complete_by": _clock(complete_by, tz),
        "rate_ml_per_h": str(facts.rate_ml_per_h),
    }
    checks = []
    for item in checklist.items:
        who = attributions[item.id]
        checks.append(
            {
                "id": item.id,
                "section": item.section.value,
                "text": item.render(**render_values),
                "source": item.source.value,
                "answer": _answer_text(item.input, prep.checks.get(item.id)),
                "by_username": who.username,
                "by_name": who.printed_name,
                "at": stamp(who.at, tz),
            }
        )
    identity_by = attributions[IDENTITY_STEP]
    return {
        "product": {
            "name": facts.name,
            "generic_name": facts.generic_name,
            "manufacturer": facts.manufacturer,
            "hcpcs": facts.hcpcs,
            "hcpcs_units": facts.hcpcs_units_per_dose,
            "gc_per_ml": format_gc(facts.gc_per_ml),
            "rate_ml_per_h": facts.rate_ml_per_h,
            "rate_confirmed": facts.rate_confirmed,
            "filter": facts.filter_text,
            "storage_after_dilution": facts.storage_after_dilution,
            "complete_within_hours": facts.complete_within_hours,
            "ml_per_vial": facts.extractable_ml_per_vial,
        },
        "identity": {
            "carton_identifier": prep.identity.carton_identifier,
            "carton_date_of_birth": prep.identity.carton_date_of_birth,
            "by_username": identity_by.username,
            "by_name": identity_by.printed_name,
            "at": stamp(identity_by.at, tz),
        },
        "eligibility": check_eligibility(prep.eligibility, order.patient.date_of_birth, order.infusion_date),
        "lab_results": lab_results(prep.eligibility),
        "calculation": {
            "weight_entered": dose.weight.entered,
            "weight_described": dose.weight.describe(),
            "weight_kg": dose.weight.kg,
            "weight_measured_at": None if prep.weight_measured_at is None else stamp(prep.weight_measured_at, tz),
            "weight_method": prep.weight_method,
            "prescription_weight": prescription.weight.describe(),
            "prescription_weight_date": order.prescription_weight_date,
            "formula": dose.formula(),
            "dose_ml": dose.dose_ml,
            "dose_gc": format_gc(dose.dose_gc),
            "vials": dose.vials,
            "kit_vials": dose.kit_choice.kit.vials,
            "supplied_ml": dose.supplied_ml,
            "surplus_ml": dose.surplus_ml,
            "withdrawal": dose.withdrawal.describe(),
            "warnings": list(dose.warnings),
            "drift_notice": None if notice is None else notice.message,
        },
        "components": {
            "kit_ndc11": carton.ndc11,
            "kit_ndc10": carton.ndc10,
            "gtin": carton.gtin,
            "lot": carton.lot,
            "expiry": carton.expiry,
            "serial": carton.serial,
            "kit_vials": carton.kit_vials,
            "vials_counted": prep.vials_counted,
            "volume_drawn_ml": prep.checks.get("volume_drawn_ml"),
            "diluent_lot": prep.checks.get("diluent_lot"),
            "diluent_expiry": prep.checks.get("diluent_expiry"),
            "final_volume": _final_volume(prep.checks.get(FINAL_VOLUME_ITEM)),
        },
        "beyond_use": {
            "prepared_at": stamp(prep.prepared_at, tz),
            "complete_by": stamp(complete_by, tz),
            "storage": facts.storage_after_dilution,
        },
        "checks": checks,
    }
