"""Events: what happened, when, and who took part (PARTICIPATED_IN with a role).

A *trigger* is an event noun ("strike", "vote", "press conference") or a past-tense event verb
("besieged", "voted", "visited") from the cue lexicon (``seeds/ontology/event_cues.yaml``). A
trigger becomes an event when it reports a happening: not hypothetical, negated or generic
("could strike", "did not attack", "attack plans", "limiting strikes"), not a mention of a
precedent, and specific (a date, a participant, a definite or possessive determiner, or a
verb with its subject). Announced future ones ("the House would vote Thursday", "a planned
vote") are kept and marked planned: ``kb.model.Event`` has no status field, so the name says
"Planned …" and the date is read forward.

Dates come from the trigger's clause and resolve against the document's reference date at the
precision the words give (``loaders.extract.dates``); "the next day" counts from the previous
event's date. A strike that killed a person whose death date the ontology knows takes that date
when the text states none (or only a week: "last week").

Roles are read from the clause: the subject of an event verb is its ``agent``, the object its
``target`` (a person killed: ``victim``), the subject of "ordered/authorized <event>" the one
who ``ordered`` it; a passive subject is the target or victim and "by X" the agent.

The same event mentioned twice is one event: mentions of one class merge when their dates and
participants agree (a definite "the strike" with nothing new refers back to the last one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from kb.model import Event, Label, slugify
from loaders.extract.actors import ActorMention, ActorResult
from loaders.extract.context import DocContext
from loaders.extract.dates import (
    WEEKDAYS,
    DateExpr,
    after,
    cue_lexicon,
    find_dates,
    format_date,
    forward,
)
from loaders.extract.precedents import PrecedentResult
from loaders.extract.prefilter import Prefiltered


def _words(items: list[str]) -> str:
    """Alternation of phrases, longest first, each space matching any run of spaces/hyphens."""
    ordered = sorted({str(w) for w in items}, key=lambda w: (-len(w), w.lower()))
    return "|".join(r"[\s-]+".join(re.escape(p) for p in w.split()) for w in ordered)


@dataclass(frozen=True, slots=True)
class Cues:
    """The event lexicon, compiled."""

    noun_class: dict[str, str]
    verb_class: dict[str, str]
    """past form or base form (lower case, single-spaced) -> class"""
    past_forms: frozenset[str]
    verb_base: dict[str, str]
    """past form -> base form ("briefed" -> "brief")"""
    heads: dict[str, str]
    """class -> the word that names it in ids ("strike", "protests")"""
    trigger: re.Pattern[str]
    hypothetical: re.Pattern[str]
    blockers: frozenset[str]
    ordering: re.Pattern[str]
    planned: re.Pattern[str]
    planned_mod: re.Pattern[str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    """Compile the cue lexicon once."""
    lex = cue_lexicon()
    noun_class: dict[str, str] = {}
    verb_class: dict[str, str] = {}
    verb_base: dict[str, str] = {}
    past: set[str] = set()
    heads: dict[str, str] = {}
    heads["date"] = "events"
    heads["authorization"] = "authorization"
    for cls, spec in lex["classes"].items():
        heads[cls] = str(spec["head"])
        for n in spec.get("nouns") or []:
            noun_class[_norm(str(n))] = cls
        for form, base in (spec.get("verbs") or {}).items():
            verb_class[_norm(str(form))] = cls
            verb_class.setdefault(_norm(str(base)), cls)
            past.add(_norm(str(form)))
            verb_base[_norm(str(form))] = _norm(str(base))
    bases = [b for b in verb_class if b not in past]
    trigger = re.compile(
        rf"(?<![\w-])(?P<mod>(?:(?:{_words(lex['modifiers'])})[\s-]+){{0,3}})"
        rf"(?P<noun>{_words(list(noun_class))})(?:e?s)?\b"
        rf"|\b(?P<verb>{_words(sorted(past))})\b"
        rf"|\b(?P<base>{_words(bases)})\b",
        re.I,
    )
    hypo = re.compile(
        rf"\b(?:{_words(lex['hypothetical_before'])})\W+(?:[\w'’-]+\W+){{0,3}}$", re.I
    )
    return Cues(
        noun_class,
        verb_class,
        frozenset(past),
        verb_base,
        heads,
        trigger,
        hypo,
        frozenset(str(w).lower() for w in lex["blockers_after"]),
        re.compile(rf"\b(?:{_words(lex['ordering_verbs'])})\s+(?:[\w'’-]+\s+){{0,3}}$", re.I),
        re.compile(
            rf"\b(?:{_words(lex['planned_markers'])})\s+(?:(?:also|soon|then|now|likely)\s+)?$",
            re.I,
        ),
        re.compile(
            rf"\b(?:a|an|the|its|his|her|their|this|next)\s+(?:{_words(lex['planned_modifiers'])})"
            rf"\s+(?:[\w-]+\s+){{0,2}}$",
            re.I,
        ),
    )


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


TRIGGER = cues().trigger
_TRIGGER = Prefiltered(TRIGGER)  # same matches, tried only where a trigger word begins

_DEFINITE = re.compile(
    r"(?:\b(?i:the|this|that|these|those|its|his|her|their|our)|['’]s)\s+(?:[a-z][\w-]*\s+){0,2}$"
)
_INDEFINITE = re.compile(r"\b(?:a|an|one|another|two|three|several|new|fresh)\s+$", re.I)
_NEGATED = re.compile(
    r"\b(?:not|never|no|n['’]t|neither|nor|without|refused\s+to|declined\s+to)\s+"
    r"(?:[\w'’-]+\s+){0,2}$",
    re.I,
)
_SPEECH = (
    r"(?:said|says|reported|reports|told|tells|wrote|writes|tweeted|added|stated|noted|"
    r"claimed|argued|insisted|confirmed|announced|testified|declared)"
)
_SPEECH_BEFORE = re.compile(rf"\b{_SPEECH}\s+(?:[\w'’-]+\s+)?$", re.I)
_SPEECH_AFTER = re.compile(rf"\s*,?\s+(?:[A-Z][\w.-]+\s+){{0,3}}{_SPEECH}\b")
_MODAL = re.compile(
    r"\b(?:would|could|might|may|should|must|can|cannot|to)\b(?!\s+(?:the|a)\b)", re.I
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|got)\s+(?:[\w'’-]+ly\s+)?$", re.I)
_INFINITIVE = re.compile(r"\bto\s+$", re.I)
_CLAUSE_BREAK = ',;:—–()"“”'
_STOP_TAIL = re.compile(
    r"(?:\s+(?:in|on|at|of|the|a|an|and|or|to|with|by|for|from|as|that|which|who|its|his|her|"
    r"their|than|since|after|before|over|into|while|when|is|was|were|are|but)|[\s,;:.!?'’-])+$",
    re.I,
)
_COMPLEMENT = re.compile(
    r"\s+(?P<prep>of|on|against|at|in|targeting|by|near|outside|inside)\s+"
    r"(?P<np>(?:(?!\b(?:that|which|who|when|where|while|as|because|after|before|since|and\s+"
    r"(?:the|a|an|then)\b|(?-i:[a-z]+ed)|but|is|was|were|are|has|had|took|marks|represents|"
    r"would|will|could|may|might|prompted|sparked|came)\b)[^,.;:()\"“”—–]){2,70})",
    re.I,
)
_CONJ_VERB = re.compile(r"\s+and\s+$", re.I)
_ABBREV = re.compile(r"(?<=\b[A-Z])\.")
_TIME_FRAME = re.compile(
    r"\b(?:since|until|till|ever\s+since|in\s+the\s+years\s+since|in\s+the\s+wake\s+of)\s+$",
    re.I,
)
_RELATIVE_LINK = re.compile(
    r"^[^,;:]{0,80}?\b(?:that|which)\s+(?:(?:also|had|has|reportedly|allegedly)\s+)?$", re.I
)
_SUBJECT_BREAK = re.compile(
    r"\b(?:that|which|who|and|but|or|while|as|when|after|before|said|says|told)\b|[,;:—–]"
)
_BEGAN_TO = re.compile(
    r"\b(?:began|begun|begins|started|starts|continued|continues|moved)\s+to\s+$", re.I
)
_DAYS_AFTER = re.compile(
    r"\b(?:(?P<n>one|a|two|three|four|five|\d+)\s+days?|the\s+day)\s+(?P<rel>after|before)\s+"
    r"(?:(?:the|a|an|its|his|her|their)\s+)?(?:[\w'’-]+\s+){0,6}$",
    re.I,
)
_PP_BEFORE_OBJECT = re.compile(
    r"\b(?:from|in|with|for|to|of|by|near|over|about|across|during|after|before|since|"
    r"including|like|than|as|inside|outside|within|without|through)\b",
    re.I,
)
_BLAMED_FOR = re.compile(
    r"\b(?P<verb>blam\w*|held|holds|hold|accus\w*)\s+(?:[\w'’·.-]+\s+){1,5}?"
    r"(?:responsible\s+)?for\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w-]+\s+){0,2}$"
    r"|\b(?:was|were|is|are)\s+(?:\w+\s+)?responsible\s+for\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
_SAID_THAT = re.compile(rf"\b{_SPEECH}\s+(?:that\s+)?", re.I)
_YEAR_DET = re.compile(r"\b(?:the|a|an|its|their|his|her)\s+$", re.I)
_YEAR_RELATIVE = re.compile(
    r"^[^.;:]*?,?\s+(?:which|that)\s+(?:(?:was|were|had\s+been|has\s+been)\s+)?$", re.I
)
_SOON_AFTER = re.compile(r"\b(?:shortly|soon|days|weeks|not\s+long)\s+after\s+$", re.I)
_HOURS_AFTER = re.compile(
    r"\b(?:hours|minutes|moments|shortly|just|soon)\s+(?:after|before)\s+"
    r"(?:(?:the|a|an|its|his|her|their)\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.I,
)
_SINCE_CLAUSE = re.compile(r"\bsince\s+(?:the|a|an|its|his|her|their)\b[^,;:.—–]*$", re.I)
_SIGNATURE = re.compile(r"\(@\w+\)\s*$")
_OBJECT_LINK = re.compile(
    r"^\s+(?:(?:a|an|the|its|their|his|her|new|fresh)\s+)?(?:[\w'’·-]+\s+){0,3}$", re.I
)
_MEANS_LINK = re.compile(
    r"^\s+(?:[\w'’·-]+\s+){0,8}?(?:with|by|in|through)\s+(?:[\w'’·-]+\s+){0,4}$"
)


def _absorb(text: str, kept: list[tuple[_Trigger, int, int]]) -> dict[int, int]:
    """Verbs that only add to a noun event of their sentence: trigger index -> host index.

    "the strike that killed X" (a relative clause on the noun) and "X retaliated with
    airstrikes", "X was killed in a strike" (the noun is the means) are one event each.
    """
    out: dict[int, int] = {}
    for k, (t, cs, _ce) in enumerate(kept):
        if t.kind != "verb":
            continue
        for j, (n, _ncs, _nce) in enumerate(kept):
            if n.kind != "noun" or j in out:
                continue
            # "an attack on a base ... killed a contractor": the noun is the verb's subject
            subject = (
                cs <= n.start
                and n.end <= t.start
                and t.start - n.end < 90
                and not _SUBJECT_BREAK.search(text[n.end : t.start])
            )
            if (
                subject
                or (n.end <= t.start and _RELATIVE_LINK.match(text[n.end : t.start]))
                or (
                    t.end <= n.start
                    and n.start - t.end < 60
                    and (
                        _MEANS_LINK.match(text[t.end : n.start])
                        or _OBJECT_LINK.match(text[t.end : n.start])
                    )
                )
            ):
                out[k] = j
    return out


@dataclass(slots=True)
class EventMention:
    event_key: str
    passage_id: str
    start: int
    end: int


@dataclass(slots=True)
class _Ev:
    key: str
    cls: str
    name: str
    date: date | None
    precision: str
    date_text: str | None
    planned: bool = False
    specific: bool = True
    """it has a date, a participant, a determiner or a complement: not a generic mention"""
    definite: bool = False
    heads: set[str] = field(default_factory=set)
    """stems of the words that named it ("brief" for "were briefed" and "the briefing"): a
    definite mention refers back to an event named by the same word"""
    authorized: bool = False
    """governed by "authorized/approved" with a date of its own: maybe an earlier decision"""
    victim: str | None = None
    target: str | None = None
    """a slug of what the event was aimed at (an actor id or the complement's words)"""
    participants: dict[str, tuple[str, str]] = field(default_factory=dict)
    """actor id -> (role, passage id)"""
    mentions: list[EventMention] = field(default_factory=list)


@dataclass(slots=True)
class EventResult:
    events: list[Event]
    precision: dict[str, str]
    mentions: list[tuple[str, str, int, int]]
    """(event id, passage id, start, end)"""
    participants: list[tuple[str, str, str, str]]
    """(actor id, event id, role, passage id)"""


def reference_date(ctx: DocContext, actors: ActorResult) -> tuple[date | None, str]:
    """The date relative expressions resolve against: published, else what the text implies.

    Without a publication date the anchor is the latest full date the text states or the death
    date (from the ontology) of a person it is about; a story is written after the events it
    dates by weekday, so each weekday it names is read as the first such day on or after the
    anchor, and the latest of those is the reference.
    """
    if ctx.doc.meta.published:
        return ctx.doc.meta.published, "published"
    cands: list[date] = []
    weekdays: list[DateExpr] = []
    for view in ctx.views:
        if view.caption:
            continue
        for d in find_dates(view.masked, None, ctx.date_memo):
            if d.value and d.precision == "day":
                cands.append(d.value)
            elif d.kind == "weekday":
                weekdays.append(d)
    for aid, n in actors.counts.items():
        entry = ctx.onto.actors.get(aid)
        if entry and entry.died and n >= 2:
            cands.append(entry.died)
    if not cands:
        return None, "none"
    anchor = max(cands)
    best = anchor
    for d in weekdays:
        wd = (
            WEEKDAYS.index(d.text.split()[-1].lower())
            if d.text.split()[-1].lower() in WEEKDAYS
            else None
        )
        if wd is None:
            m = re.search(r"[A-Z][a-z]+day", d.text)
            wd = WEEKDAYS.index(m.group(0).lower()) if m else None
        if wd is not None:
            best = max(best, anchor + timedelta(days=(wd - anchor.weekday()) % 7))
    return best, "implied"


def _breaks(segment: str) -> bool:
    return any(ch in segment for ch in _CLAUSE_BREAK)


def _clause(text: str, s: int, e: int) -> tuple[int, int]:
    left = max(text.rfind(ch, 0, s) for ch in _CLAUSE_BREAK)
    rights = [i for i in (text.find(ch, e) for ch in _CLAUSE_BREAK) if i >= 0]
    return left + 1, min(rights) if rights else len(text)


def _sentence_start(text: str, s: int) -> int:
    """Offset after the last sentence end before s (a passage may hold a few sentences)."""
    ends = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z\"“])", text[:s])]
    return ends[-1] if ends else 0


