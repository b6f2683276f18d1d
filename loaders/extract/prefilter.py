"""Exact pre-filters for the many regular expressions run on every passage.

Python's ``re`` tries every alternative of a pattern at every position of the text; with a few
dozen case-insensitive alternations per passage (concept and precedent thesaurus entries, event
triggers) that scanning dominated extraction. Here each pattern is reduced, from its parsed form,
to the literal beginnings every match must start with (``"imminent"``, ``"self-def"``, ``"u.n.
cha"``...). One trie-shaped regex of all those beginnings runs over the lower-cased passage and
gives, per pattern, the offsets where a match can begin; the pattern itself is then only tried
there (``finditer_at`` / ``search_at``), or not at all.

The filter never changes a result: it only skips offsets where the pattern cannot match, and
``finditer_at`` reproduces ``finditer``'s left-to-right, non-overlapping scan. A pattern it cannot
reduce (no literal beginning, or one that may match the empty string) is simply run in full.
"""

from __future__ import annotations

import re
from typing import Any

from loaders.ontology import Ontology

__all__ = [
    "PatternIndex",
    "finditer_at",
    "literal_prefixes",
    "ontology_index",
    "required_literals",
    "search_at",
]

_MAX_PREFIX = 8
_MAX_PREFIXES = 64
# Non-ASCII characters that match an ASCII letter under re.IGNORECASE (İ ı ſ K); no other
# character does, and no ASCII non-letter matches anything but itself. Text holding one of them
# is not filtered, since its lower-cased form may not show the literal.
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")
_ASCII = frozenset(chr(i) for i in range(32, 127)) - frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class _Unfilterable(Exception):
    pass


def _is_word_lookbehind(av: Any) -> bool:
    """``(?<![\\w...])``: the character before the match is no word character."""
    direction, sub = av
    if direction != -1 or len(sub) != 1:
        return False
    op, items = sub[0]
    if str(op) != "IN" or any(str(o) == "NEGATE" for o, _ in items):
        return False
    return any(str(o) == "CATEGORY" and str(a) == "CATEGORY_WORD" for o, a in items)


class _Walker:
    """Collects the literal beginnings of a parsed pattern (see ``literal_prefixes``)."""

    def __init__(self) -> None:
        self.closed: set[str] = set()
        self.anchored = True

    def close(self, prefixes: set[str], anchored: bool) -> None:
        if "" in prefixes:
            raise _Unfilterable  # some match may start with anything at all
        if prefixes and not anchored:
            self.anchored = False
        self.closed |= prefixes

    def walk(self, items: Any, cur: set[str], anchored: bool) -> tuple[set[str], bool]:
        """Extend the open prefixes ``cur`` through a parsed sequence; return those still open.

        A prefix is closed (finished) where the pattern stops being a literal every match spells
        out; ``anchored`` says a ``(?<![\\w...])`` lookbehind put the match start at a word start.
        """
        for op, av in items:
            if not cur:
                break
            name = str(op)
            if name in {"ASSERT", "ASSERT_NOT", "AT"}:  # zero width
                if name == "ASSERT_NOT" and cur == {""} and _is_word_lookbehind(av):
                    anchored = True
                continue
            chars: set[str] | None = None
            if name == "LITERAL":
                chars = {chr(av).lower()}
            elif name == "IN" and len(av) <= 4 and all(str(o) == "LITERAL" for o, _ in av):
                chars = {chr(a).lower() for _, a in av}
            if chars is not None:
                if not chars <= _ASCII or len(cur) * len(chars) > _MAX_PREFIXES:
                    self.close(cur, anchored)
                    return set(), anchored
                cur = {p + c for p in cur for c in chars}
                full = {p for p in cur if len(p) >= _MAX_PREFIX}
                if full:
                    self.close(full, anchored)
                    cur -= full
                continue
            if name == "SUBPATTERN":
                cur, anchored = self.walk(av[-1], cur, anchored)
                continue
            if name == "ATOMIC_GROUP":
                cur, anchored = self.walk(av, cur, anchored)
                continue
            if name == "BRANCH":
                merged: set[str] = set()
                all_anchored = True
                for alt in av[1]:
                    opened, a = self.walk(alt, set(cur), anchored)
                    merged |= opened
                    all_anchored = all_anchored and a
                cur, anchored = merged, all_anchored
            elif name in _REPEATS and av[0] == 0:
                # optional: the prefix either skips the piece or goes through it once
                once, a = self.walk(av[2], set(cur), anchored)
                if av[1] == 1:
                    cur, anchored = cur | once, anchored and a
                else:
                    self.close(once, a)
            elif name in _REPEATS:
                once, a = self.walk(av[2], cur, anchored)
                if av[0] == av[1] == 1:
                    cur, anchored = once, a
                else:
                    self.close(once, a)
                    return set(), anchored
            else:
                self.close(cur, anchored)
                return set(), anchored
            if len(cur) > _MAX_PREFIXES:
                self.close(cur, anchored)
                return set(), anchored
        return cur, anchored


