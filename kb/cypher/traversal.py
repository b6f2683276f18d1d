"""Statements behind the store's search and path methods, where the dialects differ most."""

from __future__ import annotations

from kb.cypher import query
from kb.model import FULLTEXT_FIELDS, Label, RelType

LABELS = tuple(lbl.value for lbl in Label)
SEARCHABLE = tuple(lbl.value for lbl in FULLTEXT_FIELDS)

fulltext_label = query(
    "traversal.fulltext_label",
    None,
    neo4j="CALL db.index.fulltext.queryNodes('kb_fulltext_%LABEL%', $q, {limit: $limit}) "
    "YIELD node, score "
    "RETURN node.id AS id, '%LABEL%' AS label, score ORDER BY score DESC, id LIMIT $limit",
    falkordb="CALL db.idx.fulltext.queryNodes('%LABEL%', $q) YIELD node, score "
    "RETURN node.id AS id, '%LABEL%' AS label, score ORDER BY score DESC, id LIMIT $limit",
    slots={"LABEL": SEARCHABLE},
)
"""The best full-text hits of one label's index; the store unions the labels asked for and keeps
the best of those (a common word matches tens of thousands of passages, which no reply should
carry)."""

path_ends = query(
    "traversal.path_ends",
    None,
    falkordb="OPTIONAL MATCH (a:%SRC% {id: $s}) OPTIONAL MATCH (b:%DST% {id: $t}) "
    "RETURN ID(a) AS a, ID(b) AS b",
    slots={"SRC": LABELS, "DST": LABELS},
)

REL_TYPES = tuple(t.value for t in RelType)

frontier_edges = query(
    "traversal.frontier_edges",
    None,
    falkordb="UNWIND $ids AS i MATCH (n)-[:%TYPES%]-() WHERE ID(n) = i "
    "WITH i LIMIT $cap RETURN count(i) AS edges",
    slots={"TYPES": REL_TYPES},
    joined=("TYPES",),
)
"""How many edges of the walkable types a frontier has, counted up to `cap`: the search expands
the side with fewer (a frontier of one node can be a hub with 30,000 edges, and another of a
thousand claims have ten each). Counting is cheap where returning the rows is not; the types
are in the pattern, as a filter on type(r) would cost ten times more."""

node_labels = query(
    "traversal.node_labels",
    None,
    falkordb="UNWIND $ids AS i MATCH (n) WHERE ID(n) = i RETURN i, labels(n)[0] AS label",
)
"""The labels of a found chain's nodes, to start each step's edge lookup from its less
connected end."""

expand_internal = query(
    "traversal.expand_internal",
    None,
    falkordb="UNWIND $ids AS i MATCH (n)-[:%TYPES%]-(m) WHERE ID(n) = i "
    "WITH i, m WHERE ID(m) IN $ends OR none(l IN labels(m) WHERE l IN $exclude) "
    "RETURN ID(m) AS m, collect(i)[0..$fan] AS ns LIMIT $limit",
    slots={"TYPES": REL_TYPES},
    joined=("TYPES",),
)
"""One breadth-first level over FalkorDB's internal ids (its shortestPath is directed only):
each neighbour once, with up to `fan` parents, as integers only, so that a level through a hub
(an actor mentioned in thousands of passages) stays a small reply. The two ends pass the label
filter whatever their labels; the filter sits after a WITH (inside the MATCH's WHERE, FalkorDB
evaluates it ten times slower)."""

path_meet = query(
    "traversal.path_meet",
    None,
    falkordb="UNWIND $ids AS i MATCH (n)-[:%TYPES%]-(m) WHERE ID(n) = i "
    "WITH i, ID(m) AS m WHERE m IN $other "
    "RETURN m, collect(i)[0..$fan] AS ns ORDER BY m LIMIT $limit",
    slots={"TYPES": REL_TYPES},
    joined=("TYPES",),
)
"""The last level of a search when the other side's frontier is small: only where the two
frontiers touch. (The membership test sits after a WITH: inside the MATCH's WHERE, FalkorDB
plans it as a scan of every node. It is a linear scan of the list, hence "small".)"""

path_edge = query(
    "traversal.path_edge",
    None,
    falkordb="MATCH (a) WHERE ID(a) = $x MATCH (b) WHERE ID(b) = $y MATCH (a)-[r:%TYPES%]-(b) "
    "WITH $k AS k, a, b, r ORDER BY type(r), ID(r) LIMIT 1 "
    "RETURN k, a.id AS a, b.id AS b, type(r) AS type, startNode(r).id AS sid, "
    "endNode(r).id AS tid, r.key AS key",
    slots={"TYPES": REL_TYPES},
    joined=("TYPES",),
)
"""One step of a found chain: the stable ids of its two nodes and one edge of the walkable types
between them (the first by type). Both ends are seeks by internal id, but FalkorDB walks the
edges of `$x`, so the store puts the less connected end there (a claim before an entity, an
inner node before a searched end: 1 ms against 60 from a hub), and sends the steps of its
chains as one UNION ALL query."""

shortest_path = query(
    "traversal.shortest_path",
    None,
    neo4j="MATCH (a:%SRC% {id: $s}) MATCH (b:%DST% {id: $t}) "
    "MATCH p = %SHORTEST%((a)-[*..%HOPS%]-(b)) "
    "WHERE none(x IN nodes(p)[1..-1] WHERE any(l IN labels(x) WHERE l IN $exclude)) "
    "AND all(r IN relationships(p) WHERE size($types) = 0 OR type(r) IN $types) "
    "WITH p, [n IN nodes(p) | n.id] AS ids "
    "ORDER BY ids, [r IN relationships(p) | type(r)], [r IN relationships(p) | r.key] "
    "WITH ids, collect(p)[0] AS p ORDER BY ids LIMIT $limit "
    "RETURN ids AS nodes, "
    "[r IN relationships(p) | {source: startNode(r).id, target: endNode(r).id, "
    "type: type(r), key: r.key}] AS rels",
    slots={"SRC": LABELS, "DST": LABELS, "HOPS": ("6", "1", "2", "3", "4", "5"),
           "SHORTEST": ("shortestPath", "allShortestPaths")},
)
"""Neo4j's own search: one shortest path, or (allShortestPaths) every path of that length, in
the order of their node ids, cut at `limit`; paths through the same nodes along parallel edges
count once (the first by edge type, as on FalkorDB)."""
