"""The 8x8 handwritten digits shipped with the engine: 1,797 grey-level images of the digits 0 to 9.

The file is `files/digits.csv.gz` (its source, licence and checksum are in `files/README.md`):
64 pixel columns, each an ink count 0..16, then the digit. It is read once per process, checked
against its SHA-256 and its shape, and handed out as read-only arrays.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

FILE = Path(__file__).with_name("files") / "digits.csv.gz"
SHA256 = "e9507b73391867eeb94092e652cbbade072659cd847818808e657325187d430e"
IMAGES = 1797
WIDTH = HEIGHT = 8
CLASSES = 10
INK_LEVELS = 16  # a pixel counts the ink in a 4x4 block: 0 to 16


class DigitsFileError(RuntimeError):
    """The shipped file is missing, changed or malformed: an installation fault, not a request's."""


@lru_cache(maxsize=1)
def load() -> tuple[np.ndarray, np.ndarray]:
    """(pixels, labels): pixels (1797, 64) integers 0..16, labels (1797,) digits 0..9."""
    raw = FILE.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        raise DigitsFileError(f"{FILE} has SHA-256 {digest}, expected {SHA256}")
    table = np.loadtxt(gzip.decompress(raw).decode().splitlines(), delimiter=",", skiprows=1,
                       dtype=np.int64)
    if table.shape != (IMAGES, WIDTH * HEIGHT + 1):
        raise DigitsFileError(f"{FILE} holds a {table.shape} table, expected "
                              f"({IMAGES}, {WIDTH * HEIGHT + 1})")
    pixels, labels = table[:, :-1], table[:, -1]
    for array in (pixels, labels):
        array.setflags(write=False)
    return pixels, labels


def images(samples: int | None, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (rows, 64) scaled to [0, 1] and one-hot targets (rows, 10): every image in the
    file's order when `samples` is None or all of them, else a subset drawn without replacement
    by `rng` (in the order drawn)."""
    pixels, labels = load()
    rows = np.arange(IMAGES) if samples in (None, IMAGES) else rng.permutation(IMAGES)[:samples]
    inputs = pixels[rows] / INK_LEVELS
    targets = np.zeros((len(rows), CLASSES))
    targets[np.arange(len(rows)), labels[rows]] = 1.0
    return inputs, targets
