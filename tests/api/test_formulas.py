"""GET /api/v1/formulas: MathML rendered on the server, with a slot element per number."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def test_every_formula_is_wellformed_mathml_with_its_slots(client):
    response = client.get("/api/v1/formulas")
    assert response.status_code == 200
    formulas = response.json()
    assert {"delta_hidden", "chain_rule", "update", "node_event"} <= set(formulas)
    for name, formula in formulas.items():
        root = ET.fromstring(formula["mathml"])
        assert root.tag == f"{MATHML}math", name
        slots = {el.get("data-slot") for el in root.iter(f"{MATHML}mn") if el.get("data-slot")}
        assert slots == set(formula["slots"]), name
        assert not re.search(r"9000\d\d", formula["mathml"]), f"{name}: a marker was left"


def test_delta_hidden_names_the_recursion(client):
    formula = client.get("/api/v1/formulas").json()["delta_hidden"]
    assert formula["slots"] == ["l", "j", "next", "fprime", "sum", "delta"]
    assert "&#x003B4;" in formula["mathml"]  # delta
    assert "&#x02211;" in formula["mathml"]  # the sum over the next layer
