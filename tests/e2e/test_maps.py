"""Neuron maps and the canvas view in a real Chromium: a 2-D network shows a map per hidden
neuron from the engine's answer, a click on a data point (on the plot or on a map) steps through
that sample in the diagram and the inspector, the maps follow training, and the canvas view
picks, walks and exports as the SVG view does."""

from __future__ import annotations

import pytest

from tests.e2e.playground_page import Playground, format_number, until, watch

pytestmark = pytest.mark.e2e

SIZES = [2, 4, 1]
LARGEST = "#net=2-32-32-32-32-32-1&act=tanh,tanh,tanh,tanh,tanh,sigmoid&batch=32"
MAPS = "image.neuron-map[href^='data:image/png']"


def is_maps(response) -> bool:
    request = response.request
    return request.method == "POST" and request.url.endswith("/api/v1/maps")


def open_with_maps(pg: Playground, hash_: str = "") -> dict:
    """Open the playground and return the maps answer it draws."""
    with pg.page.expect_response(is_maps) as response:
        pg.open(hash_)
    until(pg.page, lambda: pg.page.locator("[data-maps-drawn]").count() > 0, True)
    return response.value


def shown_maps(page) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        MAPS, "els => els.map((e) => [e.dataset.map, e.dataset.quantity])"))


def extent(axis: list[float]) -> tuple[float, float]:
    """A map's box along one axis: half a cell beyond its first and last points."""
    cell = (axis[-1] - axis[0]) / (len(axis) - 1)
    return axis[0] - cell / 2, axis[-1] + cell / 2


def on_map(maps: dict, point: list[float]) -> tuple[float, float]:
    """Where a data point is drawn on a map: fractions across from the left, down from the top."""
    (x0, x1), (y0, y1) = extent(maps["x"]), extent(maps["y"])
    return (point[0] - x0) / (x1 - x0), (y1 - point[1]) / (y1 - y0)


def loneliest(points: list[list[float]], among: range) -> int:
    """The point of `among` farthest from every other point: the one a click picks for sure."""
    def room(i):
        return min((points[i][0] - p[0]) ** 2 + (points[i][1] - p[1]) ** 2
                   for j, p in enumerate(points) if j != i)
    return max(among, key=room)


def test_a_2d_network_shows_one_map_per_hidden_neuron_from_the_engine(pg, api, artifacts):
    page = pg.page
    response = open_with_maps(pg)
    body, maps = response.request.post_data_json, response.json()
    trace = pg.last_trace
    assert body["params"] == trace["params_before"]
    assert body["size"] == 40 and body["quantities"] == ["activation", "delta"]
    assert len(body["inputs"]) == 100, "the maps cover all the data, not the batch"
    assert maps == api.post("/api/v1/maps", body)
    # Forward through layer 1: a map of a per hidden neuron; the output is not computed yet.
    until(page, lambda: shown_maps(page), {f"1-{j}": "activation" for j in range(4)})
    assert page.locator("image.neuron-map").count() == 5
    # At the update every layer has been through the backward pass: each map shows its δ.
    page.get_by_role("button", name="Next step").click()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    until(page, lambda: shown_maps(page), {**{f"1-{j}": "delta" for j in range(4)}, "2-0": "delta"},
          timeout=10)
    with page.expect_response(is_maps) as response:
        page.get_by_test_id("map-mode").select_option("activation")
    assert response.value.request.post_data_json["quantities"] == ["activation"]
    until(page, lambda: set(shown_maps(page).values()), {"activation"})
    # The selected neuron's map, large in the inspector: the pointer reads the engine's value.
    page.locator("[data-neuron='1-2']").click()
    figure = page.get_by_test_id("inspector-map")
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25 + 0.5, box["y"] + box["height"] * 0.75 + 0.5)
    n = maps["size"]
    column, row = int(0.25 * n), n - 1 - int(0.75 * n)
    value = maps["layers"][0]["activation"][2][row * n + column]
    reading = page.locator(".map-reading")
    until(page, lambda: format_number(value) in reading.inner_text(), True)
    where = f"{format_number(maps['x'][column], 3)}, {format_number(maps['y'][row], 3)}"
    assert where in reading.inner_text()
    page.screenshot(path=str(artifacts / "playground-maps-inspector.png"))
    assert page.problems == []


