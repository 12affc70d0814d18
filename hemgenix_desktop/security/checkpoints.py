"""Signed checkpoints of the audit chain, kept outside the database (issue 15).

A checkpoint is a C2SP signed note (c2sp.org/signed-note) whose text is a C2SP tlog checkpoint
(c2sp.org/tlog-checkpoint): the origin line names the database (``hemgenix-prep.invalid/db/<database ID>``), the
second line is the chain's length (its newest event's number), the third the newest event's hash (base64 of its 32
bytes), and one extension line says when it was signed (``time <ISO 8601 UTC>``). It is signed with the site key:

- an EC key (the site's own, P-256): signature type 0x02 of the signed-note spec (ECDSA, as
  github.com/transparency-dev/witness implements it): an ASN.1 DER ECDSA signature over SHA-256 of the note text,
  key ID = SHA-256(the SPKI DER public key)[:4];
- an RSA key (an imported certificate): signature type 0xff (no byte assigned) followed by the identifier
  ``hemgenix-rsa-pkcs1-sha256``: PKCS#1 v1.5 with SHA-256 over the note text, key ID = SHA-256(key name || 0x0A ||
  0xff || identifier || SPKI DER)[:4].

Any tool that reads signed notes reads it; ``hemgenix-prep audit verify --checkpoints DIR`` checks each against
the chain. Files are ``checkpoint-<number>.txt``, written once (never overwritten), for write-once storage.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.storage.audit_trail import AuditTrail

ORIGIN_PREFIX = "hemgenix-prep.invalid/db/"
KEY_NAME = "hemgenix-prep.invalid/site"
RSA_TYPE = b"\xffhemgenix-rsa-pkcs1-sha256"
FILE_PATTERN = re.compile(r"^checkpoint-(\d+)\.txt$")


class CheckpointError(DomainError):
    """A checkpoint cannot be read or is not signed by this site; the message says which and why."""


@dataclass(frozen=True)
class Checkpoint:
    database_id: str
    seq: int
    head_hash: str  # hex, as the trail stores it
    signed_at: datetime

    def text(self) -> str:
        """The note text (the checkpoint body), ending in a newline."""
        root = base64.b64encode(bytes.fromhex(self.head_hash)).decode("ascii")
        return (
            f"{ORIGIN_PREFIX}{self.database_id}\n{self.seq}\n{root}\n"
            f"time {self.signed_at.astimezone(UTC).isoformat(timespec='seconds')}\n"
        )


def _spki(public_key: object) -> bytes:
    assert isinstance(public_key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey)
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(certificate: x509.Certificate) -> bytes:
    """The signature line's 4-byte key ID: for ECDSA (signed-note type 0x02) SHA-256 of the SPKI, as
    transparency-dev/witness makes it; for RSA the spec's recommended form with type 0xff and our identifier."""
    public = certificate.public_key()
    spki = _spki(public)
    if isinstance(public, ec.EllipticCurvePublicKey):
        return hashlib.sha256(spki).digest()[:4]
    return hashlib.sha256(KEY_NAME.encode() + b"\n" + RSA_TYPE + spki).digest()[:4]


def sign_checkpoint(checkpoint: Checkpoint, sign: Callable[[bytes], bytes], certificate: x509.Certificate) -> str:
    """The signed note: the checkpoint text, a blank line, and the site's signature line. ``sign``: the site key's
    signature of the bytes given (ECDSA with SHA-256, or RSA PKCS#1 v1.5 with SHA-256; on the token when the site
    has one: ``SiteCertificate.sign``)."""
    text = checkpoint.text().encode("utf-8")
    line = base64.b64encode(key_id(certificate) + sign(text)).decode("ascii")
    return f"{checkpoint.text()}\n\u2014 {KEY_NAME} {line}\n"


def read_checkpoint(note: str, trusted: Iterable[x509.Certificate], where: str) -> Checkpoint:
    """The checkpoint of a signed note, once one of the ``trusted`` certificates' signatures verifies on it."""
    text, sep, signatures = note.partition("\n\n")
    if not sep or not text:
        raise CheckpointError(f"{where} is not a signed note (no blank line before its signatures).")
    text += "\n"
    lines = text.splitlines()
    try:
        origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
        stamp = next(line[5:] for line in lines[3:] if line.startswith("time "))
        signed_at = datetime.fromisoformat(stamp)
    except (IndexError, ValueError, StopIteration) as exc:
        raise CheckpointError(f"{where} is not a Hemgenix Prep checkpoint ({exc}).") from exc
    if not origin.startswith(ORIGIN_PREFIX) or len(root) != 32 or size < 0:
        raise CheckpointError(f"{where} is not a Hemgenix Prep checkpoint (origin “{origin}”).")
    checkpoint = Checkpoint(origin[len(ORIGIN_PREFIX) :], size, root.hex(), signed_at)
    if not _signed_by(text.encode("utf-8"), signatures, list(trusted)):
        raise CheckpointError(
            f"{where} is not signed by this site's key (no signature of a trusted site certificate verifies): it "
            "was made or changed elsewhere."
        )
    return checkpoint


