"""What every benchmark shares: a row of the results table, statistics, child processes and their memory.

A benchmark module exposes ``run(config) -> Section``: its rows (figure, target, pass/fail) and a paragraph
of details for docs/performance.md. Figures are medians (or percentiles) of many runs, never one run, so a
busy machine moves them less; where two programs are compared they are run alternately.
"""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """One run of the benchmarks. ``quick`` shrinks every size (documented in docs/performance.md)."""

    quick: bool
    work: Path  # a throwaway folder for databases, homes and PDFs


@dataclass(frozen=True)
class Row:
    """One line of the results table. ``passed`` is None for a figure without a target, or one not measured."""

    measurement: str
    value: str
    target: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "not measured" if self.value.startswith("not ") else "—"
        return "pass" if self.passed else "FAIL"


@dataclass
class Section:
    """What one benchmark found: table rows and a markdown paragraph (or list) of details."""

    title: str
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    """A duration for the table: 3 significant figures, in milliseconds below 1 s."""
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    value = seconds * 1000
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def mib(n_bytes: float) -> str:
    return f"{n_bytes / MIB:.0f} MiB"


def at_most(value: float, limit: float) -> bool:
    return value <= limit


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: wall time from start to exit, its own peak memory, what it printed."""

    seconds: float
    peak_rss_bytes: int
    returncode: int
    stdout: str
    stderr: str


def run_child_wait4(command: Sequence[str], env: Mapping[str, str], timeout: float = 120.0) -> ChildRun:
    """Run ``command`` and wait for it, with its wall time and its own peak memory: it is started from a
    small launcher (``benchmarks/launch.py``: Linux keeps the peak RSS across ``exec``, so a child of this process
    would start with this process's memory as its peak), which also takes the time. Output goes to files (a pipe
    could fill and block the child)."""
    with tempfile.TemporaryDirectory(prefix="hemgenix-bench-out-") as folder:
        out_path, err_path = Path(folder) / "stdout", Path(folder) / "stderr"
        launcher = [sys.executable, "-m", "benchmarks.launch", str(timeout), str(out_path), str(err_path), "--"]
        done = subprocess.run(
            [*launcher, *command],
            env=dict(env),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout + 60,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the benchmark launcher failed: {done.stderr.strip()}")
        report = json.loads(done.stdout)
        stdout = out_path.read_text(encoding="utf-8")
        stderr = err_path.read_text(encoding="utf-8")
    return ChildRun(float(report["seconds"]), int(report["peak_rss_bytes"]), int(report["returncode"]), stdout, stderr)


def own_peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def own_rss_bytes() -> int:
    """The resident memory of this process now (VmRSS), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("VmRSS is not in /proc/self/status")


def own_rss_split() -> dict[str, int]:
    """The resident memory of this process now by kind, from /proc: ``anon`` (data: the heap, Python's objects,
    Qt's buffers), ``file`` (pages of files mapped: the libraries' code and the fonts), ``shmem``."""
    split: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        for name in ("RssAnon", "RssFile", "RssShmem"):
            if line.startswith(f"{name}:"):
                split[name[3:].lower()] = int(line.split()[1]) * 1024
    return split


def child_env(home: Path, *, bytecode_cache: Path | None) -> dict[str, str]:
    """The environment of a program under test: offscreen Qt, a throwaway home, data folder and database,
    and (when given) a bytecode cache outside the source tree, as an installed program has one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEMGENIX_", "XDG_", "PYTHONPYCACHE"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "HEMGENIX_DB_URL": f"sqlite:///{home / 'hemgenix-bench.sqlite3'}",
            # the benchmark's throwaway site key is encrypted like a site's (the passphrase a site types at start)
            "HEMGENIX_SITE_KEY_SECRET": "benchmark passphrase of a throwaway site key",
            "PYTHONPATH": str(ROOT),
        }
    )
    if bytecode_cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    return env


def run_module_json(module: str, args: Sequence[str], env: Mapping[str, str], timeout: float = 600.0) -> Any:
    """Run ``python -m benchmarks.<module> ARGS`` and return the JSON object it prints on its last line. Started from
    the small launcher, so the peak memory the module reports of itself (``ru_maxrss``) is its own."""
    result = run_child_wait4([sys.executable, "-m", f"benchmarks.{module}", *args], env, timeout)
    if result.returncode != 0:
        raise RuntimeError(f"benchmarks.{module} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"benchmarks.{module} printed no result: {result.stdout[-2000:]}")
    return json.loads(lines[-1])


def filesystem_of(path: Path) -> str:
    """The type of the file system holding ``path`` (ext4, tmpfs, …), from /proc/mounts."""
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    for line in Path("/proc/mounts").read_text().splitlines():
        fields = line.split()
        mount = fields[1]
        inside = resolved == mount or resolved.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, fields[2]
    return kind