def click_plot_point(page, index: int) -> None:
    """Click data point `index` on the data plot, where Plotly drew it."""
    page.get_by_test_id("data-plot").scroll_into_view_if_needed()
    x, y = page.evaluate("""(index) => {
        const plot = document.querySelector('[data-testid="data-plot"]');
        const scatters = plot.data.filter((t) => t.type === 'scatter');
        const layers = plot.querySelectorAll('.scatterlayer .trace');
        for (let t = 0; t < scatters.length; t += 1) {
            const at = (scatters[t].customdata || []).indexOf(index);
            if (at < 0 || !scatters[t].name.startsWith('class')) continue;
            const box = layers[t].querySelectorAll('.point')[at].getBoundingClientRect();
            return [box.x + box.width / 2, box.y + box.height / 2];
        }
    }""", index)
    page.mouse.click(x, y)


def test_clicking_a_data_point_shows_it_in_the_diagram_and_the_inspector(pg, api, artifacts):
    page = pg.page
    response = open_with_maps(pg, "#stage=1")
    maps = response.json()
    data = api.dataset("xor", 100, 0.1, 0)
    page.locator("[data-neuron='1-0']").click()
    page.locator("[data-testid='data-plot'] .scatterlayer .point").first.wait_for()
    # A point outside the first batch: the batch of 8 that holds it is stepped, at its sample.
    index = loneliest(data["inputs"], range(8, 100))
    start, sample = min(index // 8 * 8, 92), index - min(index // 8 * 8, 92)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/iterations")) as stepped:
        click_plot_point(page, index)
    body, trace = stepped.value.request.post_data_json, stepped.value.json()
    assert body["inputs"] == data["inputs"][start:start + 8]
    page.wait_for_url(lambda url: f"from={start}" in url and f"sample={sample}" in url)
    x = data["inputs"][index]
    until(page, lambda: page.locator("[data-diagram='sample']").input_value(), str(sample))
    assert page.get_by_test_id("inspector-sample").input_value() == str(sample)
    assert f"point {index + 1} of 100" in page.locator(".sample-info").inner_text()
    # The diagram and the inspector show that sample's numbers from the new trace.
    until(page, lambda: pg.neuron_texts()["0-0"], format_number(x[0], 3))
    activation = trace["stages"][0]["activation"][sample][0]
    until(page, lambda: pg.neuron_texts()["1-0"], format_number(activation, 3))
    facts = page.locator(".inspector-details .facts")
    until(page, lambda: format_number(activation) in facts.inner_text(), True)
    # The maps ring it: on each map, where its input lies.
    ring = page.locator("[data-neuron='1-0'] .map-ring")
    image = page.locator("[data-neuron='1-0'] image.neuron-map").bounding_box()
    fx, fy = on_map(maps, x)
    centre = ring.bounding_box()
    assert abs(centre["x"] + centre["width"] / 2 - (image["x"] + fx * image["width"])) < 2
    assert abs(centre["y"] + centre["height"] / 2 - (image["y"] + fy * image["height"])) < 2
    # A click on a data point drawn on a map picks it too: one in the batch keeps the batch.
    inside = loneliest(data["inputs"], range(start, start + 8))
    fx, fy = on_map(maps, data["inputs"][inside])
    page.mouse.click(image["x"] + fx * image["width"], image["y"] + fy * image["height"])
    until(page, lambda: page.locator("[data-diagram='sample']").input_value(), str(inside - start))
    assert f"from={start}" in page.url
    page.screenshot(path=str(artifacts / "playground-maps-chosen-point.png"))
    assert page.problems == []


def test_the_maps_follow_training_as_it_runs(pg):
    page = pg.page
    open_with_maps(pg)
    drawn = lambda: int(page.locator("svg.neuron-diagram").get_attribute("data-maps-drawn"))  # noqa: E731
    before = drawn()
    trained, mapped = [], []
    page.on("response", lambda r: trained.append(r.json()["params_after"])
            if r.url.endswith("/api/v1/train") else None)
    page.on("request", lambda r: mapped.append(r.post_data_json["params"])
            if r.url.endswith("/api/v1/maps") else None)
    page.get_by_test_id("train-play").click()
    until(page, lambda: drawn() >= before + 3, True, timeout=20)
    page.get_by_test_id("train-pause").click()
    assert any(params in trained for params in mapped), "the maps were asked for training's weights"
    assert page.problems == []


def weight_point(page, weight: str) -> tuple[float, float]:
    """The point on screen along a weight's edge in the SVG view farthest from every other edge
    (4 px at least): where edges cross, the two renderings may each take the other edge (their
    layouts can differ by a pixel), and neither would be wrong."""
    return tuple(page.locator(f"[data-weight='{weight}']").evaluate("""(line) => {
        const ends = (l) => {
            const m = l.getScreenCTM();
            const at = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
            const get = (name) => +l.getAttribute(name);
            return [at(get('x1'), get('y1')), at(get('x2'), get('y2'))];
        };
        const distance = ([x, y], [[x1, y1], [x2, y2]]) => {
            const [dx, dy] = [x2 - x1, y2 - y1];
            const along = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy);
            const t = Math.max(0, Math.min(1, along));
            return Math.hypot(x - x1 - t * dx, y - y1 - t * dy);
        };
        const [[x1, y1], [x2, y2]] = ends(line);
        const others = [...document.querySelectorAll('[data-weight]')]
            .filter((o) => o !== line).map(ends);
        let best = null;
        for (let t = 0.1; t <= 0.9; t += 0.02) {
            const p = [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
            const clear = Math.min(...others.map((o) => distance(p, o)));
            if (!best || clear > best.clear) best = { p, clear };
        }
        if (best.clear < 4) throw new Error('no point of the edge is clear of the others');
        return best.p;
    }"""))


def selected(page) -> str:
    """The inspector's heading, its symbol's parts spaced out: "Weight w 2 46" for w²₄₆."""
    return " ".join(page.locator(".inspector-heading").inner_text().split())


def test_the_canvas_view_picks_and_walks_as_the_svg_view_does(browser, live_server):
    hash_ = "#net=2-8-8-1&act=tanh,tanh,sigmoid&stage=4"
    seen = {}
    for view in ("neurons", "canvas"):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = watch(context.new_page())
        try:
            Playground(page, live_server).open(f"{hash_}&view={view}")
            drawn = "svg.neuron-diagram" if view == "neurons" else ".canvas-diagram canvas"
            page.locator(drawn).first.wait_for()
            page.locator("[data-maps-drawn]").wait_for()
            if view == "neurons":
                points = [weight_point(page, w) for w in ("2-3-5", "1-6-1", "3-0-7")]
            for point in points:
                page.mouse.move(*point)
                page.mouse.click(*point)
                page.wait_for_timeout(100)
                seen.setdefault(view, []).append((selected(page),
                                                   page.locator(".diagram-tooltip").inner_text()))
            # The keys: from input x1, Shift+→ to its first weight, ↓ to the next, Enter.
            page.locator("[data-neuron='0-0']").focus()
            for key in ("Shift+ArrowRight", "Shift+ArrowDown", "Shift+ArrowDown", "Enter"):
                page.keyboard.press(key)
            seen[view].append((selected(page), ""))
            assert page.locator(".canvas-diagram").count() == (view == "canvas")
            assert page.problems == []
        finally:
            context.close()
    assert [s for s, _ in seen["neurons"]] == [s for s, _ in seen["canvas"]]
    assert [s for s, _ in seen["neurons"]] == ["Weight w 2 46", "Weight w 1 72", "Weight w 3 18",
                                               "Weight w 1 21"]
    tooltips = [[tip for _, tip in seen[view][:3]] for view in ("neurons", "canvas")]
    assert tooltips[0] == tooltips[1] and all(tip.startswith("weight w") for tip in tooltips[0])


def test_the_largest_network_is_drawn_on_a_canvas_that_animates_and_exports_a_png(
        browser, live_server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = watch(context.new_page())
    try:
        pg = Playground(page, live_server).open(f"{LARGEST}&stage=9")
        root = page.locator(".canvas-diagram")
        root.wait_for()
        assert page.locator("svg.neuron-diagram").count() == 0
        assert page.locator("button[data-view='neurons']").get_attribute("aria-pressed") == "true"
        until(page, lambda: root.get_attribute("data-maps-drawn") is not None, True, timeout=15)
        pg.blur()
        page.keyboard.press("ArrowRight")
        until(page, lambda: root.get_attribute("data-motion"), "running")
        until(page, lambda: root.get_attribute("data-motion"), "idle", timeout=10)
        button = page.get_by_test_id("export-diagram")
        assert button.inner_text() == "Diagram (PNG)"
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == "backprop-diagram.png"
        content = open(download.value.path(), "rb").read()
        assert content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) > 20000
        page.screenshot(path=str(artifacts / "playground-canvas-largest.png"))
        assert page.problems == []
    finally:
        context.close()


def test_one_input_gets_curves(pg):
    page = pg.page
    response = open_with_maps(pg, "#preset=sine&stage=3")
    maps = response.json()
    assert maps["kind"] == "line" and maps["y"] is None
    hidden = lambda: sum(1 for id_ in shown_maps(page) if id_.split("-")[0] in "12")  # noqa: E731
    until(page, hidden, 32)
    page.locator("[data-neuron='2-3']").click()
    assert page.get_by_test_id("inspector-map").get_attribute("data-quantity") == "activation"
    assert page.problems == []
