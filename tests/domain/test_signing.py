"""Signer rules, the verifier's blind check, overrides, and the order of signatures."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from hemgenix_desktop.domain.errors import (
    BlindCheckMismatch,
    ChangedAfterSigning,
    InvalidInput,
    OverrideNotPharmacist,
    PracticeCarton,
    SameSignerRefused,
    SignerRefused,
    VerifierNotPharmacist,
)
from hemgenix_desktop.domain.signing import (
    BlindCheck,
    Meaning,
    Signature,
    Signer,
    approve_override,
    blind_check,
    blind_check_instruction,
    check_signatures_complete,
    overrides_required,
    problems_before_signing,
    sign_as_preparer,
    sign_as_verifier,
)
from hemgenix_desktop.domain.weight import parse_weight
from tests.helpers.preparations import (
    PHARMACIST,
    PREPARED_AT,
    SECOND_PHARMACIST,
    TECHNICIAN,
    WORKSTATION,
    ZONE,
    complete_preparation,
    signed,
)

CONTENT = "a" * 64
AT = PREPARED_AT + timedelta(minutes=3)


def preparer_signature(prep=None, signer: Signer = TECHNICIAN) -> Signature:  # type: ignore[no-untyped-def]
    return sign_as_preparer(
        prep or complete_preparation(), signer, workstation=WORKSTATION, content_sha256=CONTENT, at=AT, tz=ZONE
    )


def good_blind() -> BlindCheck:
    return BlindCheck(parse_weight("72", "kg"), 15, Decimal("144"))


def test_the_preparer_signs_with_name_meaning_and_time_in_utc_and_local_zone() -> None:
    signature = preparer_signature()
    assert signature.meaning is Meaning.PREPARED_BY
    assert signature.meaning.value == "Prepared by"
    assert (signature.username, signature.printed_name, signature.role) == ("ttech", "Tara Technician", "technician")
    assert signature.signed_at == datetime(2026, 12, 1, 15, 33, tzinfo=UTC)
    assert signature.local_time.isoformat() == "2026-12-01T09:33:00-06:00"
    assert signature.zone == "CST"
    assert signature.workstation == "PHARM-WS-02"
    assert signature.content_sha256 == CONTENT
    assert Signature.from_dict(signature.to_dict()) == signature


def test_an_incomplete_preparation_cannot_be_signed() -> None:
    prep = complete_preparation()
    prep.prepared_at = None
    prep.vials_counted = None
    with pytest.raises(InvalidInput) as caught:
        preparer_signature(prep)
    assert caught.value.message == (
        "The preparation is not complete, so it cannot be signed yet. Count the vials in the carton first. "
        "Enter the time the dose was prepared."
    )


def test_an_unticked_check_is_named_before_signing() -> None:
    prep = complete_preparation()
    prep.checks["uv_lamp_off"] = False
    assert problems_before_signing(prep) == [
        "Confirm: The ultraviolet (UV) disinfection lamp is off: Hemgenix is not exposed to UV light."
    ]


def test_a_complete_preparation_has_no_problems() -> None:
    assert problems_before_signing(complete_preparation()) == []


def test_a_practice_carton_in_a_real_preparation_is_never_signed() -> None:
    prep = complete_preparation()
    carton = prep.carton
    assert carton is not None
    prep.carton = replace(carton, lot="PRACTICE-L15", serial="PRACTICE-S0001")  # as a resumed draft could hold it
    with pytest.raises(PracticeCarton):
        problems_before_signing(prep)
    prep.practice = True
    assert problems_before_signing(prep) == []


def test_a_signature_needs_a_workstation_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        sign_as_preparer(complete_preparation(), TECHNICIAN, workstation=" ", content_sha256=CONTENT, at=AT)
    assert caught.value.message == (
        "The workstation has no name. Set the workstation name in Settings, then sign again."
    )


def test_an_unknown_role_cannot_sign() -> None:
    with pytest.raises(SignerRefused) as caught:
        preparer_signature(signer=Signer("guest", "Gus Guest", "visitor"))
    assert caught.value.message == (
        "Gus Guest has the role “visitor”, which cannot sign preparations. Ask a technician or a pharmacist to sign."
    )


def test_the_preparer_cannot_verify() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep, PHARMACIST)
    same_person = Signer(" PPharm ", "Pat Pharmacist", "pharmacist")  # trimmed and case ignored
    with pytest.raises(SameSignerRefused) as caught:
        sign_as_verifier(prep, first, same_person, good_blind(), workstation=WORKSTATION, content_sha256=CONTENT)
    assert caught.value.message == (
        "Pat Pharmacist, you signed this preparation as the preparer, so you cannot also verify it. Ask a pharmacist "
        "who did not prepare it to do the blind check and sign."
    )


def test_a_technician_cannot_verify() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep, PHARMACIST)
    with pytest.raises(VerifierNotPharmacist) as caught:
        sign_as_verifier(prep, first, TECHNICIAN, good_blind(), workstation=WORKSTATION, content_sha256=CONTENT)
    assert caught.value.message == (
        "Tara Technician is a technician; only a pharmacist may verify a preparation. Ask a pharmacist who did not "
        "prepare it to do the blind check and sign."
    )


def test_an_independent_pharmacist_verifies_after_a_matching_blind_check() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep, PHARMACIST)
    second = sign_as_verifier(
        prep, first, SECOND_PHARMACIST, good_blind(), workstation="PHARM-WS-03", content_sha256=CONTENT, at=AT, tz=ZONE
    )
    assert second.meaning.value == "Verified by"
    assert second.username == "qpharm"
    assert second.workstation == "PHARM-WS-03"


def test_the_blind_check_accepts_the_same_weight_in_pounds() -> None:
    prep = complete_preparation(weight="160 lb")
    first = preparer_signature(prep)
    entry = BlindCheck(parse_weight("160 lb"), 15, Decimal("145.15"))
    sign_as_verifier(prep, first, PHARMACIST, entry, workstation=WORKSTATION, content_sha256=CONTENT)


@pytest.mark.parametrize(
    ("weight", "entered_weight", "dose_ml", "matches"),
    [
        # Issue 21: compared at the precision the record prints (0.01 kg, 0.01 mL), not digit for digit.
        ("160 lb", "72.57 kg", "145.15", True),  # a verifier who converts 160 lb exactly: 145.1496 mL
        ("160 lb", "160 lb", "145.14", True),  # the same, truncated
        ("160 lb", "160 lb", "145.149", True),
        ("160 lb", "160 lb", "145.2", False),  # from a weight rounded to 72.6 kg: 0.05 mL off
        ("160 lb", "72.6 kg", "145.2", False),
        ("160 lb", "72.58 kg", "145.15", False),
        ("110.3 lb", "50.03 kg", "100.06", True),  # 100.0625 mL, printed rounded up as 100.07
        ("110.3 lb", "110.3 lb", "100.07", True),
        ("72", "72 kg", "144", True),
        ("72", "72 kg", "144.00", True),
        ("72", "72 kg", "144.01", False),
        ("72.55", "72.55 kg", "145.1", True),
    ],
)
def test_the_blind_check_compares_at_the_printed_precision(
    weight: str, entered_weight: str, dose_ml: str, matches: bool
) -> None:
    prep = complete_preparation(weight=weight)
    assert prep.dose is not None
    entry = BlindCheck(parse_weight(entered_weight), prep.dose.vials, Decimal(dose_ml))
    if matches:
        blind_check(prep, entry)
        return
    with pytest.raises(BlindCheckMismatch) as caught:
        blind_check(prep, entry)
    assert caught.value.message.endswith(
        "The weight is compared to 0.01 kg and the dose volume to 0.01 mL, as the record prints them."
    )
    assert str(prep.dose.dose_ml) not in caught.value.message  # the precision is said, never the value


def test_a_weight_change_within_the_site_percentage_needs_no_override() -> None:
    # Issue 21: 72 → 72.4 kg, the same 15 vials: the dose is recalculated and nothing else changes.
    prep = complete_preparation(weight="72", today_weight="72.4")
    notice = prep.drift()
    assert notice is not None
    assert not notice.needs_override
    assert overrides_required(prep) == ()
    prep.drift_notice_percent = Decimal("0.5")  # a site that allows less
    assert overrides_required(prep) == (prep.drift().message,)  # type: ignore[union-attr]


def test_the_blind_check_says_which_weight_it_is_on() -> None:
    same = blind_check_instruction(complete_preparation(weight="72"))
    assert same.startswith("The dose is based on today's weight, which is the same as the prescription weight")
    changed = complete_preparation(weight="71", today_weight="75")
    differs = blind_check_instruction(changed)
    assert differs.startswith(
        "The dose is based on today's weight, from today's weight record, which differs from the prescription "
        "weight on the order: work from today's weight, not the order's."
    )
    assert "75" not in differs
    assert "71" not in differs
    assert differs.endswith("as the record prints them.")


def test_the_blind_check_catches_a_wrong_vial_count_without_showing_the_preparations() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep)
    entry = BlindCheck(parse_weight("72", "kg"), 14, Decimal("144"))
    with pytest.raises(BlindCheckMismatch) as caught:
        sign_as_verifier(prep, first, PHARMACIST, entry, workstation=WORKSTATION, content_sha256=CONTENT)
    assert caught.value.message == (
        "The blind check does not match the preparation: your figures do not all agree with it. Stop: do not sign. "
        "Work out the weight, the vial count and the dose volume again yourself, then do the blind check once more; "
        "if it differs again, another pharmacist must do the blind check, or the preparer must look at the order and "
        "the calculation again. The weight is compared to 0.01 kg and the dose volume to 0.01 mL, as the record "
        "prints them."
    )
    assert "15" not in caught.value.message  # issue 21: the preparation's figure is never shown
    assert caught.value.differences == (("vials", "14 vials", "15 vials"),)  # for the audit trail


def test_the_blind_check_audits_every_entry_that_differs() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep)
    entry = BlindCheck(parse_weight("27", "kg"), 1, Decimal("54"))
    with pytest.raises(BlindCheckMismatch) as caught:
        sign_as_verifier(prep, first, PHARMACIST, entry, workstation=WORKSTATION, content_sha256=CONTENT)
    assert caught.value.differences == (
        ("weight", "27 kg", "72 kg"),
        ("vials", "1 vial", "15 vials"),
        ("dose volume", "54 mL", "144 mL"),
    )
    assert "your figures do not all agree with it." in caught.value.message
    assert not any(figure in caught.value.message for figure in ("72", "15", "144"))


@pytest.mark.parametrize(
    "entry",
    [("27", 15, "144"), ("72", 14, "144"), ("72", 15, "150"), ("72", 14, "150")],
    ids=["weight", "vials", "dose", "two"],
)
def test_a_blind_check_mismatch_never_says_which_figures_were_right(entry: tuple[str, int, str]) -> None:
    """Naming the figures that differ tells the verifier the others were right: a retry (or the next pharmacist's,
    told by them) would copy those. Every mismatch reads the same; the audit trail keeps which and both values."""
    prep = complete_preparation()
    first = preparer_signature(prep)
    weight, vials, dose = entry
    with pytest.raises(BlindCheckMismatch) as caught:
        sign_as_verifier(
            prep,
            first,
            PHARMACIST,
            BlindCheck(parse_weight(weight, "kg"), vials, Decimal(dose)),
            workstation=WORKSTATION,
            content_sha256=CONTENT,
        )
    message = caught.value.message
    assert message.startswith("The blind check does not match the preparation: your figures do not all agree")
    assert not re.search(r"your (weight|vial count|dose volume)", message)
    assert "with the preparer" not in message  # the retry is worked out alone, not checked against the preparer's


def test_the_verifier_signs_only_what_the_preparer_signed() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep)
    with pytest.raises(ChangedAfterSigning) as caught:
        sign_as_verifier(prep, first, PHARMACIST, good_blind(), workstation=WORKSTATION, content_sha256="b" * 64)
    assert caught.value.message == (
        "The preparation changed after Tara Technician signed it as preparer. The preparer must review it and sign "
        "again before it can be verified."
    )


def test_the_verifier_needs_the_preparers_signature_first() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep)
    not_preparer = Signature(**{**first.__dict__, "meaning": Meaning.VERIFIED_BY})
    with pytest.raises(InvalidInput) as caught:
        sign_as_verifier(prep, not_preparer, PHARMACIST, good_blind(), workstation=WORKSTATION, content_sha256=CONTENT)
    assert caught.value.message == "The preparer has not signed yet. The preparer signs first, then the verifier."


def test_a_weight_drift_notice_needs_a_pharmacists_override_with_a_reason() -> None:
    prep = complete_preparation(weight="71", today_weight="75")
    (subject,) = overrides_required(prep)
    first = preparer_signature(prep)  # Tara Technician prepared it
    assert subject.startswith("Today's weight 75 kg differs from the prescription weight 71 kg")
    with pytest.raises(OverrideNotPharmacist) as caught:
        approve_override(
            prep, subject, "ok", TECHNICIAN, preparer=first, workstation=WORKSTATION, content_sha256=CONTENT
        )
    assert caught.value.message == (
        "Tara Technician is a technician; only a pharmacist may approve an override. Ask a pharmacist to approve it "
        "and give the reason."
    )
    with pytest.raises(InvalidInput) as empty:
        approve_override(
            prep, subject, "  ", PHARMACIST, preparer=first, workstation=WORKSTATION, content_sha256=CONTENT
        )
    assert empty.value.message == "Enter the reason for the override in a few words, then sign again."
    with pytest.raises(InvalidInput) as unknown:
        approve_override(
            prep, "something else", "why", PHARMACIST, preparer=first, workstation=WORKSTATION, content_sha256=CONTENT
        )
    assert unknown.value.message == (
        "There is no such warning to override in this preparation. Choose one the wizard showed."
    )
    approval = approve_override(
        prep,
        subject,
        " Scale checked twice. ",
        PHARMACIST,
        preparer=first,
        workstation=WORKSTATION,
        content_sha256=CONTENT,
    )
    assert (approval.meaning.value, approval.subject, approval.reason) == (
        "Override approved",
        subject,
        "Scale checked twice.",
    )


def test_the_pharmacist_who_prepared_cannot_approve_the_override_of_that_preparation() -> None:
    prep = complete_preparation(weight="71", today_weight="75")
    (subject,) = overrides_required(prep)
    prepared = preparer_signature(prep, PHARMACIST)
    with pytest.raises(SameSignerRefused) as caught:
        approve_override(
            prep,
            subject,
            "Scale checked twice.",
            PHARMACIST,
            preparer=prepared,
            workstation=WORKSTATION,
            content_sha256=CONTENT,
        )
    assert caught.value.message == (
        "Pat Pharmacist, you prepared this dose, so you cannot also approve its override. Ask another pharmacist "
        "to approve it and give the reason."
    )
    approval = approve_override(
        prep,
        subject,
        "Scale checked twice.",
        SECOND_PHARMACIST,
        preparer=prepared,
        workstation=WORKSTATION,
        content_sha256=CONTENT,
    )
    assert approval.username == SECOND_PHARMACIST.username
    own = Signature(**{**approval.__dict__, "username": PHARMACIST.username, "printed_name": PHARMACIST.printed_name})
    verified = Signature(**{**approval.__dict__, "meaning": Meaning.VERIFIED_BY, "subject": "", "reason": ""})
    with pytest.raises(SameSignerRefused):  # nor can such an approval be sealed, however it was made
        check_signatures_complete(prep, [prepared, verified, own], CONTENT)


def test_a_weight_below_the_kit_table_needs_an_override() -> None:
    prep = complete_preparation(weight="44")
    assert prep.dose is not None
    assert overrides_required(prep) == prep.dose.warnings
    assert overrides_required(complete_preparation()) == ()


def test_sealing_needs_both_signatures_and_every_override() -> None:
    s = signed(complete_preparation(weight="71", today_weight="75"))
    content = s.signatures[0].content_sha256
    check_signatures_complete(s.prep, s.signatures, content)
    with pytest.raises(InvalidInput) as no_verifier:
        check_signatures_complete(s.prep, s.signatures[:1], content)
    assert no_verifier.value.message == (
        "The record needs exactly one verifier's signature (Verified by) before it is sealed."
    )
    with pytest.raises(InvalidInput) as no_preparer:
        check_signatures_complete(s.prep, s.signatures[1:], content)
    assert no_preparer.value.message == ("The record needs exactly one signature “Prepared by” before it is sealed.")
    with pytest.raises(InvalidInput) as no_override:
        check_signatures_complete(s.prep, s.signatures[:2], content)
    assert no_override.value.message.startswith(
        "A pharmacist must approve this override with a reason before the record is sealed: Today's weight 75 kg"
    )
    with pytest.raises(ChangedAfterSigning):
        check_signatures_complete(s.prep, s.signatures, "c" * 64)


def test_sealing_refuses_a_verifier_who_is_the_preparer_even_if_handed_in_directly() -> None:
    prep = complete_preparation()
    first = preparer_signature(prep, PHARMACIST)
    forged = Signature(**{**first.__dict__, "meaning": Meaning.VERIFIED_BY})
    with pytest.raises(SameSignerRefused):
        check_signatures_complete(prep, [first, forged], CONTENT)


def test_signature_times_must_carry_a_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        sign_as_preparer(
            complete_preparation(),
            TECHNICIAN,
            workstation=WORKSTATION,
            content_sha256=CONTENT,
            at=datetime(2026, 12, 1, 9, 30),
        )
