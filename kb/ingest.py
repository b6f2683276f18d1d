"""The ingestion pipeline: find files, read, extract, write.

A document that cannot be read or extracted is reported with its path and reason and skipped;
nothing of it is written, because writes happen only after the whole extraction succeeded, in
transactions that are all or nothing. Extraction runs in worker processes while this one writes;
documents new to the store are written several to a transaction, and a transaction the store
refuses is retried one document at a time, so a bad document fails alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kb.model import Extraction
from kb.store.base import GraphStore, StoreError, StoreUnavailable
from kb.writer import (
    GraphRows,
    document_sha,
    document_shas,
    extraction_rows,
    write_extraction,
    write_new_documents,
    write_rows,
)
from loaders.errors import DocumentError
from seeds import corpus_dir


class Status(StrEnum):
    LOADED = "loaded"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(slots=True)
class DocResult:
    path: str
    status: Status
    doc_id: str | None = None
    reason: str | None = None
    nodes: int = 0
    edges: int = 0


@dataclass(slots=True)
class LoadReport:
    results: list[DocResult] = field(default_factory=list)
    seconds: float = 0.0
    """Wall time of the whole load."""
    extract_seconds: float = 0.0
    """Time spent reading and extracting, summed over the files (in parallel workers)."""
    write_seconds: float = 0.0
    """Time this process spent in store transactions."""
    compact_seconds: float = 0.0
    """Time spent compacting the store at the end (0 when it was not needed)."""

    @property
    def failures(self) -> list[DocResult]:
        return [r for r in self.results if r.status is Status.FAILED]

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)


def seed_corpus() -> Path:
    """The seed corpus shipped with the package (works for editable and normal installs)."""
    return corpus_dir()


@dataclass(frozen=True, slots=True)
class FileItem:
    """A file to load. `source` names it relative to the folder it was found in: the document
    id derives from it, so a file reloaded from the same place replaces its old version."""

    path: Path
    source: str
    problem: str | None = None


def iter_files(paths: Iterable[Path]) -> Iterator[FileItem]:
    """Every document under `paths`, or an item with a `problem` for a path that cannot be
    walked. Hidden files are skipped; symlink loops are detected, not followed."""
    for root in paths:
        if not root.exists():
            yield FileItem(root, root.name, "no such file or directory")
            continue
        if not root.is_dir():
            yield FileItem(root, root.name)
            continue
        seen: set[tuple[int, int]] = set()
        errors: list[OSError] = []  # a folder that cannot be listed is reported, not skipped
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True,
                                                    onerror=errors.append):
            yield from _unlisted(errors)
            try:
                st = os.stat(dirpath)
            except OSError as exc:  # removed while the walk was under way
                dirnames[:] = []
                yield FileItem(Path(dirpath), dirpath, f"cannot read folder: {exc.strerror}")
                continue
            if (st.st_dev, st.st_ino) in seen:
                dirnames[:] = []
                yield FileItem(Path(dirpath), dirpath, "symlink loop: directory already visited")
                continue
            seen.add((st.st_dev, st.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    path = Path(dirpath) / name
                    yield FileItem(path, path.relative_to(root).as_posix())
        yield from _unlisted(errors)


def _unlisted(errors: list[OSError]) -> Iterator[FileItem]:
    while errors:
        exc = errors.pop(0)
        where = Path(exc.filename) if exc.filename else Path("?")
        yield FileItem(where, str(where), f"cannot read folder: {exc.strerror or exc}")


def extract_file(path: Path, source: str | None = None) -> Extraction:
    """Read and extract one file; raises DocumentError with a one-line reason."""
    from loaders.extract import extract
    from loaders.read import read_path

    return extract(read_path(path, source))


def extract_bytes(data: bytes, source: str) -> Extraction:
    from loaders.extract import extract
    from loaders.read import read_document

    return extract(read_document(data, source))


async def ingest_extraction(store: GraphStore, ex: Extraction, path: str,
                            force: bool = False) -> DocResult:
    if not force and await document_sha(store, ex.document.id) == ex.document.sha256:
        return DocResult(path, Status.UNCHANGED, ex.document.id)
    nodes, edges = await write_extraction(store, ex)
    return DocResult(path, Status.LOADED, ex.document.id, nodes=nodes, edges=edges)


# -- bulk loading ------------------------------------------------------------------------------

BATCH_DOCUMENTS = 128
"""New documents written per store transaction (fewer round trips and statements per document;
a refused batch is retried one document at a time, so a bad document still fails alone). A
shared node is written once per transaction that touches it, and on FalkorDB every such write
re-indexes it and leaves garbage the index collector forks the server to reclaim. On a kept
53k-document store and an idle machine, 32 and 512 documents a transaction cost the store 21.8
and 16.1 ms of CPU per document, 128 cost 18.7 ms partly beside a test run
(`bench/results/2026-12-02-ingest-100k-stopped.md`); larger transactions hold the store's
write lock longer."""
BATCH_ROWS = 40_000
"""...and at most about this many node and edge rows per transaction (large documents; a
synthetic document writes about 270)."""
POOL_MIN_FILES = 24
"""Below this many files, extraction runs in this process: starting workers costs more."""
COMPACT_AFTER_ROWS = 200_000
"""A load that wrote this many rows ends by compacting the store's append-only file."""


