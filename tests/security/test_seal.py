"""Canonical JSON, the sealed record and its hash, amendments."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from hemgenix_desktop import __version__
from hemgenix_desktop.domain.amendment import FieldChange
from hemgenix_desktop.domain.errors import ChangedAfterSigning, InvalidInput, SameSignerRefused
from hemgenix_desktop.security.seal import (
    AMENDMENT,
    AmendmentRef,
    RecordFormatError,
    SealedRecord,
    amend,
    canonical_json,
    preparation_sha256,
    seal,
    sha256_hex,
)
from tests.helpers.preparations import (
    AMENDED_AT,
    AMENDMENT_REASON,
    DILUENT_LOT_FIX,
    PHARMACIST,
    PREPARED_AT,
    SECOND_PHARMACIST,
    SITE,
    WORKSTATION,
    ZONE,
    amended_record,
    amendment,
    attributions,
    complete_preparation,
    corrected,
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


def _amend_corrected(original: SealedRecord, **overrides: object) -> SealedRecord:
    """``amend`` on the factory's corrected diluent lot, with any argument replaced."""
    prep, changes = corrected(original, DILUENT_LOT_FIX)
    s = signed(prep, PHARMACIST, SECOND_PHARMACIST, amending=True, start=AMENDED_AT)
    who = attributions(prep)
    who.update(prep.attributions)
    arguments: dict[str, object] = {
        "original": original,
        "corrected": prep,
        "signatures": s.signatures,
        "attributions": who,
        "reason": AMENDMENT_REASON,
        "changes": changes,
        "number": 1,
        "site": SITE,
        "workstation": WORKSTATION,
        "sealed_at": AMENDED_AT,
        "tz": ZONE,
    }
    arguments.update(overrides)
    return amend(**arguments)  # type: ignore[arg-type]


def test_an_amendment_references_the_original_which_never_changes() -> None:
    original = sealed_record()
    before = original.canonical
    amended = amendment(original)
    record = amended.record
    assert original.canonical == before
    assert record.kind == AMENDMENT
    assert record.record_id != original.record_id
    assert record.record_id.startswith("HGX-20261201-")
    ref = record.amends
    assert ref is not None
    assert (ref.record_id, ref.sha256, ref.reason, ref.number, ref.original_record_id) == (
        original.record_id,
        original.sha256,
        AMENDMENT_REASON,
        1,
        original.record_id,
    )
    assert ref.changes == (FieldChange("check.diluent_lot", "0.9% sodium chloride lot number", "NS24K113", "NS24K114"),)
    assert ref.amended_signatures == original.signatures
    assert ref.sealed_at == original.data["sealed_at"]
    assert record.data["derived"]["components"]["diluent_lot"] == "NS24K114"
    assert original.data["derived"]["components"]["diluent_lot"] == "NS24K113"
    # the person correcting signs "Amended by", an independent pharmacist "Verified by"
    assert record.signers() == (
        "Amended by: Pat Pharmacist (ppharm, pharmacist) at 2026-12-01 18:03:00 UTC",
        "Verified by: Quinn Pharmacist (qpharm, pharmacist) at 2026-12-01 18:09:00 UTC",
    )
    # the corrected answer is attributed to the person who corrected it, when they did
    diluent = next(c for c in record.data["derived"]["checks"] if c["id"] == "diluent_lot")
    assert (diluent["answer"], diluent["by_username"], diluent["at"]["utc"]) == (
        "NS24K114",
        "ppharm",
        "2026-12-01T18:00:00+00:00",
    )


def test_the_amends_fields_round_trip_through_the_canonical_bytes() -> None:
    record = amended_record()
    again = SealedRecord.from_canonical(record.canonical)
    assert again.amends == record.amends
    raw = json.loads(record.canonical)["amends"]
    assert set(raw) == {
        "record_id",
        "sha256",
        "reason",
        "number",
        "changes",
        "original_record_id",
        "amended_signatures",
        "dose_signatures",
        "sealed_at",
    }
    assert raw["number"] == 1
    assert raw["changes"] == [
        {
            "field": "check.diluent_lot",
            "label": "0.9% sodium chloride lot number",
            "before": "NS24K113",
            "after": "NS24K114",
        }
    ]
    assert [s["meaning"] for s in raw["amended_signatures"]] == ["Prepared by", "Verified by"]
    ref = again.amends
    assert ref is not None
    assert AmendmentRef.from_dict(ref.to_dict()) == ref


def test_an_amendment_reads_back_canonically_and_only_its_record_id_is_new_each_time() -> None:
    first = amended_record()
    second = amended_record()
    assert canonical_json(first.data) == first.canonical
    assert SealedRecord.from_canonical(first.canonical).sha256 == first.sha256 == sha256_hex(first.canonical)
    assert first.record_id != second.record_id
    a, b = first.data, second.data
    del a["record_id"], b["record_id"]
    assert canonical_json(a) == canonical_json(b)


def test_a_chain_of_amendments_names_the_first_record() -> None:
    original = sealed_record()
    first = amendment(original)
    second = amendment(
        first.record,
        {"order.authorization_number": "PA-KS-99813"},
        number=2,
        reason="The prior authorization number was typed wrong.",
        corrector=SECOND_PHARMACIST,
        verifier=PHARMACIST,
        at=AMENDED_AT + timedelta(hours=1),
    )
    ref = second.record.amends
    assert ref is not None
    assert (ref.number, ref.record_id, ref.sha256, ref.original_record_id) == (
        2,
        first.record.record_id,
        first.record.sha256,
        original.record_id,
    )
    assert [s.meaning.value for s in ref.amended_signatures] == ["Amended by", "Verified by"]
    # who made the dose is carried down the chain: the first record's signatures
    assert ref.dose_signatures == original.signatures
    assert first.record.amends is not None
    assert first.record.amends.dose_signatures == original.signatures
    data = second.record.data["preparation"]
    assert data["order"]["authorization_number"] == "PA-KS-99813"
    assert data["checks"]["diluent_lot"] == "NS24K114"  # the first correction stays


