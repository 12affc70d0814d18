"""Record and label: the PDFs of one sealed preparation, built again and again in one warm process.

Runs as ``python -m benchmarks.record ROUNDS FOLDER``. The sealed record is the records tests' finished
72 kg preparation (tests/helpers/preparations.py, built only through the domain's functions) and the site
certificate a fresh self-signed one in FOLDER. A few first builds are not counted (fonts, reportlab's and
pyHanko's imports and caches). Each round times the unsigned record pages, the bag label, and the
PAdES signing (the sealed record attached and signed) separately; sealing and verification are timed too.
Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchmarks.common import own_peak_rss_bytes, own_rss_bytes
from hemgenix_desktop.records.label_pdf import build_label_pdf
from hemgenix_desktop.records.pades import embed_and_sign
from hemgenix_desktop.records.record_pdf import render_record_pdf
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import create_site_certificate
from tests.helpers.preparations import sealed_record, signed

WARM_UP = 3


def measure(rounds: int, folder: Path) -> dict[str, object]:
    site = create_site_certificate(folder, "Benchmark Infusion Pharmacy")
    record = sealed_record()
    timings: dict[str, list[float]] = {"pages": [], "label": [], "sign": [], "seal": [], "verify": []}
    size = 0
    for i in range(WARM_UP + rounds):
        t0 = time.perf_counter()
        pages = render_record_pdf(record, certificate_fingerprint=site.fingerprint)
        t1 = time.perf_counter()
        label = build_label_pdf(record)
        t2 = time.perf_counter()
        signed_pdf = embed_and_sign(
            pages, record.canonical, record_id=record.record_id, sha256=record.sha256, site=site, location="bench"
        )
        t3 = time.perf_counter()
        fresh = signed()
        t4 = time.perf_counter()
        sealed_record(fresh.prep, fresh.signatures)
        t5 = time.perf_counter()
        verify_record_pdf(signed_pdf, [site.certificate])
        t6 = time.perf_counter()
        if i >= WARM_UP:
            timings["pages"].append(t1 - t0)
            timings["label"].append(t2 - t1)
            timings["sign"].append(t3 - t2)
            timings["seal"].append(t5 - t4)
            timings["verify"].append(t6 - t5)
        size = len(signed_pdf) + len(label)
    return {**timings, "bytes": size, "rss_bytes": own_rss_bytes(), "peak_rss_bytes": own_peak_rss_bytes()}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]), Path(sys.argv[2]))))
