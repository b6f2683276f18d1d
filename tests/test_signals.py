"""Every way of stopping `kb` stops the embedded store it started, and only that one.

systemd, Docker and supervisors send SIGTERM, a closed terminal sends SIGHUP, Ctrl-C sends
SIGINT. After each, no process may still hold the data directory (a store left behind keeps its
files open and its lock held). A store that was running before the command keeps running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from processes import KB, alive, free_port, serve, store_pid, wait_gone

from bench.corpus import write_corpus
from kb.store.embedded import EmbeddedServer

SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]


def holders(data_dir: Path) -> list[int]:
    """Pids of processes with a file open, or their working directory, in data_dir."""
    root = str(data_dir.resolve())
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            links = [os.readlink(entry / "cwd")]
            links += [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:  # gone, or not ours to read
            continue
        if any(link == root or link.startswith(root + os.sep) for link in links):
            found.append(int(entry.name))
    return found


def wait_for_writes(data_dir: Path, proc: subprocess.Popen[bytes], size: int = 200_000,
                    timeout: float = 60) -> None:
    """Wait until the store's append-only log has grown by `size` bytes: documents are being
    written (a fixed pause lands in the start-up on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        logs = (data_dir / "appendonlydir").glob("*.incr.aof")
        if sum(f.stat().st_size for f in logs if f.exists()) >= size:
            return
        time.sleep(0.05)


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "KB_DATA_DIR": str(data_dir), "NEO4J_URI": ""}


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_serve_stops_its_store_on_signal(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "data"
    proc = serve(_env(data), free_port())
    pid = store_pid(data)
    assert pid is not None, "kb serve started no embedded store"
    proc.send_signal(signum)
    assert proc.wait(timeout=60) == 0
    assert wait_gone(pid), f"store {pid} still running after {signal.Signals(signum).name}"
    assert holders(data) == []


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_load_stops_its_store_on_signal(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "data"
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 400)
    proc = subprocess.Popen([KB, "load", str(corpus)], env=_env(data),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    pid = None
    while pid is None and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        pid = store_pid(data)
    assert pid is not None, "kb load started no embedded store"
    wait_for_writes(data, proc)  # well into the load, however slow the machine is today
    assert proc.poll() is None, "the load finished before it could be interrupted"
    proc.send_signal(signum)
    assert proc.wait(timeout=60) != 0  # an interrupted load is not a success
    assert wait_gone(pid), f"store {pid} still running after {signal.Signals(signum).name}"
    assert holders(data) == []


def test_a_store_running_before_the_command_keeps_running(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = EmbeddedServer(data)
    server.ensure_running()
    try:
        pid = store_pid(data)
        assert pid is not None
        proc = serve(_env(data), free_port())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert alive(pid), "kb serve stopped a store it had not started"
    finally:
        server.stop()
    assert wait_gone(pid)
