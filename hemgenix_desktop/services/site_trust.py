"""Which retired site certificates still count as this site's: only those a pharmacist trusted through an audited
event, never a file that appeared in ``site-signing/retired/``; no Qt.

When the site's certificate is replaced (``site import-certificate``) the old certificate is kept in ``retired/``,
but a record signed with it verifies as this site's only after a pharmacist signs in and trusts its fingerprint
(``hemgenix-prep site trust-retired FINGERPRINT --user NAME``): the event ``retired_certificate_trusted`` keeps the
fingerprint, the subject and the validity in the hash-chained trail. :func:`site_certificates` gives the current
certificate and the retired ones the trail approves, for ``hemgenix-prep verify``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.security.site_keys import describe_name, fingerprint, retired_certificates, trusted_certificates
from hemgenix_desktop.storage import Store

if TYPE_CHECKING:
    from hemgenix_desktop.services.administration import Approval, Operator


def _normalised(text: str) -> str:
    """A fingerprint as typed (with or without colons, any case) in the form ``AB:CD:…``."""
    bare = "".join(ch for ch in text.strip().upper() if ch not in ": ")
    if len(bare) != 64 or any(ch not in "0123456789ABCDEF" for ch in bare):
        raise InvalidInput(
            "A certificate's SHA-256 fingerprint has 64 hexadecimal digits (colons may separate the pairs); "
            f"“{text.strip()[:100]}” is not one. Copy it from hemgenix-prep site show-certificate."
        )
    return ":".join(bare[i : i + 2] for i in range(0, 64, 2))


def approved_fingerprints(store: Store) -> set[str]:
    """The fingerprints of retired certificates a pharmacist trusted, as the audit trail keeps them."""
    return {
        str(event.after["fingerprint"])
        for event in store.audit_trail()
        if event.action == AuditAction.RETIRED_CERTIFICATE_TRUSTED.value and "fingerprint" in event.after
    }


def site_certificates(store: Store, data_dir: Path) -> list[x509.Certificate]:
    """The certificates a record of this site may be signed with: the current one and the approved retired ones."""
    return trusted_certificates(data_dir, approved_fingerprints(store))


def trust_retired(
    store: Store, data_dir: Path, typed: str, operator: Operator, workstation: str, approval: Approval
) -> x509.Certificate:
    """The pharmacist ``operator`` (signed in by ``services.administration``), with a second pharmacist's
    ``approval``, trusts the retired certificate with the fingerprint ``typed``; written to the audit trail with
    the approval. Raises ``InvalidInput`` with the sentence (no such certificate, trusted already) and writes
    nothing then."""
    wanted = _normalised(typed)
    user = operator.user
    found = [cert for cert in retired_certificates(data_dir) if fingerprint(cert) == wanted]
    if not found:
        raise InvalidInput(
            f"No retired site certificate has the fingerprint {wanted}. The retired ones are kept in "
            f"{data_dir / 'site-signing' / 'retired'}; nothing was changed."
        )
    if wanted in approved_fingerprints(store):
        raise InvalidInput(f"The retired certificate {wanted} is trusted already; nothing was changed.")
    cert = found[0]
    store.record_event(
        user,
        workstation,
        AuditAction.RETIRED_CERTIFICATE_TRUSTED,
        f"{user.full_name} trusted the retired site certificate {describe_name(cert.subject)} ({wanted}): records "
        "signed with it still verify as this site's." + approval.summary(),
        after={
            **approval.details(),
            "fingerprint": wanted,
            "subject": describe_name(cert.subject),
            "not_valid_before": cert.not_valid_before_utc.isoformat(),
            "not_valid_after": cert.not_valid_after_utc.isoformat(),
        },
        approval=approval,
    )
    return cert


__all__ = ["approved_fingerprints", "site_certificates", "trust_retired"]
