"""The curated ontology (seeds/ontology/*.yaml): concepts, precedents, actors, states, outlets.

It is a thesaurus the extractors link mentions to, not a list of answers. It is loaded once per
process (``load_ontology`` is cached) because every document needs it and parsing YAML plus
compiling a few hundred regular expressions per document would dominate the ingestion time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kb.model import (
    ActorType,
    Concept,
    Label,
    Precedent,
    Relation,
    RelType,
)
from seeds import ontology_dir


@dataclass(slots=True)
class ConceptEntry:
    id: str
    name: str
    definition: str | None
    aliases: list[str]
    regex: re.Pattern[str]
    related: list[tuple[str, str]] = field(default_factory=list)
    exclude: re.Pattern[str] | None = None
    """Contexts in which a match is not this concept ("character assassination", "police use
    of force"): a match overlapping one of them is dropped."""


@dataclass(slots=True)
class PrecedentEntry:
    id: str
    name: str
    date: date | None
    summary: str | None
    aliases: list[str]
    regex: re.Pattern[str] | None
    cooccur: list[list[re.Pattern[str]]] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    needs_cue: bool = False
    """Named as background more often than compared (a treaty in the news about its party):
    a mention counts only where a comparison cue is in its sentence."""


@dataclass(slots=True)
class Office:
    title: str
    country: str | None
    start: date | None
    end: date | None


@dataclass(slots=True)
class ActorEntry:
    id: str
    name: str
    type: ActorType
    aliases: list[str]
    offices: list[Office] = field(default_factory=list)
    died: date | None = None


@dataclass(slots=True)
class OutletEntry:
    name: str
    aliases: list[str]


@dataclass(slots=True)
class Ontology:
    concepts: dict[str, ConceptEntry]
    precedents: dict[str, PrecedentEntry]
    actors: dict[str, ActorEntry]
    outlets: list[OutletEntry]
    actor_alias: dict[str, str]
    """Exact surface form -> actor id (case-sensitive: names are proper nouns)."""
    actor_key: dict[str, str]
    """Transliteration-tolerant key (``name_key``) -> actor id, for multi-word names."""
    outlet_alias: dict[str, str]
    """Lower-cased surface form -> canonical outlet name."""
    triggers: Any = None
    """The pre-filter of the concept and precedent patterns, built on first use by
    ``loaders.extract.prefilter.ontology_index`` (kept here so it is built once per ontology)."""

    def lookup_actor(self, surface: str) -> str | None:
        """The curated actor a surface form names, tolerating transliteration variants."""
        hit = self.actor_alias.get(surface)
        if hit:
            return hit
        if " " in surface.strip():
            return self.actor_key.get(name_key(surface))
        return None

    def lookup_outlet(self, surface: str) -> str | None:
        return self.outlet_alias.get(_outlet_norm(surface))


# ---------------------------------------------------------------------------------------------
# Normalisation


def fold(text: str) -> str:
    """ASCII-fold and normalise quotes: matching must not depend on typography."""
    text = text.replace("’", "'").replace("‘", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_DOUBLE = re.compile(r"(.)\1+")


def name_key(name: str) -> str:
    """A transliteration-tolerant key: Qassem / Qasem / Ghasem, Soleimani / Suleimani agree.

    Lower case, ASCII, doubled letters collapsed, common digraphs unified, vowels dropped after
    the first letter of each word. Used only to compare names, never as an id.
    """
    words = re.findall(r"[a-z]+", fold(name).lower())
    out = []
    for w in words:
        w = w.replace("gh", "q").replace("kh", "k").replace("ph", "f").replace("dh", "d")
        w = w.replace("ou", "u").replace("c", "k").replace("q", "k")
        w = _DOUBLE.sub(r"\1", w)
        w = w[0] + re.sub(r"[aeiouy]", "", w[1:]) if w else w
        out.append(w)
    return " ".join(out)


def _outlet_norm(text: str) -> str:
    t = fold(text).lower().strip()
    return re.sub(r"^the\s+", "", t)


def phrase_pattern(phrase: str) -> str:
    """A regex for a phrase, tolerant of hyphen/space, -ise/-ize, -ence/-ense and inflection."""
    words = re.findall(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]", fold(phrase))
    parts: list[str] = []
    for i, w in enumerate(words):
        if w == "-":
            continue
        if not w[0].isalnum():
            parts.append(re.escape(w))
            continue
        p = re.escape(w)
        p = re.sub(r"i[sz]", "i[sz]", p) if len(w) > 5 else p
        p = p.replace("ence", "en[cs]e").replace("ense", "en[cs]e")
        if i == len(words) - 1 and w.isalpha() and len(w) > 3:
            stem = p[:-1] if w.endswith("e") else p
            p = f"(?:{p}|{stem}(?:s|es|ed|d|ing))" if stem != p else f"{p}(?:s|es|ed|ing)?"
        parts.append(p)
    body = ""
    for j, p in enumerate(parts):
        if j:
            body += (
                r"[\s\-]*" if parts[j - 1] not in {"\\(", "\\/"} and p not in {"\\)", "\\/"} else ""
            )
        body += p
    return rf"(?<![\w-]){body}(?![\w-])"


def _compile(phrases: list[str], patterns: list[str]) -> re.Pattern[str]:
    alts = [phrase_pattern(p) for p in sorted(set(phrases), key=len, reverse=True)]
    alts += [rf"(?<![\w-]){p}(?![\w])" for p in patterns]
    return re.compile("|".join(f"(?:{a})" for a in alts), re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Loading


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return date(value, 1, 1)
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return None


def _split_names(spec: str) -> tuple[str, list[str]]:
    names = [n.strip() for n in spec.split("|") if n.strip()]
    return names[0], names[1:]


@lru_cache(maxsize=4)
def load_ontology(path: str | None = None) -> Ontology:
    """Load and compile the ontology once (cached per directory)."""
    base = Path(path) if path else ontology_dir()
    cdata = yaml.safe_load((base / "concepts.yaml").read_text(encoding="utf-8")) or {}
    pdata = yaml.safe_load((base / "precedents.yaml").read_text(encoding="utf-8")) or {}
    adata = yaml.safe_load((base / "actors.yaml").read_text(encoding="utf-8")) or {}

    concepts: dict[str, ConceptEntry] = {}
    for c in cdata.get("concepts", []):
        aliases = [str(a) for a in c.get("aliases", [])]
        concepts[c["id"]] = ConceptEntry(
            id=c["id"],
            name=c["name"],
            definition=(c.get("definition") or "").strip() or None,
            aliases=aliases,
            regex=_compile([c["name"], *aliases], list(c.get("patterns", []))),
            related=[(r["to"], r.get("kind", "related")) for r in c.get("related", [])],
            exclude=(
                re.compile("|".join(f"(?:{x})" for x in c["exclude"]), re.IGNORECASE)
                if c.get("exclude")
                else None
            ),
        )

    precedents: dict[str, PrecedentEntry] = {}
    for p in pdata.get("precedents", []):
        aliases = [str(a) for a in p.get("aliases", [])]
        phrases = [a for a in [p["name"], *aliases] if a]
        cooc = [
            [_compile([str(x) for x in group], []) for group in spec]
            for spec in p.get("cooccur", [])
        ]
        precedents[p["id"]] = PrecedentEntry(
            id=p["id"],
            name=p["name"],
            date=_date(p.get("date")),
            summary=(p.get("summary") or "").strip() or None,
            aliases=aliases,
            regex=_compile(phrases, list(p.get("patterns", []))),
            cooccur=cooc,
            actors=[f"actor:{a}" for a in p.get("actors", [])],
            needs_cue=bool(p.get("needs_cue", False)),
        )

    actors: dict[str, ActorEntry] = {}
    for section, atype in (
        ("persons", ActorType.PERSON),
        ("organisations", ActorType.ORGANISATION),
        ("groups", ActorType.GROUP),
    ):
        for a in adata.get(section, []):
            offices = [
                Office(o["title"], o.get("country"), _date(o.get("from")), _date(o.get("to")))
                for o in a.get("offices", [])
            ]
            aid = f"actor:{a['id']}"
            actors[aid] = ActorEntry(
                aid,
                a["name"],
                atype,
                [str(x) for x in a.get("aliases", [])],
                offices,
                _date(a.get("died")),
            )
    for spec in adata.get("states", []):
        name, aliases = _split_names(spec)
        aid = f"actor:{re.sub(r'[^a-z0-9]+', '-', fold(name).lower()).strip('-')}"
        actors[aid] = ActorEntry(aid, name, ActorType.STATE, aliases)

    outlets = [OutletEntry(*_split_names(s)) for s in adata.get("outlets", [])]

    actor_alias: dict[str, str] = {}
    actor_key: dict[str, str] = {}
    for aid, entry in actors.items():
        forms = [entry.name, *entry.aliases]
        if entry.type == ActorType.PERSON:
            forms.append(entry.name.split()[-1])  # the surname alone names a well-known person
        for form in forms:
            for variant in {form, fold(form)}:
                actor_alias.setdefault(variant, aid)
            if " " in form and entry.type != ActorType.STATE:
                actor_key.setdefault(name_key(form), aid)
    outlet_alias: dict[str, str] = {}
    for o in outlets:
        for form in [o.name, *o.aliases]:
            outlet_alias.setdefault(_outlet_norm(form), o.name)
    return Ontology(concepts, precedents, actors, outlets, actor_alias, actor_key, outlet_alias)


def ontology_graph(
    onto: Ontology | None = None,
) -> tuple[list[Concept], list[Precedent], list[Relation]]:
    """The curated concepts and precedents as model objects, with the RELATED_TO edges.

    For loading the thesaurus itself into the store once (documents then link to it).
    """
    onto = onto or load_ontology()
    concepts = [
        Concept(c.id and f"concept:{c.id}", c.name, c.definition, list(c.aliases))
        for c in onto.concepts.values()
    ]
    precedents = [
        Precedent(f"precedent:{p.id}", p.name, p.date, p.summary, list(p.aliases))
        for p in onto.precedents.values()
    ]
    rels = [
        Relation(
            RelType.RELATED_TO,
            f"concept:{c.id}",
            Label.CONCEPT,
            f"concept:{to}",
            Label.CONCEPT,
            None,
            {"kind": kind},
        )
        for c in onto.concepts.values()
        for to, kind in c.related
        if to in onto.concepts
    ]
    return concepts, precedents, rels


def broader_concepts(concept_id: str, onto: Ontology | None = None) -> set[str]:
    """Ids (without prefix) of the concepts a concept is a narrower form of (``is_a`` edges)."""
    onto = onto or load_ontology()
    out: set[str] = set()
    todo = [concept_id.removeprefix("concept:")]
    while todo:
        cur = todo.pop()
        entry = onto.concepts.get(cur)
        if not entry:
            continue
        for to, kind in entry.related:
            if kind == "is_a" and to not in out:
                out.add(to)
                todo.append(to)
    return out
