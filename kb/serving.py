"""`kb serve --workers N`: the API in N uvicorn worker processes sharing one store.

One Python process runs one request's resolvers at a time (the GIL), so a single process uses
one core whatever the concurrency. With several workers, uvicorn's supervisor binds the socket
once and hands it to each worker process; the kernel spreads connections over them.

The store is shared, never copied: the parent (`kb serve`) opens the store first (starting the
embedded FalkorDB server when none runs, and loading the seed corpus into an empty store), then
starts the workers, and each worker's app opens its own client to that same server (the
embedded one through its Unix socket and password file in KB_DATA_DIR, Neo4j through
NEO4J_URI). A worker never starts a server of its own at start-up because the parent's is
already running, so stopping is the parent's job: on SIGINT, SIGTERM or SIGHUP the supervisor
stops every worker and waits for them, and only then does the parent close its store, which
stops the embedded server if the parent started it (and leaves alone one that ran before).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket

from starlette.applications import Starlette
from uvicorn import Config
from uvicorn.supervisors.multiprocess import SIGNALS, Multiprocess

from kb.config import Settings

log = logging.getLogger("uvicorn.error")

MIN_WORKERS = 2
MAX_WORKERS = 4
"""The default number of workers is the cores available, kept within these bounds: two
workers help even on one core (one runs while the other waits for the store), and beyond four
the processes mostly wait for the one store server."""


def default_workers() -> int:
    """The cores this process may run on, within MIN_WORKERS..MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(MIN_WORKERS, min(MAX_WORKERS, cores))


def worker_app() -> Starlette:
    """The app of one worker process (`uvicorn kb.serving:worker_app --factory`): it reads the
    settings from the environment it inherited and opens its own client to the shared store in
    its lifespan."""
    from kb.api.app import create_app

    _die_with_parent()
    return create_app(Settings.from_env())


def _die_with_parent() -> None:
    """A worker gets SIGTERM (and shuts down cleanly) when `kb serve` dies, even by SIGKILL,
    instead of serving on as an orphan (Linux; elsewhere the supervisor's stop is the only
    way)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the call
            os.kill(os.getpid(), signal.SIGTERM)


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, with SIGHUP stopping the server as SIGINT and SIGTERM do (uvicorn
    restarts the workers on SIGHUP; `kb` treats a closed terminal as a stop everywhere)."""

    def handle_hup(self) -> None:
        log.info("Received SIGHUP, exiting.")
        self.should_exit.set()


def _tcp(sock: socket.socket) -> socket.socket:
    """The listening socket with its protocol said (IPPROTO_TCP). uvicorn binds it with
    `socket.socket(family=...)`, protocol 0, and asyncio turns Nagle's algorithm off
    (TCP_NODELAY) only on accepted sockets whose protocol is IPPROTO_TCP: every response, which
    uvicorn writes in two parts (headers, then body), then waited for the client's delayed ACK,
    about 40 ms a request (measured: /health/live 44 ms with two workers, 0.6 ms with one)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


def serve_workers(host: str, port: int, workers: int, log_level: str = "info",
                  app: str = "kb.serving:worker_app", access_log: bool = True) -> None:
    """Serve the API (or another app factory, `app`) in `workers` processes until a stop
    signal; returns once every worker has exited. The caller holds the store open around this
    call."""
    config = Config(
        app,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        lifespan="on",
        access_log=access_log,
    )
    sock = _tcp(config.bind_socket())
    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
    try:
        _Supervisor(config, sockets=[sock]).run()
    finally:
        sock.close()
        # the supervisor's handlers only queue signals for its loop, which has ended: the
        # caller's own handlers are back for its clean-up (closing the store)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
