"""Pause Python's cyclic garbage collector while a large structure without cycles is built.

Loading content and making the datasets allocate millions of objects that form no
reference cycles (a caught exception may leave one, freed by a later collection).
Meanwhile the cyclic collector keeps re-walking the growing heap: at 10,000 stations
that was about 40 % of validation and ~1.7 s of the exports. Reference counting
still frees everything else as usual.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Hand what was allocated to the oldest generation as it is (freeze, then unfreeze, moves
        # every tracked object there), rather than have the next young collection walk all of
        # it: that walk alone took about 0.4 s at 10,000 stations. Not when the program froze
        # objects itself, since unfreeze() would release those too.
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
