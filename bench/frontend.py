"""Front-end benchmark: the playground in headless Chromium against the real server.

Starts uvicorn on a free loopback port (one worker, OPENBLAS_NUM_THREADS=1), then drives
Debian's Chromium through Playwright and measures, in the page's own clock:

* first diagram: from navigation start to the frame after the first neuron element appears, for
  the default page and for the largest allowed network (6 layers of 32, drawn on a canvas), over
  several runs, each in a fresh browser context (an empty cache) and again on reload (a warm
  cache); medians; and the frame after the first neuron maps are drawn;
* frame rate while animating the backward pass: the stepper moves between the backward stages
  every STEP_MS (each arrival starts the edge pulses and the colour transitions), measured from
  requestAnimationFrame timestamps collected by a loop injected with page.evaluate (the page's
  CSP forbids inline <script> tags; evaluate is not one);
* frame rate and screen updates per second while training: Train pressed, the same rAF loop
  running, and each change of the iteration readout's text counted, and each new set of neuron
  maps the diagram draws (its data-maps-drawn count).

Every wait is bounded and the server is stopped at the end, whatever happens.
Run: `.venv/bin/python bench/frontend.py [--runs 5] [--seconds 5]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from live_server import free_port, start_server  # bench/live_server.py, beside this script

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
LARGEST = ("#net=2-32-32-32-32-32-1&act=tanh,tanh,tanh,tanh,tanh,sigmoid&batch=32")
STEP_MS = 250  # a step every 250 ms: each pulse (900 ms) overlaps the next ones
MOTION_IDLE = ("() => document.querySelector('.diagram-canvas [data-motion]')"
               ".dataset.motion === 'idle'")
TARGETS = {"first": 1000.0, "fps": 50.0, "updates": 10.0, "canvas fps": 55.0, "maps": 4.0}
PLOTLY_TAG = '<script src="/vendor/plotly.min.js" defer></script>'

# Injected before the page's scripts (through the DevTools protocol, so the CSP does not apply):
# the time the first neuron element is attached, and the frame after it; the same for the first
# neuron maps drawn (a view counts them in data-maps-drawn).
FIRST_DIAGRAM_PROBE = """
(() => {
  const watch = (seen, name) => {
    const observer = new MutationObserver(() => {
      if (!seen()) return;
      observer.disconnect();
      requestAnimationFrame((t) => { window[name] = t; });
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true,
                                 attributeFilter: ['data-maps-drawn'] });
  };
  watch(() => document.querySelector('[data-neuron]'), '__diagramDrawn');
  watch(() => document.querySelector('[data-maps-drawn]'), '__mapsDrawn');
})();
"""

START_FRAMES = """(seconds) => {
  window.__frames = [];
  const end = performance.now() + seconds * 1000;
  const loop = (t) => {
    window.__frames.push(t);
    if (t < end) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}"""

COUNT_UPDATES = """() => {
  window.__updates = [];
  window.__maps = [];
  const target = document.querySelector('[data-testid="train-iteration"]');
  let last = target.textContent;
  new MutationObserver(() => {
    if (target.textContent === last) return;
    last = target.textContent;
    window.__updates.push(performance.now());
  }).observe(target, { childList: true, characterData: true, subtree: true });
  new MutationObserver(() => { window.__maps.push(performance.now()); })
    .observe(document.querySelector('.diagram-canvas'),
             { subtree: true, attributes: true, attributeFilter: ['data-maps-drawn'] });
}"""


def fps_of(frames: list[float]) -> dict:
    """Frames per second over the collected timestamps, and the longest gap between frames."""
    if len(frames) < 2:
        return {"fps": 0.0, "worst_ms": float("nan"), "long": 0}
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    return {"fps": (len(frames) - 1) / ((frames[-1] - frames[0]) / 1000),
            "worst_ms": max(gaps), "long": sum(gap > 1000 / 30 for gap in gaps)}


def without_plotly(route) -> None:
    """Serve /playground without its plotly.js script tag (a diagnostic: what the deferred
    3.6 MB script costs the first diagram)."""
    response = route.fetch()
    route.fulfill(response=response, body=response.text().replace(PLOTLY_TAG, ""))


def first_diagram(browser, base: str, hash_: str, runs: int, plotly: bool = True) -> dict:
    """Milliseconds from navigation start to the frame that draws the first neuron, and to the
    frame that draws the first maps: a fresh context (empty cache) per run, and a reload in the
    same context (warm cache)."""
    cold, warm, maps = [], [], []
    for _ in range(runs):
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(FIRST_DIAGRAM_PROBE)
        if not plotly:
            context.route("**/playground", without_plotly)
        page = context.new_page()
        try:
            for sink in (cold, warm):
                if sink is cold:
                    page.goto(f"{base}/playground{hash_}")
                else:
                    page.reload()
                page.wait_for_function("() => window.__diagramDrawn !== undefined", timeout=30000)
                sink.append(page.evaluate("() => window.__diagramDrawn"))
                if sink is cold:
                    page.wait_for_function("() => window.__mapsDrawn !== undefined", timeout=30000)
                    maps.append(page.evaluate("() => window.__mapsDrawn"))
        finally:
            context.close()
    return {"cold": statistics.median(cold), "warm": statistics.median(warm),
            "maps": statistics.median(maps), "cold_all": cold, "warm_all": warm}


def open_page(browser, base: str, hash_: str):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{base}/playground{hash_}")
    page.wait_for_selector("body[data-ready='true']", timeout=30000)
    page.wait_for_selector("[data-neuron]", timeout=30000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stage-position\"]').textContent !== ''",
        timeout=30000)
    # Measure a settled page: plotly.js loads after the first diagram, and its one-off parse
    # belongs to the load, not to animating or training.
    page.wait_for_function("() => window.Plotly", timeout=30000)
    page.wait_for_timeout(300)
    return context, page


def animate_backward(browser, base: str, hash_: str, seconds: float,
                     step_ms: int = STEP_MS) -> dict:
    """Frame rate while the stepper walks back and forth over the backward stages, a step every
    `step_ms` (250 ms: each step cuts the last one's motion short; 1600 ms: every packet
    arrives)."""
    context, page = open_page(browser, base, hash_)
    try:
        chips = page.locator(".stage-chip")
        tags = [chips.nth(i).inner_text() for i in range(chips.count())]
        backward = [i for i, tag in enumerate(tags) if tag.startswith("B")]
        chips.nth(backward[0]).click()
        page.locator("[data-testid='stage-description']").click()  # focus off the controls
        at, direction, steps = backward[0], 1, 0
        page.evaluate(START_FRAMES, seconds)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not backward[0] <= at + direction <= backward[-1]:
                direction = -direction
            page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
            at += direction
            steps += 1
            page.wait_for_timeout(step_ms)
        page.wait_for_function("(n) => window.__frames.length > n", arg=1, timeout=10000)
        page.wait_for_timeout(200)
        frames = page.evaluate("() => window.__frames")
        return {**fps_of(frames), "steps": steps, "layers": len(backward)}
    finally:
        context.close()


LECTURE = """() => {
  const canvas = document.querySelector('.diagram-canvas').getBoundingClientRect();
  const svg = document.querySelector('svg.neuron-diagram');
  const value = svg.querySelector('.neuron-value');
  return { fraction: canvas.width * canvas.height / (innerWidth * innerHeight),
           numberPx: parseFloat(value.getAttribute('font-size')) * svg.getScreenCTM().a };
}"""


def lecture(browser, base: str, width: int, height: int) -> dict:
    """Presenter mode on a screen of width x height: the diagram's share of the screen and the
    height of its numbers, one step into the iteration."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{base}/playground#present=1")
        page.wait_for_selector("body[data-ready='true'] [data-neuron]", timeout=30000)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(MOTION_IDLE,
                               timeout=30000)
        return page.evaluate(LECTURE)
    finally:
        context.close()


