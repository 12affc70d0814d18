"""The lock, requirements/lock.txt: every dependency pinned with hashes, in agreement with pyproject.toml.

scripts/venv.sh installs exactly this file with the hashes checked (``./scripts/run-app``, ``./scripts/run-tests``,
``.ci/run`` and ``packaging/build.sh`` all go through it); scripts/update-lock makes it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# The lock under test: the project's, or the throwaway one scripts/update-lock and scripts/check-latest install
# (they name it in HEMGENIX_LOCK, as scripts/venv.sh reads it).
LOCK = ROOT / os.environ.get("HEMGENIX_LOCK", "requirements/lock.txt")
PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?: ;.*)? \\$")


def locked(lock: Path = LOCK) -> dict[str, list[tuple[Version, list[str]]]]:
    """Each locked package: its version(s) and the hashes given for each."""
    found: dict[str, list[tuple[Version, list[str]]]] = {}
    hashes: list[str] | None = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PINNED.match(line)
        if match:
            hashes = []
            found.setdefault(canonicalize_name(match.group(1)), []).append((Version(match.group(2)), hashes))
        elif line.startswith("    --hash=") and hashes is not None:
            hashes.append(line.split("=", 1)[1].rstrip(" \\"))
        elif not line.startswith("    --hash="):
            hashes = None
    return found


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += [Requirement(r) for r in extra if not r.startswith("hemgenix-desktop")]
    return requirements


def test_every_locked_file_has_a_sha256_hash() -> None:
    packages = locked()
    assert len(packages) > 30
    for name, versions in packages.items():
        for version, hashes in versions:
            assert hashes, f"{name} {version} has no hash in {LOCK.name}"
            assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_every_dependency_of_pyproject_is_locked_within_its_range() -> None:
    packages = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in packages, (
            f"{requirement} is in pyproject.toml but not in the lock: run scripts/update-lock --keep"
        )
        for version, _ in packages[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"the lock has {name} {version}, outside pyproject.toml's {requirement}: run scripts/update-lock --keep"
            )
        for extra in requirement.extras:  # psycopg[binary]: the extra's package is locked too
            assert canonicalize_name(f"{name}-{extra}") in packages, f"{requirement}: {name}-{extra} is not locked"


def test_the_installer_uv_is_locked_too() -> None:
    """scripts/venv.sh installs uv first from the lock's own lines (hash-checked), then everything with it."""
    assert "uv" in locked()
    assert "editables" in locked()  # the editable install of the checkout without build isolation


def test_this_environment_is_the_lock() -> None:
    """The environment the tests run in was installed from the lock: each locked package at its version
    (scripts/check-latest installs a throwaway lock of the newest versions and names it in HEMGENIX_LOCK)."""
    for name in ("cryptography", "pyhanko", "pyside6", "sqlalchemy", "pytest", "uv"):
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:  # pragma: no cover - the message says what to do
            pytest.fail(f"{name} is not installed: run scripts/venv.sh")
        assert installed in [v for v, _ in locked()[name]], f"{name} {installed} is not the version of {LOCK}"


def lock_diff(old: str, new: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lock_diff.py"), str(tmp_path / "old.txt"), str(tmp_path / "new.txt")],
        capture_output=True,
        text=True,
        check=False,
    )


def test_lock_diff_says_what_moved(tmp_path: Path) -> None:
    old = "a==1.0 \\\n    --hash=sha256:00\nb_c==2.0 \\\nd==4 ; sys_platform == 'win32' \\\n"
    new = "a==1.1 \\\n    --hash=sha256:01\nB-C==2.0 \\\ne==5 \\\n"
    result = lock_diff(old, new, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["  moved    a 1.0 → 1.1", "  removed  d 4", "  new      e 5"]


def test_lock_diff_says_when_nothing_moved(tmp_path: Path) -> None:
    result = lock_diff("a==1.0 \\\n", "a==1.0 \\\n    --hash=sha256:02\n", tmp_path)
    assert (result.returncode, result.stdout) == (1, "Nothing moved: the newest versions are the locked ones.\n")


def test_lock_diff_refuses_a_missing_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lock_diff.py"), str(tmp_path / "nope.txt"), str(LOCK)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (2, f"{tmp_path / 'nope.txt'} does not exist; give two lock files.\n")


@pytest.mark.parametrize("script", ["update-lock", "check-latest", "run-tests", "run-app", "venv.sh", "lock.sh"])
def test_the_scripts_parse(script: str) -> None:
    result = subprocess.run(["bash", "-n", str(ROOT / "scripts" / script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_update_lock_refuses_an_unknown_option_before_doing_anything() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "update-lock"), "--newest"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "Unknown option --newest. Use: scripts/update-lock [-P PACKAGE]… [--keep]\n",
    )
