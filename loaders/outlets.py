"""Outlets: who published a document and which news sources it cites.

The publisher comes from the document's metadata (PUBLISHED_BY). Cited outlets come from the
links of the body (their domains, through the curated table in `seeds/ontology/outlets.yaml`,
or for unknown outlets the link text or the domain) and from source phrases in the passages:
"told Fox News", "NBC News reported", "according to Reuters", "told \"Face the Nation\""
(CITES_SOURCE, with the passage as provenance). Short forms such as "The Times" resolve to the
outlet only when the document named it in full earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from kb.model import Label, Outlet, Passage, ReadDocument, Relation, RelType, entity_id
from seeds import ontology_dir


@dataclass(frozen=True, slots=True)
class OutletInfo:
    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    context_aliases: tuple[str, ...] = ()
    quoted_only: bool = False
    part_of: str | None = None


def _key(name: str) -> str:
    """Lookup key: case, a leading "the", punctuation and spacing do not matter."""
    k = re.sub(r"[^\w]+", " ", name.lower()).strip()
    return re.sub(r"^the ", "", k)


@dataclass(slots=True)
class OutletTable:
    """The curated outlets, indexed by domain and by every name they go by."""

    infos: list[OutletInfo]
    not_outlets: frozenset[str] = frozenset()
    by_domain: dict[str, OutletInfo] = field(default_factory=dict)
    by_name: dict[str, OutletInfo] = field(default_factory=dict)
    by_context: dict[str, OutletInfo] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for info in self.infos:
            for d in info.domains:
                self.by_domain[d.lower()] = info
            for n in (info.name, *info.aliases):
                self.by_name.setdefault(_key(n), info)
            for n in info.context_aliases:
                self.by_context.setdefault(_key(n), info)

    def for_host(self, host: str) -> OutletInfo | None:
        parts = host.lower().removeprefix("www.").split(".")
        for i in range(len(parts) - 1):
            info = self.by_domain.get(".".join(parts[i:]))
            if info:
                return info
        return None

    def is_platform(self, host: str) -> bool:
        """Social networks, archives, official and academic sites: not news outlets."""
        parts = host.lower().removeprefix("www.").split(".")
        if parts[-1] in {"gov", "mil", "int"} or parts[-2:-1] == ["gov"]:
            return True
        return any(".".join(parts[i:]) in self.not_outlets for i in range(len(parts) - 1))

    def lookup(self, name: str) -> OutletInfo | None:
        return self.by_name.get(_key(name))

    def names(self) -> list[str]:
        """Every name and alias, longest first (for a regex alternation)."""
        out = {n for info in self.infos for n in (info.name, *info.aliases)}
        out |= {n for info in self.infos for n in info.context_aliases}
        return sorted(out, key=len, reverse=True)


def _ontology_file(name: str) -> Path:
    return ontology_dir() / name


@lru_cache(maxsize=1)
def outlet_table() -> OutletTable:
    data = yaml.safe_load(_ontology_file("outlets.yaml").read_text(encoding="utf-8"))
    infos = [
        OutletInfo(
            name=str(e["name"]),
            domains=tuple(e.get("domains") or ()),
            aliases=tuple(str(a) for a in e.get("aliases") or ()),
            context_aliases=tuple(str(a) for a in e.get("context_aliases") or ()),
            quoted_only=bool(e.get("quoted_only", False)),
            part_of=e.get("part_of"),
        )
        for e in data.get("outlets") or []
    ]
    return OutletTable(infos, frozenset(d.lower() for d in data.get("not_outlets") or ()))


def host_of(url: str) -> str:
    if url.startswith("www."):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_OUTLET_WORDS = (
    "News|Times|Post|Journal|Press|Herald|Tribune|Gazette|Telegraph|Daily|Magazine|Radio|"
    "Television|TV|Network|Agency|Wire|Review|Monitor|Observer|Chronicle|Insider|Reporter|"
    "Broadcasting|Channel|Media|Newsweek|Newspaper|Weekly|Blog|Report"
)
_OUTLETISH = re.compile(rf"\b(?:{_OUTLET_WORDS})$")
_CAP = r"[A-Z0-9][\w&.'’-]*"
_PHRASE = rf"(?:[Tt]he\s+)?{_CAP}(?:\s+(?:of\s+|the\s+|and\s+|&\s+)?{_CAP}){{0,5}}"
_QUOTED = r"[\"“](?P<quoted>[A-Z0-9][^\"”\n]{1,50}?)[\"”]"
_BEFORE = re.compile(
    r"\b(?i:tells?|told|telling|according to|in an interview with|interviewed by|"
    r"(?:speaking|spoke|spoken|talking|talked) (?:to|with)|interview with|reported by|"
    r"first reported by|wrote in|writing in|writing for|wrote for|writes for|op-ed in|"
    r"appeared on|appearing on)\s+"
    rf"(?:{_QUOTED}|(?P<name>{_PHRASE}))"
)
_AFTER = re.compile(
    rf"(?P<name>{_PHRASE})(?:,[^,.;]{{0,140}},)?\s+(?:first\s+|also\s+|previously\s+)?"
    r"(?:reported|reports|has reported|had reported|has learned|learned|confirmed|revealed|"
    r"published|said|says|wrote|noted|obtained)\b"
)
_SOURCES_TELL = re.compile(
    r"\b(?:sources?|officials?|people|persons?|aides?|officers?)\b[^.;]{0,160}?\btells?\s+"
    rf"(?P<name>{_PHRASE})"
)
_HAS_LEARNED = re.compile(rf"(?P<name>{_PHRASE})\s+has\s+(?:learned|confirmed|obtained)\b")
_ON_PROGRAMME = re.compile(
    r"\b(?i:said|says|saying|told|tells|argued|added|claimed|spoke|speaking|appeared|appearing|"
    r"appearance|interview|interviewed|remarks|comments)\b[^.;\"“]{0,40}?\bon\s+"
    rf"(?:(?P<name>{_PHRASE})(?:['’]s?)\s+)?{_QUOTED}"
)
"""A programme named on air: `said on NBC's "Meet the Press"`, `an appearance on "Hannity"`
(the network, when named, is cited too)."""
_STAFF = re.compile(
    rf"(?P<name>{_PHRASE})\s+(?:[a-z]+\s+){{0,2}}?(?:host|co-host|anchor|correspondent|"
    r"reporter|columnist|contributor|commentator|analyst|editor|producer|writer|journalist|"
    r"moderator|interviewer|pundit)s?\b"
)
"""An outlet named by its staff: "MSNBC host", "CNBC correspondent", "Daily News sports
columnist" (quoted words of theirs make the outlet a source of the text)."""
_WORK = re.compile(
    rf"(?P<name>{_PHRASE})\s+(?:article|report|story|interview|op-ed|editorial|column|poll|"
    r"broadcast|investigation|analysis|segment|piece|podcast|documentary)s?\b"
)
"""An outlet's work cited as such: "a 2015 CNN article", "a New York Times investigation"."""
_PUBLISHED_BY = re.compile(
    rf"\b(?:published|released|broadcast|aired|carried)\s+(?:\w+\s+){{0,2}}?by\s+(?P<name>{_PHRASE})"
)
_AND = re.compile(r"\s*(?:,|\band\b|&)\s*")


