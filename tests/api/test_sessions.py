"""Live sessions through the app in this process (the memory store): the contract's endpoints and
messages, the teacher's token, the limits, expiry, the CSV, the QR code and the pages."""

from __future__ import annotations

import csv
import io
import time

import numpy as np
import pytest
import zxingcpp
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.live.codes import CODE_ALPHABET, CODE_LENGTH
from app.main import create_app
from app.settings import Settings

LOOK_ALIKES = set("0O1IL2Z5S8B6GUVDQ")


def make_client(tmp_path, **settings) -> TestClient:
    return TestClient(create_app(Settings(data_dir=str(tmp_path), **settings)))


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as client:
        yield client


def start(client, title="Lecture 3") -> tuple[str, dict]:
    made = client.post("/api/v1/sessions", json={"title": title})
    assert made.status_code == 201, made.text
    body = made.json()
    return body["code"], {"authorization": f"Bearer {body['teacher_token']}"}


def receive_until(ws, type_: str, limit: int = 10) -> dict:
    for _ in range(limit):
        message = ws.receive_json()
        if message["type"] == type_:
            return message
    raise AssertionError(f"no {type_} message")


def test_a_session_starts_with_a_readable_code_and_a_join_url(client):
    made = client.post("/api/v1/sessions", json={}).json()
    assert set(made) == {"code", "teacher_token", "join_url"}
    assert len(made["code"]) == CODE_LENGTH and set(made["code"]) <= set(CODE_ALPHABET)
    assert not set(CODE_ALPHABET) & LOOK_ALIKES
    assert made["join_url"].endswith(f"/join/{made['code']}")
    view = client.get(f"/api/v1/sessions/{made['code'].lower()}").json()
    assert view == {"code": made["code"], "title": "", "seq": 0, "state": {}, "students": 0}
    assert made["teacher_token"] not in client.get(f"/api/v1/sessions/{made['code']}").text


def test_only_the_teachers_token_puts_state(client):
    code, teacher = start(client)
    url = f"/api/v1/sessions/{code}/state"
    body = {"state": {"hash": "stage=2"}}
    missing = client.put(url, json=body)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["detail"][0]["loc"] == ["header", "authorization"]
    assert client.put(url, json=body, headers={"authorization": "Bearer nope"}).status_code == 403
    assert client.put(url, json=body, headers={"authorization": "Basic x"}).status_code == 401
    _, other = start(client)
    assert client.put(url, json=body, headers=other).status_code == 403
    assert client.put(url, json=body, headers=teacher).json() == {"seq": 1}
    assert client.get(f"/api/v1/sessions/{code}").json()["state"] == {"hash": "stage=2"}


@pytest.mark.parametrize("body, status, loc", [
    ({"state": {"hash": "x" * 70_000}}, 413, ["body", "state"]),
    ({"state": []}, 422, ["body", "state"]),
    ({"state": {}, "extra": 1}, 422, ["body", "extra"]),
    ({}, 422, ["body", "state"]),
])
def test_a_bad_state_is_refused_naming_the_field(client, body, status, loc):
    code, teacher = start(client)
    answer = client.put(f"/api/v1/sessions/{code}/state", json=body, headers=teacher)
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"][0]["loc"][:len(loc)] == loc


@pytest.mark.parametrize("raw", [b'{"state": {"a": NaN}}', b'{"state": {"a": 1, "a": 2}}',
                                 b'{"state": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
                                 b'{"state": '])
