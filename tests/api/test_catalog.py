"""GET /api/v1/catalog: the engine's registries, limits and kinds as the API serves them, and
request checks that follow the registries (an activation registered later is accepted)."""

from __future__ import annotations

import numpy as np
import pytest

from app.graph_views import graph_view
from app.workload import WORK_BUDGET
from engine import limits
from engine.autodiff.kinds import NODE_KINDS
from engine.autodiff.primitives import elementwise
from engine.learning.iteration import STAGE_KINDS, UPDATE_ORDERS
from engine.networks.activations import ACTIVATIONS, Activation, register
from engine.networks.init import SCHEMES
from engine.networks.losses import LOSSES
from engine.networks.spec import NetworkSpec


def test_the_catalog_lists_the_engines_tables(client):
    response = client.get("/api/v1/catalog")
    assert response.status_code == 200
    catalog = response.json()
    assert [a["name"] for a in catalog["activations"]] == list(ACTIVATIONS)
    assert [loss["name"] for loss in catalog["losses"]] == list(LOSSES)
    assert [s["name"] for s in catalog["init_schemes"]] == list(SCHEMES)
    assert [o["name"] for o in catalog["update_orders"]] == list(UPDATE_ORDERS)
    assert [k["kind"] for k in catalog["node_kinds"]] == list(NODE_KINDS)
    assert [s["phase"] for s in catalog["stage_kinds"]] == list(STAGE_KINDS)
    assert catalog["limits"]["max_neurons"] == limits.MAX_NEURONS
    assert catalog["limits"]["max_batch"] == limits.MAX_BATCH
    assert catalog["limits"]["train_work_budget"] == WORK_BUDGET
    relu = next(a for a in catalog["activations"] if a["name"] == "relu")
    assert relu["init"] == "he" and relu["output_only"] is False
    assert relu["formula"]["latex"] == ACTIVATIONS["relu"].formula
    assert relu["formula"]["mathml"].startswith("<math") and "max" in relu["formula"]["mathml"]
    softmax = next(a for a in catalog["activations"] if a["name"] == "softmax")
    assert softmax["output_only"] is True and softmax["fits"] == "classes"
    bce = next(loss for loss in catalog["losses"] if loss["name"] == "binary_cross_entropy")
    assert bce == {"name": "binary_cross_entropy", "label": "binary cross-entropy",
                   "on_logits": True, "output_activation": "sigmoid", "targets": "unit"}


def test_the_pages_carry_the_same_catalog(client):
    served = client.get("/api/v1/catalog").json()
    page = client.get("/playground").text
    assert '"train_work_budget"' in page and '"node_kinds"' in page
    assert served["limits"]["max_layers"] == limits.MAX_LAYERS


@pytest.fixture
def cube():
    """z^3 registered as an activation for one test (derivative 3 z^2)."""
    register(Activation("cube", "cube", elementwise("cube", lambda z: z ** 3,
                                                   lambda y, z: 3 * z * z), "z^{3}", "3 z^{2}",
                        "xavier"))
    yield
    del ACTIVATIONS["cube"]


def test_an_activation_registered_later_is_accepted_with_no_other_edit(client, cube):
    body = {"network": {"layer_sizes": [1, 1], "activations": ["cube"], "loss": "squared_error"},
            "params": {"weights": [[[2.0]]], "biases": [[0.5]]},
            "inputs": [[1.5]], "targets": [[1.0]], "learning_rate": 0.1}
    response = client.post("/api/v1/iterations", json=body)
    assert response.status_code == 200, response.text
    stages = response.json()["stages"]
    z = 2.0 * 1.5 + 0.5
    assert stages[0]["activation"] == [[z ** 3]]
    backward = stages[2]
    assert backward["delta"][0][0] == pytest.approx((z ** 3 - 1.0) * 3 * z * z, rel=1e-12)
    names = [a["name"] for a in client.get("/api/v1/catalog").json()["activations"]]
    assert "cube" in names


def test_an_unknown_activation_names_the_ones_there_are(client):
    body = {"network": {"layer_sizes": [1, 1], "activations": ["cubic"], "loss": "squared_error"}}
    response = client.post("/api/v1/networks", json=body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "network", "activations", 0]
    assert error["type"] == "literal_error"
    assert error["msg"] == "Input should be " + ", ".join(
        repr(name) for name in list(ACTIVATIONS)[:-1]) + f" or {list(ACTIVATIONS)[-1]!r}"


def test_graph_views_are_kept_per_shape_and_match_any_response(client):
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    assert graph_view(spec, "layer", 4) is graph_view(spec, "layer", 4)
    assert graph_view(spec, "layer", 4) != graph_view(spec, "layer", 5)
    rng = np.random.default_rng(0)
    bodies = [{"network": {"layer_sizes": [2, 3, 1], "activations": ["tanh", "sigmoid"],
                           "loss": "binary_cross_entropy"}, "seed": seed,
               "inputs": rng.normal(size=(4, 2)).tolist(), "targets": [[1.0], [0.0]] * 2}
              for seed in (1, 2)]
    graphs = [client.post("/api/v1/iterations", json=b).json()["graph"] for b in bodies]
    assert graphs[0] == graphs[1] == graph_view(spec, "layer", 4)
