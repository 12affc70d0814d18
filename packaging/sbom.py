"""Writes the CycloneDX software bill of materials of the workstation build, from the build's own environment.

    python packaging/sbom.py OUTPUT.cdx.json [BUILT-FOLDER]     (packaging/build.sh: with .venv/bin/python and
                                                                 dist/hemgenix-prep)

``cyclonedx-py environment`` (the ``cyclonedx-bom`` package, in the ``packaging`` extra and so in the lock) reads
every distribution installed in the Python that runs this script, with its version, licence and package URL, and
the program itself as the root component (from ``pyproject.toml``, its version from ``hemgenix_desktop``). The environment also
holds the build and test tools; the bill lists what the build ships: the program's runtime dependencies followed
down from its installed metadata (``hemgenix_desktop.third_party.runtime_distributions``, the list the notices
and the licence gate use), PyInstaller, whose bootloader is the executable, and, given the built folder, every
distribution whose code the folder carries (``packaging/check_notices.py`` reads them from the folder itself). The dependency graph keeps only
those. The output is reproducible (no timestamp or serial number; ``SOURCE_DATE_EPOCH`` gives a timestamp).
Exit 0 when written, 1 with a sentence when ``cyclonedx-py`` fails or a runtime dependency is not in its list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from check_notices import bundled_distributions  # noqa: E402

from hemgenix_desktop import __version__  # noqa: E402
from hemgenix_desktop.third_party import runtime_distributions  # noqa: E402

BUNDLED_TOOLS = {"pyinstaller"}  # its bootloader is the built program's executable (licensing/policy.toml, [bundle])


def environment_bom() -> dict[str, Any]:
    """What ``cyclonedx-py environment`` says of this Python's environment, as JSON."""
    result = subprocess.run(
        [
            sys.executable, "-m", "cyclonedx_py", "environment", "--pyproject", str(ROOT / "pyproject.toml"),
            "--output-reproducible", "--of", "JSON", "--output-file", "-", sys.executable,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"cyclonedx-py failed ({result.returncode}): {result.stderr.strip()}")
    bom: dict[str, Any] = json.loads(result.stdout)
    return bom


def shipped_names(folder: Path | None = None) -> set[str]:
    names = {canonicalize_name(dist.metadata["Name"]) for dist in runtime_distributions()} | BUNDLED_TOOLS
    if folder is not None:
        names |= bundled_distributions(folder)
    return names


def shipped_bom(bom: dict[str, Any], shipped: set[str]) -> dict[str, Any]:
    """``bom`` with only the components the build ships (and the root), and the dependencies among them."""
    components = [c for c in bom.get("components", []) if canonicalize_name(c["name"]) in shipped]
    missing = shipped - {canonicalize_name(c["name"]) for c in components}
    if missing:
        raise SystemExit(
            f"cyclonedx-py did not list {', '.join(sorted(missing))}, which the build ships; is this the build's "
            "environment (scripts/venv.sh)?"
        )
    root_ref = bom["metadata"]["component"]["bom-ref"]
    kept_refs = {c["bom-ref"] for c in components} | {root_ref}
    dependencies = [
        {"ref": d["ref"], "dependsOn": [r for r in d.get("dependsOn", []) if r in kept_refs]}
        for d in bom.get("dependencies", [])
        if d["ref"] in kept_refs
    ]
    root = {**bom["metadata"]["component"], "version": __version__, "purl": f"pkg:pypi/hemgenix-desktop@{__version__}"}
    metadata = {**bom["metadata"], "component": root}  # the version is dynamic in pyproject.toml: the package's own
    return {**bom, "metadata": metadata, "components": components, "dependencies": dependencies}


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or (len(argv) == 2 and not Path(argv[1]).is_dir()):
        sys.stderr.write("Use: python packaging/sbom.py OUTPUT.cdx.json [BUILT-FOLDER]\n")
        return 2
    output = Path(argv[0])
    bom = shipped_bom(environment_bom(), shipped_names(Path(argv[1]) if len(argv) == 2 else None))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(bom, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    root = bom["metadata"]["component"]
    print(f"Wrote {output}: CycloneDX {bom['specVersion']}, {root['name']} {root['version']} and the "
          f"{len(bom['components'])} components the build ships.")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