def test_state_that_is_not_plain_json_is_a_422(client, raw):
    code, teacher = start(client)
    answer = client.put(f"/api/v1/sessions/{code}/state", content=raw,
                        headers={**teacher, "content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][0] == "body"


def test_unknown_codes_are_404s_in_the_one_shape(client):
    for method, path in [("GET", "/api/v1/sessions/AAAAAA"), ("GET", "/api/v1/sessions/not-a-code"),
                         ("PUT", "/api/v1/sessions/AAAAAA/state"), ("GET", "/join/AAAAAA"),
                         ("GET", "/api/v1/sessions/AAAAAA/qr.svg")]:
        answer = client.request(method, path, json={"state": {}})
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["detail"][0]["type"] == "session_not_found"


def test_a_student_gets_the_state_at_once_then_every_change_in_order(client):
    code, teacher = start(client)
    client.put(f"/api/v1/sessions/{code}/state", json={"state": {"hash": "stage=1"}},
               headers=teacher)
    with client.websocket_connect(f"/api/v1/sessions/{code}/live?name=Ann") as ws:
        assert ws.receive_json() == {"type": "state", "seq": 1, "state": {"hash": "stage=1"}}
        hello = ws.receive_json()
        assert hello["type"] == "hello" and hello["name"] == "Ann" and len(hello["student"]) >= 16
        for stage in range(2, 12):
            client.put(f"/api/v1/sessions/{code}/state", json={"state": {"hash": f"stage={stage}"}},
                       headers=teacher)
        seen = [ws.receive_json() for _ in range(10)]
    assert [m["seq"] for m in seen] == list(range(2, 12))
    assert seen[-1]["state"] == {"hash": "stage=11"}


def test_a_student_cannot_send_state_and_names_are_cleaned(client):
    code, teacher = start(client)
    name = "%E2%80%AEAnn%0A%3Cb%3E"   # a right-to-left override, a newline, <b>
    with client.websocket_connect(f"/api/v1/sessions/{code}/live?name={name}") as ws:
        ws.receive_json()
        assert ws.receive_json()["name"] == "Ann<b>"   # control characters gone; shown as text
        ws.send_json({"type": "state", "seq": 99, "state": {"hash": "evil"}})
        refused = receive_until(ws, "error")
        assert refused["detail"][0]["type"] == "message_refused"
        ws.send_text("not json")
        assert receive_until(ws, "error")["detail"][0]["type"] == "message_refused"
    assert client.get(f"/api/v1/sessions/{code}").json()["state"] == {}


def poll_body(**extra) -> dict:
    return {"kind": "choice", "prompt": "Which way will w²₁₁ move?",
            "options": ["up", "down", "stays"], "answer": 1, **extra}


def test_a_poll_is_answered_counted_and_revealed(client):
    code, teacher = start(client)
    base = f"/api/v1/sessions/{code}/polls"
    with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ann, \
            client.websocket_connect(f"/api/v1/sessions/{code}/live") as bob:
        for ws in (ann, bob):
            receive_until(ws, "hello")
        poll = client.post(base, json=poll_body(), headers=teacher)
        assert poll.status_code == 201 and poll.json()["id"] == 1
        for ws in (ann, bob):
            shown = receive_until(ws, "poll")["poll"]
            assert shown["status"] == "open" and shown["answer"] is None   # not before the reveal
        ann.send_json({"type": "answer", "poll": 1, "value": 0})
        assert receive_until(ann, "ack")["poll"] == 1
        ann.send_json({"type": "answer", "poll": 1, "value": 1})   # a change of mind replaces it
        receive_until(ann, "ack")
        bob.send_json({"type": "answer", "poll": 1, "value": 7})
        assert receive_until(bob, "error")["detail"][0]["type"] == "answer_refused"
        bob.send_json({"type": "answer", "poll": 1, "value": 2})
        receive_until(bob, "ack")
        results = client.get(f"{base}/1/results", headers=teacher).json()
        assert results["answered"] == 2 and results["counts"] == [0, 1, 1]
        revealed = client.post(f"{base}/1/reveal", headers=teacher).json()
        assert revealed["correct"] == 1 and revealed["status"] == "revealed"
        reveal = receive_until(ann, "reveal")
        assert reveal["answer"] == 1 and reveal["results"]["counts"] == [0, 1, 1]
        bob.send_json({"type": "answer", "poll": 1, "value": 1})
        assert "closed" in receive_until(bob, "error")["detail"][0]["msg"]
    assert client.get(base, headers={"authorization": "Bearer x"}).status_code == 403


def test_number_polls_take_finite_numbers_and_report_every_value(client):
    code, teacher = start(client)
    client.post(f"/api/v1/sessions/{code}/polls", headers=teacher,
                json={"kind": "number", "prompt": "dC/dw?", "answer": 0.0821, "tolerance": 0.01})
    with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
        receive_until(ws, "poll")
        for value in (0.0821, 0.0822, True, "1", 1e300):
            ws.send_json({"type": "answer", "poll": 1, "value": value})
        kinds = [receive_until(ws, "ack" if i < 2 else "error")["type"] for i in range(5)]
        assert kinds == ["ack", "ack", "error", "error", "error"]
    results = client.get(f"/api/v1/sessions/{code}/polls/1/results", headers=teacher).json()
    assert results["values"] == [0.0822] and results["correct"] == 1   # one student: the latest


@pytest.mark.parametrize("body, loc", [
    ({"kind": "choice", "prompt": "?", "options": ["a"]}, ["body", "options"]),
    ({"kind": "choice", "prompt": "?"}, ["body"]),
    ({"kind": "choice", "prompt": "?", "options": ["a", "b"], "answer": 2}, ["body"]),
    ({"kind": "number", "prompt": "?", "options": ["a", "b"]}, ["body"]),
    ({"kind": "number", "prompt": "x" * 501}, ["body", "prompt"]),
    ({"kind": "vote", "prompt": "?"}, ["body", "kind"]),
])
def test_bad_polls_are_422s_naming_the_field(client, body, loc):
    code, teacher = start(client)
    answer = client.post(f"/api/v1/sessions/{code}/polls", json=body, headers=teacher)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][:len(loc)] == loc


def test_the_teachers_socket_needs_the_token_and_gets_the_figures(client):
    code, teacher = start(client)
    token = teacher["authorization"].split()[1]
    with client.websocket_connect(f"/api/v1/sessions/{code}/live?role=teacher") as ws:
        receive_until(ws, "state")
        ws.send_json({"type": "teacher", "token": "wrong"})
        assert receive_until(ws, "error")["detail"][0]["type"] == "token_wrong"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4403
    with client.websocket_connect(f"/api/v1/sessions/{code}/live?role=teacher") as ws:
        receive_until(ws, "state")
        ws.send_json({"type": "teacher", "token": token})
        assert receive_until(ws, "hello")["role"] == "teacher"
        with client.websocket_connect(f"/api/v1/sessions/{code}/live?name=%3Cb%3EAnn") as student:
            receive_until(student, "hello")
            for _ in range(10):
                roster = receive_until(ws, "students")
                if roster["count"] == 1:
                    break
            assert roster["names"] == ["<b>Ann"]   # as typed: pages show it as text
            client.post(f"/api/v1/sessions/{code}/polls", json=poll_body(), headers=teacher)
            receive_until(student, "poll")
            student.send_json({"type": "answer", "poll": 1, "value": 1})
            for _ in range(10):
                message = receive_until(ws, "results")
                if message["answered"] == 1:
                    break
            assert message["counts"] == [0, 1, 0]


def test_a_reconnecting_student_resumes_at_the_current_state_as_the_same_student(client):
    code, teacher = start(client)
    client.post(f"/api/v1/sessions/{code}/polls", json=poll_body(), headers=teacher)
    with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
        student = receive_until(ws, "hello")["student"]
        ws.send_json({"type": "answer", "poll": 1, "value": 0})
        receive_until(ws, "ack")
    for stage in range(3):
        client.put(f"/api/v1/sessions/{code}/state", json={"state": {"stage": stage}},
                   headers=teacher)
    with client.websocket_connect(f"/api/v1/sessions/{code}/live?student={student}") as ws:
        assert ws.receive_json() == {"type": "state", "seq": 3, "state": {"stage": 2}}
        assert receive_until(ws, "hello")["student"] == student
        assert receive_until(ws, "poll")["poll"]["id"] == 1
        ws.send_json({"type": "answer", "poll": 1, "value": 2})
        receive_until(ws, "ack")
    results = client.get(f"/api/v1/sessions/{code}/polls/1/results", headers=teacher).json()
    assert results["answered"] == 1 and results["counts"] == [0, 0, 1]


def test_students_past_the_limit_are_told_and_closed(tmp_path):
    with make_client(tmp_path, live_max_students=2) as client:
        code, _ = start(client)
        with client.websocket_connect(f"/api/v1/sessions/{code}/live") as a, \
                client.websocket_connect(f"/api/v1/sessions/{code}/live") as b:
            receive_until(a, "hello")
            receive_until(b, "hello")
            with client.websocket_connect(f"/api/v1/sessions/{code}/live") as c:
                refused = c.receive_json()
                assert refused["type"] == "error" and "BACKPROP_LIVE_MAX_STUDENTS" in \
                    refused["detail"][0]["msg"]
                with pytest.raises(WebSocketDisconnect) as closed:
                    c.receive_json()
                assert closed.value.code == 4429


def test_sessions_past_the_limit_are_a_503_naming_it(tmp_path):
    with make_client(tmp_path, live_max_sessions=2) as client:
        start(client)
        start(client)
        refused = client.post("/api/v1/sessions", json={})
        assert refused.status_code == 503
        assert "BACKPROP_LIVE_MAX_SESSIONS" in refused.json()["detail"][0]["msg"]


def test_a_flooding_or_oversized_client_is_refused_then_closed(tmp_path):
    with make_client(tmp_path, live_answer_rate=1.0, live_message_bytes=256) as client:
        code, _ = start(client)
        with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
            receive_until(ws, "hello")
            for _ in range(8):
                ws.send_json({"type": "answer", "poll": 1, "value": 0})
            errors = [ws.receive_json()["detail"][0] for _ in range(8)]
            limited = [e for e in errors if e["type"] == "rate_limited"]
            assert len(limited) >= 2 and "BACKPROP_LIVE_ANSWER_RATE" in limited[0]["msg"]
        with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
            receive_until(ws, "hello")
            ws.send_text("x" * 300)
            assert "BACKPROP_LIVE_MESSAGE_BYTES" in receive_until(ws, "error")["detail"][0]["msg"]
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 1009


def test_an_idle_session_expires_and_its_screens_are_told(tmp_path):
    with make_client(tmp_path, live_idle_seconds=10) as client:
        code, teacher = start(client)
        store = client.app.state.live.store
        with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
            receive_until(ws, "hello")
            store.sessions[code].expires = time.monotonic() - 1   # ten seconds later
            assert client.get(f"/api/v1/sessions/{code}").status_code == 404
            assert receive_until(ws, "ended")["reason"] == "expired"
        assert client.put(f"/api/v1/sessions/{code}/state", json={"state": {}},
                          headers=teacher).status_code == 404


def test_ending_a_session_tells_every_screen(client):
    code, teacher = start(client)
    with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
        receive_until(ws, "hello")
        assert client.delete(f"/api/v1/sessions/{code}").status_code == 401
        assert client.delete(f"/api/v1/sessions/{code}", headers=teacher).status_code == 204
        assert receive_until(ws, "ended")["reason"] == "ended"


def test_the_csv_lists_each_question_and_how_the_class_answered(client):
    code, teacher = start(client)
    client.post(f"/api/v1/sessions/{code}/polls", headers=teacher,
                json=poll_body(prompt="=HYPERLINK(\"x\")"))
    with client.websocket_connect(f"/api/v1/sessions/{code}/live") as ws:
        receive_until(ws, "poll")
        ws.send_json({"type": "answer", "poll": 1, "value": 1})
        receive_until(ws, "ack")
    client.post(f"/api/v1/sessions/{code}/polls", headers=teacher,
                json={"kind": "number", "prompt": "δ?", "answer": -0.5})
    answer = client.get(f"/api/v1/sessions/{code}/results.csv", headers=teacher)
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["poll"], r["answer_given"], r["students"], r["matches_engine"]) for r in rows] == [
        ("1", "up", "0", "no"), ("1", "down", "1", "yes"), ("1", "stays", "0", "no"),
        ("2", "", "0", "")]
    assert rows[0]["prompt"].startswith("'=")   # a spreadsheet does not run it
    assert rows[3]["engine_answer"] == "-0.5"
    assert client.get(f"/api/v1/sessions/{code}/results.csv").status_code == 401


