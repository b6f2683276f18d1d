"""Concepts: link mentions of legal concepts to the curated ontology.

Each concept compiles (once, in ``loaders.ontology``) to one case-insensitive regular expression
from its aliases, tolerant of inflection, hyphenation and British/American spelling, plus
hand-written patterns for paraphrases ("defensive action", "used force against", "necessary and
proportionate"). Overlapping matches go to the longest (most specific) concept. A concept may
list ``exclude`` contexts where its words mean something else ("character assassination",
"police use of force"); a match inside one is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.extract.context import DocContext, candidates
from loaders.extract.prefilter import finditer_at


@dataclass(slots=True)
class ConceptMention:
    concept_id: str  # "concept:<slug>"
    passage_id: str
    start: int
    end: int
    surface: str


def extract_concepts(ctx: DocContext) -> list[ConceptMention]:
    """Concept mentions in every passage except captions, headlines and repeated passages."""
    out: list[ConceptMention] = []
    for view in ctx.views:
        if view.caption or view.duplicate:
            continue
        found: list[tuple[int, int, str]] = []
        cands = candidates(view, ctx.onto)
        text = view.masked
        # only the concepts the pre-filter says can match here, in file order
        live = {k[2:] for k in cands if k.startswith("c:")}
        for entry in (e for e in ctx.onto.concepts.values() if e.id in live):
            key = f"c:{entry.id}"
            hits = [m.span() for m in finditer_at(entry.regex, text, cands[key])]
            if hits and entry.exclude is not None:
                blocked = [x.span() for x in entry.exclude.finditer(text)]
                hits = [(s, e) for s, e in hits if not any(bs < e and s < be for bs, be in blocked)]
            found += [(s, e, entry.id) for s, e in hits if e > s]
        # longest first; overlapping matches of one concept collapse to the longest, while a
        # concept nested in another ("armed attack" in "defend against an armed attack") stays
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        kept: list[tuple[int, int, str]] = []
        for s, e, cid in found:
            if any(k[2] == cid and k[0] < e and s < k[1] for k in kept):
                continue
            kept.append((s, e, cid))
        for s, e, cid in sorted(kept):
            out.append(
                ConceptMention(
                    f"concept:{cid}",
                    view.id,
                    view.start + s,
                    view.start + e,
                    view.passage.text[s:e],
                )
            )
    return out
