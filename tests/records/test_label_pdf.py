"""The bag label: every element, the constraints in bold, a readable barcode, withheld until sealed."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
import zxingcpp

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.records.common import LabelWithheld, Reprint
from hemgenix_desktop.records.label_pdf import DEFAULT_LABEL_SIZE, build_label_pdf, parse_label_size
from hemgenix_desktop.security.seal import SealedRecord
from tests.helpers.preparations import ZONE, complete_preparation, sealed_record, signed
from tests.records.conftest import page_texts, render


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_label_is_4_by_6_inches_by_default_on_one_page(label_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(label_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (288.0, 432.0)
    assert DEFAULT_LABEL_SIZE.text == "4x6in"


@pytest.mark.parametrize(
    "element",
    [
        "Hemgenix (etranacogene dezaparvovec-drlb)",
        "For single-dose intravenous infusion only",
        "Alex Example",
        "DOB 1980-03-15 · MRN MRN-0001234",
        "Carton identifier HGX-PSI-7731",
        "1.44×1015 genome copies",
        "= 144 mL Hemgenix, diluted in 0.9% sodium chloride",
        "Final volume: 394 mL",
        "Rate: 500 mL/h, constant",
        "Filter: 0.2 µm polyethersulfone (PES) in-line filter",
        "NO CENTRAL LINE OR PORT · NO IV PUSH OR BOLUS · OWN LINE",
        "Prepared 2026-12-01 09:30 CST",
        "COMPLETE INFUSION BY 2026-12-02 09:30 CST",
        "Store 15–25 °C, protected from light",
        "Prepared by Tara Technician · Verified by Pat Pharmacist",
        "Record HGX-20261201-3F9A1C2B",
    ],
)
def test_the_label_shows(element: str, label_pdf: bytes) -> None:
    assert element in flat(page_texts(label_pdf)[0])


def test_the_administration_constraints_are_in_bold(label_pdf: bytes) -> None:
    fonts: dict[str, set[str]] = {}

    def visit(text: str, cm: object, tm: object, font: dict[str, object] | None, size: float) -> None:
        if font is not None and text.strip():
            fonts.setdefault(text.strip(), set()).add(str(font.get("/BaseFont", "")))

    pypdf.PdfReader(io.BytesIO(label_pdf)).pages[0].extract_text(visitor_text=visit)
    for phrase in ("NO CENTRAL LINE OR PORT ·", "NO IV PUSH OR BOLUS ·", "OWN LINE"):
        assert phrase in fonts, sorted(fonts)
        assert all(name.endswith("DejaVuSans-Bold") for name in fonts[phrase]), fonts[phrase]


def test_the_barcode_on_a_rendered_label_reads_as_the_record_id(
    label_pdf: bytes, record: SealedRecord, tmp_path: Path
) -> None:
    image = render(label_pdf, tmp_path, dpi=150)
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.Code128]
    assert [c.text for c in codes] == [record.record_id]


def test_the_label_is_withheld_until_the_record_is_sealed() -> None:
    s = signed()
    for not_sealed in (s.prep, complete_preparation(), {"record_id": "HGX-1"}, None):
        with pytest.raises(LabelWithheld) as caught:
            build_label_pdf(not_sealed)  # type: ignore[arg-type]
        assert caught.value.message == (
            "The bag label is withheld until the record is sealed: the preparer and an independent pharmacist must "
            "both sign first."
        )


def test_a_practice_label_and_a_reprinted_label_are_marked(record: SealedRecord) -> None:
    practice = sealed_record(complete_preparation(practice=True))
    assert "PRACTICE — NOT FOR PATIENT USE" in page_texts(build_label_pdf(practice))[0]
    reprint = Reprint(datetime(2026, 12, 3, 16, 15, tzinfo=UTC), "Pat Pharmacist", ZONE)
    text = flat(page_texts(build_label_pdf(record, reprint=reprint))[0])
    assert "COPY — reprinted 2026-12-03 10:15 CST by Pat Pharmacist" in text
    assert "PRACTICE" not in text


def test_the_final_volume_entered_on_the_checklist_is_printed() -> None:
    prep = complete_preparation()
    prep.checks["final_volume_ml"] = Decimal("400.5")
    assert "Final volume: 400.5 mL" in flat(page_texts(build_label_pdf(sealed_record(prep)))[0])


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("4x6in", (288.0, 432.0)),
        ("4 x 6 in", (288.0, 432.0)),
        ("100x150mm", (283.46, 425.2)),
        ("3×4IN", (216.0, 288.0)),
    ],
)
def test_label_sizes(text: str, size: tuple[float, float]) -> None:
    parsed = parse_label_size(text)
    assert (round(parsed.width, 2), round(parsed.height, 2)) == size


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("big", "“big” is not a label size. Write width × height and the unit, for example 4x6in or 100x150mm."),
        ("4x6", "“4x6” is not a label size. Write width × height and the unit, for example 4x6in or 100x150mm."),
        ("2.5x3in", "A 2.5x3in label is too small to be read at the bedside. Use at least 3 × 4 in (76 × 102 mm)."),
        ("9x15in", "A 9x15in label is larger than a legal page. Use at most 8.5 × 14 in."),
    ],
)
def test_bad_label_sizes_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_label_size(text)
    assert caught.value.message == message


def test_a_label_too_small_for_readable_text_is_refused(record: SealedRecord) -> None:
    with pytest.raises(InvalidInput) as caught:
        build_label_pdf(record, size=parse_label_size("3x4in"))
    assert caught.value.message == (
        "This label does not fit a 3x4in label at a readable size. Choose a larger label size in Settings, for "
        "example 4x6in."
    )


@pytest.mark.parametrize("size", ["4x5in", "100x150mm", "6x4in", "3x6in"])
@pytest.mark.slow
def test_every_element_fits_on_smaller_and_other_sizes(size: str, record: SealedRecord, tmp_path: Path) -> None:
    label = build_label_pdf(record, size=parse_label_size(size))
    text = flat(page_texts(label)[0])
    for element in ("Alex Example", "NO CENTRAL LINE OR PORT", "COMPLETE INFUSION BY", "Record HGX-20261201-3F9A1C2B"):
        assert element in text
    assert len(pypdf.PdfReader(io.BytesIO(label)).pages) == 1
    codes = zxingcpp.read_barcodes(render(label, tmp_path, dpi=300))
    assert [c.text for c in codes] == [record.record_id]


@pytest.mark.parametrize("size", ["3x5in", "4x5in", "4x6in", "100x150mm", "6x4in", "3x6in"])
@pytest.mark.slow
def test_the_audit_line_fits_wherever_the_label_fits_and_the_code_still_reads(
    size: str, record: SealedRecord, tmp_path: Path
) -> None:
    """The checkpoint line (issue 15) takes the room of 8 pt of bar height: every size that fits without it fits
    with it (3 × 5 in is the tightest), and the code reads at 150 dpi."""
    from datetime import UTC, datetime

    from hemgenix_desktop.records.common import AuditAnchor

    anchor = AuditAnchor(123456, "4afc6d1b2e55683a" + "0" * 48, datetime(2026, 12, 7, 11, 4, tzinfo=UTC), "5c" * 16)
    label = build_label_pdf(record, size=parse_label_size(size), anchor=anchor)
    assert "Audit event 123456 · 4afc6d1b2e55683a · db 5c5c5c5c" in flat(page_texts(label)[0])
    assert len(pypdf.PdfReader(io.BytesIO(label)).pages) == 1
    codes = zxingcpp.read_barcodes(render(label, tmp_path, dpi=150))
    assert [c.text for c in codes] == [record.record_id]
