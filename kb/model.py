"""The domain model: what the loaders extract and the store keeps.

The labels and relationship types below are the allow-lists for every place where a label or a
type is spliced into Cypher text; anything else that varies goes in as a parameter.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Label(StrEnum):
    DOCUMENT = "Document"
    PASSAGE = "Passage"
    ACTOR = "Actor"
    CONCEPT = "Concept"
    PRECEDENT = "Precedent"
    EVENT = "Event"
    CLAIM = "Claim"
    OUTLET = "Outlet"


class RelType(StrEnum):
    HAS_PASSAGE = "HAS_PASSAGE"
    MENTIONED_IN = "MENTIONED_IN"
    ASSERTS = "ASSERTS"
    EVIDENCED_BY = "EVIDENCED_BY"
    INVOKES = "INVOKES"
    CITES_PRECEDENT = "CITES_PRECEDENT"
    SUPPORTS = "SUPPORTS"
    ATTACKS = "ATTACKS"
    ABOUT = "ABOUT"
    PARTICIPATED_IN = "PARTICIPATED_IN"
    RELATED_TO = "RELATED_TO"
    PUBLISHED_BY = "PUBLISHED_BY"
    CITES_SOURCE = "CITES_SOURCE"
    MEMBER_OF = "MEMBER_OF"
    LEADS = "LEADS"


class ActorType(StrEnum):
    PERSON = "Person"
    ORGANISATION = "Organisation"
    STATE = "State"
    GROUP = "Group"


class Stance(StrEnum):
    """Stance of a claim toward the lawfulness or justification of the action discussed."""

    SUPPORTS = "supports"
    ATTACKS = "attacks"
    NEUTRAL = "neutral"


class Treatment(StrEnum):
    """How a claim uses a precedent."""

    ANALOGIZES = "analogizes"
    DISTINGUISHES = "distinguishes"
    MENTIONS = "mentions"


class DocFormat(StrEnum):
    PLAIN = "plain"
    MARKDOWN = "markdown"
    WEB = "web"


def slugify(text: str) -> str:
    """A readable, stable slug: ASCII, lower case, hyphens. Ids of entities are built from it."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def content_id(prefix: str, *parts: object) -> str:
    """An id from a content hash, for passages and claims: same content, same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]
    return f"{prefix}:{digest}"


def entity_id(label: Label, name: str) -> str:
    return f"{label.value.lower()}:{slugify(name)}"


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink found in the source (Markdown link or bare URL), with offsets of its text."""

    text: str
    url: str
    start: int
    end: int