def literal_prefixes(pattern: re.Pattern[str]) -> tuple[frozenset[str], bool] | None:
    """The lower-cased ASCII beginnings (up to 8 characters) one of which every match starts
    with, and whether every match also starts a word (follows no letter or digit); None if the
    pattern has no such beginnings."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        walker = _Walker()
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        opened, anchored = walker.walk(parsed.data, {""}, False)
        walker.close(opened, anchored)
    except (_Unfilterable, ImportError, AttributeError, TypeError, ValueError, re.error):
        return None
    if not walker.closed:
        return None
    return frozenset(walker.closed), walker.anchored


def required_literals(pattern: re.Pattern[str]) -> list[str]:
    """Lower-cased ASCII strings every match contains (runs of literal characters the pattern
    cannot skip), longest first; empty if none is known."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        items = list(_parser.parse(pattern.pattern, pattern.flags).data)
    except (ImportError, AttributeError, TypeError, ValueError, re.error):
        return []
    while len(items) == 1 and str(items[0][0]) == "SUBPATTERN":
        items = list(items[0][1][-1])
    runs: list[str] = []
    run = ""
    for op, av in items:
        name = str(op)
        if name in {"ASSERT", "ASSERT_NOT", "AT"}:
            continue  # zero width: the characters on either side are still adjacent
        ch = chr(av).lower() if name == "LITERAL" else ""
        if ch and ch in _ASCII:
            run += ch
            continue
        if len(run) >= 2:
            runs.append(run)
        run = ""
    if len(run) >= 2:
        runs.append(run)
    return sorted(set(runs), key=lambda r: (-len(r), r))


def _trie_regex(words: list[str]) -> str:
    """An alternation of words shaped as a trie: the regex engine tests one branch per first
    character instead of every word at every position."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class PatternIndex:
    """Which of a set of patterns can match a text, and at which offsets (one scan).

    With ``word_starts`` the scan looks only at word starts, and patterns whose matches may
    begin inside a word are run in full; without it, it looks everywhere.
    """

    def __init__(
        self, patterns: list[tuple[str, re.Pattern[str]]], word_starts: bool = True
    ) -> None:
        self.always: list[str] = []
        self.required: dict[str, list[str]] = {}
        """key -> strings a match contains, for patterns with no literal beginning"""
        self.by_prefix: dict[str, list[str]] = {}
        for key, pat in patterns:
            found = literal_prefixes(pat)
            if found is None or (word_starts and not found[1]):
                runs = required_literals(pat)
                if runs:
                    self.required[key] = runs
                else:
                    self.always.append(key)
                continue
            for p in sorted(found[0]):
                self.by_prefix.setdefault(p, []).append(key)
        # the scan captures the longest beginning at an offset; the others there are its own
        # beginnings, so each captured string maps to the keys of all of them
        self.keys_at: dict[str, list[str]] = {}
        for p in self.by_prefix:
            keys: dict[str, None] = {}
            for n in range(1, len(p) + 1):
                keys.update(dict.fromkeys(self.by_prefix.get(p[:n], ())))
            self.keys_at[p] = list(keys)
        # zero width, so that a beginning running past its word never hides the next one
        guard = "(?<![a-z0-9])" if word_starts else ""
        self.scan = (
            re.compile(f"{guard}(?=({_trie_regex(sorted(self.by_prefix))}))")
            if self.by_prefix
            else None
        )

    def candidates(self, text: str) -> dict[str, list[int] | None]:
        """Pattern key -> ascending offsets a match may start at (None: anywhere). A key that
        is missing cannot match."""
        out: dict[str, list[int] | None] = dict.fromkeys(self.always)
        if self.scan is None and not self.required:
            return out
        low = text.lower()
        if len(low) != len(text) or (not text.isascii() and _CASE_SPECIAL.search(text)):
            out.update(dict.fromkeys(self.required))
            for keys in self.by_prefix.values():
                out.update(dict.fromkeys(keys))
            return out
        for key, runs in self.required.items():
            if all(r in low for r in runs):
                out[key] = None
        if self.scan is None:
            return out
        found: dict[str, list[int]] = {}
        keys_at = self.keys_at
        for m in self.scan.finditer(low):
            pos = m.start()
            for k in keys_at[m.group(1)]:
                lst = found.get(k)
                if lst is None:
                    found[k] = [pos]
                else:
                    lst.append(pos)
        out.update(found)
        return out


def finditer_at(
    pattern: re.Pattern[str], text: str, positions: list[int] | None
) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))``, given that matches can only start at ``positions``
    (ascending; None: anywhere) and are never empty there."""
    if positions is None:
        return list(pattern.finditer(text))
    out = []
    end = 0
    for pos in positions:
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            out.append(m)
            end = max(m.end(), pos + 1)
    return out


def search_at(
    pattern: re.Pattern[str], text: str, positions: list[int] | None
) -> re.Match[str] | None:
    """``pattern.search(text)``, given that matches can only start at ``positions``."""
    if positions is None:
        return pattern.search(text)
    for pos in positions:
        m = pattern.match(text, pos)
        if m is not None:
            return m
    return None


def ontology_index(onto: Ontology) -> PatternIndex:
    """The index of the ontology's concept and precedent patterns, built once per ontology.

    Keys: ``c:<concept id>``, ``p:<precedent id>`` and ``p:<precedent id>:<i>:<j>`` for group j
    of co-occurrence spec i.
    """
    if onto.triggers is None:
        patterns: list[tuple[str, re.Pattern[str]]] = []
        for cid, c in onto.concepts.items():
            patterns.append((f"c:{cid}", c.regex))
        for pid, p in onto.precedents.items():
            if p.regex is not None:
                patterns.append((f"p:{pid}", p.regex))
            for i, groups in enumerate(p.cooccur):
                for j, g in enumerate(groups):
                    patterns.append((f"p:{pid}:{i}:{j}", g))
        onto.triggers = PatternIndex(patterns)
    return onto.triggers


class Prefiltered:
    """A module-level pattern with the pre-filter in front: same results, fewer positions tried."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.index = PatternIndex([("", pattern)], word_starts=False)

    def finditer(self, text: str) -> list[re.Match[str]]:
        cands = self.index.candidates(text)
        if "" not in cands:
            return []
        return finditer_at(self.pattern, text, cands[""])

    def search(self, text: str) -> re.Match[str] | None:
        cands = self.index.candidates(text)
        if "" not in cands:
            return None
        return search_at(self.pattern, text, cands[""])
