"""Plain text articles: paragraphs separated by blank lines, maybe hard-wrapped."""

from __future__ import annotations

from kb.model import DocFormat
from loaders.formats.base import Parsed, find_links, split_blocks


def parse(raw: str) -> Parsed:
    links, hard = find_links(raw)
    return Parsed(DocFormat.PLAIN, split_blocks(raw), hard, [], {}, links)
