"""`kb serve` as a user runs it: a real uvicorn process, stopped and started again."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

KB = shutil.which("kb") or str(Path(sys.executable).with_name("kb"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([KB, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("kb serve did not become ready within 60 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0


def _documents(port: int) -> int:
    r = httpx.post(f"http://127.0.0.1:{port}/graphql",
                   json={"query": "{ stats { nodes { label count } } }"}, timeout=10)
    counts = {n["label"]: n["count"] for n in r.json()["data"]["stats"]["nodes"]}
    return counts.get("Document", 0)


def test_serve_seeds_an_empty_store_and_keeps_data_across_restarts(tmp_path: Path) -> None:
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "NEO4J_URI": ""}
    port = _free_port()
    proc = _serve(env, port)
    try:
        r = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"})
        assert r.json() == {"data": {"__typename": "Query"}}
        assert _documents(port) == 3
    finally:
        _stop(proc)
    pid_file = tmp_path / "data" / "redis.pid"
    assert not pid_file.exists() or not _alive(int(pid_file.read_text()))
    proc = _serve({**env}, port)
    try:
        assert _documents(port) == 3  # same data, not loaded again
    finally:
        _stop(proc)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
