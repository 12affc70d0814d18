"""RFC 3161 timestamps from the site's timestamp authority (the setting ``timestamp_url``), against a real local
authority (certomancer's, tests/helpers/tsa.py): every record PDF's signature carries its timestamp (PAdES B-T) and
verifies in the program, in pyHanko's validation with the timestamp, and in poppler's pdfsig; an authority that is
down or answers badly seals nothing, and one that fails after the seal leaves a sealed record whose originals are
made when it answers again."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.pades import TimestampUnavailable
from hemgenix_desktop.records.verify import RecordNotVerified, verify_record_pdf
from hemgenix_desktop.security.site_keys import trusted_certificates
from hemgenix_desktop.services.records import stored_record
from hemgenix_desktop.services.reprints import reprint
from hemgenix_desktop.services.sealing import record_outputs
from hemgenix_desktop.setting_table import ENV_TIMESTAMP_URL
from tests.helpers.tsa import TSA_NAME, LocalTSA, local_tsa
from tests.services.bench import Bench, make_bench
from tests.services.test_sealing import fully_signed


@pytest.fixture
def tsa(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalTSA]:
    with local_tsa() as running:
        monkeypatch.setenv(ENV_TIMESTAMP_URL, running.url)
        yield running


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    made = make_bench(tmp_path)
    yield made
    made.store.close()


def _sealed_pdf(bench: Bench) -> bytes:
    record = fully_signed(bench).seal()
    return record_outputs(bench.ws, record).outputs.record_pdf


@pytest.mark.slow
def test_the_record_carries_the_authoritys_timestamp_and_verifies_in_the_program(bench: Bench, tsa: LocalTSA) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    pdf = _sealed_pdf(bench)
    assert len(tsa.answered) == 2  # asked once before sealing (is it there?), once for the signature
    result = verify_record_pdf(pdf, trusted_certificates(bench.ws.data_dir), tsa_roots=[tsa.root])
    stamp = result.timestamp
    assert stamp is not None
    assert before <= stamp.at <= datetime.now(UTC) + timedelta(seconds=5)
    assert stamp.authority == f"CN={TSA_NAME},O=Hemgenix Prep tests"
    assert stamp.trusted
    lines = stamp.lines()
    assert lines[0].startswith(f"Timestamp: {stamp.at:%Y-%m-%d %H:%M:%S} UTC by CN={TSA_NAME},O=Hemgenix Prep tests")
    assert "its authority's certificate chains to a trusted timestamp root" in lines[0]
    assert lines[1] == f"Timestamp authority's certificate SHA-256: {stamp.fingerprint}"
    # without the authority's root among the trusted ones it still verifies, and says it is not trusted
    untrusted = verify_record_pdf(pdf, trusted_certificates(bench.ws.data_dir)).timestamp
    assert untrusted is not None
    assert not untrusted.trusted
    assert (
        "compare the authority's certificate SHA-256 below with the one the authority publishes"
        in (untrusted.lines()[0])
    )


@pytest.mark.slow
def test_without_an_authority_the_signature_carries_no_timestamp(bench: Bench) -> None:
    result = verify_record_pdf(_sealed_pdf(bench), trusted_certificates(bench.ws.data_dir))
    assert result.timestamp is None


@pytest.mark.slow
def test_the_record_verifies_in_pyhanko_with_its_timestamp(bench: Bench, tsa: LocalTSA) -> None:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    pdf = _sealed_pdf(bench)
    site = trusted_certificates(bench.ws.data_dir)[0]
    der = serialization.Encoding.DER
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(
        signature,
        ValidationContext(trust_roots=[asn1_x509.Certificate.load(site.public_bytes(der))]),
        ts_validation_context=ValidationContext(trust_roots=[asn1_x509.Certificate.load(tsa.root.public_bytes(der))]),
    )
    assert status.bottom_line
    stamp = status.timestamp_validity
    assert stamp is not None
    assert stamp.intact
    assert stamp.valid
    assert stamp.trusted
    assert stamp.signing_cert.subject.native["common_name"] == TSA_NAME


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed (poppler-utils)")
@pytest.mark.slow
def test_the_timestamped_record_verifies_in_pdfsig(bench: Bench, tsa: LocalTSA, tmp_path: Path) -> None:
    path = tmp_path / "record.pdf"
    path.write_bytes(_sealed_pdf(bench))
    shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature Validation: Signature is Valid." in shown.stdout, shown.stdout + shown.stderr
    assert "Total document signed" in shown.stdout


@pytest.mark.slow
def test_a_changed_timestamp_is_not_verified(bench: Bench, tsa: LocalTSA) -> None:
    pdf = _sealed_pdf(bench)
    name = TSA_NAME.encode("ascii")
    # the authority's name inside the token, hex-encoded in the signature's /Contents: one letter changed
    hex_name = name.hex().upper().encode("ascii")
    assert hex_name in pdf
    forged = pdf.replace(hex_name, name.replace(b"Test", b"Fake").hex().upper().encode("ascii"), 1)
    with pytest.raises(RecordNotVerified):
        verify_record_pdf(forged, trusted_certificates(bench.ws.data_dir), tsa_roots=[tsa.root])


@pytest.mark.parametrize("mode", ["down", "garbage", "error"])
@pytest.mark.slow
def test_an_authority_down_or_answering_badly_seals_nothing(bench: Bench, tsa: LocalTSA, mode: str) -> None:
    if mode == "down":
        tsa.stop()
    else:
        tsa.mode = mode  # type: ignore[assignment]
    process = fully_signed(bench)
    with pytest.raises(TimestampUnavailable) as refused:
        process.seal()
    sentence = refused.value.message
    assert sentence.startswith(f"The timestamp authority at {tsa.url} ")
    assert (
        "could not be reached" in sentence if mode == "down" else "did not answer with a usable timestamp" in sentence
    )
    assert sentence.endswith(
        "This site's records are signed only with its timestamp, so nothing was sealed. Ask IT to check the "
        "authority, then seal again."
    )
    prep_id = process.prep.id
    assert bench.store.summary(prep_id).status is not PreparationStatus.SEALED
    assert stored_record(bench.store, prep_id) is None
    assert "record_sealed" not in [action for action, _who in bench.actions(prep_id)]
    tsa.mode = "ok"
    if mode != "down":  # answering again: the same preparation is sealed, nothing was lost
        assert process.seal().record_id
        assert bench.store.summary(prep_id).status is PreparationStatus.SEALED


@pytest.mark.slow
def test_an_authority_failing_after_the_seal_leaves_the_originals_to_make_when_it_answers(
    bench: Bench, tsa: LocalTSA
) -> None:
    process = fully_signed(bench)
    record = process.seal()
    tsa.mode = "error"  # down between the seal and the PDFs
    with pytest.raises(TimestampUnavailable) as refused:
        record_outputs(bench.ws, record)
    assert refused.value.message.endswith(
        "so no record PDF or label was made; the record stays sealed, and they are made once the authority answers "
        "again (Try sealing again, or resume the preparation from the unfinished ones)."
    )
    prep_id = process.prep.id
    assert bench.store.summary(prep_id).status is PreparationStatus.SEALED
    assert [s.id for s in bench.store.preparations.outputs_not_saved()] == [prep_id]  # listed among the unfinished
    tsa.mode = "ok"
    made = record_outputs(bench.ws, process.seal())  # resumed: the same record, now with its PDFs
    assert made.outputs.record_id == record.record_id
    assert verify_record_pdf(made.outputs.record_pdf, trusted_certificates(bench.ws.data_dir)).timestamp is not None


@pytest.mark.slow
def test_a_reprint_is_timestamped_too(bench: Bench, tsa: LocalTSA) -> None:
    process = fully_signed(bench)
    record_outputs(bench.ws, process.seal())  # sealed, and its PDFs made with the site's certificate
    copy = reprint(
        bench.store,
        process.prep.id,
        bench.user("ppharm"),
        data_dir=bench.ws.data_dir,
        workstation=bench.ws.workstation,
    )
    assert verify_record_pdf(copy.record_pdf, trusted_certificates(bench.ws.data_dir)).timestamp is not None


@pytest.mark.slow
def test_verify_on_the_command_line_prints_the_timestamp_and_the_audit_line(
    bench: Bench, tsa: LocalTSA, capsys: pytest.CaptureFixture[str]
) -> None:
    from hemgenix_desktop.cli import main

    path = bench.tmp / "record.pdf"
    path.write_bytes(_sealed_pdf(bench))
    assert main(["verify", str(path), "--data-dir", str(bench.ws.data_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    stamp = next(line for line in out if line.startswith("Timestamp: "))
    assert f"UTC by CN={TSA_NAME},O=Hemgenix Prep tests (compare the authority's certificate SHA-256" in stamp
    assert any(line.startswith("Timestamp authority's certificate SHA-256: ") for line in out)
    assert any(line.startswith("Audit trail: sealed at event ") for line in out)


@pytest.mark.slow
def test_verify_trusts_the_timestamp_with_the_authoritys_root_given(
    bench: Bench, tsa: LocalTSA, capsys: pytest.CaptureFixture[str]
) -> None:
    from hemgenix_desktop.cli import main

    path = bench.tmp / "record.pdf"
    path.write_bytes(_sealed_pdf(bench))
    root = bench.tmp / "tsa-root.pem"
    root.write_bytes(tsa.root.public_bytes(serialization.Encoding.PEM))
    given = ["verify", str(path), "--data-dir", str(bench.ws.data_dir), "--tsa-certificate", str(root)]
    assert main(given) == 0
    stamp = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Timestamp: "))
    assert stamp.endswith(
        f"UTC by CN={TSA_NAME},O=Hemgenix Prep tests (its authority's certificate chains to a trusted timestamp root)"
    )
    other = bench.tmp / "other-root.pem"
    other.write_bytes(bench.ws.data_dir.joinpath("site-signing", "certificate.pem").read_bytes())
    assert main([*given[:-1], str(other)]) == 0  # another root: still verified, the timestamp not trusted
    stamp = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Timestamp: "))
    assert "or give its root with --tsa-certificate" in stamp
