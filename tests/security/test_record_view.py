"""The typed view of a sealed record: every field read once and checked, refused with a sentence naming it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from hemgenix_desktop.domain.product import product_facts
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.security.record_view import RecordView, Stamp, parse_amends
from hemgenix_desktop.security.seal import AmendmentRef, RecordFormatError, SealedRecord, canonical_json
from tests.helpers.preparations import AMENDMENT_REASON, amended_record, complete_preparation, sealed_record

ORIGINAL = sealed_record()
AMENDMENT = amended_record(ORIGINAL)
EVENTFUL = sealed_record(complete_preparation(weight="71", today_weight="75"))  # a notice event, an override


def _walk(data: Any, path: str) -> tuple[Any, str | int]:
    """The container of ``path`` ("derived.checks[0].text") in ``data`` and the last key."""
    steps: list[str | int] = []
    for part in path.split("."):
        name, _, index = part.partition("[")
        steps.append(name)
        if index:
            steps.append(int(index.rstrip("]")))
    for step in steps[:-1]:
        data = data[step]
    return data, steps[-1]


def _changed(record: SealedRecord, path: str, edit: Callable[[Any, Any], None]) -> bytes:
    data = record.data
    container, last = _walk(data, path)
    edit(container, last)
    return canonical_json(data)


def _without(record: SealedRecord, path: str) -> bytes:
    def drop(container: Any, key: Any) -> None:
        del container[key]

    return _changed(record, path, drop)


def _with(record: SealedRecord, path: str, value: object) -> bytes:
    def put(container: Any, key: Any) -> None:
        container[key] = value

    return _changed(record, path, put)


def refusal(data: bytes) -> str:
    with pytest.raises(RecordFormatError) as caught:
        SealedRecord.from_canonical(data)
    message = caught.value.message
    assert message.endswith(".")
    return message


# --- each required field missing ---------------------------------------------------------------------------------
REQUIRED_IN_ORIGINAL = [
    "preparation.order",
    "preparation.order.patient",
    "preparation.order.patient.full_name",
    "preparation.order.patient.date_of_birth",
    "preparation.order.patient.mrn",
    "preparation.order.patient.patient_specific_id",
    "preparation.order.order_number",
    "preparation.order.prescriber",
    "preparation.order.authorization_number",
    "preparation.order.infusion_date",
    "preparation.events",
    "derived.product",
    *(
        f"derived.product.{key}"
        for key in (
            "name",
            "generic_name",
            "manufacturer",
            "hcpcs",
            "hcpcs_units",
            "gc_per_ml",
            "rate_ml_per_h",
            "rate_confirmed",
            "filter",
            "storage_after_dilution",
            "complete_within_hours",
        )
    ),
    "derived.identity",
    "derived.identity.carton_identifier",
    "derived.identity.carton_date_of_birth",
    "derived.identity.by_username",
    "derived.identity.by_name",
    "derived.identity.at",
    "derived.identity.at.zone",
    "derived.eligibility",
    "derived.calculation",
    *(
        f"derived.calculation.{key}"
        for key in (
            "weight_entered",
            "weight_described",
            "weight_kg",
            "weight_measured_at",
            "weight_method",
            "prescription_weight",
            "prescription_weight_date",
            "formula",
            "dose_ml",
            "dose_gc",
            "vials",
            "kit_vials",
            "supplied_ml",
            "surplus_ml",
            "withdrawal",
            "warnings",
            "drift_notice",
        )
    ),
    "derived.components",
    *(
        f"derived.components.{key}"
        for key in (
            "kit_ndc11",
            "kit_ndc10",
            "gtin",
            "lot",
            "expiry",
            "serial",
            "kit_vials",
            "vials_counted",
            "volume_drawn_ml",
            "diluent_lot",
            "diluent_expiry",
            "final_volume",
        )
    ),
    "derived.beyond_use",
    "derived.beyond_use.prepared_at",
    "derived.beyond_use.prepared_at.utc",
    "derived.beyond_use.complete_by",
    "derived.beyond_use.complete_by.local",
    "derived.beyond_use.storage",
    "derived.checks",
    *(f"derived.checks[3].{key}" for key in ("id", "section", "text", "source", "answer", "by_username", "by_name")),
    "derived.checks[3].at",
    *(
        f"signatures[1].{key}"
        for key in (
            "meaning",
            "username",
            "printed_name",
            "role",
            "signed_at_utc",
            "signed_at_local",
            "zone",
            "workstation",
            "content_sha256",
        )
    ),
]


@pytest.mark.parametrize("path", REQUIRED_IN_ORIGINAL)
def test_a_record_that_lacks_a_field_is_refused_naming_it(path: str) -> None:
    assert refusal(_without(ORIGINAL, path)) == f"The record lacks {path}."


@pytest.mark.parametrize("path", [f"preparation.events[0].{key}" for key in ("at", "kind", "step", "message")])
def test_an_event_that_lacks_a_field_is_refused_naming_it(path: str) -> None:
    assert refusal(_without(EVENTFUL, path)) == f"The record lacks {path}."


@pytest.mark.parametrize("path", ["amends.record_id", "amends.sha256", "amends.reason", "amends.changes[0].label"])
def test_an_amendment_that_lacks_what_it_corrects_is_refused(path: str) -> None:
    assert refusal(_without(AMENDMENT, path)) == f"The record lacks {path}."


@pytest.mark.parametrize("key", ["format_version", "record_id", "derived", "signatures", "amends"])
def test_a_record_that_lacks_a_top_level_field_is_refused(key: str) -> None:
    message = refusal(_without(ORIGINAL, key))
    assert message in (f"The record lacks {key}.", RECORD_FORMAT_REFUSAL)


RECORD_FORMAT_REFUSAL = "The file is not a Hemgenix Prep sealed record of a version this program reads."


# --- each field of the wrong type --------------------------------------------------------------------------------
WRONG_TYPES: list[tuple[str, object, str]] = [
    ("practice", "false", "true or false"),
    ("site", 7, "text"),
    ("sealed_at", "2026-12-01T15:41:00+00:00", "a JSON object"),
    ("sealed_at.utc", "2026-12-01T15:41:00", "a time with its zone"),
    ("sealed_at.local", "yesterday", "a time with its zone"),
    ("preparation.order.patient.date_of_birth", "15/03/1980", "a date (YYYY-MM-DD)"),
    ("preparation.order.infusion_date", 20261201, "a date (YYYY-MM-DD)"),
    ("preparation.events", {}, "a list"),
    ("derived.product", [], "a JSON object"),
    ("derived.product.hcpcs_units", "1", "a whole number"),
    ("derived.product.rate_ml_per_h", 500, "a number written as text"),
    ("derived.product.rate_confirmed", 1, "true or false"),
    ("derived.product.ml_per_vial", "ten", "a number written as text"),
    ("derived.eligibility", ["ok", 3], "a list of texts"),
    ("derived.calculation.vials", "15", "a whole number"),
    ("derived.calculation.vials", True, "a whole number"),
    ("derived.calculation.dose_ml", "NaN", "a number written as text"),
    ("derived.calculation.weight_kg", None, "a number written as text"),
    ("derived.calculation.weight_method", 5, "text or empty"),
    ("derived.calculation.weight_measured_at", "2026-12-01", "a JSON object"),
    ("derived.calculation.warnings", "none", "a list of texts"),
    ("derived.components.vials_counted", "15", "a whole number"),
    ("derived.components.final_volume", 394, "text or empty"),
    ("derived.checks", {"id": "x"}, "a list"),
    ("derived.checks[0]", "Confirmed", "a JSON object"),
    ("derived.checks[0].answer", True, "text"),
    ("signatures[0].meaning", "Approved by", "a signature meaning this program knows"),
    ("signatures[0].signed_at_utc", "15:33", "a time with its zone"),
    ("signatures[0].subject", None, "text"),
]


@pytest.mark.parametrize(("path", "value", "what"), WRONG_TYPES)
def test_a_field_of_the_wrong_type_is_refused_naming_it(path: str, value: object, what: str) -> None:
    assert refusal(_with(ORIGINAL, path, value)) == f"The record's {path} is not {what}."


@pytest.mark.parametrize(
    ("path", "value", "what"),
    [
        ("amends", "HGX-20261201-3F9A1C2B", "a JSON object"),
        ("amends.number", "1", "a whole number"),
        ("amends.changes", "diluent lot", "a list"),
        ("amends.sealed_at.zone", 6, "text"),
        ("amends.dose_signatures[0].meaning", "Checked by", "a signature meaning this program knows"),
    ],
)
def test_an_amendment_field_of_the_wrong_type_is_refused(path: str, value: object, what: str) -> None:
    assert refusal(_with(AMENDMENT, path, value)) == f"The record's {path} is not {what}."


def test_a_kind_that_disagrees_with_what_it_amends_is_refused() -> None:
    expected = (
        "The record's kind “{kind}” does not agree with what it amends: an amendment names the record it corrects, "
        "an original record none."
    )
    assert refusal(_with(ORIGINAL, "kind", "amendment")) == expected.format(kind="amendment")
    assert refusal(_with(AMENDMENT, "kind", "original")) == expected.format(kind="original")
    assert refusal(_with(ORIGINAL, "kind", "draft")) == expected.format(kind="draft")


def test_a_record_without_its_verifier_is_refused() -> None:
    data = ORIGINAL.data
    data["signatures"] = [s for s in data["signatures"] if s["meaning"] != "Verified by"]
    assert refusal(canonical_json(data)) == "The record's signatures lack the preparer's or the verifier's."


# --- what the view reads ---------------------------------------------------------------------------------------
def test_an_original_record_reads_into_typed_fields_once() -> None:
    view = ORIGINAL.view
    assert isinstance(view, RecordView)
    assert ORIGINAL.view is view  # read once, when the record was made
    assert (view.record_id, view.kind, view.practice, view.amends) == ("HGX-20261201-3F9A1C2B", "original", False, None)
    assert view.patient.date_of_birth == date(1980, 3, 15)
    assert view.order.infusion_date == date(2026, 12, 1)
    calc = view.calculation
    assert (calc.dose_ml, calc.vials, calc.weight_kg, calc.surplus_ml) == (Decimal(144), 15, Decimal(72), Decimal(6))
    assert view.sealed_at == Stamp(
        datetime(2026, 12, 1, 15, 41, tzinfo=UTC), datetime.fromisoformat("2026-12-01T09:41:00-06:00"), "CST"
    )
    assert view.product.ml_per_vial == product_facts().extractable_ml_per_vial == Decimal(10)
    assert view.product.rate_ml_per_h == product_facts().rate_ml_per_h
    assert view.first_signature.meaning is Meaning.PREPARED_BY
    assert view.verifier.printed_name == "Pat Pharmacist"
    assert view.overrides == ()
    assert view.content_sha256 == ORIGINAL.content_sha256 == ORIGINAL.data["content_sha256"]
    assert view.signatures == ORIGINAL.signatures
    assert [c.id for c in view.checks] == [c["id"] for c in ORIGINAL.data["derived"]["checks"]]
    assert view.components.final_volume == "394 mL"


def test_an_eventful_record_reads_its_events_and_override() -> None:
    view = EVENTFUL.view
    assert [e.kind for e in view.events] == ["notice"]
    assert view.events[0].at.tzinfo is not None
    assert [s.meaning for s in view.overrides] == [Meaning.OVERRIDE_APPROVED]
    assert view.calculation.drift_notice is not None


def test_an_amendment_reads_what_it_corrects() -> None:
    view = AMENDMENT.view
    ref = view.amends
    assert ref is not None
    assert view.kind == "amendment"
    assert (ref.record_id, ref.sha256, ref.reason, ref.number) == (
        ORIGINAL.record_id,
        ORIGINAL.sha256,
        AMENDMENT_REASON,
        1,
    )
    assert ref.original_record_id == ORIGINAL.record_id
    assert not ref.corrects_a_correction
    assert [c.after for c in ref.changes] == ["NS24K114"]
    assert ref.amended_signatures == ref.dose_signatures == ORIGINAL.signatures
    assert ref.sealed_at == ORIGINAL.view.sealed_at
    assert ref.dose_signer(Meaning.VERIFIED_BY) == ORIGINAL.view.verifier
    assert view.first_signature.meaning is Meaning.AMENDED_BY
    assert AMENDMENT.amends == AmendmentRef.of_view(ref)
    assert parse_amends(AMENDMENT.data["amends"]) == ref


def test_a_practice_record_reads_as_practice() -> None:
    practice = sealed_record(complete_preparation(practice=True))
    assert practice.view.practice is True
    assert practice.practice is True


# --- records sealed by earlier releases ------------------------------------------------------------------------
def test_an_amendment_sealed_before_amendments_were_numbered_still_reads() -> None:
    data = AMENDMENT.data
    data["amends"] = {key: data["amends"][key] for key in ("record_id", "sha256", "reason")}
    ref = SealedRecord.from_canonical(canonical_json(data)).view.amends
    assert ref is not None
    assert (ref.number, ref.original_record_id, ref.changes, ref.sealed_at) == (0, ORIGINAL.record_id, (), None)
    assert ref.amended_signatures == ref.dose_signatures == ()


def test_a_record_sealed_before_the_vial_volume_was_kept_reads_the_product_file() -> None:
    old = SealedRecord.from_canonical(_without(ORIGINAL, "derived.product.ml_per_vial"))
    assert old.view.product.ml_per_vial == product_facts().extractable_ml_per_vial


def test_the_vial_volume_is_sealed_with_the_product() -> None:
    assert ORIGINAL.data["derived"]["product"]["ml_per_vial"] == str(product_facts().extractable_ml_per_vial)
    five = SealedRecord.from_canonical(_with(ORIGINAL, "derived.product.ml_per_vial", "5"))
    assert five.view.product.ml_per_vial == Decimal(5)
