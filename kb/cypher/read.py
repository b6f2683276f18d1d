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
from kb.model import API_FIELDS, EDGE_ENDPOINTS, SHARED_FIELDS, Label, RelType
from kb.store.base import Dialect

LABELS = tuple(lbl.value for lbl in Label)
REL_TYPES = tuple(t.value for t in RelType)
REL_PROPS = ("stance", "treatment", "role", "kind", "doc")
"""Edge properties a relationship field may filter on (`Concept.claims(stance:)`, ...)."""


def fields_of(label: str, var: str) -> str:
    """The map of the properties the API reads of node `var` of `label` (`kb.model.API_FIELDS`),
    what the node statements return as `props` instead of `properties(var)`; a property the node
    lacks is null in the map."""
    return "{" + ", ".join(f"{f}: {var}.{f}" for f in API_FIELDS[Label(label)]) + "}"


def _fields_slot(var: str) -> tuple[str, ...]:
    """The allowed values of a statement's FIELDS slot: the map of each label, over `var`."""
    return tuple(fields_of(lbl, var) for lbl in LABELS)

# -- predicate trees -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cmp:
    """`field op value` on the node itself; `field` and `op` are checked against the tables."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True, slots=True)
class Rel:
    """Nodes related through `field` (a key of RELATIONS) satisfy `where`: `some` of them (the
    default), `none`, `all` or exactly one (`single`)."""

    field: str
    where: Pred
    quant: str = "some"


@dataclass(frozen=True, slots=True)
class Edge:
    """The relationship `r` of a relationship connection satisfies `where` (its properties are
    the fields of the edge filter type given to `compile_where`)."""

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


Pred = Cmp | Rel | Edge | And | Or | Not

STRING, ID, DATE, BOOL, ENUM, LIST = "string", "id", "date", "bool", "enum", "list"

_IS_NULL = "({v} IS NULL) = {p}"

OPERATORS: dict[str, dict[str, str]] = {
    STRING: {
        "eq": "{v} = {p}",
        "in": "{v} IN {p}",
        "contains": "toLower({v}) CONTAINS toLower({p})",
        "startsWith": "toLower({v}) STARTS WITH toLower({p})",
        "endsWith": "toLower({v}) ENDS WITH toLower({p})",
        "isNull": _IS_NULL,
    },
    ID: {"eq": "{v} = {p}", "in": "{v} IN {p}", "startsWith": "{v} STARTS WITH {p}"},
    ENUM: {"eq": "{v} = {p}", "in": "{v} IN {p}", "isNull": _IS_NULL},
    BOOL: {"eq": "coalesce({v}, false) = {p}"},
    DATE: {
        "eq": "{v} = date({p})",
        "gt": "{v} > date({p})",
        "gte": "{v} >= date({p})",
        "lt": "{v} < date({p})",
        "lte": "{v} <= date({p})",
        "isNull": _IS_NULL,
    },
    LIST: {
        "includes": "{p} IN coalesce({v}, [])",
        "eq": "any(e IN coalesce({v}, []) WHERE e = {p})",
        "in": "any(e IN coalesce({v}, []) WHERE e IN {p})",
        "contains": "any(e IN coalesce({v}, []) WHERE toLower(e) CONTAINS toLower({p}))",
        "startsWith": "any(e IN coalesce({v}, []) WHERE toLower(e) STARTS WITH toLower({p}))",
        "endsWith": "any(e IN coalesce({v}, []) WHERE toLower(e) ENDS WITH toLower({p}))",
        "isEmpty": "(size(coalesce({v}, [])) = 0) = {p}",
    },
}
"""How each operator renders, per kind of property; `{v}` is the property, `{p}` the parameter.
String matching other than `eq`/`in` ignores case, which is what a researcher typing a name
expects. `isNull: true` keeps nodes without the property, `false` those with it. List
properties (aliases) apply each operator to every element: "some alias ends with ..."; their
`eq` is `includes`."""

TYPE_OF = "type()"

PROPERTIES: dict[str, dict[str, tuple[str, str]]] = {
    "Concept": {"id": ("id", ID), "name": ("name", STRING), "definition": ("definition", STRING),
                "curated": ("curated", BOOL), "aliases": ("aliases", LIST)},
    "Precedent": {"id": ("id", ID), "name": ("name", STRING), "summary": ("summary", STRING),
                  "date": ("date", DATE), "aliases": ("aliases", LIST)},
    "Actor": {"id": ("id", ID), "name": ("name", STRING), "type": ("type", ENUM),
              "aliases": ("aliases", LIST)},
    "Event": {"id": ("id", ID), "name": ("name", STRING), "date": ("date", DATE)},
    "Document": {"id": ("id", ID), "title": ("title", STRING), "publisher": ("publisher", STRING),
                 "author": ("author", STRING), "format": ("format", ENUM),
                 "url": ("url", STRING), "published": ("published", DATE)},
    "Claim": {"id": ("id", ID), "text": ("text", STRING), "stance": ("stance", ENUM),
              "modality": ("modality", STRING), "quote": ("quote", STRING)},
    "Outlet": {"id": ("id", ID), "name": ("name", STRING), "domain": ("domain", STRING)},
    "Agent": {"id": ("id", ID), "name": ("name", STRING)},
    "INVOKES": {"stance": ("stance", ENUM)},
    "CITES_PRECEDENT": {"treatment": ("treatment", ENUM)},
    "PARTICIPATED_IN": {"role": ("role", STRING)},
    "OUTLET_LINK": {"relation": (TYPE_OF, ENUM)},
}
"""Filterable properties per filter type: GraphQL field -> (node property, kind). The upper-case
types are the edge filters of relationship connections (properties of `r`); TYPE_OF stands for
the relationship's type."""

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

