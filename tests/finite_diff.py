"""Central finite differences in float64: the independent reference every gradient test uses."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

STEP = 1e-6
TOLERANCE = 1e-6


def central_difference(f: Callable[[np.ndarray], float], x: np.ndarray,
                       step: float = STEP) -> np.ndarray:
    """dF/dx by (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i; f must not keep x."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + step
        up = float(f(x.copy()))
        x[index] = original - step
        down = float(f(x.copy()))
        x[index] = original
        grad[index] = (up - down) / (2.0 * step)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = 1e-3) -> float:
    """max |a - n| / max(|a|, |n|, floor): relative for large gradients, absolute near 0.

    The floor keeps round-off in the difference quotient (about 1e-16 C / step = 1e-10)
    from counting as an error on gradient entries close to zero.
    """
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return float(np.max(np.abs(analytic - numeric) / scale)) if analytic.size else 0.0


def assert_gradient_close(analytic, numeric, tolerance: float = TOLERANCE) -> None:
    error = relative_error(analytic, numeric)
    assert error < tolerance, (
        f"relative error {error:.3e} >= {tolerance:.0e}\n{analytic}\n{numeric}")
