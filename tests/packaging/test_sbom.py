"""packaging/sbom.py, the CycloneDX bill of materials packaging/build.sh writes beside the workstation build: made
here from the test run's own environment (the same lock as the build's), it names the program and every runtime
package of the lock at the lock's version, and none of the build or test tools."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from hemgenix_desktop import __version__
from hemgenix_desktop.third_party import runtime_distributions

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"


def locked_versions() -> dict[str, str]:
    """Every package of the lock and its version (a package the lock pins twice, per platform, keeps both)."""
    found: dict[str, str] = {}
    for match in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", LOCK.read_text(encoding="utf-8"), re.MULTILINE):
        found.setdefault(canonicalize_name(match[1]), match[2])
    return found


@pytest.mark.slow  # cyclonedx-py reads the whole environment: several seconds
def test_the_sbom_lists_the_lock_s_runtime_packages_with_their_versions(tmp_path: Path) -> None:
    output = tmp_path / "hemgenix-prep.cdx.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "sbom.py"), str(output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    bom = json.loads(output.read_text(encoding="utf-8"))
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")
    root = bom["metadata"]["component"]
    assert (root["name"], root["version"], root["type"]) == ("hemgenix-desktop", __version__, "application")
    listed = {canonicalize_name(c["name"]): c for c in bom["components"]}
    locked = locked_versions()
    runtime = {canonicalize_name(d.metadata["Name"]) for d in runtime_distributions()}
    assert runtime  # the program's runtime closure, read from its installed metadata
    for name in sorted(runtime | {"pyinstaller"}):
        assert name in listed, f"{name} is shipped but not in the SBOM"
        assert listed[name]["version"] == locked[name], name  # the version the lock pins, as installed
        assert listed[name]["purl"] == f"pkg:pypi/{name}@{locked[name]}"
    for tool in ("pytest", "mypy", "ruff", "cyclonedx-bom", "uv"):
        assert tool not in listed  # build and test tools are not shipped
    refs = {c["bom-ref"] for c in bom["components"]} | {root["bom-ref"]}
    assert all(r in refs for d in bom["dependencies"] for r in [d["ref"], *d["dependsOn"]])
    assert f"Wrote {output}: CycloneDX 1.6, hemgenix-desktop {__version__}" in result.stdout
