"""Extraction as a pipeline of typed stages over one document state.

Each stage declares the fields of ``DocState`` it reads and the ones it adds, and adds nothing
else: ``run`` checks, after every stage, that the fields it declared are set and that no field
it did not declare was replaced. A stage never edits another stage's result; where a later
stage refines an earlier one (resolution drops the actor mentions that are part of a concept's
name, "UN" in "UN Charter"), it adds a new field instead. Only the last stage, ``result``,
assembles the ``Extraction`` that ``kb.writer`` turns into the graph.

    segment     -> context                  (passages, masks, flags, reference slots)
    outlets     -> outlets, outlet_relations
    mentions    -> found_actors, concepts, precedents
    resolution  -> actors                   (found_actors without those inside concepts)
    reference   -> reference                (the date relative expressions resolve against)
    events      -> events
    claims      -> claims                   (attribution, stance, argument relations)
    relations   -> affiliations
    result      -> extraction
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
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
from loaders.extract.claims import ClaimResult, extract_claims
from loaders.extract.collectives import add_collectives
from loaders.extract.concepts import ConceptMention, extract_concepts
from loaders.extract.context import DocContext, build_context
from loaders.extract.events import EventResult, extract_events, reference_date
from loaders.extract.precedents import PrecedentResult, extract_precedents
from loaders.ontology import Ontology
from loaders.outlets import extract_outlets


@dataclass(slots=True)
class DocState:
    """Everything known about one document so far; each field is owned by one stage."""

    doc: ReadDocument
    onto: Ontology
    context: DocContext | None = None
    outlets: list[Outlet] | None = None
    outlet_relations: list[Relation] | None = None
    found_actors: ActorResult | None = None
    concepts: list[ConceptMention] | None = None
    precedents: PrecedentResult | None = None
    actors: ActorResult | None = None
    reference: tuple[date | None, str] | None = None
    events: EventResult | None = None
    claims: ClaimResult | None = None
    affiliations: list[Relation] | None = None
    extraction: Extraction | None = None
    trace: list[str] = field(default_factory=list)
    """Names of the stages run, in order."""


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    reads: tuple[str, ...]
    adds: tuple[str, ...]
    run: Callable[[DocState], dict[str, Any]]
    """Returns the values of the fields it adds (and nothing else)."""


class StageError(RuntimeError):
    """A stage broke the pipeline's contract (a programming error, never bad input)."""


def _need(state: DocState, name: str) -> Any:
    value = getattr(state, name)
    if value is None:
        raise StageError(f"{name} is not set yet")
    return value


def _segment(s: DocState) -> dict[str, Any]:
    return {"context": build_context(s.doc, s.onto)}


def _outlets(s: DocState) -> dict[str, Any]:
    outlets, relations = extract_outlets(s.doc)
    return {"outlets": outlets, "outlet_relations": relations}


def _mentions(s: DocState) -> dict[str, Any]:
    ctx = _need(s, "context")
    actors = extract_actors(ctx)
    add_collectives(ctx, actors)
    return {
        "found_actors": actors,
        "concepts": extract_concepts(ctx),
        "precedents": extract_precedents(ctx),
    }


def _resolution(s: DocState) -> dict[str, Any]:
    """A name inside a concept's name ("UN" in "UN Charter") is part of it, not an actor."""
    found: ActorResult = _need(s, "found_actors")
    concepts: list[ConceptMention] = _need(s, "concepts")
    spans = sorted((c.start, c.end) for c in concepts)
    keep = [
        m
        for m in found.mentions
        if not any(a <= m.start and m.end <= b and (m.start, m.end) != (a, b) for a, b in spans)
    ]
    alive = {m.actor_id for m in keep}
    author = s.doc.meta.author or ""
    actors = {
        aid: actor
        for aid, actor in found.actors.items()
        if aid in alive or actor.name == author or len(keep) == len(found.mentions)
    }
    resolved = ActorResult(
        actors=actors,
        mentions=keep,
        outlet_spans=list(found.outlet_spans),
        president_id=found.president_id,
    )
    resolved.counts.update({k: v for k, v in found.counts.items() if k in actors})
    return {"actors": resolved}


def _reference(s: DocState) -> dict[str, Any]:
    ctx: DocContext = _need(s, "context")
    ref = reference_date(ctx, _need(s, "actors"))
    # DocContext keeps the reference in its slot, where the date readers look for it
    ctx.reference, ctx.reference_source = ref
    return {"reference": ref}


