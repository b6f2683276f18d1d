"""User search text as a list of plain terms, the same for every full-text backend.

Letters and digits only: everything else (RediSearch's and Lucene's query syntax, backticks,
control characters) separates terms, so user text never reaches a store as query syntax. Terms
are lower-cased (both indexes fold case, and Lucene reads upper-case AND/OR/NOT as operators)
and those longer than two characters match as prefixes. Single letters are dropped: they are
what an apostrophe leaves ("Trump's" gives "trump" and "s"), and the indexes keep "trump's" (or
"trump’s") as one word, which the prefix "trump*" finds, whichever apostrophe either side used.
Only the first `MAX_TERMS` count: each term is a clause, and Lucene refuses a query of over 1,024
clauses.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 32


def search_terms(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text) if len(w) > 1][:MAX_TERMS]
    return [f"{t}*" if len(t) > 2 else t for t in (w.lower() for w in words)]
