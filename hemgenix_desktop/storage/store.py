"""The Store: one pharmacy's database (or one practice session's) and its repositories.

The Store opens the database and holds one repository of each kind; every rule lives in a repository:

==========================  =========================================================================
``store.preparations``      a preparation's life: start, save, sign, seal, void (``preparations.py``)
``store.corrections``       corrections of a sealed record, amendments (``amendments.py``)
``store.signature_log``     signatures, never changed or deleted (``signatures.py``)
``store.records``           the sealed records kept, the record in force (``sealed_records.py``)
``store.index``             the History search and ids typed in part (``search.py``)
``store.audit``             the audit trail and the check of its chain (``audit_trail.py``)
``store.users``             accounts and their sign-in counters (``users.py``)
==========================  =========================================================================

The Store's own methods of the same names (``store.save_draft(...)``, ``store.search(...)``, …) call the
repository's, for the code that has always called them there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from sqlalchemy import Engine

from hemgenix_desktop.storage.amendments import Amendments
from hemgenix_desktop.storage.audit_trail import AuditTrail
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.preparations import Preparations
from hemgenix_desktop.storage.sealed_records import SealedRecords
from hemgenix_desktop.storage.search import SearchIndex
from hemgenix_desktop.storage.signatures import SignatureLog
from hemgenix_desktop.storage.users import UserRepository
from hemgenix_desktop.storage.writer import Clock, utc_now

P = ParamSpec("P")
R = TypeVar("R")
Repo = TypeVar("Repo")


class _Calls(Generic[Repo, P, R]):
    """A Store method that calls the same method of one of its repositories (typed as the repository's)."""

    def __init__(self, repository: str, method: Callable[Concatenate[Repo, P], R]) -> None:
        self.repository = repository  # the name of the Store's attribute that holds the repository
        self.method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, store: None, owner: type[Any]) -> _Calls[Repo, P, R]: ...
    @overload
    def __get__(self, store: Store, owner: type[Any]) -> Callable[P, R]: ...
    def __get__(self, store: Store | None, owner: type[Any]) -> _Calls[Repo, P, R] | Callable[P, R]:
        if store is None:
            return self
        repository = getattr(store, self.repository)

        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            return self.method(repository, *args, **kwargs)

        call.__doc__ = self.__doc__
        return call

    def __call__(self, store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Called on the class (``Store.save_draft(store, …)``), as a plain method would be."""
        method: Callable[P, R] = self.__get__(store, type(store))
        return method(*args, **kwargs)


class Store:
    """The database of one pharmacy (or of one practice session). Open it with ``Store.open(url)``."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now, practice: bool = False) -> None:
        self._attach(Database(engine, clock=clock, practice=practice))

    def _attach(self, db: Database) -> None:
        self.database = db
        self.preparations = Preparations(db)
        self.corrections = Amendments(db)
        self.signature_log = SignatureLog(db)
        self.records = SealedRecords(db)
        self.index = SearchIndex(db)
        self.audit = AuditTrail(db)
        self.users = UserRepository(db)

    @classmethod
    def _of(cls, db: Database) -> Store:
        store = cls.__new__(cls)
        store._attach(db)
        return store

    # --- opening --------------------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None, *, clock: Clock = utc_now, upgrade: bool = True) -> Store:
        """Open (and create or upgrade) the database at ``url``; None means the configured one
        (``HEMGENIX_DB_URL`` or the SQLite file in the user's data folder). ``upgrade=False``: open it as it is,
        never migrated (``Database.open``)."""
        return cls._of(Database.open(url, clock=clock, upgrade=upgrade))

    @classmethod
    def open_practice(cls, *, clock: Clock = utc_now) -> Store:
        """A fresh in-memory database for practice mode: nothing reaches the pharmacy's records."""
        return cls._of(Database.open_practice(clock=clock))

    @property
    def practice(self) -> bool:
        return self.database.practice

    @property
    def engine(self) -> Engine:
        return self.database.engine

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self.database.url

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    now = _Calls("database", Database.now)
    reading = _Calls("database", Database.reading)
    writing = _Calls("database", Database.writing)

    # --- the repositories' methods, where callers have always found them --------------------------------
    start_preparation = _Calls("preparations", Preparations.start_preparation)
    save_draft = _Calls("preparations", Preparations.save_draft)
    load = _Calls("preparations", Preparations.load)
    summary = _Calls("preparations", Preparations.summary)
    unfinished = _Calls("preparations", Preparations.unfinished)
    corrections_in_progress = _Calls("preparations", Preparations.corrections_in_progress)
    void = _Calls("preparations", Preparations.void)
    seal_preparation = _Calls("preparations", Preparations.seal_preparation)

    start_amendment = _Calls("corrections", Amendments.start_amendment)
    update_amendment = _Calls("corrections", Amendments.update_amendment)
    void_amendment = _Calls("corrections", Amendments.void_amendment)
    seal_amendment = _Calls("corrections", Amendments.seal_amendment)
    amendment = _Calls("corrections", Amendments.amendment)
    amendments = _Calls("corrections", Amendments.amendments)
    open_amendment = _Calls("corrections", Amendments.open_amendment)
    load_amendment = _Calls("corrections", Amendments.load_amendment)

    add_signature = _Calls("signature_log", SignatureLog.add_signature)
    signatures = _Calls("signature_log", SignatureLog.signatures)

    search = _Calls("index", SearchIndex.search)
    resolve_id = _Calls("index", SearchIndex.resolve_id)

    record_event = _Calls("audit", AuditTrail.record_event)
    audit_trail = _Calls("audit", AuditTrail.audit_trail)
    verify_audit_chain = _Calls("audit", AuditTrail.verify_audit_chain)


__all__ = ["Store"]
