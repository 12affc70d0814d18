"""The printed preparation record (US Letter, reportlab platypus), signed with the site certificate.

Laid out for a pharmacist to read in one minute: a summary box, then patient, order, calculation,
components, checks, beyond-use, stops and overrides, signatures. Every page carries the header (product,
record ID, site, workstation, page N of M, PRACTICE or COPY marking) and the footer (record SHA-256,
certificate fingerprint, QR code of record ID and hash).

An amendment (a correction of a sealed record) says so on every page, right under the record ID ("AMENDMENT N of
record <first record>"), and begins with the Amendment section: the record it amends and that record's hash,
the reason, a table of what was corrected (field, was, now) and who signed the record corrected.

The sections are ``record_sections``'; this module draws the page furniture (header, footer, page numbers) around
them. Both read the record's typed view (``SealedRecord.view``), never its JSON. ``render_record_pdf`` draws the
pages; ``build_record_pdf`` also attaches the sealed JSON and signs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from hemgenix_desktop.records.codes import draw_qr, qr_payload
from hemgenix_desktop.records.common import (
    PRACTICE_MARK,
    AuditAnchor,
    LabelWithheld,
    Reprint,
    grouped_hex,
    local_text,
)
from hemgenix_desktop.records.fonts import BOLD, MONO, REGULAR, register_fonts
from hemgenix_desktop.records.record_sections import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, RED, amendment_marking, story
from hemgenix_desktop.security.record_view import RecordView
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate

HEADER_HEIGHT = 70.0
AMENDMENT_ROW = 20.0  # an amendment's header has one more row: its marking, under the record ID
FOOTER_HEIGHT = 92.0
ANCHOR_ROW = 12.0  # a record made from its database has one more footer row: its place in the audit chain
QR_SIZE = 80.0

HASH_LABEL = "Record SHA-256:"
FINGERPRINT_LABEL = "Site certificate SHA-256:"


# --- header, footer, page numbers ------------------------------------------------------------------
def _page_decorator(
    record: RecordView, sha256: str, fingerprint: str, reprint: Reprint | None, anchor: AuditAnchor | None = None
) -> Callable[[Any, Any], None]:
    product = record.product
    title = f"{product.name} preparation record"
    subtitle = f"{product.generic_name} · {product.manufacturer}"
    ident = f"Record ID {record.record_id}"
    where = f"Site: {record.site} · Workstation: {record.workstation}"
    sealed = f"Sealed {local_text(record.sealed_at)}"
    payload = qr_payload(record.record_id, sha256)
    practice = record.practice
    copy = reprint.marking() if reprint is not None else None
    amended = None if record.amends is None else amendment_marking(record.amends)
    version = record.software_version
    embedded = f"hemgenix-record-{record.record_id}.json"

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        if practice:
            canvas.saveState()
            canvas.setFillColorRGB(*RED)
            canvas.setFillAlpha(0.13)
            canvas.setFont(BOLD, 36)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(52)
            canvas.drawCentredString(0, 0, PRACTICE_MARK)
            canvas.restoreState()
        top = PAGE_HEIGHT - MARGIN
        right = PAGE_WIDTH - MARGIN
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(BOLD, 14)
        canvas.drawString(MARGIN, top - 12, title)
        canvas.setFont(REGULAR, 10)
        canvas.drawString(MARGIN + canvas.stringWidth(title, BOLD, 14) + 8, top - 12, subtitle)
        canvas.setFont(BOLD, 11)
        canvas.drawString(MARGIN, top - 28, ident)
        if amended is not None:
            _draw_amendment_mark(canvas, top - 47, amended)
            top -= AMENDMENT_ROW
        canvas.setFont(REGULAR, 10)
        canvas.drawString(MARGIN, top - 42, where)
        canvas.drawRightString(right, top - 42, sealed)
        if practice or copy is not None:
            text = PRACTICE_MARK + (f"   ·   {copy}" if copy is not None and practice else "")
            if not practice and copy is not None:
                text = copy
            canvas.setFillColorRGB(*(RED if practice else (0, 0, 0)))
            canvas.rect(MARGIN, top - 61, right - MARGIN, 15, stroke=0, fill=1)
            canvas.setFillColorRGB(1, 1, 1)
            canvas.setFont(BOLD, 10.5)
            canvas.drawCentredString(PAGE_WIDTH / 2, top - 57, text)
            canvas.setFillColorRGB(0, 0, 0)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, top - HEADER_HEIGHT + 4, right, top - HEADER_HEIGHT + 4)
        # footer
        bottom = MARGIN
        footer = _footer_height(anchor)
        canvas.line(MARGIN, bottom + footer - 6, right, bottom + footer - 6)
        draw_qr(canvas, payload, right - QR_SIZE + 4, bottom - 4, QR_SIZE)
        text_y = bottom + footer - 20
        canvas.setFont(BOLD, 9)
        canvas.drawString(MARGIN, text_y, HASH_LABEL)
        canvas.setFont(MONO, 9)
        canvas.drawString(MARGIN + 88, text_y, grouped_hex(sha256))
        canvas.setFont(BOLD, 9)
        canvas.drawString(MARGIN, text_y - 13, FINGERPRINT_LABEL)
        canvas.setFont(MONO, 7.4)
        canvas.drawString(MARGIN, text_y - 24, fingerprint)
        canvas.setFont(REGULAR, 8.5)
        canvas.drawString(MARGIN, text_y - 37, f"Attached electronic record: {embedded}")
        canvas.drawString(
            MARGIN, text_y - 49, f"Hemgenix Prep {version} · check this file with: hemgenix-prep verify FILE.pdf"
        )
        if anchor is not None:  # a record made from its database (none for a record rendered on its own)
            canvas.setFont(REGULAR, 7.5)
            canvas.drawString(MARGIN, text_y - 61, anchor.text())
        canvas.restoreState()

    return decorate


def _footer_height(anchor: AuditAnchor | None) -> float:
    return FOOTER_HEIGHT + (ANCHOR_ROW if anchor is not None else 0.0)


def _header_height(record: RecordView) -> float:
    return HEADER_HEIGHT + (AMENDMENT_ROW if record.amends is not None else 0.0)


def _draw_amendment_mark(canvas: Any, baseline: float, text: str) -> None:
    """The amendment's marking, right under the record ID across the page: red in a red box (the PRACTICE
    banner is white on red), so no page of an amendment can be taken for the record it corrects."""
    canvas.saveState()
    canvas.setStrokeColorRGB(*RED)
    canvas.setFillColorRGB(1.0, 0.93, 0.93)
    canvas.setLineWidth(1.6)
    canvas.rect(MARGIN, baseline - 5, PAGE_WIDTH - 2 * MARGIN, 18, stroke=1, fill=1)
    canvas.setFillColorRGB(*RED)
    canvas.setFont(BOLD, 12)
    canvas.drawString(MARGIN + 6, baseline, text)
    canvas.restoreState()


def _numbered_canvas(record_id: str) -> type:
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds each page until the end, so that every page can say "Page N of M"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(BOLD, 12)
                self.drawRightString(
                    PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN - 28, f"Page {self._pageNumber} of {total}"
                )
                self.setFont(BOLD, 8.5)
                self.drawString(MARGIN, MARGIN + 3, f"{record_id} · page {self._pageNumber} of {total}")
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _require_sealed(record: object, what: str) -> SealedRecord:
    if not isinstance(record, SealedRecord):
        raise LabelWithheld(
            f"The {what} is withheld until the record is sealed: the preparer and an independent pharmacist must "
            "both sign first."
        )
    return record


def render_record_pdf(
    record: SealedRecord,
    *,
    certificate_fingerprint: str,
    reprint: Reprint | None = None,
    anchor: AuditAnchor | None = None,
) -> bytes:
    """The record's pages as an unsigned PDF (``build_record_pdf`` attaches the record and signs); ``anchor``: the
    record's place in the audit chain, printed in every page's footer."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    record = _require_sealed(record, "record PDF")
    view = record.view
    sha256 = record.sha256
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + _header_height(view),
        bottomMargin=MARGIN + _footer_height(anchor),
        title=f"Hemgenix preparation record {view.record_id}",
        author=view.site,
        subject=f"record-id={view.record_id}; sha256={sha256}",
        creator=f"Hemgenix Prep {view.software_version}",
        keywords=["hemgenix-prep", f"record-id={view.record_id}", f"sha256={sha256}"],
    )
    frame = Frame(
        MARGIN,
        MARGIN + _footer_height(anchor),
        PAGE_WIDTH - 2 * MARGIN,
        PAGE_HEIGHT - 2 * MARGIN - _header_height(view) - _footer_height(anchor),
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    decorate = _page_decorator(view, sha256, certificate_fingerprint, reprint, anchor)
    doc.addPageTemplates([PageTemplate(id="record", frames=[frame], onPage=decorate)])
    doc.build(story(view), canvasmaker=_numbered_canvas(view.record_id))
    return buffer.getvalue()


def build_record_pdf(
    record: SealedRecord, site: SiteCertificate, *, reprint: Reprint | None = None, anchor: AuditAnchor | None = None
) -> bytes:
    """The signed record PDF: pages, the sealed JSON attached, PAdES signature by the site certificate (with the
    site's timestamp authority's timestamp when the site names one: ``config.timestamp_url``; never with practice's
    throwaway key, which reaches no site server)."""
    from hemgenix_desktop import config
    from hemgenix_desktop.records.pades import embed_and_sign

    record = _require_sealed(record, "record PDF")
    pdf = render_record_pdf(record, certificate_fingerprint=site.fingerprint, reprint=reprint, anchor=anchor)
    return embed_and_sign(
        pdf,
        record.canonical,
        record_id=record.view.record_id,
        sha256=record.sha256,
        site=site,
        location=record.view.site,
        timestamp_url=None if site.practice else config.timestamp_url(),
    )
