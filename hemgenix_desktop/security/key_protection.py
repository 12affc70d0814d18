"""How the site's private key is kept and unlocked: on a PKCS#11 token (a PIN) or in a passphrase-encrypted file.

* **A token** (a hardware security module or smart card; SoftHSM2 in the tests): the site sets the PKCS#11 module,
  the token's label and the label of the key and certificate (settings ``pkcs11_module``, ``pkcs11_token``,
  ``pkcs11_key_label``). The key never leaves the token; each signature is made there after the PIN is given.
* **A key file**: ``site-signing/key.pem`` is PKCS#8 encrypted with a passphrase (``BestAvailableEncryption``).
  A key file written by an older version without encryption still works and is reported at every start and by
  ``hemgenix-prep site show-certificate``; ``hemgenix-prep site encrypt-key`` encrypts it in place.

The PIN or passphrase (the *secret*) is asked for once when the program starts (the window: a dialog; the command
line: a prompt without echo, or ``--pin-stdin``) and kept in this process only (:func:`provide_secret`). For
scripts and CI the environment variable ``HEMGENIX_SITE_KEY_SECRET`` gives it instead (never for a workstation:
any program of that login can read it). What cannot be detected: someone who has the OS login and the secret
together signs as the site.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.settings import resolve_setting

ENV_KEY_SECRET = "HEMGENIX_SITE_KEY_SECRET"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class SiteCertificateError(DomainError):
    """The site certificate cannot be created, read or imported; the message says why and what to do."""


class SiteKeyLocked(SiteCertificateError):  # noqa: N818 - reads as the user sees it
    """The site key cannot be used: no secret was given, or the PIN or passphrase is wrong."""


@dataclass(frozen=True)
class TokenConfig:
    """Where the site key lives on a PKCS#11 token: the module (a shared library), the token, the object label."""

    module: str
    token_label: str
    key_label: str

    def describe(self) -> str:
        return f"the token “{self.token_label}” (key “{self.key_label}”, module {self.module})"


def token_config() -> TokenConfig | None:
    """The token the site's settings name, or None when the site keeps its key in a file (no module set).
    A module set without the token's label or the key's label raises :class:`SiteCertificateError`."""
    module, label, key = (str(resolve_setting(k).value) for k in ("pkcs11_module", "pkcs11_token", "pkcs11_key_label"))
    if not module:
        return None
    if not label or not key:
        raise SiteCertificateError(
            "The settings name a PKCS#11 module but not the token's label and the key's label. Set pkcs11_token "
            "and pkcs11_key_label (hemgenix-prep settings set), or clear pkcs11_module to use the key file."
        )
    return TokenConfig(module, label, key)


# --- the secret, given once per process ---------------------------------------------------------------------------
@dataclass
class _Secret:
    value: str | None = None
    ask: Callable[[str], str | None] | None = None


_SECRET = _Secret()


def provide_secret(secret: str | None) -> None:
    """Keep the PIN or passphrase for this process (None forgets it)."""
    _SECRET.value = secret


def set_prompt(ask: Callable[[str], str | None] | None) -> None:
    """How to ask for the secret when none was given: ``ask(question)`` returns it, or None when cancelled."""
    _SECRET.ask = ask


def secret(what: str) -> str:
    """The secret given for this process, else ``HEMGENIX_SITE_KEY_SECRET``, else asked for (``what`` names it:
    "the PIN of the token …"). None of them: raises :class:`SiteKeyLocked` with the sentence."""
    if _SECRET.value is not None:
        return _SECRET.value
    from_env = os.environ.get(ENV_KEY_SECRET)
    if from_env:
        return from_env
    if _SECRET.ask is not None:
        answer = _SECRET.ask(what)
        if answer:
            _SECRET.value = answer
            return answer
    raise SiteKeyLocked(
        f"The site key is locked: {what} was not given, so nothing can be signed. Start the program again and "
        f"enter it (on the command line: --pin-stdin, or for scripts the variable {ENV_KEY_SECRET})."
    )


def wrong_secret(what: str) -> SiteKeyLocked:
    """The sentence for a wrong PIN or passphrase; the secret kept is forgotten so that it is asked again."""
    _SECRET.value = None
    return SiteKeyLocked(
        f"{what[0].upper()}{what[1:]} is wrong, so nothing was signed or sealed. Enter it again; nothing entered "
        "is lost."
    )


# --- a key file -------------------------------------------------------------------------------------------------------
def is_encrypted(pem: bytes) -> bool:
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in pem


