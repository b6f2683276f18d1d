"""What every extractor needs to know about one document, computed once.

Extractors work on a *masked* copy of each passage: the same length as the raw slice (so every
offset stays an offset into the original file) but with link targets, bare URLs, Markdown
emphasis and editorial markers blanked out, so that a URL slug such as
``trump-defends-killing-iranian-general-accuses-plotting-imminent`` never yields a concept,
an actor or a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kb.model import Passage, ReadDocument
from loaders.extract.prefilter import ontology_index
from loaders.ontology import Ontology, fold, load_ontology

_MASKS = [
    re.compile(r"\]\([^)\s]*\)"),  # Markdown link target
    re.compile(r"<?https?://[^\s)>\]]+>?"),  # bare URL
    re.compile(r"\bwww\.[^\s)]+"),
    re.compile(r"\*\*|__"),  # emphasis markers
    re.compile(r"(?m)^\s*[*+-]\s+"),  # bullet markers
    re.compile(r"\bTK/"),  # editorial "to come" marker
    re.compile(r"(?m)^#+\s"),  # heading markers
    re.compile(r"[\[\]]"),  # link brackets (the link text itself stays)
]
_CAPTION = re.compile(r"\((?:Photo|Image|Credit|Picture)\b[^)]*\)|\bpictured\b|^Photo:", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SMALL = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "as",
    "is",
    "vs",
    "but",
    "into",
    "over",
}


def mask(text: str) -> str:
    """Blank out markup and URLs, keeping the length (offsets stay valid)."""
    chars = list(text)
    for pat in _MASKS:
        for m in pat.finditer(text):
            for i in range(m.start(), m.end()):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


def is_headline(text: str) -> bool:
    """Title Case text (a headline, a teaser line) where capitals say nothing about names."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL]
    if len(words) < 4:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.75


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text).lower())


@dataclass(slots=True)
class PassageView:
    """A passage with its masked text and flags the extractors share."""

    passage: Passage
    masked: str
    headline: bool
    caption: bool
    duplicate: bool = False
    """Repeats (a near copy of) another passage: a pull quote, a dek, a repeated caption."""
    triggers: dict[str, list[int] | None] | None = None
    """Concept / precedent pattern key -> offsets in ``masked`` a match may start at (None:
    anywhere); a key missing cannot match (see ``Ontology.triggers``). Set by ``candidates``."""

    @property
    def start(self) -> int:
        return self.passage.start

    @property
    def id(self) -> str:
        return self.passage.id


def candidates(view: PassageView, onto: Ontology) -> dict[str, list[int] | None]:
    """Which ontology patterns can match the masked passage, and where (computed once)."""
    if view.triggers is None:
        view.triggers = ontology_index(onto).candidates(view.masked)
    return view.triggers


@dataclass(slots=True)
class DocContext:
    doc: ReadDocument
    onto: Ontology
    views: list[PassageView]
    lower_vocab: set[str]
    """Words that occur in lower case somewhere in the document (to spot sentence-initial
    capitals that are ordinary words)."""
    reference: date | None = None
    reference_source: str = "none"
    anchors: list[date] = field(default_factory=list)
    date_memo: dict[str, Any] = field(default_factory=dict)
    """Passage text -> its date-pattern matches (``find_dates``), shared by the extractors."""
    lookups: dict[tuple[str, str], Any] = field(default_factory=dict)
    """(table, surface) -> result of a name look-up; a name recurs throughout a document."""

    @property
    def raw(self) -> str:
        return self.doc.raw


def _mark_duplicates(views: list[PassageView], toks: list[set[str]]) -> None:
    """Flag passages whose words are (almost) all inside a longer passage.

    Scraped pages repeat a pull quote, a dek or a caption; the longer body copy is kept.
    Token sets are indexed by their rarest token, so this is not quadratic on long documents.
    """
    df: Counter[str] = Counter(t for s in toks for t in s)
    index: dict[str, list[int]] = {}
    for i, s in enumerate(toks):
        for t in s:
            index.setdefault(t, []).append(i)
    for i, s in enumerate(toks):
        if len(s) < 6:
            continue
        rare = min(s, key=lambda t: (df[t], t))  # ties by the token: no hash order
        for j in index.get(rare, []):
            if j == i or len(toks[j]) < len(s):
                continue
            if len(toks[j]) == len(s) and j > i:
                continue  # exact repeat: keep the later copy, flag the earlier ones
            if len(s & toks[j]) >= 0.9 * len(s):
                views[i].duplicate = True
                break


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SUMMARY_LEAD = 8
"""Paragraphs from the top a summary block may start in (after a title, a dateline)."""
_SUMMARY_MIN = 3
_RESTATED = 0.7
"""Share of a bullet's words a later, longer passage must hold to restate it."""


def _mark_summary_bullets(views: list[PassageView], raw: str, toks: list[set[str]]) -> None:
    """Flag a page's summary bullets (its "key points"): a run of one-sentence paragraphs near
    the top of which at least three, and half, are restated by longer passages further down
    (the run ends with the last one restated). The body copy keeps the claims; the bullets, as
    a dek or a pull quote would, only repeat them (a wire story's one-sentence paragraphs are
    not restated below: on 4,000 real articles only one page's key points were flagged)."""
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(raw)]
    paras: dict[int, list[int]] = {}
    for i, v in enumerate(views):
        paras.setdefault(bisect_right(breaks, v.start), []).append(i)
    order = sorted(paras)
    runs: list[list[int]] = [[]]
    previous = None
    for k in order[:_SUMMARY_LEAD]:
        members = [i for i in paras[k] if not views[i].headline]
        if previous is not None and k != previous + 1 and runs[-1]:
            runs.append([])  # a block left out between (page furniture) ends the run
        previous = k
        if len(members) == 1 and len(toks[members[0]]) >= 6 and len(paras[k]) == 1:
            runs[-1].append(members[0])
        elif runs[-1]:
            runs.append([])
    for run in runs:
        if len(run) < _SUMMARY_MIN:
            continue
        restated = [
            n
            for n, i in enumerate(run)
            if any(
                len(toks[j]) > len(toks[i]) and len(toks[i] & toks[j]) >= _RESTATED * len(toks[i])
                for j in range(i + 1, len(views))
            )
        ]
        if not restated:
            continue
        block = run[: restated[-1] + 1]  # the bullets end with the last one restated below
        if len(restated) >= max(_SUMMARY_MIN, len(block) / 2):
            for i in block:
                views[i].duplicate = True


def build_context(doc: ReadDocument, onto: Ontology | None = None) -> DocContext:
    onto = onto or load_ontology()
    views: list[PassageView] = []
    for p in doc.passages:
        masked = mask(p.text)
        views.append(PassageView(p, masked, is_headline(masked), bool(_CAPTION.search(p.text))))
    toks = [set(_tokens(v.masked)) for v in views]
    _mark_duplicates(views, toks)
    _mark_summary_bullets(views, doc.raw, toks)
    vocab: set[str] = set()
    for v in views:
        for w in _WORD.findall(v.masked):
            if w[0].islower():
                vocab.add(w)
    return DocContext(doc, onto, views, vocab)
