"""The printed record's sections, in the order a pharmacist reads them, each drawn from the record's typed view.

An amendment begins with the Amendment section (the record it amends and that record's hash, the reason, a table
of what was corrected and who signed the record corrected); then the summary box, patient, order, calculation,
components, checks, beyond use, stops and overrides, signatures. :func:`story` gives them all; the pages' header
and footer are ``record_pdf``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from hemgenix_desktop.domain.signing import Signature
from hemgenix_desktop.domain.weight import lb_rule, shown_kg
from hemgenix_desktop.records.common import (
    esc,
    gc_markup,
    grouped_hex,
    local_text,
    one_time,
    utc_text,
)
from hemgenix_desktop.records.fonts import BOLD, MONO, REGULAR, register_fonts
from hemgenix_desktop.security.record_view import Amends, Calculation, RecordView, Stamp

PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0  # US Letter, points
MARGIN = 40.0
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_SIZE = 10.0
SMALL_SIZE = 9.5
RED = (0.75, 0.0, 0.0)


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

    table = Table([[_p(esc(k), "small_bold"), _p(v)] for k, v in rows], colWidths=[key_width, BODY_WIDTH - key_width])
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


def _summary(record: RecordView) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    patient, calc, beyond = record.patient, record.calculation, record.beyond_use
    prepared, verified = record.first_signature, record.verifier
    lines = [
        _p(f"{esc(patient.full_name)}", "summary_big"),
        _p(
            f"Date of birth <b>{esc(patient.date_of_birth)}</b> · MRN <b>{esc(patient.mrn)}</b> · "
            f"Carton identifier <b>{esc(record.identity.carton_identifier)}</b>",
            "summary",
        ),
        _p(
            f"Dose <b>{esc(calc.dose_ml)} mL</b> = <b>{gc_markup(calc.dose_gc)} genome copies</b> "
            f"({esc(shown_kg(calc.weight_kg))} kg) · <b>{esc(calc.vials)} vials</b>, kit NDC "
            f"<b>{esc(record.components.kit_ndc11)}</b>",
            "summary",
        ),
        _p(
            f"Prepared {esc(local_text(beyond.prepared_at))} · "
            f"<b>Complete infusion by {esc(local_text(beyond.complete_by))}</b>",
            "summary",
        ),
        _p(
            f"{esc(prepared.meaning.value)} <b>{esc(prepared.printed_name)}</b> · "
            f"Verified by <b>{esc(verified.printed_name)}</b>",
            "summary",
        ),
    ]
    box = Table([[line] for line in lines], colWidths=[BODY_WIDTH])
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


def amendment_marking(ref: Amends) -> str:
    """``AMENDMENT 2 of record HGX-…``: the first record of the chain (a record from before amendments were
    numbered reads ``AMENDMENT of record <the record it amends>``)."""
    original = ref.original_record_id
    return f"AMENDMENT {ref.number} of record {original}" if ref.number else f"AMENDMENT of record {original}"


def _signed_by(signatures: Sequence[Signature]) -> Any:
    rows: list[list[Any]] = [[_p(esc(h), "small_bold") for h in ("Meaning", "Printed name", "Role", "Signed")]]
    for s in signatures:
        stamp = Stamp.of_signature(s)
        rows.append(
            [
                _p(f"<b>{esc(s.meaning.value)}</b>", "small"),
                _p(f"<b>{esc(s.printed_name)}</b> (user {esc(s.username)})", "small"),
                _p(esc(s.role), "small"),
                _p(f"{esc(local_text(stamp))}<br/>{esc(utc_text(stamp))}", "small"),
            ]
        )
    return _table(rows, [96, 200, 80, BODY_WIDTH - 376])


def _amendment(record: RecordView) -> list[Any]:
    from reportlab.platypus import Spacer

    ref = record.amends
    if ref is None:
        return []
    out: list[Any] = [
        _p(f"This record amends <b>{esc(ref.record_id)}</b>", "summary"),
        _p(f"(SHA-256 <font name='{MONO}'>{esc(grouped_hex(ref.sha256))}</font>).", "summary"),
    ]
    replaced = f"It replaces that record from {esc(local_text(record.sealed_at))}, when this amendment was sealed"
    if ref.sealed_at is not None:
        replaced += f"; that record, sealed {esc(local_text(ref.sealed_at))}, is kept unchanged"
    out.append(_p(replaced + ".", "summary"))
    if ref.corrects_a_correction:
        out.append(
            _p(
                f"{esc(ref.record_id)} was itself a correction; the first record of this preparation is "
                f"<b>{esc(ref.original_record_id)}</b>.",
                "summary",
            )
        )
    out += [Spacer(1, 4), _pairs([("Reason for the amendment", f"<b>{esc(ref.reason)}</b>")])]
    if ref.changes:
        rows: list[list[Any]] = [[_p(esc(h), "bold") for h in ("What was corrected", "Was", "Now")]]
        for change in ref.changes:
            rows.append(
                [
                    _p(esc(change.label)),
                    _p(esc(change.before) or "<i>(empty)</i>"),
                    _p(f"<b>{esc(change.after)}</b>"),
                ]
            )
        out += [Spacer(1, 6), _table(rows, [BODY_WIDTH - 340, 170, 170])]
    if ref.dose_signatures and ref.corrects_a_correction:  # a later correction: who made the dose, too
        out += [
            Spacer(1, 6),
            _p(f"The dose itself was prepared and verified, in record {esc(ref.original_record_id)}, by:", "bold"),
            Spacer(1, 2),
            _signed_by(ref.dose_signatures),
        ]
    if ref.amended_signatures:
        out += [
            Spacer(1, 6),
            _p(f"The record corrected ({esc(ref.record_id)}) was signed by:", "bold"),
            Spacer(1, 2),
            _signed_by(ref.amended_signatures),
        ]
    return _short("Amendment", *out)


def _patient(record: RecordView) -> list[Any]:
    patient, identity = record.patient, record.identity
    return _short(
        "Patient",
        _pairs(
            [
                ("Name", f"<b>{esc(patient.full_name)}</b>"),
                ("Date of birth", esc(patient.date_of_birth)),
                ("MRN", esc(patient.mrn)),
                ("Patient-specific identifier (order)", esc(patient.patient_specific_id)),
                (
                    "Identifier on the carton",
                    f"{esc(identity.carton_identifier)}, with date of birth {esc(identity.carton_date_of_birth)}",
                ),
                (
                    "Identity verified",
                    f"Carton identifier and date of birth match the order: checked by "
                    f"{_who(identity.by.printed_name, identity.by.username)} at {esc(local_text(identity.by.at))}",
                ),
            ]
        ),
    )


def _order(record: RecordView) -> list[Any]:
    order, product = record.order, record.product
    eligibility = "<br/>".join(f"• {esc(line)}" for line in record.eligibility)
    return _short(
        "Order",
        _pairs(
            [
                ("Order number", esc(order.order_number)),
                ("Prescriber", esc(order.prescriber)),
                ("Prior authorization number", esc(order.authorization_number)),
                (
                    "Billing",
                    f"HCPCS <b>{esc(product.hcpcs)} × {product.hcpcs_units} unit</b> "
                    "(1 unit = 1 kit; one dose per lifetime)",
                ),
                ("Infusion date", esc(order.infusion_date)),
                ("Eligibility (policy criteria)", eligibility),
            ]
        ),
    )


def _lab_results(record: RecordView) -> list[Any]:
    """Each laboratory result exactly as reported, with its date, laboratory, assay and detection limit (a record
    sealed before results were kept as reported has none: its eligibility lines say what it held)."""
    if not record.lab_results:
        return []
    header = ["Test", "As reported", "Date", "Laboratory", "Assay; detection limit", "Reading"]
    rows: list[list[Any]] = [[_p(esc(h), "small_bold") for h in header]]
    for r in record.lab_results:
        assay = "; ".join(x for x in (r.assay, "" if not r.detection_limit else f"limit {r.detection_limit}") if x)
        rows.append(
            [
                _p(esc(r.test), "small"),
                _p(f"<b>{esc(r.reported)}</b>", "small"),
                _p(esc("" if r.on is None else r.on.isoformat()), "small"),
                _p(esc(r.laboratory), "small"),
                _p(esc(assay), "small"),
                _p(esc(r.reading), "small"),
            ]
        )
    widths = [70, 72, 66, 106, 70]
    return _short("Laboratory results, as reported", _table(rows, [*widths, BODY_WIDTH - sum(widths)]))


def _weight_text(calc: Calculation) -> str:
    shown = shown_kg(calc.weight_kg)
    used = f"<b>{esc(shown)} kg</b> (entered as “{esc(calc.weight_entered)}”"
    if calc.weight_described != f"{calc.weight_kg} kg":
        used += f": {esc(calc.weight_described)}"
    if shown != calc.weight_kg:  # converted from lb exactly (issue 21): the rounding of what is shown is a rule
        used += f". {esc(lb_rule())}"
    return used + ")"


def _calculation(record: RecordView) -> list[Any]:
    calc = record.calculation
    measured = calc.weight_measured_at
    method = f", {esc(calc.weight_method)}" if calc.weight_method else ""
    rows = [
        ("Weight used", _weight_text(calc)),
        ("Weight measured", (esc(local_text(measured)) if measured else "not recorded") + method),
        (
            "Prescription weight",
            f"{esc(calc.prescription_weight)} on {esc(calc.prescription_weight_date)} (the kit was ordered on it)",
        ),
        ("Formula", gc_markup(calc.formula)),
        ("Dose volume", f"<b>{esc(calc.dose_ml)} mL</b>"),
        ("Dose in genome copies", f"<b>{gc_markup(calc.dose_gc)} gc</b>"),
        ("Vials", f"<b>{esc(calc.vials)} needed</b>; kit of {esc(calc.kit_vials)} vials"),
        ("Supplied / surplus", f"{esc(calc.supplied_ml)} mL supplied; {esc(calc.surplus_ml)} mL surplus discarded"),
        ("Withdrawal plan", esc(calc.withdrawal)),
    ]
    for warning in calc.warnings:
        rows.append(("Warning", f"<font color='#bf0000'>{esc(warning)}</font>"))
    if calc.drift_notice:
        rows.append(("Weight change notice", esc(calc.drift_notice)))
    return _short("Calculation", _pairs(rows))


def _components(record: RecordView) -> list[Any]:
    c, product = record.components, record.product
    counted = c.vials_counted
    count_text = (
        f"vial count verified: {esc(counted)} counted" if counted == c.kit_vials else f"vials counted: {esc(counted)}"
    )
    final_text = f"final volume {c.final_volume}" if c.final_volume else "final volume not recorded"
    header = [_p(esc(h), "small_bold") for h in ("Component", "Identifiers", "Lot", "Expiry", "Serial", "Quantity")]
    rows = [
        header,
        [
            _p(f"<b>{esc(product.name)}</b> kit, {esc(product.manufacturer)}", "small"),
            _p(f"NDC <b>{esc(c.kit_ndc11)}</b> (11-digit)<br/>GTIN {esc(c.gtin)}", "small"),
            _p(f"<b>{esc(c.lot)}</b>", "small"),
            _p(esc(c.expiry), "small"),
            _p(esc(c.serial), "small"),
            _p(
                f"{esc(c.kit_vials)} vials × {esc(product.ml_per_vial)} mL; {count_text}; "
                f"<b>{esc(c.volume_drawn_ml)} mL drawn up</b>",
                "small",
            ),
        ],
        [
            _p("<b>0.9% sodium chloride</b> (diluent)", "small"),
            _p("", "small"),
            _p(f"<b>{esc(c.diluent_lot)}</b>", "small"),
            _p(esc(c.diluent_expiry), "small"),
            _p("", "small"),
            _p(esc(final_text), "small"),
        ],
    ]
    return _short("Components", _table(rows, [92, 118, 72, 64, 68, BODY_WIDTH - 414]))


def _checks(record: RecordView, section: str, title: str) -> list[Any]:
    checks = [check for check in record.checks if check.section == section]
    answered = {(c.by.username, c.by.printed_name, local_text(c.by.at)) for c in checks}
    if len(answered) == 1:  # one person at one time: said once, under the table (the record as short as it can be)
        (username, printed_name, when) = next(iter(answered))
        rows = [[_p(esc(h), "small_bold") for h in ("Check", "Answer")]]
        rows += [[_p(esc(c.text), "small"), _p(f"<b>{esc(c.answer)}</b>", "small")] for c in checks]
        by = _p(f"Every check above was answered by {_who(printed_name, username)} at {esc(when)}.", "small")
        return [*_long(title, _table(rows, [BODY_WIDTH - 150, 150])), by]
    rows = [[_p(esc(h), "small_bold") for h in ("Check", "Answer", "By", "When")]]
    for check in checks:
        rows.append(
            [
                _p(esc(check.text), "small"),
                _p(f"<b>{esc(check.answer)}</b>", "small"),
                _p(_who(check.by.printed_name, check.by.username), "small"),
                _p(esc(local_text(check.by.at)), "small"),
            ]
        )
    return _long(title, _table(rows, [BODY_WIDTH - 310, 118, 104, 88]))


def _beyond_use(record: RecordView) -> list[Any]:
    beyond = record.beyond_use
    return _short(
        "Beyond use",
        _pairs(
            [
                ("Prepared at", esc(one_time(beyond.prepared_at))),
                (
                    "Complete infusion by",
                    f"<b>{esc(one_time(beyond.complete_by))}</b> "
                    f"({esc(record.product.complete_within_hours)} hours after preparation)",
                ),
                ("Storage of the diluted bag", esc(beyond.storage)),
            ]
        ),
    )


def _events(record: RecordView) -> list[Any]:
    out: list[Any] = _long("Stops met, overrides and deviations")
    if record.events:
        rows: list[list[Any]] = [[_p(esc(h), "small_bold") for h in ("When (UTC)", "Kind", "Step", "What happened")]]
        for event in record.events:
            rows.append(
                [
                    _p(esc(f"{event.at:%Y-%m-%d %H:%M}"), "small"),
                    _p(esc(event.kind), "small_bold"),
                    _p(esc(event.step), "small"),
                    _p(esc(event.message), "small"),
                ]
            )
        out.append(_table(rows, [86, 72, 62, BODY_WIDTH - 220]))
    else:
        out.append(_p("No stop, warning or deviation was met during this preparation."))
    if record.overrides:
        rows = [[_p(esc(h), "small_bold") for h in ("Override of", "Reason", "Approved by")]]
        for s in record.overrides:
            approved = f"{_who(s.printed_name, s.username)}, {esc(s.role)}, {esc(utc_text(Stamp.of_signature(s)))}"
            rows.append([_p(esc(s.subject), "small"), _p(esc(s.reason), "small"), _p(approved, "small")])
        out.append(_p("", "small"))
        out.append(_table(rows, [BODY_WIDTH - 290, 150, 140]))
    else:
        out.append(_p("No override was needed."))
    for found in record.person_findings:
        out.append(
            _p(
                f"<b>One dose per person:</b> preparation {esc(found.earlier_short_id)} had {esc(found.match)}; "
                f"{_who(found.printed_name, found.username)}, {esc(found.role)}, found it to be a different person "
                f"on {esc(found.at.astimezone(record.sealed_at.local.tzinfo).strftime('%Y-%m-%d %H:%M'))} "
                f"{esc(record.sealed_at.zone)}: {esc(found.reason)}",
                "small",
            )
        )
    return out


def _signatures(record: RecordView) -> list[Any]:
    from reportlab.platypus import KeepTogether

    heads = ("Meaning", "Printed name", "Role", "Signed", "Workstation")
    rows: list[list[Any]] = [[_p(esc(h), "small_bold") for h in heads]]
    for s in record.signatures:
        stamp = Stamp.of_signature(s)
        rows.append(
            [
                _p(f"<b>{esc(s.meaning.value)}</b>", "small"),
                _p(f"<b>{esc(s.printed_name)}</b><br/>user {esc(s.username)}", "small"),
                _p(esc(s.role), "small"),
                _p(esc(one_time(stamp, seconds=True)), "small"),
                _p(esc(s.workstation), "small"),
            ]
        )
    note = _p(
        "Electronic signatures: each person re-entered their password to sign. The signatures, the record "
        "and its SHA-256 are sealed; the PDF is digitally signed with the site certificate and carries the "
        "electronic record as an attached file (check it with “hemgenix-prep verify”).",
        "small",
    )
    return [KeepTogether([_section("Signatures"), _table(rows, [78, 130, 62, 150, BODY_WIDTH - 420]), note])]


def story(record: RecordView) -> list[Any]:
    """Every section of the record, in reading order."""
    out: list[Any] = []
    for part in (
        _amendment,
        _summary,
        _patient,
        _order,
        _lab_results,
        _calculation,
        _components,
        lambda r: _checks(r, "preparation", "Preparation checks"),
        lambda r: _checks(r, "administration", "Administration constraints"),
        _beyond_use,
        _events,
        _signatures,
    ):
        out.extend(part(record))
    return out
