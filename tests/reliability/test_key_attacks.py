"""Attacks on the site's signing key by someone who has the workstation's login (issue 15, the key): each is refused.

Counted in docs/reliability.md (tests/reliability/figures.py): one case per test here. What cannot be detected, and
is said there plainly: someone who holds the OS login and the token's PIN (or the key file's passphrase) together
signs as the site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.records.verify import RecordNotVerified, verify_record_pdf
from hemgenix_desktop.security.key_protection import SiteKeyLocked, provide_secret
from hemgenix_desktop.security.site_keys import (
    create_site_certificate,
    import_pkcs12,
    load_site_certificate,
    site_folder,
    trusted_certificates,
)
from tests.helpers.preparations import sealed_record
from tests.helpers.softhsm import KEY_LABEL, PIN, Token
from tests.security.test_seal_site_keys import hospital_p12


def test_the_key_file_copied_off_the_workstation_cannot_sign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key file read with the login alone (no passphrase): it is encrypted, so nothing can be signed with it."""
    site = create_site_certificate(tmp_path, "St. Example")
    stolen = site.key_path.read_bytes()
    with pytest.raises(TypeError):  # "Password was not given but private key is encrypted"
        serialization.load_pem_private_key(stolen, password=None)
    # A wrong passphrase decrypts to noise: its padding is refused ("Incorrect password"), or, about once in 256
    # guesses, the padding happens to pass and the noise is refused as a key ("Could not deserialize key data").
    with pytest.raises(ValueError, match=r"Incorrect password|Could not deserialize key data"):
        serialization.load_pem_private_key(stolen, password=b"a guess")
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    loaded = load_site_certificate(tmp_path)
    assert loaded is not None
    with pytest.raises(SiteKeyLocked):
        build_record_pdf(sealed_record(), loaded)


def test_a_certificate_dropped_into_retired_is_trusted_by_nothing(tmp_path: Path) -> None:
    """An attacker's own certificate (and a record signed with its key) put into site-signing/retired/."""
    data = tmp_path / "data"
    create_site_certificate(data, "St. Example")
    forged = create_site_certificate(tmp_path / "attacker", "St. Example")
    forged_pdf = build_record_pdf(sealed_record(), forged)
    (site_folder(data) / "retired").mkdir()
    shutil.copyfile(site_folder(tmp_path / "attacker") / "certificate.pem", site_folder(data) / "retired" / "x.pem")
    with pytest.raises(RecordNotVerified):
        verify_record_pdf(forged_pdf, trusted_certificates(data))


@pytest.mark.slow
def test_a_replaced_certificate_is_not_trusted_without_the_trails_event(tmp_path: Path) -> None:
    old = create_site_certificate(tmp_path, "St. Example")
    pdf = build_record_pdf(sealed_record(), old)
    import_pkcs12(tmp_path, hospital_p12()[0], b"s3cret")
    with pytest.raises(RecordNotVerified):
        verify_record_pdf(pdf, trusted_certificates(tmp_path))


def test_the_key_on_the_token_cannot_be_read_out(softhsm_token: Token) -> None:
    """Even signed in with the PIN, the token gives the private key's value to no one (sensitive, not extractable)."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    token = pkcs11.lib(softhsm_token.module).get_token(token_label="hemgenix-test")
    with token.open(user_pin=PIN) as session:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=KEY_LABEL)
        assert key[Attribute.SENSITIVE] is True
        assert key[Attribute.EXTRACTABLE] is False
        with pytest.raises(pkcs11.PKCS11Error):
            key[Attribute.VALUE]


def test_a_wrong_pin_signs_nothing(softhsm_token: Token, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    softhsm_token.settings(monkeypatch)
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    provide_secret("000000")
    site = load_site_certificate(tmp_path)
    assert site is not None
    with pytest.raises(SiteKeyLocked):
        build_record_pdf(sealed_record(), site)
