"""Faults: the embedded store SIGKILLed mid-load, `kb` itself SIGKILLed, an unusable data
directory. (The store going down under the API is covered in test_api_http.py.)"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from test_reliability_documents import assert_same_graph, dump, make_corpus
from typer.testing import CliRunner

from kb.cli import app
from kb.store.base import StoreTimeout, StoreUnavailable
from kb.store.embedded import EmbeddedServer
from kb.store.falkordb import FalkorDBStore

KB = shutil.which("kb") or str(Path(sys.executable).with_name("kb"))
runner = CliRunner()


def servers_on(data_dir: Path) -> list[int]:
    """Pids of every redis-server of this data directory (redis retitles itself with its
    socket path, so look for either the socket or the config file)."""
    marks = (str(data_dir / "falkordb.sock").encode(), str(data_dir / "redis.conf").encode())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"redis-server" in cmd and any(mark in cmd for mark in marks):
                found.append(int(entry.name))
    return found


def documents_in(data_dir: Path) -> int:
    """Documents loaded so far, read through the live server (reused, never started here)."""
    import asyncio

    from kb.store.falkordb import FalkorDBStore

    async def main() -> int:
        store = FalkorDBStore(data_dir)
        await store.connect()
        try:
            rows = await store.read("MATCH (d:Document) RETURN count(d) AS n")
        finally:
            await store.close()
        return int(rows[0]["n"]) if rows else 0

    return asyncio.run(main())


def wait_for_documents(data_dir: Path, proc: subprocess.Popen[bytes], at_least: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the load finished before the fault could be injected"
        if servers_on(data_dir):
            try:
                n = documents_in(data_dir)
            except StoreUnavailable:
                n = 0
            if n >= at_least:
                return n
        time.sleep(0.05)
    raise AssertionError("the load made no progress")


def start_load(folder: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([KB, "load", str(folder)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    make_corpus(folder, 300, bad=False)
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "NEO4J_URI": ""}


def test_store_killed_mid_load_then_the_next_load_completes(
        tmp_path: Path, corpus: Path, env: dict[str, str]) -> None:
    data = Path(env["KB_DATA_DIR"])
    kills = 0
    for threshold in (40, 150):  # two faults, at different points of the load
        proc = start_load(corpus, env)
        wait_for_documents(data, proc, threshold)
        EmbeddedServer(data).kill()  # SIGKILL through the pid file
        kills += 1
        out = proc.communicate(timeout=60)[0].decode()
        assert proc.returncode == 1, out
        assert "Traceback" not in out
        assert "error: the embedded store is not reachable" in out
        assert not servers_on(data)
    final = subprocess.run([KB, "load", str(corpus)], env=env, capture_output=True, timeout=120)
    assert final.returncode == 0, final.stdout.decode() + final.stderr.decode()
    clean_env = {**env, "KB_DATA_DIR": str(tmp_path / "clean")}
    assert runner.invoke(app, ["load", str(corpus)], env=clean_env).exit_code == 0
    got, want = dump(data), dump(tmp_path / "clean")
    assert len([1 for lbl, _ in got["nodes"] if lbl == "Document"]) == 300
    assert_same_graph(got, want)
    assert kills == 2


def test_kb_killed_leaves_a_server_the_next_run_reuses(corpus: Path, env: dict[str, str]
                                                      ) -> None:
    data = Path(env["KB_DATA_DIR"])
    proc = start_load(corpus, env)
    try:
        wait_for_documents(data, proc, 30)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        orphans = servers_on(data)
        assert len(orphans) == 1  # the store outlives its parent (own session)
        # several runs at once: each reuses the orphan, none starts a second server
        runs = [start_load(corpus, env) for _ in range(3)]
        outs = [(r.communicate(timeout=120)[0].decode(), r.returncode) for r in runs]
        for out, code in outs:
            assert code == 0, out
        assert servers_on(data) == orphans
        assert documents_in(data) == 300
    finally:
        if proc.poll() is None:
            proc.kill()
        EmbeddedServer(data).kill()
    assert not servers_on(data)


def test_orphan_that_died_too_is_replaced(corpus: Path, env: dict[str, str]) -> None:
    """Both `kb` and its server SIGKILLed (a machine crash): the next run starts one server
    on the same data, and the graph is complete after it."""
    data = Path(env["KB_DATA_DIR"])
    proc = start_load(corpus, env)
    wait_for_documents(data, proc, 30)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    EmbeddedServer(data).kill()
    assert not servers_on(data)
    again = subprocess.run([KB, "load", str(corpus)], env=env, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()
    assert not servers_on(data)  # that run started it, and stopped it
    assert documents_in(data) == 300


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_read_only_or_full_data_dir_is_one_clear_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    data = tmp_path / "data"
    real_open = os.open

    def failing(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(data)) and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(os, "open", failing)
        with pytest.raises(StoreUnavailable, match=r"data directory .* is not usable: "
                           + os.strerror(code)):
            EmbeddedServer(data).ensure_running()
        result = runner.invoke(app, ["stats"], env={"KB_DATA_DIR": str(data)})
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0, result.output
    assert f"is not usable: {os.strerror(code)}" in result.output


def test_data_dir_under_a_file_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = subprocess.run([KB, "load", str(tmp_path)], capture_output=True, timeout=60,
                            env={**os.environ, "KB_DATA_DIR": str(blocker / "data")})
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "Traceback" not in err and err.strip().count("\n") == 0, err
    assert "is not usable: Not a directory" in err


BUSY_SCRIPT = """local s = redis.call('TIME')
while true do
  local n = redis.call('TIME')
  if (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > tonumber(ARGV[1]) * 1000 then return 1 end
end"""
"""Keeps the server busy for ARGV[1] ms: past `busy-reply-threshold` it answers every other
client BUSY without running its command, as it does while it prepares a fork."""


async def test_a_busy_server_is_waited_for_then_a_timeout_never_an_error(tmp_path: Path) -> None:
    store = FalkorDBStore(tmp_path, graph="busy", timeout=1.0)
    await store.connect()
    sock, password = EmbeddedServer(tmp_path).ensure_running()
    raw = redis.Redis(unix_socket_path=str(sock), password=password)
    raw.config_set("busy-reply-threshold", 20)

    def busy_for(ms: int) -> threading.Thread:
        client = redis.Redis(unix_socket_path=str(sock), password=password)
        thread = threading.Thread(target=client.eval, args=(BUSY_SCRIPT, 0, ms))
        thread.start()
        time.sleep(0.2)  # past the threshold: others get BUSY now
        return thread

    try:
        await store.write("CREATE (:Actor {id: 'actor:a'})")
        thread = busy_for(600)
        with pytest.raises(redis.ResponseError, match=r"^BUSY"):  # what a plain client gets
            raw.ping()
        started = time.monotonic()
        rows = await store.read("MATCH (a:Actor) RETURN a.id AS id")
        waited = time.monotonic() - started
        thread.join()
        assert rows == [{"id": "actor:a"}]
        assert waited > 0.1  # it was answered after the script, not before

        thread = busy_for(2500)  # longer than the store's 1 s timeout
        with pytest.raises(StoreTimeout, match="busy"):
            await store.write("CREATE (:Actor {id: 'actor:b'})")
        thread.join()
        assert await store.read("MATCH (a:Actor) RETURN a.id AS id ORDER BY id") == [
            {"id": "actor:a"}]  # the refused write did not run
    finally:
        raw.close()
        await store.close()
