"""Give the memory Python has freed back to the system before Pagefind needs it.

glibc's malloc keeps freed small blocks in its heap, so a build that has dropped
its rendered pages still holds them (about 0.4 GB at 10,000 stations) while each
Pagefind part (about 0.6 GB) runs beside it. malloc_trim returns them. Where there
is no glibc (musl, macOS, Windows) this only collects garbage.
"""
from __future__ import annotations

import ctypes
import gc


def release_freed_memory() -> None:
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return
    trim(0)
