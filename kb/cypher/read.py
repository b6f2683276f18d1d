"""Read statements of the API (root fields, relationship fields, traversals).

Every statement a GraphQL request can send is built here, from fixed text and allow-listed
pieces only: labels, relationship types and property names come from `kb.model` or from the
tables below, and every value a client sends travels as a `$parameter`.

`where` filters are the one place where the shape of a statement varies with the request (an
`AND`/`OR`/`NOT` tree). The API turns a filter into a neutral predicate tree (`Cmp`, `Rel`,
`And`, `Or`, `Not`) and `compile_where` renders it from the fragments of `OPERATORS`,
`PROPERTIES` and `RELATIONS`; a sample filter per label that uses every fragment is registered
as a statement, so the offline Neo4j linter checks each fragment too.

FalkorDB cannot resolve a pattern comprehension inside WHERE, so a relationship filter binds
the related nodes as a list in a WITH first and tests it with `any(x IN list WHERE ...)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kb.cypher import Query, query
from kb.model import Label, RelType
from kb.store.base import Dialect

LABELS = tuple(lbl.value for lbl in Label)
REL_TYPES = tuple(t.value for t in RelType)
REL_PROPS = ("stance", "treatment", "role", "kind", "doc")
"""Edge properties a relationship field may filter on (`Concept.claims(stance:)`, ...)."""

# -- predicate trees -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cmp:
    """`field op value` on the node itself; `field` and `op` are checked against the tables."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True, slots=True)
class Rel:
    """Some node related through `field` (a key of RELATIONS) satisfies `where`."""

    field: str
    where: Pred


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Pred, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Pred, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Pred


Pred = Cmp | Rel | And | Or | Not

STRING, ID, DATE, BOOL, ENUM = "string", "id", "date", "bool", "enum"

OPERATORS: dict[str, dict[str, str]] = {
    STRING: {
        "eq": "{v} = {p}",
        "in": "{v} IN {p}",
        "contains": "toLower({v}) CONTAINS toLower({p})",
        "startsWith": "toLower({v}) STARTS WITH toLower({p})",
        "endsWith": "toLower({v}) ENDS WITH toLower({p})",
    },
    ID: {"eq": "{v} = {p}", "in": "{v} IN {p}", "startsWith": "{v} STARTS WITH {p}"},
    ENUM: {"eq": "{v} = {p}", "in": "{v} IN {p}"},
    BOOL: {"eq": "coalesce({v}, false) = {p}"},
    DATE: {
        "eq": "{v} = date({p})",
        "gt": "{v} > date({p})",
        "gte": "{v} >= date({p})",
        "lt": "{v} < date({p})",
        "lte": "{v} <= date({p})",
    },
}
"""How each operator renders, per kind of property; `{v}` is the property, `{p}` the parameter.
String matching other than `eq`/`in` ignores case, which is what a researcher typing a name
expects."""

PROPERTIES: dict[str, dict[str, tuple[str, str]]] = {
    "Concept": {"id": ("id", ID), "name": ("name", STRING), "definition": ("definition", STRING),
                "curated": ("curated", BOOL)},
    "Precedent": {"id": ("id", ID), "name": ("name", STRING), "summary": ("summary", STRING),
                  "date": ("date", DATE)},
    "Actor": {"id": ("id", ID), "name": ("name", STRING), "type": ("type", ENUM),
              "aliases": ("aliases_text", STRING)},
    "Event": {"id": ("id", ID), "name": ("name", STRING), "date": ("date", DATE)},
    "Document": {"id": ("id", ID), "title": ("title", STRING), "publisher": ("publisher", STRING),
                 "author": ("author", STRING), "format": ("format", ENUM),
                 "url": ("url", STRING), "published": ("published", DATE)},
    "Claim": {"id": ("id", ID), "text": ("text", STRING), "stance": ("stance", ENUM),
              "modality": ("modality", STRING), "quote": ("quote", STRING)},
    "Outlet": {"id": ("id", ID), "name": ("name", STRING), "domain": ("domain", STRING)},
    "Agent": {"id": ("id", ID), "name": ("name", STRING)},
}
"""Filterable properties per filter type: GraphQL field -> (node property, kind)."""

RELATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "Claim": {
        "speaker": ("(n)<-[:ASSERTS]-(x)", "Agent"),
        "concept": ("(n)-[:INVOKES]->(x:Concept)", "Concept"),
        "precedent": ("(n)-[:CITES_PRECEDENT]->(x:Precedent)", "Precedent"),
        "document": ("(n)-[:EVIDENCED_BY]->(:Passage)<-[:HAS_PASSAGE]-(x:Document)", "Document"),
        "about": ("(n)-[:ABOUT]->(x:Event)", "Event"),
        "aboutActor": ("(n)-[:ABOUT]->(x:Actor)", "Actor"),
        "attacks": ("(n)-[:ATTACKS]->(x:Claim)", "Claim"),
        "attackedBy": ("(n)<-[:ATTACKS]-(x:Claim)", "Claim"),
        "supports": ("(n)-[:SUPPORTS]->(x:Claim)", "Claim"),
        "supportedBy": ("(n)<-[:SUPPORTS]-(x:Claim)", "Claim"),
    },
    "Event": {"participant": ("(n)<-[:PARTICIPATED_IN]-(x:Actor)", "Actor")},
    "Document": {"outlet": ("(n)-[:PUBLISHED_BY|CITES_SOURCE]->(x:Outlet)", "Outlet")},
    "Actor": {"event": ("(n)-[:PARTICIPATED_IN]->(x:Event)", "Event")},
    "Precedent": {"citedBy": ("(n)<-[:CITES_PRECEDENT]-(x:Claim)", "Claim")},
    "Concept": {"invokedBy": ("(n)<-[:INVOKES]-(x:Claim)", "Claim")},
}
"""Relationship filters per label: GraphQL field -> (pattern from `n` to `x`, filter type)."""

HOPS: dict[str, dict[str, tuple[str, bool]]] = {
    "Claim": {"speaker": ("ASSERTS", False), "concept": ("INVOKES", True),
              "precedent": ("CITES_PRECEDENT", True),
              "attacks": ("ATTACKS", True), "attackedBy": ("ATTACKS", False),
              "supports": ("SUPPORTS", True), "supportedBy": ("SUPPORTS", False)},
    "Event": {"participant": ("PARTICIPATED_IN", False)},
    "Actor": {"event": ("PARTICIPATED_IN", True)},
    "Precedent": {"citedBy": ("CITES_PRECEDENT", False)},
    "Concept": {"invokedBy": ("INVOKES", False)},
}
"""The relationship filters that are one hop of one type (`model.EDGE_ENDPOINTS` fixes the
far end's label): "has some" (`attacks: {}`) is then a degree test, which FalkorDB answers
from its adjacency matrices in about 1 µs a node instead of some 15 µs for a pattern."""

EXISTS: dict[Dialect, dict[bool, str]] = {
    Dialect.FALKORDB: {True: "outdegree(n, '{type}') > 0", False: "indegree(n, '{type}') > 0"},
    Dialect.NEO4J: {True: "EXISTS {{ (n)-[:{type}]->() }}",
                    False: "EXISTS {{ (n)<-[:{type}]-() }}"},
}

SORT_KEYS: dict[str, dict[str, str]] = {
    "Concept": {"ID": "n.id", "NAME": "coalesce(n.name, '')"},
    "Precedent": {"ID": "n.id", "NAME": "coalesce(n.name, '')",
                  "DATE": "coalesce(toString(n.date), '')"},
    "Actor": {"ID": "n.id", "NAME": "coalesce(n.name, '')", "TYPE": "coalesce(n.type, '')"},
    "Event": {"ID": "n.id", "NAME": "coalesce(n.name, '')",
              "DATE": "coalesce(toString(n.date), '')"},
    "Document": {"ID": "n.id", "TITLE": "coalesce(n.title, '')",
                 "PUBLISHED": "coalesce(toString(n.published), '')"},
    "Claim": {"ID": "n.id", "STANCE": "coalesce(n.stance, '')",
              "SPEAKER": "coalesce(n.speaker, '')", "DOCUMENT": "coalesce(n.doc, '')"},
}
"""Keyset sort keys: always strings (dates as ISO text, which sorts chronologically), so that a
cursor is simply (key, id)."""


@dataclass(slots=True)
class Compiled:
    """A rendered filter: list bindings for relationship filters, the predicate, parameters."""

    bindings: list[str] = field(default_factory=list)
    predicate: str = "true"
    params: dict[str, Any] = field(default_factory=dict)


class FilterError(ValueError):
    """A filter names an unknown field or operator (the API reports BAD_USER_INPUT)."""


