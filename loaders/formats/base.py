"""Shared building blocks of the format readers: blocks, inline markup and links.

Everything works on offsets into the decoded original text, so that every passage can be
`raw[start:end]` verbatim: markup is never rewritten, only marked as "hard" (never part of a
passage: URLs, link destinations, editorial markers) or "soft" (blanked for sentence detection
but allowed inside a passage: emphasis asterisks, brackets).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from kb.model import DocFormat, Link

Span = tuple[int, int]


@dataclass(slots=True)
class Block:
    """A candidate unit of text: a paragraph, a line, a bullet item or a heading."""

    start: int
    end: int
    text: str
    kind: str = "para"  # para | line | bullet | heading


@dataclass(slots=True)
class Parsed:
    """What a format reader hands on: candidate blocks, markup marks, front matter, links."""

    format: DocFormat
    blocks: list[Block]
    hard: list[Span] = field(default_factory=list)
    soft: list[Span] = field(default_factory=list)
    front: dict[str, Any] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_TERMINAL = re.compile(r"[.!?:;…\"”’)]\s*$")


def _strip(raw: str, start: int, end: int) -> Span:
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(raw: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Blank-line separated paragraphs of raw[start:end], stripped, as spans."""
    end = len(raw) if end is None else end
    spans: list[Span] = []
    pos = start
    for m in _BLANK_LINE.finditer(raw, start, end):
        spans.append(_strip(raw, pos, m.start()))
        pos = m.end()
    spans.append(_strip(raw, pos, end))
    return [s for s in spans if s[1] > s[0]]


def _line_spans(raw: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    pos = start
    while pos < end:
        nl = raw.find("\n", pos, end)
        stop = end if nl < 0 else nl
        s = _strip(raw, pos, stop)
        if s[1] > s[0]:
            spans.append(s)
        pos = stop + 1
    return spans


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Lines of a paragraph broken at a fixed width (e-mail style) rather than one per block.

    Scraped pages put each HTML block on its own line; hard-wrapped prose has lines of similar
    width that mostly do not end a sentence.
    """
    if len(lines) < 2:
        return False
    body = lines[:-1]
    if max(len(ln) for ln in lines) > 100:
        return False
    wide = sum(1 for ln in body if len(ln) >= 45 and not _TERMINAL.search(ln))
    return wide >= 0.6 * len(body)


def split_blocks(raw: str, start: int = 0, end: int | None = None) -> list[Block]:
    """Paragraphs, further split into lines unless the paragraph is hard-wrapped prose."""
    blocks: list[Block] = []
    for ps, pe in paragraphs(raw, start, end):
        lines = _line_spans(raw, ps, pe)
        if len(lines) > 1 and not looks_hard_wrapped([raw[a:b] for a, b in lines]):
            blocks.extend(Block(a, b, raw[a:b], "line") for a, b in lines)
        else:
            blocks.append(Block(ps, pe, raw[ps:pe], "para"))
    return blocks


# --- links -------------------------------------------------------------------------------

_DEST = r"<?(?P<url>[^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?"
MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\(\s*" + _DEST + r"(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)"
)
BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"'“”]+(?:\([^\s()]*\))?")
_URL_TRAIL = ".,;:!?'\"”’*_"


def find_links(raw: str, start: int = 0, end: int | None = None) -> tuple[list[Link], list[Span]]:
    """Markdown links and bare URLs in raw[start:end].

    Returns the links (offsets of the visible link text; for a bare URL, of the URL) and the
    spans that must never be part of a passage: the `](destination)` of each Markdown link,
    whole image links, and bare URLs, whose slugs would otherwise read as sentences.
    """
    end = len(raw) if end is None else end
    links: list[Link] = []
    hard: list[Span] = []
    taken: list[Span] = []
    for m in MD_LINK.finditer(raw, start, end):
        taken.append(m.span())
        if m.group("bang"):
            hard.append(m.span())
            continue
        ts, te = m.span("text")
        links.append(Link(text=m.group("text").strip(), url=m.group("url"), start=ts, end=te))
        hard.append((te, m.end()))  # "](url)"
    starts = [a for a, _ in taken]  # in order: finditer yields matches left to right
    for m in BARE_URL.finditer(raw, start, end):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < taken[i][1]:
            continue
        url = m.group().rstrip(_URL_TRAIL)
        s, e = m.start(), m.start() + len(url)
        links.append(Link(text=url, url=url, start=s, end=e))
        hard.append((s, e))
    links.sort(key=lambda lk: lk.start)
    return links, hard


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted union of spans."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """spans minus holes (both lists of half-open spans)."""
    holes = merge_spans(holes)
    out: list[Span] = []
    for s, e in spans:
        pos = s
        for hs, he in holes:
            if he <= pos or hs >= e:
                continue
            if hs > pos:
                out.append((pos, hs))
            pos = max(pos, he)
        if pos < e:
            out.append((pos, e))
    return out