def test_the_qr_code_reads_back_as_the_join_url(client):
    made = client.post("/api/v1/sessions", json={}).json()
    svg = client.get(f"/api/v1/sessions/{made['code']}/qr.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"style" not in svg.content and b"<script" not in svg.content
    import segno  # the same modules, drawn as pixels for the decoder

    modules = np.array(segno.make(made["join_url"], error="m").matrix, dtype=np.uint8)
    image = np.kron(np.pad(1 - modules, 4, constant_values=1) * 255, np.ones((8, 8), np.uint8))
    assert zxingcpp.read_barcode(image).text == made["join_url"]
    assert f'viewBox="0 0 {len(modules) + 8} {len(modules) + 8}"' in svg.text


def test_the_public_url_setting_goes_into_join_links(tmp_path):
    with make_client(tmp_path, public_url="http://192.0.2.7:8000/") as client:
        made = client.post("/api/v1/sessions", json={}).json()
        assert made["join_url"] == f"http://192.0.2.7:8000/join/{made['code']}"


def test_pages_escape_the_title(client):
    code, _ = start(client, title='</script><script>alert(1)</script>')
    for path in (f"/join/{code}", f"/teach/{code}"):
        page = client.get(path)
        assert page.status_code == 200
        assert "<script>alert(1)" not in page.text
    assert client.get("/join?code=ab%22c").status_code == 200
    assert client.get("/worksheet").status_code == 200


def test_live_sessions_are_refused_with_several_workers_and_no_redis(tmp_path):
    with make_client(tmp_path, workers=2) as client:
        refused = client.post("/api/v1/sessions", json={})
        assert refused.status_code == 503
        assert "BACKPROP_REDIS_URL" in refused.json()["detail"][0]["msg"]
        with client.websocket_connect("/api/v1/sessions/AAAAAA/live") as ws:
            assert ws.receive_json()["detail"][0]["type"] == "live_sessions_off"
        assert client.get("/healthz").status_code == 200   # the rest is served
        saved = client.post("/api/v1/states", json={"state": {"hash": "seed=2"}})
        assert saved.status_code == 201   # saved states are in SQLite, which workers share


def test_saved_states_come_back_by_their_short_link(client, tmp_path):
    state = {"hash": "net=2-3-1&seed=4", "selection": None}
    saved = client.post("/api/v1/states", json={"state": state})
    assert saved.status_code == 201
    key = saved.json()["id"]
    assert saved.json()["url"] == f"/s/{key}"
    assert client.post("/api/v1/states", json={"state": state}).json()["id"] == key
    assert client.get(f"/api/v1/states/{key}").json()["state"] == state
    page = client.get(f"/s/{key}")
    assert page.status_code == 200 and 'id="saved-state"' in page.text
    assert (tmp_path / "saved.sqlite3").exists()
    for missing in ("aaaaaaaaaa", "x"):
        answer = client.get(f"/api/v1/states/{missing}")
        assert answer.status_code == 404 and answer.json()["detail"][0]["loc"] == ["path", "id"]
        assert client.get(f"/s/{missing}").status_code == 404


def test_saved_states_are_bounded(tmp_path):
    with make_client(tmp_path, saved_max_bytes=2048, saved_max_count=10) as client:
        big = client.post("/api/v1/states", json={"state": {"hash": "x" * 3000}})
        assert big.status_code == 413 and "2048" in big.json()["detail"][0]["msg"]
        keys = [client.post("/api/v1/states", json={"state": {"n": n}}).json()["id"]
                for n in range(12)]
        assert client.get(f"/api/v1/states/{keys[0]}").status_code == 404   # the oldest went
        assert client.get(f"/api/v1/states/{keys[-1]}").status_code == 200
