"""Markdown posts (Jekyll, Hugo): YAML front matter, headings, bullets, links, markers.

Front matter holds the metadata and is never body text (its `description` often repeats a
quote fragment that must not become a claim). Citation groups such as
`([Washington Post](…) / [AP](…))` are sources, not prose, so they are excluded from passages;
the links themselves are kept for outlet extraction. Editorial markers (`TK/`) are dropped.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kb.model import DocFormat
from loaders.detect import FRONT_MATTER
from loaders.errors import DocumentError
from loaders.formats.base import Block, Parsed, Span, find_links

_LINK = (
    r"!?\[[^\]\n]*\]\(\s*<?[^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*>?"
    r"(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)"
)
# "([Outlet](url) / [Outlet](url))", also unclosed at the end of a paragraph.
CITATION_GROUP = re.compile(
    r"\(\s*(?:(?:via|source|sources|h/t|see)\s*:?\s*)?"
    r"(?:" + _LINK + r"\s*(?:[/,;|·]|and\b)?\s*)+\)?",
    re.I,
)
MARKER = re.compile(r"\bTK\b/?")
_NUMBERING = re.compile(r"^[ \t]*\d{1,3}/[ \t]", re.M)
_SOFT = re.compile(
    r"\*\*|__|~~|`+|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])|[\[\]]|^[ \t]*>[ \t]?", re.M
)

_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+")
_BULLET = re.compile(r"^[ \t]*(?:[*+-]|\d{1,3}[.)])[ \t]+")
_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SKIP_LINE = re.compile(r"^[ \t]*(<[^>]*>[ \t]*)+$|^[ \t]*\{[%{].*[%}]\}[ \t]*$")


def front_matter(raw: str) -> tuple[dict[str, Any], int]:
    """Parsed YAML front matter and the offset where the body starts (0 without one)."""
    m = FRONT_MATTER.match(raw)
    if not m:
        return {}, 0
    try:
        data = yaml.safe_load(m.group("yaml"))
    except yaml.YAMLError as err:
        detail = " ".join(str(getattr(err, "problem", None) or err).split())
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise DocumentError(f"broken YAML front matter: {detail}{where}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError("broken YAML front matter: not a mapping of keys to values")
    return {str(k).lower(): v for k, v in data.items()}, m.end()


def _blocks(raw: str, start: int) -> list[Block]:
    """Line-based block structure: paragraphs, bullet items, headings; code and HTML skipped."""
    blocks: list[Block] = []
    cur: list[int] = []  # [start, end, kind-index] of the block being built
    kind = ""
    in_fence = False

    def close() -> None:
        nonlocal cur
        if cur:
            s, e = cur
            while s < e and raw[s].isspace():
                s += 1
            while e > s and raw[e - 1].isspace():
                e -= 1
            if e > s:
                blocks.append(Block(s, e, raw[s:e], kind))
        cur = []

    pos = start
    n = len(raw)
    while pos < n:
        nl = raw.find("\n", pos)
        stop = n if nl < 0 else nl
        line = raw[pos:stop]
        nxt = stop + 1
        if _FENCE.match(line):
            close()
            in_fence = not in_fence
        elif in_fence:
            pass
        elif not line.strip() or _RULE.match(line) or _SKIP_LINE.match(line):
            close()
        elif m := _HEADING.match(line):
            close()
            kind = "heading"
            cur = [pos + m.end(), stop]
            close()
        elif m := _BULLET.match(line):
            close()
            kind = "bullet"
            cur = [pos + m.end(), stop]
        elif cur:
            cur[1] = stop
        else:
            kind = "para"
            cur = [pos, stop]
        pos = nxt
    close()
    return blocks


def parse(raw: str) -> Parsed:
    front, body_start = front_matter(raw)
    blocks = _blocks(raw, body_start)
    links, hard = find_links(raw, body_start)
    hard.extend(m.span() for m in CITATION_GROUP.finditer(raw, body_start))
    hard.extend(m.span() for m in MARKER.finditer(raw, body_start))
    hard.append((0, body_start))
    soft: list[Span] = [m.span() for m in _SOFT.finditer(raw, body_start)]
    soft.extend(m.span() for m in _NUMBERING.finditer(raw, body_start))
    return Parsed(DocFormat.MARKDOWN, blocks, hard, soft, front, links)
