"""The optimiser race in a real Chromium: SGD against Adam drawn as two curves whose last costs are
the ones POST /api/v1/train gives for the same settings in one request; the contours with a path
per optimiser; the surface's numbers at the start; a runner that diverges stopped with a note; the
playground's training panel leading to a race of its own network; the lesson widget; no console
errors; the three screen sizes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.playground_page import watch
from tests.e2e.race_page import Race

pytestmark = pytest.mark.e2e

LINE = {"network": {"layer_sizes": [1, 1], "activations": ["linear"], "loss": "squared_error"}}


def line_preset(api) -> dict:
    return api.presets()["line"]


def train_in_one_request(api, preset: dict, optimizer: dict, learning_rate: float,
                         iterations: int) -> dict:
    """What /train gives for the race's settings when asked in one go: full batch, the preset's
    starting parameters and data."""
    return api.post("/api/v1/train", {
        "network": preset["network"], "params": preset["params"], **preset["data"],
        "learning_rate": learning_rate, "optimizer": optimizer, "iterations": iterations,
        "snapshot_every": iterations, "include_data": False, "include_predictions": False})


def open_race(page, live_server, hash_: str = "") -> Race:
    page.goto(f"{live_server}/race{hash_}")
    return Race(page).ready()


def test_sgd_against_adam_draws_two_curves_ending_where_train_does(live_server, page, api,
                                                                   artifacts):
    page.set_viewport_size({"width": 1366, "height": 768})
    race = open_race(page, live_server, "#opts=sgd;adam,lr:0.05&its=60")
    race.wait_for_surface()
    race.run()
    preset = line_preset(api)
    expected = [train_in_one_request(api, preset, {"name": "sgd"}, 0.1, 60),
                train_in_one_request(api, preset, {"name": "adam"}, 0.05, 60)]
    results = race.results()
    assert [r["iteration"] for r in results] == [60, 60]
    for shown, run in zip(results, expected, strict=True):
        assert not shown["diverged"]
        # Chunks start a new shuffle of the full batch's rows, so sums may round differently.
        assert shown["cost"] == pytest.approx(run["snapshots"][-1]["train_loss"], rel=1e-9)
    curves = [t for t in race.traces("race-curves") if t["type"] == "scatter"]
    assert len(curves) == 2
    assert [c["y"][-1] for c in curves] == [r["cost"] for r in results]
    assert [len(c["x"]) for c in curves] == [61, 61] and curves[0]["x"][:3] == [0, 1, 2]
    assert curves[0]["y"][0] == curves[1]["y"][0], "both start from the same weights"
    assert "Adam" in curves[1]["name"] and "η 0.05" in curves[1]["name"]
    paths = [t for t in race.traces("race-surface") if t["name"] in {c["name"] for c in curves}]
    assert len(paths) == 2 and all(len(p["x"]) == 61 for p in paths)
    for path, run in zip(paths, expected, strict=True):
        assert path["x"][-1] == pytest.approx(run["params_after"]["weights"][0][0][0], rel=1e-9)
        assert path["y"][-1] == pytest.approx(run["params_after"]["biases"][0][0], rel=1e-9)
    caption = race.by_test_id("race-surface-caption").inner_text()
    assert "exactly two parameters" in caption
    page.screenshot(path=str(artifacts / "race-sgd-vs-adam.png"))
    assert page.problems == []


def test_the_contours_are_the_cost_the_paths_start_from(live_server, page, api):
    with page.expect_response(lambda r: r.url.endswith("/api/v1/loss-surface")) as answer:
        race = open_race(page, live_server, "#preset=xor&opts=sgd;adam,lr:0.05&its=20")
    surface = answer.value.json()
    sent = answer.value.request.post_data_json
    assert [a["name"] for a in surface["axes"]] == ["w1_11", "w1_12"]
    race.run()
    curves = [t for t in race.traces("race-curves") if t["type"] == "scatter"]
    assert surface["cost_at_params"] == pytest.approx(curves[0]["y"][0], rel=1e-12)
    assert sent["params"] == api.post("/api/v1/networks", {
        "network": sent["network"], "seed": 1})["params"], "the xor preset's seed draws the start"
    caption = race.by_test_id("race-surface-caption").inner_text()
    assert "other 15 parameters held at their starting values" in caption
    assert page.problems == []


def test_a_runner_that_diverges_stops_with_a_note_and_the_others_go_on(live_server, page):
    race = open_race(page, live_server, "#opts=sgd,lr:10;adam&its=150")
    race.run()
    sgd, adam = race.results()
    assert sgd["diverged"] and "diverged at iteration" in sgd["text"] and sgd["iteration"] < 150
    assert not adam["diverged"] and adam["iteration"] == 150
    assert "left the picture" in race.by_test_id("race-surface-caption").inner_text()
    assert page.problems == [], "a diverged path draws no broken figure"


def test_the_playground_leads_to_a_race_of_its_own_network(live_server, page):
    page.goto(f"{live_server}/playground#lr=0.3&opt=sgd,momentum:0.5")
    page.locator("body[data-ready='true']").wait_for()
    link = page.get_by_test_id("race-link")
    link.hover()
    href = link.get_attribute("href")
    fields = parse_qs(urlparse(href).fragment)
    assert fields["net"] == ["2-4-1"] and fields["lr"] == ["0.3"] and fields["data"] == ["xor"]
    assert fields["opts"] == ["sgd,momentum:0.5;sgd;sgd,momentum:0.9"]
    opened = watch(page.context.new_page())  # as the link does (target _blank)
    opened.goto(href)
    race = Race(opened).ready()
    assert [r["text"].split(":")[0] for r in race.results()] == [
        "gradient descent (SGD), momentum μ 0.5, η 0.3", "gradient descent (SGD), η 0.3",
        "gradient descent (SGD), momentum μ 0.9, η 0.3"]
    assert race.by_test_id("race-pair-x").input_value() == "w1_11"
    assert page.problems == [] and opened.problems == []


def test_the_setup_is_edited_on_the_cards_and_kept_in_the_link(live_server, page):
    race = open_race(page, live_server)
    assert len(race.results()) == 3
    card = race.by_test_id("race-card").nth(2)
    card.get_by_test_id("race-lr").fill("0.05")
    card.get_by_test_id("race-lr").press("Enter")
    race.by_test_id("race-card").nth(0).get_by_role("button", name="Remove optimiser 1").click()
    race.by_test_id("race-pair-y").select_option("w1_11")  # the x axis's: the two swap
    page.wait_for_timeout(300)
    fields = parse_qs(urlparse(page.url).fragment)
    assert fields["opts"] == ["sgd,momentum:0.9;adam,lr:0.05"]
    assert fields["pair"] == ["b1_1;w1_11"]
    assert len(race.results()) == 2
    assert page.problems == []


def test_a_damaged_link_opens_with_a_sentence_for_each_field_it_could_not_use(live_server, page):
    race = open_race(page, live_server, "#opts=adam,betas:2/3&its=0&pair=w9_11;b1_1")
    notice = race.by_test_id("race-notice").inner_text()
    assert "opts: adam left out" in notice and "its=0" in notice and "pair=w9_11;b1_1" in notice
    assert len(race.results()) == 3 and race.by_test_id("race-iterations").input_value() == "200"
    assert page.problems == []


def test_the_widget_mounts_the_race_with_a_link_to_its_page(live_server, page):
    page.goto(f"{live_server}/symbols")
    page.evaluate("""async () => {
        const [{ mount }, { createApi }] = await Promise.all([import("/static/js/widgets/race.js"),
          import("/static/js/core/api.js")]);
        const element = document.createElement("div");
        element.id = "race-widget";
        document.body.append(element);
        await mount(element, { preset: "line", opts: "sgd;adam", its: "20" }, { api: createApi() });
    }""")
    race = Race(page, "#race-widget").ready()
    race.run()
    assert [r["iteration"] for r in race.results()] == [20, 20]
    href = race.by_test_id("race-page-link").get_attribute("href")
    assert parse_qs(urlparse(href).fragment)["opts"] == ["sgd;adam"]
    assert page.problems == []


@pytest.mark.parametrize("width, height", [(1920, 1080), (1366, 768), (390, 844)])
def test_the_race_fits_the_screen(live_server, page, artifacts, width, height):
    page.set_viewport_size({"width": width, "height": height})
    race = open_race(page, live_server, "#its=120")
    race.run()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    plots = [race.by_test_id(t).bounding_box() for t in ("race-curves", "race-surface")]
    side_by_side = width > 800
    assert all(box["width"] >= (0.4 if side_by_side else 0.85) * width for box in plots)
    if side_by_side:
        assert all(box["y"] + box["height"] <= height for box in plots), "both on the first screen"
    page.screenshot(path=str(artifacts / f"race-{width}x{height}.png"))
    if width < 800:  # a phone scrolls down through the figures and the cards
        page.screenshot(path=str(artifacts / f"race-{width}x{height}-whole.png"), full_page=True)
    assert page.problems == []
