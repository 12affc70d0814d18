"""The figures of docs/reliability.md, taken from the reliability tests themselves.

    python -m tests.reliability.figures      (from the project folder) prints the three tables to paste in

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
    test_seal_race,
    test_sealed_not_saved,
    test_stale_draft,
    test_tampering,
    test_two_workstations,
)
from tests.reliability.bad_inputs import BAD_INPUTS, CATEGORIES, FIELDS, category_counts
from tests.reliability.hostile_inputs import CASES as HOSTILE_CASES
from tests.reliability.hostile_inputs import CLASSES as HOSTILE_CLASSES
from tests.reliability.hostile_inputs import class_counts
from tests.reliability.seal_driver import AMENDMENT_POINTS, POINTS
from tests.services.two import DATABASES
from tests.ui import test_stale_draft_page


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
            "Seal races: two workstations seal one signed preparation, the slower held until the faster committed "
            "(cases, on SQLite and PostgreSQL)",
            str(case_count(test_seal_race) * len(DATABASES)),
        ),
        ("Seal races with a second record, or a record shown or printed that is not the one kept", "0"),
        (
            "Kills after the sealing's COMMIT, before the PDFs (listed as not saved; resumed, the originals made)",
            str(case_count(test_sealed_not_saved)),
        ),
        (
            "Stale draft saves: two workstations on one draft (cases, on SQLite and PostgreSQL, and in the wizard)",
            str(case_count(test_stale_draft) * len(DATABASES) + case_count(test_stale_draft_page)),
        ),
        ("Stale saves taken over a newer one, or a value typed lost", "0"),
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
        (
            f"Hostile inputs given to the whole command line, in {len(HOSTILE_CLASSES)} classes (table below)",
            str(len(HOSTILE_CASES)),
        ),
        ("Hostile inputs answered with a traceback, a hang, a false success or other than one sentence", "0"),
        (f"Fuzzing: examples per run at most, over {fuzz_tests} hypothesis tests", str(fuzz_total)),
        ("Tampering cases (audit trail and record PDF)", str(case_count(test_tampering))),
        ("Single bytes changed, one at a time, in a signed record PDF", f"{test_tampering.BYTE_POSITIONS}+"),
        ("Tampering not found", "0"),
        ("Attacks by someone with the database file (issue 15; SQLite, and PostgreSQL in CI)", str(len(attacks()))),
        ("Those attacks neither refused nor found", "0"),
        (
            "Attacks on the site's signing key (key file, retired/ folder, token, PIN)",
            str(case_count(test_key_attacks)),
        ),
        ("Key attacks not refused", "0"),
    ]


# The attacks of someone holding the database file (issue 15), each a test: (attack, how it is refused or found,
# the test module and function that proves it on SQLite and PostgreSQL).
_REFUSED = "refused by the database itself (trigger), nothing changes"
_GUARDED = "the second dose and the carton are still stopped: the guards read the trail's sealed records"
_NAMED = "`audit verify` names the row and the event (exit 1)"
_GUARD_NAMED = "`audit verify` names it and what it guards, against the migrations' own (exit 1)"


def attacks() -> list[tuple[str, str, str]]:
    from tests.services import test_checkpoints
    from tests.storage import (
        test_least_privilege,
        test_schema_objects,
        test_sealed_state,
        test_state_check,
        test_trail_guard,
    )

    rows = [(what, _REFUSED, "test_sealed_state.py") for what, _ in test_sealed_state.ATTACKS]
    rows += [
        (f"triggers dropped, sealed row {what}", _GUARDED, "test_trail_guard.py") for what, _ in test_trail_guard.EDITS
    ]
    rows += [(f"triggers dropped, {what}", _NAMED, "test_state_check.py") for what, _, _ in test_state_check.ATTACKS]
    rows += [(what, _GUARD_NAMED, "test_schema_objects.py") for what, *_ in test_schema_objects.ATTACKS]
    rows += [(what, _GUARD_NAMED, "test_schema_objects.py") for what, *_ in test_schema_objects.PG_ATTACKS]
    rows += [
        (f"PostgreSQL, as the program's app role: `{sql}`", f"refused ({refusal})", "test_least_privilege.py")
        for sql, refusal in test_least_privilege.ATTACKS
    ]
    named = {
        "test_event_times_going_backwards_beyond_the_tolerance_are_named": (
            "event times going backwards (beyond 2 minutes)",
            _NAMED,
            test_state_check,
        ),
        "test_a_password_hash_swapped_for_a_signature_and_put_back_is_named": (
            "a password hash swapped in for a signature, then put back",
            "`audit verify` names the sign-in event whose checked hash is not the trail's (exit 1)",
            test_state_check,
        ),
        "test_a_damaged_database_file_is_found_first": (
            "a database file damaged (as by a copy taken mid-write)",
            "`audit verify` runs SQLite's integrity check first and says so (exit 1); `backup` refuses such a copy",
            test_state_check,
        ),
        "test_verify_reports_a_schema_version_not_the_programs_and_changes_nothing": (
            "the schema version row changed (older or newer than the program's)",
            "`audit verify` says so and migrates nothing (exit 1); `backup` refuses such a copy",
            test_schema_objects,
        ),
        "test_a_consistent_rewrite_of_the_chain_is_found_against_the_checkpoint": (
            "the whole chain rewritten consistently (every hash redone, head moved)",
            "`audit verify --checkpoints` finds the signed checkpoint's event changed",
            test_checkpoints,
        ),
        "test_a_seal_appended_after_the_newest_checkpoint_is_found": (
            "a seal appended with a correct hash (the head's trigger allows one step)",
            "`audit verify --checkpoints`: a seal after the newest checkpoint, which every seal writes",
            test_checkpoints,
        ),
        "test_a_checkpoint_of_another_database_is_named_as_such": (
            "a shadow database signed with the same site key",
            "its checkpoints name another database ID; `audit verify --checkpoints` says so",
            test_checkpoints,
        ),
    }
    for function, (what, how, module) in named.items():
        assert callable(getattr(module, function)), function  # the row goes when its test goes
        rows.append((what, how, f"{module.__name__.rsplit('.', 1)[1]}.py"))
    return rows


def attacks_table() -> str:
    rows = ["| Attack by someone with the database file | How it is refused or found | Test |", "|---|---|---|"]
    rows += [f"| {what} | {how} | `{test}` |" for what, how, test in attacks()]
    return "\n".join(rows)


def figures_table() -> str:
    rows = ["| What | Figure |", "|---|---:|"]
    rows += [f"| {what} | {value} |" for what, value in figures()]
    return "\n".join(rows)


def categories_table() -> str:
    counts = category_counts()
    rows = ["| Kind of bad input | Rows |", "|---|---:|"]
    rows += [f"| {name} | {counts[name]} |" for name in CATEGORIES]
    return "\n".join(rows)


def hostile_table() -> str:
    counts = class_counts()
    rows = ["| Class of hostile input (command line) | Cases |", "|---|---:|"]
    rows += [f"| {text} | {counts[name]} |" for name, text in HOSTILE_CLASSES.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(figures_table())
    print()
    print(categories_table())
    print()
    print(hostile_table())
    print()
    print(attacks_table())
