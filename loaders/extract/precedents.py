"""Precedents: earlier episodes an argument compares the action to, and how it treats them.

Two sources: the curated gazetteer (``seeds/ontology/precedents.yaml``: aliases such as
"Yamamoto", "bombing of Libya", or phrase groups that must co-occur in one sentence, for episodes
texts describe rather than name) and comparison language ("the nearest equivalent ... may be
X", "compared the strike to X", "unlike X", "not since X", "X considered ... but decided
against"), which finds precedents nobody listed and names them by a short noun phrase.

The treatment (analogizes / distinguishes / mentions) is read per mention: the comparison cue
nearest to the mention in its sentence decides ("She compared the strike to the 1986 bombing of
Libya" analogizes, "Unlike the raid on bin Laden, ..." distinguishes). Failing a cue there, a
next sentence that qualifies the comparison ("By contrast, ...") distinguishes, and otherwise
the treatment a nearby earlier comparison set up carries over. The cue lexicons are data
(``seeds/ontology/comparison_cues.yaml``), not code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from kb.model import Label, Precedent, Treatment, entity_id, slugify
from loaders.extract.context import DocContext, PassageView, candidates
from loaders.extract.dates import find_dates
from loaders.extract.prefilter import finditer_at, search_at
from seeds import ontology_dir

# The noun phrase after a cue: up to a clause boundary. A full stop ends it only where it ends a
# sentence, not inside an abbreviation ("U.S.").
_NP = (
    r"(?P<np>(?:[^,;:.()“”\"]|(?<=[A-Z])\.(?!\s*$)){3,140}?)"
    r"(?=[,;:()“”\"]|(?<![A-Z])\.(?:\s|$)|\.\s*$|\s+(?:which|that|who|whom|whose|when|where|while|after|because|"
    r"but|as|if|although|though)\b|$)"
)
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
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_CUT_BEFORE = {
    "in", "on", "against", "by", "of", "with", "for", "during", "over", "under", "from", "at",
    "and", "or", "to", "into", "near",
}  # fmt: skip
_PARTICLES = {"out", "up", "off", "down", "through"}
_LEADING = re.compile(
    r"^(?:(?:of|in|on|at|to|for|from|with)\s+)?(?:the|a|an|this|that|these|those)\s+", re.I
)
_QUANTIFIER = re.compile(
    r"^(?:any|some|every|each|all|no|many|multiple|several|other|such)\b", re.I
)
_PRONOUN_START = re.compile(r"^(?:him|her|them|it|me|us|you|himself|herself|itself)\b", re.I)
_TITLES = {"President", "Presidents", "The", "Both", "Former", "Vice", "Prime", "Minister", "Mr"}


@dataclass(frozen=True, slots=True)
class ComparisonCues:
    """The comparison lexicon, compiled (see ``seeds/ontology/comparison_cues.yaml``)."""

    analogize: re.Pattern[str]
    distinguish: re.Pattern[str]
    citing_before: re.Pattern[str] | None
    """An episode brought up as an example ("invoked", "the classic case"), no treatment: a
    citing cue and at most three words, ending where a mention starts."""
    """An episode brought up as an example ("invoked", "the classic case"): no treatment."""
    lapsed: re.Pattern[str] | None
    """The earlier episode's premises have lapsed ("long gone", "no longer"): distinguishes."""
    restraint: re.Pattern[str] | None
    """Holding back ("called off", "decided against"): distinguishes, even inside the name."""
    background: re.Pattern[str] | None
    """Words just before a mention that make it a time anchor or a link, not a comparison."""
    next_distinguish: re.Pattern[str]
    new_precedent: tuple[re.Pattern[str], ...]
    """Each with group ``np``: the noun phrase after the cue."""
    any_new_cue: re.Pattern[str]
    """All ``new_precedent`` cues in one pattern: most sentences have none, and one scan says so."""
    event_noun: re.Pattern[str]
    clause_word: re.Pattern[str]
    max_name_words: int
    max_id_chars: int


def _alternation(cues: list[str]) -> str:
    return "|".join(f"(?:{c})" for c in cues)


