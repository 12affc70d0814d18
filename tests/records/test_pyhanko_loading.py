"""pyHanko without its aiohttp HTTP stack (records/pyhanko_loading.py, issue 13 memory): a record is signed and
verified with no HTTP library loaded when the site names no timestamp authority, and with only the requests client
when it names one; pyHanko's own aiohttp classes still load, whole, when something asks for them; and the stand-ins
export what pyHanko's packages export."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from hemgenix_desktop.records import pyhanko_loading
from hemgenix_desktop.setting_table import ENV_TIMESTAMP_URL

ROOT = Path(__file__).resolve().parents[2]
HTTP_STACK = ("aiohttp", "yarl", "multidict", "aiohappyeyeballs", "requests", "urllib3")


def _run(code: str) -> dict[str, object]:
    """``code`` in a fresh interpreter (what it imports is the point); it prints one JSON object last."""
    env = {**{k: v for k, v in os.environ.items() if k != ENV_TIMESTAMP_URL}, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def _exported(path: Path) -> dict[str, str]:
    """The names a package's ``__init__.py`` imports from its own modules (``from .module import Name``)."""
    names: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
    return names


def _package_init(name: str) -> Path:
    parent, _, child = name.rpartition(".")
    spec = find_spec(parent)
    assert spec is not None
    assert spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / child / "__init__.py"


def test_the_stand_ins_export_what_pyhankos_packages_export() -> None:
    """An upgrade of pyHanko that changes either package fails here, before a stand-in hides a change."""
    timestamps = _exported(_package_init(pyhanko_loading.TIMESTAMPS))
    assert timestamps == pyhanko_loading.TIMESTAMP_NAMES
    fetchers = _package_init(pyhanko_loading.FETCHERS).read_text(encoding="utf-8")
    assert "__all__ = ['AIOHttpFetcherBackend']" in fetchers
    assert pyhanko_loading.FETCHER_NAMES == ("AIOHttpFetcherBackend",)


@pytest.mark.slow
def test_no_http_stack_is_loaded_when_no_timestamp_authority_is_named() -> None:
    """A whole record as sealing makes it (pages, label, attachment, PAdES signature) and its verification."""
    code = f"""
import json, sys, tempfile
from pathlib import Path
from hemgenix_desktop.records.label_pdf import build_label_pdf
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.site_keys import create_site_certificate
from tests.helpers.preparations import sealed_record

site = create_site_certificate(Path(tempfile.mkdtemp()), "St. Example Infusion Pharmacy")
record = sealed_record()
pdf = build_record_pdf(record, site)
build_label_pdf(record)
verified = verify_record_pdf(pdf, [site.certificate, *site.chain])
print(json.dumps({{"same": verified.sha256 == record.sha256, "loaded": sorted(
    name for name in {HTTP_STACK!r} if name in sys.modules)}}))
"""
    assert _run(code) == {"same": True, "loaded": []}


@pytest.mark.slow
def test_with_a_timestamp_authority_only_the_requests_client_loads() -> None:
    """The site's authority is asked through pyHanko's requests client (records/pades.py): aiohttp stays unloaded."""
    code = """
import json, os, sys, tempfile
from pathlib import Path
from hemgenix_desktop.records.pades import check_timestamp_authority
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.security.site_keys import create_site_certificate
from hemgenix_desktop.setting_table import ENV_TIMESTAMP_URL
from tests.helpers.preparations import sealed_record
from tests.helpers.tsa import local_tsa

with local_tsa() as tsa:
    os.environ[ENV_TIMESTAMP_URL] = tsa.url
    check_timestamp_authority(tsa.url)
    site = create_site_certificate(Path(tempfile.mkdtemp()), "St. Example Infusion Pharmacy")
    build_record_pdf(sealed_record(), site)
    print(json.dumps({"asked": len(tsa.answered), "requests": "requests" in sys.modules,
                      "aiohttp": "aiohttp" in sys.modules}))
"""
    assert _run(code) == {"asked": 2, "requests": True, "aiohttp": False}


@pytest.mark.slow
def test_pyhankos_own_http_classes_still_load_when_asked_for() -> None:
    code = """
import json, sys
from hemgenix_desktop.records.pyhanko_loading import load_pyhanko
load_pyhanko()
import pyhanko.sign.timestamps as timestamps
from pyhanko.sign.validation import ades
before = "aiohttp" in sys.modules
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper as Real
backend = ades.AIOHttpFetcherBackend()
from pyhanko_certvalidator.fetchers import aiohttp_fetchers
print(json.dumps({
    "before": before,
    "same_client": HTTPTimeStamper is Real and timestamps.HTTPTimeStamper is Real,
    "names": timestamps.__all__,
    "backend": type(backend) is aiohttp_fetchers.AIOHttpFetcherBackend,
    "real_package": not getattr(aiohttp_fetchers, "_stand_in", False),
    "after": "aiohttp" in sys.modules,
}))
"""
    assert _run(code) == {
        "before": False,
        "same_client": True,
        "names": sorted(pyhanko_loading.TIMESTAMP_NAMES),
        "backend": True,
        "real_package": True,
        "after": True,
    }


@pytest.mark.slow
def test_loading_pyhanko_twice_or_after_pyhanko_changes_nothing() -> None:
    code = """
import json, sys
import pyhanko.sign
before = sys.modules["pyhanko.sign.timestamps"]
from hemgenix_desktop.records.pyhanko_loading import load_pyhanko
load_pyhanko(); load_pyhanko()
print(json.dumps({"kept": sys.modules["pyhanko.sign.timestamps"] is before}))
"""
    assert _run(code) == {"kept": True}
