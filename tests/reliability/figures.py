"""The figures of docs/reliability.md, taken from the reliability tests themselves.

    python -m tests.reliability.figures      (from the project folder) prints the two tables to paste in

tests/reliability/test_reliability_doc.py fails when the document's tables differ from these, so the numbers in
the document cannot go stale: change a test's corpus, rounds or cases, and the document must follow.
"""

from __future__ import annotations

from types import ModuleType

from hemgenix_desktop.ui.pages.base import PAGE_KEYS
from tests.reliability import (
    test_bad_inputs,
    test_faults,
    test_fuzzing,
    test_key_attacks,
    test_tampering,
    test_two_workstations,
)
from tests.reliability.bad_inputs import BAD_INPUTS, CATEGORIES, FIELDS, category_counts
from tests.reliability.seal_driver import AMENDMENT_POINTS, POINTS


def case_count(module: ModuleType) -> int:
    """How many test cases a module's tests make (each parametrized test counted once per parameter set)."""
    total = 0
    for name, obj in vars(module).items():
        if not name.startswith("test_") or not callable(obj):
            continue
        count = 1
        for mark in getattr(obj, "pytestmark", []):
            if mark.name == "parametrize":
                count *= len(mark.args[1])
        total += count
    return total


def fuzz_examples() -> tuple[int, int]:
    """(hypothesis tests, examples they try per run at most)."""
    tests = [
        obj
        for name, obj in vars(test_fuzzing).items()
        if name.startswith("test_") and hasattr(obj, "_hypothesis_internal_use_settings")
    ]
    return len(tests), sum(t._hypothesis_internal_use_settings.max_examples for t in tests)


def figures() -> list[tuple[str, str]]:
    scan_rows = sum(1 for row in BAD_INPUTS if row.field == "scan")
    fuzz_tests, fuzz_total = fuzz_examples()
    rounds = test_two_workstations.ROUNDS
    return [
        ("Wizard pages after whose save the program was killed (SIGKILL), one kill each", str(len(PAGE_KEYS))),
        ("Values lost after those kills (the whole `Preparation.to_dict()` compared)", "0"),
        ("Points inside sealing where the program killed itself (SIGKILL)", str(len(POINTS))),
        ("Half-sealed preparations found after those kills", "0"),
        (
            "Points inside sealing a correction (amendment) where the program killed itself (SIGKILL)",
            str(len(AMENDMENT_POINTS)),
        ),
        ("Half-sealed amendments, or changed original records, found after those kills", "0"),
        ("Races for one patient (two processes, one database file)", str(rounds)),
        ("Races for one carton serial", str(rounds)),
        ("Races with other than exactly one winner, or a loser not told the winner", "0"),
        (
            "Fault cases (read-only database, full disk, locked database, no printer, PDF folder)",
            str(case_count(test_faults)),
        ),
        ("Bad inputs in the corpus", str(len(BAD_INPUTS))),
        (
            "Fields they cover (every typed field, the scan field, the weight method, the separator setting)",
            str(len(FIELDS)),
        ),
        (
            "Bad inputs typed into the wizard's own pages (fields and the scan field)",
            str(len(test_bad_inputs.ON_SCREEN_ROWS) + scan_rows),
        ),
        ("Bad inputs given to the command line", str(len(test_bad_inputs.CLI_ROWS))),
        ("Bad inputs accepted, or answered with other than their sentence", "0"),
        (f"Fuzzing: examples per run at most, over {fuzz_tests} hypothesis tests", str(fuzz_total)),
        ("Tampering cases (audit trail and record PDF)", str(case_count(test_tampering))),
        ("Single bytes changed, one at a time, in a signed record PDF", f"{test_tampering.BYTE_POSITIONS}+"),
        ("Tampering not found", "0"),
        (
            "Attacks on the site's signing key (key file, retired/ folder, token, PIN)",
            str(case_count(test_key_attacks)),
        ),
        ("Key attacks not refused", "0"),
    ]


def figures_table() -> str:
    rows = ["| What | Figure |", "|---|---:|"]
    rows += [f"| {what} | {value} |" for what, value in figures()]
    return "\n".join(rows)


def categories_table() -> str:
    counts = category_counts()
    rows = ["| Kind of bad input | Rows |", "|---|---:|"]
    rows += [f"| {name} | {counts[name]} |" for name in CATEGORIES]
    return "\n".join(rows)


if __name__ == "__main__":
    print(figures_table())
    print()
    print(categories_table())
