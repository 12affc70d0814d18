"""Both PDFs in one call, saved whole or not at all."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hemgenix_desktop.records.common import Reprint
from hemgenix_desktop.records.outputs import PdfSaveError, build_outputs, save_outputs, save_pdf
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate


def test_both_pdfs_are_built_and_saved(record: SealedRecord, site: SiteCertificate, tmp_path: Path) -> None:
    outputs = build_outputs(record, site)
    record_path, label_path = save_outputs(outputs, tmp_path / "out")
    assert record_path.name == "HGX-20261201-3F9A1C2B-record.pdf"
    assert label_path.name == "HGX-20261201-3F9A1C2B-label.pdf"
    assert verify_record_pdf(record_path.read_bytes(), [site.certificate]).record_id == record.record_id
    assert label_path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [label_path.name, record_path.name]


def test_a_reprint_gets_its_own_file_names(record: SealedRecord, site: SiteCertificate) -> None:
    outputs = build_outputs(record, site, reprint=Reprint(datetime(2026, 12, 3, 16, 15, tzinfo=UTC), "Pat Pharmacist"))
    assert outputs.file_names() == (
        "HGX-20261201-3F9A1C2B-record-copy-20261203T161500.pdf",
        "HGX-20261201-3F9A1C2B-label-copy-20261203T161500.pdf",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PdfSaveError) as caught:
            save_pdf(b"%PDF-1.7", folder / "x.pdf")
        assert caught.value.message == (
            f"x.pdf could not be saved in {folder} (Permission denied). Choose a folder you can write to and save "
            "again; the record itself is kept."
        )
    finally:
        folder.chmod(0o700)


def test_a_path_that_is_a_folder_fails_whole(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").mkdir()
    with pytest.raises(PdfSaveError) as caught:
        save_pdf(b"%PDF-1.7", tmp_path / "x.pdf")
    assert caught.value.message.startswith(f"x.pdf could not be saved in {tmp_path} (")
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]  # no partial file left behind
