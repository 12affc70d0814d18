"""Sealing with the site key on a real PKCS#11 token (SoftHSM2): the record PDF verifies in the program, in
poppler's pdfsig and in pyHanko's own validation; with the PIN wrong nothing is sealed and the sentence says so."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.key_protection import SiteKeyLocked, provide_secret, set_prompt
from hemgenix_desktop.security.site_keys import load_site_certificate, trusted_certificates
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.services.sealing import record_outputs
from tests.helpers.softhsm import PIN, Token
from tests.services.bench import Bench, make_bench
from tests.services.test_sealing import fully_signed


@pytest.fixture
def bench(tmp_path: Path, softhsm_token: Token, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    softhsm_token.settings(monkeypatch)
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def _sealed_pdf(bench: Bench) -> bytes:
    record = fully_signed(bench).seal()
    return record_outputs(bench.ws, record).outputs.record_pdf


@pytest.mark.slow
def test_a_record_signed_on_the_token_verifies_in_the_program(bench: Bench, softhsm_token: Token) -> None:
    provide_secret(PIN)
    site = load_site_certificate(bench.ws.data_dir)
    assert site is not None
    assert site.token is not None
    assert site.certificate == softhsm_token.certificate  # the token's certificate, nothing made on disk
    assert not (bench.ws.data_dir / "site-signing" / "key.pem").exists()
    pdf = _sealed_pdf(bench)
    result = verify_record_pdf(pdf, trusted_certificates(bench.ws.data_dir))
    assert result.certificate_subject == "CN=Example Pharmacy Records (token)"


@pytest.mark.slow
def test_a_record_signed_on_the_token_verifies_in_pyhanko(bench: Bench, softhsm_token: Token) -> None:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    provide_secret(PIN)
    pdf = _sealed_pdf(bench)
    root = asn1_x509.Certificate.load(softhsm_token.ca.public_bytes(serialization.Encoding.DER))
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed (poppler-utils)")
def test_a_record_signed_on_the_token_verifies_in_pdfsig(bench: Bench, tmp_path: Path) -> None:
    provide_secret(PIN)
    path = tmp_path / "record.pdf"
    path.write_bytes(_sealed_pdf(bench))
    shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature Validation: Signature is Valid." in shown.stdout, shown.stdout + shown.stderr
    assert "Total document signed" in shown.stdout
    assert "Example Pharmacy Records (token)" in shown.stdout


def test_with_the_pin_wrong_nothing_is_sealed_and_the_sentence_says_so(bench: Bench) -> None:
    provide_secret("999999")
    process = fully_signed(bench)
    with pytest.raises(SiteKeyLocked) as refused:
        process.seal()
    assert refused.value.message.startswith("The PIN of the token “hemgenix-test” is wrong, so nothing was signed")
    prep_id = process.prep.id
    assert bench.store.summary(prep_id).status is not PreparationStatus.SEALED
    assert stored_record(bench.store, prep_id) is None
    assert "record_sealed" not in [action for action, _who in bench.actions(prep_id)]
    provide_secret(PIN)  # entered again, right: the same preparation is sealed, nothing was lost
    assert process.seal().record_id
    assert bench.store.summary(prep_id).status is PreparationStatus.SEALED


def test_with_no_pin_given_the_prompt_asks_and_a_cancel_seals_nothing(bench: Bench) -> None:
    asked: list[str] = []

    def cancel(question: str) -> str | None:
        asked.append(question)
        return None

    set_prompt(cancel)
    process = fully_signed(bench)
    with pytest.raises(SiteKeyLocked) as refused:
        process.seal()
    assert asked == ["the PIN of the token “hemgenix-test”"]
    assert "was not given, so nothing can be signed" in refused.value.message
    assert stored_record(bench.store, process.prep.id) is None


def test_with_a_key_file_still_to_make_and_no_passphrase_nothing_is_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    bench = make_bench(tmp_path)
    try:
        process = fully_signed(bench)
        with pytest.raises(SiteKeyLocked):
            process.seal()
        assert stored_record(bench.store, process.prep.id) is None
        provide_secret("the site's new passphrase")
        record = process.seal()  # given now: sealed, and the new key file is encrypted with it
        assert load_site_certificate(bench.ws.data_dir) is None  # the key is made with the first PDF
        record_outputs(bench.ws, record)
        site = load_site_certificate(bench.ws.data_dir)
        assert site is not None
        assert site.key_file_encrypted
    finally:
        bench.store.close()
