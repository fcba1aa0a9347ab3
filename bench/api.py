"""API benchmark: the real server under a bounded loopback load, iterations beside /healthz.

Starts the server as `make run` does (app.serve: uvicorn workers, a socket each) on 127.0.0.1,
then for 1, 10 and 50 concurrent clients sends a fixed number of requests to GET /healthz (the
floor) and to POST /api/v1/iterations for a 2-8-8-1 network with 32 samples (a different seed
each request, so nothing is served from what the server keeps), in rounds that
alternate between the two, and prints requests per second, p50 and p99 latency, errors, and
iterations throughput as a fraction of /healthz throughput.
Every loop is bounded in count and time and stops by itself. The load generator is a minimal
HTTP/1.1 keep-alive client on asyncio streams: a full client library costs more CPU per request
than the server's /healthz, and on two cores that would measure the client, not the server.
Run: `.venv/bin/python bench/api.py [--workers 2] [--requests 1200] [--rounds 4]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import numpy as np
from live_server import free_port, start_server  # bench/live_server.py, beside this script

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


class Connection:
    """One keep-alive HTTP/1.1 connection that sends a request and reads the whole answer."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes | None) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (f"{method} {path} HTTP/1.1\r\nhost: {self.host}\r\n"
                "accept-encoding: gzip\r\n")
        if body is not None:
            head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        status = int((await self.reader.readline()).split()[1])
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value:
                chunked = True
        if chunked:
            while (size := int((await self.reader.readline()).strip(), 16)) > 0:
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            await self.reader.readexactly(length)
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()


async def load(host: str, port: int, method: str, path: str, bodies: list[bytes | None],
               clients: int, requests: int) -> dict:
    """`requests` requests spread over `clients` concurrent connections, each with the next of
    `bodies` in turn; latencies in seconds."""
    latencies: list[float] = []
    errors = 0
    remaining = requests
    stop_at = time.monotonic() + TIME_LIMIT

    async def worker():
        nonlocal remaining, errors
        connection = Connection(host, port)
        try:
            while remaining > 0 and time.monotonic() < stop_at:
                remaining -= 1
                body = bodies[remaining % len(bodies)]
                start = time.perf_counter()
                try:
                    if await connection.request(method, path, body) != 200:
                        errors += 1
                except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                    errors += 1
                    connection.close()
                    connection = Connection(host, port)
                latencies.append(time.perf_counter() - start)
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return {"latencies": latencies, "errors": errors, "elapsed": time.perf_counter() - start}


def summary(parts: list[dict]) -> dict:
    """Rounds of one endpoint pooled: requests per second over their total time, latencies."""
    latencies = sorted(x for part in parts for x in part["latencies"])
    return {"rps": len(latencies) / sum(part["elapsed"] for part in parts),
            "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "errors": sum(part["errors"] for part in parts), "count": len(latencies)}


async def run(port: int, requests: int, rounds: int) -> list[tuple]:
    """Per client count, `rounds` alternations of /healthz and /iterations, so that a slow
    moment of a shared machine falls on both rows alike rather than on whichever ran then."""
    bodies = iteration_bodies(DISTINCT_BODIES)
    host = "127.0.0.1"
    await load(host, port, "GET", "/healthz", [None], 4, 100)  # warm up both routes
    await load(host, port, "POST", "/api/v1/iterations", bodies, 4, 100)
    rows = []
    for clients in CONCURRENCY:
        floor, measured = [], []
        for _ in range(rounds):
            floor.append(await load(host, port, "GET", "/healthz", [None], clients,
                                    requests // rounds))
            measured.append(await load(host, port, "POST", "/api/v1/iterations", bodies,
                                       clients, requests // rounds))
        rows.append((clients, summary(floor), summary(measured)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=1200,
                        help="requests per endpoint and client count")
    parser.add_argument("--rounds", type=int, default=4,
                        help="alternations of the two endpoints the requests are split into")
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        rows = asyncio.run(run(port, args.requests, args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"app.serve (uvicorn), {args.workers} workers, {args.requests} requests per row in "
          f"{args.rounds} rounds alternating with the other endpoint; POST /api/v1/iterations "
          f"is a 2-8-8-1 network with 32 samples, its parameters drawn from one of "
          f"{DISTINCT_BODIES} seeds in turn, gzip accepted\n")
    print(f"{'clients':>7} {'endpoint':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'errors':>6} {'vs healthz':>10}")
    for clients, floor, measured in rows:
        for name, row in (("GET /healthz", floor), ("POST /iterations", measured)):
            ratio = row["rps"] / floor["rps"]
            print(f"{clients:>7} {name:<22} {row['rps']:8.0f} {row['p50'] * 1e3:8.1f} "
                  f"{row['p99'] * 1e3:8.1f} {row['errors']:>6} {ratio:10.2f}")
    print("\ntargets at 50 clients: no errors, iterations p99 < 100 ms, "
          "iterations throughput >= 0.33 of /healthz")


if __name__ == "__main__":
    main()