def _stem(words: str) -> str:
    """A crude stem of a trigger's last word: "briefing", "briefed" and "brief" agree."""
    w = _norm(words).split()[-1] if words.split() else ""
    for suffix in (
        "ings",
        "ing",
        "ments",
        "ment",
        "als",
        "al",
        "ions",
        "ion",
        "es",
        "ed",
        "s",
        "e",
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def _is_person(actors: ActorResult, actor_id: str) -> bool:
    actor = actors.actors.get(actor_id)
    return bool(actor and actor.type.value == "Person")


def _trim(phrase: str) -> str:
    out = _STOP_TAIL.sub("", phrase.strip())
    return re.sub(r"^(?:the|a|an)\s+", "", out, flags=re.I).strip()


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    return "".join(chars)


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    cls: str
    kind: str  # "noun" | "verb" | "base"
    planned: bool


def _triggers(text: str, c: Cues) -> list[_Trigger]:
    out: list[_Trigger] = []
    for m in _TRIGGER.finditer(text):
        if m.group("noun"):
            cls = c.noun_class[_norm(m.group("noun"))]
            kind = "noun"
        elif m.group("verb"):
            cls = c.verb_class[_norm(m.group("verb"))]
            kind = "verb"
        else:
            cls = c.verb_class[_norm(m.group("base"))]
            kind = "base"
        out.append(_Trigger(m.start(), m.end(), cls, kind, False))
    return out


def _real(t: _Trigger, text: str, cs: int, ce: int, c: Cues, dates: list[DateExpr]) -> bool:
    """Whether the trigger reports a happening (or an announced plan: sets ``t.planned``).

    "would/will <event>" is an announced plan only when its clause dates it ("the House would
    vote Thursday"); otherwise it is a conditional or a threat.
    """
    before = text[cs : t.start]
    dated = any(cs <= d.start < ce for d in dates)
    word_after = re.match(r"\s*([\w'’-]+)", text[t.end :])
    nxt = word_after.group(1).lower() if word_after else ""
    if t.kind == "noun":
        if nxt in c.blockers:
            return False
        if _INFINITIVE.search(before) and not c.planned.search(before):
            return False  # "the capacity to strike back": a verb
        # a gerund with its object ("killing Americans") is a verb of a general statement
        if (
            text[t.start : t.end].lower().endswith("ing")
            and not _DEFINITE.search(before)
            and not _INDEFINITE.search(before)
            and re.match(
                r"\s*(?:the|a|an|his|her|their|its|our|more|many|some|any|dozens|hundreds|"
                r"[A-Z][\w’'-]*|\d[\d,]*)\b",
                text[t.end :],
            )
        ):
            return False
        if re.match(r"\s*(?:plans?|options?)\b", text[t.end :], re.I):
            return False
        if c.planned_mod.search(before) or (dated and c.planned.search(before)):
            t.planned = True  # "a planned vote", "the House would vote Thursday"
            return True
        if _NEGATED.search(before) or c.hypothetical.search(before):
            return False
        definite = _DEFINITE.search(before) or re.search(r"['’]s\s+(?:[\w-]+\s+){0,3}$", before)
        if re.search(r"\b(?:if|unless|whether|lest)\b", before, re.I):
            return False
        return bool(definite) or not _MODAL.search(before)
    if t.kind == "verb" and re.search(
        r"\b(?:would|could|might|may|should|must|can|will)\s+(?:not\s+)?(?:have\s+)?(?:be(?:en)?\s+)?$",
        before,
    ):
        return False  # "could be killed", "would have struck"
    if _NEGATED.search(before) or re.search(r"\b(?:did|does|do)\s+not\s+$", before):
        return False
    if t.kind == "base":
        if _BEGAN_TO.search(before):
            return True  # "have begun to draw down forces": it is happening
        if not (dated and c.planned.search(before)):
            return False
        t.planned = True
        return True
    # a past participle used as an adjective or after "to be": "deployed troops"
    if _INFINITIVE.search(before):
        return False
    return not re.search(r"\b(?:if|unless|whether)\b", before, re.I)


def extract_events(
    ctx: DocContext, actors: ActorResult, precedents: PrecedentResult
) -> EventResult:
    """Events, their dates, mentions and participants (see the module docstring)."""
    c = cues()
    ref = ctx.reference
    # an episode used for comparison is a precedent, not an event; one only mentioned as
    # background ("since the 9/11 attacks") is an event as well
    compared = [m for m in precedents.mentions if m.treatment.value != "mentions"]
    compared_ids = {m.precedent_id for m in compared}
    prec_spans = [(m.start, m.end) for m in compared]
    prec_dates = {
        p.date for pid, p in precedents.precedents.items() if p.date and pid in compared_ids
    }
    prec_actor_ids = set()
    for pid in compared_ids:
        entry = ctx.onto.precedents.get(pid.removeprefix("precedent:"))
        prec_actor_ids |= set(entry.actors if entry else [])
    deaths = {
        aid: entry.died
        for aid in actors.counts
        if (entry := ctx.onto.actors.get(aid)) is not None and entry.died
    }
    events: list[_Ev] = []
    last: dict[str, _Ev] = {}
    previous: tuple[date, str] | None = None

    for view in ctx.views:
        if view.caption or view.duplicate or view.headline:
            continue
        text = _ABBREV.sub("·", view.masked)  # "U.S." keeps its periods out of clause breaks
        base = view.start
        dates = [d for d in find_dates(view.masked, ref, ctx.date_memo) if d.kind != "bare_year"]
        # an embedded tweet's signature ("— Name (@handle) January 3, 2020") dates the tweet
        dates = [d for d in dates if not _SIGNATURE.search(text[: d.start])]
        frames = [
            d
            for d in dates
            if (_TIME_FRAME.search(text[: d.start]) or _SINCE_CLAUSE.search(text[: d.start]))
            and not re.match(r"\s*,\s*when\b", text[d.end :])  # "since 2002, when it passed"
        ]
        dates = [d for d in dates if d not in frames]
        kept: list[tuple[_Trigger, int, int]] = []
        for t in _triggers(text, c):
            cs, ce = _clause(text, t.start, t.end)
            # the episode a precedent mention names ("Reagan's bombing raid on Libya"), not
            # the other events its sentence tells of ("after the bombing of a disco")
            near_precedent = any(
                ps < base + t.end + 15 and base + t.start - 3 < pe for ps, pe in prec_spans
            )
            if not near_precedent and _real(t, text, cs, ce, c, dates):
                kept.append((t, cs, ce))
        absorbed = _absorb(text, kept)
        # each date goes to the nearest trigger of its clause (or the sentence's only one)
        attached: dict[int, DateExpr] = {}
        live = [k for k in range(len(kept)) if k not in absorbed]
        for d in dates:
            # "reported on Monday that ...": the date of the report, or of the briefing or
            # interview the report was made in
            if re.match(r"\s*,\s*when\b", view.masked[d.end :]):
                # "since 2002, when it was enacted": the when-clause's event
                own = [k for k in live if 0 <= kept[k][0].start - d.end < 60]
                if own and own[0] not in attached:
                    attached[own[0]] = d
                    continue
            if re.match(r"['’]s\b", view.masked[d.end :]):
                # "Wednesday's briefing": the date of the noun it qualifies, if an event
                own = [k for k in live if 0 <= kept[k][0].start - d.end < 25]
                if own and own[0] not in attached:
                    attached[own[0]] = d
                continue
            speech = bool(
                _SPEECH_BEFORE.search(text[: d.start]) or _SPEECH_AFTER.match(text[d.end :])
            )
            best, best_dist = None, 10**6
            for k in live:
                t, cs, ce = kept[k]
                if speech and t.cls != "meeting":
                    continue
                same = cs <= d.start < ce or cs < d.end <= ce
                dist = d.start - t.end if d.start >= t.end else t.start - d.end
                if not same:
                    # an opening adverbial ("On December 27, ...") dates the next trigger,
                    # an apposition right after the event ("..., last summer") dates it
                    lo, hi = min(d.end, t.end), max(d.start, t.start)
                    between = [j for j in live if j != k and lo <= kept[j][0].start < hi]
                    lead = text[_sentence_start(text, d.start) : d.start]
                    opening = d.end <= t.start and len(lead.split()) <= 2
                    opening = opening and not any(ch in lead for ch in _CLAUSE_BREAK)
                    if between or not (
                        (opening and dist <= 160) or (d.start >= t.end and dist <= 100)
                    ):
                        continue
                    dist += 200
                if dist < best_dist and k not in attached:
                    best, best_dist = k, dist
            if best is not None:
                attached[best] = d
        # a year that qualifies an event's noun phrase: "the 2003 invasion", "the 2002 law
        # ..., which was passed"
        for d in find_dates(view.masked, ref, ctx.date_memo):
            if d.kind != "bare_year" or not _YEAR_DET.search(text[: d.start]):
                continue
            for k in live:
                t = kept[k][0]
                between = text[d.end : t.start]
                if (
                    k not in attached
                    and t.start >= d.end
                    and (
                        (t.kind == "noun" and len(between) < 30 and not _breaks(between))
                        or (
                            t.kind == "verb"
                            and len(between) < 120
                            and _YEAR_RELATIVE.match(between)
                        )
                    )
                ):
                    attached[k] = d
                    break
        # "hours after the attack": the attack is dated by its sentence's date
        for k in live:
            t = kept[k][0]
            if k not in attached and _HOURS_AFTER.search(text[: t.start]):
                near = [d for d in dates if d.end <= t.start and d not in attached.values()]
                if near:
                    attached[k] = near[-1]
        # "one day after Iraq's parliament voted": counted back from the day last named
        for k in live:
            t = kept[k][0]
            rel = _DAYS_AFTER.search(text[: t.start])
            if k in attached or not rel:
                continue
            here = [d.value for d in dates if d.value and d.precision == "day" and d.end <= t.start]
            if not here:
                continue  # the day it counts from may come later in the story
            anchor = here[-1]
            n = 1 if not rel.group("n") or not rel.group("n").isdigit() else int(rel.group("n"))
            n = {"two": 2, "three": 3, "four": 4, "five": 5}.get((rel.group("n") or "").lower(), n)
            shift = -n if rel.group("rel").lower() == "after" else n
            attached[k] = DateExpr(
                t.start,
                t.start,
                rel.group(0).strip(),
                anchor + timedelta(days=shift),
                "day",
                "relative",
                False,
            )
        built: dict[int, _Ev] = {}
        for k, (t, cs, ce) in enumerate(kept):
            ev = _build(ctx, actors, view, text, t, cs, ce, attached.get(k), c, dates)
            if ev is not None:
                built[k] = ev
        for k, into in absorbed.items():
            if into in built:  # "were briefed in closed-door sessions": also "the briefing"
                g = kept[k][0]
                word = _norm(text[g.start : g.end])
                built[into].heads.add(_stem(c.verb_base.get(word, word)))
            if k in built and into in built:
                host, guest = built[into], built.pop(k)
                host.victim = host.victim or guest.victim
                host.target = host.target or guest.target
                host.heads |= guest.heads
                host.specific = host.specific or guest.specific
                if guest.date and not host.date:
                    host.date, host.precision = guest.date, guest.precision
                    host.date_text = guest.date_text
                after_host = kept[k][0].start >= kept[into][0].end
                for aid, rp in guest.participants.items():
                    if after_host and rp[0] == "agent":
                        continue  # "the attack ... that killed X": the attack is the subject
                    host.participants.setdefault(aid, rp)
        for k in sorted(built):
            ev = built[k]
            if not ev.specific or {ev.victim, ev.target} & prec_actor_ids:
                continue
            if ev.date and (
                (ev.precision == "day" and ev.date in prec_dates)
                or (ev.precision == "year" and any(ev.date.year == p.year for p in prec_dates))
            ):
                continue  # the compared episode itself, named by its date
            dexpr = attached.get(k)
            if dexpr and dexpr.after_previous is not None:
                # "that day", "the next day": from the last day named before, here or earlier
                here = [
                    (d.value, "day")
                    for d in find_dates(view.masked, ref, ctx.date_memo)
                    if d.value and d.precision == "day" and d.end <= dexpr.start
                ]
                resolved = after(dexpr, here[-1] if here else previous)
                ev.date, ev.precision = resolved.value, resolved.precision
                ev.date_text = dexpr.text
            if ev.cls == "strike" and not ev.victim and ev.date and ev.precision == "day":
                for aid, d in deaths.items():
                    if actors.counts.get(aid, 0) >= 2 and abs((ev.date - d).days) <= 1:
                        ev.victim = aid  # the strike that killed the person the story is about
                        ev.participants.setdefault(aid, ("victim", view.id))
                        break
            died = deaths.get(ev.victim or "")
            if (
                died
                and ev.cls == "strike"
                and ev.date
                and ev.precision == "day"
                and abs((ev.date - died).days) == 1
            ):
                ev.date = died  # a US weekday may be the next day where it happened
            if (
                ev.authorized
                and died
                and ev.date
                and not _dates_agree(ev, _Ev("", ev.cls, "", died, "day", None))
            ):
                # authorized at another time than the act: the authorization is the event
                ev.cls = "authorization"
                ev.name = f"Authorization of the {ev.name[:1].lower() + ev.name[1:]}"
                ev.participants = {
                    a: ("ordered", p) if r == "ordered" else (r, p)
                    for a, (r, p) in ev.participants.items()
                }
            elif (
                ev.victim in deaths
                and ev.cls in {"strike", "death"}
                and (
                    ev.precision == "none"
                    or (
                        ev.precision == "week"
                        and _dates_agree(ev, _Ev("", ev.cls, "", deaths[ev.victim], "day", None))
                    )
                )
            ):
                ev.date, ev.precision = deaths[ev.victim], "day"
                ev.date_text = ev.date_text or "death date"
            merged = _merge(ev, events, last)
            last[merged.cls] = merged
        # "the next day", "that night" count from the last day the text has named
        for d in find_dates(view.masked, ref, ctx.date_memo):
            if d.value and d.precision == "day":
                previous = (d.value, "day")
        # a day named as a time frame is an event of its own: "in the years since September
        # 11, 2001"
        # a day known by its name stands for what happened on it: "responsible for 9/11"
        used = set(map(id, attached.values()))
        named = [d for d in dates if d.kind == "named" and id(d) not in used]
        for d in [*frames, *named]:
            if d.precision == "day" and d.explicit_year and d.value not in prec_dates:
                ev = _Ev("", "date", f"Events of {d.text}", d.value, "day", d.text)
                ev.mentions.append(EventMention("", view.id, base + d.start, base + d.end))
                _merge(ev, events, last)
    return _finish(events, c)


def _build(
    ctx: DocContext,
    actors: ActorResult,
    view: object,
    text: str,
    t: _Trigger,
    cs: int,
    ce: int,
    dexpr: DateExpr | None,
    c: Cues,
    dates: list[DateExpr],
) -> _Ev | None:
    """One event candidate from a real trigger: its name, date, participants and specificity."""
    base = view.start  # type: ignore[attr-defined]
    authorization = False
    pid = view.id  # type: ignore[attr-defined]
    before = text[cs : t.start]
    mentions = actors.in_span(base + cs, base + ce)
    subj = [m for m in mentions if m.end <= base + t.start]
    obj = [m for m in mentions if m.start >= base + t.end]
    parts: dict[str, tuple[str, str]] = {}
    victim: str | None = None
    target: str | None = None
    complement = _COMPLEMENT.match(_blank(text, [(d.start, d.end) for d in dates]), t.end)
    blamed: list[ActorMention] = []
    if (
        complement
        and complement.group("prep").lower() == "on"
        and re.search(r"\bblam\w*\s+(?:(?!for\b)[\w'’·-]+\s+){0,3}$", before, re.I)
    ):
        # "blamed the attack on X": X is who did it, not its target
        blamed = [
            m
            for m in mentions
            if base + complement.start("np") <= m.start < base + complement.end()
        ][:1]
        complement = None
    blame = _BLAMED_FOR.search(before)
    if blame and blame.group("verb"):  # "blamed X for an attack", "held X responsible for it"
        blamed = [m for m in subj if m.start >= base + cs + blame.start()][:1]
    elif blame:  # "X was responsible for a rocket attack"
        blamed = [m for m in subj if m.end <= base + cs + blame.start()][-1:]
    date_spans = [(d.start, d.end) for d in dates]
    if t.kind == "noun":
        poss = re.search(
            r"((?:al-)?[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)*)['’]s\s+(?:[\w-]+\s+){0,3}$", before
        )
        poss_actors = [m for m in subj if m.start >= base + cs + poss.start(1)] if poss else []
        if complement and complement.group("prep").lower() in {
            "of",
            "on",
            "against",
            "at",
            "targeting",
        }:
            cm = [
                m
                for m in obj
                if m.start < base + complement.end() and m.start >= base + complement.start()
            ]
            prep = complement.group("prep").lower()
            np_start = base + complement.start("np")
            np_start += len(re.match(r"(?:the\s+|a\s+|an\s+)?", complement.group("np")).group(0))
            cm = [
                m
                for m in cm
                if m.start == np_start and not re.match(r"\s+[A-Z]|['’]s\b", text[m.end - base :])
            ]
            for m in cm[:1]:
                if t.cls in {"strike", "death"} and _is_person(actors, m.actor_id):
                    victim = m.actor_id
                elif prep != "of" or t.cls in {"attack", "strike"}:
                    target = m.actor_id
        for m in poss_actors[-1:]:
            if t.cls in {"strike", "death"} and _is_person(actors, m.actor_id) and not victim:
                victim = m.actor_id
            else:
                parts[m.actor_id] = ("agent", pid)
        ordering = c.ordering.search(before)
        authorization = bool(
            ordering
            and dexpr
            and re.match(
                r"(?i)authori[sz]ed|approved|greenlit|greenlighted|sanctioned", ordering.group(0)
            )
        )
        if ordering:
            for m in subj:
                if m.end <= base + cs + ordering.start() + 1:
                    parts.setdefault(m.actor_id, ("ordered", pid))
        if (
            not blamed
            and subj
            and re.search(
                r"\b(?:launched|carried\s+out|conducted|staged|held(?!\s+(?:\w+\s+)?responsible)|led|"
                r"mounted|made|began|"
                r"started|ramped\s+up|imposed|added|adopted|issued|signed|introduced|called)"
                r"\s+(?:[\w'’-]+\s+){0,4}$",
                before,
                re.I,
            )
        ):
            parts.setdefault(subj[0].actor_id, ("agent", pid))
        # "X was killed in a US strike"
        if t.cls == "strike" and not victim:
            for m in subj:
                if _is_person(actors, m.actor_id) and re.search(
                    r"\b(?:was|were|been)\s+(?:also\s+)?killed\b", text[m.end - base : t.start]
                ):
                    victim = m.actor_id
                    break
        # "the killing of Iran's top general, Qassem Soleimani": the apposition names him
        if t.cls in {"strike", "death"} and not victim and complement:
            appo = [
                m
                for m in obj
                if _is_person(actors, m.actor_id)
                and re.fullmatch(r"\s*,\s*", text[complement.end() : m.start - base] or "x")
            ]
            victim = appo[0].actor_id if appo else None
        # "a strike targeting a convoy carrying X": X was the one it was aimed at
        if t.cls == "strike" and not victim:
            carried = [
                m
                for m in obj
                if m.start - (base + t.end) < 80
                and _is_person(actors, m.actor_id)
                and re.search(r"\bcarrying\s+(?:[\w'’.-]+\s+){0,2}$", text[t.end : m.start - base])
            ]
            victim = carried[0].actor_id if carried else None
        # after "killed" in a relative clause: "the strike that killed X"
        if t.cls == "strike" and not victim:
            km = re.match(r"\s+(?:that|which)\s+(?:also\s+)?killed\s+", text[t.end : t.end + 40])
            if km:
                for m in obj:
                    if m.start == base + t.end + km.end() and _is_person(actors, m.actor_id):
                        victim = m.actor_id
        generic_np = bool(
            complement
            and not re.search(r"[A-Z]", complement.group("np"))
            and re.match(r"(?:a|an|any|some|such|[a-z]+s)\b", complement.group("np"))
        )
        specific = bool(
            dexpr
            or victim
            or target
            or parts
            or poss
            or (_DEFINITE.search(before) and not generic_np)
            or (
                complement
                and not generic_np
                and complement.group("prep").lower() in {"on", "against", "at", "targeting", "of"}
            )
            or t.planned
        )
        plural_bare = bool(re.match(r"[\w-]*s\b", text[t.end - 1 : t.end + 1])) and not (
            _DEFINITE.search(before) or _INDEFINITE.search(before)
        )
        specific = specific and not (plural_bare and not (dexpr or victim or target or parts))
        for m in blamed:  # who is blamed for it says who did it, not that it is one event
            parts.setdefault(m.actor_id, ("agent", pid))
        definite = bool(_DEFINITE.search(before))
        start = t.start
        if poss and not c.ordering.search(before):
            start = cs + poss.start(1)
        end = complement.end() if complement else t.end
        keep: list[tuple[int, int]] = []
        for ds, de in date_spans:  # the name stops at a date ("an attack on a base in late
            if t.end <= ds < end:  # December"), or keeps it when it is the complement
                if re.fullmatch(r"\s+(?:of|on)\s+(?:the\s+)?", text[t.end : ds]):
                    end, keep = de, [(ds, de)]  # "the attacks of 9/11"
                else:
                    end = ds
                break
        name = _trim(_blank(text, [d for d in date_spans if d not in keep])[start:end])
        if len(name.split()) > 12:
            name = " ".join(name.split()[:12])
            name = _trim(name)
    else:
        specific, definite = True, False
        passive = bool(_PASSIVE.search(before))
        # the subject: actors before the verb in the clause; a relative pronoun's antecedent
        # is the last actor before it
        if passive:
            sstart = base + _subject_start(text, cs, t.start, [], base)
            for m in [m for m in subj if m.start >= sstart][-1:]:
                role = (
                    "victim"
                    if t.cls in {"strike", "death"} and _is_person(actors, m.actor_id)
                    else "target"
                )
                parts[m.actor_id] = (role, pid)
                if role == "victim":
                    victim = m.actor_id
                else:
                    target = m.actor_id
            bym = re.match(r"\s+by\s+", text[t.end : t.end + 6])
            if bym:
                for m in obj[:1]:
                    parts.setdefault(m.actor_id, ("agent", pid))
        else:
            sstart = base + _subject_start(text, cs, t.start, [], base)
            agents = [m for m in subj if m.start >= sstart and not _in_pp(text, base, m, cs)]
            if _CONJ_VERB.search(before):  # "X blamed ... and retaliated": X's verb too
                ss = _sentence_start(text, cs)
                said = list(_SAID_THAT.finditer(text, ss, t.start))
                ss = said[-1].end() if said else ss  # "Esper said the Pentagon ... and killed"
                first = [
                    m
                    for m in actors.in_span(base + ss, base + t.start)
                    if not _in_pp(text, base, m, ss)
                ]
                agents = first[:1]
            for m in agents[-2:]:
                parts[m.actor_id] = ("agent", pid)
            # the direct object: no possessive ("killed Iran's top general") and no other
            # preposition than one of aim ("launched from Iran" is no target)
            heads = [
                m
                for m in obj
                if not re.match(r"['’]s\b", text[m.end - base :])
                and not _PP_BEFORE_OBJECT.search(text[t.end : m.start - base])
            ]
            for m in heads[:1]:  # "killed Iran's top general": Iran is no object
                if m.start - (base + t.end) > 60:
                    break
                if t.cls in {"strike", "death"} and _is_person(actors, m.actor_id):
                    victim = m.actor_id
                    parts[m.actor_id] = ("victim", pid)
                else:
                    target = m.actor_id
                    parts.setdefault(m.actor_id, ("target", pid))
        # with no actor and no date ("16 missiles were fired") it tells more of an event
        # already told, when there is one of its kind
        definite = not parts and not dexpr and not victim
        # a verb needs a subject: an actor, or a noun phrase before it in its clause
        subject_text = _trim(before)
        participle = cs > 0 and text[cs - 1] == "," and dexpr is not None  # "X, passed in 2002,"
        if not subject_text and not _CONJ_VERB.search(before) and not participle:
            # "world leaders, including X and Y, appealed": the subject is before the aside
            ss = _sentence_start(text, cs)
            aside = [m for m in actors.in_span(base + ss, base + cs) if not passive]
            if not (cs > 0 and text[cs - 1] == "," and aside):
                return None
            for m in aside:
                parts.setdefault(m.actor_id, ("agent", pid))
        if t.kind == "base" and not t.planned and not _BEGAN_TO.search(before):
            return None
        if t.cls in {"announcement", "meeting"} and not dexpr and not t.planned:
            return None  # "X announced": a speech act unless the text dates it
        start = _subject_start(text, cs, t.start, subj, base)
        end = min(ce, _object_end(text, t.end, ce))
        if not target and not victim and not passive and t.cls in _GROUPS:
            # what an attack verb hit, when no actor: "attacked a convoy near Tikrit"
            target = _target_key(ctx, _blank(text, date_spans)[t.end : end])
        name = _trim(_blank(text, date_spans)[start:end])
        if not name or len(name) < len(text[t.start : t.end]):
            name = text[t.start : t.end]
        if len(name.split()) > 14:
            name = _trim(" ".join(name.split()[:14]))
    value = dexpr.value if dexpr else None
    precision = dexpr.precision if dexpr and dexpr.value else "none"
    if dexpr and precision == "day" and _SOON_AFTER.search(text[: dexpr.start]):
        precision = "month"  # "shortly after 9/11": some days later, the month is what is known
    if t.planned and dexpr:
        fwd = forward(dexpr, ctx.reference)
        value = fwd.value
    if victim:
        parts[victim] = ("victim", pid)
    if target and target.startswith("actor:"):
        parts.setdefault(target, ("target", pid))
    name = " ".join(name.replace("·", ".").split())
    if t.planned:  # "plans to publish" -> "Planned publish..." reads as the plan it is
        name = (
            re.sub(
                r"^(?:(?:plans?|planned|planning|scheduled|set|expected|going|intends|promised|"
                r"vowed|pledged|agreed|aims|is|are|was|were|will|would)\s+)+(?:to\s+)?",
                "",
                name,
                flags=re.I,
            )
            or name
        )
    if t.planned and not name.lower().startswith("planned"):
        name = (
            f"Planned {name[:1].lower() + name[1:]}"
            if not name[:2].isupper()
            else (f"Planned {name}")
        )
    ev = _Ev(
        key="",
        heads={_stem(c.verb_base.get(_norm(text[t.start : t.end]), text[t.start : t.end]))},
        cls=t.cls,
        name=name[:1].upper() + name[1:],
        date=value,
        precision=precision,
        date_text=dexpr.text if dexpr and dexpr.value else None,
        planned=t.planned,
        specific=specific,
        definite=definite,
        authorized=authorization,
        victim=victim,
        target=target
        or (
            _target_key(ctx, complement.group("np"))
            if complement
            and not victim
            and t.kind == "noun"
            and complement.group("prep").lower() in {"on", "against", "at", "targeting", "of"}
            else None
        ),
        participants=parts,
    )
    ev.mentions.append(EventMention("", pid, base + t.start, base + t.end))
    return ev


def _target_key(ctx: DocContext, np: str) -> str | None:
    """A key for what an event was aimed at: its capitalised words minus states and demonyms
    ("the U.S. Embassy in Baghdad" and "the American Embassy in Baghdad" agree)."""
    words = []
    for w in re.findall(r"[A-Z][\w-]+(?:[.·][A-Z][.·]?)*", np):
        aid = ctx.onto.lookup_actor(w.replace("·", "."))
        if aid and ctx.onto.actors[aid].type.value == "State":
            continue
        if re.search(r"(?:an|ian|qi|ni)s?$", w):
            continue
        words.append(w)
    return slugify(" ".join(words)) or None


def _in_pp(text: str, base: int, m: ActorMention, cs: int) -> bool:
    """An actor inside a prepositional phrase ("in Iraq", "with Iran") is no subject."""
    return bool(
        re.search(
            r"\b(?:in|with|from|for|to|of|at|on|near|over|about|against|into|across|"
            r"including|like|than)\s+(?:the\s+)?(?:[\w'’.-]+\s+){0,2}$",
            text[cs : m.start - base],
            re.I,
        )
    )


def _subject_start(text: str, cs: int, s: int, subj: list[ActorMention], base: int) -> int:
    """Where the verb's subject noun phrase begins (at most eight words back in its clause)."""
    seg = text[cs:s]
    links = [
        m.end()
        for m in re.finditer(r"\b(?:that|which|who|when|as|after|before|while|because|and)\s+", seg)
    ]
    start = cs + (links[-1] if links else 0)
    words = list(re.finditer(r"\S+", text[start:s]))
    if len(words) > 8:
        start += words[-8].start()
    if subj and subj[-1].start - base < start and s - (subj[-1].start - base) < 80:
        start = subj[-1].start - base
    return start


def _object_end(text: str, e: int, ce: int) -> int:
    """The end of the verb's object: up to the clause end, a conjunction, or eight words."""
    seg = text[e:ce]
    stop = re.search(
        r"\s+(?:that|which|who|when|where|while|because|after|before|since|but|as|and\s+then)\b",
        seg,
    )
    end = e + (stop.start() if stop else len(seg))
    words = list(re.finditer(r"\S+", text[e:end]))
    if len(words) > 8:
        end = e + words[7].end()
    return end


_GROUPS = {
    "strike": ("strike", "attack", "death"),
    "attack": ("attack", "strike"),
    "death": ("death", "strike"),
}
"""Classes a definite mention may refer back across ("the attack" after "the drone strike")."""


def _compatible(a: _Ev, b: _Ev, loose: bool = False) -> bool:
    """Whether two mentions can be the same event (class, dates and participants agree)."""
    if (a.cls != b.cls and not (loose and b.cls in _GROUPS.get(a.cls, ()))) or (
        a.planned != b.planned
    ):
        return False
    if not _dates_agree(a, b):
        return False
    if a.victim and b.victim and a.victim != b.victim and not loose:
        return False
    return not (a.target and b.target and a.target != b.target and not (a.victim and b.victim))


def _merge(ev: _Ev, events: list[_Ev], last: dict[str, _Ev]) -> _Ev:
    """Add ev to the events, or fold it into the earlier mention of the same event."""
    same = None
    for other in reversed(events):
        # the same person killed (a strike, a killing, a death): the same event
        if ev.victim and ev.victim == other.victim and _compatible(ev, other, loose=True):
            same = other
            break
        if not _compatible(ev, other):
            continue
        if ev.target and ev.target == other.target:
            same = other
            break
        if (
            ev.date
            and other.date
            and ev.date == other.date
            and ev.precision == other.precision
            and set(ev.participants) & set(other.participants)
        ):
            same = other
            break
    # what happened on a day known by its name ("9/11") and an event dated that day
    if same is None and ev.date and ev.precision == "day":
        same = next(
            (
                o
                for o in reversed(events)
                if o.date == ev.date and o.precision == "day" and "date" in {o.cls, ev.cls}
            ),
            None,
        )
        if same is not None and same.cls == "date":
            same.cls, same.name = ev.cls, ev.name
    # a killing whose victim the sentence does not name, dated when a known one happened
    if same is None and ev.cls in {"strike", "death"} and ev.date and not ev.target:
        same = next(
            (
                o
                for o in reversed(events)
                if (o.date or (o.definite and ev.victim))
                and (ev.victim is None) != (o.victim is None)
                and not o.target
                and _compatible(ev, o, loose=True)
            ),
            None,
        )
    # an undated mention refers back to the latest event of its kind it shares a participant
    # with, or (definite, with nothing new) to the latest one of its kind
    if same is None and not ev.target and not ev.date and (ev.definite or not ev.victim):
        group = _GROUPS.get(ev.cls, (ev.cls,))
        if ev.participants:
            same = next(
                (
                    o
                    for o in reversed(events)
                    if o.cls in group and _shared_roles(ev, o) and _compatible(ev, o, loose=True)
                ),
                None,
            )
        if same is None and ev.definite:
            # the same words first ("the strike" -> a strike), then its class, then its kin
            def fits(o: _Ev) -> bool:
                return all(
                    o.participants.get(a, (r, ""))[0] == r for a, (r, _) in ev.participants.items()
                ) and _compatible(ev, o, loose=True)

            tests = [lambda o: bool(o.heads & ev.heads)]
            if ev.cls in _GROUPS:  # "the attack" may be the strike; "the funeral" no briefing
                tests += [lambda o: o.cls == ev.cls, lambda o: o.cls in group]
            for test in tests:
                same = next((o for o in reversed(events) if test(o) and fits(o)), None)
                if same is not None:
                    break
    # a definite mention naming what was hit ("the assault on the air base") adds to the only
    # event of its class the story has told, when that one named no target
    if same is None and ev.definite and ev.target and not ev.date and ev.cls in _GROUPS:
        kin = [o for o in events if o.cls == ev.cls]
        if len(kin) == 1 and not kin[0].target and not kin[0].victim and _compatible(ev, kin[0]):
            same = kin[0]
    if same is None:
        events.append(ev)
        return ev
    if ev.date and (not same.date or _finer(ev.precision, same.precision)):
        same.date, same.precision, same.date_text = ev.date, ev.precision, ev.date_text
    same.victim = same.victim or ev.victim
    same.target = same.target or ev.target
    same.heads |= ev.heads
    if "strike" in {ev.cls, same.cls} and same.cls in _GROUPS["strike"]:
        same.cls = "strike"  # "his death in a strike", "the strike that killed him": a strike
    if (
        len(ev.name) > len(same.name)
        and (ev.victim or ev.target)
        and not (same.victim or same.target)
    ):
        same.name = ev.name
    for aid, rp in ev.participants.items():
        same.participants.setdefault(aid, rp)
    same.mentions += ev.mentions
    return same


def _shared_roles(a: _Ev, b: _Ev) -> bool:
    """Some actor takes part in both events in the same role."""
    return any(b.participants.get(aid, ("", ""))[0] == r for aid, (r, _) in a.participants.items())


def _dates_agree(a: _Ev, b: _Ev) -> bool:
    """Two dates agree at the coarser one's precision (a day inside "last week" agrees)."""
    if not a.date or not b.date:
        return True
    coarse = (
        a.precision if _ORDER.get(a.precision, 5) >= _ORDER.get(b.precision, 5) else (b.precision)
    )
    if coarse == "season":
        return abs((a.date - b.date).days) < 95
    if coarse == "none":
        return True
    return format_date(a.date, coarse) == format_date(b.date, coarse)


_ORDER = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4, "none": 5}


