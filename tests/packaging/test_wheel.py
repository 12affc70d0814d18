"""The wheel: built from the checkout, installed into a fresh virtual environment outside it, and run there.

Two installs are tried, each in a new environment under the test's temporary folder (never the checkout):

* **with its declared dependencies** (``uv pip install WHEEL -c requirements/lock.txt``: the wheel's own list of
  dependencies, each at the version of the project's lock and checked against its hash; from uv's cache when
  it has them): proves the wheel's own list of dependencies is enough to run, on the versions that were tested;
* **on the project's packages** (``pip install --no-deps WHEEL`` plus a ``.pth`` line that adds the project
  venv's site-packages, but never the checkout): quick, works offline.

In both, the program must be the installed copy (``hemgenix_desktop.__file__`` and the resources inside the
new environment), and ``--version``, ``dose 72 --json``, ``settings show --json`` and ``smoke-test --out DIR``
must work from a folder outside the checkout.
"""

from __future__ import annotations

import csv
import email
import importlib.util
import io
import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import PySide6
import PySide6.QtCore
import pytest
from packaging.requirements import Requirement

from hemgenix_desktop import __version__
from hemgenix_desktop.storage.values import HEAD_REVISION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ("kits.csv", "checklist.toml", "product.toml", "eligibility.toml")
ICONS = ("hemgenix-prep.svg", *(f"hemgenix-prep-{size}.png" for size in (16, 32, 48, 64, 128, 256)))
DOSE_72 = {
    "weight_entered": "72",
    "weight_kg": 72,
    "dose_ml": 144,
    "dose_gc": 1440000000000000,
    "vials": 15,
    "supplied_ml": 150,
    "surplus_ml": 6,
    "withdrawal": {"full_vials": 14, "last_vial_ml": 4},
    "kit": {
        "vials": 15,
        "ndc": "0053-0150-15",
        "ndc11": "00053-0150-15",
        "gtin": "00300530150153",
        "weight_band_kg": [71, 75],
        "total_ml": 150,
    },
    "warnings": [],
    "notices": [],
}


