"""A live class in real browsers: a teacher starts one from the playground, two students join
(a laptop and a phone), follow the teacher's steps and selection, one steps off and snaps back,
a question is answered and revealed, a checkpoint names the wrong factor, the answers download
as CSV, the worksheet prints with its answer key; no page refuses anything under its policy.
Screenshots of the join screen on a projector, a student's laptop and phone and the results land
in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.e2e.playground_page import until, watch
from tests.e2e.test_csp import LISTEN, refusals

pytestmark = pytest.mark.e2e

# The classic worked example: z¹₁ = 0.3775, a¹₁ = 0.5933, δ²₁ = 0.1385. Using z¹ for a¹ in
# ∂C/∂w²₁₁ = a¹₁ δ²₁ gives 0.3775 x 0.1385.
WRONG_GRADIENT = "0.05228"


def open_page(browser, url, width, height, **options):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  accept_downloads=True, **options)
    page = watch(context.new_page())
    page.add_init_script(LISTEN)
    page.goto(url)
    return page


def stage(page) -> str:
    return page.get_by_test_id("stage-label").inner_text()


def start_teaching(browser, live_server, fields="preset=tiny-2-2-2"):
    teacher = open_page(browser, f"{live_server}/playground#{fields}", 1920, 1080)
    teacher.wait_for_selector("body[data-ready='true']")
    teacher.get_by_test_id("teach-live").click()
    teacher.wait_for_url("**/teach/**")
    teacher.wait_for_selector("body[data-ready='true']")
    # plotly.js the playground page was still loading is cut off by leaving it: not a problem.
    teacher.problems[:] = [p for p in teacher.problems if not p.endswith("/vendor/plotly.min.js")]
    code = teacher.url.split("/teach/")[1].split("#")[0]
    return teacher, code


def join(browser, live_server, code, artifacts):
    laptop = open_page(browser, f"{live_server}/join", 1366, 768)
    laptop.get_by_test_id("code-input").fill(f"{code[:3].lower()}-{code[3:].lower()}")
    laptop.get_by_test_id("name-input").fill("Ann <b>")
    laptop.get_by_role("button", name="Join").click()
    laptop.wait_for_selector("body[data-ready='true']")
    phone = open_page(browser, f"{live_server}/join/{code}", 390, 844, device_scale_factor=2,
                      is_mobile=True, has_touch=True)
    phone.wait_for_selector("body[data-ready='true']")
    return laptop, phone


def check_join_screen(teacher, artifacts):
    screen = teacher.get_by_test_id("join-screen")
    assert screen.is_visible()
    until(teacher, lambda: teacher.evaluate(
        "() => document.querySelector('[data-testid=join-qr]').naturalWidth > 0"), True)
    height = teacher.get_by_test_id("join-code").bounding_box()["height"]
    assert height >= 1080 / 8, "the code is readable from the back of a lecture hall"
    teacher.screenshot(path=artifacts / "live-join-1920x1080.png")
    teacher.set_viewport_size({"width": 1280, "height": 720})
    teacher.wait_for_timeout(200)
    teacher.screenshot(path=artifacts / "live-join-1280x720.png")
    teacher.set_viewport_size({"width": 1920, "height": 1080})


def follow_and_step_off(teacher, laptop, phone):
    teacher.keyboard.press("j")
    assert not teacher.get_by_test_id("join-screen").is_visible()
    for _ in range(2):
        teacher.keyboard.press("ArrowRight")
    until(teacher, lambda: stage(teacher), "Loss")
    for student in (laptop, phone):
        until(student, lambda s=student: stage(s), "Loss", timeout=10)
        assert "Following" in student.get_by_test_id("follow-status").inner_text()
    laptop.keyboard.press("ArrowRight")   # the student's own step: off on their own
    until(laptop, lambda: laptop.get_by_test_id("follow-status").inner_text(),
          "You stepped off: your own exploring")
    until(laptop, lambda: stage(laptop), "Backward, layer 2")
    teacher.keyboard.press("ArrowRight")
    teacher.keyboard.press("ArrowRight")
    until(phone, lambda: stage(phone), "Backward, layer 1", timeout=10)
    assert stage(laptop) == "Backward, layer 2"
    laptop.keyboard.press("f")   # snap back
    until(laptop, lambda: stage(laptop), "Backward, layer 1", timeout=10)
    assert "Following" in laptop.get_by_test_id("follow-status").inner_text()
    teacher.locator("[data-neuron='1-0']").first.click()   # the selection follows too
    until(laptop, lambda: laptop.evaluate(
        "() => document.querySelector('.bp-playground').classList.contains('has-selection')"), True,
          timeout=10)


def poll_and_reveal(teacher, laptop, phone, artifacts):
    teacher.keyboard.press("Escape")
    teacher.keyboard.press("q")
    teacher.locator("[data-question='direction']").click()
    for student in (laptop, phone):
        until(student, lambda s=student: s.get_by_test_id("student-poll-prompt").inner_text(),
              "Which way will w²₁₁ move in this update?", timeout=10)
    laptop.locator("[data-option='1']").click()
    phone.locator("[data-option='0']").click()
    until(teacher, lambda: teacher.get_by_test_id("poll-count").inner_text(), "2 of 2 answered",
          timeout=10)
    teacher.wait_for_selector("[data-testid='poll-chart'] .bars path")
    teacher.screenshot(path=artifacts / "live-poll-results-1920x1080.png")
    teacher.get_by_test_id("reveal").click()
    until(teacher, lambda: teacher.get_by_test_id("poll-answer").inner_text().startswith(
        "The engine: "), True)
    assert "of 2 right" in teacher.get_by_test_id("poll-answer").inner_text()
    for student in (laptop, phone):
        until(student, lambda s=student: s.get_by_test_id("poll-status").inner_text().startswith(
            "The engine: "), True, timeout=10)
    laptop.wait_for_selector(".poll-card .poll-chart .bars path")
    laptop.screenshot(path=artifacts / "live-student-1366x768.png")
    phone.screenshot(path=artifacts / "live-student-phone.png")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390


def checkpoint(laptop):
    laptop.locator("details.live-checkpoint summary").click()
    laptop.get_by_test_id("checkpoint-kind").select_option("grad_weight")
    for name, value in (("layer", "2"), ("j", "1"), ("k", "1")):
        laptop.locator(f".checkpoint input[name='{name}']").fill(value)
    laptop.get_by_test_id("checkpoint-answer").fill(WRONG_GRADIENT)
    laptop.get_by_role("button", name="Check", exact=True).click()
    until(laptop, lambda: "a¹ is the activation, not z¹" in laptop.get_by_test_id(
        "checkpoint-verdict").inner_text(), True, timeout=10)
    assert "Following" in laptop.get_by_test_id("follow-status").inner_text()


def test_a_live_class(browser, live_server, artifacts):
    teacher, code = start_teaching(browser, live_server)
    check_join_screen(teacher, artifacts)
    laptop, phone = join(browser, live_server, code, artifacts)
    until(teacher, lambda: teacher.get_by_test_id("join-count").inner_text(), "2 students joined",
          timeout=10)
    names = teacher.get_by_test_id("join-names")
    assert names.inner_text() == "Ann <b>" and names.locator("b").count() == 0   # text, escaped
    follow_and_step_off(teacher, laptop, phone)
    poll_and_reveal(teacher, laptop, phone, artifacts)
    checkpoint(laptop)
    teacher.reload()   # a teacher who reconnects keeps control
    teacher.wait_for_selector("body[data-ready='true']")
    teacher.keyboard.press("ArrowRight")
    until(phone, lambda: stage(phone), "Update", timeout=10)
    with teacher.expect_download() as download:
        teacher.get_by_test_id("download-csv").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert "Which way will w²₁₁ move in this update?" in text and text.startswith("poll,")
    for page in (teacher, laptop, phone):
        assert refusals(page) == []
        assert page.problems == []
    teacher.get_by_test_id("end-class").click()
    teacher.get_by_test_id("end-class").click()
    until(phone, lambda: phone.get_by_test_id("follow-status").inner_text(), "This class is over",
          timeout=10)
    for page in (teacher, laptop, phone):
        page.context.close()


def test_the_worksheet_prints_blanks_then_an_answer_key(browser, live_server, artifacts):
    page = open_page(browser, f"{live_server}/worksheet#preset=tiny-2-2-2", 1000, 1400)
    page.wait_for_selector("body[data-ready='true']")
    blanks = page.locator(".worksheet > section:not(.answer-key) td.blank").count()
    assert blanks == page.locator(".answer-key td").count() > 10
    assert "0.08217" in page.get_by_test_id("answer-key").inner_text()   # ∂C/∂w²₁₁
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.answer-key'))"
                         ".breakBefore") == "page"
    page.screenshot(path=artifacts / "worksheet-print.png", full_page=True)
    assert refusals(page) == [] and page.problems == []
    page.context.close()


def test_a_lessons_checkpoint_names_the_factor_too(browser, live_server):
    page = open_page(browser, f"{live_server}/lessons/layer-by-layer", 1366, 900)
    widget = page.locator(".lesson-widget[data-widget='checkpoint']")
    widget.scroll_into_view_if_needed()
    widget.get_by_test_id("checkpoint-answer").fill("0.000877")   # x₂ δ¹₁ for ∂C/∂w¹₂₁
    widget.get_by_role("button", name="Check", exact=True).click()
    until(page, lambda: widget.get_by_test_id("checkpoint-verdict").inner_text(),
          "Not quite: the indices are swapped: w¹_jk joins neuron k of layer 0 to neuron j of "
          "layer 1.", timeout=10)
    assert page.get_by_test_id("teach-live").count() >= 1   # each network widget can go live
    assert refusals(page) == [] and page.problems == []
    page.context.close()


def test_a_student_following_an_adam_teacher_sees_adams_update(browser, live_server):
    """The optimiser, its state and the L2 penalty travel with the class's state: the student's
    Update stage shows the teacher's numbers, which differ from a plain step's."""
    adam = "preset=tiny-2-2-2&opt=adam&l2=0.01&lr=0.05"
    teacher, code = start_teaching(browser, live_server, adam)
    student = open_page(browser, f"{live_server}/join/{code}", 1366, 900)
    student.wait_for_selector("body[data-ready='true']")
    teacher.keyboard.press("j")
    for _ in range(5):
        teacher.keyboard.press("ArrowRight")
    until(teacher, lambda: stage(teacher), "Update")
    until(student, lambda: stage(student), "Update", timeout=10)
    diagram = "() => document.querySelector('.neuron-diagram').textContent"
    until(student, lambda: student.evaluate(diagram), teacher.evaluate(diagram), timeout=10)
    plain = open_page(browser, f"{live_server}/playground#preset=tiny-2-2-2&lr=0.05", 1366, 900)
    plain.wait_for_selector("body[data-ready='true']")
    for _ in range(5):
        plain.keyboard.press("ArrowRight")
    until(plain, lambda: stage(plain), "Update")
    assert plain.evaluate(diagram) != student.evaluate(diagram), "Adam's step is not plain SGD's"
    for page in (teacher, student, plain):
        assert refusals(page) == [] and page.problems == []
        page.context.close()


def test_a_student_drawing_on_a_canvas_steps_off(browser, live_server):
    """The canvas diagram (and the drawing pad, and a map) are drawn on, not made of elements:
    a click or a press there is the student's own exploring, as on the SVG diagram."""
    teacher, code = start_teaching(browser, live_server, "preset=tiny-2-2-2&view=canvas")
    student = open_page(browser, f"{live_server}/join/{code}", 1366, 900)
    student.wait_for_selector("body[data-ready='true']")
    teacher.keyboard.press("j")
    canvas = student.locator(".canvas-diagram canvas.canvas-base")
    canvas.wait_for()
    assert "Following" in student.get_by_test_id("follow-status").inner_text()
    box = canvas.bounding_box()
    student.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    until(student, lambda: student.get_by_test_id("follow-status").inner_text(),
          "You stepped off: your own exploring")
    for page in (teacher, student):
        assert refusals(page) == [] and page.problems == []
        page.context.close()
