"""The playground as a lecture tool, measured in a real Chromium: presenter mode fills the screen
with a diagram whose numbers can be read from the back of a hall, everything the lecture needs
is above the fold, the keys drive a whole lecture, the motion really slows in slow motion, the
update shows the change, and a phone gets the diagram first with targets a thumb can hit."""

from __future__ import annotations

import pytest

from tests.e2e.playground_page import (
    Playground,
    find_stage,
    format_number,
    preset_body,
    until,
    watch,
)

pytestmark = pytest.mark.e2e

MEASURE = """() => {
    const canvas = document.querySelector('.diagram-canvas').getBoundingClientRect();
    const svg = document.querySelector('svg.neuron-diagram');
    const scale = svg.getScreenCTM().a;
    const value = svg.querySelector('.neuron-value');
    const bottom = (selector) => document.querySelector(selector).getBoundingClientRect().bottom;
    return {
        fraction: canvas.width * canvas.height / (innerWidth * innerHeight),
        numberPx: parseFloat(value.getAttribute('font-size')) * scale,
        captionBottom: bottom('[data-testid="caption-formula"]'),
        titleBottom: bottom('[data-testid="caption-stage"]'),
        nextBottom: bottom('.player-buttons button:last-child'),
        height: innerHeight, scrollWidth: document.documentElement.scrollWidth, width: innerWidth,
    };
}"""

# Every neuron's number fits inside its pill (the text's box within the pill's).
OVERFLOW = """() => [...document.querySelectorAll('.neuron-diagram [data-neuron]')].filter((g) => {
    const pill = g.querySelector('.pill').getBBox();
    const text = g.querySelector('.neuron-value');
    if (!text || !text.textContent) return false;
    const box = text.getBBox();
    return box.x < pill.x - 0.5 || box.x + box.width > pill.x + pill.width + 0.5;
}).map((g) => g.dataset.neuron)"""

# Pairs of texts in the diagram that overlap: each text's box turned as drawn (its corners through
# its transform to the screen), tested by separating axes. Edge labels against each other, and
# every text against the number pills it does not belong to.
COLLISIONS = """() => {
    const svg = document.querySelector('svg.neuron-diagram');
    const corners = (node) => {
        const b = node.getBBox();
        const m = node.getScreenCTM();
        const [x0, y0, x1, y1] = [b.x, b.y, b.x + b.width, b.y + b.height];
        return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
            .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    };
    const apart = (p, q) => [p, q].some((poly) => poly.some((a, i) => {
        const b = poly[(i + 1) % 4];
        const axis = [a[1] - b[1], b[0] - a[0]];
        const project = (points) => points.map(([x, y]) => x * axis[0] + y * axis[1]);
        const [pp, qq] = [project(p), project(q)];
        return Math.max(...pp) <= Math.min(...qq) + 0.5 || Math.max(...qq) <= Math.min(...pp) + 0.5;
    }));
    const texts = (selector) => [...svg.querySelectorAll(selector)]
        .filter((t) => t.textContent.trim())
        .map((t) => ({ name: t.textContent, at: corners(t) }));
    const labels = texts('.edge-label');
    const others = texts('.layer-headers text');
    const pills = [...svg.querySelectorAll('.pill')].map((p) => ({ name: 'pill', at: corners(p) }));
    const found = [];
    labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
        if (!apart(a.at, b.at)) found.push([a.name, b.name]);
    }));
    [...labels, ...others].forEach((a) => pills.forEach((b) => {
        if (!apart(a.at, b.at)) found.push([a.name, b.name]);
    }));
    return found;
}"""


def open_at(browser, live_server, width, height, hash_="", touch=False):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch,
                                  is_mobile=touch)
    pg = Playground(watch(context.new_page()), live_server).open(hash_)
    pg.settle()
    return context, pg


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_presenter_mode_fills_one_screen_with_readable_numbers(browser, live_server, width, height,
                                                               artifacts):
    context, pg = open_at(browser, live_server, width, height, "#present=1")
    try:
        page = pg.page
        pg.blur()
        page.keyboard.press("ArrowRight")  # past the start hint: a lecture under way
        pg.settle()
        m = page.evaluate(MEASURE)
        assert m["fraction"] >= 0.6, m
        assert m["numberPx"] >= 40 * height / 1080, m
        assert max(m["captionBottom"], m["titleBottom"], m["nextBottom"]) <= height, m
        assert page.evaluate(OVERFLOW) == []
        assert page.evaluate(COLLISIONS) == []
        page.screenshot(path=str(artifacts / f"lecture-present-{width}x{height}.png"))
        assert pg.page.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("hash_", ["", "#net=2-16-16-1&act=tanh,tanh,sigmoid&batch=4"])