def run(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:  # the test extra has it: no download needed
        command.append("--no-build-isolation")
    result = run([*command, str(ROOT)], cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(out.glob("hemgenix_desktop-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_wheel_carries_the_resources_and_the_migrations(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in RESOURCES:
            assert f"hemgenix_desktop/resources/{name}" in names, name
        for name in ICONS:
            assert f"hemgenix_desktop/resources/icons/{name}" in names, name
        assert "hemgenix_desktop/resources/fonts/DejaVuSans.ttf" in names
        assert "hemgenix_desktop/resources/translations/hemgenix.ts" in names  # the template (issue 7)
        assert "hemgenix_desktop/storage/migrations/env.py" in names
        assert "hemgenix_desktop/storage/migrations/script.py.mako" in names
        migrations = sorted(n for n in names if n.startswith("hemgenix_desktop/storage/migrations/versions/"))
        in_checkout = sorted(
            f"hemgenix_desktop/storage/migrations/versions/{p.name}"
            for p in (ROOT / "hemgenix_desktop" / "storage" / "migrations" / "versions").glob("*.py")
        )
        assert migrations == in_checkout
        assert "hemgenix_desktop/settings.py" in names
        assert "hemgenix_desktop/py.typed" in names
        # the resources in the wheel are the checkout's, byte for byte
        for path in (ROOT / "resources").rglob("*"):
            if path.is_file():
                name = f"hemgenix_desktop/resources/{path.relative_to(ROOT / 'resources').as_posix()}"
                assert archive.read(name) == path.read_bytes(), name
        assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "packaging/", ".venv/"))]
        metadata = email.message_from_bytes(archive.read(f"hemgenix_desktop-{__version__}.dist-info/METADATA"))
        entry_points = archive.read(f"hemgenix_desktop-{__version__}.dist-info/entry_points.txt").decode()
        record = list(
            csv.reader(io.StringIO(archive.read(f"hemgenix_desktop-{__version__}.dist-info/RECORD").decode()))
        )
    assert metadata["Name"] == "hemgenix-desktop"
    assert metadata["Version"] == __version__  # single-sourced from hemgenix_desktop/__init__.py
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = {str(Requirement(r)) for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r}
    assert required == {str(Requirement(r)) for r in project["dependencies"]}
    assert "hemgenix-prep = hemgenix_desktop.cli:main" in entry_points
    assert len(record) == len(names)


def test_the_wheel_carries_its_licence_and_the_third_party_notices(wheel: Path) -> None:
    from hemgenix_desktop import third_party

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = email.message_from_bytes(archive.read(f"hemgenix_desktop-{__version__}.dist-info/METADATA"))
        notices = archive.read(f"hemgenix_desktop/{third_party.NOTICES_FILE}").decode("utf-8")
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE", "NOTICE"]
    for name in ("LICENSE", "NOTICE"):
        assert f"hemgenix_desktop-{__version__}.dist-info/licenses/{name}" in names
    runtime = {third_party.canonicalize_name(d.metadata["Name"]) for d in third_party.runtime_distributions()}
    assert runtime <= third_party.covered(notices)


@dataclass(frozen=True)
class Installed:
    venv: Path
    work: Path  # a folder outside the checkout, the current folder of every command
    env: dict[str, str]

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def program(self) -> Path:
        return self.venv / "bin" / "hemgenix-prep"

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return run([str(self.program), *args], cwd=self.work, env=self.env, timeout=timeout)


def clean_env(work: Path) -> dict[str, str]:
    """No PYTHONPATH, no HEMGENIX_* settings, and every user folder inside ``work``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HEMGENIX_", "XDG_", "PYTHON", "VIRTUAL_ENV")) and key not in ("HOME", "PIP_TARGET")
    }
    for name in ("home", "config", "data", "cache"):
        (work / name).mkdir(exist_ok=True)
    env.update(
        HOME=str(work / "home"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_DATA_HOME=str(work / "data"),
        XDG_CACHE_HOME=str(work / "cache"),
        QT_QPA_PLATFORM="offscreen",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def make_venv(base: Path) -> tuple[Path, Path, dict[str, str]]:
    assert not base.resolve().is_relative_to(ROOT), "the new environment must be outside the checkout"
    venv, work = base / "venv", base / "work"
    work.mkdir()
    env = clean_env(work)
    result = run([sys.executable, "-m", "venv", str(venv)], cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    cfg = (venv / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in cfg
    return venv, work, env


@pytest.fixture(scope="module")
def with_dependencies(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    venv, work, env = make_venv(tmp_path_factory.mktemp("installed-with-dependencies"))
    # uv's cache stays the user's, so packages downloaded once are not downloaded again
    uv_env = {**env, "HOME": os.environ.get("HOME", env["HOME"])}
    if "XDG_CACHE_HOME" in os.environ:
        uv_env["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]
    uv = Path(sys.executable).parent / "uv"  # the project's, from its lock (the dev extra)
    lock = ROOT / "requirements" / "lock.txt"
    install = [str(uv), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)]
    result = run([*install, "--constraint", str(lock)], cwd=work, env=uv_env)
    assert result.returncode == 0, result.stdout + result.stderr
    return Installed(venv, work, env)


@pytest.fixture(scope="module")
def on_project_packages(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    venv, work, env = make_venv(tmp_path_factory.mktemp("installed-on-project-packages"))
    python = venv / "bin" / "python"
    result = run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], cwd=work, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work, env=env)
    project_site = Path(sysconfig.get_paths()["purelib"])
    assert not project_site.is_relative_to(ROOT / "hemgenix_desktop")
    # A plain path line: the project's site-packages joins sys.path, but its own .pth files (the editable
    # install's pointer to the checkout among them) are not processed.
    Path(site.stdout.strip(), "_project_site_packages.pth").write_text(f"{project_site}\n")
    return Installed(venv, work, env)


INSTALLS = ["with_dependencies", "on_project_packages"]


@pytest.fixture(params=INSTALLS)
def installed(request: pytest.FixtureRequest) -> Installed:
    value: Installed = request.getfixturevalue(request.param)
    return value


def test_the_installed_copy_is_the_one_that_runs(installed: Installed) -> None:
    probe = (
        "import json, sys, hemgenix_desktop, hemgenix_desktop.resource_locator as r; "
        "print(json.dumps({'file': hemgenix_desktop.__file__, 'resources': str(r.resources_dir()), 'path': sys.path}))"
    )
    result = run([str(installed.python), "-c", probe], cwd=installed.work, env=installed.env)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    venv = installed.venv.resolve()
    assert Path(found["file"]).resolve().is_relative_to(venv)
    assert Path(found["resources"]).resolve() == Path(found["file"]).resolve().parent / "resources"
    for entry in found["path"]:
        assert not (entry and Path(entry).resolve() == ROOT), f"the checkout is on sys.path: {entry}"
        assert not (entry and Path(entry).resolve().is_relative_to(ROOT / "hemgenix_desktop"))


def test_version_from_the_installed_wheel(installed: Installed) -> None:
    result = installed.run("--version")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0] == f"hemgenix-prep {__version__}"
    assert result.stdout.splitlines()[1:] == [
        "Licence: Apache-2.0 (open source; the source: https://hemgenixprep.org/)",
        f"Qt {PySide6.QtCore.qVersion()}, PySide6 {PySide6.__version__}",
        f"Database schema: {HEAD_REVISION}",
    ]


def test_dose_from_the_installed_wheel(installed: Installed) -> None:
    result = installed.run("dose", "72", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == DOSE_72


def test_settings_from_the_installed_wheel(installed: Installed) -> None:
    result = installed.run("settings", "show", "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["file"] == str(installed.work / "config" / "hemgenix-prep" / "settings.toml")
    assert shown["warnings"] == []


def has_smoke_test(installed: Installed) -> bool:
    result = installed.run("--help")
    assert result.returncode == 0, result.stderr
    return "smoke-test" in result.stdout


def test_smoke_test_from_the_installed_wheel(installed: Installed) -> None:
    if not has_smoke_test(installed):
        pytest.skip("hemgenix-prep has no smoke-test command yet")
    out = installed.work / f"smoke-{installed.venv.parent.name}"
    result = installed.run("smoke-test", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == (
        f"Smoke test passed: {out / 'record.pdf'} and {out / 'label.pdf'} were written and verified."
    )
    for name in ("record.pdf", "label.pdf"):
        assert (out / name).read_bytes().startswith(b"%PDF-"), name
    # verify, as a user runs it: the record checks out and nothing, no library's warning either, reaches stderr
    verified = installed.run("verify", str(out / "record.pdf"), "--certificate", str(out / "site-certificate.pem"))
    assert (verified.returncode, verified.stderr) == (0, "")
    assert verified.stdout.startswith("VERIFIED: record HGX-")