@lru_cache(maxsize=4)
def _load_cues(path: str) -> ComparisonCues:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh) or {}

    def bounded(key: str) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w-])(?:{_alternation(data[key])})(?![\w-])", re.I)

    words = "|".join(re.escape(w) for w in data["event_nouns"])
    clause = "|".join(re.escape(w) for w in data["clause_words"])
    return ComparisonCues(
        analogize=bounded("analogize"),
        distinguish=bounded("distinguish"),
        citing_before=(
            re.compile(
                rf"(?<![\w-])(?:{_alternation(data['citing'])})\s+(?:[\w.'’-]+\s+){{0,3}}$",
                re.I,
            )
            if data.get("citing")
            else None
        ),
        lapsed=bounded("lapsed") if data.get("lapsed") else None,
        restraint=bounded("restraint") if data.get("restraint") else None,
        background=(
            re.compile(
                rf"(?<![\w-])(?:{_alternation(data['background_before'])})\s+"
                r"(?:(?:the|a|an|this|that|those|these)\s+)?(?:[\w.'’-]+\s+){0,2}$",
                re.I,
            )
            if data.get("background_before")
            else None
        ),
        next_distinguish=bounded("next_sentence_distinguish"),
        new_precedent=tuple(
            re.compile(rf"(?<![\w-])(?:{c})\s+" + _NP, re.I) for c in data["new_precedent"]
        ),
        any_new_cue=re.compile(rf"(?<![\w-])(?:{_alternation(data['new_precedent'])})\s", re.I),
        event_noun=re.compile(rf"\b(?:{words})\b", re.I),
        clause_word=re.compile(rf"\b(?:{clause})\b", re.I),
        max_name_words=int(data.get("max_name_words", 8)),
        max_id_chars=int(data.get("max_id_chars", 60)),
    )


def comparison_cues() -> ComparisonCues:
    """The comparison lexicon of the current ontology directory (compiled once per directory)."""
    return _load_cues(str(ontology_dir() / "comparison_cues.yaml"))


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
    """Per precedent, the treatment most of its informative mentions give (first on a tie)."""


def mention_treatment(
    text: str, start: int, end: int, cues: ComparisonCues, strict: bool = False
) -> Treatment | None:
    """The treatment the cue nearest to ``text[start:end]`` gives it, if any cue is there.

    A distinguishing cue that overlaps an analogizing one ("not the same as") wins over it.
    Cues before the mention are preferred: a cue after it counts at twice its distance, since
    English usually puts the comparison word first ("unlike X", "compared it to X"). Holding
    back ("called off") and lapsed premises ("long gone") distinguish too, unless ``strict``
    asks for comparison language proper.
    """
    dist = [m.span() for m in cues.distinguish.finditer(text)]
    if cues.lapsed and not strict:
        dist += [m.span() for m in cues.lapsed.finditer(text)]
    ana = [
        m.span()
        for m in cues.analogize.finditer(text)
        if not any(ds < m.end() and m.start() < de for ds, de in dist)
    ]
    held = (
        [m.span() for m in cues.restraint.finditer(text)] if cues.restraint and not strict else []
    )
    best: tuple[int, Treatment] | None = None
    for treatment, spans, inner in (
        (Treatment.DISTINGUISHES, dist, False),
        (Treatment.ANALOGIZES, ana, False),
        (Treatment.DISTINGUISHES, held, True),
    ):
        for s, e in spans:
            if s < end and start < e:
                if not inner:
                    continue  # a cue word inside the episode's own name
                d = 0  # "the called-off strike": the episode is one of holding back
            else:
                d = start - e if e <= start else 2 * (s - end)
            if best is None or d < best[0]:
                best = (d, treatment)
    return best[1] if best else None


def is_background(text: str, start: int, cues: ComparisonCues) -> bool:
    """The mention at ``start`` is a time anchor or a link ("after the 2003 invasion", "ties
    to the 1983 bombing"), read from the words just before it in its clause, unless those
    words are part of comparison language ("the deadliest attack since ...")."""
    if cues.background is None:
        return False
    lo = max(0, start - 160)  # the passage is a sentence; the cue must end at the mention
    b = cues.background.search(text, lo, start)
    if not b:
        return False
    for cue in (cues.analogize, cues.distinguish):
        if any(c.start() < b.end() and b.start() < c.end() for c in cue.finditer(text, lo, start)):
            return False
    return True