def test_a_laptop_sees_the_diagram_caption_and_stepper_with_nothing_spilling(browser, live_server,
                                                                             hash_, artifacts):
    context, pg = open_at(browser, live_server, 1366, 768, hash_)
    try:
        m = pg.page.evaluate(MEASURE)
        assert max(m["captionBottom"], m["nextBottom"]) <= 768, m
        assert m["numberPx"] >= 9 and m["scrollWidth"] == 1366, m
        assert pg.page.evaluate(OVERFLOW) == []
        assert pg.page.evaluate(COLLISIONS) == []
        # A band labels all its edges or none (the 16-to-16 band has too many to label).
        labelled = pg.page.evaluate("""() => [...document.querySelectorAll('.edge-label')]
            .map((t) => t.dataset.labelOf.split('-')[0])""")
        counts = {band: labelled.count(band) for band in set(labelled)}
        assert counts == ({"1": 4 * 2, "2": 1 * 4} if not hash_ else {"3": 16}), counts
        assert pg.page.get_by_test_id("start-hint").is_visible()
        pg.page.get_by_role("button", name="Next step").click()
        until(pg.page, pg.page.get_by_test_id("start-hint").is_hidden, True)
        pg.page.screenshot(path=str(artifacts / f"lecture-laptop{'-16' if hash_ else ''}.png"))
        assert pg.page.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("width, height, hash_", [(1280, 900, ""), (1280, 720, "#present=1"),
                                                  (1366, 768, "#opt=adam")])
def test_the_diagram_keeps_its_size_from_stage_to_stage(browser, live_server, width, height, hash_):
    """A stage whose formula is taller, or wraps under its name, does not shrink the diagram:
    the caption strip keeps the height it has needed (before, the diagram changed height by 9 px
    between stages and the view laid itself out again at every step)."""
    context, pg = open_at(browser, live_server, width, height, hash_)
    try:
        page = pg.page
        pg.blur()
        sizes = []
        for _ in range(2 * 6):  # two iterations: the stages and past the update into the next
            page.keyboard.press("ArrowRight")
            pg.settle()
            sizes.append(page.evaluate("""() => {
                const box = document.querySelector('.diagram-canvas').getBoundingClientRect();
                return [Math.round(box.width), Math.round(box.height)];
            }"""))
        # The first formulas that need more room may grow the strip once; then nothing moves.
        assert len({tuple(size) for size in sizes[6:]}) == 1, sizes
        assert len({tuple(size) for size in sizes}) <= 3, sizes
        assert page.problems == []
    finally:
        context.close()


def test_a_phone_gets_the_diagram_first_and_targets_a_thumb_can_hit(browser, live_server,
                                                                    artifacts):
    context, pg = open_at(browser, live_server, 390, 844, touch=True)
    try:
        page = pg.page
        m = page.evaluate(MEASURE)
        assert m["scrollWidth"] <= 390, m
        assert page.locator(".diagram-canvas").bounding_box()["y"] < 300
        assert m["numberPx"] >= 12, m
        assert page.evaluate(COLLISIONS) == []
        hint = page.get_by_test_id("start-hint").bounding_box()
        assert hint["y"] >= page.locator(".diagram-canvas").bounding_box()["y"] + 546 - 1, hint
        sizes = page.evaluate("""() => {
            const sizes = (selector, side) => [...document.querySelectorAll(selector)]
                .map((e) => e.getBoundingClientRect()[side]);
            return { pills: sizes('.neuron-diagram .pill', 'height'),
                     biases: sizes('.neuron-diagram .bias .hit', 'width') };
        }""")
        assert min(sizes["pills"]) >= 24 and min(sizes["biases"]) >= 24, sizes
        # A tap a little beside an edge still selects it (its hit area is wider than its line).
        point = page.locator("[data-weight='2-0-1']").evaluate("""(line) => {
            const box = line.getBoundingClientRect();
            return [(box.left + box.right) / 2 + 8, (box.top + box.bottom) / 2];
        }""")
        page.touchscreen.tap(*point)
        inspector = page.locator("[data-control='inspector'] h3")
        until(page, lambda: inspector.count() and inspector.text_content(), "Weight w212")
        page.screenshot(path=str(artifacts / "lecture-phone.png"), full_page=True)
        assert page.problems == []
    finally:
        context.close()


