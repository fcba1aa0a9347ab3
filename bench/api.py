"""API benchmark: the real server under a bounded loopback load, iterations beside /healthz.

Starts the server as `make run` does (app.serve: uvicorn workers, a socket each) on 127.0.0.1,
then for 1, 10 and 50 concurrent clients sends a fixed number of requests to GET /healthz (the
floor) and to POST /api/v1/iterations for a 2-8-8-1 network with 32 samples (a different seed
each request, so nothing is served from what the server keeps), in rounds that
alternate between the two, and prints requests per second, p50 and p99 latency, errors, and
iterations throughput as a fraction of /healthz throughput.
Every loop is bounded in count and time and stops by itself. The load generator is a minimal
HTTP/1.1 keep-alive client, an asyncio protocol per connection: a full client library costs more
CPU per request than the server's /healthz, and on two cores that would measure the client, not
the server. Each client keeps its connection from round to round, as a browser does.
Run: `.venv/bin/python bench/api.py [--workers 2] [--requests 2400] [--rounds 8]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import time

import numpy as np
from live_server import (  # bench/live_server.py, beside this script
    cpu_seconds,
    free_port,
    process_tree,
    start_server,
)

CONCURRENCY = (1, 10, 50)
TIME_LIMIT = 120.0  # seconds per measurement, whatever happens
DISTINCT_BODIES = 1009  # more than the server keeps seeded draws of (256), and prime


def iteration_body(seed: int = 1) -> dict:
    """A 2-8-8-1 tanh network with 32 samples, parameters drawn from `seed` by the server."""
    rng = np.random.default_rng(0)
    inputs = rng.uniform(-1, 1, size=(32, 2))
    targets = (inputs[:, :1] * inputs[:, 1:] > 0).astype(float)
    return {"network": {"layer_sizes": [2, 8, 8, 1],
                        "activations": ["tanh", "tanh", "sigmoid"],
                        "loss": "binary_cross_entropy"},
            "seed": seed, "inputs": inputs.tolist(), "targets": targets.tolist(),
            "learning_rate": 0.5}


def iteration_bodies(count: int) -> list[bytes]:
    """`count` bodies that differ in their seed, so each request draws other parameters: the
    server keeps recent draws (engine/init.py), and one body sent again would measure that."""
    return [json.dumps(iteration_body(seed)).encode() for seed in range(1, count + 1)]


def http_request(method: str, path: str, body: bytes | None) -> bytes:
    """The bytes of one HTTP/1.1 request, accepting gzip as a browser does."""
    head = f"{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\naccept-encoding: gzip\r\n"
    if body is not None:
        head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + (body or b"")


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection. It reads each answer whole (status line, headers,
    and as many body bytes as Content-Length says, or every chunk) as the bytes arrive, and
    wakes the request once per answer: a stream reader woke it once per piece of a 31 kB body,
    and on two cores that client time comes out of the server's. After an answer that says
    `connection: close` (the server recycles connections) the next request connects anew."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.status = 0
        self.remaining: int | None = None   # body bytes still to come, once the head is read
        self.chunked = False
        self.closing = False                 # the last answer said `connection: close`
        self.lost: asyncio.Future | None = None

    async def request(self, data: bytes) -> int:
        """Send one request's bytes and wait for the whole answer; its status code."""
        loop = asyncio.get_running_loop()
        if self.closing:
            self.closing = False
            if self.transport is not None:
                self.transport.close()
            await self.lost
        if self.transport is None:
            await loop.create_connection(lambda: self, self.host, self.port)
        self.waiter = loop.create_future()
        self.transport.write(data)
        return await self.waiter

    def connection_made(self, transport):
        self.transport = transport
        self.lost = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes):
        self.buffer += data
        while self.waiter is not None and not self.waiter.done() and self._advance():
            pass

    def _advance(self) -> bool:
        """Consume what the buffer holds of the answer; True once it is complete."""
        if self.remaining is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return False
            head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            del self.buffer[:end + 4]
            self.status = int(head[0].split()[1])
            fields = dict(line.lower().split(": ", 1) for line in head[1:])
            self.chunked = "chunked" in fields.get("transfer-encoding", "")
            self.closing = fields.get("connection") == "close"
            self.remaining = 0 if self.chunked else int(fields.get("content-length", 0))
        if self.chunked:
            return self._advance_chunked()
        if len(self.buffer) < self.remaining:
            return False
        del self.buffer[:self.remaining]
        return self._finish()

    def _advance_chunked(self) -> bool:
        while True:
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return False
            size = int(self.buffer[:end], 16)
            if len(self.buffer) < end + 2 + size + 2:
                return False
            del self.buffer[:end + 2 + size + 2]
            if size == 0:
                return self._finish()

    def _finish(self) -> bool:
        self.remaining = None
        self.waiter.set_result(self.status)
        return True

    def connection_lost(self, error):
        self.transport = None
        if not self.lost.done():
            self.lost.set_result(None)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the server closed the connection"))

    def close(self):
        if self.transport is not None:
            self.transport.close()


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def load(pool: list[Connection], sent: list[bytes], requests: int,
               server: list[int] = ()) -> dict:
    """`requests` requests spread over the pool's connections, one client each, each the next
    of `sent` (requests' bytes) in turn; latencies in seconds."""
    latencies: list[float] = []
    errors = 0
    remaining = requests
    stop_at = time.monotonic() + TIME_LIMIT

    async def worker(slot: int):
        nonlocal remaining, errors
        while remaining > 0 and time.monotonic() < stop_at:
            remaining -= 1
            data = sent[remaining % len(sent)]
            start = time.perf_counter()
            try:
                if await pool[slot].request(data) != 200:
                    errors += 1
            except (OSError, ValueError, IndexError):
                errors += 1
                pool[slot].close()
                pool[slot] = Connection(pool[slot].host, pool[slot].port)
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    server_before, client_before = cpu_seconds(server), own_cpu_seconds()
    await asyncio.gather(*(worker(slot) for slot in range(len(pool))))
    return {"latencies": latencies, "errors": errors, "elapsed": time.perf_counter() - start,
            "server_cpu": cpu_seconds(server) - server_before,
            "client_cpu": own_cpu_seconds() - client_before}