def motion_time(browser, base: str, slow: bool) -> dict:
    """The backward step B2 to B1 of the worked example: the motion's planned length and the
    time from the key press until every packet has arrived, in the page's clock."""
    context, page = open_page(browser, base, "#preset=tiny-2-2-2&stage=3")
    try:
        page.get_by_test_id("player-slow").set_checked(slow)
        page.locator(".diagram-canvas").click(position={"x": 5, "y": 5})
        started = page.evaluate("() => performance.now()")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(MOTION_IDLE,
                               timeout=30000)
        ended = page.evaluate("() => performance.now()")
        planned = int(page.locator("svg.neuron-diagram").get_attribute("data-motion-ms"))
        return {"planned": planned, "measured": ended - started}
    finally:
        context.close()


def train(browser, base: str, hash_: str, seconds: float, plots: bool = True) -> dict:
    """Frame rate and readout updates per second while training runs (with `plots` False, a
    diagnostic: Plotly.react does nothing, so only the plots' share of the time is left out)."""
    context, page = open_page(browser, base, hash_)
    try:
        if not plots:
            page.evaluate("() => { window.Plotly.react = () => Promise.resolve(); }")
        page.evaluate(COUNT_UPDATES)
        page.evaluate(START_FRAMES, seconds)
        started = page.evaluate("() => performance.now()")
        page.get_by_test_id("train-play").click()
        page.wait_for_timeout(seconds * 1000)
        ended = page.evaluate("() => performance.now()")
        updates = page.evaluate("() => window.__updates")
        maps = page.evaluate("() => window.__maps.length")
        iteration = int(page.get_by_test_id("train-iteration").inner_text())
        speed = page.get_by_test_id("train-speed").inner_text()
        state = page.get_by_test_id("train-status").get_attribute("data-state")
        if state == "running":
            page.get_by_test_id("train-pause").click()
        frames = page.evaluate("() => window.__frames")
        if state != "running" and updates:  # the run ended early: the rate while it ran
            ended = updates[-1]
        seconds = (ended - started) / 1000
        return {**fps_of(frames), "updates": len(updates) / seconds, "maps": maps / seconds,
                "iterations": iteration, "speed": speed, "state": state}
    finally:
        context.close()