def test_the_keys_drive_a_lecture_whatever_has_the_focus(pg):
    page = pg.page
    pg.open("#present=1&preset=tiny-2-2-2")
    # A click on a neuron selects it; → then steps (Shift with the arrows walks).
    page.locator("[data-neuron='1-0']").click()
    until(page, lambda: page.locator("[data-control='inspector'] h3").count(), 1)
    page.keyboard.press("ArrowRight")
    until(page, pg.stage_label, "Forward, layer 2")
    # Slow motion and the speed menu keep their focus, not the stepping keys.
    slow = page.get_by_test_id("player-slow")
    slow.check()
    page.keyboard.press("ArrowRight")
    until(page, pg.stage_label, "Loss")
    page.keyboard.press("PageUp")
    until(page, pg.stage_label, "Forward, layer 2")
    slow.uncheck()
    # Escape clears the selection first, and only then leaves presenter mode.
    page.keyboard.press("Escape")
    until(page, lambda: page.locator("[data-control='inspector'] h3").count(), 0)
    assert page.locator(".bp-playground.present").count() == 1
    page.keyboard.press("Escape")
    until(page, lambda: page.locator(".bp-playground.present").count(), 0)
    # S opens the settings drawer, Escape closes it.
    pg.blur()
    page.keyboard.press("s")
    settings = page.get_by_test_id("settings-toggle")
    until(page, lambda: settings.get_attribute("aria-expanded"), "true")
    page.keyboard.press("Escape")
    until(page, lambda: settings.get_attribute("aria-expanded"), "false")
    assert page.problems == []


MOTION = """() => document.getAnimations().filter((a) => a.effect && a.effect.target
    && a.effect.target.closest && a.effect.target.closest('.motion-layer'))
    .map((a) => a.effect.getTiming().duration)"""


def test_the_backward_pass_travels_and_slow_motion_slows_it(pg):
    page = pg.page
    pg.open("#preset=tiny-2-2-2&stage=3")
    pg.settle()
    svg = page.locator("svg.neuron-diagram")
    durations = {}
    for slow in (False, True):
        page.get_by_test_id("player-slow").set_checked(slow)
        page.get_by_role("button", name="B2: stage 4, Backward, layer 2").click()
        pg.settle()
        pg.blur()
        page.keyboard.press("ArrowRight")  # B2 -> B1: each δ² travels back, weighted by w
        packets = page.evaluate(MOTION)
        assert packets, "packets move along the edges"
        labels = page.locator(".motion-layer .packet text").evaluate_all(
            "ts => ts.map((t) => t.textContent)")
        assert all(label.startswith("∂ ") for label in labels) and len(labels) == 4
        # The neurons of layer 1 still show their activations until the packets arrive.
        assert "grad" not in page.locator("[data-neuron='1-0']").get_attribute("class").split()
        durations[slow] = int(svg.get_attribute("data-motion-ms"))
        until(page, lambda: svg.get_attribute("data-motion"), "idle", timeout=10)
        assert "grad" in page.locator("[data-neuron='1-0']").get_attribute("class").split()
    assert durations[True] >= 2 * durations[False], durations
    assert page.problems == []


