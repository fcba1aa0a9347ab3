"""Tests for the seeded toy datasets: shapes, balance, determinism, geometry, limits and split."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.data.datasets import (
    DATASETS,
    MAX_NOISE,
    MAX_SAMPLES,
    MIN_SAMPLES,
    Dataset,
    DatasetError,
    generate,
    split,
)

# The generated toys; the shipped digits are real data (tests/engine/test_digits.py).
GENERATED = sorted(name for name, info in DATASETS.items() if info.noisy)
CLASSIFIERS = sorted(name for name in GENERATED if DATASETS[name].kind == "classification")


def rows(inputs: np.ndarray, targets: np.ndarray) -> list[tuple[float, ...]]:
    """Each input row joined to its target row, sorted: the rows as a multiset."""
    return sorted(map(tuple, np.hstack([inputs, targets]).tolist()))


def test_registry_lists_the_six_toys_and_the_digits():
    assert GENERATED == ["circles", "gaussians", "moons", "sine", "spiral", "xor"]
    assert sorted(DATASETS) == sorted([*GENERATED, "digits"])
    for name, info in DATASETS.items():
        assert info.name == name
        assert info.kind in ("classification", "regression")
        assert info.description.endswith(".") and info.description.count(".") == 1
    assert DATASETS["sine"].kind == "regression"
    assert (DATASETS["sine"].input_dim, DATASETS["xor"].input_dim) == (1, 2)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_shapes_and_dtype_follow_the_registry(name):
    data = generate(name, samples=37, noise=0.2, seed=5)
    info = DATASETS[name]
    assert isinstance(data, Dataset) and data.name == name
    assert data.inputs.shape == (37, info.input_dim)
    assert data.targets.shape == (37, info.output_dim)
    assert data.inputs.dtype == np.float64 and data.targets.dtype == np.float64
    assert np.isfinite(data.inputs).all() and np.isfinite(data.targets).all()


@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("samples", [4, 5, 200, 201])
def test_classes_are_zero_one_and_balanced(name, samples):
    targets = generate(name, samples=samples, seed=1).targets
    assert set(np.unique(targets)) <= {0.0, 1.0}
    ones = int(targets.sum())
    assert abs(ones - (samples - ones)) <= 1


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classes_are_shuffled(name):
    targets = generate(name, samples=100, seed=2).targets[:, 0]
    assert 0.0 in targets[:50] and 1.0 in targets[:50]


@pytest.mark.parametrize("name", sorted(set(CLASSIFIERS) - {"gaussians"}))
def test_noiseless_inputs_stay_within_the_small_box(name):
    assert np.abs(generate(name, samples=500, noise=0.0).inputs).max() <= 1.5


@pytest.mark.parametrize("name", GENERATED)
def test_same_seed_is_bit_identical_and_other_seeds_differ(name):
    first, again = generate(name, seed=11), generate(name, seed=11)
    assert first.inputs.tobytes() == again.inputs.tobytes()
    assert first.targets.tobytes() == again.targets.tobytes()
    other = generate(name, seed=12)
    assert not np.array_equal(first.inputs, other.inputs)


@pytest.mark.parametrize("name", GENERATED)
def test_noise_moves_the_points(name):
    clean, noisy = generate(name, noise=0.0), generate(name, noise=0.3)
    assert not np.array_equal(clean.inputs, noisy.inputs) or \
        not np.array_equal(clean.targets, noisy.targets)


def test_generated_arrays_are_read_only():
    data = generate("xor")
    with pytest.raises(ValueError):
        data.inputs[0, 0] = 9.0


def test_xor_labels_follow_the_sign_rule_without_noise():
    data = generate("xor", samples=400, noise=0.0, seed=3)
    x, y = data.inputs[:, 0], data.inputs[:, 1]
    assert (x * y != 0).all()
    np.testing.assert_array_equal(data.targets[:, 0], (x * y > 0).astype(float))


def test_circles_inner_class_lies_inside_the_outer_class_without_noise():
    data = generate("circles", samples=400, noise=0.0, seed=4)
    radius = np.hypot(data.inputs[:, 0], data.inputs[:, 1])
    inner, outer = radius[data.targets[:, 0] == 1.0], radius[data.targets[:, 0] == 0.0]
    assert inner.max() < outer.min()


def test_gaussian_blobs_sit_on_either_side_of_the_origin():
    data = generate("gaussians", samples=400, noise=0.0, seed=5)
    labels = data.targets[:, 0]
    assert (data.inputs[labels == 1.0].mean(axis=0) > 0.3).all()
    assert (data.inputs[labels == 0.0].mean(axis=0) < -0.3).all()


def test_spiral_arms_mirror_each_other_through_the_origin_without_noise():
    data = generate("spiral", samples=400, noise=0.0, seed=6)
    radius = np.hypot(data.inputs[:, 0], data.inputs[:, 1])
    assert radius.min() >= 0.2 - 1e-12 and radius.max() <= 1.4 + 1e-12
    angle = np.arctan2(data.inputs[:, 1], data.inputs[:, 0])
    turn = 3 * np.pi * (radius - 0.2) / 1.2 + np.pi * data.targets[:, 0]
    np.testing.assert_allclose(np.cos(angle - turn), 1.0, atol=1e-9)


def test_moons_lie_on_two_unit_half_circles_without_noise():
    data = generate("moons", samples=400, noise=0.0, seed=7)
    unscaled = data.inputs / 0.8 + [0.5, 0.25]
    labels = data.targets[:, 0]
    upper, lower = unscaled[labels == 0.0], [1.0, 0.5] - unscaled[labels == 1.0]
    for arc in (upper, lower):
        np.testing.assert_allclose(np.hypot(arc[:, 0], arc[:, 1]), 1.0)
        assert (arc[:, 1] >= -1e-12).all()


def test_sine_target_is_exactly_sin_without_noise():
    data = generate("sine", samples=300, noise=0.0, seed=8)
    assert np.abs(data.inputs).max() <= math.pi
    np.testing.assert_array_equal(data.targets, np.sin(data.inputs))


def test_sine_noise_has_the_requested_spread():
    data = generate("sine", samples=MAX_SAMPLES, noise=0.5, seed=9)
    assert np.std(data.targets - np.sin(data.inputs)) == pytest.approx(0.5, rel=0.1)


def test_limits_are_accepted():
    assert generate("xor", samples=MIN_SAMPLES).inputs.shape == (MIN_SAMPLES, 2)
    assert generate("moons", samples=MAX_SAMPLES, noise=MAX_NOISE).inputs.shape == (MAX_SAMPLES, 2)
    assert generate("sine", samples=np.int64(10), noise=np.float64(0.0)).inputs.shape == (10, 1)


def test_unknown_name_lists_the_known_ones():
    message = "unknown dataset 'foo'; known: circles, digits, gaussians, moons, sine, spiral, xor"
    with pytest.raises(DatasetError) as caught:
        generate("foo")
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("samples", [MIN_SAMPLES - 1, 0, -5, MAX_SAMPLES + 1, 5000, 10.0, True])
def test_bad_sample_counts_are_refused_with_the_limits(samples):
    with pytest.raises(DatasetError, match=rf"samples must be .*between 4 and 2000, got {samples}"):
        generate("xor", samples=samples)


@pytest.mark.parametrize("noise", [-0.1, MAX_NOISE + 0.5, float("nan"), float("inf"), "0.1", None])
def test_bad_noise_is_refused_with_the_limits(noise):
    with pytest.raises(DatasetError, match=r"noise must be .*between 0 and 1, got"):
        generate("circles", noise=noise)


@pytest.mark.parametrize("seed", [-1, 1.5, None])
def test_bad_seed_is_refused(seed):
    with pytest.raises(DatasetError, match="seed must be a non-negative integer"):
        generate("spiral", seed=seed)


def test_split_sizes_and_rows():
    data = generate("circles", samples=200, seed=1)
    train_x, train_y, test_x, test_y = split(data.inputs, data.targets)
    assert (len(train_x), len(train_y), len(test_x), len(test_y)) == (160, 160, 40, 40)
    assert train_x.shape[1] == 2 and test_y.shape[1] == 1
    assert rows(np.vstack([train_x, test_x]), np.vstack([train_y, test_y])) == \
        rows(data.inputs, data.targets)


def test_split_parts_are_disjoint():
    inputs = np.arange(50.0).reshape(25, 2)
    targets = np.arange(25.0)[:, None]
    train_x, train_y, test_x, test_y = split(inputs, targets, test_fraction=0.3, seed=4)
    assert set(train_y[:, 0]).isdisjoint(test_y[:, 0])
    np.testing.assert_array_equal(train_x[:, 0], 2 * train_y[:, 0])
    np.testing.assert_array_equal(test_x[:, 0], 2 * test_y[:, 0])
    assert len(test_y) == 8


def test_split_is_seeded():
    data = generate("sine", samples=40)
    first = split(data.inputs, data.targets, seed=3)
    again = split(data.inputs, data.targets, seed=3)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(first, again, strict=True))
    other = split(data.inputs, data.targets, seed=4)
    assert not np.array_equal(first[2], other[2])


@pytest.mark.parametrize(("samples", "fraction", "test_rows"), [
    (10, 0.01, 1), (4, 0.9, 3), (2, 0.5, 1), (10, 0.0, 0), (1, 0.5, 0), (0, 0.2, 0),
])
def test_split_keeps_a_row_in_each_part_when_it_can(samples, fraction, test_rows):
    inputs, targets = np.zeros((samples, 2)), np.zeros((samples, 1))
    train_x, train_y, test_x, test_y = split(inputs, targets, test_fraction=fraction)
    assert (len(test_x), len(test_y)) == (test_rows, test_rows)
    assert (len(train_x), len(train_y)) == (samples - test_rows, samples - test_rows)


@pytest.mark.parametrize("fraction", [-0.1, 0.95, 1.0, float("nan"), "0.2"])
def test_split_refuses_a_bad_fraction(fraction):
    with pytest.raises(DatasetError, match=r"test_fraction must be .*between 0 and 0.9, got"):
        split(np.zeros((10, 2)), np.zeros((10, 1)), test_fraction=fraction)


def test_split_refuses_mismatched_rows():
    with pytest.raises(DatasetError, match="same number of rows, got 10 and 9"):
        split(np.zeros((10, 2)), np.zeros((9, 1)))
