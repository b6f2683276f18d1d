"""`kb serve` as a user runs it: a real uvicorn process, stopped and started again."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from processes import alive, free_port, serve, store_pid


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
    port = free_port()
    proc = serve(env, port)
    try:
        r = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"})
        assert r.json() == {"data": {"__typename": "Query"}}
        assert _documents(port) == 3
    finally:
        _stop(proc)
    pid_file = tmp_path / "data" / "redis.pid"
    assert not pid_file.exists() or not alive(int(pid_file.read_text()))
    proc = serve({**env}, port)
    try:
        assert _documents(port) == 3  # same data, not loaded again
    finally:
        _stop(proc)


def test_serve_refuses_a_store_it_failed_to_seed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken install (a seed document that cannot be loaded) is not an empty graph."""
    from typer.testing import CliRunner

    import kb.ingest
    from kb.cli import app as cli

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text("Heron Accord\n\nMark Esper said the accord was lawful.\n")
    (seeds / "broken.txt").write_bytes(b"\x00\x01\x02 not a document")
    monkeypatch.setattr(kb.ingest, "seed_corpus", lambda: seeds)
    env = {"KB_DATA_DIR": str(tmp_path / "data"), "NEO4J_URI": ""}
    result = CliRunner().invoke(cli, ["serve", "--port", str(free_port())], env=env)
    assert result.exit_code == 1, result.output
    assert "broken.txt" in result.output
    assert "not serving an incomplete graph" in result.output
    assert store_pid(tmp_path / "data") is None  # and the store it started is stopped
