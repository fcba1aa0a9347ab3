"""The shipped digits file: its checksum and shape, scaling, one-hot targets, seeded subsets."""

import hashlib

import numpy as np
import pytest

from engine.data import digits
from engine.data.datasets import DatasetError, generate, split


def test_the_file_is_the_one_recorded_beside_it():
    assert hashlib.sha256(digits.FILE.read_bytes()).hexdigest() == digits.SHA256
    readme = (digits.FILE.parent / "README.md").read_text()
    assert digits.SHA256 in readme and "CC BY 4.0" in readme


def test_shape_range_and_classes():
    pixels, labels = digits.load()
    assert pixels.shape == (1797, 64) and labels.shape == (1797,)
    assert pixels.min() == 0 and pixels.max() == 16
    assert sorted(set(labels.tolist())) == list(range(10))
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert not pixels.flags.writeable


def test_images_are_scaled_and_one_hot():
    inputs, targets = digits.images(None, np.random.default_rng(0))
    pixels, labels = digits.load()
    assert inputs.shape == (1797, 64) and targets.shape == (1797, 10)
    np.testing.assert_array_equal(inputs, pixels / 16)
    np.testing.assert_array_equal(targets.argmax(axis=1), labels)
    assert (targets.sum(axis=1) == 1).all()


def test_a_subset_is_seeded_and_has_no_repeats():
    first = digits.images(100, np.random.default_rng(7))
    again = digits.images(100, np.random.default_rng(7))
    other = digits.images(100, np.random.default_rng(8))
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], other[0])
    pixels, _ = digits.load()
    rows = [int(np.flatnonzero((pixels / 16 == row).all(axis=1))[0]) for row in first[0]]
    assert len(set(rows)) == 100


def test_a_changed_file_is_refused(tmp_path, monkeypatch):
    changed = tmp_path / "digits.csv.gz"
    raw = bytearray(digits.FILE.read_bytes())
    raw[-9] ^= 1  # a byte of the compressed data
    changed.write_bytes(bytes(raw))
    monkeypatch.setattr(digits, "FILE", changed)
    digits.load.cache_clear()
    try:
        with pytest.raises(digits.DigitsFileError, match="SHA-256"):
            digits.load()
    finally:
        digits.load.cache_clear()


def test_the_dataset_is_every_image_by_default_and_takes_no_noise():
    whole = generate("digits", seed=4)
    assert whole.inputs.shape == (1797, 64) and whole.targets.shape == (1797, 10)
    np.testing.assert_array_equal(generate("digits", noise=0.9, seed=5).inputs, whole.inputs)
    assert generate("digits", samples=30, seed=4).inputs.shape == (30, 64)
    with pytest.raises(DatasetError, match="between 4 and 1797"):
        generate("digits", samples=1798)


def test_the_split_is_seeded():
    data = generate("digits")
    first = split(data.inputs, data.targets, 0.2, seed=9)
    again = split(data.inputs, data.targets, 0.2, seed=9)
    other = split(data.inputs, data.targets, 0.2, seed=10)
    assert [len(part) for part in first] == [1438, 1438, 359, 359]
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[2], other[2])
    train_and_test = np.vstack([first[0], first[2]])
    assert sorted(map(bytes, train_and_test)) == sorted(map(bytes, data.inputs))
