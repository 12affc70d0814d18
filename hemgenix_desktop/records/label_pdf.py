"""The bag label (a separate PDF; default 4 × 6 in portrait; any size from 3 × 4 in to 8.5 × 14 in).

Made only from a sealed record: a draft or a Preparation is refused (the label is withheld until the
record is sealed). The label of an amendment says, in red under the product, that it replaces the label of
the record it corrects. The content shrinks to fit a smaller label, but never below three quarters of its size
(body text 7.5 pt): a label too small for that is refused with a sentence, never printed unreadable.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.signing import Meaning
from hemgenix_desktop.records.codes import record_barcode
from hemgenix_desktop.records.common import (
    PRACTICE_MARK,
    AuditAnchor,
    LabelWithheld,
    Reprint,
    esc,
    gc_markup,
    local_text,
)
from hemgenix_desktop.records.fonts import BOLD, REGULAR, register_fonts
from hemgenix_desktop.security.seal import SealedRecord

POINTS_PER_INCH = Decimal(72)
POINTS_PER_MM = Decimal(72) / Decimal("25.4")
CONSTRAINTS = ("NO CENTRAL LINE OR PORT", "NO IV PUSH OR BOLUS", "OWN LINE")
_MIN = (Decimal(3) * POINTS_PER_INCH, Decimal(4) * POINTS_PER_INCH)
MIN_SCALE = 0.75  # the most the text may shrink to fit a label
_MAX = (Decimal("8.5") * POINTS_PER_INCH, Decimal(14) * POINTS_PER_INCH)


def amended_label_marking(amended_record_id: str) -> str:
    """The line on an amendment's label: which label it replaces."""
    return f"AMENDED LABEL — replaces the label of record {amended_record_id}"


@dataclass(frozen=True)
class LabelSize:
    """Width and height in points (1/72 in)."""

    width: float
    height: float
    text: str = "4x6in"


DEFAULT_LABEL_SIZE = LabelSize(288.0, 432.0, "4x6in")
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*[x×]\s*([0-9]+(?:\.[0-9]+)?)\s*(in|mm)\s*$", re.IGNORECASE)


def parse_label_size(text: str) -> LabelSize:
    """``4x6in``, ``4 x 6 in``, ``100x150mm``: width × height with the unit. Raises InvalidInput."""
    match = _SIZE.match(text)
    if match is None:
        raise InvalidInput(
            f"“{text.strip()[:40]}” is not a label size. Write width × height and the unit, for example 4x6in or "
            "100x150mm."
        )
    try:
        width, height = Decimal(match[1]), Decimal(match[2])
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise InvalidInput("The label size must be two numbers, for example 4x6in.") from exc
    factor = POINTS_PER_INCH if match[3].lower() == "in" else POINTS_PER_MM
    w, h = width * factor, height * factor
    if w < _MIN[0] or h < _MIN[1]:
        raise InvalidInput(
            f"A {text.strip()} label is too small to be read at the bedside. Use at least 3 × 4 in (76 × 102 mm)."
        )
    if w > _MAX[0] or h > _MAX[1]:
        raise InvalidInput(f"A {text.strip()} label is larger than a legal page. Use at most 8.5 × 14 in.")
    return LabelSize(float(w), float(h), text.strip())


@cache
def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    base = ParagraphStyle("label", fontName=REGULAR, fontSize=10, leading=12.5)
    return {
        "base": base,
        "product": ParagraphStyle("product", parent=base, fontName=BOLD, fontSize=13, leading=15.5),
        "name": ParagraphStyle("name", parent=base, fontName=BOLD, fontSize=16, leading=19),
        "dose": ParagraphStyle("dose", parent=base, fontName=BOLD, fontSize=14, leading=17),
        "bold": ParagraphStyle("bold", parent=base, fontName=BOLD),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11),
        "constraints": ParagraphStyle(
            "constraints",
            parent=base,
            fontName=BOLD,
            fontSize=13,
            leading=16.5,
            alignment=1,
            textColor=colors.white,
            backColor=colors.black,
            borderPadding=(4, 4, 5, 4),
            spaceBefore=6,
            spaceAfter=8,
        ),
        "mark": ParagraphStyle(
            "mark",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=13,
            alignment=1,
            textColor=colors.white,
            backColor=colors.Color(0.75, 0, 0),
            borderPadding=(2, 3, 3, 3),
            spaceAfter=5,
        ),
        "copy": ParagraphStyle(
            "copy",
            parent=base,
            fontName=BOLD,
            fontSize=9.5,
            leading=12,
            alignment=1,
            borderColor=colors.black,
            borderWidth=1,
            borderPadding=(2, 3, 3, 3),
            spaceAfter=5,
        ),
        "amended": ParagraphStyle(  # one line on a 6 in wide label, so a 6 × 4 in label still fits
            "amended",
            parent=base,
            fontName=BOLD,
            fontSize=9.5,
            leading=12,
            alignment=1,
            textColor=colors.Color(0.75, 0, 0),
            borderColor=colors.Color(0.75, 0, 0),
            borderWidth=1.5,
            borderPadding=(2, 3, 3, 3),
            spaceAfter=5,
        ),
        "code": ParagraphStyle("code", parent=base, fontName=BOLD, fontSize=10, alignment=1),
        "anchor": ParagraphStyle("anchor", parent=base, fontSize=7, leading=8.5, alignment=1),
    }


