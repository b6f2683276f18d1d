"""Precedents: earlier episodes an argument compares the action to, and how it treats them.

Two sources: the curated thesaurus (aliases such as "Yamamoto", "bombing of Libya", or phrase
groups that must co-occur in one sentence, for episodes texts describe rather than name) and
comparison language ("the nearest equivalent ... may be X", "compared to X", "unlike X",
"similar to X", "X considered ... but decided against"), which finds precedents nobody listed.
The treatment (analogizes / distinguishes / mentions) comes from cue words in the sentence, the
next sentence (a comparison is often drawn and then qualified: "But a comparison ... brings out
what is different"), or the comparison a nearby earlier sentence set up.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kb.model import Label, Precedent, Treatment, entity_id
from loaders.extract.context import DocContext, PassageView, candidates
from loaders.extract.dates import find_dates
from loaders.extract.prefilter import finditer_at, search_at

ANALOG = re.compile(
    r"\b(?:nearest|closest|obvious|best|historical|recent)\s+(?:equivalent|parallel|analog\w*|precedent)"
    r"|\bsimilar(?:ly)?\s+to\b|\bakin\s+to\b|\b(?:more|much|just)\s+like\b|\bthe\s+kind\s+of\b"
    r"|\bjust\s+as\b|\banalog\w*|\bcomparable\b|\breminiscent\b|\becho(?:es|ed|ing)?\b"
    r"|\bparallels?\b|\bequivalent\b|\bprecedent\s+for\b|\bmirror(?:s|ed)?\b|\bsame\s+(?:way|logic|rationale)\b",
    re.I,
)
DISTINGUISH = re.compile(
    r"\bunlike\b|\bby\s+contrast\b|\bin\s+contrast\b|\bwhereas\b|\bdifferent\s+(?:from|than)\b"
    r"|\bwhat\s+is\s+different\b|\bdiffer(?:s|ed|ence)?\b|\bdistinguish\w*|\bnot\s+comparable\b"
    r"|\bnovel\b|\bno\s+(?:real\s+)?(?:parallel|precedent)\b|\bdeparture\s+from\b"
    r"|\bdecided\s+against\b|\bshied\s+away\b",
    re.I,
)
_EVENT_NOUN = re.compile(
    r"\b(?:raid|strikes?|bombing|killing|assassination|invasion|operation|war|attack|shoot-?down|"
    r"intervention|incursion|campaign|crisis|affair|incident|poisoning|kidnapping|rendition|"
    r"occupation|massacre|coup|downing|shooting|execution)\b",
    re.I,
)
_NP = (
    r"(?P<np>[^,;:.()“”\"]{3,140}?)"
    r"(?=[,;:.()“”\"]|\s+(?:which|that|who|when|where|after|because|but)\b|$)"
)
NEW_CUES = [
    re.compile(
        r"\b(?:nearest|closest|obvious|best|historical)\s+(?:equivalent|parallel|analog\w*|precedent)"
        r"(?:\s+in\s+[a-z ]+?)?\s+(?:is|was|may\s+be|might\s+be|would\s+be|could\s+be|remains)\s+"
        + _NP,
        re.I,
    ),
    re.compile(
        r"\b(?:compared\s+(?:it|this|the\s+\w+|\w+)?\s*(?:to|with)|similar\s+to|akin\s+to|"
        r"reminiscent\s+of|unlike|as\s+in|just\s+as\s+in|much\s+like|echoes\s+of|recalls|"
        r"precedent\s+(?:of|set\s+by))\s+" + _NP,
        re.I,
    ),
]
_CONSIDERED_TAIL = (
    r"considered\s+(?P<act>\w+ing\s+[^,;.]{1,60}?)\s*,?\s+"
    r"but\s+(?:ultimately\s+|eventually\s+|later\s+)?(?:decided\s+against|rejected|declined|refrained|"
    r"shied\s+away|backed\s+off)"
)
CONSIDERED = re.compile(
    r"(?P<subj>(?:\b[Tt]he\s+)?(?:[^,;.]|(?<=[A-Z])\.){0,110}?)\s+(?:had\s+)?" + _CONSIDERED_TAIL
)
_TAIL = re.compile(_CONSIDERED_TAIL)
_WHITE = re.compile(r"\s+")


def _considered(text: str) -> list[re.Match[str]]:
    """``CONSIDERED.finditer(text)``, trying only the offsets a match can start at.

    Every match ends in a match of the tail ("considered ...ing ..., but decided against") at
    an occurrence c of "considered", and starts at most "The" + 110 characters + "had" plus
    three runs of white space before c. Scanning every offset instead costs milliseconds.
    """
    tails = [m.start() for m in re.finditer("considered", text) if _TAIL.match(text, m.start())]
    if not tails:
        return []
    longest_white = max((len(w) for w in _WHITE.findall(text)), default=0)
    reach = 3 + 110 + 3 + 3 * longest_white
    starts = sorted({q for c in tails for q in range(max(0, c - reach), c + 1)})
    return finditer_at(CONSIDERED, text, starts)


_CUE_WORDS = re.compile(
    r"equivalent|parallel|analog|precedent|compared|similar|akin|reminiscent|unlike|as in|"
    r"much like|echoes|recalls"
)


@dataclass(slots=True)
class PrecedentMention:
    precedent_id: str
    passage_id: str
    start: int
    end: int
    surface: str
    treatment: Treatment
    passage_index: int


@dataclass(slots=True)
class PrecedentResult:
    precedents: dict[str, Precedent]
    mentions: list[PrecedentMention]
    treatments: dict[str, Treatment]


def _local_treatment(text: str) -> Treatment | None:
    if ANALOG.search(text):
        return Treatment.ANALOGIZES
    if DISTINGUISH.search(text):
        return Treatment.DISTINGUISHES
    return None


def _clean_np(np: str) -> str:
    np = re.sub(r"^(?:the|a|an|this|that)\s+", "", np.strip(), flags=re.I)
    return re.sub(r"\s+", " ", np).strip(" -–—")


def _curated(ctx: DocContext, view: PassageView) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    text = view.masked
    cands = candidates(view, ctx.onto)
    for entry in ctx.onto.precedents.values():
        key = f"p:{entry.id}"
        if entry.regex is not None and key in cands:
            for m in finditer_at(entry.regex, text, cands[key]):
                found.append((m.start(), m.end(), f"precedent:{entry.id}"))
        for i, groups in enumerate(entry.cooccur):
            gkeys = [f"{key}:{i}:{j}" for j in range(len(groups))]
            if any(k not in cands for k in gkeys):
                continue  # some group cannot match here
            spans = [search_at(g, text, cands[k]) for g, k in zip(groups, gkeys, strict=True)]
            if all(spans):
                s = min(m.start() for m in spans if m)
                e = max(m.end() for m in spans if m)
                found.append((s, e, f"precedent:{entry.id}"))
    return found


def extract_precedents(ctx: DocContext) -> PrecedentResult:
    """Curated and newly found precedents, their mentions and per-document treatment."""
    precedents: dict[str, Precedent] = {}
    mentions: list[PrecedentMention] = []
    views = [v for v in ctx.views if not (v.caption or v.duplicate or v.headline)]
    for idx, view in enumerate(views):
        text = view.masked
        found = _curated(ctx, view)
        low = text.lower()
        cues = NEW_CUES if _CUE_WORDS.search(low) else []
        for cue in cues:
            for m in cue.finditer(text):
                s, e = m.span("np")
                if any(fs < e and s < fe for fs, fe, _ in found):
                    continue
                np = _clean_np(m.group("np"))
                if not (_EVENT_NOUN.search(np) or re.search(r"\b(?:1[89]|20)\d\d\b", np)):
                    continue
                if len(np.split()) < 2:
                    continue
                found.append((s, e, "new:" + np))
        for m in _considered(text) if "considered" in low else ():
            subj = re.sub(r"^.*\b(?:that|whether)\s+", "", m.group("subj")).strip()
            subj = re.sub(r"^(?:both\s+)", "", subj)
            if not subj or not re.search(r"[A-Z]", subj):
                continue
            name = _clean_np(f"{subj} considered {m.group('act')} but decided against it")
            found.append((m.start(), m.end(), "new-dist:" + name))
        for s, e, key in sorted(found):
            if key.startswith("precedent:"):
                pid = key
                entry = ctx.onto.precedents[pid.removeprefix("precedent:")]
                if pid not in precedents:
                    precedents[pid] = Precedent(
                        pid, entry.name, entry.date, entry.summary, list(entry.aliases)
                    )
            else:
                name = key.split(":", 1)[1]
                name = name[0].upper() + name[1:]
                pid = entity_id(Label.PRECEDENT, name)
                if pid not in precedents:
                    years = [d.value for d in find_dates(name, None) if d.value and d.explicit_year]
                    precedents[pid] = Precedent(pid, name, years[0] if years else None, None, [])
            treatment = (
                Treatment.DISTINGUISHES if key.startswith("new-dist:") else _local_treatment(text)
            )
            if treatment is None and idx + 1 < len(views):
                nxt = views[idx + 1].masked
                if re.search(
                    r"\bby\s+contrast\b|\bin\s+contrast\b|\bunlike\b|\bwhat\s+is\s+different\b|\bdifferent\s+and\s+novel\b|\bbut\s+a\s+comparison\b",
                    nxt,
                    re.I,
                ):
                    treatment = Treatment.DISTINGUISHES
            if treatment is None:
                prior = [
                    mm
                    for mm in mentions
                    if mm.precedent_id != pid
                    and idx - mm.passage_index <= 3
                    and mm.treatment != Treatment.MENTIONS
                ]
                treatment = prior[-1].treatment if prior else Treatment.MENTIONS
            mentions.append(
                PrecedentMention(
                    pid,
                    view.id,
                    view.start + s,
                    view.start + e,
                    view.passage.text[s:e],
                    treatment,
                    idx,
                )
            )
    treatments: dict[str, Treatment] = {}
    for pid in precedents:
        counts = Counter(m.treatment for m in mentions if m.precedent_id == pid)
        informative = [(c, t) for t, c in counts.items() if t != Treatment.MENTIONS]
        if informative:
            best = max(c for c, _ in informative)
            first = next(
                m.treatment
                for m in mentions
                if m.precedent_id == pid
                and counts[m.treatment] == best
                and m.treatment != Treatment.MENTIONS
            )
            treatments[pid] = first
        else:
            treatments[pid] = Treatment.MENTIONS
    return PrecedentResult(precedents, mentions, treatments)
