"""The graph's shape is declared once, in kb.model; everything that restates a part of it for
its own use (the API's relationship fields and filters, the writer's clean-up, the indexes) is
checked against that declaration here, so a new relation type cannot be half added."""

from __future__ import annotations

import re

import pytest

from kb.api.types import _S as REL_FIELDS
from kb.cypher import read, write
from kb.cypher.schema import EDGE_DOC_INDEXES
from kb.model import (
    DOC_EDGES,
    EDGE_ENDPOINTS,
    EDGE_FIELDS,
    SHARED_FIELDS,
    Label,
    RelType,
)
from kb.store.base import GraphStore


def _allowed(rel: str, src: str | None, dst: str | None) -> bool:
    pairs = EDGE_ENDPOINTS[RelType(rel)]
    return any((src is None or a.value == src) and (dst is None or b.value == dst)
               for a, b in pairs)


def _hops(pattern: str, start: str) -> list[tuple[str, str | None, str | None]]:
    """(type, source label, target label) of each hop of a filter pattern from `n`."""
    out = []
    nodes = re.findall(r"\((\w*)(?::(\w+))?\)", pattern)
    arrows = re.findall(r"(<?)-\[:([\w|]+)\]-(>?)", pattern)
    assert len(nodes) == len(arrows) + 1, pattern
    kinds = [start] + [lbl or None for _v, lbl in nodes[1:]]
    for i, (left, types, right) in enumerate(arrows):
        a, b = kinds[i], kinds[i + 1]
        for t in types.split("|"):
            out.append((t, a, b) if right else (t, b, a))
            assert bool(left) != bool(right), pattern
    return out


def test_every_relationship_type_has_its_endpoints() -> None:
    assert set(EDGE_ENDPOINTS) == set(RelType)


def test_every_relationship_type_declares_its_properties_and_the_writer_holds_to_them() -> None:
    """A new document's edges are created whole from EDGE_FIELDS (no SET after the CREATE), so
    a property outside the declaration would be lost: the writer refuses it instead."""
    from kb.writer import GraphRows

    assert set(EDGE_FIELDS) == set(RelType)
    for (rel, _src, _dst), q in write.create_edges.items():
        assert q.text is not None and "SET" not in q.text
        assert all(f"{f}: row.props.{f}" in q.text for f in EDGE_FIELDS[rel])
    g = GraphRows()
    g.edge(RelType.INVOKES, Label.CLAIM, "claim:a", Label.CONCEPT, "concept:b", stance="neutral")
    with pytest.raises(ValueError, match="weight"):
        g.edge(RelType.INVOKES, Label.CLAIM, "claim:a", Label.CONCEPT, "concept:b", weight=2)


def test_api_relationship_fields_follow_the_model() -> None:
    for name, spec in REL_FIELDS.items():
        src, dst = (spec.src, spec.dst) if spec.out else (spec.dst, spec.src)
        assert _allowed(spec.type, src, dst), f"{name}: {src} -[{spec.type}]-> {dst}"


def test_relationship_filters_follow_the_model() -> None:
    for label, fields in read.RELATIONS.items():
        start = label if label in Label.__members__.values() else None
        for field, (pattern, _target) in fields.items():
            for rel, a, b in _hops(pattern, start):
                assert _allowed(rel, a, b), f"{label}.{field}: {a} -[{rel}]-> {b}"
    for label, fields in read.HOPS.items():
        for field, (rel, outgoing) in fields.items():
            pattern = read.RELATIONS[label][field][0]
            hops = _hops(pattern, label)
            assert len(hops) == 1 and hops[0][0] == rel, f"{label}.{field}"
            arrow = re.search(r"(<?)-\[:[\w|]+\]-(>?)", pattern)
            assert arrow and bool(arrow.group(2)) == outgoing, f"{label}.{field}: direction"


def test_doc_edges_are_exactly_those_between_shared_nodes() -> None:
    for rel, pairs in EDGE_ENDPOINTS.items():
        between_shared = all(a in SHARED_FIELDS and b in SHARED_FIELDS for a, b in pairs)
        assert (rel in DOC_EDGES) == between_shared, rel
    assert [t for t, _ in EDGE_DOC_INDEXES] == [r.value for r in DOC_EDGES]


async def test_bootstrap_indexes_every_doc_edge(store: GraphStore) -> None:
    """Each edge cleaned up by its `doc` property has the index that clean-up uses."""
    if store.dialect == "neo4j":
        rows = await store.read("SHOW INDEXES YIELD labelsOrTypes, properties, entityType "
                                "RETURN labelsOrTypes AS t, properties AS p, entityType AS e")
        indexed = {(t, tuple(r["p"])) for r in rows if r["e"] == "RELATIONSHIP"
                   for t in r["t"] or []}
    else:
        rows = await store.read("CALL db.indexes() YIELD label, properties, entitytype "
                                "RETURN label, properties, entitytype")
        indexed = {(r["label"], tuple(r["properties"])) for r in rows
                   if str(r["entitytype"]).upper().startswith("REL")}
    for rel in DOC_EDGES:
        assert (rel.value, ("doc",)) in indexed, rel


async def test_every_filter_and_sort_property_is_one_the_writer_writes(
        store: GraphStore) -> None:
    """The API filters and sorts on node and edge properties by name; each must be a field of
    the label's domain class or a property the writer is seen writing on the seed graph."""
    import dataclasses

    from test_api_support import load_research_graph

    from kb import model

    await load_research_graph(store)
    written: dict[str, set[str]] = {}
    for row in await store.read("MATCH (n) RETURN labels(n)[0] AS label, keys(n) AS keys"):
        written.setdefault(row["label"], set()).update(row["keys"])
    for row in await store.read("MATCH ()-[r]->() RETURN type(r) AS label, keys(r) AS keys"):
        written.setdefault(row["label"], set()).update(row["keys"])  # edge-property filters
    classes = {"Document": model.DocumentMeta, "Claim": model.Evidence}
    for label in Label:
        cls = classes.get(label.value) or getattr(model, label.value)
        written.setdefault(label.value, set()).update(f.name for f in dataclasses.fields(cls))
    for label, fields in read.PROPERTIES.items():
        labels = ["Actor", "Outlet"] if label == "Agent" else [label]
        for field, (prop, _kind) in fields.items():
            if prop == read.TYPE_OF:
                continue  # the relationship's type itself, not a stored property
            assert any(prop in written.get(lbl, set()) for lbl in labels), f"{label}.{field}"
    for label, keys in read.SORT_KEYS.items():
        for key, expression in keys.items():
            props = re.findall(r"\bn\.(\w+)", expression)
            assert props, f"sort {label}.{key}"
            assert all(p in written.get(label, set()) for p in props), f"sort {label}.{key}"
