"""Keep other packages' deprecation warnings away from the people who use the program.

A deprecation inside a library (cryptography 51 deprecating DSA, which pyHanko 0.38 imports) is a message for
the project's developers, not for a technician at the safety cabinet: the entry points (every ``hemgenix-prep``
command, the GUI and the frozen build all start in ``hemgenix_desktop.cli.main``) call
:func:`silence_third_party_deprecations` first. Only deprecation categories are silenced, and only when the
warning is attributed to a module outside ``hemgenix_desktop``; the program's own warnings are untouched, and in
the tests (``filterwarnings = ["error"]`` in pyproject.toml) they stay errors. The developers still see the
third-party ones: the test suite runs with every warning an error, and ``scripts/check-latest`` runs it against
the newest versions of every dependency.
"""

from __future__ import annotations

import warnings

OWN_PACKAGE = "hemgenix_desktop"
# The ``module`` of a warnings filter is a regular expression matched at the start of the module the warning is
# attributed to: this one matches every module but the program's own.
THIRD_PARTY_MODULE = rf"(?!{OWN_PACKAGE}(?:\.|$))"


class _NamedDeprecation(type):
    """``issubclass(C, AnyDeprecationWarning)`` is true when C or one of its bases is named ``…DeprecationWarning``."""

    def __subclasscheck__(cls, subclass: type) -> bool:
        return any(base.__name__.endswith("DeprecationWarning") for base in getattr(subclass, "__mro__", ()))


class AnyDeprecationWarning(Warning, metaclass=_NamedDeprecation):
    """Stands, in a warnings filter, for every deprecation category: Python's own and those libraries derive from
    ``UserWarning`` so that Python's default filters show them (cryptography's ``CryptographyDeprecationWarning``,
    SQLAlchemy's ``SADeprecationWarning``…). Matched by name, so that no library is imported to name its class:
    the first screen loads no cryptography (tests/ui/test_startup.py)."""


def deprecation_categories() -> tuple[type[Warning], ...]:
    """The categories silenced for other packages: every deprecation, and the future changes they announce."""
    return (AnyDeprecationWarning, FutureWarning)


def silence_third_party_deprecations() -> None:
    """Ignore deprecation warnings attributed to any module but the program's own (added in front of the
    filters already in force, so a ``PYTHONWARNINGS`` or ``-W`` still governs everything else)."""
    for category in deprecation_categories():
        warnings.filterwarnings("ignore", category=category, module=THIRD_PARTY_MODULE)
