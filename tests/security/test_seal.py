"""Canonical JSON, the sealed record and its hash, amendments."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from hemgenix_desktop import __version__
from hemgenix_desktop.domain.errors import ChangedAfterSigning, InvalidInput
from hemgenix_desktop.security.seal import (
    AMENDMENT,
    RecordFormatError,
    SealedRecord,
    amend,
    canonical_json,
    preparation_sha256,
    seal,
    sha256_hex,
)
from tests.records.factory import (
    PREPARED_AT,
    SITE,
    WORKSTATION,
    ZONE,
    attributions,
    complete_preparation,
    sealed_record,
    signed,
)


def test_canonical_json_sorts_keys_keeps_utf8_and_writes_decimals_as_strings() -> None:
    value = {"b": Decimal("144.0"), "a": "Łukasz µ", "c": [1, True, None], "d": date(2026, 12, 1)}
    assert canonical_json(value) == '{"a":"Łukasz µ","b":"144.0","c":[1,true,null],"d":"2026-12-01"}'.encode()


def test_canonical_json_refuses_floats_and_other_unsafe_values() -> None:
    with pytest.raises(TypeError, match="float"):
        canonical_json({"dose_ml": 144.0})
    with pytest.raises(TypeError, match="non-finite"):
        canonical_json({"x": Decimal("NaN")})
    with pytest.raises(TypeError, match="time zone"):
        canonical_json({"at": datetime(2026, 12, 1, 9, 30)})
    with pytest.raises(TypeError, match="non-text key"):
        canonical_json({1: "x"})
    with pytest.raises(TypeError, match="set"):
        canonical_json({"x": {1, 2}})


def test_sha256_is_of_the_canonical_bytes() -> None:
    data = canonical_json({"a": "b"})
    assert sha256_hex(data) == hashlib.sha256(b'{"a":"b"}').hexdigest()


def test_a_sealed_record_holds_the_preparation_signatures_version_and_time() -> None:
    record = sealed_record()
    data = record.data
    assert record.record_id == "HGX-20261201-3F9A1C2B"
    assert record.kind == "original"
    assert record.amends is None
    assert record.sha256 == hashlib.sha256(record.canonical).hexdigest()
    assert record.software_version == __version__
    assert record.sealed_at == PREPARED_AT + timedelta(minutes=11)
    assert data["sealed_at"] == {
        "utc": "2026-12-01T15:41:00+00:00",
        "local": "2026-12-01T09:41:00-06:00",
        "zone": "CST",
    }
    assert data["preparation"]["order"]["patient"]["full_name"] == "Alex Example"
    assert [s.meaning.value for s in record.signatures] == ["Prepared by", "Verified by"]
    assert record.signers() == (
        "Prepared by: Tara Technician (ttech, technician) at 2026-12-01 15:33:00 UTC",
        "Verified by: Pat Pharmacist (ppharm, pharmacist) at 2026-12-01 15:39:00 UTC",
    )
    calc = data["derived"]["calculation"]
    assert calc["formula"] == (
        "Dose = 72 kg × 2 mL/kg = 144 mL (72 kg × 2×10^13 gc/kg = 1.44×10^15 gc); vials = 144 mL ÷ 10 mL, "
        "rounded up = 15"
    )
    assert (calc["dose_ml"], calc["dose_gc"], calc["vials"], calc["surplus_ml"]) == ("144", "1.44×10^15", 15, "6")
    assert data["derived"]["beyond_use"]["complete_by"]["local"] == "2026-12-02T09:30:00-06:00"
    assert record.preparation().to_dict() == {**complete_preparation().to_dict(), "step": "sealed"}


def test_the_record_reads_back_from_its_bytes_and_refuses_anything_else() -> None:
    record = sealed_record()
    again = SealedRecord.from_canonical(record.canonical)
    assert again.sha256 == record.sha256
    pretty = json.dumps(record.data, indent=2).encode()
    with pytest.raises(RecordFormatError) as not_canonical:
        SealedRecord.from_canonical(pretty)
    assert not_canonical.value.message == "The record is not in canonical form, so its hash cannot be trusted."
    with pytest.raises(RecordFormatError) as not_json:
        SealedRecord.from_canonical(b"\xff not json")
    assert not_json.value.message.startswith("The record is not valid JSON text")
    with pytest.raises(RecordFormatError) as other:
        SealedRecord.from_canonical(canonical_json({"format": "something else"}))
    assert other.value.message == ("The file is not a Hemgenix Prep sealed record of a version this program reads.")
    with pytest.raises(RecordFormatError, match="float"):
        SealedRecord.from_canonical(record.canonical.replace(b'"format_version":1', b'"format_version":1.0'))


def test_a_sealed_record_cannot_be_changed() -> None:
    record = sealed_record()
    copy = record.data
    copy["preparation"]["vials_counted"] = 14
    assert record.data["preparation"]["vials_counted"] == 15
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.canonical = b"{}"  # type: ignore[misc]


def test_a_change_after_signing_prevents_sealing() -> None:
    s = signed()
    s.prep.weight_method = "Bed scale"
    with pytest.raises(ChangedAfterSigning) as caught:
        seal(s.prep, s.signatures, attributions(s.prep), site=SITE, workstation=WORKSTATION)
    assert caught.value.message == (
        "The preparation changed after Tara Technician signed it (Prepared by). That signature no longer applies: "
        "sign again."
    )


def test_the_wizard_page_position_is_not_part_of_the_signed_content() -> None:
    prep = complete_preparation()
    before = preparation_sha256(prep)
    prep.step = "signatures"
    assert preparation_sha256(prep) == before


def test_sealing_needs_to_know_who_answered_each_step() -> None:
    s = signed()
    who = attributions(s.prep)
    del who["identity"], who["uv_lamp_off"]
    with pytest.raises(InvalidInput) as caught:
        seal(s.prep, s.signatures, who, site=SITE, workstation=WORKSTATION)
    assert caught.value.message == "The record cannot be sealed: it does not say who answered identity, uv_lamp_off."


def test_sealing_needs_the_site_and_workstation_names() -> None:
    s = signed()
    with pytest.raises(InvalidInput) as caught:
        seal(s.prep, s.signatures, attributions(s.prep), site=" ", workstation=WORKSTATION)
    assert caught.value.message == "Set the site and workstation names in Settings before sealing a record."


def test_an_amendment_references_the_original_which_never_changes() -> None:
    original = sealed_record()
    before = original.canonical
    corrected = complete_preparation()
    corrected.checks["diluent_lot"] = "NS24K114"
    s = signed(corrected)
    amendment = amend(
        original,
        corrected,
        s.signatures,
        attributions(corrected),
        reason="The 0.9% sodium chloride lot was typed wrong.",
        site=SITE,
        workstation=WORKSTATION,
        sealed_at=datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
        tz=ZONE,
    )
    assert original.canonical == before
    assert amendment.kind == AMENDMENT
    assert amendment.record_id != original.record_id
    assert amendment.record_id.startswith("HGX-20261201-")
    ref = amendment.amends
    assert ref is not None
    assert (ref.record_id, ref.sha256, ref.reason) == (
        original.record_id,
        original.sha256,
        "The 0.9% sodium chloride lot was typed wrong.",
    )
    assert amendment.data["derived"]["components"]["diluent_lot"] == "NS24K114"
    with pytest.raises(InvalidInput) as no_reason:
        amend(original, corrected, s.signatures, attributions(corrected), reason=" ", site=SITE, workstation="W")
    assert no_reason.value.message == "Enter the reason for the amendment: what was wrong in the original record."


def test_an_amendment_must_be_for_the_same_preparation() -> None:
    original = sealed_record()
    other = complete_preparation()
    other.id = "00000000-0000-0000-0000-000000000000"
    s = signed(other)
    with pytest.raises(InvalidInput) as caught:
        amend(original, other, s.signatures, attributions(other), reason="x", site=SITE, workstation=WORKSTATION)
    assert caught.value.message == (
        "This amendment is for another preparation than record HGX-20261201-3F9A1C2B. Amend the record of this "
        "preparation."
    )