def test_the_update_shows_each_change_and_the_loss_it_brings(pg, api):
    page = pg.page
    pg.open("#preset=tiny-2-2-2&stage=5")
    body, _ = preset_body(api, "tiny-2-2-2")
    trace = api.iteration(body)
    pg.settle()
    before, after = trace["params_before"]["weights"], trace["params_after"]["weights"]
    edge = page.locator("[data-weight='1-0-0']")
    assert "change" in edge.get_attribute("class").split()
    labels = page.locator(".edge-labels text").evaluate_all("ts => ts.map((t) => t.textContent)")
    assert format_number(after[0][0][0] - before[0][0][0], 3) in labels
    page.get_by_test_id("edge-mode").get_by_role("button", name="W", exact=True).click()
    until(page, lambda: "change" in edge.get_attribute("class").split(), False)
    labels = page.locator(".edge-labels text").evaluate_all("ts => ts.map((t) => t.textContent)")
    assert format_number(after[0][0][0], 3) in labels
    page.wait_for_url(lambda url: "edges=weight" in url)
    second = api.iteration({**body, "params": trace["params_after"]})
    until(page, lambda: page.get_by_test_id("caption-stage").inner_text().endswith(
        f"goes from {format_number(trace['loss'])} to {format_number(second['loss'])}"), True)
    assert find_stage(trace, "update")["learning_rate"] == 0.5
    assert page.problems == []


LESSON = "/lessons/layer-by-layer"
WIDGET = '.lesson-widget[data-widget="playground"]'


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_a_lessons_playground_is_the_component_one_screen_tall(browser, live_server, width,
                                                               height, artifacts):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = watch(context.new_page())
    try:
        page.goto(f"{live_server}{LESSON}")
        page.wait_for_selector(f"{WIDGET}[data-state='ready'] [data-neuron]", timeout=20000)
        widget = page.locator(WIDGET).first
        widget.scroll_into_view_if_needed()
        assert page.locator("iframe").count() == 0
        box = widget.bounding_box()
        assert box["height"] <= height, box
        # The caption strip (the stage and its formula) right under the diagram, in the widget.
        parts = widget.evaluate("""(w) => {
            const bottom = (s) => w.querySelector(s).getBoundingClientRect().bottom;
            const top = (s) => w.querySelector(s).getBoundingClientRect().top;
            return { canvas: bottom('.diagram-canvas'),
                     caption: top('[data-testid="caption-stage"]'),
                     formula: bottom('[data-testid="caption-formula"]'),
                     widget: bottom('.bp-playground') };
        }""")
        assert 0 <= parts["caption"] - parts["canvas"] < 40, parts
        assert parts["formula"] <= parts["widget"], parts
        # The lesson's own heading styles stay out of the component.
        size = widget.locator("[data-control='inspector'] h2").evaluate(
            "(h) => parseFloat(getComputedStyle(h).fontSize)")
        assert size <= 17, size
        page.screenshot(path=str(artifacts / f"lesson-embed-{width}x{height}.png"))
        assert page.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_the_present_view_steps_a_playground_in_sight_above_the_bar(browser, live_server, width,
                                                                    height, artifacts):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = watch(context.new_page())
    try:
        page.goto(f"{live_server}{LESSON}?present=1#section-2")
        current = ".lesson-section[data-current]"
        page.wait_for_selector(f"{current} {WIDGET}[data-state='ready'] [data-neuron]",
                               timeout=20000)
        caption = page.locator(f"{current} [data-testid='caption-stage']")
        for expected in ("Stage 2 of 6", "Stage 3 of 6"):
            page.keyboard.press("ArrowRight")
            until(page, lambda stage=expected: caption.text_content().startswith(stage), True)
        assert page.locator(".lesson-section[data-current]").get_attribute("id") == "section-2"
        page.wait_for_timeout(800)  # the smooth scroll
        m = page.evaluate("""() => {
            const s = document.querySelector('.lesson-section[data-current]');
            const box = (e) => e.getBoundingClientRect();
            return { canvasTop: box(s.querySelector('.diagram-canvas')).top,
                     player: box(s.querySelector('.player-buttons')).bottom,
                     bar: box(document.querySelector('.present-nav')).top };
        }""")
        assert m["canvasTop"] >= 0 and m["player"] <= m["bar"], m
        # Legible buttons: dark text on the light buttons of the presenter-mode playground.
        colour = page.locator(".lesson-section[data-current] .player-buttons button").last.evaluate(
            "(b) => getComputedStyle(b).color")
        assert colour != "rgb(255, 255, 255)", colour
        page.screenshot(path=str(artifacts / f"lesson-present-{width}x{height}.png"))
        assert page.problems == []
    finally:
        context.close()