class _Compiler:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.out = Compiled()

    def param(self, value: Any) -> str:
        name = f"w{len(self.out.params)}"
        self.out.params[name] = value
        return f"${name}"

    def render(self, pred: Pred, ftype: str, var: str, top: bool) -> str:
        if isinstance(pred, And | Or):
            if not pred.parts:
                return "true"
            joiner = " AND " if isinstance(pred, And) else " OR "
            return "(" + joiner.join(self.render(p, ftype, var, top) for p in pred.parts) + ")"
        if isinstance(pred, Not):
            # No parentheses of its own: its operand is atomic or parenthesised already, and
            # FalkorDB parses nested "(NOT (NOT ...))" in time exponential in the depth.
            return f"NOT {self.render(pred.part, ftype, var, top)}"
        if isinstance(pred, Rel):
            return self._rel(pred, ftype, var, top)
        return self._cmp(pred, ftype, var)

    def _cmp(self, pred: Cmp, ftype: str, var: str) -> str:
        try:
            prop, kind = PROPERTIES[ftype][pred.field]
            template = OPERATORS[kind][pred.op]
        except KeyError:
            raise FilterError(f"cannot filter {ftype} on {pred.field}.{pred.op}") from None
        return template.format(v=f"{var}.{prop}", p=self.param(pred.value))

    def _rel(self, pred: Rel, ftype: str, var: str, top: bool) -> str:
        if not top:
            raise FilterError("relationship filters cannot be nested inside one another")
        try:
            pattern, target = RELATIONS[ftype][pred.field]
        except KeyError:
            raise FilterError(f"cannot filter {ftype} on {pred.field}") from None
        hop = HOPS.get(ftype, {}).get(pred.field)
        if hop is not None and _matches_all(pred.where):
            rel_type, outgoing = hop
            return EXISTS[self.dialect][outgoing].format(type=rel_type)
        k = len(self.out.bindings)
        item = f"x{k}"
        self.out.bindings.append(f"[{pattern.replace('(x', f'({item}')} | {item}] AS r{k}")
        inner = self.render(pred.where, target, item, top=False)
        return f"any({item} IN r{k} WHERE {inner})"


def _matches_all(pred: Pred) -> bool:
    """True for a filter without conditions (`{}`), which every node satisfies."""
    return isinstance(pred, And) and all(_matches_all(p) for p in pred.parts)


def compile_where(label: str, pred: Pred | None, dialect: Dialect) -> Compiled:
    """Render a predicate tree over node `n` of `label` (raises FilterError on bad fields)."""
    compiler = _Compiler(dialect)
    if pred is not None:
        compiler.out.predicate = compiler.render(pred, label, "n", top=True)
    return compiler.out


def _match(label: str, where: Compiled) -> str:
    if where.bindings:
        return (f"MATCH (n:{label}) WITH n, " + ", ".join(where.bindings)
                + f" WHERE {where.predicate}")
    return f"MATCH (n:{label}) WHERE {where.predicate}"


# -- root connections ------------------------------------------------------------------------

_PAGE_MARK = "(1 = 1)"
"""Where a rendered filter goes in a registered template (the linter sees the neutral mark)."""

page = query(
    "read.page",
    "MATCH (n:%LABEL%) WHERE (1 = 1) "
    "WITH n, %KEY% AS k WHERE $after_id IS NULL OR k %CMP% $after_k "
    "OR (k = $after_k AND n.id %CMP% $after_id) "
    "RETURN n.id AS id, properties(n) AS props, k ORDER BY k %DIR%, id %DIR% LIMIT $limit",
    slots={"LABEL": LABELS, "KEY": tuple(sorted({k for m in SORT_KEYS.values()
                                                 for k in m.values()})),
           "CMP": (">", "<"), "DIR": ("ASC", "DESC")},
)
"""One page of a root connection: filter, keyset condition (strictly after the cursor in the
direction of travel), order, limit + 1 (the extra row tells whether another page exists)."""

count = query(
    "read.count",
    "MATCH (n:%LABEL%) WHERE (1 = 1) RETURN count(n) AS total",
    slots={"LABEL": LABELS},
)


def page_text(dialect: Dialect, label: str, where: Compiled, key: str, ascending: bool) -> str:
    """The page statement for a label, a rendered filter and a sort key name, reading rows in
    ascending or descending key order (paging backwards reads the sort order reversed)."""
    key_expr = SORT_KEYS[label][key]
    text = page(dialect, LABEL=label, KEY=key_expr, CMP=">" if ascending else "<",
                DIR="ASC" if ascending else "DESC")
    return text.replace(f"MATCH (n:{label}) WHERE {_PAGE_MARK}", _match(label, where), 1)


