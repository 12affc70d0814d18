"""Fuzzing: hypothesis feeds arbitrary text and bytes to the weight parser, the carton parser and every other
field's parser; arbitrary bytes, text, mangled and truncated record PDFs to the record verifier; arbitrary and
mangled bytes to the sealed record's reader. Only the domain's own errors may come out (never a traceback from a
library), each a sentence, and whatever is accepted must make sense. docs/reliability.md states the examples
tried per run (the sum of the tests' ``max_examples``; tests/reliability/test_reliability_doc.py checks it)."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hemgenix_desktop.domain.carton import GS, CartonScan, format_element_string, parse_carton
from hemgenix_desktop.domain.checks import parse_final_volume_ml, parse_volume_ml
from hemgenix_desktop.domain.entry import parse_vial_count
from hemgenix_desktop.domain.errors import ClinicalStop, DomainError, InvalidInput
from hemgenix_desktop.domain.kits import kit_catalogue
from hemgenix_desktop.domain.lab_result import Analyte, Reading, parse_reported
from hemgenix_desktop.domain.parsing import parse_date, parse_measured_at, require_text
from hemgenix_desktop.domain.weight import Weight, WeightUnit, parse_weight
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.records.verify import RecordNotVerified, verify_record_pdf
from hemgenix_desktop.security.seal import RecordFormatError, SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate, create_site_certificate
from tests.helpers.preparations import sealed_record

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KITS = {kit.gtin: kit for kit in kit_catalogue()}
SCANNER_ALPHABET = string.ascii_letters + string.digits + "()]|~^ \r\n\t" + GS + "\x1e\x00０１２３Ö"

# Text as people and scanners produce it: printable, control characters, other scripts, look-alikes.
any_text = st.text(max_size=80) | st.text(alphabet=string.printable + "０１２３٧٢кгÖ½\x00\x1d\x7f", max_size=80)
# Bytes from a scanner or a file, decoded as the program would (undecodable bytes kept as surrogates).
any_bytes_as_text = st.binary(max_size=120).map(lambda b: b.decode("utf-8", errors="surrogateescape"))
T = TypeVar("T")


def outcome(action: Callable[[], T], *allowed: type[DomainError]) -> tuple[T | None, DomainError | None]:
    """What ``action`` gives, or the domain error it raises (with its sentence); any other exception escapes."""
    try:
        return action(), None
    except allowed as exc:
        assert exc.message.endswith("."), exc.message  # noqa: PT017 - a sentence, whatever the input
        return None, exc


# --- weight ---------------------------------------------------------------------------------------------
@FUZZ
@given(text=any_text | any_bytes_as_text, unit=st.sampled_from([None, "kg", "lb"]))
def test_the_weight_parser_gives_a_weight_or_a_sentence(text: str, unit: str | None) -> None:
    weight, refused = outcome(lambda: parse_weight(text, unit), InvalidInput)
    if refused is not None:
        return
    assert isinstance(weight, Weight)
    assert Decimal(20) <= weight.kg <= Decimal(400)
    assert weight.entered == text.strip()
    assert str(weight.value).isascii()
    assert unit is None or weight.unit is WeightUnit(unit)


@FUZZ
@given(number=st.decimals(min_value=-1000, max_value=1000, places=3), unit=st.sampled_from(["kg", "lb", " KG", "lbs"]))
def test_typed_numbers_give_a_weight_or_a_sentence(number: Decimal, unit: str) -> None:
    weight, _ = outcome(lambda: parse_weight(f"{number}{unit}"), InvalidInput)
    assert weight is None or Decimal(20) <= weight.kg <= Decimal(400)


# --- the carton scan --------------------------------------------------------------------------------------
def _check_scan(text: str, standin: str | None = None) -> None:
    scan, refused = outcome(lambda: parse_carton(text, gs_standin=standin), InvalidInput, ClinicalStop)
    if refused is not None:
        return
    assert isinstance(scan, CartonScan)
    kit = KITS[scan.gtin]  # only a kit of the table is ever accepted
    assert scan.kit_vials == kit.vials
    assert scan.serial
    assert scan.lot
    assert scan.serial in text or (standin is not None and scan.serial in text.replace(standin, GS))


@FUZZ
@given(text=any_text | any_bytes_as_text | st.text(alphabet=SCANNER_ALPHABET, max_size=80))
def test_the_carton_parser_gives_a_kit_or_a_sentence(text: str) -> None:
    _check_scan(text)


@st.composite
def mangled_codes(draw: st.DrawFn) -> tuple[str, str | None]:
    """A real kit code as a scanner sends it, then cut, doubled, or with characters changed, dropped, added."""
    kit = draw(st.sampled_from(sorted(KITS)))
    expiry = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2049, 12, 31)))
    lot = draw(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=20))
    serial = draw(st.text(alphabet=string.ascii_uppercase + string.digits + "-", min_size=1, max_size=20))
    standin = draw(st.sampled_from([None, "|", "~"]))
    code = draw(st.sampled_from(["]d2", "", "]Q3", "]C1", "]"])) + format_element_string(
        kit, expiry, lot, serial, separator=standin or GS
    )
    chars = list(code)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["drop", "change", "add", "cut", "double"]))
        at = draw(st.integers(0, max(0, len(chars) - 1)))
        if action == "drop" and chars:
            del chars[at]
        elif action == "change" and chars:
            chars[at] = draw(st.sampled_from(SCANNER_ALPHABET))
        elif action == "add":
            chars.insert(at, draw(st.sampled_from(SCANNER_ALPHABET)))
        elif action == "cut":
            chars = chars[:at]
        else:
            chars = chars + chars
    return "".join(chars), standin


@FUZZ
@given(case=mangled_codes())
@pytest.mark.slow
def test_a_mangled_real_code_gives_the_kit_or_a_sentence(case: tuple[str, str | None]) -> None:
    _check_scan(*case)


# --- every other field ----------------------------------------------------------------------------------
NOW = datetime(2026, 11, 29, 13, 30, tzinfo=UTC)
PARSERS = {
    "inhibitor": lambda text: parse_reported(Analyte.INHIBITOR, text),
    "titre": lambda text: parse_reported(Analyte.NAB_TITRE, text),
    "date": lambda text: parse_date(text, "date of birth"),
    "weighed at": lambda text: parse_measured_at(text, NOW, UTC),
    "vial count": parse_vial_count,
    "volume": parse_volume_ml,
    "final volume": parse_final_volume_ml,
    "identifier": lambda text: require_text(text, "patient-specific identifier from the order"),
}


@FUZZ
@given(name=st.sampled_from(sorted(PARSERS)), text=any_text | any_bytes_as_text)
def test_every_field_gives_a_value_or_a_sentence(name: str, text: str) -> None:
    value, refused = outcome(lambda: PARSERS[name](text), InvalidInput)
    if refused is not None:
        return
    if isinstance(value, Reading):  # a laboratory result: a word, or a number with its qualifier
        assert (value.value is None) == value.qualifier.is_word
        if value.value is None:
            return
        value = value.value if name == "inhibitor" else int(value.value)
    if isinstance(value, Decimal):
        assert value.is_finite()
        assert value <= Decimal(10**12)
        # 0 Bethesda units is a real inhibitor result (none found); every volume is more than nothing
        assert value >= 0 if name == "inhibitor" else value > 0
    elif isinstance(value, int):
        assert 0 < value <= 10**7
    elif isinstance(value, str):
        assert value == value.strip()
        assert 0 < len(value) <= 200
        assert not any(unicodedata.category(ch) == "Cc" for ch in value)  # no control character is kept


# --- the record verifier ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteCertificate:
    return create_site_certificate(tmp_path_factory.mktemp("fuzz-site"), "St. Example Infusion Pharmacy")


@pytest.fixture(scope="module")
def record() -> SealedRecord:
    return sealed_record()


@pytest.fixture(scope="module")
def record_pdf(record: SealedRecord, site: SiteCertificate) -> bytes:
    return build_record_pdf(record, site)


@st.composite
def mangled_pdfs(draw: st.DrawFn, size: int) -> list[tuple[str, int, bytes]]:
    """One to three edits: overwrite a few bytes, delete a run, or insert bytes, anywhere in the file."""
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["overwrite", "delete", "insert"]))
        at = draw(st.integers(0, size - 1))
        edits.append((kind, at, draw(st.binary(min_size=1, max_size=16))))
    return edits


def _apply(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, where, chunk in edits:
        at = where % max(1, len(out))
        if kind == "overwrite":
            out[at : at + len(chunk)] = chunk[: len(out) - at]
        elif kind == "delete":
            del out[at : at + len(chunk)]
        else:
            out[at:at] = chunk
    return bytes(out)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mangled_record_pdf_never_verifies_and_says_why(
    data: st.DataObject, record_pdf: bytes, site: SiteCertificate
) -> None:
    edits = data.draw(mangled_pdfs(len(record_pdf)))
    damaged = _apply(record_pdf, edits)
    assume(damaged != record_pdf)
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(damaged, [site.certificate])
    assert caught.value.message.endswith(".")
    assert isinstance(caught.value, DomainError)


PDF_HEADERS = [b"", b"%PDF-1.7\n", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<", b"%PDF-"]
VERIFIER_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@VERIFIER_FUZZ
@given(header=st.sampled_from(PDF_HEADERS), body=st.binary(max_size=600))
def test_arbitrary_bytes_never_verify_and_say_why(header: bytes, body: bytes, site: SiteCertificate) -> None:
    """Any bytes (some starting like a PDF, so that the PDF parser reads on): refused with a sentence."""
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(header + body, [site.certificate])
    assert caught.value.message.endswith(".")


@VERIFIER_FUZZ
@given(text=any_text | st.text(max_size=300))
def test_arbitrary_text_never_verifies_and_says_why(text: str, site: SiteCertificate) -> None:
    """Text saved as a file (a note, a copied page, a JSON record without its PDF) is not a record PDF."""
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(text.encode("utf-8"), [site.certificate])
    assert caught.value.message.endswith(".")


@VERIFIER_FUZZ
@given(data=st.data())
def test_a_record_pdf_cut_short_never_verifies(data: st.DataObject, record_pdf: bytes, site: SiteCertificate) -> None:
    """A file cut off anywhere (a copy interrupted, a download broken)."""
    end = data.draw(st.integers(0, len(record_pdf) - 1))
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(record_pdf[:end], [site.certificate])
    assert caught.value.message.endswith(".")


# --- the sealed record's own bytes (what the audit trail and the PDF's attachment hold) -------------------------
@FUZZ
@given(data=any_bytes_as_text.map(lambda t: t.encode("utf-8", errors="surrogateescape")) | st.binary(max_size=300))
def test_arbitrary_bytes_are_never_taken_for_a_sealed_record(data: bytes) -> None:
    with pytest.raises(RecordFormatError) as caught:
        SealedRecord.from_canonical(data)
    assert caught.value.message.endswith(".")


@FUZZ
@given(data=st.data())
@pytest.mark.slow
def test_a_changed_sealed_record_is_refused_or_is_a_different_record(data: st.DataObject, record: SealedRecord) -> None:
    """One to three bytes of the canonical record changed, dropped or added: refused with a sentence, or (when it
    is still a well-formed record) one whose SHA-256 differs, so it no longer matches what was signed."""
    canonical = bytearray(record.canonical)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(canonical) - 1))
        action = data.draw(st.sampled_from(["change", "drop", "add"]))
        byte = data.draw(st.integers(0, 255))
        if action == "change":
            canonical[at] = byte
        elif action == "drop":
            del canonical[at]
        else:
            canonical.insert(at, byte)
    assume(bytes(canonical) != record.canonical)
    parsed, refused = outcome(lambda: SealedRecord.from_canonical(bytes(canonical)), RecordFormatError)
    if refused is None:
        assert parsed is not None
        assert parsed.sha256 != record.sha256
