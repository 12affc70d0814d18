"""Third-party deprecation warnings never reach a user; the program's own warnings stay errors in the tests.

The entry point (``hemgenix_desktop.cli.main``: every command, the GUI and the frozen build) silences deprecation
categories attributed to any module outside ``hemgenix_desktop``, and nothing else. The subprocess tests of the
commands themselves (tests/cli/test_smoke.py, tests/packaging/test_wheel.py, packaging/build.sh) check that
stderr stays empty with the real libraries.
"""

from __future__ import annotations

import re
import warnings

import pytest
from cryptography.utils import CryptographyDeprecationWarning

from hemgenix_desktop.cli import main
from hemgenix_desktop.third_party_warnings import THIRD_PARTY_MODULE, silence_third_party_deprecations


def warn_from(module: str, category: type[Warning], message: str = "deprecated") -> None:
    warnings.warn_explicit(message, category, filename=f"{module.replace('.', '/')}.py", lineno=1, module=module)


@pytest.mark.parametrize(
    ("module", "third_party"),
    [
        ("pyhanko.sign.signers.pdf_cms", True),
        ("sqlalchemy", True),
        ("hemgenix_desktopx", True),  # another package whose name merely starts the same way
        ("hemgenix_desktop", False),
        ("hemgenix_desktop.records.pades", False),
    ],
)
def test_the_module_pattern_matches_every_module_but_the_programs_own(module: str, third_party: bool) -> None:
    assert bool(re.match(THIRD_PARTY_MODULE, module)) is third_party


@pytest.mark.parametrize(
    "category", [CryptographyDeprecationWarning, DeprecationWarning, PendingDeprecationWarning, FutureWarning]
)
def test_a_librarys_deprecation_is_silenced(category: type[Warning]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        silence_third_party_deprecations()
        warn_from("pyhanko.sign.signers.pdf_cms", category)  # no error: ignored


@pytest.mark.parametrize("category", [CryptographyDeprecationWarning, DeprecationWarning, UserWarning])
def test_the_programs_own_warnings_stay_errors(category: type[Warning]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        silence_third_party_deprecations()
        with pytest.raises(category):
            warn_from("hemgenix_desktop.records.pades", category)


@pytest.mark.parametrize("category", [UserWarning, RuntimeWarning])
def test_a_librarys_other_warnings_are_not_silenced(category: type[Warning]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        silence_third_party_deprecations()
        with pytest.raises(category):
            warn_from("pyhanko.sign.signers.pdf_cms", category)


def test_the_entry_point_silences_them_before_any_command_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["kits", "--json"]) == 0
        warn_from("pyhanko.sign.signers.pdf_cms", CryptographyDeprecationWarning, "DSA is deprecated")
        with pytest.raises(DeprecationWarning):
            warn_from("hemgenix_desktop.cli", DeprecationWarning)
    assert capsys.readouterr().err == ""


def test_without_the_entry_point_the_tests_see_a_librarys_deprecation() -> None:
    """pytest's own filters (pyproject.toml) make every warning an error but the one DSA warning of pyHanko."""
    with pytest.raises(CryptographyDeprecationWarning):
        warn_from("pyhanko.sign.signers.cms_other", CryptographyDeprecationWarning, "DSA is deprecated")
    with pytest.raises(CryptographyDeprecationWarning):
        warn_from("pyhanko.sign.signers.pdf_cms", CryptographyDeprecationWarning, "something else is deprecated")
    warn_from("pyhanko.sign.signers.pdf_cms", CryptographyDeprecationWarning, "DSA is deprecated and will go")