def row(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"{name:<58} {value:>15} {target:>10} {verdict:>6}")


def long_frames(result: dict) -> str:
    return f"{result['worst_ms']:.0f} ms / {result['long']}"


def report_lecture(lectures: dict, motions: dict, packets: dict) -> None:
    for (width, height), result in lectures.items():
        row(f"presenter mode {width}x{height}: diagram's share of the screen",
            f"{100 * result['fraction']:.0f}%", ">= 60%", result["fraction"] >= 0.6)
        need = 40 * height / 1080
        row(f"presenter mode {width}x{height}: numbers in the diagram",
            f"{result['numberPx']:.1f} px", f">= {need:.0f} px", result["numberPx"] >= need)
    for slow, result in motions.items():
        speed = "slow motion" if slow else "normal speed"
        row(f"backward step B2 -> B1, {speed} (planned / measured)",
            f"{result['planned']} / {result['measured']:.0f} ms")
    ratio = motions[True]["measured"] / motions[False]["measured"]
    row("  slow motion / normal", f"{ratio:.2f}x", ">= 2x", ratio >= 2)
    for name, result in packets.items():
        row(f"backward packets (1600 ms/step), {name}", f"{result['fps']:.1f} fps", ">= 55 fps",
            result["fps"] >= 55)
        row("  longest frame / frames over 33 ms", long_frames(result))