def _signed_by(text: bytes, signatures: str, trusted: list[x509.Certificate]) -> bool:
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014" or parts[1] != KEY_NAME:
            continue
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except ValueError:
            continue
        for certificate in trusted:
            if blob[:4] == key_id(certificate) and _verifies(certificate, blob[4:], text):
                return True
    return False


def _verifies(certificate: x509.Certificate, signature: bytes, text: bytes) -> bool:
    public = certificate.public_key()
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, text, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, text, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


def write_checkpoint(folder: Path, note: str, seq: int) -> Path:
    """Write the signed note as ``checkpoint-<seq>.txt`` in ``folder`` (made if missing), once: an existing file
    is never overwritten (a second seal of the same head has nothing new to say). Read-only once written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{seq:012d}.txt"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(note)
        file.flush()
        os.fsync(file.fileno())
    os.chmod(path, 0o444)
    return path


def checkpoint_files(folder: Path) -> list[Path]:
    """The checkpoint files of a folder, oldest (smallest number) first."""
    found = [p for p in folder.iterdir() if p.is_file() and FILE_PATTERN.match(p.name)]
    return sorted(found, key=lambda p: int(FILE_PATTERN.match(p.name).group(1)))  # type: ignore[union-attr]


def check_against_chain(trail: AuditTrail, folder: Path, trusted: list[x509.Certificate]) -> tuple[int, list[str]]:
    """(checkpoints that agree, findings): each checkpoint in ``folder`` must be signed by the site, be of this
    database, and name an event of the chain with the same hash (else the trail before it was rewritten or cut);
    and no record may have been sealed after the newest checkpoint (a seal the program made writes one)."""
    if not folder.is_dir():
        return 0, [f"The checkpoint folder {folder} does not exist, so nothing could be checked against it."]
    database_id = trail.database_id()
    readable: list[tuple[Path, Checkpoint]] = []
    findings: list[str] = []
    for path in checkpoint_files(folder):
        try:
            readable.append((path, read_checkpoint(path.read_text(encoding="utf-8"), trusted, path.name)))
        except (CheckpointError, OSError, UnicodeDecodeError) as exc:
            findings.append(exc.message if isinstance(exc, CheckpointError) else f"{path.name} cannot be read ({exc}).")
    ours = []
    for path, checkpoint in readable:
        if checkpoint.database_id != database_id:
            findings.append(
                f"{path.name} is a checkpoint of database {checkpoint.database_id}, not of this one ({database_id}): "
                "records were sealed in another database, or this database replaced the one the site uses."
            )
        else:
            ours.append((path, checkpoint))
    if not ours:
        return 0, [*findings, f"No checkpoint of this database ({database_id}) is in {folder}."]
    head_seq, _ = trail.head()
    stored = trail.hashes(c.seq for _, c in ours)
    agreed = 0
    for path, checkpoint in ours:
        signed = f"{path.name}, signed {checkpoint.signed_at:%Y-%m-%d %H:%M} UTC"
        if checkpoint.seq > head_seq or checkpoint.seq not in stored:
            findings.append(
                f"The audit trail has {head_seq} events, but {signed}, says it had {checkpoint.seq}: events were "
                "removed, or the trail was replaced."
            )
        elif stored[checkpoint.seq] != checkpoint.head_hash:
            findings.append(
                f"Event {checkpoint.seq} is not the event {signed}, recorded (its hash differs): the trail up to "
                f"event {checkpoint.seq} was rewritten after the checkpoint."
            )
        else:
            agreed += 1
    newest = max(c.seq for _, c in ours)
    findings.extend(
        f"Event {event.seq} ({event.action} by {event.username}) seals a record after the newest checkpoint "
        f"(event {newest}), which no checkpoint covers: it was appended outside Hemgenix Prep, or the checkpoint "
        "folder could not be written when it was sealed."
        for event in trail.sealing_events_after(newest)
    )
    return agreed, findings


__all__ = [
    "Checkpoint",
    "CheckpointError",
    "check_against_chain",
    "checkpoint_files",
    "read_checkpoint",
    "sign_checkpoint",
    "write_checkpoint",
]
