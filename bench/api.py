"""API benchmark: the real server under a bounded loopback load, iterations beside /healthz.

Starts uvicorn on 127.0.0.1 (a free port, WORKERS processes), then for 1, 10 and 50 concurrent
clients sends a fixed number of requests to GET /healthz (the floor) and to
POST /api/v1/iterations for a 2-8-8-1 network with 32 samples, and prints requests per second,
p50 and p99 latency, errors, and iterations throughput as a fraction of /healthz throughput.
Every loop is bounded in count and time and stops by itself.
Run: `.venv/bin/python bench/api.py [--workers 2] [--requests 400]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = (1, 10, 50)
TIME_LIMIT = 120.0  # seconds per measurement, whatever happens


def iteration_body() -> dict:
    """A 2-8-8-1 tanh network with 32 samples, parameters drawn from a seed by the server."""
    rng = np.random.default_rng(0)
    inputs = rng.uniform(-1, 1, size=(32, 2))
    targets = (inputs[:, :1] * inputs[:, 1:] > 0).astype(float)
    return {"network": {"layer_sizes": [2, 8, 8, 1],
                        "activations": ["tanh", "tanh", "sigmoid"],
                        "loss": "binary_cross_entropy"},
            "seed": 1, "inputs": inputs.tolist(), "targets": targets.tolist(),
            "learning_rate": 0.5}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start within 30 s")


async def load(client: httpx.AsyncClient, method: str, url: str, body: dict | None,
               clients: int, requests: int) -> dict:
    """`requests` requests spread over `clients` concurrent workers; latencies in seconds."""
    latencies: list[float] = []
    errors = 0
    remaining = requests
    stop_at = time.monotonic() + TIME_LIMIT

    async def worker():
        nonlocal remaining, errors
        while remaining > 0 and time.monotonic() < stop_at:
            remaining -= 1
            start = time.perf_counter()
            try:
                response = await client.request(method, url, json=body)
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "errors": errors, "count": len(latencies)}


async def run(base: str, requests: int) -> list[tuple]:
    body = iteration_body()
    limits = httpx.Limits(max_connections=max(CONCURRENCY), max_keepalive_connections=64)
    rows = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for _ in range(20):  # warm up both routes
            await client.get("/healthz")
            await client.post("/api/v1/iterations", json=body)
        for clients in CONCURRENCY:
            floor = await load(client, "GET", "/healthz", None, clients, requests)
            measured = await load(client, "POST", "/api/v1/iterations", body, clients, requests)
            rows.append((clients, floor, measured))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        rows = asyncio.run(run(f"http://127.0.0.1:{port}", args.requests))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"uvicorn, {args.workers} workers, {args.requests} requests per row; "
          "POST /api/v1/iterations is a 2-8-8-1 network with 32 samples\n")
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
