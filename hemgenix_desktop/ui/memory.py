"""How the program holds its memory over a day of preparations (issue 13, memory on the real path).

Sealing and printing one preparation builds two PDFs, signs them and paints their pages for the print preview:
tens of MiB of short-lived buffers (a Letter page rendered at 300 dpi is 34 MB), freed when the signing flow closes.
Two things of the C library's allocator (glibc) kept that memory resident after it was freed:

- its threshold for giving a large block memory of its own (``mmap``) rises to the largest block freed so far, up to
  32 MiB: after the first print preview every buffer below a page image's size came from the heap, and a heap's
  free space goes back to the system only where whole pages are free;
- each thread that allocates gets a heap (an "arena") of its own, up to eight per core, whose free space is kept
  apart from the others': the pages are rendered and the PDFs signed on Qt's thread pool.

:func:`tune_allocator`, at the start, fixes that threshold at 256 KiB (a block that large is mapped, and unmapped
when freed) and allows two arenas (measured by benchmarks/memory.py: about 18 MiB less after the first preparation,
and less growth with each). Where the site sets the allocator itself (``GLIBC_TUNABLES`` with ``glibc.malloc``, or a
``MALLOC_…`` variable), its settings are kept.

:func:`release_window_when_hidden` gives a kept window's pixels back while it is closed: Qt keeps a hidden top-level
window's backing store (its whole picture, 4 bytes a pixel: about 4–7 MiB for History) until the window is destroyed.
The window itself (its fields, its search) stays; reopening it makes a new native window.

:func:`give_back_memory` is called once per preparation, after its screens are deleted, where no one waits for the
program: Python's collector frees what only cycles still hold, and ``malloc_trim(0)`` gives the heap's free pages
back to the system. Elsewhere than glibc both do nothing but collect.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD = 256 * 1024
ARENA_MAX = 2


@cache
def _glibc(name: str) -> Callable[..., Any] | None:
    """glibc's function ``name`` (malloc_trim, mallopt), or None where there is none (another C library, system)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[..., Any] | None = getattr(ctypes.CDLL(None), name, None)
    except OSError:  # pragma: no cover - the program's own symbols cannot be read
        return None
    return function


def _malloc_trim() -> Callable[[int], int] | None:
    return _glibc("malloc_trim")


def site_tunes_allocator() -> bool:
    """Whether the environment sets glibc's allocator (then the program leaves it as set)."""
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    return "glibc.malloc." in tunables or any(name.startswith("MALLOC_") for name in os.environ)


@cache
def tune_allocator() -> bool:
    """Fix glibc's mmap threshold and allow two arenas (see the module's text), once, before the program's threads
    start. Returns whether it did (False elsewhere than glibc, or when the environment sets the allocator)."""
    mallopt = _glibc("mallopt")
    if mallopt is None or site_tunes_allocator():
        return False
    threshold = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)  # mallopt returns 1 when it took the value
    arenas = mallopt(M_ARENA_MAX, ARENA_MAX)
    return bool(threshold and arenas)


class _ReleaseWhenHidden(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # closed or hidden by the program (close(), Close, Escape); a minimised window's hide is spontaneous
        if watched is self.window and event.type() == QEvent.Type.Hide and not event.spontaneous():
            QTimer.singleShot(0, self._release)
        return False

    def _release(self) -> None:
        window = self.window
        if window.isVisible() or any(child.isWindow() and child.isVisible() for child in window.findChildren(QWidget)):
            return  # shown again meanwhile, or one of its dialogs is still open
        window.destroy()  # the native window and its backing store; the widget and its children stay


def release_window_when_hidden(window: QWidget) -> None:
    """Free ``window``'s native window and backing store each time the program hides or closes it (see above)."""
    _ReleaseWhenHidden(window)


def give_back_memory() -> None:
    """Collect what only reference cycles hold, then give the C library's free heap back to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


__all__ = ["give_back_memory", "release_window_when_hidden", "tune_allocator"]
