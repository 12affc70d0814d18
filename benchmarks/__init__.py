"""Benchmarks of Hemgenix Prep: run ``benchmarks/run.py`` (see docs/performance.md)."""
