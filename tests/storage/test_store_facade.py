"""The Store is a thin façade: it opens the database and holds the repositories; each of its methods of old calls
the repository method of the same name."""

from __future__ import annotations

import inspect

from hemgenix_desktop.storage import Store
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.store import _Calls

REPOSITORIES = {"database", "preparations", "corrections", "signature_log", "records", "index", "audit", "users"}
CALLS = {
    "now",
    "reading",
    "writing",
    "start_preparation",
    "save_draft",
    "load",
    "summary",
    "unfinished",
    "corrections_in_progress",
    "void",
    "seal_preparation",
    "start_amendment",
    "update_amendment",
    "void_amendment",
    "seal_amendment",
    "amendment",
    "amendments",
    "open_amendment",
    "load_amendment",
    "add_signature",
    "signatures",
    "search",
    "resolve_id",
    "record_event",
    "audit_trail",
    "verify_audit_chain",
}


def test_the_store_holds_one_repository_of_each_kind_and_its_old_methods_call_them(store: Store) -> None:
    assert {name for name in vars(store) if not name.startswith("_")} == REPOSITORIES
    assert isinstance(store.database, Database)
    calls = {name: value for name, value in vars(Store).items() if isinstance(value, _Calls)}
    assert set(calls) == CALLS
    for name, call in calls.items():
        repository = getattr(store, call.repository)
        assert call.method is getattr(type(repository), name), name  # the repository's method of the same name
        assert inspect.getdoc(getattr(store, name)) == inspect.getdoc(call.method), name


def test_the_store_s_own_surface(store: Store) -> None:
    own = {name for name in vars(Store) if not name.startswith("_")} - CALLS
    assert own == {"open", "open_practice", "practice", "engine", "url", "close"}
    assert (store.practice, store.url, store.engine) == (False, store.database.url, store.database.engine)
    with Store.open_practice() as practice:
        assert practice.practice
        assert practice.url == "sqlite://"
