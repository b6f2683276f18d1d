"""The ingestion pipeline: find files, read, extract, write, one transaction per document.

A document that cannot be read or extracted is reported with its path and reason and skipped;
nothing of it is written, because the write is one transaction that happens only after the whole
extraction succeeded.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kb.model import Extraction
from kb.store.base import GraphStore, StoreError, StoreUnavailable
from kb.writer import document_sha, write_extraction
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


async def load_files(store: GraphStore, files: Iterable[FileItem],
                     force: bool = False,
                     on_result: Callable[[DocResult], None] | None = None) -> LoadReport:
    """Load every file of `iter_files`. Document errors, and a store error that refuses one
    document's transaction (which then wrote nothing), are kept in the report; an unreachable
    store stops the load (StoreUnavailable propagates)."""
    report = LoadReport()
    for item in files:
        path = item.path
        if item.problem is not None:
            result = DocResult(str(path), Status.FAILED, reason=item.problem)
        else:
            try:
                ex = extract_file(path, item.source)
            except DocumentError as exc:
                result = DocResult(str(path), Status.FAILED, reason=str(exc))
            except Exception as exc:  # an extractor bug must not stop the other documents
                result = DocResult(str(path), Status.FAILED,
                                   reason=f"extraction failed: {type(exc).__name__}: {exc}")
            else:
                try:
                    result = await ingest_extraction(store, ex, str(path), force)
                except StoreUnavailable:
                    raise  # the store is down: stop, the next run resumes
                except StoreError as exc:  # this document's transaction was refused
                    result = DocResult(str(path), Status.FAILED, ex.document.id,
                                       reason=f"the store refused it: {_first_line(exc)}")
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
