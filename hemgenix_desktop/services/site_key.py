"""The site key at the program's start, for the window; no Qt: what to ask (the token's PIN or the key file's
passphrase), whether a secret given unlocks the key, and the sentence that reports a key file in the clear."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hemgenix_desktop.security.key_protection import (
    KEY_FILE_SECRET,
    MIN_PASSPHRASE,
    NEW_KEY_FILE_SECRET,
    SiteCertificateError,
    provide_secret,
    secret_given,
    set_prompt,
    token_config,
    token_pin_question,
)
from hemgenix_desktop.security.site_keys import load_site_certificate, unencrypted_key_warning


def question_at_start(data_dir: Path) -> str:
    """What the window asks for before anything is signed ("the PIN of the token …", "the passphrase of the site
    key file"), or "" when nothing is to be asked (no key yet, a key file in the clear, a secret given already)."""
    if secret_given():
        return ""
    try:
        token = token_config()
        if token is not None:
            return token_pin_question(token)
        site = load_site_certificate(data_dir)
    except SiteCertificateError:
        return ""  # the sealing says what is wrong, with its sentence
    return KEY_FILE_SECRET if site is not None and site.key_file_encrypted else ""


def unlock_with(data_dir: Path, given: str) -> str:
    """Try ``given`` as the PIN or passphrase: "" when it unlocks the site key (kept for this process), else the
    sentence that says what is wrong (the secret is forgotten)."""
    provide_secret(given)
    try:
        site = load_site_certificate(data_dir)
        if site is not None:
            site.unlock()
    except SiteCertificateError as exc:
        provide_secret(None)
        return exc.message
    return ""


def ask_with(ask: Callable[[str], str | None]) -> None:
    """How the window asks for the secret when sealing needs it and none was given: ``ask(question)`` returns the
    secret that unlocked the key, or None (cancelled)."""
    set_prompt(ask)


def warning_at_start(data_dir: Path) -> str:
    """The sentence that reports a site key file kept in the clear, or ""."""
    return unencrypted_key_warning(data_dir)


__all__ = ["MIN_PASSPHRASE", "NEW_KEY_FILE_SECRET", "ask_with", "question_at_start", "unlock_with", "warning_at_start"]
