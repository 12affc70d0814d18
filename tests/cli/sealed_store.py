"""A real SQLite database holding real sealed records, for the tests of ``records show`` and ``reprint`` and of the
services behind them (tests/services/test_records_in_force.py, test_reprints.py).

The preparation, its signatures and its sealed record are the domain's own (tests/helpers/preparations.py); they are
kept through the Store's own sealing calls (``seal_preparation``, ``start_amendment``, ``seal_amendment``), as the
signing flow keeps them. The people are the factory's signers, added as users of the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hemgenix_desktop.domain.preparation import Preparation
from hemgenix_desktop.domain.signing import Signer
from hemgenix_desktop.domain.vocabulary import Role
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import create_site_certificate
from hemgenix_desktop.storage import Store, User
from tests.helpers import preparations as factory
from tests.helpers.preparations import fill_everything, new_prep
from tests.helpers.store import add_user

PREP_ID = factory.complete_preparation().id  # "3f9a1c2b-…": its short ID, as History shows it, is "3f9a1c2b"
SHORT_ID = PREP_ID[:8]


@dataclass
class People:
    tech: User
    pharmacist: User
    second: User


@dataclass
class Sealed:
    """The database, its people, the sealed preparation and its original record (and amendments, once made)."""

    url: str
    store: Store
    people: People
    prep: Preparation
    original: SealedRecord
    amendments: list[SealedRecord]

    @property
    def in_force(self) -> SealedRecord:
        return self.amendments[-1] if self.amendments else self.original


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def people(store: Store) -> People:
    def user(signer: Signer, role: Role) -> User:
        return add_user(store, signer.username, signer.printed_name, role)

    return People(
        user(factory.TECHNICIAN, Role.TECHNICIAN),
        user(factory.PHARMACIST, Role.PHARMACIST),
        user(factory.SECOND_PHARMACIST, Role.PHARMACIST),
    )


def sealed_store(path: Path, weight: str = "72") -> Sealed:
    """A database file at ``path`` with the factory's preparation (72 kg, or ``weight``) prepared, verified (any
    override approved) and sealed; the site's certificate, which signs its PDFs, in the data folder ``data`` beside
    it (a reprint signs with it, and never makes one)."""
    create_site_certificate(path.parent / "data", factory.SITE)
    url = url_of(path)
    store = Store.open(url)
    who = people(store)
    signed = factory.signed(factory.complete_preparation(weight))
    prep = signed.prep
    store.start_preparation(prep, who.tech, factory.WORKSTATION)
    for signature in signed.signatures:
        store.add_signature(prep.id, signature)
    record = factory.sealed_record(prep, signed.signatures)
    store.seal_preparation(
        prep,
        who.pharmacist,
        factory.WORKSTATION,
        record_id=record.record_id,
        record_sha256=record.sha256,
        canonical=record.canonical.decode("utf-8"),
    )
    return Sealed(url, store, who, prep, record, [])


def correct(
    sealed: Sealed, typed: dict[str, str] | None = None, reason: str = factory.AMENDMENT_REASON
) -> SealedRecord:
    """Correct the record in force with the next amendment (by default the diluent lot), "Amended by" the
    pharmacist and "Verified by" the second pharmacist, sealed and kept as the correction screen and the signing
    flow keep one."""
    store, who = sealed.store, sealed.people
    number = len(sealed.amendments) + 1
    amended = factory.amendment(
        sealed.in_force,
        typed if typed is not None else factory.DILUENT_LOT_FIX,
        number=number,
        reason=reason,
        at=factory.AMENDED_AT.replace(day=factory.AMENDED_AT.day + number - 1),
    )
    draft = store.start_amendment(
        amended.prep,
        reason=reason,
        changes=[change.to_dict() for change in amended.changes],
        amends_record_id=sealed.in_force.record_id,
        amends_sha256=sealed.in_force.sha256,
        user=who.pharmacist,
        workstation=factory.WORKSTATION,
    )
    for signature in amended.signatures:
        store.add_signature(sealed.prep.id, signature, amendment=number)
    store.seal_amendment(
        draft.id,
        who.second,
        factory.WORKSTATION,
        record_id=amended.record.record_id,
        record_sha256=amended.record.sha256,
        canonical=amended.record.canonical.decode("utf-8"),
    )
    sealed.amendments.append(amended.record)
    return amended.record


def draft_preparation(store: Store, tech: User, *, prep_id: str | None = None) -> str:
    """A second preparation of another patient and kit (with ``prep_id``, that id), saved as a draft (not sealed);
    returns its id."""
    prep = fill_everything(new_prep("PSI-0099", name="Dana Draft", mrn="MRN-99"), serial="SER-0099")
    if prep_id is not None:
        prep.id = prep_id
    store.start_preparation(prep, tech, factory.WORKSTATION)
    return prep.id