def report(args, loads: dict, animations: dict, training: dict, diagnostics: dict) -> None:
    print(f"headless Chromium ({CHROMIUM}, software rendering), uvicorn 1 worker, "
          f"{os.cpu_count()} cores, viewport {VIEWPORT['width']}x{VIEWPORT['height']}; "
          f"{args.runs} loads per first-diagram row, {args.seconds:g} s per rate\n")
    print(f"{'measurement':<58} {'value':>15} {'target':>10}")
    for name, result in loads.items():
        target = name == "default page"
        row(f"first diagram, {name}, empty cache (median)", f"{result['cold']:.0f} ms",
            "< 1000 ms" if target else "", result["cold"] < TARGETS["first"] if target else None)
        row(f"first diagram, {name}, reload (median)", f"{result['warm']:.0f} ms")
        row(f"first diagram with its neuron maps, {name}, empty cache (median)",
            f"{result['maps']:.0f} ms")
    for name, result in animations.items():
        target = TARGETS["canvas fps"] if "canvas" in name else TARGETS["fps"]
        row(f"animating backward ({result['layers']} stages, {STEP_MS} ms/step), {name}",
            f"{result['fps']:.1f} fps", f">= {target:.0f} fps", result["fps"] >= target)
        row("  longest frame / frames over 33 ms", long_frames(result))
    for name, result in training.items():
        row(f"training, {name}: screen updates", f"{result['updates']:.1f} /s", ">= 10 /s",
            result["updates"] >= TARGETS["updates"])
        row(f"training, {name}: neuron maps redrawn", f"{result['maps']:.1f} /s", ">= 4 /s",
            result["maps"] >= TARGETS["maps"])
        row(f"training, {name}: frame rate", f"{result['fps']:.1f} fps")
        row("  longest frame / frames over 33 ms", long_frames(result))
        row(f"  iterations in {args.seconds:g} s ({result['state']})", str(result["iterations"]))
        print(f"  {'the page says: ' + result['speed']:<58}")
    if diagnostics:
        print("\ndiagnostics (not the shipped page):")
        for name, value in diagnostics.items():
            row(f"  {name}", value)
    print("\nfirst-diagram runs (ms):")
    for name, result in loads.items():
        print(f"  {name}: empty cache {[round(v) for v in result['cold_all']]}, "
              f"reload {[round(v) for v in result['warm_all']]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads per first-diagram row")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement")
    parser.add_argument("--diagnose", action="store_true",
                        help="also measure without plotly.js's script tag and with its drawing "
                             "stubbed out, to show what the plots cost")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    networks = (("default page", ""), ("6 layers of 32 (canvas view)", LARGEST))
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    diagnostics = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                warm_up = browser.new_page()  # start the browser's processes and the server's
                warm_up.goto(f"{base}/playground")
                warm_up.wait_for_selector("[data-neuron]", timeout=30000)
                warm_up.close()
                loads = {name: first_diagram(browser, base, hash_, args.runs)
                         for name, hash_ in networks}
                animations = {name: animate_backward(browser, base, hash_, args.seconds)
                              for name, hash_ in networks}
                training = {name: train(browser, base, hash_, args.seconds)
                            for name, hash_ in (("default page (2-4-1, batch 8)", ""),
                                                ("6 layers of 32, batch 32 (canvas)", LARGEST))}
                lectures = {size: lecture(browser, base, *size)
                            for size in ((1920, 1080), (1280, 720))}
                motions = {slow: motion_time(browser, base, slow) for slow in (False, True)}
                packets = {name: animate_backward(browser, base, hash_, args.seconds, 1600)
                           for name, hash_ in networks}
                if args.diagnose:
                    bare = first_diagram(browser, base, "", args.runs, plotly=False)
                    diagnostics["first diagram, default page, no plotly.js tag"] = (
                        f"{bare['cold']:.0f} ms")
                    for name, hash_ in (("default page", ""), ("6 layers of 32", LARGEST)):
                        result = train(browser, base, hash_, args.seconds, plots=False)
                        diagnostics[f"training, {name}, Plotly.react stubbed"] = (
                            f"{result['updates']:.1f} /s, {result['fps']:.0f} fps")
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    report(args, loads, animations, training, diagnostics)
    print()
    report_lecture(lectures, motions, packets)


if __name__ == "__main__":
    main()