_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _words_prefixes(phrase: str) -> list[str]:
    words = phrase.split()
    return [_POSSESSIVE.sub("", " ".join(words[:i])) for i in range(len(words), 0, -1)]


def resolve_outlet(phrase: str, seen: set[str] | None = None, generic: bool = True) -> str | None:
    """Canonical outlet name for a phrase that names a source, or None if it is no outlet.

    Tries the longest prefix first ("CBS News' Major Garrett" -> "CBS News"). A known name or
    alias wins; a context alias ("The Times") counts only if its outlet is in `seen`; an
    unknown phrase counts if it ends in an outlet word ("Kayhan News Agency").
    """
    table = outlet_table()
    for cand in _words_prefixes(phrase):
        ctx = table.by_context.get(_key(cand))
        if ctx and seen is not None and ctx.name in seen:
            return ctx.name
        info = table.lookup(cand)
        if info and not info.quoted_only and not ctx:
            return info.name
    whole = _words_prefixes(phrase)[0] if phrase.split() else ""
    bare = re.sub(r"^[Tt]he\s+", "", whole)
    if generic and _OUTLETISH.search(whole) and len(bare.split()) >= 2:
        return re.sub(r"^the\s+", "The ", whole)
    return None


_SMALL = {"a", "an", "the", "of", "and", "in", "on", "at", "to", "for", "with", "&"}