def _p(text: str, style: str = "base") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(text, _styles()[style])


def _rule() -> Any:
    from reportlab.platypus import HRFlowable

    return HRFlowable(width="100%", thickness=0.8, color="black", spaceBefore=3, spaceAfter=4)


def _constraints(width: float) -> Any:
    """The administration constraints, one to a line: on a narrow label the type is made smaller so that no line
    breaks inside a constraint (never below :data:`MIN_SCALE` of its size; the whole label may shrink further)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    lines = [f"{c} ·" for c in CONSTRAINTS[:-1]] + [CONSTRAINTS[-1]]
    style = _styles()["constraints"]
    widest = max(stringWidth(line, style.fontName, style.fontSize) for line in lines)
    room = width - 2  # a little air inside the black band
    if widest > room:
        scale = max(MIN_SCALE, room / widest)
        style = ParagraphStyle(
            "constraints_narrow", parent=style, fontSize=style.fontSize * scale, leading=style.leading * scale
        )
    return Paragraph("<br/>".join(esc(line) for line in lines), style)


def build_label_pdf(
    record: SealedRecord,
    *,
    size: LabelSize = DEFAULT_LABEL_SIZE,
    reprint: Reprint | None = None,
    anchor: AuditAnchor | None = None,
) -> bytes:
    """The bag label of a sealed record (with ``anchor``, its place in the audit chain, in one small line under the
    record ID). Anything else raises :class:`LabelWithheld`."""
    from reportlab.platypus import Frame, KeepInFrame, Spacer
    from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate

    if not isinstance(record, SealedRecord):
        raise LabelWithheld(
            "The bag label is withheld until the record is sealed: the preparer and an independent pharmacist "
            "must both sign first."
        )
    view = record.view
    patient, calc, product, beyond = view.patient, view.calculation, view.product, view.beyond_use
    final = view.components.final_volume
    prepared, verified = view.first_signature, view.verifier
    signed_lines = [
        f"{esc(prepared.meaning.value)} {esc(prepared.printed_name)} · Verified by {esc(verified.printed_name)}"
    ]
    if view.amends is not None:  # an amended label still names who made the dose
        dose_prepared = view.amends.dose_signer(Meaning.PREPARED_BY)
        dose_verified = view.amends.dose_signer(Meaning.VERIFIED_BY)
        if dose_prepared is not None and dose_verified is not None:
            signed_lines.insert(
                0, f"Prepared by {esc(dose_prepared.printed_name)} · Verified by {esc(dose_verified.printed_name)}"
            )
    rate_note = "" if product.rate_confirmed else " (verify against the current label)"
    margin = 12.0
    inner_width = size.width - 2 * margin

    story: list[Any] = []
    if view.practice:
        story.append(_p(esc(PRACTICE_MARK), "mark"))
    if reprint is not None:
        story.append(_p(esc(reprint.marking()), "copy"))
    if view.amends is not None:
        story.append(_p(esc(amended_label_marking(view.amends.record_id)), "amended"))
    story += [
        _p(f"{esc(product.name)} ({esc(product.generic_name)})", "product"),
        _p("For single-dose intravenous infusion only", "small"),
        _rule(),
        _p(esc(patient.full_name), "name"),
        _p(f"DOB <b>{esc(patient.date_of_birth)}</b> · MRN <b>{esc(patient.mrn)}</b>"),
        _p(f"Carton identifier <b>{esc(view.identity.carton_identifier)}</b>"),
        _rule(),
        _p(f"{gc_markup(calc.dose_gc)} genome copies", "dose"),
        _p(f"= <b>{esc(calc.dose_ml)} mL</b> {esc(product.name)}, diluted in 0.9% sodium chloride"),
        _p(f"Final volume: <b>{esc(final) if final else 'not recorded'}</b>"),
        _p(f"Rate: <b>{esc(product.rate_ml_per_h)} mL/h</b>, constant{esc(rate_note)}"),
        _p(f"Filter: <b>{esc(product.filter_text)}</b>"),
        _constraints(inner_width),
        _p(f"Prepared {esc(local_text(beyond.prepared_at))}"),
        _p(f"COMPLETE INFUSION BY {esc(local_text(beyond.complete_by))}", "bold"),
        _p(f"Store {esc(beyond.storage)}", "small"),
        *(_p(line, "small") for line in signed_lines),
        Spacer(1, 5),
        record_barcode(view.record_id, max_width=inner_width, bar_height=40 if anchor is None else 32),
        _p(f"Record {esc(view.record_id)}", "code"),
    ]
    if anchor is not None:
        story.append(_p(esc(anchor.short()), "anchor"))
    height = size.height - 2 * margin
    needed = sum(f.wrap(inner_width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)
    if needed * MIN_SCALE > height:
        raise InvalidInput(
            f"This label does not fit a {size.text} label at a readable size. Choose a larger label size in "
            "Settings, for example 4x6in."
        )
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(size.width, size.height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"Hemgenix bag label {view.record_id}",
        author=view.site,
        subject=f"record-id={view.record_id}; sha256={record.sha256}",
        creator=f"Hemgenix Prep {view.software_version}",
    )
    frame = Frame(margin, margin, inner_width, height, 0, 0, 0, 0, id="label")
    doc.addPageTemplates([PageTemplate(id="label", frames=[frame])])
    doc.build([KeepInFrame(inner_width, height, story, mode="shrink")])
    return buffer.getvalue()
