"""The principal-component projection against an independent eigen-decomposition of the
covariance matrix."""

from __future__ import annotations

import numpy as np
import pytest

from engine.data.datasets import DatasetError, generate
from engine.data.projection import principal_components


def test_the_projection_matches_the_covariances_eigenvectors():
    x = np.array(generate("digits", samples=300, seed=1).inputs)
    projection = principal_components(x)
    values, vectors = np.linalg.eigh(np.cov(x, rowvar=False, bias=True))
    order = np.argsort(values)[::-1][:2]
    for axis, expected in zip(projection.components, vectors[:, order].T, strict=True):
        assert abs(abs(axis @ expected) - 1) < 1e-9
    np.testing.assert_allclose(projection.explained, values[order] / values.sum(), rtol=1e-9)
    np.testing.assert_allclose(projection.points, (x - x.mean(axis=0)) @ projection.components.T,
                               atol=1e-12)
    np.testing.assert_allclose(projection.points.var(axis=0), values[order], rtol=1e-9)


def test_signs_are_fixed_and_a_plane_of_data_is_kept_whole():
    rng = np.random.default_rng(3)
    plane = rng.normal(size=(50, 2)) @ np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    first, again = principal_components(plane), principal_components(-plane[::-1][::-1])
    assert all(axis[np.abs(axis).argmax()] > 0 for axis in first.components)
    np.testing.assert_allclose(first.components, again.components, atol=1e-12)
    assert first.explained.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("inputs", [[[1.0, 2.0]], [[1.0], [2.0], [3.0]]])
def test_too_little_data_is_refused(inputs):
    with pytest.raises(DatasetError, match="at least 2 rows of at least 2 features"):
        principal_components(inputs)


def test_huge_values_project_with_finite_shares_and_the_scale_free_directions():
    """A schemathesis case: values near 1e258 squared overflowed and the shares came back NaN."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(20, 4)) * np.array([3.0, 1.0, 0.5, 0.1])
    small, huge = principal_components(x), principal_components(x * 1e258)
    assert np.isfinite(huge.explained).all()
    np.testing.assert_allclose(huge.explained, small.explained, rtol=1e-9)
    np.testing.assert_allclose(huge.components, small.components, atol=1e-9)
    np.testing.assert_allclose(huge.points / 1e258, small.points, rtol=1e-9, atol=1e-12)


def test_values_whose_coordinates_overflow_are_refused():
    with pytest.raises(DatasetError, match="too large to project"):
        principal_components([[1.7e308, -1.7e308, 1.7e308], [-1.7e308, 1.7e308, -1.7e308],
                              [1.7e308, 1.7e308, 1.7e308]])
