"""Actors: persons, organisations, states and groups, with canonical names and in-document aliases.

Rules, not a list of expected names: capitalised name sequences are split into titles ("Defense
Secretary", "Maj. Gen.", "Ayatollah"), curated names (the ontology's thesaurus, tolerant of
transliteration), organisation cues ("... Force", "... Corps", "Ministry of ...") and unknown
names, which become persons only on evidence (a title, a reporting verb, an appositive such as
", the leader of"). Within a document, a surname, "Mr. X" and "the president" resolve to the
person already named; news outlets are never actors.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from kb.model import Actor, ActorType, Label, entity_id
from loaders.extract.context import DocContext, PassageView

try:  # the outlet table of the outlets module, when present
    from loaders.outlets import outlet_table as _outlet_table
except ImportError:  # pragma: no cover - depends on the tree
    _outlet_table = None

TITLES = [
    "Vice President",
    "President",
    "Prime Minister",
    "Deputy Prime Minister",
    "Defense Secretary",
    "Defence Secretary",
    "Secretary of State",
    "Secretary of Defense",
    "Defense Minister",
    "Foreign Minister",
    "Foreign Secretary",
    "Interior Minister",
    "Home Secretary",
    "Secretary",
    "Minister",
    "Senator",
    "Sen.",
    "Rep.",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Gov.",
    "Governor",
    "Mayor",
    "Major General",
    "Maj. Gen.",
    "Lieutenant General",
    "Lt. Gen.",
    "Brigadier General",
    "Brig. Gen.",
    "General",
    "Gen.",
    "Admiral",
    "Adm.",
    "Vice Admiral",
    "Colonel",
    "Col.",
    "Lt. Col.",
    "Lieutenant",
    "Lt.",
    "Captain",
    "Capt.",
    "Major",
    "Maj.",
    "Sergeant",
    "Sgt.",
    "Ayatollah",
    "Grand Ayatollah",
    "Sheikh",
    "Sheik",
    "King",
    "Queen",
    "Crown Prince",
    "Prince",
    "Emir",
    "Sultan",
    "Chancellor",
    "Judge",
    "Justice",
    "Chief Justice",
    "Speaker",
    "House Speaker",
    "Supreme Leader",
    "Commander",
    "Director",
    "Ambassador",
    "Attorney General",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Professor",
    "Prof.",
    "Pope",
    "Cardinal",
    "Rabbi",
    "Imam",
    "Field Marshal",
    "Marshal",
    "Spokesman",
    "Spokeswoman",
    "Chairman",
    "Chairwoman",
    "National Security Adviser",
    "National Security Advisor",
    "Chief of Staff",
    "Leader",
    "Majority Leader",
    "Minority Leader",
    "Senate Majority Leader",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Rev.",
    "Reverend",
    "Special Envoy",
    "Envoy",
    "Special Rapporteur",
    "Rapporteur",
    "Secretary-General",
    "Secretary General",
    "Gen",
]
_TITLE_SET = {t.lower(): t for t in TITLES}
_MAX_TITLE = max(len(t.split()) for t in TITLES)
PRESIDENT_TITLES = {"president"}

ORG_HEADS = {
    "force",
    "forces",
    "corps",
    "army",
    "navy",
    "ministry",
    "council",
    "department",
    "assembly",
    "committee",
    "agency",
    "party",
    "administration",
    "court",
    "congress",
    "senate",
    "guard",
    "guards",
    "command",
    "office",
    "commission",
    "university",
    "institute",
    "foundation",
    "bank",
    "union",
    "nations",
    "organization",
    "organisation",
    "authority",
    "service",
    "bureau",
    "parliament",
    "cabinet",
    "government",
    "coalition",
    "alliance",
    "pentagon",
    "police",
    "tribunal",
    "center",
    "centre",
    "association",
    "federation",
    "secretariat",
    "board",
    "directorate",
    "majlis",
    "knesset",
    "duma",
    "kremlin",
    "fund",
}
GROUP_HEADS = {
    "hezbollah",
    "hizbollah",
    "hizballah",
    "brigade",
    "brigades",
    "front",
    "movement",
    "militia",
    "militias",
    "taliban",
    "jihad",
    "hamas",
    "qaeda",
    "shabaab",
    "battalion",
    "battalions",
    "network",
    "houthis",
    "mobilization",
    "mobilisation",
}
ORG_FIRST = {
    "ministry",
    "department",
    "council",
    "office",
    "bank",
    "university",
    "court",
    "institute",
    "committee",
    "commission",
    "board",
    "house",
    "bureau",
    "union",
}
STOP_CAPS = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "Over",
    "But",
    "And",
    "Or",
    "After",
    "Before",
    "Following",
    "By",
    "With",
    "Indeed",
    "Even",
    "What",
    "When",
    "While",
    "Although",
    "Though",
    "If",
    "As",
    "For",
    "From",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "Our",
    "Of",
    "Nevertheless",
    "However",
    "Meanwhile",
    "Days",
    "Weeks",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Photo",
    "Image",
    "Read",
    "Sign",
    "Skip",
    "Subscribe",
    "Share",
    "Speaking",
    "According",
    "Among",
    "Why",
    "How",
    "Who",
    "Where",
    "Yes",
    "No",
    "Not",
    "Also",
    "Still",
    "Despite",
    "Under",
    "Since",
    "Until",
    "Then",
    "Now",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Here",
    "There",
    "Some",
    "Many",
    "Most",
    "All",
    "Both",
    "Each",
    "Every",
    "Such",
    "TK",
    "Mar",
    "Jan",
    "Feb",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
}
NON_NAME_WORDS = {
    "airport",
    "harbor",
    "harbour",
    "east",
    "west",
    "north",
    "south",
    "africa",
    "asia",
    "europe",
    "international",
    "charter",
    "strike",
    "war",
    "embassy",
    "base",
    "street",
    "avenue",
    "road",
    "river",
    "sea",
    "ocean",
    "gulf",
    "mountains",
    "island",
    "islands",
    "province",
    "city",
    "county",
    "state",
    "states",
    "region",
    "day",
    "night",
    "nation",
    "order",
    "killing",
    "policy",
    "act",
    "law",
    "resolution",
    "article",
    "amendment",
    "constitution",
    "treaty",
    "accord",
    "convention",
    "protocol",
    "agreement",
    "deal",
    "plan",
    "program",
    "programme",
    "operation",
    "news",
    "times",
    "post",
    "journal",
    "press",
    "magazine",
    "review",
    "daily",
    "weekly",
    "tribune",
    "herald",
    "gazette",
    "radio",
    "tv",
    "television",
    "network",
    "channel",
    "logo",
    "privacy",
    "newsletter",
    "inc",
    "llc",
    "ltd",
    "media",
    "twitter",
    "facebook",
    "shiite",
    "sunni",
    "muslim",
    "christian",
    "jewish",
    "democratic",
    "republican",
}
REPORTING_VERBS = (
    r"said|says|say|told|tells|tell|argued|argues|warned|warns|vowed|vows|insisted|insists|"
    r"accused|accuses|blamed|blames|reported|reports|added|adds|stated|states|claimed|claims|"
    r"wrote|writes|tweeted|tweets|announced|announces|asserted|asserts|noted|notes|explained|"
    r"called|calls|described|describes|denied|denies|acknowledged|acknowledges|confirmed|"
    r"confirms|suggested|suggests|believes|believed|contended|contends|maintained|maintains|"
    r"replied|responded|declared|declares|urged|urges|condemned|condemns|questioned|questions|"
    r"defended|defends|ordered|orders|authorized|authorizes|approved|approves|agreed|agrees|"
    r"who|whose|has\s+said|had\s+said|also\s+said|later\s+said"
)
ROLE_NOUNS = (
    r"leader|commander|chief|head|general|official|spokesman|spokeswoman|minister|president|"
    r"secretary|envoy|ambassador|founder|director|cleric|militant|negotiator|adviser|advisor|"
    r"aide|lawyer|professor|scholar|analyst|expert|journalist|reporter|colonel|admiral|deputy"
)
_AFTER_PERSON = re.compile(
    rf"^(?:\s*,\s*(?:who|whose|the|a|an|his|her)\b[^,.;]{{0,60}}?\b(?:{ROLE_NOUNS})s?\b"
    rf"|\s*,\s*(?:who|whose)\b|\s+(?:{REPORTING_VERBS})\b)"
)
_BEFORE_PERSON = re.compile(
    rf"(?:\b(?:{ROLE_NOUNS})s?|according to|by|with|spokesman|spokeswoman)\s*,?\s*$", re.I
)
_PARTY_GROUP = re.compile(
    r"\b(Democratic|Republican|GOP|Labour|Conservative|Tory|Liberal)\s+"
    r"(lawmakers|senators|legislators|congressmen|congresswomen|representatives|members|leaders|"
    r"politicians|critics)\b"
)
_ADMIN = re.compile(
    r"\b([Tt]he\s+)?(?:([A-Z][a-z]+)\s+)?(administration)"
    r"(?:\s+(officials)(?=\s+(?:have|has|had|say|said|says|told|tell|argued|claimed|insist\w*)\b))?\b"
)
_THE_PRESIDENT = re.compile(r"\b[Tt]he\s+[Pp]resident\b(?!\s+of\b)")

_TOKEN = (
    r"(?:[A-Z]\.(?:[A-Z]\.)+"  # U.S., U.N.
    r"|(?:al|el|ad|ash|as|an|ar|bin|ibn)-[A-Z][\w]*(?:['’][A-Za-z]+)*"
    r"|[A-Z][\w]*(?:[-'’][\w]+)*\.?)"
)
_CONNECT = r"(?:\s+(?:of\s+the|of|on|for|de|bin|ibn|al|del|la|van|von|der|da|bin)\s+|[ \t]+)"
SEQ = re.compile(rf"(?<![\w-]){_TOKEN}(?:{_CONNECT}{_TOKEN})*")
_TOK_IN_SEQ = re.compile(
    rf"{_TOKEN}|of\s+the|\b(?:of|on|for|de|bin|ibn|al|del|la|van|von|der|da)\b"
)
_CONNECTORS = {
    "of the",
    "of",
    "on",
    "for",
    "de",
    "bin",
    "ibn",
    "al",
    "del",
    "la",
    "van",
    "von",
    "der",
    "da",
}


@dataclass(slots=True)
class ActorMention:
    actor_id: str
    passage_id: str
    start: int
    end: int
    surface: str
    title: str | None = None


@dataclass(slots=True)
class ActorResult:
    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[ActorMention] = field(default_factory=list)
    outlet_spans: list[tuple[int, int, str]] = field(default_factory=list)
    president_id: str | None = None
    counts: Counter[str] = field(default_factory=Counter)
    _starts: tuple[int, list[int]] | None = field(default=None, repr=False, compare=False)
    """(len(mentions), their starts) while ``mentions`` is in text order: ``in_span`` bisects."""

    def in_span(self, start: int, end: int) -> list[ActorMention]:
        """Mentions inside [start, end) (raw offsets), in text order."""
        mentions = self.mentions
        index = self._starts
        if index is None or index[0] != len(mentions):
            starts = [m.start for m in mentions]
            ordered = all(a <= b for a, b in pairwise(starts))
            index = self._starts = (len(mentions), starts) if ordered else None
        if index is None:
            return [m for m in mentions if m.start >= start and m.end <= end]
        starts = index[1]
        lo, hi = bisect_left(starts, start), bisect_right(starts, end)
        return [m for m in mentions[lo:hi] if m.end <= end]

    def actor_name(self, actor_id: str | None) -> str | None:
        actor = self.actors.get(actor_id or "")
        return actor.name if actor else None


# ---------------------------------------------------------------------------------------------


def _outlet_name(surface: str, ctx: DocContext) -> str | None:
    """The outlet a surface form names (outlets module table first, then the ontology list)."""
    key = ("outlet", surface)
    if key not in ctx.lookups:
        ctx.lookups[key] = _lookup_outlet(surface, ctx)
    return ctx.lookups[key]


def _lookup_actor(surface: str, ctx: DocContext) -> str | None:
    """``ctx.onto.lookup_actor``, remembered for the document."""
    key = ("actor", surface)
    if key not in ctx.lookups:
        ctx.lookups[key] = ctx.onto.lookup_actor(surface)
    return ctx.lookups[key]


def _lookup_outlet(surface: str, ctx: DocContext) -> str | None:
    text = surface.strip()
    if _outlet_table is not None:
        try:
            info = _outlet_table().lookup(text)
        except Exception:
            info = None
        if info is not None and not getattr(info, "quoted_only", False):
            return info.name
    return ctx.onto.lookup_outlet(text)


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def connector(self) -> bool:
        return self.text in _CONNECTORS


_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"[A-Z]\.(?:[A-Z]\.)+")
_WHITE = re.compile(r"\s+")


def _strip_possessive(tok: _Tok) -> tuple[_Tok, bool]:
    if not tok.text.endswith(("'", "’", "s")):
        return tok, False
    m = _POSSESSIVE.search(tok.text)
    if m and len(tok.text) > 2 and not _ACRONYM.fullmatch(tok.text):
        return _Tok(tok.text[: m.start()], tok.start, tok.start + m.start()), True
    return tok, False


def _split_seq(m: re.Match[str], base: int) -> list[list[_Tok]]:
    """Tokens of a capitalised sequence, cut after a possessive ("Iran's elite ...")."""
    groups: list[list[_Tok]] = [[]]
    for t in _TOK_IN_SEQ.finditer(m.group(0)):
        tok = _Tok(
            _WHITE.sub(" ", t.group(0)),
            base + m.start() + t.start(),
            base + m.start() + t.end(),
        )
        tok, poss = _strip_possessive(tok)
        if tok.text.endswith(".") and len(tok.text) > 4 and tok.text.lower() not in _TITLE_SET:
            tok = _Tok(tok.text[:-1], tok.start, tok.end - 1)
        if not tok.text:
            continue
        groups[-1].append(tok)
        if poss:
            groups.append([])
    out = []
    for g in groups:
        while g and g[-1].connector:
            g.pop()
        while g and g[0].connector:
            g.pop(0)
        if g:
            out.append(g)
    return out


class _DocActors:
    """Accumulates the actors of one document and resolves aliases as it goes."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.res = ActorResult()
        self.surnames: dict[str, str] = {}
        self.titled: Counter[tuple[str, str]] = Counter()
        self.pending: list[tuple[PassageView, _Tok]] = []

    # -- registering -------------------------------------------------------------------------
    def add(
        self,
        aid: str,
        name: str,
        atype: ActorType,
        view: PassageView,
        start: int,
        end: int,
        surface: str,
        title: str | None = None,
    ) -> None:
        actor = self.res.actors.get(aid)
        if actor is None:
            actor = Actor(aid, name, atype, [])
            self.res.actors[aid] = actor
        elif (
            atype == ActorType.PERSON
            and len(name) > len(actor.name)
            and actor.type == atype
            and aid not in self.ctx.onto.actors
        ):
            actor.name = name
        surf = surface.strip()
        if surf != actor.name and surf not in actor.aliases:
            actor.aliases.append(surf)
        self.res.mentions.append(ActorMention(aid, view.id, start, end, surf, title))
        self.res.counts[aid] += 1
        if atype == ActorType.PERSON:
            last = name.split()[-1]
            if len(last) > 2:
                self.surnames.setdefault(last, aid)
            if title:
                self.titled[(title.lower(), aid)] += 1

    def add_curated(
        self,
        aid: str,
        view: PassageView,
        start: int,
        end: int,
        surface: str,
        title: str | None = None,
    ) -> None:
        entry = self.ctx.onto.actors[aid]
        self.add(aid, entry.name, entry.type, view, start, end, surface, title)

    # -- one capitalised sequence ------------------------------------------------------------
    def sequence(self, view: PassageView, toks: list[_Tok], at_start: bool) -> None:
        ctx = self.ctx
        raw = ctx.raw
        # sentence-initial ordinary words ("Those airstrikes", "Over the weekend")
        while toks and (
            toks[0].text in STOP_CAPS
            or (
                at_start
                and toks[0].text.lower() in ctx.lower_vocab
                and not _lookup_actor(toks[0].text, ctx)
            )
        ):
            toks = toks[1:]
            at_start = False
            while toks and toks[0].connector:
                toks = toks[1:]
        i = 0
        n = len(toks)
        generic: list[_Tok] = []
        while i < n:
            if toks[i].connector:
                generic.append(toks[i])
                i += 1
                continue
            hit = None
            for j in range(n, i, -1):
                if toks[j - 1].connector:
                    continue
                surface = raw[toks[i].start : toks[j - 1].end]
                if _outlet_name(surface, ctx):
                    hit = ("outlet", j, None)
                    break
                aid = _lookup_actor(surface, ctx)
                if aid and not (view.headline and j - i == 1 and len(surface) <= 3):
                    hit = ("actor", j, aid)
                    break
            if hit is None:
                title_j = self._title_at(toks, i)
                if title_j and title_j < n and not toks[title_j].connector:
                    self._flush(view, generic)
                    generic = []
                    i = self._titled_person(view, toks, i, title_j)
                    continue
                # a demonym before a title ("Iranian President Hassan Rouhani")
                if (
                    i + 1 < n
                    and self._title_at(toks, i + 1)
                    and re.search(r"(?:an|ese|ish|i)$", toks[i].text)
                ):
                    i += 1
                    continue
                generic.append(toks[i])
                i += 1
                continue
            self._flush(view, generic)
            generic = []
            kind, j, aid = hit
            start, end = toks[i].start, toks[j - 1].end
            if kind == "outlet":
                self.res.outlet_spans.append((start, end, raw[start:end]))
            elif aid:
                self.add_curated(aid, view, start, end, raw[start:end])
            i = j
        self._flush(view, generic)

    def _title_at(self, toks: list[_Tok], i: int) -> int | None:
        for k in range(min(len(toks), i + _MAX_TITLE), i, -1):
            words = " ".join(t.text for t in toks[i:k])
            if words.lower() in _TITLE_SET:
                return k
        return None

    def _titled_person(self, view: PassageView, toks: list[_Tok], i: int, j: int) -> int:
        title = " ".join(t.text for t in toks[i:j])
        k = j
        while k < len(toks) and not toks[k].connector and k - j < 4:
            k += 1
        name_toks = toks[j:k]
        raw = self.ctx.raw
        # "Secretary of State Mike Pompeo": the title words may be followed by a name
        while name_toks and self._title_at(name_toks, 0):
            name_toks = name_toks[self._title_at(name_toks, 0) or 1 :]
        if not name_toks:
            return k
        start, end = name_toks[0].start, name_toks[-1].end
        surface = raw[start:end]
        if surface in STOP_CAPS or surface.lower() in {"of", "the"}:
            return k
        full_surface = raw[toks[i].start : end]
        aid = self.ctx.onto.lookup_actor(surface) or self.ctx.onto.lookup_actor(full_surface)
        if aid and self.ctx.onto.actors[aid].type == ActorType.PERSON:
            self.add_curated(aid, view, toks[i].start, end, full_surface, title)
        elif len(name_toks) == 1 and surface in self.surnames:
            aid = self.surnames[surface]
            actor = self.res.actors[aid]
            self.add(aid, actor.name, actor.type, view, toks[i].start, end, full_surface, title)
        elif len(name_toks) == 1:
            self.pending.append((view, _Tok(surface, start, end)))
            self.titled[(title.lower(), "surname:" + surface)] += 1
        else:
            self.add(
                entity_id(Label.ACTOR, surface),
                surface,
                ActorType.PERSON,
                view,
                toks[i].start,
                end,
                full_surface,
                title,
            )
        return k

    def _flush(self, view: PassageView, run: list[_Tok]) -> None:
        while run and run[-1].connector:
            run.pop()
        while run and run[0].connector:
            run.pop(0)
        if not run:
            return
        raw = self.ctx.raw
        words = [t for t in run if not t.connector]
        start, end = run[0].start, run[-1].end
        surface = raw[start:end]
        last = words[-1].text.lower()
        first = words[0].text.lower()
        if view.headline:
            return
        if last in GROUP_HEADS or (first in GROUP_HEADS and len(words) > 1):
            if len(words) >= 2 or last in {"hezbollah", "hamas", "taliban"}:
                self.add(
                    entity_id(Label.ACTOR, surface),
                    surface,
                    ActorType.GROUP,
                    view,
                    start,
                    end,
                    surface,
                )
            return
        if (last in ORG_HEADS and len(words) >= 2) or (
            first in ORG_FIRST and len(words) >= 2 and any(t.connector for t in run)
        ):
            if any(w.text.lower() in {"news", "times", "post"} for w in words):
                return
            self.add(
                entity_id(Label.ACTOR, surface),
                surface,
                ActorType.ORGANISATION,
                view,
                start,
                end,
                surface,
            )
            return
        if len(words) == 1:
            self.pending.append((view, words[0]))
            return
        if any(t.connector for t in run) or len(words) > 4:
            return
        if any(
            w.text in STOP_CAPS
            or w.text.lower() in NON_NAME_WORDS
            or not re.match(r"^(?:[A-Z][a-z]|al-|el-|bin|ibn)", w.text)
            for w in words
        ):
            return
        masked = view.masked
        rel_s, rel_e = start - view.start, end - view.start
        after = masked[rel_e : rel_e + 90]
        before = masked[max(0, rel_s - 40) : rel_s]
        if _AFTER_PERSON.search(after) or _BEFORE_PERSON.search(before):
            self.add(
                entity_id(Label.ACTOR, surface),
                surface,
                ActorType.PERSON,
                view,
                start,
                end,
                surface,
            )

    # -- passes ------------------------------------------------------------------------------
    def resolve_pending(self) -> None:
        """Single capitalised words: surnames of persons named in full elsewhere in the doc."""
        for view, tok in self.pending:
            aid = self.surnames.get(tok.text)
            if aid:
                actor = self.res.actors[aid]
                self.add(aid, actor.name, actor.type, view, tok.start, tok.end, tok.text)

    def president(self) -> str | None:
        """The person "the president" refers to: of those titled President here or known as
        presidents, the one the document names most often."""
        cands = Counter(
            {
                aid: c
                for (t, aid), c in self.titled.items()
                if t in PRESIDENT_TITLES and not aid.startswith("surname:")
            }
        )
        # a president the thesaurus knows, named without the title here, is a candidate too:
        # a digest about Trump that titles only Iran's President Rouhani means Trump by "the
        # president" (the one the document names most)
        for aid in self.res.counts:
            entry = self.ctx.onto.actors.get(aid)
            if entry and any(o.title == "president" for o in entry.offices):
                cands[aid] = max(cands.get(aid, 0), 1)
        if not cands:
            return None
        return max(cands, key=lambda a: (self.res.counts[a], cands[a]))

    def descriptions(self) -> None:
        """'the president', '<Surname> administration', 'the administration', party groups."""
        ctx = self.ctx
        pres = self.president()
        self.res.president_id = pres
        for view in ctx.views:
            if view.caption:
                continue
            text = view.masked
            base = view.start
            if pres:
                for m in _THE_PRESIDENT.finditer(text):
                    actor = self.res.actors[pres]
                    self.add(
                        pres,
                        actor.name,
                        actor.type,
                        view,
                        base + m.start(),
                        base + m.end(),
                        m.group(0),
                    )
            for m in _ADMIN.finditer(text):
                head = m.group(2)
                owner = None
                if head and head in self.surnames:
                    owner = head
                elif head and ctx.onto.lookup_actor(head):
                    entry = ctx.onto.actors[ctx.onto.lookup_actor(head) or ""]
                    owner = entry.name.split()[-1] if entry.type == ActorType.PERSON else None
                elif (
                    not head
                    and (m.group(1) or m.group(4))
                    and pres
                    and not (m.group(1) is None and m.group(4) is None)
                ):
                    owner = self.res.actors[pres].name.split()[-1]
                if not owner:
                    continue
                name = f"{owner} administration"
                self.add(
                    entity_id(Label.ACTOR, name),
                    name,
                    ActorType.ORGANISATION,
                    view,
                    base + m.start(),
                    base + m.end(),
                    m.group(0),
                )
            for m in _PARTY_GROUP.finditer(text):
                name = f"{m.group(1)} {m.group(2)}"
                self.add(
                    entity_id(Label.ACTOR, name),
                    name,
                    ActorType.GROUP,
                    view,
                    base + m.start(),
                    base + m.end(),
                    m.group(0),
                )


def extract_actors(ctx: DocContext) -> ActorResult:
    """Find the actors of a document (see the module docstring)."""
    acc = _DocActors(ctx)
    author = ctx.doc.meta.author
    for view in ctx.views:
        if view.caption:
            continue
        text = view.masked
        for m in SEQ.finditer(text):
            # at the text start or after [.!?:"“(] and white space (no regex over the prefix)
            before = text[: m.start()].rstrip()
            at_start = not before or before[-1] in '.!?:"“('

            for k, toks in enumerate(_split_seq(m, view.start)):
                acc.sequence(view, toks, at_start and k == 0)
    acc.resolve_pending()
    acc.descriptions()
    if author and len(author.split()) >= 2 and not _outlet_name(author, ctx):
        aid = ctx.onto.lookup_actor(author) or entity_id(Label.ACTOR, author)
        if aid not in acc.res.actors:
            acc.res.actors[aid] = Actor(aid, author, ActorType.PERSON, [])
    # sort mentions in text order (claims look for the nearest preceding one)
    acc.res.mentions.sort(key=lambda m: (m.start, -m.end))
    return acc.res
