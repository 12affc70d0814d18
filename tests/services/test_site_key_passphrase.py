"""The site key file encrypted with a passphrase given when the program starts (issue 15); a wrong or missing
passphrase seals nothing and says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hemgenix_desktop.config import ENV_SITE_KEY_PASSPHRASE
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import (
    SiteCertificateError,
    ensure_site_certificate,
    load_site_certificate,
    trusted_certificates,
)
from hemgenix_desktop.services.sealing import record_outputs
from tests.services.bench import Bench, make_bench
from tests.services.test_sealing import fully_signed

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    monkeypatch.setenv(ENV_SITE_KEY_PASSPHRASE, PASSPHRASE)
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def test_the_key_file_is_encrypted_and_records_are_signed_with_it(bench: Bench) -> None:
    record = fully_signed(bench).seal()
    pdf = record_outputs(bench.ws, record).outputs.record_pdf  # the site key is made with the first PDFs
    cert = load_site_certificate(bench.ws.data_dir)
    assert cert is not None
    pem = cert.key_path.read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert verify_record_pdf(pdf, trusted_certificates(bench.ws.data_dir)).record_id == record.record_id


@pytest.mark.parametrize(
    ("passphrase", "sentence"),
    [
        ("not the passphrase", "The passphrase given does not open the site's private key "),
        ("", "is protected by a passphrase, and none was given, so nothing can be signed or sealed."),
    ],
)
def test_a_wrong_or_missing_passphrase_seals_nothing(
    bench: Bench, monkeypatch: pytest.MonkeyPatch, passphrase: str, sentence: str
) -> None:
    ensure_site_certificate(bench.ws.data_dir, bench.ws.site)  # the site key, made encrypted
    process = fully_signed(bench)
    prep_id = process.prep.id
    monkeypatch.setenv(ENV_SITE_KEY_PASSPHRASE, passphrase)
    with pytest.raises(SiteCertificateError) as refused:
        process.seal()
    assert sentence in refused.value.message
    assert bench.store.summary(prep_id).status is not PreparationStatus.SEALED
    assert "record_sealed" not in [action for action, _ in bench.actions(prep_id)]
