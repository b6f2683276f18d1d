"""Extraction: one ReadDocument in, everything it contributes to the graph out.

``extract`` runs the typed stages of ``loaders.extract.pipeline`` (segment, outlets, mentions,
resolution, reference date, events, claims, relations, result) over one document state.
``extraction_to_json`` is the fixed JSON shape quality is measured with from outside.
"""

from __future__ import annotations

from typing import Any

from kb.model import Extraction, ReadDocument, RelType
from loaders.extract.dates import format_date
from loaders.extract.pipeline import run
from loaders.ontology import Ontology, load_ontology

__all__ = ["extract", "extraction_to_json", "republishing_sites"]


def extract(doc: ReadDocument, onto: Ontology | None = None) -> Extraction:
    """Run every stage on a document and return the Extraction the last one assembled."""
    state = run(doc, onto or load_ontology())
    assert state.extraction is not None  # the result stage always adds it
    return state.extraction


def republishing_sites(ex: Extraction) -> set[str]:
    """Ids of the outlets known only as the site that republished the piece (its logo or
    company line): they published the page, as the publisher did the piece, but the text does
    not name them as a source, so they are document provenance rather than outlets it cites."""
    cited = {r.target_id for r in ex.relations if r.type == RelType.CITES_SOURCE}
    return {
        r.target_id
        for r in ex.relations
        if r.type == RelType.PUBLISHED_BY and r.props.get("republished")
    } - cited


def extraction_to_json(ex: Extraction) -> dict[str, Any]:
    """The fixed JSON shape used to measure extraction quality from outside.

    ``outlets`` are the publisher and the outlets the text cites; the site that republished
    the piece is ``document.republished_by``.
    """
    meta = ex.document
    sites = republishing_sites(ex)
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
            "republished_by": [o.name for o in ex.outlets if o.id in sites],
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
        "outlets": [o.name for o in ex.outlets if o.id not in sites],
    }
