"""docs/reliability.md states the figures the reliability tests really have: its three tables are the ones
tests/reliability/figures.py prints from the corpus, rounds and cases, so they cannot go stale."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.figures import attacks_table, categories_table, figures_table, hostile_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


def test_the_figures_table_is_the_tests_own() -> None:
    text = DOC.read_text(encoding="utf-8")
    expected = figures_table()
    assert expected in text, (
        f"docs/reliability.md should hold this table (python -m tests.reliability.figures):\n{expected}"
    )


def test_the_categories_table_is_the_corpus_own() -> None:
    text = DOC.read_text(encoding="utf-8")
    expected = categories_table()
    assert expected in text, (
        f"docs/reliability.md should hold this table (python -m tests.reliability.figures):\n{expected}"
    )


def test_the_hostile_input_table_is_the_corpus_own() -> None:
    text = DOC.read_text(encoding="utf-8")
    expected = hostile_table()
    assert expected in text, (
        f"docs/reliability.md should hold this table (python -m tests.reliability.figures):\n{expected}"
    )


def test_the_attacks_table_is_the_tests_own() -> None:
    text = DOC.read_text(encoding="utf-8")
    expected = attacks_table()
    assert expected in text, (
        f"docs/reliability.md should hold this table (python -m tests.reliability.figures):\n{expected}"
    )


def test_the_document_gives_the_command_to_run_the_suite() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest tests/reliability" in text
    assert "./scripts/run-tests" in text
