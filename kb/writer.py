"""Turn extractions into transactions of batched statements.

A document the store already holds is replaced in one transaction: it first removes what the
earlier version contributed (its passages, claims and the edges whose provenance is this
document), then MERGEs the new nodes and edges on their stable ids and keys, and finally removes
entities that no document supports any more. Loading the same extraction twice therefore changes
nothing.

Documents the store has never seen (the common case of a bulk load) skip all of that: nothing of
theirs exists, so their own nodes (document, passages, claims) and every edge are CREATEd, only
the shared entities (actors, concepts, ...) are MERGEd, and several documents go in one
transaction (`write_new_documents`), with the same result as writing them one after the other.

The properties of shared entities are never one document's word: each write reads their support
counts, adds what the new version of a document contributes and subtracts what its old version
did, and writes the properties derived from all of it (`kb.support`), so neither load order nor
a delete can rename a node or wipe its aliases.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kb import support as sp
from kb.cypher import write as wq
from kb.model import (
    DATE_FIELDS,
    DOC_EDGES,
    EDGE_ENDPOINTS,
    EDGE_FIELDS,
    OWN_FIELDS,
    SHARED_FIELDS,
    Extraction,
    Label,
    Relation,
    RelType,
    Stance,
    content_id,
    label_of,
)
from kb.store.base import GraphStore, Statement

OWN_SET = {label: frozenset(fields) for label, fields in OWN_FIELDS.items()}
"""The properties a new document's own nodes can be created with (see `wq.create_nodes`)."""

EDGE_SET = {rel: frozenset(fields) for rel, fields in EDGE_FIELDS.items()}
"""The properties each relationship type can carry (see `wq.create_edges`)."""

_INVOKES_STANCE = {Stance.SUPPORTS: "supports", Stance.ATTACKS: "disputes",
                   Stance.NEUTRAL: "neutral"}


