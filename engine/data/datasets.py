"""Seeded datasets: five 2-D binary classification toys, a 1-D sine, and the 8x8 handwritten
digits shipped with the engine (64 inputs, 10 classes; engine/data/digits.py).

Every generator draws from `np.random.default_rng(seed)` only, so one seed gives bit-identical
float64 arrays. Classification inputs have shape (samples, 2) and lie roughly in [-1.5, 1.5]
before noise; targets have shape (samples, 1), hold 0.0 or 1.0, and the two classes differ in
size by at most one. `noise` is the standard deviation of gaussian noise added to the inputs
(classification) or to the target (regression). The digits are real data: all 1,797 images by
default, a seeded subset when `samples` says fewer, and no noise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from engine.data import digits
from engine.limits import MAX_NOISE, MAX_SAMPLES, MAX_TEST_FRACTION, MIN_SAMPLES


class DatasetError(ValueError):
    """A dataset request with an unknown name or a parameter outside its limits; `field` names
    the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


DEFAULT_SAMPLES = 200
DEFAULT_NOISE = 0.1
DEFAULT_SEED = 0


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset is: its name, a one-sentence description, its kind and its sizes; for
    real data also how many rows it has (`max_samples`, the default too), that it takes no
    noise, the (height, width) of an image its inputs form, and where it comes from."""

    name: str
    description: str
    kind: str
    input_dim: int
    output_dim: int
    default_samples: int = DEFAULT_SAMPLES
    max_samples: int = MAX_SAMPLES
    noisy: bool = True
    image: tuple[int, int] | None = None
    source: str | None = None


@dataclass(frozen=True, eq=False)
class Dataset:
    """Generated samples: inputs (samples, input_dim) and targets (samples, output_dim)."""

    name: str
    inputs: np.ndarray
    targets: np.ndarray


def _polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Points (radius cos angle, radius sin angle) as rows."""
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _xor_points(rng, count: int, label: int) -> np.ndarray:
    """Label 1 where x * y > 0 (quadrants I and III), label 0 elsewhere; |x|, |y| in (0, 1]."""
    magnitude = 1.0 - rng.random((count, 2))
    first = rng.choice([-1.0, 1.0], size=count)
    second = first if label == 1 else -first
    return magnitude * np.column_stack([first, second])


def _circle_points(rng, count: int, label: int) -> np.ndarray:
    """Label 1 fills the disc of radius 0.5, label 0 the ring between radii 0.9 and 1.3."""
    low, high = (0.0, 0.5) if label == 1 else (0.9, 1.3)
    radius = np.sqrt(rng.uniform(low**2, high**2, count))
    return _polar(radius, rng.uniform(0.0, 2.0 * np.pi, count))


def _gaussian_points(rng, count: int, label: int) -> np.ndarray:
    """Label 0 around (-0.5, -0.5), label 1 around (0.5, 0.5), each with spread 0.25."""
    centre = 0.5 if label == 1 else -0.5
    return centre + 0.25 * rng.standard_normal((count, 2))


def _spiral_points(rng, count: int, label: int) -> np.ndarray:
    """Arms of 1.5 turns with radius 0.2 to 1.4; the label 1 arm is the label 0 arm turned by pi."""
    t = rng.uniform(0.0, 1.0, count)
    return _polar(0.2 + 1.2 * t, 3.0 * np.pi * t + np.pi * label)


def _moon_points(rng, count: int, label: int) -> np.ndarray:
    """Label 0 an upper half circle, label 1 a lower one hooked into it, centred and scaled."""
    angle = rng.uniform(0.0, np.pi, count)
    if label == 0:
        x, y = np.cos(angle), np.sin(angle)
    else:
        x, y = 1.0 - np.cos(angle), 0.5 - np.sin(angle)
    return 0.8 * np.column_stack([x - 0.5, y - 0.25])