def count_text(dialect: Dialect, label: str, where: Compiled) -> str:
    text = count(dialect, LABEL=label)
    return text.replace(f"MATCH (n:{label}) WHERE {_PAGE_MARK}", _match(label, where), 1)


_FACET_BY = {
    "speaker": "MATCH (s)-[:ASSERTS]->(n) WITH s.id AS key, s.name AS label, n",
    "stance": "WITH n.stance AS key, n.stance AS label, n",
    "concept": "MATCH (n)-[:INVOKES]->(x:Concept) WITH x.id AS key, x.name AS label, n",
    "precedent": "MATCH (n)-[:CITES_PRECEDENT]->(x:Precedent) "
                 "WITH x.id AS key, x.name AS label, n",
    "treatment": "MATCH (n)-[r:CITES_PRECEDENT]->(:Precedent) "
                 "WITH r.treatment AS key, r.treatment AS label, n",
    "document": "MATCH (d:Document {id: n.doc}) WITH d.id AS key, d.title AS label, n",
    "outlet": "MATCH (d:Document {id: n.doc})-[:PUBLISHED_BY]->(o:Outlet) "
              "WITH o.id AS key, o.name AS label, n",
    "month": "MATCH (d:Document {id: n.doc}) WHERE d.published IS NOT NULL "
             "WITH substring(toString(d.published), 0, 7) AS key, "
             "substring(toString(d.published), 0, 7) AS label, n",
}
"""How claims are grouped for each facet: `key` and `label` of the group, per claim `n`."""

claim_facet = {
    name: query(
        f"read.claim_facet.{name}",
        f"MATCH (n:Claim) WHERE (1 = 1) {by} "
        "WITH key, label, count(DISTINCT n) AS count WHERE key IS NOT NULL "
        "RETURN key, label, count ORDER BY count DESC, key LIMIT $limit",
    )
    for name, by in _FACET_BY.items()
}
"""Claim counts per group (speaker, stance, concept, precedent, treatment, document, outlet,
month of the document), one statement each, over the claims a `where` filter selects."""


def facet_text(dialect: Dialect, name: str, where: Compiled) -> str:
    text = claim_facet[name](dialect)
    return text.replace(f"MATCH (n:Claim) WHERE {_PAGE_MARK}", _match("Claim", where), 1)


def _sample_filters() -> dict[str, Pred]:
    """A filter per label using every property, operator and relationship (for the linter)."""
    def every(ftype: str) -> list[Pred]:
        return [Cmp(f, op, None) for f, (_p, kind) in PROPERTIES[ftype].items()
                for op in OPERATORS[kind]]

    out: dict[str, Pred] = {}
    for label in SORT_KEYS:
        rels = [Rel(f, Or(tuple(every(t)))) for f, (_pat, t) in RELATIONS.get(label, {}).items()]
        some = [Rel(f, And(())) for f in HOPS.get(label, {})]
        out[label] = And((*every(label), Not(Or(tuple(rels))), *some))
    return out


for _label, _pred in _sample_filters().items():
    _c = compile_where(_label, _pred, Dialect.NEO4J)
    query(f"read.sample_filter.{_label}",
          _match(_label, _c) + " RETURN n.id AS id LIMIT 1")

# -- nodes by id, relationship fields --------------------------------------------------------

nodes_by_id = query(
    "read.nodes_by_id",
    " UNION ALL ".join(
        f"UNWIND ${lbl} AS id MATCH (n:{lbl} {{id: id}}) "
        f"RETURN n.id AS id, '{lbl}' AS label, properties(n) AS props"
        for lbl in LABELS),
)
"""Nodes of every label by id in one round trip: one UNWIND per label (each uses its index)."""

ORDER_OF: dict[str, str] = {
    "Claim": "coalesce(m.doc, ''), coalesce(m.start, -1), m.id",
    "Passage": "coalesce(m.doc, ''), coalesce(m.index, -1), coalesce(m.start, -1), m.id",
    "Event": "coalesce(toString(m.date), ''), m.id",
    "Precedent": "coalesce(toString(m.date), ''), m.id",
}
"""The order of related nodes per label: text order for claims and passages, dates for events
and precedents, else ids. Only keys the label has, since every key is computed for every
related node before the sort (a curated concept has thousands of claims)."""

