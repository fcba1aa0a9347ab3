"""POST /api/v1/projections: many-feature rows on their first two principal components."""

from __future__ import annotations

import numpy as np

from engine.data.projection import principal_components

URL = "/api/v1/projections"


def test_the_digits_projected_as_the_engine_projects_them(client):
    digits = client.post("/api/v1/datasets/digits", json={"samples": 500, "seed": 0}).json()
    inputs = digits["inputs"]
    response = client.post(URL, json={"inputs": inputs})
    assert response.status_code == 200
    body = response.json()
    expected = principal_components(inputs)
    np.testing.assert_allclose(body["points"], expected.points, rtol=1e-12, atol=1e-12)
    assert np.shape(body["points"]) == (500, 2) and np.shape(body["components"]) == (2, 64)
    assert 0 < body["explained"][1] <= body["explained"][0] < 1


def test_bad_rows_are_a_422_naming_inputs(client):
    for inputs, phrase in (([[1.0, 2.0, 3.0], [1.0, 2.0]], "same number of features"),
                           ([[1.0], [2.0]], "at least 2 features"),
                           ([[0.0] * 65, [1.0] * 65], "at most 64")):
        response = client.post(URL, json={"inputs": inputs})
        assert response.status_code == 422, inputs
        [error] = response.json()["detail"][:1]
        assert error["loc"][:2] == ["body", "inputs"] and phrase in error["msg"], error
