"""GET /api/v1/datasets and POST /api/v1/datasets/{name}: listing, shapes, determinism, limits."""

from __future__ import annotations

import numpy as np
import pytest

from engine.data.datasets import DATASETS, MAX_NOISE, MAX_SAMPLES, MIN_SAMPLES, generate

URL = "/api/v1/datasets"


def test_list_names_every_dataset_with_its_sizes_and_limits(client):
    response = client.get(URL)
    assert response.status_code == 200
    listed = response.json()
    assert [d["name"] for d in listed] == sorted(DATASETS)
    for entry in listed:
        info = DATASETS[entry["name"]]
        assert entry["description"] == info.description
        assert entry["kind"] == info.kind
        assert (entry["input_dim"], entry["output_dim"]) == (info.input_dim, info.output_dim)
        if entry["name"] == "digits":
            continue
        assert entry["parameters"] == {
            "samples": {"default": 200, "min": MIN_SAMPLES, "max": MAX_SAMPLES},
            "noise": {"default": 0.1, "min": 0.0, "max": MAX_NOISE},
            "seed": {"default": 0, "min": 0, "max": 2**32 - 1},
        }
        assert entry["image"] is None and entry["source"] is None
    assert {d["name"]: d["input_dim"] for d in listed}["sine"] == 1


def test_digits_are_listed_as_64_inputs_and_10_classes_of_real_images(client):
    digits = next(d for d in client.get(URL).json() if d["name"] == "digits")
    assert (digits["input_dim"], digits["output_dim"], digits["kind"]) == (64, 10, "classification")
    assert digits["image"] == [8, 8]
    assert digits["parameters"]["samples"] == {"default": 1797, "min": MIN_SAMPLES, "max": 1797}
    assert digits["parameters"]["noise"] is None
    assert "CC BY 4.0" in digits["source"] and "10.24432/C50P49" in digits["source"]


def test_digits_come_whole_by_default_a_seeded_subset_when_asked_and_never_noisy(client):
    whole = client.post(f"{URL}/digits", json={"seed": 3}).json()
    assert len(whole["inputs"]) == 1797 and whole["image"] == [8, 8]
    some = client.post(f"{URL}/digits", json={"samples": 50, "noise": 0.5, "seed": 3}).json()
    again = client.post(f"{URL}/digits", json={"samples": 50, "noise": 0.0, "seed": 3}).json()
    assert some == again and len(some["inputs"]) == 50
    assert all(16 * v == round(16 * v) for row in some["inputs"] for v in row)


def test_more_digits_than_there_are_is_a_422_naming_the_rows(client):
    response = client.post(f"{URL}/digits", json={"samples": 1798})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "samples" and "1797" in error["msg"]


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_generate_has_the_listed_shapes_and_equals_the_engine(client, name):
    response = client.post(f"{URL}/{name}", json={"samples": 37, "noise": 0.2, "seed": 5})
    assert response.status_code == 200
    body = response.json()
    info = DATASETS[name]
    inputs, targets = np.array(body["inputs"]), np.array(body["targets"])
    assert body["name"] == name
    assert inputs.shape == (37, info.input_dim) and targets.shape == (37, info.output_dim)
    expected = generate(name, samples=37, noise=0.2, seed=5)
    np.testing.assert_array_equal(inputs, expected.inputs)
    np.testing.assert_array_equal(targets, expected.targets)


def test_defaults_are_200_rows_noise_0_1_seed_0(client):
    body = client.post(f"{URL}/circles", json={}).json()
    expected = generate("circles", samples=200, noise=0.1, seed=0)
    np.testing.assert_array_equal(np.array(body["inputs"]), expected.inputs)


def test_same_seed_same_rows_other_seed_other_rows(client):
    first = client.post(f"{URL}/spiral", json={"samples": 50, "seed": 11}).json()
    again = client.post(f"{URL}/spiral", json={"samples": 50, "seed": 11}).json()
    other = client.post(f"{URL}/spiral", json={"samples": 50, "seed": 12}).json()
    assert first == again
    assert first["inputs"] != other["inputs"]


def test_no_noise_xor_points_lie_in_their_quadrants(client):
    body = client.post(f"{URL}/xor", json={"samples": 40, "noise": 0.0, "seed": 3}).json()
    for (x, y), (label,) in zip(body["inputs"], body["targets"], strict=True):
        assert label == (1.0 if x * y > 0 else 0.0)


@pytest.mark.parametrize(("field", "value", "limit"), [
    ("samples", MIN_SAMPLES - 1, str(MIN_SAMPLES)),
    ("samples", MAX_SAMPLES + 1, str(MAX_SAMPLES)),
    ("noise", -0.01, "0"),
    ("noise", MAX_NOISE + 0.5, f"{MAX_NOISE:g}"),
    ("seed", -1, "0"),
])
def test_out_of_range_parameters_are_422_naming_field_and_limit(client, field, value, limit):
    response = client.post(f"{URL}/moons", json={field: value})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert limit in error["msg"]


@pytest.mark.parametrize("body", [{"samples": "many"}, {"noise": "NaN"}, {"extra": 1}])
def test_malformed_bodies_are_422(client, body):
    assert client.post(f"{URL}/moons", json=body).status_code == 422


def test_unknown_name_is_404_listing_the_known_names(client):
    response = client.post(f"{URL}/swiss_roll", json={})
    assert response.status_code == 404
    (error,) = response.json()["detail"]
    assert error["loc"] == ["path", "name"]
    assert "swiss_roll" in error["msg"]
    for name in DATASETS:
        assert name in error["msg"]


def test_openapi_shows_the_bounds(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["DatasetRequest"]
    samples, noise = schema["properties"]["samples"], schema["properties"]["noise"]
    samples = next(option for option in samples["anyOf"] if option.get("type") == "integer")
    assert (samples["minimum"], samples["maximum"]) == (MIN_SAMPLES, MAX_SAMPLES)
    assert (noise["minimum"], noise["maximum"]) == (0.0, MAX_NOISE)