def test_a_record_sealed_before_amendments_were_numbered_still_reads() -> None:
    record = amended_record()
    data = record.data
    data["amends"] = {key: data["amends"][key] for key in ("record_id", "sha256", "reason")}
    old = SealedRecord.from_canonical(canonical_json(data))
    assert old.amends == AmendmentRef(
        data["amends"]["record_id"],
        data["amends"]["sha256"],
        AMENDMENT_REASON,
        0,
        (),
        data["amends"]["record_id"],
        (),
        None,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": " "}, "Enter the reason for the amendment: what was wrong in the original record."),
        (
            {"changes": ()},
            "The amendment does not say what was corrected. Change the value that is wrong in the record, or cancel "
            "the correction.",
        ),
        (
            {"number": 0},
            "An amendment is numbered from 1 (the first correction of a record), not 0. Start the correction again "
            "from the record in History.",
        ),
    ],
)
def test_an_amendment_is_refused_without_reason_changes_or_number(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _amend_corrected(sealed_record(), **overrides)
    assert caught.value.message == message


def test_an_amendment_that_corrects_nothing_is_refused() -> None:
    original = sealed_record()
    same = original.preparation()
    s = signed(same, PHARMACIST, SECOND_PHARMACIST, amending=True, start=AMENDED_AT)
    with pytest.raises(InvalidInput) as caught:
        _amend_corrected(original, corrected=same, signatures=s.signatures, attributions=attributions(same))
    assert caught.value.message == (
        "The corrected preparation is the same as record HGX-20261201-3F9A1C2B: nothing was corrected. Change the "
        "value that is wrong in the record, or cancel the correction."
    )


def test_an_amendment_must_be_for_the_same_preparation() -> None:
    original = sealed_record()
    other = complete_preparation()
    other.id = "00000000-0000-0000-0000-000000000000"
    s = signed(other, PHARMACIST, SECOND_PHARMACIST, amending=True)
    with pytest.raises(InvalidInput) as caught:
        _amend_corrected(original, corrected=other, signatures=s.signatures, attributions=attributions(other))
    assert caught.value.message == (
        "This amendment is for another preparation than record HGX-20261201-3F9A1C2B. Amend the record of this "
        "preparation."
    )


def test_a_correction_of_an_amendment_must_have_a_later_number() -> None:
    first = amended_record()
    with pytest.raises(InvalidInput) as caught:
        amendment(first, {"order.authorization_number": "PA-KS-99813"}, number=1)
    assert caught.value.message == (
        f"Record {first.record_id} is already amendment 1, so its correction must be amendment 2 or later, not 1. "
        "Start the correction again from the newest record in History."
    )


def test_an_amendment_is_signed_amended_by_never_prepared_by() -> None:
    original = sealed_record()
    prep, _ = corrected(original, DILUENT_LOT_FIX)
    as_preparer = signed(prep, PHARMACIST, SECOND_PHARMACIST, start=AMENDED_AT)  # "Prepared by"
    with pytest.raises(InvalidInput) as caught:
        _amend_corrected(original, corrected=prep, signatures=as_preparer.signatures)
    assert caught.value.message == (
        "A signature “Prepared by” does not belong on this record. Sign it again with the right meaning."
    )
    # and an original record is never sealed with "Amended by"
    amended = signed(prep, PHARMACIST, SECOND_PHARMACIST, amending=True, start=AMENDED_AT)
    with pytest.raises(InvalidInput) as refused:
        seal(prep, amended.signatures, attributions(prep), site=SITE, workstation=WORKSTATION)
    assert refused.value.message == (
        "A signature “Amended by” does not belong on this record. Sign it again with the right meaning."
    )


def test_the_person_correcting_cannot_verify_the_amendment() -> None:
    original = sealed_record()
    prep, _ = corrected(original, DILUENT_LOT_FIX)
    s = signed(prep, PHARMACIST, SECOND_PHARMACIST, amending=True, start=AMENDED_AT)
    forged = [s.signatures[0], dataclasses.replace(s.signatures[1], username="ppharm", printed_name="Pat Pharmacist")]
    with pytest.raises(SameSignerRefused) as caught:
        _amend_corrected(original, corrected=prep, signatures=forged)
    assert caught.value.message.startswith("Pat Pharmacist, you made this correction, so you cannot also verify it.")


def test_an_amendment_needs_every_override_approved() -> None:
    original = sealed_record(complete_preparation(weight="71", today_weight="75"))
    prep, _ = corrected(original, DILUENT_LOT_FIX)
    s = signed(prep, PHARMACIST, SECOND_PHARMACIST, amending=True, start=AMENDED_AT)
    assert [x.meaning.value for x in s.signatures] == ["Amended by", "Verified by", "Override approved"]
    with pytest.raises(InvalidInput) as caught:
        _amend_corrected(original, corrected=prep, signatures=s.signatures[:2])
    assert caught.value.message.startswith("A pharmacist must approve this override with a reason")
    record = _amend_corrected(original, corrected=prep, signatures=s.signatures)
    assert [x.meaning.value for x in record.signatures] == ["Amended by", "Verified by", "Override approved"]
