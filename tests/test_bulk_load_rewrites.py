"""A bulk load pauses the embedded store's automatic append-only-file rewrites and resumes them
when it ends, also when it fails; a small load leaves them alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from bench.corpus import write_corpus
from kb.ingest import POOL_MIN_FILES, iter_files, load_files
from kb.store.embedded import AOF_REWRITE_PERCENT, EmbeddedServer
from kb.store.falkordb import FalkorDBStore


def rewrite_percent(data_dir: Path) -> int:
    """The running server's setting, read through a client of its own."""
    paths = EmbeddedServer(data_dir).paths
    client = redis.Redis(
        unix_socket_path=str(paths.socket), password=paths.password.read_text().strip()
    )
    try:
        return int(client.config_get("auto-aof-rewrite-percentage")["auto-aof-rewrite-percentage"])
    finally:
        client.close()


async def test_a_bulk_load_pauses_rewrites_and_resumes_them(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, POOL_MIN_FILES + 6)
    store = FalkorDBStore(tmp_path / "data")
    await store.connect()
    await store.bootstrap()
    seen: list[int] = []
    try:
        assert rewrite_percent(tmp_path / "data") == AOF_REWRITE_PERCENT
        report = await load_files(
            store,
            iter_files([corpus]),
            workers=1,
            on_result=lambda _r: seen.append(rewrite_percent(tmp_path / "data")),
        )
        assert report.failures == []
        assert seen and set(seen) == {0}  # paused while the documents were written
        assert rewrite_percent(tmp_path / "data") == AOF_REWRITE_PERCENT
    finally:
        await store.close()


async def test_rewrites_resume_when_a_bulk_load_fails(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, POOL_MIN_FILES + 2)
    store = FalkorDBStore(tmp_path / "data")
    await store.connect()
    await store.bootstrap()

    def stop(_result: object) -> None:
        raise RuntimeError("stopped mid-load")

    try:
        with pytest.raises(RuntimeError, match="mid-load"):
            await load_files(store, iter_files([corpus]), workers=1, on_result=stop)
        assert rewrite_percent(tmp_path / "data") == AOF_REWRITE_PERCENT
    finally:
        await store.close()


async def test_a_small_load_leaves_rewrites_alone(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3)
    store = FalkorDBStore(tmp_path / "data")
    await store.connect()
    await store.bootstrap()
    seen: list[int] = []
    try:
        await load_files(
            store,
            iter_files([corpus]),
            on_result=lambda _r: seen.append(rewrite_percent(tmp_path / "data")),
        )
        assert seen == [AOF_REWRITE_PERCENT] * 3
    finally:
        await store.close()
