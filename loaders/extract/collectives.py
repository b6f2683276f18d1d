"""Collective actors and people named after a role noun, added to the actor stage's result.

Capitalised-name rules find "Kataib Hezbollah" and "Mark Esper"; they miss the groups and
institutions news English names with common nouns ("Iran-backed militias", "Iraq's
parliament", "Senate Republicans") and a person introduced only by a role ("Fox News host
Sean Hannity") when no title or reporting verb marks the name. The phrases are data
(``seeds/ontology/collectives.yaml``); this runs inside the mentions stage, on its own result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kb.model import Actor, ActorType, Label, entity_id
from loaders.extract.actors import ActorMention, ActorResult
from loaders.extract.context import DocContext
from seeds import ontology_dir

_NAME = r"[A-Z][\w'’.-]*"


@dataclass(frozen=True, slots=True)
class _Pattern:
    type: ActorType
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def _lexicon() -> tuple[list[_Pattern], re.Pattern[str]]:
    with (ontology_dir() / "collectives.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    places = "|".join(re.escape(p) for p in sorted(data.get("places") or [], key=len, reverse=True))
    place = rf"(?:the\s+)?(?:{places}|[A-Z][a-z]+(?:an|i)|[A-Z][a-z]+['’]s)"
    patterns = [
        _Pattern(
            ActorType(p["type"]),
            re.compile(p["re"].replace("{PLACE}", place).replace("{NAME}", _NAME)),
        )
        for p in data.get("patterns") or []
    ]
    roles = "|".join(re.escape(r) for r in sorted(data.get("roles") or [], key=len, reverse=True))
    person = re.compile(
        rf"\b(?:{roles})\s+(?P<np>[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?)"
        r"(?![\w'’-]|\s+[A-Z])"
    )
    return patterns, person


def _name(surface: str) -> str:
    name = re.sub(r"^(?:[Tt]he)\s+", "", " ".join(surface.split()))
    return name[0].upper() + name[1:] if name else name


def add_collectives(ctx: DocContext, found: ActorResult) -> None:
    """Add the collective actors and role-introduced people of the document to ``found``."""
    patterns, person = _lexicon()
    states = {aid for aid, a in found.actors.items() if a.type is ActorType.STATE}
    # a state named inside a collective ("Iraq" in "Iraq's parliament") is mentioned too
    taken = [(m.start, m.end) for m in found.mentions if m.actor_id not in states]
    added: list[ActorMention] = []
    replaced: set[tuple[int, int]] = set()

    def free(start: int, end: int) -> bool:
        """No mention overlaps the span, except ones it contains ("Senate" in "Senate
        Republicans"), which the longer name replaces."""
        inner = [(a, b) for a, b in taken if start <= a and b <= end and (a, b) != (start, end)]
        if any(a < end and start < b for a, b in taken if (a, b) not in inner):
            return False
        replaced.update(inner)
        return True

    for view in ctx.views:
        if view.caption or view.headline:
            continue
        text, base = view.masked, view.start
        finds: list[tuple[ActorType, int, int, str]] = []
        for p in patterns:
            for m in p.regex.finditer(text):
                finds.append((p.type, m.start("np"), m.end("np"), m.group("np")))
        for m in person.finditer(text):
            finds.append((ActorType.PERSON, m.start("np"), m.end("np"), m.group("np")))
        for atype, s, e, surface in finds:
            start, end = base + s, base + e
            if not free(start, end) or re.match(r"\s+(?:the\s+)?[A-Z]", text[e:]):
                continue  # "Iran-backed militia Kataib Hezbollah": a description of a name
            name = _name(surface)
            aid = entity_id(Label.ACTOR, name)
            actor = found.actors.get(aid)
            if actor is None:
                actor = Actor(aid, name, atype, [])
                found.actors[aid] = actor
            if surface.strip() != actor.name and surface.strip() not in actor.aliases:
                actor.aliases.append(surface.strip())
            added.append(ActorMention(aid, view.id, start, end, surface.strip()))
            found.counts[aid] += 1
            taken.append((start, end))
    if not added:
        return
    kept = [m for m in found.mentions if (m.start, m.end) not in replaced]
    for m in found.mentions:
        if (m.start, m.end) in replaced:
            found.counts[m.actor_id] -= 1
    still = {m.actor_id for m in kept} | {m.actor_id for m in added}
    for aid in [a for a in found.actors if a not in still and found.counts[a] <= 0]:
        del found.actors[aid]
    found.mentions[:] = sorted([*kept, *added], key=lambda m: (m.start, m.end))