def summary(parts: list[dict]) -> dict:
    """Rounds of one endpoint pooled: requests per second over their total time, latencies."""
    latencies = sorted(x for part in parts for x in part["latencies"])
    count = len(latencies)
    return {"rps": count / sum(part["elapsed"] for part in parts),
            "p50": statistics.median(latencies),
            "p99": latencies[min(count - 1, int(0.99 * count))],
            "errors": sum(part["errors"] for part in parts), "count": count,
            "round_rps": [len(part["latencies"]) / part["elapsed"] for part in parts],
            "server_ms": sum(part["server_cpu"] for part in parts) / count * 1e3,
            "client_ms": sum(part["client_cpu"] for part in parts) / count * 1e3}


async def run(port: int, requests: int, rounds: int, server: list[int]) -> list[tuple]:
    """Per client count, `rounds` alternations of /healthz and /iterations, so that a slow
    moment of a shared machine falls on both rows alike rather than on whichever ran then.
    Each endpoint keeps its clients' connections open from round to round, as browsers keep
    theirs, and opens them before it is measured."""
    host = "127.0.0.1"
    endpoints = ([http_request("GET", "/healthz", None)],
                 [http_request("POST", "/api/v1/iterations", body)
                  for body in iteration_bodies(DISTINCT_BODIES)])
    rows = []
    for clients in CONCURRENCY:
        pools = [[Connection(host, port) for _ in range(clients)] for _ in endpoints]
        try:
            for pool, sent in zip(pools, endpoints, strict=True):
                await load(pool, sent, 4 * clients)  # connect and warm up
            parts: list[list[dict]] = [[], []]
            for _ in range(rounds):
                for i, sent in enumerate(endpoints):
                    parts[i].append(await load(pools[i], sent, requests // rounds, server))
        finally:
            for connection in (c for pool in pools for c in pool):
                connection.close()
        rows.append((clients, summary(parts[0]), summary(parts[1])))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=2400,
                        help="requests per endpoint and client count")
    parser.add_argument("--rounds", type=int, default=8,
                        help="alternations of the two endpoints the requests are split into")
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        rows = asyncio.run(run(port, args.requests, args.rounds, process_tree(server.pid)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"app.serve (uvicorn), {args.workers} workers, {args.requests} requests per row in "
          f"{args.rounds} rounds alternating with the other endpoint; POST /api/v1/iterations "
          f"is a 2-8-8-1 network with 32 samples, its parameters drawn from one of "
          f"{DISTINCT_BODIES} seeds in turn, gzip accepted\n")
    print(f"{'clients':>7} {'endpoint':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'errors':>6} {'vs healthz':>10} {'per round':>11} {'server CPU':>11} "
          f"{'client CPU':>11}")
    for clients, floor, measured in rows:
        for name, row in (("GET /healthz", floor), ("POST /iterations", measured)):
            ratio = row["rps"] / floor["rps"]
            rounds = [a / b for a, b in zip(row["round_rps"], floor["round_rps"], strict=True)]
            spread = f"{min(rounds):.2f}-{max(rounds):.2f}"
            print(f"{clients:>7} {name:<22} {row['rps']:8.0f} {row['p50'] * 1e3:8.1f} "
                  f"{row['p99'] * 1e3:8.1f} {row['errors']:>6} {ratio:10.2f} {spread:>11} "
                  f"{row['server_ms']:8.3f} ms {row['client_ms']:8.3f} ms")
    print("\nper round: the lowest and highest ratio of one round's iterations throughput to the "
          "/healthz round just before it (a shared machine's speed drifts from round to round).")
    print("CPU columns: processor time per request, of the server's processes (from /proc) and "
          "of this load generator; the two share the machine's cores.")
    print("\ntargets at 50 clients: no errors, iterations p99 < 100 ms, "
          "iterations throughput >= 0.33 of /healthz")


if __name__ == "__main__":
    main()
