"""How much freed memory a worker gives back to the system (glibc's malloc; elsewhere nothing
changes)."""

from __future__ import annotations

import ctypes
from functools import cache

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3   # malloc.h
MMAP_THRESHOLD, TRIM_THRESHOLD = 2**20, 8 * 2**20


@cache
def _libc():
    try:
        return ctypes.CDLL(None)
    except (OSError, TypeError):
        return None


def return_large_blocks() -> None:
    """Have glibc map every block of 1 MB or more on its own and unmap it once freed. By default
    the threshold rises to the largest block freed (up to 32 MB), so that after one 11 MB trace
    the next ones and their gzipped copies came from the heap, which kept the space: under load
    a worker grew from 126 to 179 MB and stayed there; with these settings, from 106 to 125 MB.
    Below 1 MB, ISA-L's 280 kB of state per gzip would be mapped and unmapped for every answer
    (4% of an iteration request's time); and the heap keeps up to 8 MB free at its top, as the
    dynamic threshold did, instead of the 128 kB left once it is fixed, which cost two brk
    calls per request."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def give_back_free_memory() -> None:
    """Hand what every heap holds free back to the system (malloc_trim). It takes about 3 ms; a
    worker's last heavy request calls it when done (app/admission.py): after a burst that took
    a worker from 106 to 131 MB, it brought it back to 117 MB."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
