"""Text scraped from a web page: one HTML block per line, lots of page furniture.

The reader only cuts the text into line blocks; the boilerplate filter (jusText plus rules)
decides which of them are the article.
"""

from __future__ import annotations

from kb.model import DocFormat
from loaders.formats.base import Parsed, find_links, split_blocks


def parse(raw: str) -> Parsed:
    links, hard = find_links(raw)
    return Parsed(DocFormat.WEB, split_blocks(raw), hard, [], {}, links)
