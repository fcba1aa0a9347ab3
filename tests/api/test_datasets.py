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
        assert entry["parameters"] == {
            "samples": {"default": 200, "min": MIN_SAMPLES, "max": MAX_SAMPLES},
            "noise": {"default": 0.1, "min": 0.0, "max": MAX_NOISE},
            "seed": {"default": 0, "min": 0, "max": 2**32 - 1},
        }
    assert {d["name"]: d["input_dim"] for d in listed}["sine"] == 1


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
    assert (samples["minimum"], samples["maximum"]) == (MIN_SAMPLES, MAX_SAMPLES)
    assert (noise["minimum"], noise["maximum"]) == (0.0, MAX_NOISE)