@dataclass(slots=True)
class DocumentMeta:
    id: str
    title: str | None
    format: DocFormat
    sha256: str
    source: str
    """Where the document was read from (file name); for provenance, never for format detection."""
    publisher: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of a document. `text == raw[start:end]` of the original file text."""

    id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(slots=True)
class ReadDocument:
    """What a reader produces: the original text, the body it kept, metadata and links.

    `body` holds the spans of `raw` that are article text (boilerplate removed); passages are
    sentences inside those spans. All offsets index into `raw`, the decoded original file.
    """

    raw: str
    meta: DocumentMeta
    body: list[tuple[int, int]]
    passages: list[Passage] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    type: ActorType
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Concept:
    id: str
    name: str
    definition: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Precedent:
    id: str
    name: str
    date: date | None = None
    summary: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    id: str
    name: str
    date: date | None = None
    date_text: str | None = None
    """The words the date was resolved from ("December 27", "last summer")."""
    date_precision: str = "day"
    """How much of `date` the text states: "day", "week" (date is its Monday), "month",
    "season" (date is its first day), "year", or "none" (see loaders.extract.dates.PRECISIONS)."""


@dataclass(slots=True)
class Outlet:
    id: str
    name: str
    domain: str | None = None


@dataclass(slots=True)
class Evidence:
    """A W3C Web Annotation style text anchor: exact quote, a little context, and offsets."""

    passage_id: str
    quote: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""


@dataclass(slots=True)
class Claim:
    """A locution: these words, said by this speaker, reported in this document."""

    id: str
    doc_id: str
    text: str
    speaker_id: str | None
    stance: Stance
    evidence: Evidence
    modality: str = "asserted"
    concept_ids: list[str] = field(default_factory=list)
    precedent_ids: list[tuple[str, Treatment]] = field(default_factory=list)
    about_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    """An entity (actor, concept, precedent, event) mentioned at these offsets of a passage."""

    entity_id: str
    label: Label
    passage_id: str
    start: int
    end: int


@dataclass(slots=True)
class Relation:
    """An extracted edge between two nodes, with the passage it came from (provenance)."""

    type: RelType
    source_id: str
    source_label: Label
    target_id: str
    target_label: Label
    passage_id: str | None = None
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Extraction:
    """Everything one document contributes to the graph."""

    document: DocumentMeta
    passages: list[Passage]
    actors: list[Actor] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    precedents: list[Precedent] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    outlets: list[Outlet] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


_L = Label
EDGE_ENDPOINTS: dict[RelType, tuple[tuple[Label, Label], ...]] = {
    RelType.HAS_PASSAGE: ((_L.DOCUMENT, _L.PASSAGE),),
    RelType.MENTIONED_IN: tuple(
        (lbl, _L.PASSAGE)
        for lbl in (_L.ACTOR, _L.CONCEPT, _L.PRECEDENT, _L.EVENT, _L.OUTLET)
    ),
    RelType.ASSERTS: ((_L.ACTOR, _L.CLAIM), (_L.OUTLET, _L.CLAIM)),
    RelType.EVIDENCED_BY: ((_L.CLAIM, _L.PASSAGE),),
    RelType.INVOKES: ((_L.CLAIM, _L.CONCEPT),),
    RelType.CITES_PRECEDENT: ((_L.CLAIM, _L.PRECEDENT),),
    RelType.SUPPORTS: ((_L.CLAIM, _L.CLAIM),),
    RelType.ATTACKS: ((_L.CLAIM, _L.CLAIM),),
    RelType.ABOUT: ((_L.CLAIM, _L.EVENT), (_L.CLAIM, _L.ACTOR)),
    RelType.PARTICIPATED_IN: ((_L.ACTOR, _L.EVENT),),
    RelType.RELATED_TO: (
        (_L.CONCEPT, _L.CONCEPT), (_L.PRECEDENT, _L.PRECEDENT), (_L.PRECEDENT, _L.CONCEPT),
    ),
    RelType.PUBLISHED_BY: ((_L.DOCUMENT, _L.OUTLET),),
    RelType.CITES_SOURCE: ((_L.DOCUMENT, _L.OUTLET),),
    RelType.MEMBER_OF: ((_L.ACTOR, _L.ACTOR),),
    RelType.LEADS: ((_L.ACTOR, _L.ACTOR),),
}
"""Which labels each relationship type connects: the allow-list for write statements."""

_R = RelType
_CITED = ("doc", "passage")
EDGE_FIELDS: dict[RelType, tuple[str, ...]] = {
    _R.HAS_PASSAGE: ("index",),
    _R.MENTIONED_IN: ("doc", "start", "end"),
    _R.ASSERTS: ("doc",),
    _R.EVIDENCED_BY: ("doc", "start", "end", "quote", "prefix", "suffix"),
    _R.INVOKES: (*_CITED, "stance"),
    _R.CITES_PRECEDENT: (*_CITED, "treatment"),
    _R.SUPPORTS: _CITED,
    _R.ATTACKS: _CITED,
    _R.ABOUT: _CITED,
    _R.PARTICIPATED_IN: (*_CITED, "role"),
    _R.RELATED_TO: (*_CITED, "kind", "curated"),
    _R.PUBLISHED_BY: (*_CITED, "passages", "republished"),
    _R.CITES_SOURCE: (*_CITED, "passages", "via", "url", "urls", "mention", "mentions"),
    _R.MEMBER_OF: _CITED,
    _R.LEADS: _CITED,
}
"""The properties each relationship type can carry besides its `key` (`doc` and `passage`: the
document and passage it was read from). The writer refuses any other (`kb.writer.GraphRows`), so
that a new document's edges are created whole, with every property in the CREATE pattern
(`kb.cypher.write.create_edges`)."""

ID_PREFIX_LABEL: dict[str, Label] = {lbl.value.lower(): lbl for lbl in Label}
"""Every id starts with its label (`actor:...`, `passage:...`), so a label is known from an id."""


def label_of(node_id: str) -> Label | None:
    """The label an id belongs to, or None for an id that no node of the model can have."""
    prefix, sep, rest = node_id.partition(":")
    return ID_PREFIX_LABEL.get(prefix) if sep and rest else None


FULLTEXT_FIELDS: dict[Label, tuple[str, ...]] = {
    Label.DOCUMENT: ("title", "author", "publisher"),
    Label.PASSAGE: ("text",),
    Label.ACTOR: ("name", "aliases_text"),
    Label.CONCEPT: ("name", "aliases_text", "definition"),
    Label.PRECEDENT: ("name", "aliases_text", "summary"),
    Label.EVENT: ("name",),
    Label.CLAIM: ("text",),
    Label.OUTLET: ("name",),
}
"""Properties the full-text index covers, per label."""

_SHOWN: dict[Label, tuple[str, ...]] = {
    Label.DOCUMENT: ("title", "format", "publisher", "author", "url", "published", "sha256",
                     "source", "description"),
    Label.PASSAGE: ("text", "start", "end", "index", "doc"),
    Label.ACTOR: ("name", "type", "aliases"),
    Label.CONCEPT: ("name", "definition", "aliases", "curated"),
    Label.PRECEDENT: ("name", "date", "summary", "aliases"),
    Label.EVENT: ("name", "date", "date_text", "date_precision"),
    Label.CLAIM: ("text", "stance", "modality", "speaker", "doc", "passage", "quote", "start",
                  "end", "prefix", "suffix"),
    Label.OUTLET: ("name", "domain"),
}

API_FIELDS: dict[Label, tuple[str, ...]] = {
    lbl: tuple(dict.fromkeys(("id", *_SHOWN[lbl], *FULLTEXT_FIELDS[lbl]))) for lbl in Label}
"""The node properties the API reads, per label: what its GraphQL types show (a claim's
speaker, document and passage ids included) and the full-text fields a phrase search checks
again. The API's node statements project these rather than `properties(n)`: a stored node also
holds what ingestion keeps for itself (a document's per-extractor contributions, 12 KB on the
10k graph; an entity's support list, up to 4 KB per event), which `properties(n)` sent, and the
API decoded, on every read of the node, to show none of it."""

OWN_FIELDS: dict[Label, tuple[str, ...]] = {
    lbl: (*(f for f in API_FIELDS[lbl] if f != "id"),
          *(("contributions",) if lbl is Label.DOCUMENT else ()))
    for lbl in (Label.DOCUMENT, Label.PASSAGE, Label.CLAIM)}
"""Every property a document's own nodes (document, passages, claims) are written with: what
the API reads, and the document's record of what it contributed to shared nodes (`kb.support`).
A new document's nodes are created with these in the CREATE pattern itself
(`kb.cypher.write.create_nodes`)."""

DATE_FIELDS: dict[Label, tuple[str, ...]] = {
    Label.DOCUMENT: ("published",),
    Label.PRECEDENT: ("date",),
    Label.EVENT: ("date",),
}
"""Properties stored as temporal dates (sent as ISO strings, converted inside the statement)."""

SHARED_FIELDS: dict[Label, tuple[tuple[str, ...], ...]] = {
    Label.ACTOR: (("name",), ("type",)),
    Label.CONCEPT: (("name",), ("definition",)),
    Label.PRECEDENT: (("name",), ("summary",), ("date",)),
    Label.EVENT: (("name",), ("date", "date_text", "date_precision")),
    Label.OUTLET: (("name",), ("domain",)),
}
"""Nodes shared by documents, and the properties each document contributes a value for (a group
of fields is chosen together: an event's date with the text and precision it was read from).
Their visible values are derived from every supporting document (`kb.support`); aliases, where
a label has them, are the union of all."""

DOC_EDGES: tuple[RelType, ...] = tuple(
    rel for rel, pairs in EDGE_ENDPOINTS.items()
    if all(src in SHARED_FIELDS and dst in SHARED_FIELDS for src, dst in pairs))
"""Edges between shared nodes (a role in an event, a membership, a relation of concepts): no
document-owned node holds them, so each carries the `doc` it came from, is indexed on it, and a
changed or deleted document removes its own by that property. Every other extracted edge touches
a passage, a claim or the document, and goes with them."""