class GraphRows:
    """Node and edge rows grouped by label and by (type, source label, target label)."""

    def __init__(self) -> None:
        self.nodes: dict[Label, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.edges: dict[tuple[RelType, Label, Label], dict[str, dict[str, Any]]] = (
            defaultdict(dict))

    def add(self, other: GraphRows) -> None:
        """Append the rows of a later document: the result writes what writing this document
        and then `other` would (`SET n += props` keeps earlier properties that `other` lacks,
        while its date fields are always set, to null as well)."""
        for label, rows in other.nodes.items():
            mine = self.nodes[label]
            for node_id, row in rows.items():
                have = mine.get(node_id)
                if have is None:
                    mine[node_id] = {**row, "props": dict(row["props"])}
                else:
                    have["props"].update(row["props"])
                    have.update({k: v for k, v in row.items() if k not in ("id", "props")})
        for key, rows in other.edges.items():
            self.edges[key].update(rows)

    def node(self, label: Label, node_id: str, **props: Any) -> None:
        dates = {f: props.pop(f, None) for f in DATE_FIELDS.get(label, ())}
        row = self.nodes[label].setdefault(node_id, {"id": node_id, "props": {}})
        row["props"].update({k: v for k, v in props.items() if v is not None})
        for field, value in dates.items():
            if value is not None or field not in row:
                row[field] = value

    def edge(self, rel: RelType, src: Label, source: str, dst: Label, target: str,
             **props: Any) -> None:
        if (src, dst) not in EDGE_ENDPOINTS[rel]:
            raise ValueError(f"{rel.value} cannot connect {src.value} to {dst.value}")
        clean = {k: v for k, v in props.items() if v is not None}
        if not clean.keys() <= EDGE_SET[rel]:
            raise ValueError(f"{rel.value} has no properties "
                             f"{sorted(clean.keys() - EDGE_SET[rel])} (kb.model.EDGE_FIELDS)")
        key = content_id("edge", rel.value, source, target,
                         *(f"{k}={clean[k]}" for k in sorted(clean)))
        self.edges[(rel, src, dst)][key] = {"source": source, "target": target, "key": key,
                                            "props": clean}

    def statements(self, dialect: Any, new: bool = False) -> list[Statement]:
        """MERGE statements; with `new` (documents the store has never seen), CREATE for the
        documents' own nodes and for every edge."""
        def node_query(label: Label) -> Any:
            if new and label in wq.create_nodes and all(
                    row["props"].keys() <= OWN_SET[label] for row in self.nodes[label].values()):
                return wq.create_nodes[label]
            return wq.merge_nodes[label]

        edge_queries = wq.create_edges if new else wq.merge_edges
        out = [Statement(node_query(label)(dialect), {"rows": list(rows.values())})
               for label, rows in self.nodes.items() if rows]
        out += [Statement(edge_queries[k](dialect), {"rows": list(rows.values())})
                for k, rows in self.edges.items() if rows]
        return out

    @property
    def size(self) -> tuple[int, int]:
        return (sum(len(r) for r in self.nodes.values()),
                sum(len(r) for r in self.edges.values()))


def extraction_rows(ex: Extraction) -> GraphRows:
    """Flatten an extraction into rows; every extracted edge keeps its document provenance."""
    g = GraphRows()
    doc = ex.document
    g.node(Label.DOCUMENT, doc.id, title=doc.title, format=doc.format.value,
           publisher=doc.publisher, author=doc.author, url=doc.url, sha256=doc.sha256,
           source=doc.source, description=doc.description, published=doc.published)
    for p in ex.passages:
        g.node(Label.PASSAGE, p.id, text=p.text, start=p.start, end=p.end, index=p.index,
               doc=doc.id)
        g.edge(RelType.HAS_PASSAGE, Label.DOCUMENT, doc.id, Label.PASSAGE, p.id, index=p.index)
    for a in ex.actors:
        g.node(Label.ACTOR, a.id, name=a.name, type=a.type.value, aliases=list(a.aliases),
               aliases_text=" | ".join(a.aliases))
    for c in ex.concepts:
        g.node(Label.CONCEPT, c.id, name=c.name, definition=c.definition,
               aliases=list(c.aliases), aliases_text=" | ".join(c.aliases))
    for pr in ex.precedents:
        g.node(Label.PRECEDENT, pr.id, name=pr.name, summary=pr.summary, date=pr.date,
               aliases=list(pr.aliases), aliases_text=" | ".join(pr.aliases))
    for e in ex.events:
        g.node(Label.EVENT, e.id, name=e.name, date=e.date, date_text=e.date_text,
               date_precision=e.date_precision)
    for o in ex.outlets:
        g.node(Label.OUTLET, o.id, name=o.name, domain=o.domain)
    for m in ex.mentions:
        g.edge(RelType.MENTIONED_IN, m.label, m.entity_id, Label.PASSAGE, m.passage_id,
               start=m.start, end=m.end, doc=doc.id)
    _claims(g, ex)
    for r in ex.relations:
        _relation(g, r, doc.id)
    return g


def _claims(g: GraphRows, ex: Extraction) -> None:
    doc_id = ex.document.id
    actor_ids = {a.id for a in ex.actors}
    outlet_ids = {o.id for o in ex.outlets}
    event_ids = {e.id for e in ex.events}
    for c in ex.claims:
        ev = c.evidence
        g.node(Label.CLAIM, c.id, text=c.text, stance=c.stance.value, modality=c.modality,
               doc=doc_id, passage=ev.passage_id, quote=ev.quote, start=ev.start, end=ev.end,
               prefix=ev.prefix, suffix=ev.suffix, speaker=c.speaker_id)
        if c.speaker_id in actor_ids:
            g.edge(RelType.ASSERTS, Label.ACTOR, c.speaker_id, Label.CLAIM, c.id, doc=doc_id)
        elif c.speaker_id in outlet_ids:
            g.edge(RelType.ASSERTS, Label.OUTLET, c.speaker_id, Label.CLAIM, c.id, doc=doc_id)
        g.edge(RelType.EVIDENCED_BY, Label.CLAIM, c.id, Label.PASSAGE, ev.passage_id,
               start=ev.start, end=ev.end, quote=ev.quote, prefix=ev.prefix,
               suffix=ev.suffix, doc=doc_id)
        for concept_id in c.concept_ids:
            g.edge(RelType.INVOKES, Label.CLAIM, c.id, Label.CONCEPT, concept_id,
                   stance=_INVOKES_STANCE[c.stance], doc=doc_id, passage=ev.passage_id)
        for precedent_id, treatment in c.precedent_ids:
            g.edge(RelType.CITES_PRECEDENT, Label.CLAIM, c.id, Label.PRECEDENT, precedent_id,
                   treatment=treatment.value, doc=doc_id, passage=ev.passage_id)
        for about in c.about_ids:
            label = Label.EVENT if about in event_ids else Label.ACTOR
            g.edge(RelType.ABOUT, Label.CLAIM, c.id, label, about, doc=doc_id,
                   passage=ev.passage_id)


def _relation(g: GraphRows, r: Relation, doc_id: str) -> None:
    g.edge(r.type, r.source_label, r.source_id, r.target_label, r.target_id,
           doc=doc_id, passage=r.passage_id, **r.props)


def removal_statements(store: GraphStore, doc_id: str,
                       candidates: Iterable[tuple[str, str]]) -> tuple[list[Statement],
                                                                        list[Statement]]:
    """Statements that remove a document's contribution (before) and orphans (after)."""
    d = store.dialect
    before = [Statement(wq.delete_doc_edges(d, TYPE=t.value), {"doc": doc_id})
              for t in DOC_EDGES]
    before += [Statement(wq.delete_doc_claims(d), {"doc": doc_id}),
               Statement(wq.delete_doc_passages(d), {"doc": doc_id}),
               Statement(wq.delete_doc_outlet_edges(d), {"doc": doc_id})]
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, node_id in candidates:
        if Label(label) in SHARED_FIELDS:
            by_label[label].append(node_id)
    after = [Statement(wq.delete_orphans(d, LABEL=label), {"ids": sorted(set(ids))})
             for label, ids in sorted(by_label.items())]
    return before, after


async def touched_entities(store: GraphStore, doc_id: str) -> list[tuple[str, str]]:
    rows = await store.read(wq.document_entities(store.dialect), {"doc": doc_id})
    return [(r["label"], r["id"]) for r in rows]


def contributions_of(rows: GraphRows) -> dict[str, sp.Contribution]:
    """What one document's rows say about each shared node (before any merge)."""
    out: dict[str, sp.Contribution] = {}
    for label in SHARED_FIELDS:
        for node_id, row in rows.nodes.get(label, {}).items():
            props = {**row["props"], **{k: v for k, v in row.items() if k not in ("id", "props")}}
            out[node_id] = sp.contribution(label, props)
    return out


def _record_contributions(rows: GraphRows, contribs: dict[str, sp.Contribution]) -> None:
    for row in rows.nodes.get(Label.DOCUMENT, {}).values():
        row["props"]["contributions"] = sp.dump_contributions(contribs)


@dataclass(slots=True)
class _Stored:
    """What the store holds of the shared nodes a write touches: their support counts, and
    the values of their indexed properties (`wq.INDEXED_FIELDS`; dates as ISO strings)."""

    supports: dict[str, sp.Counts]
    indexed: dict[str, dict[str, Any]]


async def _read_supports(store: GraphStore, ids: dict[Label, set[str]]) -> _Stored:
    """The stored support and indexed values of the shared nodes in `ids`, in one round
    trip."""
    if not any(ids.values()):
        return _Stored({}, {})
    params = {label.value: sorted(ids.get(label, ())) for label in SHARED_FIELDS}
    rows = await store.read(wq.read_support(store.dialect), params)
    stored = _Stored({}, {})
    for r in rows:
        stored.supports[r["id"]] = sp.load_support(r["support"])
        label = label_of(r["id"])
        if label is not None and label in wq.INDEXED_FIELDS:
            stored.indexed[r["id"]] = dict(zip(wq.INDEXED_FIELDS[label], r["indexed"] or (),
                                               strict=False))
    return stored


def _same(stored: Any, new: Any) -> bool:
    """Whether a stored indexed value equals the value about to be written (dates compared as
    ISO strings, as the store returns them)."""
    if hasattr(new, "isoformat"):
        new = new.isoformat()
    return stored == new


async def resolve_shared(store: GraphStore, rows: GraphRows,
                         changes: list[tuple[dict[str, sp.Contribution], int]],
                         also: dict[Label, set[str]] | None = None) -> None:
    """Set the rows of every shared node the changes touch (and those in `also`) to the
    properties derived from its stored support plus (sign 1) or minus (sign -1) each change."""
    ids: dict[Label, set[str]] = defaultdict(set)
    for contribs, _sign in changes:
        for label, found in _ids_by_label(contribs).items():
            ids[label] |= found
    for label, extra in (also or {}).items():
        ids[label] |= extra
    stored = await _read_supports(store, ids)
    supports = stored.supports
    for contribs, sign in changes:
        for node_id, c in contribs.items():
            sp.apply(supports.setdefault(node_id, {}), c, sign)
    for label, wanted in ids.items():
        for node_id in wanted:
            counts = supports.get(node_id, {})
            props = sp.derive(label, counts, sp.curated(label, node_id))
            props["support"] = sp.dump(counts) if counts else None
            row = rows.nodes[label].setdefault(node_id, {"id": node_id, "props": {}})
            dates = DATE_FIELDS.get(label, ())
            # an indexed value the node already holds is not set again (see wq.INDEXED_FIELDS)
            old = stored.indexed.get(node_id, {})
            same = {f for f in wq.INDEXED_FIELDS.get(label, ())
                    if f in old and _same(old[f], props.get(f))}
            row["props"] = {k: v for k, v in props.items() if k not in dates and k not in same}
            for f in dates:
                row[f] = props.get(f)
            kept = [f for f in dates if f in same]
            if kept:
                row["keep"] = kept
            else:  # a batch retried document by document resolves the same rows again
                row.pop("keep", None)


_LOCKS: weakref.WeakKeyDictionary[GraphStore, asyncio.Lock] = weakref.WeakKeyDictionary()


def _writing(store: GraphStore) -> asyncio.Lock:
    """One writer at a time per store object: a write reads shared nodes' support counts and
    writes them back, so two concurrent writes (two API requests) would lose an update."""
    lock = _LOCKS.get(store)
    if lock is None:
        lock = _LOCKS[store] = asyncio.Lock()
    return lock


async def write_extraction(store: GraphStore, ex: Extraction) -> tuple[int, int]:
    """Write one document in one transaction; returns (nodes, edges) written."""
    rows = extraction_rows(ex)
    await write_rows(store, ex.document.id, rows)
    return rows.size


async def stored_contributions(store: GraphStore, doc_id: str) -> dict[str, sp.Contribution]:
    rows = await store.read(wq.document_contributions(store.dialect), {"doc": doc_id})
    return sp.load_contributions(rows[0]["contributions"]) if rows else {}


async def write_rows(store: GraphStore, doc_id: str, rows: GraphRows) -> None:
    """Write one document's rows in one transaction, replacing any earlier version of it."""
    async with _writing(store):
        await _write_rows(store, doc_id, rows)


async def _write_rows(store: GraphStore, doc_id: str, rows: GraphRows) -> None:
    old = await stored_contributions(store, doc_id)
    candidates = await touched_entities(store, doc_id)
    candidates += [(c.label.value, node_id) for node_id, c in old.items()]
    before, after = removal_statements(store, doc_id, candidates)
    new = contributions_of(rows)
    _record_contributions(rows, new)
    await resolve_shared(store, rows, [(old, -1), (new, 1)])
    await store.write_batch([*before, *rows.statements(store.dialect), *after])


async def write_new_documents(store: GraphStore, documents: Iterable[GraphRows]) -> None:
    """Write documents the store has never seen (distinct ids) in one transaction: it fails
    as a whole, for instance on the uniqueness constraint when another process has just
    written one of them; the caller then writes them one by one with `write_rows`."""
    merged = GraphRows()
    changes: list[tuple[dict[str, sp.Contribution], int]] = []
    for rows in documents:
        contribs = contributions_of(rows)
        _record_contributions(rows, contribs)
        changes.append((contribs, 1))
        merged.add(rows)
    async with _writing(store):
        await resolve_shared(store, merged, changes)
        await store.write_batch(merged.statements(store.dialect, new=True))


async def document_sha(store: GraphStore, doc_id: str) -> str | None:
    rows = await store.read(wq.document_sha(store.dialect), {"doc": doc_id})
    return rows[0]["sha256"] if rows else None


async def document_shas(store: GraphStore, doc_ids: Iterable[str]) -> dict[str, str | None]:
    """The stored sha256 of each document the store holds (one indexed lookup per id)."""
    rows = await store.read(wq.document_shas(store.dialect), {"docs": sorted(set(doc_ids))})
    return {r["id"]: r["sha256"] for r in rows}


@dataclass(frozen=True, slots=True)
class DeletePlan:
    """What deleting a document removes (or, in a dry run, would remove)."""

    doc_id: str
    passages: int
    claims: int
    removed: list[str]
    """Shared nodes only this document supported (curated thesaurus entries always stay)."""
    updated: list[str]
    """Shared nodes other documents support too: they lose only this one's contribution."""


async def delete_document(store: GraphStore, doc_id: str,
                          dry_run: bool = False) -> DeletePlan | None:
    """Remove a document and everything that only it supported; None if there is no such
    document. With `dry_run`, only say what would be removed."""
    async with _writing(store):
        return await _delete_document(store, doc_id, dry_run)


async def _delete_document(store: GraphStore, doc_id: str, dry_run: bool) -> DeletePlan | None:
    if await document_sha(store, doc_id) is None:
        return None
    old = await stored_contributions(store, doc_id)
    counts = (await store.read(wq.document_counts(store.dialect), {"doc": doc_id}))[0]
    shared = GraphRows()
    await resolve_shared(store, shared, [(old, -1)])
    # without this document a node has no support left: it goes, unless it is curated
    alone = sorted(i for i, c in old.items()
                   if shared.nodes[c.label][i]["props"]["support"] is None
                   and not shared.nodes[c.label][i]["props"].get("curated"))
    plan = DeletePlan(doc_id, counts["passages"], counts["claims"], alone,
                      sorted(set(old) - set(alone)))
    if dry_run:
        return plan
    candidates = await touched_entities(store, doc_id)
    candidates += [(c.label.value, node_id) for node_id, c in old.items()]
    before, after = removal_statements(store, doc_id, candidates)
    delete = Statement(wq.delete_document(store.dialect), {"doc": doc_id})
    await store.write_batch([*before, delete, *shared.statements(store.dialect), *after])
    return plan


def _ids_by_label(contribs: dict[str, sp.Contribution]) -> dict[Label, set[str]]:
    ids: dict[Label, set[str]] = defaultdict(set)
    for node_id, c in contribs.items():
        ids[c.label].add(node_id)
    return ids
