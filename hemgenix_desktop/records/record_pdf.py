"""The printed preparation record (US Letter, reportlab platypus), signed with the site certificate.

Laid out for a pharmacist to read in one minute: a summary box, then patient, order, calculation,
components, checks, beyond-use, stops and overrides, signatures. Every page carries the header (product,
record ID, site, workstation, page N of M, PRACTICE or COPY marking) and the footer (record SHA-256,
certificate fingerprint, QR code of record ID and hash).

An amendment (a correction of a sealed record) says so on every page, right under the record ID ("AMENDMENT N of
record <first record>"), and begins with the Amendment section: the record it amends and that record's hash,
the reason, a table of what was corrected (field, was, now) and who signed the record corrected.

``render_record_pdf`` draws the pages; ``build_record_pdf`` also attaches the sealed JSON and signs.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from hemgenix_desktop.domain.signing import FIRST_SIGNATURES, Meaning
from hemgenix_desktop.records.codes import draw_qr, qr_payload
from hemgenix_desktop.records.common import (
    PRACTICE_MARK,
    LabelWithheld,
    Reprint,
    both_text,
    esc,
    gc_markup,
    grouped_hex,
    local_text,
    offset_text,
    utc_text,
)
from hemgenix_desktop.records.fonts import BOLD, MONO, REGULAR, register_fonts
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate

PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0  # US Letter, points
MARGIN = 40.0
HEADER_HEIGHT = 70.0
AMENDMENT_ROW = 20.0  # an amendment's header has one more row: its marking, under the record ID
FOOTER_HEIGHT = 92.0
QR_SIZE = 80.0
BODY_SIZE = 10.0
SMALL_SIZE = 9.5
RED = (0.75, 0.0, 0.0)

HASH_LABEL = "Record SHA-256:"
FIRST_MEANINGS = tuple(m.value for m in FIRST_SIGNATURES)  # the first signature: of an original record, of an amendment
FINGERPRINT_LABEL = "Site certificate SHA-256:"


@cache
def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=BODY_SIZE, leading=13)
    return {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=BOLD),
        "small": ParagraphStyle("small", parent=body, fontSize=SMALL_SIZE, leading=12),
        "small_bold": ParagraphStyle("small_bold", parent=body, fontName=BOLD, fontSize=SMALL_SIZE, leading=12),
        "section": ParagraphStyle(
            "section",
            parent=body,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            textColor=colors.white,
            backColor=colors.HexColor("#2f3e4e"),
            borderPadding=(3, 4, 3, 4),
            spaceBefore=10,
            spaceAfter=6,
        ),
        "summary": ParagraphStyle("summary", parent=body, fontSize=11, leading=15),
        "summary_big": ParagraphStyle("summary_big", parent=body, fontName=BOLD, fontSize=14, leading=18),
        "banner": ParagraphStyle(
            "banner",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            textColor=colors.Color(*RED),
            borderColor=colors.Color(*RED),
            borderWidth=1.5,
            borderPadding=(4, 6, 4, 6),
            alignment=1,
            spaceAfter=8,
        ),
        "warning": ParagraphStyle("warning", parent=body, fontName=BOLD, textColor=colors.Color(*RED)),
    }


def _p(text: str, style: str = "body") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(text, _styles()[style])


def _section(title: str) -> Any:
    return _p(esc(title), "section")


def _short(title: str, *content: Any) -> list[Any]:
    """A short section, kept on one page with its heading."""
    from reportlab.platypus import KeepTogether

    return [KeepTogether([_section(title), *content])]


def _long(title: str, *content: Any) -> list[Any]:
    """A long section (a table that may run onto the next page): its heading never ends a page."""
    from reportlab.platypus import CondPageBreak

    return [CondPageBreak(110), _section(title), *content]


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], header: bool = True) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=1 if header else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a96a3")),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde3ea")))
    table.setStyle(TableStyle(style))
    return table


def _pairs(rows: Sequence[tuple[str, str]], key_width: float = 170.0) -> Any:
    """A two-column table of label → value (values may hold Paragraph markup)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    width = PAGE_WIDTH - 2 * MARGIN
    table = Table([[_p(esc(k), "small_bold"), _p(v)] for k, v in rows], colWidths=[key_width, width - key_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c1cb")),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    return table


def _who(name: str, username: str) -> str:
    return f"{esc(name)} ({esc(username)})"


# --- the pages' content --------------------------------------------------------------------------------
def _summary(data: Mapping[str, Any]) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    prep, derived = data["preparation"], data["derived"]
    patient = prep["order"]["patient"]
    calc, beyond = derived["calculation"], derived["beyond_use"]
    components = derived["components"]
    signatures = data["signatures"]
    prepared = next(s for s in signatures if s["meaning"] in FIRST_MEANINGS)
    verified = next(s for s in signatures if s["meaning"] == Meaning.VERIFIED_BY.value)
    lines = [
        _p(f"{esc(patient['full_name'])}", "summary_big"),
        _p(
            f"Date of birth <b>{esc(patient['date_of_birth'])}</b> · MRN <b>{esc(patient['mrn'])}</b> · "
            f"Carton identifier <b>{esc(derived['identity']['carton_identifier'])}</b>",
            "summary",
        ),
        _p(
            f"Dose <b>{esc(calc['dose_ml'])} mL</b> = <b>{gc_markup(calc['dose_gc'])} genome copies</b> "
            f"({esc(calc['weight_kg'])} kg) · <b>{esc(calc['vials'])} vials</b>, kit NDC "
            f"<b>{esc(components['kit_ndc11'])}</b>",
            "summary",
        ),
        _p(
            f"Prepared {esc(local_text(beyond['prepared_at']))} · "
            f"<b>Complete infusion by {esc(local_text(beyond['complete_by']))}</b>",
            "summary",
        ),
        _p(
            f"{esc(prepared['meaning'])} <b>{esc(prepared['printed_name'])}</b> · "
            f"Verified by <b>{esc(verified['printed_name'])}</b>",
            "summary",
        ),
    ]
    box = Table([[line] for line in lines], colWidths=[PAGE_WIDTH - 2 * MARGIN])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#2f3e4e")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f3f6f9")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    return [box]


def amendment_marking(ref: Mapping[str, Any]) -> str:
    """``AMENDMENT 2 of record HGX-…``: the first record of the chain (a record from before amendments were
    numbered reads ``AMENDMENT of record <the record it amends>``)."""
    number = ref.get("number")
    original = ref.get("original_record_id") or ref["record_id"]
    return f"AMENDMENT {number} of record {original}" if number else f"AMENDMENT of record {original}"


def _signed_by(signatures: Sequence[Mapping[str, str]]) -> Any:
    width = PAGE_WIDTH - 2 * MARGIN
    rows: list[list[Any]] = [[_p(esc(h), "small_bold") for h in ("Meaning", "Printed name", "Role", "Signed")]]
    for s in signatures:
        stamp = _sig_stamp(s)
        rows.append(
            [
                _p(f"<b>{esc(s['meaning'])}</b>", "small"),
                _p(f"<b>{esc(s['printed_name'])}</b> (user {esc(s['username'])})", "small"),
                _p(esc(s["role"]), "small"),
                _p(f"{esc(local_text(stamp))}<br/>{esc(utc_text(stamp))}", "small"),
            ]
        )
    return _table(rows, [96, 200, 80, width - 376])


def _amendment(data: Mapping[str, Any]) -> list[Any]:
    from reportlab.platypus import Spacer

    ref = data["amends"]
    if ref is None:
        return []
    width = PAGE_WIDTH - 2 * MARGIN
    out: list[Any] = [
        _p(f"This record amends <b>{esc(ref['record_id'])}</b>", "summary"),
        _p(f"(SHA-256 <font name='{MONO}'>{esc(grouped_hex(ref['sha256']))}</font>).", "summary"),
    ]
    replaced = f"It replaces that record from {esc(local_text(data['sealed_at']))}, when this amendment was sealed"
    if ref.get("sealed_at"):
        replaced += f"; that record, sealed {esc(local_text(ref['sealed_at']))}, is kept unchanged"
    out.append(_p(replaced + ".", "summary"))
    original = ref.get("original_record_id")
    if original and original != ref["record_id"]:
        out.append(
            _p(
                f"{esc(ref['record_id'])} was itself a correction; the first record of this preparation is "
                f"<b>{esc(original)}</b>.",
                "summary",
            )
        )
    out += [Spacer(1, 4), _pairs([("Reason for the amendment", f"<b>{esc(ref['reason'])}</b>")])]
    changes = ref.get("changes") or []
    if changes:
        rows: list[list[Any]] = [[_p(esc(h), "bold") for h in ("What was corrected", "Was", "Now")]]
        for change in changes:
            rows.append(
                [
                    _p(esc(change["label"])),
                    _p(esc(change["before"]) or "<i>(empty)</i>"),
                    _p(f"<b>{esc(change['after'])}</b>"),
                ]
            )
        out += [Spacer(1, 6), _table(rows, [width - 340, 170, 170])]
    signatures = ref.get("amended_signatures") or []
    dose = ref.get("dose_signatures") or []
    if dose and original and original != ref["record_id"]:  # a later correction: who made the dose, too
        out += [
            Spacer(1, 6),
            _p(f"The dose itself was prepared and verified, in record {esc(original)}, by:", "bold"),
            Spacer(1, 2),
            _signed_by(dose),
        ]
    if signatures:
        out += [
            Spacer(1, 6),
            _p(f"The record corrected ({esc(ref['record_id'])}) was signed by:", "bold"),
            Spacer(1, 2),
            _signed_by(signatures),
        ]
    return _short("Amendment", *out)


def _patient(data: Mapping[str, Any]) -> list[Any]:
    patient = data["preparation"]["order"]["patient"]
    identity = data["derived"]["identity"]
    return _short(
        "Patient",
        _pairs(
            [
                ("Name", f"<b>{esc(patient['full_name'])}</b>"),
                ("Date of birth", esc(patient["date_of_birth"])),
                ("MRN", esc(patient["mrn"])),
                ("Patient-specific identifier (order)", esc(patient["patient_specific_id"])),
                (
                    "Identifier on the carton",
                    f"{esc(identity['carton_identifier'])}, with date of birth {esc(identity['carton_date_of_birth'])}",
                ),
                (
                    "Identity verified",
                    f"Carton identifier and date of birth match the order: checked by "
                    f"{_who(identity['by_name'], identity['by_username'])} at {esc(local_text(identity['at']))}",
                ),
            ]
        ),
    )


def _order(data: Mapping[str, Any]) -> list[Any]:
    order = data["preparation"]["order"]
    product = data["derived"]["product"]
    units = product["hcpcs_units"]
    eligibility = "<br/>".join(f"• {esc(line)}" for line in data["derived"]["eligibility"])
    return _short(
        "Order",
        _pairs(
            [
                ("Order number", esc(order["order_number"])),
                ("Prescriber", esc(order["prescriber"])),
                ("Prior authorization number", esc(order["authorization_number"])),
                (
                    "Billing",
                    f"HCPCS <b>{esc(product['hcpcs'])} × {units} unit</b> (1 unit = 1 kit; one dose per lifetime)",
                ),
                ("Infusion date", esc(order["infusion_date"])),
                ("Eligibility (policy criteria)", eligibility),
            ]
        ),
    )


def _weight_text(calc: Mapping[str, Any]) -> str:
    used = f"<b>{esc(calc['weight_kg'])} kg</b> (entered as “{esc(calc['weight_entered'])}”"
    if calc["weight_described"] != f"{calc['weight_kg']} kg":
        used += f": {esc(calc['weight_described'])}"
    return used + ")"


def _calculation(data: Mapping[str, Any]) -> list[Any]:
    calc = data["derived"]["calculation"]
    measured = calc["weight_measured_at"]
    method = f", {esc(calc['weight_method'])}" if calc["weight_method"] else ""
    rows = [
        ("Weight used", _weight_text(calc)),
        ("Weight measured", (esc(local_text(measured)) if measured else "not recorded") + method),
        (
            "Prescription weight",
            f"{esc(calc['prescription_weight'])} on {esc(calc['prescription_weight_date'])} (the kit was ordered on it)",
        ),
        ("Formula", gc_markup(calc["formula"])),
        ("Dose volume", f"<b>{esc(calc['dose_ml'])} mL</b>"),
        ("Dose in genome copies", f"<b>{gc_markup(calc['dose_gc'])} gc</b>"),
        ("Vials", f"<b>{esc(calc['vials'])} needed</b>; kit of {esc(calc['kit_vials'])} vials"),
        (
            "Supplied / surplus",
            f"{esc(calc['supplied_ml'])} mL supplied; {esc(calc['surplus_ml'])} mL surplus discarded",
        ),
        ("Withdrawal plan", esc(calc["withdrawal"])),
    ]
    for warning in calc["warnings"]:
        rows.append(("Warning", f"<font color='#bf0000'>{esc(warning)}</font>"))
    if calc["drift_notice"]:
        rows.append(("Weight change notice", esc(calc["drift_notice"])))
    return _short("Calculation", _pairs(rows))


def _components(data: Mapping[str, Any]) -> list[Any]:
    c = data["derived"]["components"]
    product = data["derived"]["product"]
    counted = c["vials_counted"]
    count_text = (
        f"vial count verified: {esc(counted)} counted"
        if counted == c["kit_vials"]
        else f"vials counted: {esc(counted)}"
    )
    final = c["final_volume"]
    final_text = f"final volume {final}" if final else "final volume not recorded"
    width = PAGE_WIDTH - 2 * MARGIN
    header = [_p(esc(h), "small_bold") for h in ("Component", "Identifiers", "Lot", "Expiry", "Serial", "Quantity")]
    rows = [
        header,
        [
            _p(
                f"<b>{esc(product['name'])}</b> kit, {esc(product['manufacturer'])}",
                "small",
            ),
            _p(f"NDC <b>{esc(c['kit_ndc11'])}</b> (11-digit)<br/>GTIN {esc(c['gtin'])}", "small"),
            _p(f"<b>{esc(c['lot'])}</b>", "small"),
            _p(esc(c["expiry"]), "small"),
            _p(esc(c["serial"]), "small"),
            _p(
                f"{esc(c['kit_vials'])} vials × 10 mL; {count_text}; <b>{esc(c['volume_drawn_ml'])} mL drawn up</b>",
                "small",
            ),
        ],
        [
            _p("<b>0.9% sodium chloride</b> (diluent)", "small"),
            _p("", "small"),
            _p(f"<b>{esc(c['diluent_lot'])}</b>", "small"),
            _p(esc(c["diluent_expiry"]), "small"),
            _p("", "small"),
            _p(esc(final_text), "small"),
        ],
    ]
    return _short("Components", _table(rows, [92, 118, 72, 64, 68, width - 414]))


def _checks(data: Mapping[str, Any], section: str, title: str) -> list[Any]:
    width = PAGE_WIDTH - 2 * MARGIN
    rows: list[list[Any]] = [[_p(esc(h), "small_bold") for h in ("Check", "Answer", "By", "When")]]
    for check in data["derived"]["checks"]:
        if check["section"] != section:
            continue
        rows.append(
            [
                _p(esc(check["text"]), "small"),
                _p(f"<b>{esc(check['answer'])}</b>", "small"),
                _p(_who(check["by_name"], check["by_username"]), "small"),
                _p(esc(local_text(check["at"])), "small"),
            ]
        )
    return _long(title, _table(rows, [width - 310, 118, 104, 88]))


def _beyond_use(data: Mapping[str, Any]) -> list[Any]:
    beyond = data["derived"]["beyond_use"]
    hours = data["derived"]["product"]["complete_within_hours"]
    return _short(
        "Beyond use",
        _pairs(
            [
                ("Prepared at", esc(both_text(beyond["prepared_at"]))),
                (
                    "Complete infusion by",
                    f"<b>{esc(both_text(beyond['complete_by']))}</b> ({esc(hours)} hours after preparation)",
                ),
                ("Storage of the diluted bag", esc(beyond["storage"])),
            ]
        ),
    )


def _events(data: Mapping[str, Any]) -> list[Any]:
    from datetime import datetime

    width = PAGE_WIDTH - 2 * MARGIN
    out: list[Any] = _long("Stops met, overrides and deviations")
    events = data["preparation"]["events"]
    if events:
        rows: list[list[Any]] = [[_p(esc(h), "small_bold") for h in ("When (UTC)", "Kind", "Step", "What happened")]]
        for event in events:
            at = datetime.fromisoformat(event["at"])
            rows.append(
                [
                    _p(esc(f"{at:%Y-%m-%d %H:%M}"), "small"),
                    _p(esc(event["kind"]), "small_bold"),
                    _p(esc(event["step"]), "small"),
                    _p(esc(event["message"]), "small"),
                ]
            )
        out.append(_table(rows, [86, 72, 62, width - 220]))
    else:
        out.append(_p("No stop, warning or deviation was met during this preparation."))
    overrides = [s for s in data["signatures"] if s["meaning"] == "Override approved"]
    if overrides:
        rows = [[_p(esc(h), "small_bold") for h in ("Override of", "Reason", "Approved by")]]
        for s in overrides:
            rows.append(
                [
                    _p(esc(s["subject"]), "small"),
                    _p(esc(s["reason"]), "small"),
                    _p(
                        f"{_who(s['printed_name'], s['username'])}, {esc(s['role'])}, {esc(utc_text(_sig_stamp(s)))}",
                        "small",
                    ),
                ]
            )
        out.append(_p("", "small"))
        out.append(_table(rows, [width - 290, 150, 140]))
    else:
        out.append(_p("No override was needed."))
    return out


def _sig_stamp(s: Mapping[str, str]) -> dict[str, str]:
    return {"utc": s["signed_at_utc"], "local": s["signed_at_local"], "zone": s["zone"]}


def _signatures(data: Mapping[str, Any]) -> list[Any]:
    from reportlab.platypus import KeepTogether

    width = PAGE_WIDTH - 2 * MARGIN
    rows: list[list[Any]] = [
        [
            _p(esc(h), "small_bold")
            for h in ("Meaning", "Printed name", "Role", "Signed (UTC)", "Signed (local)", "Workstation")
        ]
    ]
    for s in data["signatures"]:
        stamp = _sig_stamp(s)
        rows.append(
            [
                _p(f"<b>{esc(s['meaning'])}</b>", "small"),
                _p(f"<b>{esc(s['printed_name'])}</b><br/>user {esc(s['username'])}", "small"),
                _p(esc(s["role"]), "small"),
                _p(esc(utc_text(stamp, seconds=True)), "small"),
                _p(f"{esc(local_text(stamp, seconds=True))}<br/>({esc(offset_text(stamp))})", "small"),
                _p(esc(s["workstation"]), "small"),
            ]
        )
    note = _p(
        "Electronic signatures: each person re-entered their password to sign. The signatures, the record "
        "and its SHA-256 are sealed; the PDF is digitally signed with the site certificate and carries the "
        "electronic record as an attached file (check it with “hemgenix-prep verify”).",
        "small",
    )
    return [KeepTogether([_section("Signatures"), _table(rows, [78, 112, 62, 98, 98, width - 448]), note])]


def _story(data: Mapping[str, Any]) -> list[Any]:
    story: list[Any] = []
    for part in (
        _amendment,
        _summary,
        _patient,
        _order,
        _calculation,
        _components,
        lambda d: _checks(d, "preparation", "Preparation checks"),
        lambda d: _checks(d, "administration", "Administration constraints"),
        _beyond_use,
        _events,
        _signatures,
    ):
        story.extend(part(data))
    return story


# --- header, footer, page numbers ------------------------------------------------------------------
def _page_decorator(
    data: Mapping[str, Any], sha256: str, fingerprint: str, reprint: Reprint | None
) -> Callable[[Any, Any], None]:
    derived = data["derived"]
    product = derived["product"]
    title = f"{product['name']} preparation record"
    subtitle = f"{product['generic_name']} · {product['manufacturer']}"
    ident = f"Record ID {data['record_id']}"
    where = f"Site: {data['site']} · Workstation: {data['workstation']}"
    sealed = f"Sealed {local_text(data['sealed_at'])}"
    payload = qr_payload(data["record_id"], sha256)
    practice = bool(data["practice"])
    copy = reprint.marking() if reprint is not None else None
    amended = None if data["amends"] is None else amendment_marking(data["amends"])
    version = data["software_version"]
    embedded = f"hemgenix-record-{data['record_id']}.json"

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
        canvas.line(MARGIN, bottom + FOOTER_HEIGHT - 6, right, bottom + FOOTER_HEIGHT - 6)
        draw_qr(canvas, payload, right - QR_SIZE + 4, bottom - 4, QR_SIZE)
        text_y = bottom + FOOTER_HEIGHT - 20
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
        canvas.restoreState()

    return decorate


def _header_height(data: Mapping[str, Any]) -> float:
    return HEADER_HEIGHT + (AMENDMENT_ROW if data["amends"] is not None else 0.0)


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


def render_record_pdf(record: SealedRecord, *, certificate_fingerprint: str, reprint: Reprint | None = None) -> bytes:
    """The record's pages as an unsigned PDF (``build_record_pdf`` attaches the record and signs)."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    record = _require_sealed(record, "record PDF")
    data = record.data
    sha256 = record.sha256
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + _header_height(data),
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=f"Hemgenix preparation record {data['record_id']}",
        author=str(data["site"]),
        subject=f"record-id={data['record_id']}; sha256={sha256}",
        creator=f"Hemgenix Prep {data['software_version']}",
        keywords=["hemgenix-prep", f"record-id={data['record_id']}", f"sha256={sha256}"],
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        PAGE_WIDTH - 2 * MARGIN,
        PAGE_HEIGHT - 2 * MARGIN - _header_height(data) - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    decorate = _page_decorator(data, sha256, certificate_fingerprint, reprint)
    doc.addPageTemplates([PageTemplate(id="record", frames=[frame], onPage=decorate)])
    doc.build(_story(data), canvasmaker=_numbered_canvas(data["record_id"]))
    return buffer.getvalue()


def build_record_pdf(record: SealedRecord, site: SiteCertificate, *, reprint: Reprint | None = None) -> bytes:
    """The signed record PDF: pages, the sealed JSON attached, PAdES signature by the site certificate."""
    from hemgenix_desktop.records.pades import embed_and_sign

    record = _require_sealed(record, "record PDF")
    pdf = render_record_pdf(record, certificate_fingerprint=site.fingerprint, reprint=reprint)
    return embed_and_sign(
        pdf,
        record.canonical,
        record_id=record.record_id,
        sha256=record.sha256,
        site=site,
        location=str(record.data["site"]),
    )
