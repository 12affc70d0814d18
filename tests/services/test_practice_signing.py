"""Practice mode signs with a throwaway key in a throwaway folder: the site's key, token and data folder are never
made, asked for or changed (the tester found key.pem and certificate.pem in the real data folder after a seal)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509

from hemgenix_desktop.config import data_dir
from hemgenix_desktop.domain.vocabulary import PreparationStatus
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.key_protection import ENV_KEY_SECRET, provide_secret, set_prompt
from hemgenix_desktop.security.signin import SignInService
from hemgenix_desktop.security.site_keys import CERT_FILE, fingerprint, site_folder
from hemgenix_desktop.services.sealing import record_outputs, save_record_outputs
from hemgenix_desktop.services.signing import read_blind_check
from hemgenix_desktop.services.workstation import Workstation
from hemgenix_desktop.setting_table import (
    ENV_PKCS11_KEY_LABEL,
    ENV_PKCS11_MODULE,
    ENV_PKCS11_TOKEN,
    ENV_TIMESTAMP_URL,
)
from hemgenix_desktop.storage import Store
from tests.helpers.people import PASSWORDS, add_people
from tests.helpers.preparations import SIGNED_AT, WORKSTATION, ZONE, complete_preparation
from tests.helpers.store import cheap_passwords
from tests.helpers.tsa import local_tsa
from tests.services.bench import Bench


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"" for p in sorted(folder.rglob("*"))}


@pytest.fixture
def real_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's real data folder, holding a file; the site names a token, and no secret is given or can be
    asked: practice touching any of them fails."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    folder = data_dir()
    folder.mkdir(parents=True)
    (folder / "hemgenix.sqlite3").write_bytes(b"the pharmacy's database")
    monkeypatch.setenv(ENV_PKCS11_MODULE, str(tmp_path / "no-such-pkcs11.so"))
    monkeypatch.setenv(ENV_PKCS11_TOKEN, "site-token")
    monkeypatch.setenv(ENV_PKCS11_KEY_LABEL, "site-key")
    monkeypatch.delenv(ENV_KEY_SECRET, raising=False)
    provide_secret(None)
    set_prompt(None)
    return folder


@pytest.fixture
def practice(real_data: Path, tmp_path: Path) -> Iterator[Bench]:
    store = Store.open_practice()
    users = add_people(store, workstation=WORKSTATION)
    ws = Workstation.from_settings(store, sign_in=SignInService(store, passwords=cheap_passwords()))
    ws.now, ws.tz = (lambda: SIGNED_AT), ZONE
    yield Bench(store, users, ws, tmp_path)
    store.close()


def test_a_practice_seal_leaves_the_real_data_folder_untouched_and_verifies(practice: Bench, real_data: Path) -> None:
    before = snapshot(real_data)
    assert practice.ws.practice
    assert not practice.ws.data_dir.is_relative_to(real_data)
    prep = complete_preparation()
    prep.practice = True
    process = practice.process(practice.started(prep))
    process.sign_as_preparer("ttech", PASSWORDS["ttech"])
    process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
    process.blind_check(read_blind_check("72", "kg", "15", "144"))
    record = process.seal()
    made = record_outputs(practice.ws, record)
    record_path, _label, problem = save_record_outputs(practice.ws, made.outputs, practice.user("ttech"), prep.id)

    assert problem == ""
    assert practice.store.summary(prep.id).status is PreparationStatus.SEALED
    assert snapshot(real_data) == before  # no key, no certificate, no record: nothing changed
    # The throwaway certificate, in the data folder the program shows (About: "Data folder"), verifies the record
    # and is the one the signing screen names.
    certificate = x509.load_pem_x509_certificate((site_folder(practice.ws.data_dir) / CERT_FILE).read_bytes())
    assert made.fingerprint == fingerprint(certificate)
    verify_record_pdf(record_path.read_bytes(), [certificate])
    assert record_path.is_relative_to(practice.ws.data_dir)


def test_practice_signs_without_the_sites_timestamp_authority(
    practice: Bench, real_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Practice reached the site's timestamp authority (the setting timestamp_url) when sealing: it must reach none of
    the site's servers, and its throwaway signatures need no timestamp."""
    with local_tsa() as tsa:
        monkeypatch.setenv(ENV_TIMESTAMP_URL, tsa.url)
        prep = complete_preparation()
        prep.practice = True
        process = practice.process(practice.started(prep))
        process.sign_as_preparer("ttech", PASSWORDS["ttech"])
        process.verifier_signs_in("ppharm", PASSWORDS["ppharm"])
        process.blind_check(read_blind_check("72", "kg", "15", "144"))
        record = process.seal()
        made = record_outputs(practice.ws, record)
        assert tsa.answered == []  # not asked before sealing, nor for the PDF's signature
    certificate = x509.load_pem_x509_certificate((site_folder(practice.ws.data_dir) / CERT_FILE).read_bytes())
    assert verify_record_pdf(made.outputs.record_pdf, [certificate]).timestamp is None


def test_a_marker_file_never_makes_the_sites_folder_a_practice_one(tmp_path: Path) -> None:
    """Only a folder this process made for practice is one: a marker file dropped into the site's own signing folder
    does not turn off the site's token or passphrase there."""
    from hemgenix_desktop.security.throwaway import (
        FOLDER,
        PRACTICE_FILE,
        is_practice_signing_folder,
        practice_data_folder,
    )

    site = tmp_path / "data" / FOLDER
    site.mkdir(parents=True)
    (site / PRACTICE_FILE).write_text("dropped by someone")
    assert not is_practice_signing_folder(site)
    practice = practice_data_folder()
    assert is_practice_signing_folder(practice / FOLDER)
    shutil.rmtree(practice)
