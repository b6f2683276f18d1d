"""Extraction: one ReadDocument in, everything it contributes to the graph out.

``extract`` runs every extractor in dependency order (actors first: the others resolve speakers,
participants and dates through them) and turns their results into model nodes, mentions and
relations with passage provenance. ``extraction_to_json`` is the fixed JSON shape quality is
measured with from outside.
"""

from __future__ import annotations

from typing import Any

from kb.model import (
    Actor,
    ActorType,
    Concept,
    Extraction,
    Label,
    Mention,
    Outlet,
    ReadDocument,
    Relation,
    RelType,
)
from loaders.extract.actors import ActorResult, extract_actors
from loaders.extract.affiliations import extract_affiliations
from loaders.extract.claims import extract_claims
from loaders.extract.concepts import ConceptMention, extract_concepts
from loaders.extract.context import build_context
from loaders.extract.dates import format_date
from loaders.extract.events import extract_events, reference_date
from loaders.extract.precedents import extract_precedents
from loaders.ontology import Ontology, load_ontology

try:
    from loaders.outlets import extract_outlets as _extract_outlets
except ImportError:  # pragma: no cover - the outlets module is optional for extraction
    _extract_outlets = None

__all__ = ["extract", "extraction_to_json"]

"""Event id -> date precision ("day" / "month" / "year"), for printing dates as the text gave them.
(kb.model.Event has no precision field; this keeps the model unchanged.)"""


def _outlets(doc: ReadDocument) -> tuple[list[Outlet], list[Relation]]:
    if _extract_outlets is None:
        return [], []
    return _extract_outlets(doc)


def _drop_actors_inside(
    actors: ActorResult, concepts: list[ConceptMention], doc: ReadDocument
) -> None:
    """A name inside a concept ("UN" in "UN Charter") is part of the concept, not an actor."""
    spans = sorted((c.start, c.end) for c in concepts)
    if not spans:
        return
    keep = [
        m
        for m in actors.mentions
        if not any(s <= m.start and m.end <= e and (m.start, m.end) != (s, e) for s, e in spans)
    ]
    if len(keep) == len(actors.mentions):
        return
    actors.mentions[:] = keep
    alive = {m.actor_id for m in keep}
    author = doc.meta.author or ""
    for aid in list(actors.actors):
        if aid not in alive and actors.actors[aid].name != author:
            del actors.actors[aid]
            actors.counts.pop(aid, None)


def extract(doc: ReadDocument, onto: Ontology | None = None) -> Extraction:
    """Run every extractor on a document and assemble the Extraction."""
    onto = onto or load_ontology()
    ctx = build_context(doc, onto)
    outlets, outlet_rels = _outlets(doc)
    actors = extract_actors(ctx)
    concepts = extract_concepts(ctx)
    precedents = extract_precedents(ctx)
    _drop_actors_inside(actors, concepts, doc)
    ctx.reference, ctx.reference_source = reference_date(ctx, actors)
    events = extract_events(ctx, actors, precedents)
    claims = extract_claims(ctx, actors, concepts, precedents, {o.name for o in outlets})
    for aid, (name, kind) in claims.new_actors.items():
        if aid not in actors.actors:
            actors.actors[aid] = Actor(aid, name, ActorType(kind), [])

    ex = Extraction(document=doc.meta, passages=list(doc.passages))
    ex.actors = list(actors.actors.values())
    cids = sorted({m.concept_id for m in concepts})
    for cid in cids:
        entry = onto.concepts[cid.removeprefix("concept:")]
        ex.concepts.append(Concept(cid, entry.name, entry.definition, list(entry.aliases)))
    ex.precedents = list(precedents.precedents.values())
    ex.events = events.events
    for event in ex.events:
        event.date_precision = events.precision.get(event.id, "day")
    ex.claims = claims.claims
    known_outlets = {o.id for o in outlets}
    for cid, label in claims.speaker_labels.items():
        if label == Label.OUTLET:
            claim = next(c for c in claims.claims if c.id == cid)
            if claim.speaker_id and claim.speaker_id not in known_outlets:
                outlets.append(Outlet(claim.speaker_id, claims.speakers[cid]))
                known_outlets.add(claim.speaker_id)
    ex.outlets = outlets

    # A claim is about the events its sentence names (and the actors its words name, found by
    # the claim extractor).
    events_in: dict[str, set[str]] = {}
    for eid, pid, _s, _e in events.mentions:
        events_in.setdefault(pid, set()).add(eid)
    for claim in ex.claims:
        named = events_in.get(claim.evidence.passage_id, set())
        claim.about_ids = sorted(set(claim.about_ids) | named)

    m = ex.mentions
    for am in actors.mentions:
        m.append(Mention(am.actor_id, Label.ACTOR, am.passage_id, am.start, am.end))
    for cm in concepts:
        m.append(Mention(cm.concept_id, Label.CONCEPT, cm.passage_id, cm.start, cm.end))
    for pm in precedents.mentions:
        m.append(Mention(pm.precedent_id, Label.PRECEDENT, pm.passage_id, pm.start, pm.end))
    for eid, pid, s, e in events.mentions:
        m.append(Mention(eid, Label.EVENT, pid, s, e))

    # Mentions and claims (with their speakers, evidence, concepts, precedents and what they
    # are about) become edges in one place, kb.writer; relations here are only the facts that
    # have no other home in the extraction.
    r = ex.relations
    r.extend(outlet_rels)
    r.extend(extract_affiliations(ex.passages, actors))
    claim_pid = {c.id: c.evidence.passage_id for c in claims.claims}
    for kind, src, dst in claims.relations:
        r.append(Relation(RelType(kind), src, Label.CLAIM, dst, Label.CLAIM, claim_pid[src]))
    for aid, eid, role, pid in events.participants:
        r.append(
            Relation(
                RelType.PARTICIPATED_IN, aid, Label.ACTOR, eid, Label.EVENT, pid, {"role": role}
            )
        )
    present = set(cids)
    for cid in cids:
        for to, kind in onto.concepts[cid.removeprefix("concept:")].related:
            if f"concept:{to}" in present:
                r.append(
                    Relation(
                        RelType.RELATED_TO,
                        cid,
                        Label.CONCEPT,
                        f"concept:{to}",
                        Label.CONCEPT,
                        None,
                        {"kind": kind},
                    )
                )
    return ex


