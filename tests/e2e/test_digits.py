"""The digits in a real Chromium: the preset draws the input as an image and each hidden neuron's
weights as images, a pixel and a weight of a pixel can be picked, drawing on the pad changes the
probabilities (the engine's, for that drawing), training shows the confusion matrix while it runs,
and a CSV of many features is plotted on its principal components."""

from __future__ import annotations

import pytest

from tests.e2e.playground_page import is_iteration, until

pytestmark = pytest.mark.e2e

DIGITS_HASH = "#preset=digits"


def open_digits(pg, hash_: str = DIGITS_HASH):
    page = pg.page
    with page.expect_response(is_iteration) as response:
        page.goto(f"{pg.base_url}/playground{hash_}")
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_selector("svg.image-diagram [data-image='x']")
    return response.value.request.post_data_json, response.value.json()


def fills(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map((e) => e.getAttribute('fill'))")


def test_the_digits_preset_draws_the_input_and_the_weights_as_images(pg, api):
    page = pg.page
    body, trace = open_digits(pg)
    assert body["input_gradient"] is True and len(body["inputs"][0]) == 64
    assert page.locator("button[data-view='image']").get_attribute("aria-pressed") == "true"
    pixels = fills(page, "[data-image='x']")
    assert len(pixels) == 64
    # Ink is grey: a pixel of no ink white, full ink (1) black.
    first = body["inputs"][0]
    assert pixels[first.index(0.0)] == "rgb(255,255,255)"
    level = round(255 * (1 - max(first)))
    assert pixels[first.index(max(first))] == f"rgb({level},{level},{level})"
    tiles = page.locator("svg.image-diagram [data-weight^='1-']")
    assert tiles.count() == 32 * 64
    assert page.locator("svg.image-diagram [data-weight^='2-']").count() == 10 * 32
    assert page.locator("svg.image-diagram .bar").count() == 10
    label = page.locator("[data-weight='1-3-27']").get_attribute("aria-label")
    weight = trace["params_before"]["weights"][0][3][27]
    assert label.startswith("weight w¹₄,₂₈ = ") and f"{weight:.3g}"[:4] in label
    # The saliency waits for the backward pass to reach the input.
    assert len(set(fills(page, "[data-image='saliency']"))) == 1
    assert page.problems == []


def test_a_pixel_and_a_weight_of_a_pixel_are_picked_with_their_numbers(pg):
    page = pg.page
    _, trace = open_digits(pg, f"{DIGITS_HASH}&stage=4")
    page.locator("[data-image='x'][data-neuron='0-27']").click()
    saliency = trace["stages"][4]["grad_inputs"][0][27]
    shown = page.get_by_test_id("inspector-saliency")
    until(page, lambda: shown.get_attribute("data-value"), str(saliency).replace("e-0", "e-"))
    # Every weight image marks the same pixel; the saliency image too.
    assert page.locator(".marks .mark-linked").count() >= 32
    page.locator("[data-weight='1-5-27']").click()
    gradient = page.get_by_test_id("inspector-gradient")
    until(page, lambda: float(gradient.get_attribute("data-value")),
          trace["stages"][4]["grad_weights"][5][27])
    # From the keyboard: Shift and the arrows walk the image pixel by pixel, Enter picks.
    page.locator("[data-image='x'][data-neuron='0-0']").focus()
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.neuron") == "0-9"
    page.keyboard.press("Enter")
    heading = page.locator(".inspector-heading").first
    until(page, lambda: heading.inner_text().replace("\n", ""), "Input x10")
    assert page.problems == []


def draw(page, points):
    pad = page.get_by_test_id("draw-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + points[0][0] * box["width"], box["y"] + points[0][1] * box["height"])
    page.mouse.down()
    for u, v in points[1:]:
        page.mouse.move(box["x"] + u * box["width"], box["y"] + v * box["height"], steps=5)
    page.mouse.up()


def probabilities(page) -> list[float]:
    return [float(v) for v in page.eval_on_selector_all(
        "[data-testid='pad-probabilities'] .num", "els => els.map((e) => e.dataset.value)")]


def test_drawing_on_the_pad_changes_the_probabilities_to_the_engines(pg, api):
    page = pg.page
    open_digits(pg)
    until(page, lambda: len(probabilities(page)), 10, timeout=10)
    blank = probabilities(page)
    page.get_by_test_id("pad-label").select_option("7")
    with page.expect_response(lambda r: is_iteration(r)
                              and r.request.post_data_json.get("inputs", [[0]])[0].count(0) < 60
                              ) as response:
        draw(page, [(0.15, 0.15), (0.85, 0.15), (0.55, 0.55), (0.4, 0.9)])
    until(page, lambda: "pad=" in page.url, True)
    sent = page.url.partition("pad=")[2].split("&")[0]
    assert len(sent) == 64 and set(sent) - set("0123456789abcdefg") == set()
    last = response.value.request.post_data_json
    assert last["targets"] == [[0, 0, 0, 0, 0, 0, 0, 1, 0, 0]] and last["input_gradient"]
    drawn = page.evaluate("""() => {
        const c = document.querySelector("[data-testid='draw-pad']");
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        return data.some((v, i) => i % 4 === 0 && v < 128); }""")
    assert drawn
    until(page, lambda: probabilities(page) != blank, True, timeout=10)
    # What the pad shows is the engine's answer for the drawing as the URL keeps it.
    pixels = [int(ch, 17) / 16 for ch in sent]
    expected = api.iteration({**last, "inputs": [pixels]})
    output = [s for s in expected["stages"] if s["phase"] == "forward"][-1]["activation"][0]
    until(page, lambda: probabilities(page), output, timeout=10)
    assert sum(probabilities(page)) == pytest.approx(1.0)
    assert page.problems == []


def test_the_confusion_matrix_appears_while_training(pg):
    page = pg.page
    open_digits(pg)
    report = page.get_by_test_id("train-report")
    assert report.is_hidden()
    page.get_by_test_id("train-play").click()
    page.wait_for_selector("[data-testid='train-confusion'] .heatmaplayer", timeout=20000)
    assert page.get_by_test_id("train-status").get_attribute("data-state") == "running"
    assert report.is_visible()
    cells = page.eval_on_selector_all("[data-testid='train-confusion'] .heatmaplayer text",
                                      "els => els.map((e) => Number(e.textContent))")
    assert len(cells) == 100 and sum(cells) == 359
    page.wait_for_selector("[data-testid='misclassified-item'] canvas")
    page.get_by_test_id("train-pause").click()
    until(page, lambda: page.get_by_test_id("train-status").get_attribute("data-state"), "paused",
          timeout=15)
    assert page.problems == []


def test_a_csv_of_many_features_is_plotted_on_its_principal_components(pg, tmp_path):
    page = pg.page
    pg.open()
    rows = ["a,b,c,d,e,label"] + [f"{i % 7},{i % 5},{(i * 3) % 11},{i % 2},{i / 10},{i % 3}"
                                  for i in range(30)]
    path = tmp_path / "five.csv"
    path.write_text("\n".join(rows))
    pg.open_data_editing()
    with page.expect_response(is_iteration) as response:
        page.get_by_test_id("csv-input").set_input_files(str(path))
    sent = response.value.request.post_data_json
    assert len(sent["inputs"][0]) == 5 and sent["network"]["layer_sizes"][0] == 5
    plot = page.get_by_test_id("data-plot")
    until(page, lambda: "principal components" in plot.inner_text(), True, timeout=10)
    assert "PC1 (" in plot.inner_text() and "% of the variance" in plot.inner_text()
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(["1"] * 66) + "\n")
    page.get_by_test_id("csv-input").set_input_files(str(wide))
    error = page.get_by_test_id("csv-error")
    until(page, lambda: "found 65 feature columns; at most 64" in error.inner_text(), True)
    assert page.problems == []


def test_choosing_the_digits_in_the_data_panel_fits_the_network_and_shows_images(pg):
    page = pg.page
    pg.open()
    pg.open_data_editing()
    with page.expect_response(lambda r: is_iteration(r)
                              and len(r.request.post_data_json["inputs"][0]) == 64) as response:
        page.get_by_test_id("dataset").select_option("digits")
    sent = response.value.request.post_data_json
    assert sent["network"]["layer_sizes"][0] == 64 and sent["network"]["layer_sizes"][-1] == 10
    page.wait_for_selector("svg.image-diagram [data-image='x']")
    source = page.get_by_test_id("data-source")
    until(page, source.inner_text, "Using 1797 images of digits.")
    assert page.locator("[data-testid='noise']").is_hidden()
    until(page, lambda: len(page.eval_on_selector_all(
        "[data-testid='pad-probabilities'] .num", "els => els")), 10, timeout=10)
    assert page.problems == []