def _text_key(prop: str, lower: bool = True) -> str:
    """A keyset sort key that orders like Neo4j on both stores: case-insensitive, and missing
    values after present ones ascending ('false' < 'true' leads the key)."""
    value = f"toLower(n.{prop})" if lower else f"toString(n.{prop})"
    return f"toString(n.{prop} IS NULL) + coalesce({value}, '')"


SORT_KEYS: dict[str, dict[str, str]] = {
    "Concept": {"ID": "n.id", "NAME": _text_key("name")},
    "Precedent": {"ID": "n.id", "NAME": _text_key("name"), "DATE": _text_key("date", False)},
    "Actor": {"ID": "n.id", "NAME": _text_key("name"), "TYPE": _text_key("type")},
    "Event": {"ID": "n.id", "NAME": _text_key("name"), "DATE": _text_key("date", False)},
    "Document": {"ID": "n.id", "TITLE": _text_key("title"),
                 "PUBLISHED": _text_key("published", False)},
    "Claim": {"ID": "n.id", "STANCE": _text_key("stance"), "SPEAKER": _text_key("speaker"),
              "DOCUMENT": _text_key("doc")},
}
"""Keyset sort keys: always strings (dates as ISO text, which sorts chronologically), so that a
cursor is simply (key, id); names ignore case and missing values sort last ascending."""


@dataclass(slots=True)
class Compiled:
    """A rendered filter: list bindings for relationship filters, the predicate, parameters."""

    bindings: list[str] = field(default_factory=list)
    predicate: str = "true"
    params: dict[str, Any] = field(default_factory=dict)


class FilterError(ValueError):
    """A filter names an unknown field or operator (the API reports BAD_USER_INPUT)."""


_QUANTIFIERS = {"some": "any", "none": "none", "all": "all", "single": "single"}
"""Relationship filter quantifiers and the Cypher list predicates that test them."""