def extraction_to_json(ex: Extraction) -> dict[str, Any]:
    """The fixed JSON shape used to measure extraction quality from outside."""
    meta = ex.document
    actor_name = {a.id: a.name for a in ex.actors}
    outlet_name = {o.id: o.name for o in ex.outlets}
    concept_name = {c.id: c.name for c in ex.concepts}
    precedent_name = {p.id: p.name for p in ex.precedents}
    treatments: dict[str, str] = {}
    for c in ex.claims:
        for pid, t in c.precedent_ids:
            treatments.setdefault(pid, t.value)
    participants: dict[str, list[dict[str, str]]] = {}
    for rel in ex.relations:
        if rel.type == RelType.PARTICIPATED_IN:
            participants.setdefault(rel.target_id, []).append(
                {
                    "name": actor_name.get(rel.source_id, rel.source_id),
                    "role": rel.props.get("role", ""),
                }
            )

    def speaker(c: Any) -> str:
        if c.speaker_id is None:
            return "the author"
        return actor_name.get(c.speaker_id) or outlet_name.get(c.speaker_id) or c.speaker_id

    return {
        "document": {
            "id": meta.id,
            "title": meta.title,
            "format": meta.format.value if meta.format else None,
            "publisher": meta.publisher,
            "author": meta.author,
            "published": meta.published.isoformat() if meta.published else None,
            "url": meta.url,
            "sha256": meta.sha256,
            "source": meta.source,
        },
        "passages": len(ex.passages),
        "actors": [
            {"name": a.name, "type": a.type.value, "aliases": list(a.aliases)} for a in ex.actors
        ],
        "concepts": [{"id": c.id, "name": c.name} for c in ex.concepts],
        "precedents": [
            {"id": p.id, "name": p.name, "treatment": treatments.get(p.id, "mentions")}
            for p in ex.precedents
        ],
        "events": [
            {
                "name": e.name,
                "date": format_date(e.date, e.date_precision),
                "participants": participants.get(e.id, []),
            }
            for e in ex.events
        ],
        "claims": [
            {
                "speaker": speaker(c),
                "text": c.text,
                "stance": c.stance.value,
                "concepts": [concept_name.get(x, x) for x in c.concept_ids],
                "precedents": [precedent_name.get(x, x) for x, _ in c.precedent_ids],
                "evidence": {
                    "start": c.evidence.start,
                    "end": c.evidence.end,
                    "quote": c.evidence.quote,
                },
            }
            for c in ex.claims
        ],
        "outlets": [o.name for o in ex.outlets],
    }