def _title_like(text: str) -> bool:
    """A programme title ("Face the Nation"), not a quoted sentence ("I want peace")."""
    words = text.split()
    if not words or len(words) > 6 or re.search(r"[.,!?;:]", text):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL for w in words)


def _quoted_outlet(title: str) -> str:
    """A programme named in quotes ("Face the Nation"): its table name, or the title."""
    info = outlet_table().lookup(title)
    return info.name if info else title.strip()


def canonical_name(name: str) -> str:
    """The table's name for an outlet name or alias; otherwise the name, tidied."""
    info = outlet_table().lookup(name)
    return info.name if info else " ".join(name.split())


def _outlets_in(phrase: str, seen: set[str], suffixes: bool = False) -> list[str]:
    """The outlets a source phrase names: the phrase itself, or each part of a coordination
    ("Reuters and AFP"); with `suffixes`, also a known outlet that ends a longer phrase ("a
    2015 CNN", "Friday's New York Times")."""
    parts = [p for p in _AND.split(phrase) if p]
    if len(parts) > 1 and not outlet_table().lookup(phrase):
        found = [f for f in (resolve_outlet(p, seen) for p in parts) if f]
        if found:
            return found
    name = resolve_outlet(phrase, seen)
    if name:
        return [name]
    if suffixes:
        words = phrase.split()
        for i in range(1, len(words)):
            name = resolve_outlet(" ".join(words[i:]), seen, generic=False)
            if name:
                return [name]
    return []


def publisher_in_text(text: str) -> str | None:
    """The outlet a text reports for in its own voice: "sources tell CBS News",
    "NBC News has learned". (Past tense "told Fox News" is an interview, not the publisher.)"""
    for pattern in (_SOURCES_TELL, _HAS_LEARNED):
        for m in pattern.finditer(text):
            name = resolve_outlet(m.group("name"))
            if name:
                return name
    return None


_LOGO_LINE = re.compile(r"(?P<name>[A-Z][\w&.'’ -]{1,40}?)\s+[Ll]ogo")
_INC_LINE = re.compile(
    r"(?:(?:©|\(c\)|copyright)\s*)?(?:\d{4}\s+)?(?P<name>[A-Z][\w&.'’ -]{1,40}?),?\s+"
    r"(?:Inc|LLC|Ltd|Media Group|Corp)\b")
_FURNITURE_LINE = 100
"""Longest line read as a logo or company line (page furniture is short)."""


def site_outlet(raw: str) -> str | None:
    """The outlet whose page this is, from its furniture: a logo's text ("Common Dreams
    Logo") or the company line of its footer ("Common Dreams, Inc."), when the outlet table
    knows the name (page furniture names many things)."""
    lines = [line.strip() for line in raw.splitlines()]
    short = [line for line in lines if 0 < len(line) <= _FURNITURE_LINE]
    for pattern in (_LOGO_LINE, _INC_LINE):
        for line in short:
            m = pattern.fullmatch(line) if pattern is _LOGO_LINE else pattern.match(line)
            info = outlet_table().lookup(m.group("name").strip()) if m else None
            if info:
                return info.name
    return None


def name_from_domain(host: str) -> str:
    """A readable fallback name for an unknown outlet: "example-news.co.uk" -> "Example News"."""
    parts = host.removeprefix("www.").split(".")
    label = (
        parts[-3]
        if len(parts) >= 3 and parts[-2] in {"co", "com", "org", "net"}
        else (parts[-2] if len(parts) >= 2 else parts[0])
    )
    return " ".join(w.capitalize() for w in re.split(r"[-_]+", label) if w)


_NAME_LIKE = re.compile(r"^(?:[Tt]he\s+)?[A-Z0-9][\w&.'’:!-]*(?:\s+[\w&.'’:!-]+){0,5}$")


def _link_outlet(text: str, url: str) -> tuple[str, str | None] | None:
    table = outlet_table()
    host = host_of(url)
    if not host or table.is_platform(host):
        return None
    info = table.for_host(host)
    if info:
        return info.name, info.domains[0] if info.domains else host
    text = text.strip()
    if text and _NAME_LIKE.match(text) and not host_of(text):
        return canonical_name(text), host.removeprefix("www.")
    return name_from_domain(host), host.removeprefix("www.")


