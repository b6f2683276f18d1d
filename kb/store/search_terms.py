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
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 32


def search_terms(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text) if len(w) > 1][:MAX_TERMS]
    return [f"{t}*" if len(t) > 2 else t for t in (w.lower() for w in words)]


# -- search syntax -----------------------------------------------------------------------------
#
# What a researcher may type: words (each matches as a prefix when longer than two letters, as
# above), "a phrase" (its words next to each other), `word*` (a prefix, whatever its length), `OR`
# between two parts, `AND` (the default between parts), `NOT part` or `-part`. Everything else
# separates words and never reaches a store as syntax; each store renders the parsed query in
# its own language (RediSearch for FalkorDB, Lucene for Neo4j).

MAX_CHARS = 500
"""Longest search text: a query, not a document (a 500,000-character search took 2.3 s)."""

_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<neg>-)?(?P<word>[^\W_]+)(?P<star>\*)?|\S', re.U)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


class SearchSyntaxError(ValueError):
    """A search that cannot mean anything (only negations, nothing but punctuation)."""


@dataclass(frozen=True, slots=True)
class Term:
    word: str
    prefix: bool


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[SearchNode, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[SearchNode, ...]


@dataclass(frozen=True, slots=True)
class Without:
    part: SearchNode


SearchNode = Term | Phrase | AllOf | AnyOf | Without


def _atoms(text: str) -> list[Any]:
    """Tokens: Term, Phrase, Without markers ('NOT', '-') and 'OR'/'AND' operators."""
    out: list[Any] = []
    for m in _TOKEN.finditer(text.translate(_QUOTES)[:MAX_CHARS]):
        if m.group("phrase") is not None:
            words = tuple(w.lower() for w in _WORD.findall(m.group("phrase")) if len(w) > 1)
            if len(words) == 1:
                out.append(Term(words[0], False))
            elif words:
                out.append(Phrase(words))
            continue
        word = m.group("word")
        if word is None:
            continue  # punctuation separates words
        if word in ("OR", "AND", "NOT") and not m.group("star"):
            out.append(word)
            continue
        if len(word) < 2 and not m.group("star"):
            continue  # what an apostrophe leaves ("Trump's")
        if m.group("neg"):
            out.append("NOT")
        out.append(Term(word.lower(), bool(m.group("star")) or len(word) > 2))
    return out


def parse_search(text: str) -> SearchNode | None:
    """The query a search text means (None when it holds no word); SearchSyntaxError when it
    only excludes. At most MAX_TERMS words count."""
    atoms: list[Any] = []
    words = 0
    for a in _atoms(text):
        if isinstance(a, Term | Phrase):
            words += 1 if isinstance(a, Term) else len(a.words)
            if words > MAX_TERMS:
                break
        atoms.append(a)
    groups: list[list[SearchNode]] = [[]]
    negate = False
    for a in atoms:
        if a == "OR":
            if groups[-1]:
                groups.append([])
        elif a == "NOT":
            negate = True
        elif a != "AND":
            groups[-1].append(Without(a) if negate else a)
            negate = False
    ors: list[SearchNode] = []
    for group in (g for g in groups if g):
        if all(isinstance(p, Without) for p in group):
            raise SearchSyntaxError("a search needs a word or phrase that is not excluded")
        ors.append(group[0] if len(group) == 1 else AllOf(tuple(group)))
    if not ors:
        return None
    return ors[0] if len(ors) == 1 else AnyOf(tuple(ors))


def render_search(node: SearchNode, lucene: bool) -> str:
    """The query in Lucene's syntax (Neo4j) or RediSearch's (FalkorDB); only words made of
    letters and digits and the operators placed here reach the store."""
    if isinstance(node, Term):
        return node.word + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        # Its words, each as a term: the indexes tokenize apostrophes and quotes differently
        # ("Trump’s" is one token in Lucene, two in RediSearch), so the API checks the order
        # on the hit's own text (kb.api.search).
        return render_search(AllOf(tuple(Term(w, len(w) > 2) for w in node.words)), lucene)
    if isinstance(node, Without):
        inner = render_search(node.part, lucene)
        return f"NOT {inner}" if lucene else f"-{inner}"
    joiner = (" AND " if lucene else " ") if isinstance(node, AllOf) else (
        " OR " if lucene else " | ")
    return "(" + joiner.join(render_search(p, lucene) for p in node.parts) + ")"


def search_words(node: SearchNode | None) -> list[tuple[str, bool]]:
    """The (word, prefix) pairs a query looks for, for highlighting (excluded ones left out)."""
    if node is None or isinstance(node, Without):
        return []
    if isinstance(node, Term):
        return [(node.word, node.prefix)]
    if isinstance(node, Phrase):
        return [(w, False) for w in node.words]
    return [w for p in node.parts for w in search_words(p)]