class _Compiler:
    def __init__(self, dialect: Dialect, edge: str | None = None) -> None:
        self.dialect = dialect
        self.edge = edge
        self.chained = 0
        """Variables of chained patterns taken so far (y1, y2, ...)."""
        self.out = Compiled()

    def param(self, value: Any) -> str:
        name = f"w{len(self.out.params)}"
        self.out.params[name] = value
        return f"${name}"

    def render(self, pred: Pred, ftype: str, var: str, top: bool) -> str:
        if isinstance(pred, And | Or):
            if not pred.parts:
                # AND of nothing holds; OR of nothing does not (`OR: []` matches no node).
                return "true" if isinstance(pred, And) else "false"
            joiner = " AND " if isinstance(pred, And) else " OR "
            return "(" + joiner.join(self.render(p, ftype, var, top) for p in pred.parts) + ")"
        if isinstance(pred, Not):
            # No parentheses of its own: its operand is atomic or parenthesised already, and
            # FalkorDB parses nested "(NOT (NOT ...))" in time exponential in the depth.
            return f"NOT {self.render(pred.part, ftype, var, top)}"
        if isinstance(pred, Rel):
            return self._rel(pred, ftype, var, top)
        if isinstance(pred, Edge):
            if self.edge is None or not top:
                raise FilterError("an `edge` filter applies to a relationship connection only")
            return self.render(pred.where, self.edge, "r", top=False)
        return self._cmp(pred, ftype, var)

    def _cmp(self, pred: Cmp, ftype: str, var: str) -> str:
        try:
            prop, kind = PROPERTIES[ftype][pred.field]
            template = OPERATORS[kind][pred.op]
        except KeyError:
            raise FilterError(f"cannot filter {ftype} on {pred.field}.{pred.op}") from None
        target = f"type({var})" if prop == TYPE_OF else f"{var}.{prop}"
        return template.format(v=target, p=self.param(pred.value))

    def _rel(self, pred: Rel, ftype: str, var: str, top: bool) -> str:
        if not top:
            raise FilterError("relationship filters nest only as a chain: one relationship "
                              "filter per level, combined with the others by AND")
        try:
            pattern, target = RELATIONS[ftype][pred.field]
            quant = _QUANTIFIERS[pred.quant]
        except KeyError:
            raise FilterError(f"cannot filter {ftype} on {pred.field}") from None
        hop = HOPS.get(ftype, {}).get(pred.field)
        if hop is not None and _matches_all(pred.where) and pred.quant in ("some", "none"):
            rel_type, outgoing = hop
            exists = EXISTS[self.dialect][outgoing].format(type=rel_type)
            return exists if pred.quant == "some" else f"NOT {exists}"
        k = len(self.out.bindings)
        item = f"x{k}"
        self.out.bindings.append("")  # reserve r{k} before nested filters take numbers
        if _nested(pred.where):
            if pred.quant not in ("some", "none"):
                raise FilterError("a relationship filter holding another one takes `some` or "
                                  "`none`, not `all` or `single`")
            chain, cond = self._chain(pattern.replace("(x", f"({item}"), target, item,
                                      pred.where)
            self.out.bindings[k] = f"[{chain} WHERE {cond} | {item}] AS r{k}"
            return f"size(r{k}) {'>' if pred.quant == 'some' else '='} 0"
        self.out.bindings[k] = f"[{pattern.replace('(x', f'({item}')} | {item}] AS r{k}"
        inner = self.render(pred.where, target, item, top=False)
        if pred.quant == "single":
            # Exactly one distinct node: the same fact from several documents is one edge each.
            ids = f"[{item} IN r{k} WHERE {inner} | {item}.id]"
            return (f"size(reduce(s{k} = [], i{k} IN {ids} | CASE WHEN i{k} IN s{k} "
                    f"THEN s{k} ELSE s{k} + [i{k}] END)) = 1")
        return f"{quant}({item} IN r{k} WHERE {inner})"

    def _chain(self, pattern: str, ftype: str, var: str, where: Pred) -> tuple[str, str]:
        """One path pattern and its condition for a relationship filter that holds another
        (`concept: {invokedBy: {speaker: {name: ...}}}`): the nested patterns are appended to
        the outer one, so the store matches the whole chain in one pattern comprehension
        (FalkorDB does not evaluate a pattern comprehension nested in another)."""
        parts = list(where.parts) if isinstance(where, And) else [where]
        nested = [p for p in parts if isinstance(p, Rel)]
        if len(nested) != 1 or nested[0].quant != "some" or any(
                _nested(p) for p in parts if not isinstance(p, Rel)):
            raise FilterError("relationship filters nest only as a chain: one relationship "
                              "filter per level, combined with the others by AND")
        sub = nested[0]
        try:
            sub_pattern, sub_target = RELATIONS[ftype][sub.field]
        except KeyError:
            raise FilterError(f"cannot filter {ftype} on {sub.field}") from None
        self.chained += 1
        item = f"y{self.chained}"
        chain = pattern + sub_pattern.removeprefix("(n)").replace("(x", f"({item}")
        conds = [self.render(p, ftype, var, top=False) for p in parts if p is not sub]
        if _nested(sub.where):
            chain, inner = self._chain(chain, sub_target, item, sub.where)
        else:
            inner = self.render(sub.where, sub_target, item, top=False)
        return chain, " AND ".join([*conds, inner])