@dataclass(slots=True)
class Prepared:
    """What extraction hands to the writer for one file: its rows, ready to write."""

    doc_id: str
    sha256: str
    rows: GraphRows
    seconds: float

    @property
    def size(self) -> int:
        nodes, edges = self.rows.size
        return nodes + edges


@dataclass(slots=True)
class Unreadable:
    """A file that could not be read or extracted, with its one-line reason."""

    reason: str
    seconds: float


def prepare_file(path: Path, source: str) -> Prepared | Unreadable:
    """Read, extract and flatten one file (runs in an extraction worker; never raises)."""
    t0 = time.perf_counter()
    try:
        ex = extract_file(path, source)
        rows = extraction_rows(ex)
    except DocumentError as exc:
        return Unreadable(str(exc), time.perf_counter() - t0)
    except Exception as exc:  # an extractor bug must not stop the other documents
        return Unreadable(f"extraction failed: {type(exc).__name__}: {exc}",
                          time.perf_counter() - t0)
    return Prepared(ex.document.id, ex.document.sha256, rows, time.perf_counter() - t0)


def _worker_init() -> None:
    """Extraction workers leave Ctrl-C to the loading process (which stops them) and die with
    it if it is killed outright."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):  # Linux only: SIGTERM when the parent dies
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            os._exit(1)


def _warm_up() -> None:
    """Import the extractors and build their caches (spaCy, the ontology, compiled patterns)
    before the workers fork, so that they share them instead of each building its own."""
    with contextlib.suppress(Exception):
        extract_bytes(b"Warm-up\n\nPresident Donald Trump said on January 3, 2020 that the "
                      b"strike was \"an act of self-defense\".\n", "warm-up.txt")


def extraction_workers() -> int:
    """One extraction process per core available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    _warm_up()
    # fork: workers start at once and inherit the loaded extractors (spawn would re-import)
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


