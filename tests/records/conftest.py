"""Shared fixtures: one site certificate, one sealed record and its PDFs for the whole session."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from hemgenix_desktop.records.label_pdf import build_label_pdf
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate, create_site_certificate
from tests.helpers.preparations import sealed_record


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("site-data")


@pytest.fixture(scope="session")
def site(site_dir: Path) -> SiteCertificate:
    return create_site_certificate(site_dir, "St. Example Infusion Pharmacy")


@pytest.fixture(scope="session")
def record() -> SealedRecord:
    return sealed_record()


@pytest.fixture(scope="session")
def record_pdf(record: SealedRecord, site: SiteCertificate) -> bytes:
    return build_record_pdf(record, site)


@pytest.fixture(scope="session")
def label_pdf(record: SealedRecord) -> bytes:
    return build_label_pdf(record)


def page_texts(pdf: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def render(pdf: bytes, tmp_path: Path, dpi: int = 150, page: int = 1) -> Image.Image:
    """One page rendered by poppler's pdftoppm (scripts/system-deps.sh installs poppler-utils)."""
    tool = shutil.which("pdftoppm")
    assert tool is not None, "pdftoppm is missing: run scripts/system-deps.sh (it installs poppler-utils)"
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            tool,
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    with Image.open(tmp_path / "page.png") as image:
        return image.convert("L")