def _nested(pred: Pred) -> bool:
    """True when a predicate holds a relationship filter."""
    if isinstance(pred, Rel):
        return True
    if isinstance(pred, And | Or):
        return any(_nested(p) for p in pred.parts)
    if isinstance(pred, Not):
        return _nested(pred.part)
    return False


def _matches_all(pred: Pred) -> bool:
    """True for a filter without conditions (`{}`), which every node satisfies."""
    return isinstance(pred, And) and all(_matches_all(p) for p in pred.parts)


def compile_where(label: str, pred: Pred | None, dialect: Dialect,
                  edge: str | None = None) -> Compiled:
    """Render a predicate tree over node `n` of `label`, and over relationship `r` with the
    edge filter type `edge` (raises FilterError on bad fields)."""
    compiler = _Compiler(dialect, edge)
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
    "WITH n, k ORDER BY k %DIR%, n.id %DIR% LIMIT $limit "
    "RETURN n.id AS id, %FIELDS% AS props, k",
    slots={"LABEL": LABELS, "KEY": tuple(sorted({k for m in SORT_KEYS.values()
                                                 for k in m.values()})),
           "CMP": (">", "<"), "DIR": ("ASC", "DESC"), "FIELDS": _fields_slot("n")},
)
"""One page of a root connection: filter, keyset condition (strictly after the cursor in the
direction of travel), order, limit + 1 (the extra row tells whether another page exists). The
properties are read for the page only: projected before the sort, they were read for every node
the filter keeps (10,000 documents: 38 ms of a 40 ms statement)."""

page_keys = query(
    "read.page_keys",
    "MATCH (n:%LABEL%) WHERE (1 = 1) WITH n, [n.id] AS k "
    "WHERE $after_id IS NULL OR (1 = 2) "
    "WITH n, k ORDER BY n.id ASC LIMIT $limit "
    "RETURN n.id AS id, %FIELDS% AS props, k",
    slots={"LABEL": LABELS, "FIELDS": _fields_slot("n")},
)
"""One page of a root connection sorted by several keys: `k` is the list of the keys, the
keyset condition "strictly after the cursor" is expanded key by key (each key may run in its
own direction), the id breaks ties."""


def page_keys_text(dialect: Dialect, label: str, where: Compiled,
                   keys: Sequence[tuple[str, bool]], id_ascending: bool) -> str:
    """The page statement for several sort keys, (SORT_KEYS name, ascending) each, in the
    direction of travel (paging backwards flips every key and the id)."""
    exprs = [SORT_KEYS[label][key] for key, _asc in keys]
    text = page_keys(dialect, LABEL=label, FIELDS=fields_of(label, "n"))
    text = text.replace(f"MATCH (n:{label}) WHERE {_PAGE_MARK}", _match(label, where), 1)
    text = text.replace("[n.id] AS k", "[" + ", ".join(exprs) + "] AS k", 1)
    same = [f"k[{j}] = $after_k[{j}]" for j in range(len(keys))]
    after = [" AND ".join([*same[:i], f"k[{i}] {'>' if asc else '<'} $after_k[{i}]"])
             for i, (_key, asc) in enumerate(keys)]
    after.append(" AND ".join([*same, f"n.id {'>' if id_ascending else '<'} $after_id"]))
    text = text.replace("(1 = 2)", "(" + ") OR (".join(after) + ")", 1)
    order = [f"k[{i}] {'ASC' if asc else 'DESC'}" for i, (_key, asc) in enumerate(keys)]
    order.append(f"n.id {'ASC' if id_ascending else 'DESC'}")
    return text.replace("ORDER BY n.id ASC", "ORDER BY " + ", ".join(order), 1)


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
                DIR="ASC" if ascending else "DESC", FIELDS=fields_of(label, "n"))
    return text.replace(f"MATCH (n:{label}) WHERE {_PAGE_MARK}", _match(label, where), 1)


def count_text(dialect: Dialect, label: str, where: Compiled) -> str:
    text = count(dialect, LABEL=label)
    return text.replace(f"MATCH (n:{label}) WHERE {_PAGE_MARK}", _match(label, where), 1)


