"""The machine-readable codes on the printed outputs: the record QR code and the label's barcode.

The QR code holds ``HGX-RECORD:<record id>;SHA-256:<hash>``; :func:`parse_qr_payload` reads it back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

QR_PREFIX = "HGX-RECORD:"
_PAYLOAD = re.compile(r"^HGX-RECORD:(?P<id>[A-Z0-9-]{1,64});SHA-256:(?P<hash>[0-9a-f]{64})$")


def qr_payload(record_id: str, sha256: str) -> str:
    return f"{QR_PREFIX}{record_id};SHA-256:{sha256}"


def parse_qr_payload(text: str) -> tuple[str, str]:
    """(record id, hash) from a decoded QR code; ValueError when it is not a record code."""
    match = _PAYLOAD.match(text.strip())
    if match is None:
        raise ValueError("not a Hemgenix Prep record code")
    return match["id"], match["hash"]


@lru_cache(maxsize=16)
def _qr_rows(payload: str) -> tuple[tuple[bool, ...], ...]:
    import segno

    qr = segno.make_qr(payload, error="m")
    return tuple(tuple(bool(v) for v in row) for row in qr.matrix)


def draw_qr(canvas: Any, payload: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``payload`` as vector squares, ``size`` points wide including a 4-module quiet
    zone, with its lower-left corner at (x, y)."""
    rows = _qr_rows(payload)
    quiet = 4
    modules = len(rows) + 2 * quiet
    unit = size / modules
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        top = y + size - (quiet + r + 1) * unit
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + (quiet + start) * unit, top, (c - start) * unit, unit)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def record_barcode(value: str, *, max_width: float, bar_height: float) -> Any:
    """A flowable barcode of ``value``: Code 128 as wide as fits ``max_width`` (bars 0.25–0.5 mm, with quiet
    zones); where even 0.25 mm bars do not fit (a narrow label), an ECC 200 DataMatrix instead."""
    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.lib.units import mm

    probe = Code128(value, barWidth=1, barHeight=bar_height, humanReadable=False, quiet=True)
    bar_width = min(0.5 * mm, max_width / probe.width)
    if bar_width >= 0.25 * mm:
        return Code128(value, barWidth=bar_width, barHeight=bar_height, humanReadable=False, quiet=True)
    return _datamatrix(value, min(max_width, bar_height * 1.6))


def _datamatrix(value: str, size: float) -> Any:
    from reportlab.graphics.barcode import createBarcodeDrawing
    from reportlab.graphics.shapes import Drawing, Group

    symbol = createBarcodeDrawing("ECC200DataMatrix", value=value)
    scale = size / max(symbol.width, symbol.height)
    group = Group(*symbol.contents)
    group.scale(scale, scale)
    drawing = Drawing(symbol.width * scale, symbol.height * scale)
    drawing.add(group)
    drawing.hAlign = "CENTER"
    return drawing
