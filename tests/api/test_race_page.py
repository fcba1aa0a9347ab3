"""GET /race: the optimiser race's page, with the catalog and the presets it reads, linked from
the home page."""

from __future__ import annotations

import json
import re

from app.presets import PRESETS


def test_the_race_page_carries_the_catalog_and_the_presets(client):
    response = client.get("/race")
    assert response.status_code == 200
    page = response.text
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>',
                                page, re.S).group(1))
    assert data["presets"] == json.loads(json.dumps(PRESETS))
    assert data["catalog"]["limits"]["max_surface_resolution"] > 0
    assert 'src="/static/js/pages/race.js"' in page and 'src="/vendor/plotly.min.js"' in page


def test_the_home_page_links_the_race(client):
    assert 'href="/race"' in client.get("/").text
