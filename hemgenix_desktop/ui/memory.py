"""Giving memory back to the system once a preparation is over (issue 13, memory on the real path).

Sealing and printing one preparation builds two PDFs, signs them and paints their pages for the print preview:
tens of MiB of short-lived buffers, freed when the signing flow closes. Python's collector frees what only cycles
still hold, and the C library's allocator (glibc) keeps the pages it was given as free heap rather than giving
them back, so a workstation's resident memory after a day of preparations was the high-water mark of its busiest
moment plus what fragmentation left (measured by benchmarks/memory.py: about 20 MiB after the first preparation,
growing by some 10 MiB with the next). ``malloc_trim(0)`` gives the free heap back; it is called once per
preparation, after its screens are deleted, where no one waits for the program. Elsewhere than glibc it does
nothing.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where there is none (another C library, another system)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] | None = getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:  # pragma: no cover - the program's own symbols cannot be read
        return None
    return trim


def give_back_memory() -> None:
    """Collect what only reference cycles hold, then give the C library's free heap back to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


__all__ = ["give_back_memory"]