def _events(s: DocState) -> dict[str, Any]:
    return {
        "events": extract_events(_need(s, "context"), _need(s, "actors"), _need(s, "precedents"))
    }


def _claims(s: DocState) -> dict[str, Any]:
    names = {o.name for o in _need(s, "outlets")}
    claims = extract_claims(
        _need(s, "context"), _need(s, "actors"), _need(s, "concepts"), _need(s, "precedents"), names
    )
    return {"claims": claims}


def _relations(s: DocState) -> dict[str, Any]:
    return {"affiliations": extract_affiliations(list(s.doc.passages), _need(s, "actors"))}


def _result(s: DocState) -> dict[str, Any]:
    return {"extraction": assemble(s)}


PIPELINE: tuple[Stage, ...] = (
    Stage("segment", ("doc", "onto"), ("context",), _segment),
    Stage("outlets", ("doc",), ("outlets", "outlet_relations"), _outlets),
    Stage("mentions", ("context",), ("found_actors", "concepts", "precedents"), _mentions),
    Stage("resolution", ("found_actors", "concepts"), ("actors",), _resolution),
    Stage("reference", ("context", "actors"), ("reference",), _reference),
    Stage("events", ("context", "actors", "precedents", "reference"), ("events",), _events),
    Stage(
        "claims",
        ("context", "actors", "concepts", "precedents", "outlets"),
        ("claims",),
        _claims,
    ),
    Stage("relations", ("actors",), ("affiliations",), _relations),
    Stage(
        "result",
        (
            "outlets",
            "outlet_relations",
            "actors",
            "concepts",
            "precedents",
            "events",
            "claims",
            "affiliations",
        ),
        ("extraction",),
        _result,
    ),
)

_FIELDS = {f.name for f in fields(DocState)} - {"trace"}


def run(doc: ReadDocument, onto: Ontology, stages: tuple[Stage, ...] = PIPELINE) -> DocState:
    """Run the stages in order, holding each to what it declares."""
    state = DocState(doc, onto)
    for stage in stages:
        for name in stage.reads:
            if getattr(state, name) is None:
                raise StageError(f"stage {stage.name} reads {name}, which no earlier stage added")
        before = {name: getattr(state, name) for name in _FIELDS}
        added = stage.run(state)
        if set(added) != set(stage.adds):
            raise StageError(f"stage {stage.name} added {sorted(added)}, not {list(stage.adds)}")
        for name in _FIELDS - set(stage.adds):
            if getattr(state, name) is not before[name]:
                raise StageError(f"stage {stage.name} replaced {name}, which it does not own")
        for name, value in added.items():
            setattr(state, name, value)
        state.trace.append(stage.name)
    return state


def assemble(s: DocState) -> Extraction:
    """The one place the stages' results become the document's nodes, mentions and relations.

    Mentions and claims (with their speakers, evidence, concepts, precedents and what they are
    about) become edges in ``kb.writer``; the relations here are only the facts that have no
    other home in the extraction.
    """
    onto = s.onto
    actors: ActorResult = _need(s, "actors")
    concepts: list[ConceptMention] = _need(s, "concepts")
    precedents: PrecedentResult = _need(s, "precedents")
    events: EventResult = _need(s, "events")
    claims: ClaimResult = _need(s, "claims")
    outlets = list(_need(s, "outlets"))

    ex = Extraction(document=s.doc.meta, passages=list(s.doc.passages))
    ex.actors = list(actors.actors.values())
    known = set(actors.actors)
    for aid, (name, kind) in claims.new_actors.items():
        if aid not in known:
            ex.actors.append(Actor(aid, name, ActorType(kind), []))
            known.add(aid)
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
    by_id = {c.id: c for c in claims.claims}
    for cid, label in claims.speaker_labels.items():
        claim = by_id.get(cid)
        sid = claim.speaker_id if claim else None
        if label == Label.OUTLET and sid and sid not in known_outlets:
            outlets.append(Outlet(sid, claims.speakers[cid]))
            known_outlets.add(sid)
    ex.outlets = outlets

    # a claim is about the events its sentence names (and the actors its words name)
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
    for eid, pid, st, en in events.mentions:
        m.append(Mention(eid, Label.EVENT, pid, st, en))

    r = ex.relations
    r.extend(_need(s, "outlet_relations"))
    r.extend(_need(s, "affiliations"))
    for kind, src, dst in claims.relations:
        pid = by_id[src].evidence.passage_id
        r.append(Relation(RelType(kind), src, Label.CLAIM, dst, Label.CLAIM, pid))
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
