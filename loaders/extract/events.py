"""Events: what happened, when, and who took part (PARTICIPATED_IN with a role).

Event triggers are nouns and a few verbs of the domain (strike, attack, raid, bombing, killing,
protests, "launching missiles", "killed", policy acts). A trigger becomes an event only when it
is real and specific: not hypothetical or generic ("planning attacks", "could be killed",
"limiting strikes", "framed as an attack"), not a mention of a precedent, and either indefinite
with an agent, a place or a date, or definite with a named target or a date. A definite trigger
with nothing new ("the attack", "the strike") refers back to the last event of its kind.

Dates resolve against the document's date or, when it has none, against dates the text implies:
the latest full date it states and the death dates (from the ontology) of the people it is
about. A strike that killed a person whose death date is known takes that date (a weekday in US
time may be the next day in Baghdad; the ontology settles it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kb.model import Event, Label, slugify
from loaders.extract.actors import ActorResult
from loaders.extract.context import DocContext, PassageView
from loaders.extract.dates import DateExpr, find_dates, format_date
from loaders.extract.precedents import PrecedentResult
from loaders.extract.prefilter import Prefiltered

_MODS = (
    r"(?:(?:drone|air|missile|rocket|military|bombing|retaliatory|airstrike|deadly|U\.S\.|US|"
    r"American|Iranian|Israeli|suicide|terrorist|targeted|ballistic|cyber)[\s-]+){0,3}"
)
TRIGGER = re.compile(
    rf"(?P<mod>{_MODS})(?P<head>airstrikes?|strikes?|attacks?|raids?|bombings?|killings?|assassinations?|"
    r"protests?|demonstrations?|invasion|shoot-?down|assaults?)\b"
    r"|(?P<launch>launch(?:ed|ing)\s+(?:\w+\s+){0,2}missiles)"
    r"|(?P<policy>(?:added|adopted|issued|imposed|signed|announced)\s+(?:a|an|the)\s+(?:new\s+)?"
    r"(?:policy\s+)?(?:restriction|policy|directive|guidance|executive\s+order|rule))"
    r"|(?P<killed>\bkilled\b)",
    re.I,
)
CLASS = {
    "strike": "strike",
    "airstrike": "strike",
    "raid": "strike",
    "bombing": "strike",
    "killing": "strike",
    "assassination": "strike",
    "shoot-down": "strike",
    "shootdown": "strike",
    "attack": "attack",
    "assault": "attack",
    "invasion": "attack",
    "protest": "protest",
    "demonstration": "protest",
}
_HYPO_BEFORE = re.compile(
    r"\b(?:would|could|might|may|should|will|can|plann\w*|plans?|plot\w*|orchestrat\w*|threat\w*|"
    r"options?|potential|possible|likely|limit\w*|restrict\w*|justify\w*|conduct\w*|carry(?:ing)?\s+out|"
    r"as\s+an?|kind\s+of|type\s+of|form\s+of|attempt\s+at|decided\s+to|decide\s+to|to\s+order|"
    r"prevent\w*|avoid\w*|include\w*|against\s+such|in\s+discussing|fresh)\W+(?:\w+\W+){0,3}$",
    re.I,
)
_HYPO_AFTER = re.compile(
    r"^[^,.;]{0,40}\b(?:was|is|were)\s+(?:a|the)\s+(?:principal\s+|main\s+)?(?:goal|aim|objective|target)",
    re.I,
)
_TRIGGER = Prefiltered(TRIGGER)  # same matches, tried only where a trigger word begins
_DEFINITE = re.compile(r"(?:\b(?:the|this|that|these|those|its|his|her|their)|['’]s)\s+$", re.I)
_TIME_FRAME = re.compile(
    r"\b(?:since|until|till|before|after|following|ever\s+since|in\s+the\s+years\s+since)\s+$", re.I
)
_ROLE_PATTERNS = [
    (
        "ordered",
        re.compile(
            r"^\W*(?:\w+\W+){0,3}?(?:ordered|authorized|authorised|approved|greenlit)\b", re.I
        ),
    ),
    ("retaliated", re.compile(r"^\W*(?:\w+\W+){0,1}?retaliated\b", re.I)),
    (
        "attacked",
        re.compile(
            r"^\W*(?:\w+\W+){0,2}?(?:launched|attacked|fired|bombed|struck|carried\s+out)\b", re.I
        ),
    ),
    ("killed", re.compile(r"^[^.;]{0,120}?\bwas\s+(?:also\s+)?killed\b", re.I)),
]
_KILLED_BEFORE = re.compile(
    r"\b(?:killed|killing(?:\s+of)?|assassinat\w+|took\s+out|targeting|against|on)\s+(?:the\s+)?(?:[A-Za-z-]+\s+){0,3}$",
    re.I,
)
_ORDERED_BY = re.compile(r"\bordered\s+by\s+$", re.I)


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
    target: str | None
    participants: dict[str, tuple[str, str]] = field(default_factory=dict)
    """actor id -> (role, passage id)"""
    mentions: list[EventMention] = field(default_factory=list)
    victim: str | None = None


@dataclass(slots=True)
class EventResult:
    events: list[Event]
    precision: dict[str, str]
    mentions: list[tuple[str, str, int, int]]
    """(event id, passage id, start, end)"""
    participants: list[tuple[str, str, str, str]]
    """(actor id, event id, role, passage id)"""


def reference_date(ctx: DocContext, actors: ActorResult) -> tuple[date | None, str]:
    """The date relative expressions resolve against: published, else what the text implies."""
    if ctx.doc.meta.published:
        return ctx.doc.meta.published, "published"
    cands: list[date] = []
    for view in ctx.views:
        if view.caption:
            continue
        cands += [
            d.value
            for d in find_dates(view.masked, None, ctx.date_memo)
            if d.value and d.precision == "day"
        ]
    for aid, n in actors.counts.items():
        entry = ctx.onto.actors.get(aid)
        if entry and entry.died and n >= 2:
            cands.append(entry.died)
    if not cands:
        return None, "none"
    return max(cands), "implied"


def _clause_bounds(text: str, s: int, e: int) -> tuple[int, int]:
    left = max(text.rfind(ch, 0, s) for ch in ",;—–(:")
    rights = [i for i in (text.find(ch, e) for ch in ",;—–)") if i >= 0]
    return left + 1, min(rights) if rights else len(text)


def _death_dates(ctx: DocContext, actors: ActorResult) -> dict[str, date]:
    out = {}
    for aid in actors.counts:
        entry = ctx.onto.actors.get(aid)
        if entry and entry.died:
            out[aid] = entry.died
    return out


def extract_events(
    ctx: DocContext, actors: ActorResult, precedents: PrecedentResult
) -> EventResult:
    """Events, their dates, mentions and participants (see the module docstring)."""
    ref = ctx.reference
    deaths = _death_dates(ctx, actors)
    prec_spans = [(m.start, m.end) for m in precedents.mentions]
    prec_actor_ids = {
        a
        for pid in precedents.precedents
        for a in (
            ctx.onto.precedents.get(pid.removeprefix("precedent:")).actors
            if ctx.onto.precedents.get(pid.removeprefix("precedent:"))
            else []
        )
    }
    prec_dates = {p.date for p in precedents.precedents.values() if p.date}
    events: dict[str, _Ev] = {}
    order: list[str] = []
    last_by_class: dict[str, str] = {}

    def mentions_in(a: int, b: int) -> list:
        return actors.in_span(a, b)

    for view in ctx.views:
        if view.caption or view.duplicate or view.headline:
            continue
        text = view.masked
        base = view.start
        dates = [d for d in find_dates(text, ref, ctx.date_memo) if d.kind != "bare_year"]
        triggers = _TRIGGER.finditer(text)
        noun_triggers = [
            t for t in triggers if t.group("head") or t.group("launch") or t.group("policy")
        ]
        # attach each date to the nearest trigger (same clause, <= 60 chars away)
        attached: dict[int, DateExpr] = {}
        same_sentence: dict[str, str] = {}
        for d in dates:
            if _TIME_FRAME.search(text[: d.start]):
                continue
            best, best_dist = None, 61
            for k, t in enumerate(triggers):
                if t.group("killed") and noun_triggers:
                    continue
                dist = d.start - t.end() if d.start >= t.end() else t.start() - d.end
                between = text[min(t.end(), d.end) : max(t.start(), d.start)]
                if re.search(r"[;—–]|,\s+(?:after|before|when|which|who)\b", between):
                    dist += 40
                if dist < best_dist or (dist == best_dist and t.end() <= d.start):
                    best, best_dist = k, dist
            if (
                best is None
                and len(noun_triggers) == 1
                and abs(d.start - noun_triggers[0].end()) <= 140
            ):
                best = triggers.index(noun_triggers[0])
            if best is not None and best not in attached:
                attached[best] = d
        for k, t in enumerate(triggers):
            s, e = t.span()
            if t.group("killed") and noun_triggers:
                continue
            text[max(0, s - 60) : s]
            after = text[e : e + 80]
            cs, ce = _clause_bounds(text, s, e)
            if _HYPO_BEFORE.search(text[cs:s] if cs < s else ""):
                continue
            if _HYPO_AFTER.search(after):
                continue
            if any(ps < base + ce and base + cs < pe for ps, pe in prec_spans) and any(
                ps < base + e + 60 and base + s - 10 < pe for ps, pe in prec_spans
            ):
                continue
            if t.group("head"):
                head = (
                    t.group("head").lower().rstrip("s")
                    if not t.group("head").lower().endswith("ss")
                    else t.group("head").lower()
                )
                head = "shoot-down" if head.startswith("shoot") else head
                cls = CLASS.get(head, "attack")
                if (t.group("mod") or "").lower().strip().startswith("drone") and cls == "attack":
                    cls = "strike"
            elif t.group("launch"):
                cls = "attack"
            elif t.group("policy"):
                cls = "policy"
            else:
                cls = "strike"
            # target / victim actors in the rest of the clause
            tgt_mentions = [
                m for m in mentions_in(base + e, base + ce) if m.start - (base + e) <= 60
            ]
            victim = None
            tgt_mentions = [m for m in tgt_mentions if _is_person(actors, m.actor_id)]
            for m in tgt_mentions:
                if _KILLED_BEFORE.search(text[: m.start - base]) or t.group("killed"):
                    victim = m.actor_id
                    break
            if victim is None:
                poss = re.search(
                    r"([A-Z][\w-]+)['’]s\s+" + re.escape(t.group(0).strip()) + "$", text[:e]
                )
                if poss:
                    victim = next(
                        (
                            m.actor_id
                            for m in mentions_in(base + poss.start(1), base + poss.end(1))
                            if _is_person(actors, m.actor_id)
                        ),
                        None,
                    )
            if victim is None and t.group("killed"):
                # "X ... was also killed in the attack"
                for m in mentions_in(base + cs - 200, base + s):
                    if _is_person(actors, m.actor_id) and re.search(
                        r"\bwas\s+(?:also\s+)?$", text[:s]
                    ):
                        victim = m.actor_id
            if victim and victim in prec_actor_ids:
                continue
            target_text = None
            after = re.sub(r"(?<=\b[A-Z])\.", "·", after)
            if re.search(r"\bblam\w+\s+(?:the\s+)?$", text[:s]):
                after = ""
            tm = re.match(
                r"\s+(?:on|against|at|of|in|targeting)\s+(?:the\s+|a\s+|an\s+)?((?:[^,.;()–—]|(?<=\b[A-Z])\.){2,60}?)(?=[,.;()–—]|\s+(?:that|which|who|when|as|and|where|for|in\s+response|earlier|late|on\s+[A-Z])\b|$)",
                after,
            )
            if tm:
                target_text = tm.group(1).strip()
            named_target = (
                bool(target_text and re.search(r"\b[A-Z]", target_text)) or victim is not None
            )
            if re.match(r"(?i)(?:targeted\s+)?killing", t.group(0).strip()) and not named_target:
                named_target = False
                gerund = not re.search(r"\b(?:a|an)\s+$", text[:s])
            else:
                gerund = False
            definite = (
                gerund
                or bool(_DEFINITE.search(text[:s]))
                or bool(
                    re.match(r"(?i)killing\s", t.group(0))
                    and named_target
                    and not re.search(r"\b(?:a|an)\s+$", text[:s])
                )
            )
            dexpr = attached.get(k)
            if (
                dexpr
                and dexpr.value
                and any(
                    dexpr.value == pd or (dexpr.precision == "year" and dexpr.value.year == pd.year)
                    for pd in prec_dates
                )
            ):
                continue
            subj_actors = mentions_in(base + cs, base + s)
            if cls == "policy":
                named_target = True
            if (
                t.group("head")
                and re.search(
                    r"\bauthori[sz]ed\s+(?:the\s+)?(?:targeted\s+)?$|\bauthori[sz]ed\s+[A-Z][\w-]+['’]s\s+$",
                    text[:s],
                )
                and t.group("head").lower().startswith("killing")
            ):
                cls = "authorization"
            if cls == "strike" and same_sentence.get(cls) and not dexpr:
                ev = events[same_sentence[cls]]
                ev.mentions.append(EventMention(ev.key, view.id, base + s, base + e))
                if victim and not ev.victim:
                    ev.victim = victim
                _roles(ev, ctx, actors, view, text, cs, ce, s)
                continue
            if (
                not named_target
                and not dexpr
                and not subj_actors
                and not definite
                and not t.group("killed")
            ) and (
                not re.search(
                    r"\b(?:in|at|near)\s+(?:the\s+)?(?:[A-Z]\S*\s+)*[A-Z]", after[:60]
                )
                and cls != "protest"
            ):
                continue
            if not named_target and not dexpr:
                if definite or t.group("killed"):
                    prev = last_by_class.get(cls) or (
                        last_by_class.get("strike") if cls == "attack" else None
                    )
                    if prev and (definite or t.group("killed")):
                        ev = events[prev]
                        ev.mentions.append(EventMention(prev, view.id, base + s, base + e))
                        _roles(ev, ctx, actors, view, text, cs, ce, s)
                    continue
                if (
                    not subj_actors
                    and not re.search(
                        r"\b(?:in|at|near)\s+(?:the\s+)?(?:[A-Z]\S*\s+)*[A-Z]", after[:60]
                    )
                    and cls != "protest"
                ):
                    continue
                if cls == "protest" and not re.search(r"[A-Z]", after[:60]):
                    continue
            # the date
            value, precision, dtext = None, "none", None
            if dexpr and dexpr.value:
                value, precision, dtext = dexpr.value, dexpr.precision, dexpr.text
            if (
                victim in deaths
                and cls == "strike"
                and (value is None or abs((value - deaths[victim]).days) <= 1)
            ):
                value, precision, dtext = deaths[victim], "day", dtext or "death date"
            elif value and cls == "strike" and precision == "day":
                near = [dd for dd in deaths.values() if abs((value - dd).days) <= 1]
                if near:
                    value = near[0]
            tkey = victim.removeprefix("actor:") if victim else _target_key(ctx, target_text)
            if cls == "policy":
                owner = subj_actors[-1].actor_id.removeprefix("actor:") if subj_actors else ""
                tkey = f"{owner}-policy"
            key = f"{cls}:{tkey}" if tkey else f"{cls}:{view.passage.index}:{s}"
            # merge with an existing event of the same kind and target, or same day strikes
            existing = None
            for ok in order:
                ev = events[ok]
                if ev.cls != cls:
                    continue
                same_target = tkey and ev.target == tkey
                same_day = (
                    value
                    and ev.date == value
                    and precision == "day"
                    and ev.precision == "day"
                    and cls == "strike"
                )
                compatible = value is None or ev.date is None or ev.date.year == value.year
                if (same_target and compatible) or same_day:
                    existing = ok
                    break
            if existing:
                ev = events[existing]
                if ev.date is None and value:
                    ev.date, ev.precision, ev.date_text = value, precision, dtext
                if victim and not ev.victim:
                    ev.victim = victim
                ev.mentions.append(EventMention(existing, view.id, base + s, base + e))
                _roles(ev, ctx, actors, view, text, cs, ce, s)
                last_by_class[cls] = existing
                same_sentence[cls] = existing
                continue
            phrase = re.sub(r"\s+", " ", t.group(0).strip())
            if victim:
                name = (
                    f"{phrase} kills {actors.actor_name(victim)}"
                    if cls == "strike"
                    else f"{phrase} on {actors.actor_name(victim)}"
                )
            elif target_text:
                name = f"{phrase} {tm.group(0).split()[0] if tm else 'on'} {target_text}"
            else:
                name = phrase
            if cls == "authorization" and victim:
                name = f"Authorization of the killing of {actors.actor_name(victim)}"
            if cls == "policy" and subj_actors:
                name = f"{actors.actor_name(subj_actors[-1].actor_id)} {phrase}"
            name = name.replace("·", ".")
            ev = _Ev(
                key,
                cls,
                name[:1].upper() + name[1:],
                value,
                precision,
                dtext,
                tkey or None,
                victim=victim,
            )
            ev.mentions.append(EventMention(key, view.id, base + s, base + e))
            _roles(ev, ctx, actors, view, text, cs, ce, s)
            if key in events:
                key = f"{key}:{view.passage.index}:{s}"
                ev.key = key
            events[key] = ev
            order.append(key)
            last_by_class[cls] = key
            same_sentence[cls] = key
        # dates used as names of events: "in the years since September 11, 2001"
        for d in dates:
            if d.precision == "day" and d.explicit_year and _TIME_FRAME.search(text[: d.start]):
                key = f"date:{d.value}"
                if key not in events and d.value not in prec_dates:
                    events[key] = _Ev(
                        key, "date", f"Events of {d.text}", d.value, "day", d.text, None
                    )
                    order.append(key)
                events[key].mentions.append(
                    EventMention(key, view.id, base + d.start, base + d.end)
                )
    return _finish(events, order, actors)


def _roles(
    ev: _Ev,
    ctx: DocContext,
    actors: ActorResult,
    view: PassageView,
    text: str,
    cs: int,
    ce: int,
    s: int,
) -> None:
    """Roles of the actors of one sentence in an event, from the words around each mention."""
    base = view.start
    for m in actors.in_span(base, base + len(text)):
        rs, re_ = m.start - base, m.end - base
        rest = text[re_ : re_ + 140]
        role = None
        if m.actor_id == ev.victim or (
            _is_person(actors, m.actor_id)
            and _KILLED_BEFORE.search(text[:rs])
            and rs > s
            and re.search(r"kill|took out", text[max(0, rs - 30) : rs])
        ):
            role = "killed"
        elif _ORDERED_BY.search(text[:rs]):
            role = "ordered"
        else:
            for r, pat in _ROLE_PATTERNS:
                if pat.search(rest) and (
                    r != "killed" or (rs < s and _is_person(actors, m.actor_id))
                ):
                    role = r
                    break
        if (
            role is None
            and cs <= rs < ce
            and rs > s
            and re.search(r"(?:targeting|against|on)\s+(?:the\s+)?$", text[:rs])
        ):
            role = "targeted"
        if role and m.actor_id not in ev.participants:
            ev.participants[m.actor_id] = (role, view.id)


def _target_key(ctx: DocContext, target_text: str | None) -> str:
    """A key for what an event was aimed at: its capitalised words minus states and demonyms."""
    if not target_text:
        return ""
    words = []
    for w in re.findall(r"[A-Z][\w-]+(?:\.[A-Z]\.?)*", target_text):
        aid = ctx.onto.lookup_actor(w)
        if aid and ctx.onto.actors[aid].type.value == "State":
            continue
        if re.search(r"(?:an|ian|qi|ni)$", w):
            continue
        words.append(w)
    return slugify(" ".join(words) or target_text)


def _is_person(actors: ActorResult, actor_id: str) -> bool:
    actor = actors.actors.get(actor_id)
    return bool(actor and actor.type.value == "Person")


def _finish(events: dict[str, _Ev], order: list[str], actors: ActorResult) -> EventResult:
    out: list[Event] = []
    precision: dict[str, str] = {}
    mentions: list[tuple[str, str, int, int]] = []
    parts: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for key in order:
        ev = events[key]
        head = {
            "authorization": "authorization",
            "strike": "strike",
            "attack": "attack",
            "protest": "protests",
            "policy": "policy",
            "date": "events",
        }[ev.cls]
        target = ev.victim.removeprefix("actor:") if ev.victim else ev.target
        slug = slugify(f"{head} {target or ''} {format_date(ev.date, ev.precision) or ''}")
        if ev.cls == "date":
            slug = slugify(f"events {format_date(ev.date, ev.precision)}")
        eid = f"{Label.EVENT.value.lower()}:{slug}"
        if eid in seen and not slug.endswith(("-none", "strike", "attack", "protests")):
            pass  # same head, target and date: the same event, mentioned twice
        elif eid in seen:
            eid = f"{eid}-{len(seen)}"
        if eid not in seen:
            out.append(Event(eid, ev.name, ev.date, ev.date_text))
        seen.add(eid)
        precision[eid] = ev.precision
        mentions += [(eid, m.passage_id, m.start, m.end) for m in ev.mentions]
        parts += [(aid, eid, role, pid) for aid, (role, pid) in ev.participants.items()]
    return EventResult(out, precision, mentions, parts)
