"""Shared nodes built from all their support, whatever the order the documents arrived in.

Actors, concepts, precedents, events and outlets are shared by the documents that mention them.
Each document contributes values for some of their properties (a name it uses, the aliases it
saw, a date); the store keeps, on the shared node, how many documents contributed each value
(`support`, a JSON object), and on the document what it contributed (`contributions`). The
visible properties are then a pure function of those counts and the curated thesaurus:

- a curated value first (the thesaurus's name, definition, summary, date and aliases);
- otherwise the value the most documents contributed, ties broken by the longer value (the
  well-formed full name over a surname) and then by the smaller one, so no load order shows;
- aliases are the union of every alias any document contributed, and the curated ones.

Counts commute, so loading A then B equals loading B then A; deleting a document subtracts
exactly what it added, so a delete leaves what a clean load of the rest would hold.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kb.model import SHARED_FIELDS, Label

Counts = dict[str, dict[str, int]]
"""field -> encoded value -> number of documents that contributed it."""

DOCS = "#docs"
"""The key of `support` counting the documents that contributed at all."""


def encode(value: Any) -> str:
    """A contributed value as a canonical JSON string (dates as ISO strings)."""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    if isinstance(value, tuple):
        value = [v.isoformat() if hasattr(v, "isoformat") else v for v in value]
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(slots=True)
class Contribution:
    """What one document says about one shared node: a value per field, and aliases."""

    label: Label
    values: dict[str, str] = field(default_factory=dict)
    """field (or group of fields, see `SHARED_FIELDS`) -> encoded value."""
    aliases: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label.value, "values": self.values,
                "aliases": sorted(self.aliases)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Contribution:
        return cls(Label(data["label"]), dict(data["values"]), set(data["aliases"]))


def contribution(label: Label, props: Mapping[str, Any]) -> Contribution:
    """The contribution of a node's properties as one document extracted them."""
    c = Contribution(label)
    for group in SHARED_FIELDS[label]:
        values = tuple(props.get(f) for f in group)
        if all(v is None for v in values):
            continue
        c.values["+".join(group)] = encode(values if len(group) > 1 else values[0])
    c.aliases = {a for a in props.get("aliases") or () if a}
    return c


def apply(support: Counts, contrib: Contribution, sign: int) -> None:
    """Add (sign 1) or remove (sign -1) one document's contribution to a node's counts."""
    def bump(key: str, value: str) -> None:
        bucket = support.setdefault(key, {})
        n = bucket.get(value, 0) + sign
        if n > 0:
            bucket[value] = n
        else:
            bucket.pop(value, None)
        if not bucket:
            support.pop(key, None)

    bump(DOCS, "n")
    for key, value in contrib.values.items():
        bump(key, value)
    for alias in contrib.aliases:
        bump("aliases", alias)


def _best(bucket: Mapping[str, int]) -> str | None:
    if not bucket:
        return None
    return min(bucket, key=lambda v: (-bucket[v], -len(v), v))


def derive(label: Label, support: Counts, entry: Mapping[str, Any] | None) -> dict[str, Any]:
    """The visible properties of a shared node from its support and its curated entry."""
    props: dict[str, Any] = {}
    for group in SHARED_FIELDS[label]:
        key = "+".join(group)
        chosen = _best(support.get(key, {}))
        if chosen is None:
            values: list[Any] = [None] * len(group)
        else:
            decoded = json.loads(chosen)
            values = decoded if len(group) > 1 else [decoded]
        for f, v in zip(group, values, strict=True):
            props[f] = v
    aliases = set(support.get("aliases", {}))
    if entry:
        props.update({k: v for k, v in entry.items() if k != "aliases" and v is not None})
        aliases |= set(entry.get("aliases") or ())
    aliases.discard(props.get("name") or "")
    ordered = sorted(aliases, key=lambda a: (a.casefold(), a))
    props["aliases"] = ordered
    props["aliases_text"] = " | ".join(ordered)
    return props


@cache
def _curated_table() -> dict[str, dict[str, Any]]:
    from loaders.ontology import load_ontology

    onto = load_ontology()
    table: dict[str, dict[str, Any]] = {}
    for key, c in onto.concepts.items():
        table[f"concept:{key}"] = {"name": c.name, "definition": c.definition,
                                   "aliases": list(c.aliases), "curated": True}
    for key, p in onto.precedents.items():
        table[f"precedent:{key}"] = {"name": p.name, "summary": p.summary,
                                     "date": p.date.isoformat() if p.date else None,
                                     "aliases": list(p.aliases), "curated": True}
    for actor_id, a in onto.actors.items():
        table[actor_id] = {"name": a.name, "type": a.type.value, "aliases": list(a.aliases)}
    return table


def curated(label: Label, node_id: str) -> dict[str, Any] | None:
    """The thesaurus's entry for a shared node, as properties, or None. Concepts and
    precedents are in the store whether or not a document mentions them (`kb.ontology_sync`),
    so they carry `curated: true`, which keeps them when their last document goes."""
    if label not in (Label.CONCEPT, Label.PRECEDENT, Label.ACTOR):
        return None
    return _curated_table().get(node_id)


def load_support(text: str | None) -> Counts:
    return json.loads(text) if text else {}


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dump_contributions(contribs: Mapping[str, Contribution]) -> str:
    return dump({node_id: c.to_json() for node_id, c in sorted(contribs.items())})


def load_contributions(text: str | None) -> dict[str, Contribution]:
    return {k: Contribution.from_json(v) for k, v in (json.loads(text) if text else {}).items()}