_FACET_BY = {
    "speaker": "WITH n.speaker AS sid, count(n) AS count WHERE sid IS NOT NULL "
               "OPTIONAL MATCH (a:Actor {id: sid}) OPTIONAL MATCH (o:Outlet {id: sid}) "
               "WITH coalesce(a, o) AS s, count WITH s.id AS key, s.name AS label, count",
    "stance": "WITH n.stance AS key, count(n) AS count WITH key, key AS label, count",
    "concept": "MATCH (n)-[:INVOKES]->(x:Concept) WITH x, count(DISTINCT n) AS count "
               "WITH x.id AS key, x.name AS label, count",
    "precedent": "MATCH (n)-[:CITES_PRECEDENT]->(x:Precedent) WITH x, count(DISTINCT n) AS "
                 "count WITH x.id AS key, x.name AS label, count",
    "treatment": "MATCH (n)-[r:CITES_PRECEDENT]->(:Precedent) "
                 "WITH r.treatment AS key, count(DISTINCT n) AS count "
                 "WITH key, key AS label, count",
    "document": "WITH n.doc AS doc, count(n) AS count MATCH (d:Document {id: doc}) "
                "WITH d.id AS key, d.title AS label, count",
    "outlet": "WITH n.doc AS doc, count(n) AS claims "
              "MATCH (d:Document {id: doc})-[:PUBLISHED_BY]->(o:Outlet) "
              "WITH DISTINCT o, doc, claims WITH o, sum(claims) AS count "
              "WITH o.id AS key, o.name AS label, count",
    "month": "WITH n.doc AS doc, count(n) AS claims MATCH (d:Document {id: doc}) "
             "WHERE d.published IS NOT NULL "
             "WITH substring(toString(d.published), 0, 7) AS key, sum(claims) AS count "
             "WITH key, key AS label, count",
}
"""How the claims `n` that the filter selects (one row each) are counted per group of each
facet, as `key`, `label`, `count`. Why this shape: counting is done on the cheapest thing that
tells the groups apart, and the names are read once per group, not once per claim. A property of
the claim itself (stance, its speaker's or its document's id, which `Claim.speaker` and
`Claim.document` read too) needs no DISTINCT, since each claim is one row;
document, outlet and month group the claims by document first, so that the 186,000 claims of
the 10k graph cost 10,000 document look-ups instead of 186,000 (on that graph: stance 974 ->
193 ms, speaker 2,548 -> 282 ms, document 1,374 -> about 600 ms, machine loaded). A claim
counts once per group: DISTINCT where a pattern can reach it twice (two INVOKES of one concept),
and an outlet counts each of its documents once."""