def _passage_for(passages: list[Passage], body: list[tuple[int, int]], pos: int) -> str | None:
    """The passage a link at `pos` supports: the one containing it, else the last one before
    it in the same body block, else the first one of that block."""
    span = next(((s, e) for s, e in body if s <= pos < e), None)
    if span is None:
        return None
    inside = [p for p in passages if span[0] <= p.start < span[1]]
    before = [p for p in inside if p.start <= pos]
    if before:
        return before[-1].id
    return inside[0].id if inside else None


def extract_outlets(doc: ReadDocument) -> tuple[list[Outlet], list[Relation]]:
    """The document's publisher and the outlets it cites, with passage provenance."""
    table = outlet_table()
    doc_id = doc.meta.id
    outlets: dict[str, Outlet] = {}
    relations: dict[tuple[str, str], Relation] = {}

    def add(
        name: str, domain: str | None, rel: RelType, passage_id: str | None, props: dict[str, Any]
    ) -> None:
        oid = entity_id(Label.OUTLET, name)
        if not oid.removeprefix("outlet:"):
            return
        if oid not in outlets:
            info = table.lookup(name)
            dom = domain or (info.domains[0] if info and info.domains else None)
            outlets[oid] = Outlet(id=oid, name=name, domain=dom)
        # One edge per document and outlet (a fact once); every citation's passage, link and
        # wording are kept on it, in the order of the text.
        have = relations.get((rel.value, oid))
        if have is None:
            relations[(rel.value, oid)] = Relation(
                rel, doc_id, Label.DOCUMENT, oid, Label.OUTLET, passage_id=passage_id,
                props={**props, "passages": [passage_id] if passage_id else [],
                       "urls": [props["url"]] if "url" in props else [],
                       "mentions": [props["mention"]] if "mention" in props else []})
            return
        extra = have.props
        if passage_id and passage_id not in extra["passages"]:
            extra["passages"].append(passage_id)
        if "url" in props and props["url"] not in extra["urls"]:
            extra["urls"].append(props["url"])
        if "mention" in props and props["mention"] not in extra["mentions"]:
            extra["mentions"].append(props["mention"])

    publisher = canonical_name(doc.meta.publisher) if doc.meta.publisher else None
    if publisher:
        pid = next((p.id for p in doc.passages if publisher in p.text), None)
        add(publisher, None, RelType.PUBLISHED_BY, pid, {})
    site = site_outlet(doc.raw)
    if site and site != publisher:
        # A piece republished by another site ("by Just Security" on Common Dreams' page):
        # both published it; the edge says which one republished.
        add(site, None, RelType.PUBLISHED_BY, None, {"republished": True})

    cited: list[tuple[int, str, str | None, str | None, dict[str, Any]]] = []
    for link in doc.links:
        if not any(s <= link.start < e for s, e in doc.body):
            continue
        found = _link_outlet(link.text, link.url)
        if found:
            pid = _passage_for(doc.passages, doc.body, link.start)
            cited.append((link.start, found[0], found[1], pid, {"via": "link", "url": link.url}))

    seen: set[str] = {c[1] for c in cited}
    if publisher:
        seen.add(publisher)
    for p in doc.passages:
        hits: list[tuple[int, str, str]] = []
        for pattern in (_BEFORE, _AFTER, _ON_PROGRAMME, _STAFF, _WORK, _PUBLISHED_BY):
            for m in pattern.finditer(p.text):
                groups = m.groupdict()
                if groups.get("quoted"):
                    if _title_like(m.group("quoted")):
                        hits.append((m.start("quoted"), _quoted_outlet(m.group("quoted")),
                                     m.group("quoted")))
                    if not groups.get("name"):
                        continue
                phrase = m.group("name")
                for name in _outlets_in(phrase, seen, suffixes=pattern in (_STAFF, _WORK)):
                    hits.append((m.start("name"), name, phrase))
        for start, name, surface in sorted(hits):
            seen.add(name)
            cited.append((p.start + start, name, None, p.id, {"via": "text", "mention": surface}))

    for _, name, domain, pid, props in sorted(cited, key=lambda c: c[0]):
        if name == publisher:
            continue
        add(name, domain, RelType.CITES_SOURCE, pid, props)
    for r in relations.values():  # no empty lists on edges (stores differ on storing them)
        r.props = {k: v for k, v in r.props.items() if v != []}
    return list(outlets.values()), list(relations.values())
