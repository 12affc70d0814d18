"""The fixtures of the command-line tests."""

from tests.cli.accounts import accounts

__all__ = ["accounts"]
