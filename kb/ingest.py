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
from importlib import resources
from pathlib import Path

from kb.model import Extraction
from kb.store.base import GraphStore
from kb.writer import document_sha, write_extraction
from loaders.errors import DocumentError


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
    return Path(str(resources.files("kb.seeds") / "corpus"))


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Yield (file, None) for every document under `paths`, or (path, reason) for a path that
    cannot be walked. Hidden files are skipped; symlink loops are detected, not followed."""
    for root in paths:
        if not root.exists():
            yield root, "no such file or directory"
            continue
        if root.is_file():
            yield root, None
            continue
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            st = os.stat(dirpath)
            if (st.st_dev, st.st_ino) in seen:
                dirnames[:] = []
                yield Path(dirpath), "symlink loop: directory already visited"
                continue
            seen.add((st.st_dev, st.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield Path(dirpath) / name, None


def extract_file(path: Path) -> Extraction:
    """Read and extract one file; raises DocumentError with a one-line reason."""
    from loaders.extract import extract
    from loaders.read import read_path

    return extract(read_path(path))


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


async def load_files(store: GraphStore, files: Iterable[tuple[Path, str | None]],
                     force: bool = False,
                     on_result: Callable[[DocResult], None] | None = None) -> LoadReport:
    """Load every file of `iter_files`; store errors propagate, document errors are kept."""
    report = LoadReport()
    for path, problem in files:
        if problem is not None:
            result = DocResult(str(path), Status.FAILED, reason=problem)
        else:
            try:
                ex = extract_file(path)
            except DocumentError as exc:
                result = DocResult(str(path), Status.FAILED, reason=str(exc))
            except Exception as exc:  # an extractor bug must not stop the other documents
                result = DocResult(str(path), Status.FAILED,
                                   reason=f"extraction failed: {type(exc).__name__}: {exc}")
            else:
                result = await ingest_extraction(store, ex, str(path), force)
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report