def encrypt_pem(key: PrivateKey, passphrase: str) -> bytes:
    """The key as PKCS#8 PEM encrypted with ``passphrase`` (the best encryption the cryptography library offers)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SiteCertificateError(
            f"The passphrase for the site key must have at least {MIN_PASSPHRASE} characters; choose a longer one."
        )
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


MIN_PASSPHRASE = 8
KEY_FILE_SECRET = "the passphrase of the site key file"
# asked when there is no key yet: the one made now is encrypted with it (a window asks for it twice)
NEW_KEY_FILE_SECRET = "a passphrase for the new site key file"


def load_key_pem(pem: bytes, where: str, passphrase: str | None) -> PrivateKey:
    """The private key in ``pem`` (``where`` names the file for the sentences); an encrypted one needs the
    passphrase (``None``: asked for through :func:`secret`)."""
    password = None
    if is_encrypted(pem):
        password = (passphrase if passphrase is not None else secret(KEY_FILE_SECRET)).encode("utf-8")
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except (ValueError, TypeError) as exc:
        if password is not None:
            raise wrong_secret(KEY_FILE_SECRET) from exc
        raise SiteCertificateError(
            f"The site's private key {where} cannot be read ({exc}). Import the site certificate again with "
            "hemgenix-prep site import-certificate."
        ) from exc
    if not isinstance(key, PrivateKey):
        raise SiteCertificateError(f"The site's private key {where} is neither an RSA nor an EC key.")
    return key


# --- a PKCS#11 token ------------------------------------------------------------------------------------------------
def _token(config: TokenConfig) -> Any:
    import pkcs11  # python-pkcs11, loaded only for a site with a token

    try:
        lib = pkcs11.lib(config.module)
    except (RuntimeError, OSError, pkcs11.PKCS11Error) as exc:
        raise SiteCertificateError(
            f"The PKCS#11 module {config.module} cannot be loaded ({exc}). Check the setting pkcs11_module."
        ) from exc
    try:
        return lib.get_token(token_label=config.token_label)
    except pkcs11.PKCS11Error as exc:  # NoSuchToken, MultipleTokensReturned
        raise SiteCertificateError(
            f"The token “{config.token_label}” is not found through {config.module} ({type(exc).__name__}). Plug "
            "it in, or check the setting pkcs11_token."
        ) from exc


def token_certificate(config: TokenConfig) -> x509.Certificate:
    """The certificate stored on the token under the key's label (read without the PIN: it is public)."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    try:
        with _token(config).open() as session:
            found = list(
                session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: config.key_label})
            )
            der = bytes(found[0][Attribute.VALUE]) if len(found) == 1 else None
    except pkcs11.PKCS11Error as exc:
        raise SiteCertificateError(f"The certificate on {config.describe()} cannot be read ({exc!r}).") from exc
    if der is None:
        raise SiteCertificateError(
            f"{config.describe()[0].upper()}{config.describe()[1:]} must hold exactly one certificate labelled "
            f"“{config.key_label}”; it holds {len(found)}. Store the site certificate on the token under that label."
        )
    return x509.load_der_x509_certificate(der)


def token_pin_question(config: TokenConfig) -> str:
    return f"the PIN of the token “{config.token_label}”"


def check_token_pin(config: TokenConfig) -> str:
    """Sign in to the token with the PIN (asked for if not given yet) and find the private key; returns the PIN.
    A wrong PIN raises :class:`SiteKeyLocked`; a missing key, :class:`SiteCertificateError`."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    question = token_pin_question(config)
    pin = secret(question)
    try:
        with _token(config).open(user_pin=pin) as session:
            keys = list(
                session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: config.key_label})
            )
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.PinInvalid) as exc:
        raise wrong_secret(question) from exc
    except pkcs11.PinLocked as exc:
        raise SiteKeyLocked(
            f"The token “{config.token_label}” is locked after too many wrong PINs; its security officer must "
            "unlock it. Nothing was signed or sealed."
        ) from exc
    except pkcs11.PKCS11Error as exc:
        raise SiteCertificateError(f"Signing in to {config.describe()} failed ({exc!r}).") from exc
    if len(keys) != 1:
        raise SiteCertificateError(
            f"{config.describe()[0].upper()}{config.describe()[1:]} must hold exactly one private key labelled "
            f"“{config.key_label}”; it holds {len(keys)}."
        )
    return pin


def token_sign(config: TokenConfig, data: bytes) -> bytes:
    """A signature of ``data`` made on the token: ECDSA with SHA-256 (DER-encoded) or RSA PKCS#1 v1.5 with
    SHA-256, by the key's type."""
    import pkcs11
    from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
    from pkcs11.util.ec import encode_ecdsa_signature

    question = token_pin_question(config)
    pin = check_token_pin(config)
    try:
        with _token(config).open(user_pin=pin) as session:
            key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=config.key_label)
            if key[Attribute.KEY_TYPE] == KeyType.EC:  # the digest is made here: every token has CKM_ECDSA
                digest = hashlib.sha256(data).digest()
                return bytes(encode_ecdsa_signature(key.sign(digest, mechanism=Mechanism.ECDSA)))
            return bytes(key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS))
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange) as exc:
        raise wrong_secret(question) from exc
    except pkcs11.PKCS11Error as exc:
        raise SiteCertificateError(f"Signing on {config.describe()} failed ({exc!r}).") from exc


def secret_given() -> bool:
    """True when the secret was given for this process or through ``HEMGENIX_SITE_KEY_SECRET``."""
    return _SECRET.value is not None or bool(os.environ.get(ENV_KEY_SECRET))
