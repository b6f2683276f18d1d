"""The public entry of the document readers: bytes in, a `ReadDocument` out.

    doc = read_path(Path("seeds/corpus/003_878afde649600ba6.txt"))
    doc.meta.format, doc.meta.title, [p.text for p in doc.passages]

Steps: decode (UTF-8 / UTF-16 with BOM, refuse binary), detect the format from content, cut
the text into blocks with the format's reader, judge each block (body or boilerplate), take the
metadata, and split the body into sentence passages whose text is `raw[start:end]` exactly.

Document ids depend on the source name only (`document:<stem slug>-<hash of the source>`), not
on the content or the title: re-loading an edited version of the same file gives the same id,
so the new version replaces the old one. The content hash goes to `meta.sha256`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path, PurePath

from kb.model import DocFormat, DocumentMeta, Passage, ReadDocument, content_id, slugify
from loaders.boilerplate import Role, is_post_signature, judge
from loaders.detect import MAX_BYTES, decode, detect_format
from loaders.errors import DocumentError
from loaders.formats import markdown, meta, plain, web
from loaders.formats.base import Parsed, merge_spans
from loaders.sentences import passage_spans

__all__ = ["MAX_BYTES", "DocumentError", "document_id", "read_document", "read_path"]

_READERS: dict[DocFormat, Callable[[str], Parsed]] = {
    DocFormat.PLAIN: plain.parse,
    DocFormat.MARKDOWN: markdown.parse,
    DocFormat.WEB: web.parse,
}


def document_id(source: str) -> str:
    """A stable, readable id from the source name alone (see the module docstring)."""
    name = source.strip().replace("\\", "/")
    stem = slugify(PurePath(name).stem)[:60].strip("-") or "document"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"document:{stem}-{digest}"


def read_document(data: bytes, source: str) -> ReadDocument:
    """Read one document. `source` names it for provenance and its id, never for its format.

    Raises DocumentError (with a one-line reason) for input that cannot be read.
    """
    try:
        raw = decode(data)
        fmt = detect_format(raw)
        parsed = _READERS[fmt](raw)
    except DocumentError as err:
        err.source = source
        raise
    judged = judge(parsed.blocks, fmt)
    info = meta.extract(raw, parsed.front, judged)
    doc_id = document_id(source)
    body_blocks = [j.block for j in judged if j.role is Role.BODY]
    units = [(b.start, b.end, b.kind == "bullet") for b in body_blocks]
    spans = passage_spans(raw, units, merge_spans(parsed.hard), parsed.soft)
    spans = [(s, e) for s, e in spans if not is_post_signature(raw[s:e])]
    if spans and raw[spans[-1][0] : spans[-1][1]].rstrip().endswith(":"):
        spans.pop()  # a last line that introduces something the page lost ("Watch:")
    passages = [
        Passage(
            id=content_id("passage", doc_id, s, raw[s:e]),
            doc_id=doc_id,
            index=i,
            text=raw[s:e],
            start=s,
            end=e,
        )
        for i, (s, e) in enumerate(spans)
    ]
    document_meta = DocumentMeta(
        id=doc_id,
        title=info["title"],
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        source=source,
        publisher=info["publisher"],
        author=info["author"],
        published=info["published"],
        url=info["url"],
        description=info["description"],
    )
    return ReadDocument(
        raw=raw,
        meta=document_meta,
        body=[(b.start, b.end) for b in body_blocks],
        passages=passages,
        links=parsed.links,
    )


def read_path(path: Path, source: str | None = None) -> ReadDocument:
    """Read a file. The size is checked before reading; `source` defaults to the file name.

    Pass a corpus-relative path as `source` when file names may repeat across folders.
    """
    path = Path(path)
    src = source if source is not None else path.name
    try:
        size = path.stat().st_size
    except OSError as err:
        raise DocumentError(f"cannot read file: {err.strerror or err}", src) from None
    if size > MAX_BYTES:
        raise DocumentError("larger than the 20 MB limit", src)
    if not path.is_file():
        raise DocumentError("cannot read file: not a regular file", src)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(f"cannot read file: {err.strerror or err}", src) from None
    return read_document(data, src)