class _Pool:
    """The extraction workers, replaced when one of them dies (killed for its memory, or a
    crash in a native library) so that only the document that killed it fails."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor = _new_pool(workers)

    def submit(self, item: FileItem) -> Future[Prepared | Unreadable]:
        """The file's extraction; a pool already broken gives a future that says so, to be
        handled where the results are read."""
        try:
            return self.executor.submit(prepare_file, item.path, item.source)
        except BrokenProcessPool as exc:
            failed: Future[Prepared | Unreadable] = Future()
            failed.set_exception(exc)
            return failed

    def replace(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = _new_pool(self.workers)

    def shutdown(self, wait: bool) -> None:
        self.executor.shutdown(wait=wait, cancel_futures=not wait)


WORKER_DIED = "extraction stopped its worker process (out of memory or a crash)"


async def _alone(pool: _Pool, item: FileItem) -> Prepared | Unreadable:
    """Extract one file with nothing else in flight: if the worker dies now, it was this
    file."""
    try:
        return await asyncio.wrap_future(pool.submit(item))
    except BrokenProcessPool:
        pool.replace()
        return Unreadable(WORKER_DIED, 0.0)


async def _prepared(items: Iterable[FileItem], pool: _Pool | None, depth: int
                    ) -> AsyncIterator[tuple[FileItem, Prepared | Unreadable | None]]:
    """Each item with its extraction (None for an item with a `problem`), in input order.
    With a pool, at most `depth` files are in flight, so memory stays bounded. When a worker
    dies, the files that were in flight are extracted again one at a time in a new pool."""
    if pool is None:
        for item in items:
            yield item, None if item.problem is not None else prepare_file(item.path,
                                                                            item.source)
        return
    window: deque[tuple[FileItem, Future[Prepared | Unreadable] | None]] = deque()
    pending = iter(items)
    careful = 0  # files still to extract alone after a worker died

    def fill() -> None:
        while not careful and len(window) < depth:
            item = next(pending, None)
            if item is None:
                return
            window.append((item, None if item.problem is not None else pool.submit(item)))

    fill()
    while window:
        item, future = window.popleft()
        if future is None:
            out = None
        elif careful:
            careful -= 1
            out = await _alone(pool, item)
        else:
            try:
                out = await asyncio.wrap_future(future)
            except BrokenProcessPool:
                pool.replace()
                careful = sum(1 for _item, f in window if f is not None)
                out = await _alone(pool, item)
        fill()
        yield item, out


class _Loader:
    """Writes prepared documents in batches and hands results back in input order."""

    def __init__(self, store: GraphStore, force: bool, report: LoadReport,
                 on_result: Callable[[DocResult], None] | None, batch_size: int) -> None:
        self.store, self.force, self.report = store, force, report
        self.on_result, self.batch_size = on_result, batch_size
        self.slots: list[DocResult | tuple[FileItem, Prepared]] = []
        self.batch_ids: set[str] = set()
        self.batch_rows = 0
        self.rows_written = 0
        self.refused = False

    async def add(self, item: FileItem, out: Prepared | Unreadable | None) -> None:
        if out is None:
            self.slots.append(DocResult(str(item.path), Status.FAILED, reason=item.problem))
        elif isinstance(out, Unreadable):
            self.report.extract_seconds += out.seconds
            self.slots.append(DocResult(str(item.path), Status.FAILED, reason=out.reason))
        else:
            self.report.extract_seconds += out.seconds
            if out.doc_id in self.batch_ids:  # the same document twice: keep their order
                await self.flush()
            self.slots.append((item, out))
            self.batch_ids.add(out.doc_id)
            self.batch_rows += out.size
            if len(self.batch_ids) >= self.batch_size or self.batch_rows >= BATCH_ROWS:
                await self.flush()

    async def flush(self) -> None:
        slots, self.slots = self.slots, []
        self.batch_ids, self.batch_rows = set(), 0
        todo = [(i, slot) for i, slot in enumerate(slots) if isinstance(slot, tuple)]
        results: dict[int, DocResult] = {}
        if todo:
            t0 = time.perf_counter()
            try:
                await self._write(todo, results)
            finally:
                self.report.write_seconds += time.perf_counter() - t0
        for i, slot in enumerate(slots):
            result = results[i] if isinstance(slot, tuple) else slot
            self.report.results.append(result)
            if self.on_result is not None:
                self.on_result(result)

    async def _write(self, todo: list[tuple[int, tuple[FileItem, Prepared]]],
                     results: dict[int, DocResult]) -> None:
        try:
            stored = await document_shas(self.store, [p.doc_id for _, (_, p) in todo])
        except StoreUnavailable:
            raise
        except StoreError:  # one document at a time: each then fails or loads on its own
            for i, (item, p) in todo:
                results[i] = await self._one(item, p, check=True)
            return
        run: list[tuple[int, FileItem, Prepared]] = []  # consecutive new documents
        for i, (item, p) in todo:
            if p.doc_id not in stored:
                run.append((i, item, p))
                continue
            await self._new(run, results)
            run = []
            if not self.force and stored[p.doc_id] == p.sha256:
                results[i] = DocResult(str(item.path), Status.UNCHANGED, p.doc_id)
            else:
                results[i] = await self._one(item, p, check=False)
        await self._new(run, results)

    async def _new(self, run: list[tuple[int, FileItem, Prepared]],
                   results: dict[int, DocResult]) -> None:
        """Write documents the store has never seen in one transaction; if it is refused,
        write them one by one, so that only the culprit fails."""
        if not run:
            return
        try:
            await write_new_documents(self.store, [p.rows for _, _, p in run])
        except StoreUnavailable:
            raise
        except StoreError:
            self.refused = True
            for i, item, p in run:
                results[i] = await self._one(item, p, check=True)
            return
        for i, item, p in run:
            results[i] = self._loaded(item, p)

    async def _one(self, item: FileItem, p: Prepared, check: bool) -> DocResult:
        """One document in its own transaction, replacing any stored version of it."""
        try:
            if check and not self.force and await document_sha(self.store,
                                                               p.doc_id) == p.sha256:
                return DocResult(str(item.path), Status.UNCHANGED, p.doc_id)
            await write_rows(self.store, p.doc_id, p.rows)
        except StoreUnavailable:
            raise  # the store is down: stop, the next run resumes
        except StoreError as exc:  # this document's transaction was refused
            self.refused = True
            return DocResult(str(item.path), Status.FAILED, p.doc_id,
                             reason=f"the store refused it: {_first_line(exc)}")
        return self._loaded(item, p)

    def _loaded(self, item: FileItem, p: Prepared) -> DocResult:
        nodes, edges = p.rows.size
        self.rows_written += nodes + edges
        return DocResult(str(item.path), Status.LOADED, p.doc_id, nodes=nodes, edges=edges)


async def load_files(store: GraphStore, files: Iterable[FileItem],
                     force: bool = False,
                     on_result: Callable[[DocResult], None] | None = None,
                     workers: int | None = None,
                     batch_size: int = BATCH_DOCUMENTS) -> LoadReport:
    """Load every file of `iter_files`. Document errors, and a store error that refuses one
    document's transaction (which then wrote nothing), are kept in the report; an unreachable
    store stops the load (StoreUnavailable propagates).

    Files are extracted by `workers` processes (default: one per core) while this process
    writes, and documents new to the store are written `batch_size` to a transaction; results
    come back in input order. Fewer than POOL_MIN_FILES files are extracted in this process.
    """
    report = LoadReport()
    started = time.perf_counter()
    workers = extraction_workers() if workers is None else max(1, workers)
    pending = iter(files)
    head = list(itertools.islice(pending, POOL_MIN_FILES))
    items = itertools.chain(head, pending)
    bulk = len(head) >= POOL_MIN_FILES
    pool = _Pool(workers) if workers > 1 and bulk else None
    loader = _Loader(store, force, report, on_result, max(1, batch_size))
    paused = bulk and await _rewrites(store, pause=True)
    ok = False
    try:
        async for item, out in _prepared(items, pool, depth=2 * max(1, batch_size) + workers):
            await loader.add(item, out)
        await loader.flush()
        ok = True
    finally:
        if pool is not None:  # on an error or Ctrl-C, drop queued work and do not wait
            pool.shutdown(wait=ok)
        if paused:
            await _rewrites(store, pause=False)
    if loader.rows_written >= COMPACT_AFTER_ROWS or loader.refused:
        t0 = time.perf_counter()
        await compact_store(store)
        report.compact_seconds = time.perf_counter() - t0
    report.seconds = time.perf_counter() - started
    return report


async def _rewrites(store: GraphStore, pause: bool) -> bool:
    """Pause (or resume) the embedded store's automatic log rewrites for a bulk load (see
    kb.store.embedded.AOF_REWRITE_PERCENT); other backends: nothing to do. True if done."""
    from kb.store.embedded import EmbeddedServer

    server = getattr(store, "server", None)
    if not isinstance(server, EmbeddedServer):
        return False
    call = server.pause_rewrites if pause else server.resume_rewrites
    try:
        return await asyncio.to_thread(call)
    except (StoreError, OSError):
        return False  # rewrites only cost time; a load never fails for them


async def compact_store(store: GraphStore) -> bool:
    """Rewrite the embedded store's append-only file as one snapshot, so that the next start
    reads it instead of replaying every write (and never replays the log of a refused query,
    which FalkorDB 4.16.3 can fail to replay). Other backends: nothing to do."""
    from kb.store.embedded import EmbeddedServer

    server = getattr(store, "server", None)
    if not isinstance(server, EmbeddedServer):
        return False
    try:
        return await asyncio.to_thread(server.compact)
    except (StoreError, OSError):
        return False  # the data is safe either way; the next start only replays more


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