def _finer(a: str, b: str) -> bool:
    return _ORDER.get(a, 5) < _ORDER.get(b, 5)


def _finish(events: list[_Ev], c: Cues) -> EventResult:
    """Ids from class head, what the event was aimed at and its date; one node per id."""
    out: list[Event] = []
    precision: dict[str, str] = {}
    mentions: list[tuple[str, str, int, int]] = []
    parts: list[tuple[str, str, str, str]] = []
    by_id: dict[str, Event] = {}
    seen_parts: set[tuple[str, str]] = set()
    for ev in events:
        head = c.heads[ev.cls]
        aim = (
            ev.victim.removeprefix("actor:")
            if ev.victim
            else (ev.target or "").removeprefix("actor:")
        )
        if not aim:
            agents = [a for a, (r, _) in ev.participants.items() if r == "agent"]
            aim = agents[0].removeprefix("actor:") if agents else ""
        when = format_date(ev.date, ev.precision) or ""
        slug = slugify(f"{'planned ' if ev.planned else ''}{head} {aim} {when}")
        if not aim and not when:
            slug = slugify(f"{head} {' '.join(ev.name.split()[:6])}")
        eid = f"{Label.EVENT.value.lower()}:{slug}"
        if eid not in by_id:
            node = Event(eid, ev.name, ev.date, ev.date_text)
            by_id[eid] = node
            out.append(node)
            precision[eid] = ev.precision if ev.date else "none"
        mentions += [(eid, m.passage_id, m.start, m.end) for m in ev.mentions]
        for aid, (role, pid) in ev.participants.items():
            if (aid, eid) not in seen_parts:
                seen_parts.add((aid, eid))
                parts.append((aid, eid, role, pid))
    return EventResult(out, precision, mentions, parts)