related = query(
    "read.related",
    "UNWIND $ids AS id MATCH (n:%SRC% {id: id})%LEFT%[r:%TYPE%]%RIGHT%(m:%DST%) "
    "WHERE $value IS NULL OR r.%PROP% = $value "
    "WITH id, m, r ORDER BY %ORDER% "
    "WITH id, collect([m, r])[0..$first] AS page UNWIND page AS p "
    "WITH id, p[0] AS m, p[1] AS r "
    "RETURN id, collect({id: m.id, props: properties(m), rel: properties(r), key: r.key}) "
    "AS items",
    slots={"SRC": LABELS, "LEFT": ("-", "<-"), "TYPE": REL_TYPES, "RIGHT": ("->", "-"),
           "DST": LABELS, "PROP": REL_PROPS,
           "ORDER": ("m.id", *dict.fromkeys(ORDER_OF.values()))},
)
"""One relationship field for a batch of parents: per parent, the first related nodes with the
relationship's properties, optionally filtered on one edge property. The page is cut before
the properties are read, so a hub's thousands of related nodes cost a sort, not a projection."""

claims_by_document = query(
    "read.claims_by_document",
    "UNWIND $ids AS id MATCH (m:Claim {doc: id}) "
    "WITH id, m ORDER BY coalesce(m.start, -1), m.id "
    "RETURN id, collect({id: m.id, props: properties(m), rel: {}, key: null})[0..$first] "
    "AS items",
)

# -- timeline, search, traversals, stats, export ---------------------------------------------

timeline = query(
    "read.timeline",
    "MATCH (n:Event) WHERE n.date IS NOT NULL "
    "AND ($since IS NULL OR n.date >= date($since)) "
    "AND ($until IS NULL OR n.date <= date($until)) "
    "RETURN n.id AS id, properties(n) AS props ORDER BY n.date, n.id LIMIT $limit",
)

_EXPAND_RETURN = (
    "RETURN n.id AS src, m.id AS id, labels(m)[0] AS label, "
    "left(coalesce(m.name, m.title, m.text, m.id), 120) AS name, "
    "coalesce(m.type, m.stance, m.format) "
    "AS kind, type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, "
    "r.key AS key LIMIT $limit"
)

expand = query(
    "read.expand",
    " UNION ALL ".join(
        f"UNWIND ${lbl} AS id MATCH (n:{lbl} {{id: id}})-[r]-(m) "
        f"WHERE size($types) = 0 OR type(r) IN $types {_EXPAND_RETURN}"
        for lbl in LABELS),
)
"""One breadth-first level of a neighbourhood, for frontier nodes of every label at once."""

describe = query(
    "read.describe",
    " UNION ALL ".join(
        f"UNWIND ${lbl} AS id MATCH (m:{lbl} {{id: id}}) "
        f"RETURN m.id AS id, labels(m)[0] AS label, "
        f"coalesce(m.name, m.title, m.text, m.id) AS name, "
        f"coalesce(m.type, m.stance, m.format) AS kind, properties(m) AS props"
        for lbl in LABELS),
)
"""Display fields (and properties, for exports) of nodes by id."""

edges_between = query(
    "read.edges_between",
    " UNION ALL ".join(
        f"UNWIND ${lbl} AS id MATCH (n:{lbl} {{id: id}})-[r]->(m) WHERE m.id IN $all "
        f"AND (size($types) = 0 OR type(r) IN $types) "
        f"RETURN type(r) AS type, n.id AS source, m.id AS target, r.key AS key, "
        f"properties(r) AS props"
        for lbl in LABELS),
)
"""Every edge among a set of nodes (a neighbourhood's induced subgraph, for exports)."""

all_nodes = query(
    "read.all_nodes",
    "MATCH (m) RETURN m.id AS id, labels(m)[0] AS label, "
    "coalesce(m.name, m.title, m.text, m.id) AS name, "
    "coalesce(m.type, m.stance, m.format) AS kind, properties(m) AS props "
    "ORDER BY id LIMIT $limit",
)

all_edges = query(
    "read.all_edges",
    "MATCH (n)-[r]->(m) RETURN type(r) AS type, n.id AS source, m.id AS target, "
    "r.key AS key, properties(r) AS props LIMIT $limit",
)


def by_label(ids: Sequence[str], label_of: Any) -> dict[str, list[str]]:
    """Parameters of the per-label UNION statements: one id list per label (empty ones too)."""
    out: dict[str, list[str]] = {lbl: [] for lbl in LABELS}
    for node_id in ids:
        label = label_of(node_id)
        if label is not None and node_id not in out[label.value]:
            out[label.value].append(node_id)
    return out


__all__ = ["And", "Cmp", "Compiled", "FilterError", "Not", "Or", "Pred", "Query", "Rel"]
