"""Admission control: heavy requests hold a slot while they compute, wait in a bounded queue in
order, and past both are refused at once with 503, Retry-After and the error shape; light
requests never wait for a slot."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from app.admission import Admission, Overloaded
from app.main import create_app
from app.settings import Settings

TRAIN = {"network": {"layer_sizes": [2, 16, 16, 1], "activations": ["tanh", "tanh", "sigmoid"],
                     "loss": "binary_cross_entropy"},
         "dataset": {"name": "xor", "samples": 400}, "iterations": 300, "include_data": False}
TINY = {"network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                    "loss": "squared_error"},
        "inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]]}


async def hold(admission: Admission, log: list, name: str, release: asyncio.Event):
    async with admission.slot():
        log.append(name)
        await release.wait()


def holders(admission: Admission, names: str, release: asyncio.Event):
    """A task per name that holds a slot until `release`; the names in the order they got one."""
    log: list[str] = []
    return log, [asyncio.create_task(hold(admission, log, name, release)) for name in names]


def test_slots_then_queue_in_order_then_refusal():
    async def scenario():
        admission, release = Admission(slots=2, queue=2), asyncio.Event()
        log, tasks = holders(admission, "abcd", release)
        await asyncio.sleep(0)
        assert log == ["a", "b"]
        assert admission.state() == {"running": 2, "waiting": 2, "slots": 2, "queue": 2}
        with pytest.raises(Overloaded, match="2 heavy requests with 2 more waiting"):
            async with admission.slot():
                pass
        release.set()
        await asyncio.gather(*tasks)
        assert log == ["a", "b", "c", "d"]
        assert admission.state()["running"] == 0 and admission.state()["waiting"] == 0

    asyncio.run(scenario())


def test_the_last_slot_released_calls_on_idle_once():
    async def scenario():
        idle: list[int] = []
        admission = Admission(slots=2, queue=2, on_idle=lambda: idle.append(1))
        release = asyncio.Event()
        _, tasks = holders(admission, "abc", release)
        await asyncio.sleep(0)
        assert idle == []
        release.set()
        await asyncio.gather(*tasks)
        assert idle == [1]

    asyncio.run(scenario())


def test_a_cancelled_waiter_gives_up_its_place_and_no_slot_is_lost():
    async def scenario():
        admission, release = Admission(slots=1, queue=2), asyncio.Event()
        log, (first, gone, last) = holders(admission, "fgl", release)
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.sleep(0)
        assert admission.state()["waiting"] == 1
        release.set()
        await asyncio.gather(first, last)
        assert log == ["f", "l"] and admission.state()["running"] == 0

    asyncio.run(scenario())


def test_a_slot_handed_to_a_cancelled_waiter_is_passed_on():
    async def scenario():
        admission, release = Admission(slots=1, queue=2), asyncio.Event()
        log, (first, unlucky, last) = holders(admission, "ful", release)
        await asyncio.sleep(0)
        admission._release()   # the first's slot goes to `unlucky`, which is cancelled before
        unlucky.cancel()       # it runs: the slot must move on to `last`
        release.set()
        await asyncio.gather(unlucky, return_exceptions=True)
        await asyncio.wait_for(last, 1)
        assert "u" not in log and "l" in log
        first.cancel()

    asyncio.run(scenario())


def test_heavy_requests_past_slots_and_queue_get_503_while_light_ones_pass():
    app = create_app(Settings(heavy_slots=1, heavy_queue=1))

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            heavy = [asyncio.create_task(client.post("/api/v1/train", json=TRAIN))
                     for _ in range(4)]
            await asyncio.sleep(0.05)
            light = await client.post("/api/v1/iterations", json=TINY)
            ready = await client.get("/readyz")
            return [await task for task in heavy], light, ready

    heavy, light, ready = asyncio.run(scenario())
    assert sorted(r.status_code for r in heavy) == [200, 200, 503, 503]
    refused = next(r for r in heavy if r.status_code == 503)
    assert refused.headers["retry-after"] == "2"
    (error,) = refused.json()["detail"]
    assert error["type"] == "overloaded" and "BACKPROP_HEAVY_SLOTS" in error["msg"]
    assert light.status_code == 200
    assert ready.status_code == 503 and ready.json()["detail"][0]["type"] == "overloaded"


@pytest.mark.parametrize("url, body", [
    ("/api/v1/iterations", {**TINY, "inputs": [[0.1, 0.2]] * 512, "targets": [[0.5, 0.5]] * 512,
                            "network": {"layer_sizes": [2, 32, 32, 2],
                                        "activations": ["tanh", "tanh", "sigmoid"],
                                        "loss": "squared_error"}}),
    ("/api/v1/gradcheck", TINY),
    ("/api/v1/cost", {"widths": [2]}),
    ("/api/v1/rnn/bptt", {"task": "echo", "steps": 5}),
])
def test_every_heavy_endpoint_is_admitted(url, body):
    """With the one slot taken, each heavy endpoint waits; with no queue, it is refused."""
    app = create_app(Settings(heavy_slots=1, heavy_queue=0))

    async def scenario():
        async with app.state.admission.slot():
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.post(url, json=body)

    assert asyncio.run(scenario()).status_code == 503


def test_a_heavy_request_whose_client_left_while_it_waited_is_not_computed():
    app = create_app(Settings(heavy_slots=1, heavy_queue=1))
    body = json.dumps(TRAIN).encode()
    sent: list[dict] = []

    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():   # the body, then the client is gone (as uvicorn says it, at once)
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async def scenario():
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/api/v1/train", "raw_path": b"",
                 "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 80),
                 "headers": [(b"content-type", b"application/json"),
                             (b"content-length", str(len(body)).encode())]}
        async with app.state.admission.slot():
            waiting = asyncio.create_task(app(scope, receive, send))
            await asyncio.sleep(0.05)
        await asyncio.wait_for(waiting, 5)

    asyncio.run(scenario())
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["detail"][0]["type"] == "client_disconnected"
