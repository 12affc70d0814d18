"""The licence gate (scripts/licence_gate.py) refuses what an Apache-2.0 program cannot ship.

Each case is a recorded pip-licenses listing run through the gate as CI runs it; the gate over the packages
installed from the lock runs in ./scripts/run-tests itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GATE = ROOT / "scripts" / "licence_gate.py"
SHIPPED = [  # as pip-licenses --from=mixed lists some of what the program ships today
    ("PySide6", "6.11.3", "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"),
    ("psycopg", "3.3.9", "LGPL-3.0-only"),
    ("cryptography", "51.0.1", "Apache-2.0 OR BSD-3-Clause"),
    ("aiohttp", "3.14.5", "Apache-2.0 AND MIT"),
    ("certifi", "2026.10.19.post1", "Mozilla Public License 2.0 (MPL 2.0)"),
    ("reportlab", "5.1.0", "BSD License"),
    ("aiohappyeyeballs", "2.7.1", "Python Software Foundation License"),
    ("pyinstaller", "6.22.3", "GNU General Public License v2 (GPLv2)"),
]


def gate(tmp_path: Path, rows: list[tuple[str, str, str]]) -> subprocess.CompletedProcess[str]:
    listing = tmp_path / "listing.json"
    listing.write_text(json.dumps([{"Name": n, "Version": v, "License": lic} for n, v, lic in rows]), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(GATE), "--listing", str(listing)], capture_output=True, text=True, check=False
    )


def test_what_the_program_ships_passes(tmp_path: Path) -> None:
    result = gate(tmp_path, SHIPPED)
    assert (result.returncode, result.stderr) == (0, "")
    assert "ok    PySide6 6.11.3: LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only (used under LGPL-3.0-only, linked " in (
        result.stdout
    )
    assert "pyinstaller 6.22.3: GNU General Public License v2 (GPLv2) (an exception of the policy: Not a runtime" in (
        result.stdout
    )
    assert result.stdout.splitlines()[-1] == (
        "licences: ok   all 8 packages the program ships may be shipped under Apache-2.0"
    )


@pytest.mark.parametrize(
    ("row", "sentence"),
    [
        (
            ("gplonly", "1.0", "GPL-3.0-only"),
            "FAIL  gplonly 1.0 is licensed GPL-3.0-only, which an Apache-2.0 program cannot ship: remove it, or add "
            "an exception with its reason to licensing/policy.toml.",
        ),
        (
            ("classifier-gpl", "2.0", "GNU General Public License v3 (GPLv3)"),
            "FAIL  classifier-gpl 2.0 is licensed GNU General Public License v3 (GPLv3), which an Apache-2.0 program "
            "cannot ship: remove it, or add an exception with its reason to licensing/policy.toml.",
        ),
        (
            ("agpl-server", "0.1", "AGPL-3.0-or-later"),
            "FAIL  agpl-server 0.1 is licensed AGPL-3.0-or-later, which an Apache-2.0 program cannot ship: remove it, "
            "or add an exception with its reason to licensing/policy.toml.",
        ),
        (
            ("mystery", "3.1", "Mystery Public License"),
            "FAIL  mystery 3.1 declares “Mystery Public License”, which is not a licence the gate can read: read its "
            "licence by hand, then name it in [aliases] of licensing/policy.toml, or add an exception with the reason.",
        ),
        (
            ("silent", "1.0", "UNKNOWN"),
            "FAIL  silent 1.0 declares “UNKNOWN”, which is not a licence the gate can read: read its licence by hand, "
            "then name it in [aliases] of licensing/policy.toml, or add an exception with the reason.",
        ),
        (
            ("empty", "1.0", ""),
            "FAIL  empty 1.0 declares no licence at all, which is not a licence the gate can read: read its licence "
            "by hand, then name it in [aliases] of licensing/policy.toml, or add an exception with the reason.",
        ),
        (
            ("statically-linked", "1.0", "LGPL-2.1-or-later"),
            "FAIL  statically-linked 1.0 is licensed LGPL-2.1-or-later: the LGPL is allowed only for a library the "
            "program links dynamically and names in [lgpl] of licensing/policy.toml.",
        ),
    ],
)
def test_a_package_the_program_cannot_ship_fails_the_gate_by_name(
    tmp_path: Path, row: tuple[str, str, str], sentence: str
) -> None:
    result = gate(tmp_path, [*SHIPPED, row])
    assert result.returncode == 1
    assert result.stderr.splitlines() == [sentence, "The licence gate failed: 1 of 9 packages."]


def test_a_choice_with_one_allowed_licence_passes(tmp_path: Path) -> None:
    result = gate(
        tmp_path,
        [
            ("dual", "1.0", "GPL-2.0-only OR MIT"),
            ("classified", "1.0", "GNU General Public License v2 (GPLv2); MIT License"),
        ],
    )
    assert result.returncode == 0, result.stderr
    assert "ok    dual 1.0: GPL-2.0-only OR MIT (used under MIT)" in result.stdout


def test_every_part_of_an_and_must_be_allowed(tmp_path: Path) -> None:
    result = gate(tmp_path, [("mixed", "1.0", "MIT AND GPL-3.0-only")])
    assert result.returncode == 1
    assert "FAIL  mixed 1.0 is licensed MIT AND GPL-3.0-only" in result.stderr


@pytest.mark.parametrize(
    ("licence", "verdict"),
    [
        (
            "MPL-2.0 AND (Apache-2.0 OR MIT)",
            "ok    grouped 1.0: MPL-2.0 AND (Apache-2.0 OR MIT) (used under MPL-2.0 AND Apache-2.0)",
        ),
        ("GPL-3.0-only AND (Apache-2.0 OR MIT)", "FAIL  grouped 1.0 is licensed GPL-3.0-only AND (Apache-2.0 OR MIT)"),
    ],
)
def test_a_group_in_parentheses_is_multiplied_out(tmp_path: Path, licence: str, verdict: str) -> None:
    """orjson declares "MPL-2.0 AND (Apache-2.0 OR MIT)": one choice of the group with the rest must be allowed."""
    result = gate(tmp_path, [("grouped", "1.0", licence)])
    assert verdict in result.stdout + result.stderr
    assert result.returncode == (0 if verdict.startswith("ok") else 1)


def test_an_unreadable_listing_is_exit_2_with_a_sentence(tmp_path: Path) -> None:
    listing = tmp_path / "listing.json"
    listing.write_text("not json", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(GATE), "--listing", str(listing)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"The listing {listing} cannot be read (")
    assert result.stderr.endswith("); give pip-licenses' JSON.\n")
