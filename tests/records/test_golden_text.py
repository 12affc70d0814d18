"""The record PDF and the bag label say word for word what they said before the typed record view.

The golden files hold the text pypdf extracts from the factory's records as the release before the view printed
them (``tests/records/golden/*.txt``): an original record, a practice record reprinted as a copy, a light patient's
record with its warnings and override, the second correction of a record, and their labels. Record IDs of
amendments (random), hashes and the software version are masked; everything else must match. After a deliberate
change of the printed text, write the files again with ``python -m tests.records.test_golden_text`` and review the
difference.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hemgenix_desktop import __version__
from hemgenix_desktop.records.common import Reprint
from hemgenix_desktop.records.label_pdf import build_label_pdf
from hemgenix_desktop.records.record_pdf import render_record_pdf
from hemgenix_desktop.security.seal import SealedRecord
from tests.helpers.people import PHARMACIST, SECOND_PHARMACIST
from tests.helpers.preparations import AMENDED_AT, ZONE, amendment, complete_preparation, sealed_record
from tests.records.conftest import page_texts

GOLDEN = Path(__file__).parent / "golden"
FINGERPRINT = "AB:" * 31 + "CD"
REPRINT = Reprint(datetime(2027, 1, 5, 14, 0, tzinfo=UTC), "Pat Pharmacist", ZONE)
PAGE_BREAK = "\n=====PAGE=====\n"


def _second_amendment() -> SealedRecord:
    first = amendment(sealed_record(), {"check.diluent_lot": "NS24K114", "patient.full_name": "Alexandra Example"})
    return amendment(
        first.record,
        {"order.authorization_number": "PA-KS-99813"},
        number=2,
        reason="PA typed wrong.",
        corrector=SECOND_PHARMACIST,
        verifier=PHARMACIST,
        at=AMENDED_AT + timedelta(hours=1),
    ).record


CASES: dict[str, tuple[Callable[[], SealedRecord], Reprint | None]] = {
    "original": (sealed_record, None),
    "practice": (lambda: sealed_record(complete_preparation(practice=True)), REPRINT),
    "light": (lambda: sealed_record(complete_preparation(weight="31")), None),
    "amend2": (_second_amendment, REPRINT),
}


def masked(text: str) -> str:
    """Amendments' record IDs (random), hashes and the version masked."""
    text = re.sub(r"HGX-[0-9]{8}-(?!3F9A1C2B)[0-9A-F]{8}", "HGX-AMENDMENT-ID", text)
    text = re.sub(r"(?:[0-9a-f]{8} ){7}[0-9a-f]{8}|[0-9a-f]{64}", "HASH", text)
    return text.replace(f"Hemgenix Prep {__version__} ", "Hemgenix Prep VERSION ")


def texts(case: str) -> dict[str, str]:
    make, reprint = CASES[case]
    record = make()
    pdfs = {
        "record": render_record_pdf(record, certificate_fingerprint=FINGERPRINT, reprint=reprint),
        "label": build_label_pdf(record, reprint=reprint),
    }
    return {kind: masked(PAGE_BREAK.join(page_texts(pdf))) for kind, pdf in pdfs.items()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_pdfs_print_the_golden_text(case: str) -> None:
    for kind, text in texts(case).items():
        golden = (GOLDEN / f"{case}-{kind}.txt").read_text(encoding="utf-8")
        assert text.splitlines() == golden.splitlines(), f"{case} {kind}"


def test_the_golden_files_name_what_matters() -> None:
    """The masks hide only IDs, hashes and the version: the golden record still holds the clinical facts."""
    record = (GOLDEN / "original-record.txt").read_text(encoding="utf-8")
    for fact in ("144 mL", "15 vials × 10 mL", "HGX-20261201-3F9A1C2B", "Alex Example", "J1411 × 1 unit"):
        assert fact in record
    assert (GOLDEN / "amend2-record.txt").read_text(encoding="utf-8").count("HGX-AMENDMENT-ID") > 2


if __name__ == "__main__":  # write the golden files again (after a deliberate change of the printed text)
    for name in CASES:
        for kind, text in texts(name).items():
            (GOLDEN / f"{name}-{kind}.txt").write_text(text, encoding="utf-8")
