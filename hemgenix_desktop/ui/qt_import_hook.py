"""PySide6's import hook without the source of every module kept in memory (issue 13, memory on the real path).

Once PySide6 is imported, shiboken wraps ``__import__`` (for ``from __feature__ import snake_case``) and asks of
every module imported after it whether its source names "PySide6" (``shibokensupport.feature._mod_uses_pyside``).
It asks with ``inspect.getsource``, which reads the module's file through :mod:`linecache` and keeps every line
of it there for the rest of the program: in this program about 900 modules (SQLAlchemy, pyHanko, reportlab, …),
400,000 lines, over 30 MiB of strings that nothing ever reads again (benchmarks/memory.py).

:func:`install` asks the same question of the same file, read as bytes and let go: the answer, and so what
``__feature__`` does, is unchanged (the program uses no ``__feature__`` anyway). It then empties :mod:`linecache`
of what the hook read before it was installed (a cache: a traceback reads its lines again when it needs them).
"""

from __future__ import annotations

import linecache
import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads shiboken, whose hook is replaced here

_FEATURE = "shibokensupport.feature"  # also published as PySide6.support.feature (the same module)


def uses_pyside(module: ModuleType) -> bool:
    """Whether the source file of ``module`` names "PySide6": shiboken's question, read without linecache. A module
    without a Python source file (built in, compiled, frozen) does not, as inspect.getsource has it."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:  # no file there (a frozen build's modules): as inspect.getsource, which raises OSError
        return False


def install() -> bool:
    """Replace shiboken's source check with :func:`uses_pyside` (once), and empty linecache. False when this
    PySide6 has no such hook (then nothing is changed)."""
    feature = sys.modules.get(_FEATURE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    if vars(feature)["_mod_uses_pyside"] is not uses_pyside:
        vars(feature)["_mod_uses_pyside"] = uses_pyside
        linecache.clearcache()
    return True


__all__ = ["install", "uses_pyside"]
