"""A 2-D view of data with more than two features: its projection on the first two principal
components (the directions of largest variance), for plotting.

The inputs are centred and factored by a singular value decomposition; each component's sign is
fixed so that its largest entry is positive, so the same data always give the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.data.datasets import DatasetError

COMPONENTS = 2


@dataclass(frozen=True)
class Projection:
    """points (N, 2): each row's coordinates on the components; components (2, n): the unit
    directions in feature space; explained (2,): the share of the total variance each keeps."""

    points: np.ndarray
    components: np.ndarray
    explained: np.ndarray
    mean: np.ndarray


def principal_components(inputs) -> Projection:
    """The projection of the rows of `inputs` (N, n) with n >= 2 on their first two principal
    components; components beyond the data's rank have zero variance and zero coordinates."""
    x = np.asarray(inputs, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < COMPONENTS or x.shape[0] < 2:
        raise DatasetError("inputs", "a projection needs at least 2 rows of at least "
                                     f"{COMPONENTS} features, got shape {x.shape}")
    # Worked on x / its largest magnitude, so squares and sums of values as large as 1e300 stay
    # finite; the directions and shares are the same for the scaled data.
    scale = float(np.abs(x).max()) or 1.0
    mean = (x / scale).mean(axis=0)
    centred = x / scale - mean
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:COMPONENTS] * _signs(axes[:COMPONENTS])
    variance = singular**2
    total = variance.sum()
    explained = variance[:COMPONENTS] / total if total > 0 else np.zeros(COMPONENTS)
    with np.errstate(over="ignore"):
        points = (centred @ axes.T) * scale
    if not np.isfinite(points).all():
        raise DatasetError("inputs", "the values are too large to project: their coordinates "
                                     "exceed the largest float")
    return Projection(points, axes, explained, mean * scale)


def _signs(axes: np.ndarray) -> np.ndarray:
    """+1 or -1 per row, making each row's entry of largest magnitude positive."""
    largest = axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)]
    return np.where(largest < 0, -1.0, 1.0)[:, None]