def _fit_name(np: str, cues: ComparisonCues) -> str | None:
    """A short name for an episode from the noun phrase after a cue, or None if it is none.

    The phrase must name a particular event (an event noun, and a year, a name or some
    description); it ends before a finite verb (a clause is not a name), and a long one is cut
    before a preposition so that it has at most ``max_name_words`` words and its slug at most
    ``max_id_chars`` characters.
    """
    np = _LEADING.sub("", re.sub(r"\s+", " ", np).strip(" -–—'’"))
    verb = cues.clause_word.search(np)
    if verb:  # "not since the 1968 seizure of the Pueblo has ...": the name ends at the verb
        np = np[: verb.start()].rstrip()
    if not np or _PRONOUN_START.match(np):
        return None
    words = np.split()
    # a reduced relative clause ("... ordered by Clinton", "... carried out in 2002") is not
    # part of the name
    for i in range(2, len(words) - 1):
        if re.fullmatch(r"[a-z]+ed", words[i]) and words[i + 1].lower() in _CUT_BEFORE | _PARTICLES:
            words = words[:i]
            break
    limit = cues.max_name_words
    while words and (len(words) > limit or len(slugify(" ".join(words))) > cues.max_id_chars):
        cuts = [i for i in range(2, min(len(words), limit + 1)) if words[i].lower() in _CUT_BEFORE]
        if not cuts:
            return None
        words = words[: cuts[-1]]
        limit = len(words)
    name = " ".join(words)
    # the head (the words before the first preposition) ends in an event noun: "the 2017
    # strikes on an airfield", not "$74 million by the campaign" or "culture war issues"
    cut = [i for i, w in enumerate(words) if i and w.lower() in _CUT_BEFORE]
    head = words[: cut[0]] if cut else words
    if not cues.event_noun.fullmatch(head[-1].strip("'’.,").lower()):
        return None
    # and a particular event: dated, named, or described at some length ("the elimination of
    # a terrorist group's leader"), not "multiple attacks" or "any war"
    specific = (
        _YEAR.search(name)
        or any(w[:1].isupper() or w[:1].isdigit() for w in words[1:])
        or len(words) >= 4
    )
    if len(words) < 2 or _QUANTIFIER.match(name) or words[0].lower() in _CUT_BEFORE or not specific:
        return None
    return name[0].upper() + name[1:]


def _considered_name(subj: str, act: str) -> str | None:
    """'Bush and Obama decision against targeting Soleimani' from the "considered" pattern."""
    runs = re.findall(r"(?:[A-Z][\w'’.-]*\s*)+", subj)
    names = []
    for run in runs:
        toks = [t for t in run.split() if t.strip(".") not in _TITLES and len(t.strip(".")) > 1]
        if toks:
            names.append(toks[-1])
    if not names:
        return None
    who = " and ".join(dict.fromkeys(names))
    act_words = act.split()[:3]
    return f"{who} decision against {' '.join(act_words)}"


def _curated(ctx: DocContext, view: PassageView) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    text = view.masked
    cands = candidates(view, ctx.onto)
    # only the entries the pre-filter left (keys "p:<id>" and "p:<id>:<i>:<j>"), in file order
    live = {k.split(":")[1] for k in cands if k.startswith("p:")}
    for entry in (e for e in ctx.onto.precedents.values() if e.id in live):
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


_YEAR_BEFORE = re.compile(r"\b((?:1[5-9]|20)\d\d)\W{0,3}\s*(?:[A-Z][\w.'’-]*\s+){0,2}$")


