"""`kb serve --workers N`: N worker processes answer requests, all through the one embedded store
the command started, and a stop leaves no worker and no store behind."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from processes import alive, free_port, serve, store_pid, wait_gone

from kb.serving import MAX_WORKERS, MIN_WORKERS, default_workers

QUERY = {"query": "{ stats { nodes { label count } } }"}


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def workers_of(pid: int) -> list[int]:
    """uvicorn's worker processes (multiprocessing spawn children) under `kb serve`."""
    return [c for c in children(pid) if "spawn_main" in cmdline(c)]


def redis_servers(data_dir: Path) -> list[int]:
    """Every embedded server process listening in `data_dir` (there must be one)."""
    sock = str(data_dir / "falkordb.sock")
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if sock in cmdline(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


async def _parallel(port: int, n: int) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=30) as client:
        return await asyncio.gather(
            *(client.post(f"http://127.0.0.1:{port}/graphql", json=QUERY) for _ in range(n))
        )


def test_default_workers_are_the_cores_within_bounds() -> None:
    cores = len(os.sched_getaffinity(0))
    assert default_workers() == max(MIN_WORKERS, min(MAX_WORKERS, cores))


def test_workers_share_the_one_store_and_stop_with_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "KB_DATA_DIR": str(data), "NEO4J_URI": ""}
    port = free_port()
    proc = serve(env, port, "--workers", "2")
    try:
        workers = workers_of(proc.pid)
        assert len(workers) == 2, [cmdline(w) for w in workers]
        store = store_pid(data)
        assert store is not None
        assert redis_servers(data) == [store]  # the workers started no store of their own
        answers = asyncio.run(_parallel(port, 16))
        assert {r.status_code for r in answers} == {200}
        bodies = {r.text for r in answers}
        assert len(bodies) == 1 and '"Document","count":3' in bodies.pop()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    assert all(wait_gone(w) for w in workers)
    assert wait_gone(store), "the store outlived kb serve"
    assert redis_servers(data) == []


def test_one_worker_serves_in_the_command_itself(tmp_path: Path) -> None:
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "NEO4J_URI": ""}
    port = free_port()
    proc = serve(env, port, "--workers", "1")
    try:
        assert workers_of(proc.pid) == []
        r = httpx.post(f"http://127.0.0.1:{port}/graphql", json=QUERY, timeout=30)
        assert r.status_code == 200 and r.json()["data"]["stats"]["nodes"]
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    assert not alive(proc.pid)


@pytest.mark.parametrize("bad", ["0", "-1"])
def test_a_worker_count_below_one_is_refused(tmp_path: Path, bad: str) -> None:
    from processes import KB

    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "NEO4J_URI": ""}
    result = subprocess.run(
        [KB, "serve", "--workers", bad], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert "--workers" in result.stderr
    assert store_pid(tmp_path / "data") is None


def test_workers_die_with_a_killed_kb_serve(tmp_path: Path) -> None:
    """SIGKILL leaves the parent no chance to stop its workers: they must not serve on."""
    from kb.store.embedded import EmbeddedServer

    data = tmp_path / "data"
    env = {**os.environ, "KB_DATA_DIR": str(data), "NEO4J_URI": ""}
    proc = serve(env, free_port(), "--workers", "2")
    try:
        workers = workers_of(proc.pid)
        assert len(workers) == 2
        proc.kill()
        proc.wait(timeout=30)
        assert all(wait_gone(w, timeout=30) for w in workers), "a worker outlived kb serve"
    finally:
        EmbeddedServer(data).kill()  # the store a killed command could not stop
