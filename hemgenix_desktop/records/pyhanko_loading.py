"""pyHanko without its aiohttp HTTP stack until something uses it (issue 13, memory on the real path).

Two of pyHanko's modules import aiohttp eagerly though this program never fetches with it:

- ``pyhanko.sign`` imports its ``timestamps`` package for one name (``TimeStamper``, the interface every signer
  takes), and that package's ``__init__`` imports all four of its names, among them ``HTTPTimeStamper``, pyHanko's
  aiohttp timestamp client. This program asks a timestamp authority only when the site names one (the setting
  ``timestamp_url``), and then with the requests client (:func:`hemgenix_desktop.records.pades.timestamper`).
- ``pyhanko.sign.validation.ades`` (imported by the signer) names ``AIOHttpFetcherBackend`` of pyhanko-certvalidator,
  which it makes only for an AdES validation that fetches certificates and revocation data online; this program
  signs and verifies offline.

So every signature loaded aiohttp, yarl, multidict, aiohappyeyeballs and their HTTP parser (about 20 MiB resident,
70 modules, measured by benchmarks/memory.py). :func:`load_pyhanko` puts both packages in place before pyHanko
imports them, each made from its own files (its spec, ``__file__`` and ``__path__``, so its submodules import as
ever) but not run: the timestamps package gives each of its four names from its own module when the name is first
used (a module ``__getattr__``), and the fetchers package gives a stand-in for ``AIOHttpFetcherBackend`` that, once
called, imports pyhanko-certvalidator's own package and makes its backend. aiohttp then loads exactly when a
timestamp client or a fetcher of pyHanko's own is asked for. Nothing else of pyHanko changes: signing, timestamps
and verification are pyHanko's own code.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

TIMESTAMPS = "pyhanko.sign.timestamps"
# What pyhanko/sign/timestamps/__init__.py exports, and the module of the package each name comes from
# (tests/records/test_pyhanko_loading.py reads that file: an upgrade that changes it fails there).
TIMESTAMP_NAMES = {
    "DummyTimeStamper": "dummy_client",
    "HTTPTimeStamper": "aiohttp_client",
    "TimeStamper": "api",
    "TimestampRequestError": "common_utils",
}
FETCHERS = "pyhanko_certvalidator.fetchers.aiohttp_fetchers"
FETCHER_NAMES = ("AIOHttpFetcherBackend",)  # its __all__

_lock = threading.RLock()  # the signature and a verification may both start on Qt's thread pool


def _unrun(name: str, search: Sequence[str]) -> ModuleType | None:
    """Package ``name`` made from its files in ``search`` (its parent's ``__path__``) but not run, found as the import
    system finds it (the files on disk, or a frozen build's archive); None when it is not there."""
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        spec = find_spec(name, list(search)) if find_spec is not None else None
        if spec is not None:
            if spec.submodule_search_locations is None:
                return None
            return importlib.util.module_from_spec(spec)
    return None


def _lazy_timestamps() -> ModuleType | None:
    import pyhanko  # the namespace package alone: no pyhanko.sign yet

    package = _unrun(TIMESTAMPS, [str(Path(folder) / "sign") for folder in pyhanko.__path__])
    if package is None:
        return None

    def __getattr__(name: str) -> object:  # noqa: N807 - the module attribute hook of PEP 562
        if name not in TIMESTAMP_NAMES:
            raise AttributeError(f"module {TIMESTAMPS!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{TIMESTAMPS}.{TIMESTAMP_NAMES[name]}"), name)
        setattr(package, name, value)
        return value

    vars(package).update(__getattr__=__getattr__, __all__=sorted(TIMESTAMP_NAMES))
    return package


def _real_fetchers() -> ModuleType:
    """pyhanko-certvalidator's own aiohttp fetchers package, run now in place of the stand-in (aiohttp loads)."""
    with _lock:
        module = sys.modules.get(FETCHERS)
        if module is None or getattr(module, "_stand_in", False):
            sys.modules.pop(FETCHERS, None)
            module = importlib.import_module(FETCHERS)
    return module


def _lazy_fetchers() -> ModuleType | None:
    from pyhanko_certvalidator import fetchers  # its __init__ loads only the interfaces (fetchers/api.py)
    from pyhanko_certvalidator.fetchers.api import FetcherBackend

    package = _unrun(FETCHERS, list(fetchers.__path__))
    if package is None:
        return None

    class AIOHttpFetcherBackend(FetcherBackend):
        """Stands for pyhanko-certvalidator's aiohttp fetcher backend: making one makes the real one."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            return _real_fetchers().AIOHttpFetcherBackend(*args, **kwargs)

    vars(package).update(AIOHttpFetcherBackend=AIOHttpFetcherBackend, __all__=list(FETCHER_NAMES), _stand_in=True)
    return package


def _put(name: str, package: ModuleType | None) -> None:
    if package is None:  # pragma: no cover - pyHanko laid out otherwise: its own import, aiohttp and all
        return
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:  # what the import system sets on a parent package for a child it loaded
        setattr(sys.modules[parent], child, package)


def load_pyhanko() -> None:
    """Import ``pyhanko.sign`` with both packages in place (once; when pyHanko is loaded already, nothing
    changes)."""
    with _lock:
        if TIMESTAMPS in sys.modules:
            return
        if FETCHERS not in sys.modules:
            _put(FETCHERS, _lazy_fetchers())
        _put(TIMESTAMPS, _lazy_timestamps())
        try:
            sign = importlib.import_module("pyhanko.sign")
        except BaseException:
            sys.modules.pop(TIMESTAMPS, None)
            raise
        if TIMESTAMPS in sys.modules:
            setattr(sign, "timestamps", sys.modules[TIMESTAMPS])  # noqa: B010 - as the import system would


__all__ = ["FETCHERS", "FETCHER_NAMES", "TIMESTAMPS", "TIMESTAMP_NAMES", "load_pyhanko"]
