"""Memberships and leadership between actors (MEMBER_OF, LEADS), from appositions and titles.

News English names a person's organisation next to the name: "X, the leader of Y", "X, a
spokesman for Y", "Y's commander, X", "Y leader X", "a senior Y commander, X", "X of the Y". This
stage reads the words between two actor mentions of one sentence against the role lexicon in
`seeds/ontology/affiliations.yaml`; a head role with a definite article (the, Y's, or none before
a name) is LEADS, anything else MEMBER_OF. Only a person (or a group inside an organisation) can
be a member, and only an organisation, group or state can have one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import yaml

from kb.model import ActorType, Label, Passage, Relation, RelType
from loaders.extract.actors import ActorMention, ActorResult
from seeds import ontology_dir

_MEMBERS = (ActorType.PERSON, ActorType.GROUP)
_BODIES = (ActorType.ORGANISATION, ActorType.GROUP, ActorType.STATE)
_WORDS = r"(?:[\w’'-]+\s+){0,3}?"
"""Up to three descriptive words ("the Iranian-backed militia")."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    heads: frozenset[str]
    after: re.Pattern[str]
    """Between X and Y, in "X, the|a ROLE of [the ...] Y"."""
    possessive: re.Pattern[str]
    """Between Y and X, in "Y's [...] ROLE[,] X"."""
    attributive: re.Pattern[str]
    """Between Y and X, in "Y [...] ROLE[,] X" ("Quds Force commander Qasem Soleimani")."""
    of: re.Pattern[str]
    """Between X and Y, in "X of [the] Y"."""
    indefinite: re.Pattern[str]
    """Before Y: "a senior Y commander" names a member, not the head."""


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(words, key=len, reverse=True))


@cache
def lexicon() -> Lexicon:
    data = yaml.safe_load((ontology_dir() / "affiliations.yaml").read_text(encoding="utf-8"))
    role = _alternation([*data["heads"], *data["members"]])
    joins = _alternation(data["joins"])
    indefinite = _alternation(data["indefinite"])
    flags = re.IGNORECASE
    return Lexicon(
        heads=frozenset(w.lower() for w in data["heads"]),
        after=re.compile(rf",\s+(?P<art>the|an?|one)\s+{_WORDS}(?P<role>{role})\s+"
                         rf"(?:{joins})\s+(?:the\s+)?{_WORDS}", flags),
        possessive=re.compile(rf"['’]s\s+{_WORDS}(?P<role>{role}),?\s+", flags),
        attributive=re.compile(rf"\s+{_WORDS}(?P<role>{role}),?\s+", flags),
        of=re.compile(r"\s+of\s+(?:the\s+)?", flags),
        indefinite=re.compile(rf"\b(?:{indefinite})\s+(?:[\w’'-]+\s+)?$", flags),
    )


def extract_affiliations(passages: list[Passage], actors: ActorResult) -> list[Relation]:
    """MEMBER_OF and LEADS relations, one per (member, type, body) and passage."""
    lex = lexicon()
    found: dict[tuple[str, RelType, str, str], Relation] = {}
    for p in passages:
        mentions = [m for m in actors.in_span(p.start, p.end) if m.end <= p.end]
        for first, second in pairwise(mentions):
            for rel in _read(lex, p, first, second, actors):
                found.setdefault((rel.source_id, rel.type, rel.target_id, p.id), rel)
    return list(found.values())


def _read(lex: Lexicon, p: Passage, first: ActorMention, second: ActorMention,
          actors: ActorResult) -> list[Relation]:
    if first.actor_id == second.actor_id or first.end > second.start:
        return []
    between = p.text[first.end - p.start:second.start - p.start]
    before = p.text[:first.start - p.start]
    after = p.text[second.end - p.start:]
    kind = {aid: actors.actors[aid].type for aid in (first.actor_id, second.actor_id)
            if aid in actors.actors}
    if len(kind) < 2:
        return []

    def link(member: str, body: str, head: bool) -> list[Relation]:
        if kind[member] not in _MEMBERS or kind[body] not in _BODIES:
            return []
        rel = RelType.LEADS if head else RelType.MEMBER_OF
        return [Relation(rel, member, Label.ACTOR, body, Label.ACTOR, p.id)]

    def is_head(role: str) -> bool:
        return re.sub(r"\s+", " ", role.lower()) in lex.heads

    # "the leader of Iran's elite Quds Force": Iran only modifies the body, which is unnamed
    possessed = bool(re.match(r"['’]s\b", after))
    if (m := lex.after.fullmatch(between)) and not possessed:  # X, the leader of Y
        return link(first.actor_id, second.actor_id,
                    m["art"].lower() == "the" and is_head(m["role"]))
    if m := lex.possessive.fullmatch(between):  # Y's commander, X
        return link(second.actor_id, first.actor_id, is_head(m["role"]))
    if m := lex.attributive.fullmatch(between):  # (a senior) Y commander X
        head = is_head(m["role"]) and not lex.indefinite.search(before)
        return link(second.actor_id, first.actor_id, head)
    if lex.of.fullmatch(between) and kind[second.actor_id] is not ActorType.STATE and not possessed:
        return link(first.actor_id, second.actor_id, False)  # X of the State Department
    return []