def _most_specific(
    ctx: DocContext, text: str, found: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Curated mentions without those another entry's longer mention contains, and without
    those a year before the episode names ("the 1979 invasion of Afghanistan" is not the
    2001 one: an earlier year cannot name a later episode)."""
    out = []
    for s, e, key in found:
        if any(k != key and s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, k in found):
            continue
        entry = ctx.onto.precedents[key.removeprefix("precedent:")]
        y = _YEAR_BEFORE.search(text, max(0, s - 40), s)
        if y and entry.date and int(y.group(1)) < entry.date.year:
            continue
        out.append((s, e, key))
    return out


def _new_from_cues(
    text: str, found: list[tuple[int, int, str]], cues: ComparisonCues
) -> list[tuple[int, int, str]]:
    """Episodes named after comparison cues that no curated mention already covers."""
    out: list[tuple[int, int, str]] = []
    if not cues.any_new_cue.search(text):
        return out
    for cue in cues.new_precedent:
        for m in cue.finditer(text):
            s, e = m.span("np")
            if any(fs < e and s < fe for fs, fe, _ in found + out):
                continue
            name = _fit_name(m.group("np"), cues)
            if name:
                out.append((s, s + len(m.group("np").rstrip()), "new:" + name))
    return out


def _is_precedent_here(
    ctx: DocContext,
    text: str,
    s: int,
    e: int,
    key: str,
    treatment: Treatment | None,
    cues: ComparisonCues,
) -> bool:
    """Whether a curated episode's mention is a precedent here, not background.

    With no cue in its sentence, an episode named as a time anchor or a link ("after the 2003
    invasion", "ties to the 9/11 attacks") only dates or describes the present; and an entry
    that news names as background all the time (``needs_cue``) counts only where comparison
    language proper sets it beside the action.
    """
    if is_background(text, s, cues):
        return False
    entry = ctx.onto.precedents[key.removeprefix("precedent:")]
    if not entry.needs_cue:
        return True
    # comparison language before the mention ("like", "the same ... who pushed"), or a citing
    # verb that governs it ("invoked the ..."); a cue after it is usually about something else
    if mention_treatment(text[:e], s, e, cues, strict=True) is not None:
        return True
    return bool(cues.citing_before and cues.citing_before.search(text, max(0, s - 80), s))


def extract_precedents(ctx: DocContext) -> PrecedentResult:
    """Curated and newly found precedents, their mentions and treatments."""
    cues = comparison_cues()
    precedents: dict[str, Precedent] = {}
    mentions: list[PrecedentMention] = []
    views = [v for v in ctx.views if not (v.caption or v.duplicate or v.headline)]
    for idx, view in enumerate(views):
        text = view.masked
        found = _most_specific(ctx, text, _curated(ctx, view))
        found += _new_from_cues(text, found, cues)
        for m in _considered(text) if "considered" in text else ():
            subj = re.sub(r"^.*\b(?:that|whether)\s+", "", m.group("subj")).strip()
            name = _considered_name(subj, m.group("act"))
            if name:
                found.append((m.start(), m.end(), "new-dist:" + name))
        for s, e, key in sorted(found):
            treatment = (
                Treatment.DISTINGUISHES
                if key.startswith("new-dist:")
                else mention_treatment(text, s, e, cues)
            )
            if key.startswith("precedent:") and not _is_precedent_here(
                ctx, text, s, e, key, treatment, cues
            ):
                continue
            if key.startswith("precedent:"):
                pid = key
                entry = ctx.onto.precedents[pid.removeprefix("precedent:")]
                if pid not in precedents:
                    precedents[pid] = Precedent(
                        pid, entry.name, entry.date, entry.summary, list(entry.aliases)
                    )
            else:
                name = key.split(":", 1)[1]
                pid = entity_id(Label.PRECEDENT, name)
                if pid not in precedents:
                    years = [d.value for d in find_dates(name, None) if d.value and d.explicit_year]
                    precedents[pid] = Precedent(pid, name, years[0] if years else None, None, [])
            nxt = views[idx + 1].masked if idx + 1 < len(views) else ""
            if treatment is None and cues.next_distinguish.search(nxt):
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
    return PrecedentResult(precedents, mentions, _document_treatments(precedents, mentions))


def _document_treatments(
    precedents: dict[str, Precedent], mentions: list[PrecedentMention]
) -> dict[str, Treatment]:
    """Per precedent, the informative treatment most of its mentions give (first on a tie)."""
    out: dict[str, Treatment] = {}
    for pid in precedents:
        own = [m.treatment for m in mentions if m.precedent_id == pid]
        counts = Counter(t for t in own if t != Treatment.MENTIONS)
        if not counts:
            out[pid] = Treatment.MENTIONS
            continue
        best = max(counts.values())
        out[pid] = next(t for t in own if counts.get(t) == best)
    return out