def _classification(points: Callable, rng, samples: int, noise: float):
    """Balanced 0/1 classes drawn by points(rng, count, label), noisy inputs, rows shuffled."""
    counts = (samples - samples // 2, samples // 2)
    inputs = np.vstack([points(rng, count, label) for label, count in enumerate(counts)])
    inputs = inputs + noise * rng.standard_normal(inputs.shape)
    targets = np.repeat([0.0, 1.0], counts)[:, None]
    order = rng.permutation(samples)
    return inputs[order], targets[order]


def _sine(rng, samples: int, noise: float):
    """x uniform in [-pi, pi], target sin(x) plus noise."""
    inputs = rng.uniform(-np.pi, np.pi, (samples, 1))
    return inputs, np.sin(inputs) + noise * rng.standard_normal(inputs.shape)


def _digit_images(rng, samples: int, noise: float):
    """The shipped digits (noise does not apply): all of them, or a subset drawn by rng."""
    return digits.images(samples, rng)


def _classifier(name: str, description: str) -> DatasetInfo:
    """The info of a 2-D binary classification set."""
    return DatasetInfo(name, description, "classification", 2, 1)


_ENTRIES = (
    (_classifier("circles", "A disc of class 1 points inside a ring of class 0 points."),
     partial(_classification, _circle_points)),
    (_classifier("gaussians", "Two round blobs of points, one per class, on either side of "
                              "the origin."),
     partial(_classification, _gaussian_points)),
    (_classifier("moons", "Two half circles that hook into each other, one per class."),
     partial(_classification, _moon_points)),
    (_classifier("spiral", "Two spiral arms wound around each other, one per class."),
     partial(_classification, _spiral_points)),
    (_classifier("xor", "Class 1 where both coordinates share a sign, class 0 where they "
                        "differ."),
     partial(_classification, _xor_points)),
    (DatasetInfo("sine", "A noisy sine wave sampled over one period.", "regression", 1, 1),
     _sine),
    (DatasetInfo("digits", "Handwritten digits 0 to 9 as 8x8 grey images (UCI, 1,797 images): "
                           "64 inputs, ten classes.", "classification",
                 digits.WIDTH * digits.HEIGHT, digits.CLASSES, default_samples=digits.IMAGES,
                 max_samples=digits.IMAGES, noisy=False, image=(digits.HEIGHT, digits.WIDTH),
                 source="E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits, "
                        "UCI Machine Learning Repository, 1998, doi:10.24432/C50P49; CC BY 4.0"),
     _digit_images),
)

DATASETS: dict[str, DatasetInfo] = {info.name: info for info, _ in _ENTRIES}
_GENERATORS: dict[str, Callable] = {info.name: generator for info, generator in _ENTRIES}


def _is_integer(value) -> bool:
    """True for Python and NumPy integers, but not for booleans."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_number(value) -> bool:
    """True for Python and NumPy integers and floats, but not for booleans."""
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _check_name(name) -> None:
    """Raise unless name is a registered dataset."""
    if not isinstance(name, str) or name not in DATASETS:
        raise DatasetError("name",
                           f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}")


def _check_samples(samples, info: DatasetInfo) -> int:
    """samples as an int (the dataset's default for None), or raise if it is not an integer in
    [MIN_SAMPLES, the dataset's max_samples]."""
    if samples is None:
        return info.default_samples
    if not _is_integer(samples) or not MIN_SAMPLES <= samples <= info.max_samples:
        rows = "" if info.max_samples == MAX_SAMPLES else f" (the {info.name} dataset's rows)"
        raise DatasetError("samples", f"samples must be an integer between {MIN_SAMPLES} and "
                                      f"{info.max_samples}{rows}, got {samples!r}")
    return int(samples)


def _check_noise(noise) -> float:
    """noise as a float, or raise if it is not a number in [0, MAX_NOISE]."""
    if not _is_number(noise) or not 0.0 <= noise <= MAX_NOISE:
        raise DatasetError("noise",
                           f"noise must be a number between 0 and {MAX_NOISE:g}, got {noise!r}")
    return float(noise)


def _check_seed(seed) -> int:
    """seed as an int, or raise if it is not a non-negative integer."""
    if not _is_integer(seed) or seed < 0:
        raise DatasetError("seed", f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _read_only(array: np.ndarray) -> np.ndarray:
    """The array, locked against writes so a shared dataset cannot be changed by accident."""
    array.setflags(write=False)
    return array


def generate(name: str, samples: int | None = None, noise: float = DEFAULT_NOISE,
             seed: int = DEFAULT_SEED) -> Dataset:
    """Draw `samples` rows (None: the dataset's default) of the named dataset with the given
    noise level (where noise applies) and seed."""
    _check_name(name)
    info = DATASETS[name]
    samples, noise, seed = _check_samples(samples, info), _check_noise(noise), _check_seed(seed)
    inputs, targets = _GENERATORS[name](np.random.default_rng(seed), samples, noise)
    return Dataset(name, _read_only(inputs), _read_only(targets))


def split(inputs, targets, test_fraction: float = 0.2, seed: int = 0):
    """Shuffle rows with the seed and cut them into (train_inputs, train_targets, test_inputs,
    test_targets); with a positive fraction and two or more rows, each part gets at least one."""
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    if len(inputs) != len(targets):
        raise DatasetError("targets", "inputs and targets must have the same number of rows, "
                           f"got {len(inputs)} and {len(targets)}")
    if not _is_number(test_fraction) or not 0.0 <= test_fraction <= MAX_TEST_FRACTION:
        raise DatasetError("test_fraction", "test_fraction must be a number between 0 and "
                                            f"{MAX_TEST_FRACTION:g}, got {test_fraction!r}")
    rows = len(inputs)
    test_rows = round(rows * test_fraction)
    if test_fraction > 0 and rows >= 2:
        test_rows = min(max(test_rows, 1), rows - 1)
    order = np.random.default_rng(_check_seed(seed)).permutation(rows)
    test, train = order[:test_rows], order[test_rows:]
    return inputs[train], targets[train], inputs[test], targets[test]
