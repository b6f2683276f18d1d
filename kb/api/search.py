"""Full-text search: documented syntax, one hit per claim, paging and highlighted snippets.

The syntax (`kb.store.search_terms`): words match as prefixes, `"a phrase"` its words next to
each other, `word*` a prefix, `OR`, `AND` (the default), `NOT word` or `-word`; everything else
separates words. A text longer than `MAX_CHARS` is refused rather than cut, so that a client
learns its query was not run as sent.

A claim and the sentence that evidences it say the same words: a passage hit is folded into the
claims it evidences (one hit per claim, with the better of the two scores) when claims are
searched too. The stores tokenize apostrophes differently, so a phrase is sent to the store as
its words and checked here, on the hit's own text. `after` pages through the hits with a
signed offset cursor bound to the search text and labels.
"""

from __future__ import annotations

import re
from typing import Any

import strawberry
from strawberry.types import Info

from kb.api.connections import binding, decode_offset, encode_cursor
from kb.api.errors import BadInput
from kb.api.limits import check_first
from kb.api.types import Node, to_node
from kb.cypher import read as rq
from kb.model import FULLTEXT_FIELDS, Label
from kb.store.search_terms import (
    MAX_CHARS,
    AllOf,
    AnyOf,
    Phrase,
    SearchNode,
    SearchSyntaxError,
    Term,
    Without,
    parse_search,
    search_words,
)

MAX_OFFSET = 500
"""Deepest hit `after` may reach: a search is for the best hits, not a way to list a label."""
CANDIDATES = MAX_OFFSET + 100
"""Hits asked of the store, whatever the page: the same candidates for every page keep the
ranking (a passage's score folded into its claim, phrases checked here) the same from page to
page."""
SNIPPET = 200
"""Characters of text around the first match in a snippet."""
_TEXT_FIELDS = ("text", "name", "title", "definition", "summary", "quote")
_WORD = re.compile(r"[^\W_]+")


@strawberry.type(
    description="A search hit: its full-text score, the node, a cursor for "
    "`after`, and a snippet with the matched words in <mark>...</mark>."
)
class SearchHit:
    score: float
    node: Node
    cursor: str
    snippet: str | None = strawberry.field(
        description="Up to 200 characters of the node's text around its first match, the "
        "matched words marked as <mark>word</mark> (the rest of the text is not escaped)."
    )


def _words(text: str) -> list[str]:
    """A text's words as the search sees them: lower case, apostrophes and quotes dropped,
    single letters left out (what "Trump's" leaves)."""
    return [w.lower() for w in _WORD.findall(text) if len(w) > 1]


def _has_phrase(node: SearchNode | None) -> bool:
    if isinstance(node, Phrase):
        return True
    if isinstance(node, AllOf | AnyOf):
        return any(_has_phrase(p) for p in node.parts)
    return isinstance(node, Without) and _has_phrase(node.part)


def _phrases_hold(node: SearchNode, words: list[str]) -> bool:
    """The query's phrases hold on these words (its terms were matched by the store)."""
    if isinstance(node, Phrase):
        n = len(node.words)
        return any(tuple(words[i : i + n]) == node.words for i in range(len(words) - n + 1))
    if isinstance(node, Term):
        return True
    if isinstance(node, Without):
        return not _phrases_hold(node.part, words) if _has_phrase(node.part) else True
    results = (_phrases_hold(p, words) for p in node.parts)
    return all(results) if isinstance(node, AllOf) else any(results)


def _searchable(label: str, props: dict[str, Any]) -> str:
    fields = FULLTEXT_FIELDS.get(Label(label), ())
    return " \n ".join(str(props[f]) for f in fields if props.get(f))


def snippet(text: str | None, wanted: list[tuple[str, bool]]) -> str | None:
    """The part of `text` around its first match, matched words in <mark> tags."""
    if not text:
        return None

    def hit(word: str) -> bool:
        w = word.lower()
        return any(w.startswith(t) if prefix else w == t for t, prefix in wanted)

    matches = [m for m in _WORD.finditer(text) if hit(m.group())]
    start = max(0, matches[0].start() - SNIPPET // 4) if matches else 0
    if start and (space := text.find(" ", start, matches[0].start())) >= 0:
        start = space + 1  # begin at a word
    end = min(len(text), start + SNIPPET)
    out, pos = [], start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        out += [text[pos : m.start()], "<mark>", m.group(), "</mark>"]
        pos = m.end()
    out.append(text[pos:end])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")


def _text_of(props: dict[str, Any]) -> str | None:
    return next((str(props[f]) for f in _TEXT_FIELDS if props.get(f)), None)


async def search(
    info: Info, text: str, labels: list[str], first: int, after: str | None
) -> list[SearchHit]:
    """The `first` best hits after `after` (see the module's docstring)."""
    check_first(first)
    if not text.strip():
        raise BadInput("`text` is empty")
    if len(text) > MAX_CHARS:
        raise BadInput(f"`text` is longer than {MAX_CHARS} characters ({len(text)})")
    try:
        parsed = parse_search(text)
    except SearchSyntaxError as exc:
        raise BadInput(f"search {text!r}: {exc}") from None
    bound = binding("Query.search", sorted(labels), text)
    offset = decode_offset(after, bound) + 1 if after else 0
    if offset > MAX_OFFSET:
        raise BadInput(f"`after` reaches past the first {MAX_OFFSET} hits; narrow the search")
    if parsed is None:
        return []
    store, loaders = info.context.store, info.context.loaders
    hits = await store.fulltext(text, labels, CANDIDATES)
    scores: dict[str, float] = {}
    for h in hits:
        scores[h["id"]] = max(scores.get(h["id"], 0.0), float(h["score"]))
    passages = [i for i in scores if i.startswith("passage:")]
    if passages and "Claim" in labels:
        rows = await store.read(rq.passage_claims(store.dialect), {"ids": passages})
        for r in rows:
            score = scores.get(r["id"])
            if score is not None:
                scores[r["claim"]] = max(scores.get(r["claim"], 0.0), score)
        for pid in {r["id"] for r in rows}:
            del scores[pid]
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = await loaders.many([i for i, _s in ranked])
    found = [(score, row) for (_i, score), row in zip(ranked, rows, strict=True) if row is not None]
    if _has_phrase(parsed):
        found = [
            (s, r)
            for s, r in found
            if _phrases_hold(parsed, _words(_searchable(r["label"], r["props"])))
        ]
    highlight = search_words(parsed)
    return [
        SearchHit(
            score=score,
            node=to_node(row),
            cursor=encode_cursor(bound, offset + k),
            snippet=snippet(_text_of(row["props"]), highlight),
        )
        for k, (score, row) in enumerate(found[offset : offset + first])
    ]
