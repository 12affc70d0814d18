"""The benchmarks still run: ``benchmarks/run.py --quick --no-write`` completes and prints every row.

Not a timing test: figures on a shared test machine say nothing, so a missed target (a FAIL row) does not fail
this test; only a benchmark that could not run (exit code 2) or a missing row does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import ROW_PREFIXES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_quick_benchmark_run_completes_and_prints_every_row() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-write"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Measurement", "Value", "Target", "Result"]
    for prefix in ROW_PREFIXES:
        assert any(line.startswith(prefix) for line in lines), f"no row starting {prefix!r}"
    assert not any("not run:" in line for line in lines)
    assert "quick run, " in result.stdout


@pytest.mark.parametrize(
    ("floor_ratio", "said"),
    [(1.17, "in this run the target is out of reach"), (1.10, "the target is not shown to be out of reach")],
)
def test_the_first_paint_floor_says_whether_it_is_above_its_target(floor_ratio: float, said: str) -> None:
    from benchmarks.cold_start import TARGET_PAINT_RATIO, _paint_floor_against_target

    assert TARGET_PAINT_RATIO == 1.15
    assert _paint_floor_against_target(floor_ratio).endswith(said)
