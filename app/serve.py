"""Serve the app with several uvicorn worker processes, each on its own SO_REUSEPORT socket.

`uvicorn --workers N` shares one listening socket, and the worker that wakes first accepts every
connection waiting. Ten clients connecting at once, as a class opening the same lesson does,
all landed on one worker in two of three tries here while the other idled; with fifty, one
worker got 41. With a socket per worker, Linux spreads new connections over the sockets by a
hash of their addresses. Elsewhere SO_REUSEPORT does not balance, and uvicorn's own workers
are used.

A worker imports the app before its socket listens, so a replacement takes no connection it
cannot answer yet (the socket listened for 0.8 s before the app was ready). Every worker speaks
HTTP through app/protocol.py: bounded heads, deadlines, a connection bound, recycled keep-alive
connections, lingering closes.

Run: `python -m app.serve --host 127.0.0.1 --port 8000 --workers 2` (`make run WORKERS=2`).
A worker that exits is replaced; one that keeps exiting soon after it starts stops the server.
SIGINT or SIGTERM stops the workers gracefully.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from multiprocessing.connection import wait

import uvicorn

from app.live.setup import why_off
from app.memory import return_large_blocks
from app.settings import get_settings

APP = "app.main:app"
HTTP = "app.protocol:BoundedHttpToolsProtocol"
BACKLOG = 2048
QUICK_EXIT = 10.0      # seconds: a worker that exits sooner than this after starting is failing
MAX_QUICK_EXITS = 5    # in a row, before the server gives up
STOP_TIMEOUT = 30.0    # seconds a worker gets to finish its requests once told to stop
PR_SET_PDEATHSIG = 1   # linux/prctl.h

logger = logging.getLogger("app.serve")
# Live classes' sockets: a client's message is small (BACKPROP_LIVE_MESSAGE_BYTES), and messages
# go uncompressed: with per-message deflate each student's connection keeps its own compressor
# (116 kB of the workers' memory per student in bench/live.py, against 63 kB without) and
# compresses the same small state again for every student.
WEBSOCKETS = {"ws_max_size": get_settings().live_message_bytes, "ws_per_message_deflate": False}


def balances_connections() -> bool:
    """Linux spreads connections over sockets that share a port; other systems do not."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bound_socket(host: str, port: int, share: bool) -> socket.socket:
    """A TCP socket bound to host:port, not yet listening (the event loop listens on it once the
    server is ready); with `share`, the other workers' sockets may bind beside it."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def check_port_free(host: str, port: int) -> None:
    """Raise OSError if anything listens on host:port, an earlier server of ours included: a
    socket without SO_REUSEPORT cannot bind beside one. Without this check a second server
    would quietly share the port with the first."""
    bound_socket(host, port, share=False).close()


def stop_with_parent(parent: int) -> None:
    """Have Linux send this process SIGTERM when its parent dies, even of SIGKILL, so no
    worker is left holding the port (prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:   # the parent died before the call above
        os.kill(os.getpid(), signal.SIGTERM)


def run_worker(host: str, port: int, log_level: str, access_log: bool, parent: int) -> None:
    """One worker process: the app imported, then its own socket, one uvicorn server (its event
    loop, the app), which starts listening once the app has started."""
    stop_with_parent(parent)
    return_large_blocks()
    config = uvicorn.Config(APP, http=HTTP, log_level=log_level, access_log=access_log,
                            backlog=BACKLOG, **WEBSOCKETS)
    config.load()
    sock = bound_socket(host, port, share=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass   # Ctrl+C reaches every process of the group; uvicorn has already shut down


class Supervisor:
    """Starts the workers, replaces any that exit, and stops them all on SIGINT or SIGTERM."""

    def __init__(self, workers: int, worker_args: tuple):
        self.count = workers
        self.worker_args = worker_args
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[tuple[multiprocessing.Process, float]] = []
        self.stopping = False

    def start_one(self) -> tuple[multiprocessing.Process, float]:
        process = self.context.Process(target=run_worker, args=(*self.worker_args, os.getpid()),
                                       name="backprop-worker")
        process.start()
        return process, time.monotonic()

    def stop(self, *_signal) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        self.processes = [self.start_one() for _ in range(self.count)]
        quick_exits, status = 0, 0
        while not self.stopping:
            wait([process.sentinel for process, _ in self.processes], timeout=0.5)
            for i, (process, started) in enumerate(self.processes):
                if process.is_alive() or self.stopping:
                    continue
                quick_exits = quick_exits + 1 if time.monotonic() - started < QUICK_EXIT else 0
                if quick_exits > MAX_QUICK_EXITS:
                    logger.error("workers keep exiting at start; stopping")
                    self.stopping, status = True, 1
                    break
                logger.warning("worker %s exited with code %s; starting another",
                               process.pid, process.exitcode)
                self.processes[i] = self.start_one()
        self.shut_down()
        return status

    def shut_down(self) -> None:
        for process, _ in self.processes:
            if process.is_alive():
                process.terminate()   # SIGTERM: uvicorn finishes what it is serving, then exits
        deadline = time.monotonic() + STOP_TIMEOUT
        for process, _ in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"])
    parser.add_argument("--no-access-log", dest="access_log", action="store_false")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s:     %(message)s")
    # The workers read how many they are (live sessions need Redis past one: app/live/setup.py).
    os.environ["BACKPROP_WORKERS"] = str(args.workers)
    get_settings.cache_clear()
    if off := why_off(get_settings()):
        logger.warning("%s; everything else is served", off)
    if args.workers == 1 or not balances_connections():
        return_large_blocks()
        uvicorn.run(APP, http=HTTP, host=args.host, port=args.port, workers=args.workers,
                    log_level=args.log_level, access_log=args.access_log, backlog=BACKLOG,
                    **WEBSOCKETS)
        return 0
    if args.port == 0:
        parser.error("several workers need a fixed --port: each binds its own socket to it")
    try:
        check_port_free(args.host, args.port)
    except OSError as error:
        logger.error("cannot listen on %s:%s: %s", args.host, args.port, error)
        return 1
    logger.info("serving on http://%s:%s with %s workers, a socket each", args.host, args.port,
                args.workers)
    worker_args = (args.host, args.port, args.log_level, args.access_log)
    return Supervisor(args.workers, worker_args).run()


if __name__ == "__main__":
    sys.exit(main())