claim_facet = {
    name: query(
        f"read.claim_facet.{name}",
        f"MATCH (n:Claim) WHERE (1 = 1) {by} WHERE key IS NOT NULL "
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
    """Filters that together use every property, operator, relationship and quantifier of each
    label (for the linter), one per part: the label's own properties; each relationship field
    with every property of its target under the first quantifier and an id under the others;
    the bare `_SOME`/`_NONE` hops; and each relationship field chained to each of its target's.

    Why parts: Neo4j's front end takes time growing faster than a statement's length (one
    49 KB filter over every Claim field took 260 s to lint, the same fields in parts seconds).
    """
    def every(ftype: str) -> list[Pred]:
        return [Cmp(f, op, None) for f, (_p, kind) in PROPERTIES[ftype].items()
                for op in OPERATORS[kind]]

    first, *others = _QUANTIFIERS
    out: dict[str, Pred] = {}
    for label in SORT_KEYS:
        out[f"{label}.properties"] = And((*every(label), Or(())))
        for f, (_pat, t) in RELATIONS.get(label, {}).items():
            out[f"{label}.{f}"] = Not(Or((Rel(f, Or(tuple(every(t))), first),
                                          *(Rel(f, Cmp("id", "eq", None), q) for q in others))))
        some = [Rel(f, And(()), q) for f in HOPS.get(label, {}) for q in ("some", "none")]
        if some:
            out[f"{label}.hops"] = And(tuple(some))
        for f, (_pat, t) in RELATIONS.get(label, {}).items():
            chains = [Rel(f, And((Cmp("id", "eq", None), Rel(g, Cmp("id", "eq", None)))), q)
                      for g in RELATIONS.get(t, {}) for q in ("some", "none")]
            if chains:
                out[f"{label}.{f}.chains"] = And(tuple(chains))
    return out


for _name, _pred in _sample_filters().items():
    _c = compile_where(_name.split(".")[0], _pred, Dialect.NEO4J)
    query(f"read.sample_filter.{_name}",
          _match(_name.split(".")[0], _c) + " RETURN n.id AS id LIMIT 1")


for _label, _keys in SORT_KEYS.items():
    query(f"read.sample_page_keys.{_label}",
          page_keys_text(Dialect.NEO4J, _label, Compiled(),
                         [(k, i % 2 == 0) for i, k in enumerate(_keys)], True))

# -- nodes by id, relationship fields --------------------------------------------------------

nodes_by_id = query(
    "read.nodes_by_id",
    " UNION ALL ".join(
        f"UNWIND ${lbl} AS id MATCH (n:{lbl} {{id: id}}) "
        f"RETURN n.id AS id, '{lbl}' AS label, {fields_of(lbl, 'n')} AS props"
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
    "RETURN id, collect({id: m.id, props: %FIELDS%, rel: properties(r), key: r.key}) "
    "AS items",
    slots={"SRC": LABELS, "LEFT": ("-", "<-"), "TYPE": REL_TYPES, "RIGHT": ("->", "-"),
           "DST": LABELS, "PROP": REL_PROPS, "FIELDS": _fields_slot("m"),
           "ORDER": ("m.id", *dict.fromkeys(ORDER_OF.values()))},
)
"""One relationship field for a batch of parents: per parent, the first related nodes with the
relationship's properties, optionally filtered on one edge property. The page is cut before
the properties are read, so a hub's thousands of related nodes cost a sort, not a projection."""

REL_CONNECTIONS: dict[str, tuple[str, str, str, str | None]] = {
    "Concept.claimsConnection": (
        "(p:Concept {id: pid})<-[r:INVOKES]-(n:Claim)", "r.stance", "Claim", "INVOKES"),
    "Claim.conceptsConnection": (
        "(p:Claim {id: pid})-[r:INVOKES]->(n:Concept)", "r.stance", "Concept", "INVOKES"),
    "Precedent.citedByConnection": (
        "(p:Precedent {id: pid})<-[r:CITES_PRECEDENT]-(n:Claim)", "r.treatment", "Claim",
        "CITES_PRECEDENT"),
    "Claim.precedentsConnection": (
        "(p:Claim {id: pid})-[r:CITES_PRECEDENT]->(n:Precedent)", "r.treatment", "Precedent",
        "CITES_PRECEDENT"),
    "Actor.claimsConnection": ("(p:Actor {id: pid})-[r:ASSERTS]->(n:Claim)", "null", "Claim",
                               None),
    "Outlet.claimsConnection": ("(p:Outlet {id: pid})-[r:ASSERTS]->(n:Claim)", "null", "Claim",
                                None),
    "Actor.eventsConnection": (
        "(p:Actor {id: pid})-[r:PARTICIPATED_IN]->(n:Event)", "r.role", "Event",
        "PARTICIPATED_IN"),
    "Event.participantsConnection": (
        "(p:Event {id: pid})<-[r:PARTICIPATED_IN]-(n:Actor)", "r.role", "Actor",
        "PARTICIPATED_IN"),
    "Event.claimsConnection": ("(p:Event {id: pid})<-[r:ABOUT]-(n:Claim)", "null", "Claim",
                               None),
    "Document.claimsConnection": (
        "(p:Document {id: pid})-[:HAS_PASSAGE]->(:Passage)<-[r:EVIDENCED_BY]-(n:Claim)", "null",
        "Claim", None),
    "Document.outletsConnection": (
        "(p:Document {id: pid})-[r:PUBLISHED_BY|CITES_SOURCE]->(n:Outlet)", "type(r)", "Outlet",
        "OUTLET_LINK"),
}
"""Relationship connections: field -> (pattern from parent `p` over `r` to node `n`, the edge
property the edges carry (one per relationship kind), the node's label, the edge filter type
of PROPERTIES)."""

REL_SORT: dict[str, dict[str, str]] = {
    "Concept": {"ID": "n.id", "NAME": "toLower(n.name)"},
    "Precedent": {"ID": "n.id", "NAME": "toLower(n.name)", "DATE": "toString(n.date)"},
    "Actor": {"ID": "n.id", "NAME": "toLower(n.name)", "TYPE": "toLower(n.type)"},
    "Event": {"ID": "n.id", "NAME": "toLower(n.name)", "DATE": "toString(n.date)"},
    "Claim": {"ID": "n.id", "STANCE": "n.stance", "SPEAKER": "n.speaker", "DOCUMENT": "n.doc"},
    "Outlet": {"ID": "n.id", "NAME": "toLower(n.name)", "DOMAIN": "toLower(n.domain)"},
    "EDGE": {"EDGE": "ev"},
}
"""Sort keys of relationship connections (names ignore case); EDGE is the edge property."""

_ORDER_MARK = "ORDER BY n.id "

rel_page = query(
    "read.rel_page",
    "UNWIND $ids AS pid MATCH %PATTERN% WHERE (1 = 1) "
    "WITH pid, n, %EDGE% AS ev, collect(DISTINCT r.doc) AS docs "
    "WITH pid, n, ev, docs ORDER BY n.id "
    "WITH pid, collect([n, ev, docs]) AS rows "
    "WITH pid, rows, CASE WHEN $forward THEN $skip + $limit WHEN $before IS NULL "
    "THEN size(rows) ELSE $before END AS hi "
    "WITH pid, rows, hi, CASE WHEN $forward THEN $skip WHEN hi < $limit THEN 0 "
    "ELSE hi - $limit END AS lo "
    "RETURN pid AS id, size(rows) AS total, lo, "
    "[x IN rows[lo..hi] | {id: x[0].id, props: %FIELDS%, edge: x[1], docs: x[2]}] "
    "AS items",
    slots={"PATTERN": tuple(v[0] for v in REL_CONNECTIONS.values()),
           "EDGE": tuple(dict.fromkeys(v[1] for v in REL_CONNECTIONS.values())),
           "FIELDS": _fields_slot("x[0]")},
)
"""One page of a relationship connection for a batch of parents, with each parent's total: the
filter on node and edge, one row per related node and edge meaning (the same fact from several
documents is one edge with those `docs`), the order, then the slice [lo, hi) of the page (from
an offset forward, or back from `before` or the end). Node properties are read for the page
only."""


def rel_page_text(dialect: Dialect, name: str, where: Compiled,
                  order: Sequence[tuple[str, str, bool]] | None) -> str:
    """The page statement of relationship connection `name` with a rendered filter and an
    order: (table of REL_SORT, key, ascending) per sort key, the node's id last; missing
    values sort last ascending and first descending, on both stores as in Neo4j. `order` None:
    no sort at all, for a request that asks for the total only (its page is empty, `$limit`
    0), which is most of such a statement's time on a concept with thousands of claims."""
    pattern, edge, label, _edge_type = REL_CONNECTIONS[name]
    text = rel_page(dialect, PATTERN=pattern, EDGE=edge, FIELDS=fields_of(label, "x[0]"))
    if where.bindings:
        match = (f"MATCH {pattern} WITH pid, r, n, " + ", ".join(where.bindings)
                 + f" WHERE {where.predicate}")
    else:
        match = f"MATCH {pattern} WHERE {where.predicate}"
    text = text.replace(f"MATCH {pattern} WHERE {_PAGE_MARK}", match, 1)
    if order is None:
        return text.replace(_ORDER_MARK, "", 1)
    keys = []
    for table, key, asc in order:
        expr = REL_SORT[table][key]
        direction = "ASC" if asc else "DESC"
        keys.append(f"CASE WHEN {expr} IS NULL THEN 1 ELSE 0 END {direction}, "
                    f"{expr} {direction}")
    if not order:
        keys.append(ORDER_OF.get(label, "m.id").replace("m.", "n."))
    keys.append("n.id ")
    return text.replace(_ORDER_MARK, "ORDER BY " + ", ".join(keys), 1)


def _sample_rel_pages() -> dict[str, str]:
    """Each relationship connection with a filter on node and edge and every sort key (for the
    linter)."""
    out: dict[str, str] = {}
    for name, (_pattern, _edge, label, edge_type) in REL_CONNECTIONS.items():
        parts: list[Pred] = [Cmp("id", "eq", None)]
        if edge_type is not None:
            parts += [Edge(Cmp(f, op, None)) for f, (_p, kind) in PROPERTIES[edge_type].items()
                      for op in OPERATORS[kind]]
        rels = RELATIONS.get(label, {})
        parts += [Rel(f, Cmp("id", "eq", None)) for f in rels]
        where = compile_where(label, And(tuple(parts)), Dialect.NEO4J, edge_type)
        order = [(label, key, asc) for key in REL_SORT[label] for asc in (True, False)]
        out[name] = rel_page_text(Dialect.NEO4J, name, where, [*order, ("EDGE", "EDGE", True)])
        out[name + ".total"] = rel_page_text(Dialect.NEO4J, name, where, None)
    return out


for _name, _text in _sample_rel_pages().items():
    query(f"read.sample_rel_page.{_name}", _text)


claims_by_document = query(
    "read.claims_by_document",
    "UNWIND $ids AS id MATCH (m:Claim {doc: id}) "
    "WITH id, m ORDER BY coalesce(m.start, -1), m.id "
    "RETURN id, collect({id: m.id, props: " + fields_of("Claim", "m")
    + ", rel: {}, key: null})[0..$first] AS items",
)

passage_claims = query(
    "read.passage_claims",
    "UNWIND $ids AS id MATCH (:Passage {id: id})<-[:EVIDENCED_BY]-(c:Claim) "
    "RETURN id, c.id AS claim ORDER BY id, claim",
)
"""The claims each passage evidences: a search folds a passage hit into its claims."""

# -- timeline, search, traversals, stats, export ---------------------------------------------

timeline = query(
    "read.timeline",
    "MATCH (n:Event) WHERE n.date IS NOT NULL "
    "AND ($since IS NULL OR n.date >= date($since)) "
    "AND ($until IS NULL OR n.date <= date($until)) "
    "WITH n ORDER BY n.date, n.id LIMIT $limit "
    "RETURN n.id AS id, " + fields_of("Event", "n") + " AS props",
)
"""Dated events in a window, in date order; the properties read for the page only."""

_EXPAND_RETURN = (
    "RETURN n.id AS src, m.id AS id, labels(m)[0] AS label, "
    "coalesce(m.name, m.title, m.text, m.id) AS name, "
    "coalesce(m.type, m.stance, m.format) "
    "AS kind, type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, "
    "r.key AS key LIMIT $limit"
)

expand = query(
    "read.expand",
    " UNION ALL ".join(
        f"UNWIND ${lbl} AS id MATCH (n:{lbl} {{id: id}})-[r]-(m) "
        f"WHERE (size($types) = 0 OR type(r) IN $types) "
        f"AND (size($labels) = 0 OR labels(m)[0] IN $labels) {_EXPAND_RETURN}"
        for lbl in LABELS),
)
"""One breadth-first level of a neighbourhood, for frontier nodes of every label at once,
along edges of `$types` to nodes of `$labels` (either list empty: any).

Names are cut to length in Python (kb.api.traversal.NAME_CHARS): FalkorDB's ``left`` can cut a
multi-byte character in two and return invalid UTF-8."""

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

BETWEEN_SHARED = tuple(
    rel.value for rel, pairs in EDGE_ENDPOINTS.items()
    if any(src in SHARED_FIELDS and dst in SHARED_FIELDS for src, dst in pairs))
"""The relationship types that can join two shared nodes (actors, concepts, ...)."""


def _edges_from(lbl: Label) -> str:
    if lbl in SHARED_FIELDS:
        pattern = f"(n:{lbl.value} {{id: id}})-[r:{'|'.join(BETWEEN_SHARED)}]->(m)"
    else:
        pattern = f"(n:{lbl.value} {{id: id}})-[r]-(m)"
    return (f"UNWIND ${lbl.value} AS id MATCH {pattern} WHERE m.id IN $all "
            f"AND (size($types) = 0 OR type(r) IN $types) "
            f"RETURN type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, "
            f"r.key AS key, properties(r) AS props")


edges_between = query("read.edges_between", " UNION ALL ".join(_edges_from(lbl) for lbl in Label))
"""Every edge among a set of nodes (a neighbourhood's induced subgraph, for exports), each at
least once (an edge between two document-owned nodes comes twice).

Why not every node's outgoing edges: a shared node is a hub (an actor mentioned in thousands
of passages has as many MENTIONED_IN edges), and reading all of a hub's edges to keep the few
whose other end is in the set grows with the graph. So a document's, passage's or claim's edges
(a bounded number each) are read in both directions, and a shared node's only along the types
that join two shared nodes: every edge with a document-owned end is found from that end. On the
1,000-document synthetic graph (FalkorDB's profile), the 2-hop neighbourhood of the most
mentioned actor (500 nodes, 607 edges) went through 4,092 edges instead of 7,605 (the actor's
own: 733 instead of 4,752), that of a concept (300 nodes) through 5,799 instead of 11,353."""

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
