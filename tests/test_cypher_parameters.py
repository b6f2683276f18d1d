"""Values reach Cypher only as `$parameters`: a source scan and a check of what is sent.

1. The scan (`ast`) reads every module of kb/ (the GraphQL API in kb/api included), loaders/,
   bench/ and seeds/ and finds every string that is built (f-string, `%`, `.format`, `+`,
   `.join`) from literal parts that look like Cypher (a clause: MATCH (, MERGE (, RETURN x,
   WHERE x, SET n., DELETE x, UNWIND x, CALL {, WITH x AS, ORDER BY, UNION, ...). Such a string
   is only accepted where a reviewed mechanism builds it, listed in ALLOWED below with the
   reason it is safe and the guards its code must still contain, or at import time at the
   module level of kb/cypher (statements registered with `query()`, made from `kb.model`'s
   enums, and checked again at runtime by the second part). Anything else fails, with the file,
   line and function. An ALLOWED entry that no longer matches anything fails too, so the list
   cannot go stale.
2. Runtime: every registered statement, in every dialect and with every allowed value of every
   slot, holds no literal value: its quoted strings are identifier-shaped (labels, property and
   index names, `''`) and were in its text before the slots were filled. The filter compiler
   and the allow-listed builders are fed hostile values and names, and must put values in the
   parameters and refuse names that are not in their tables.
3. A self-test feeds the scan synthetic bad snippets (`f"MATCH (n) WHERE n.name = '{name}'"` and
   its `%`, `.format`, `+`, `.join` forms) and harmless ones, to prove that it can fail.
"""

from __future__ import annotations

import ast
import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb.cypher import Query, all_queries
from kb.cypher import read as rq
from kb.store.base import Dialect

REPO = Path(__file__).resolve().parents[1]
SCANNED = ("kb", "loaders", "bench", "seeds")

CYPHER = re.compile(
    r"\b(?:(?:OPTIONAL\s+)?MATCH\s*\(|MERGE\s*\(|CREATE\s*(?:\(|INDEX|CONSTRAINT|FULLTEXT)"
    r"|RETURN\s+\S|WHERE\s+\S|SET\s+\w+\s*(?:\.|\+=|=)|(?:DETACH\s+)?DELETE\s+\w"
    r"|UNWIND\s+\S|CALL\s*(?:\{|[\w.]+\()|WITH\s+\w+\s*(?:,|AS\b)|ORDER\s+BY\s+\S"
    r"|UNION(?:\s+ALL)?\b|REMOVE\s+\w+[.:]|FOREACH\s*\(|YIELD\s+\w)")
"""A Cypher clause as code writes it (upper case, followed by Cypher syntax): prose such as
"UNWIND/MERGE, batches of 500" does not match."""

HOLE = "\uffff"
"""Stands for an interpolated part when the literal parts are joined for the CYPHER test."""


@dataclass(frozen=True, slots=True)
class Mechanism:
    reason: str
    guards: tuple[str, ...] = ()
    """Text the function's source must still contain (its allow-list lookups)."""
    import_time: bool = False
    """The function may only be called from its module's top level (at import time)."""


ALLOWED: dict[tuple[str, str], Mechanism] = {
    ("kb/cypher/read.py", "_Compiler._cmp"): Mechanism(
        "a comparison: the property and the operator template are looked up in PROPERTIES and "
        "OPERATORS (unknown ones raise FilterError, BAD_USER_INPUT); the value becomes a "
        "$parameter through self.param",
        guards=("PROPERTIES[ftype][pred.field]", "OPERATORS[kind][pred.op]", "self.param(")),
    ("kb/cypher/read.py", "_Compiler._rel"): Mechanism(
        "a relationship filter: the pattern comes from RELATIONS, the relationship type of an "
        "empty filter from HOPS and its template from EXISTS; list variables are generated "
        "(x0, r0); the inner filter is rendered by the same compiler",
        guards=("RELATIONS[ftype][pred.field]", "HOPS.get(", "EXISTS[self.dialect]")),
    ("kb/cypher/read.py", "_match"): Mechanism(
        "MATCH and WHERE of a filtered list: the label is checked by the callers (the LABEL "
        "slot of read.page / read.count, or the import-time sample filters); bindings and "
        "predicate are a Compiled made by _Compiler",
        guards=("where: Compiled",)),
    ("kb/cypher/read.py", "page_text"): Mechanism(
        "a page of a root list: the label and sort key are looked up in SORT_KEYS and passed "
        "through the slots of the registered read.page (values outside the allow-lists raise) "
        "before the neutral filter mark is replaced by the compiled filter",
        guards=("SORT_KEYS[label][key]", "page(dialect, LABEL=label")),
    ("kb/cypher/read.py", "page_keys_text"): Mechanism(
        "a page of a root list sorted by several keys: the label passes the LABEL slot of the "
        "registered read.page_keys, the key expressions are looked up in SORT_KEYS, list "
        "indexes and directions are generated; the filter is a Compiled made by _Compiler",
        guards=("SORT_KEYS[label][key]", "page_keys(dialect, LABEL=label", "where: Compiled")),
    ("kb/cypher/read.py", "rel_page_text"): Mechanism(
        "a page of a relationship connection: the pattern comes from REL_CONNECTIONS and passes "
        "the PATTERN and EDGE slots of the registered read.rel_page; the sort expressions are "
        "looked up in REL_SORT; bindings and predicate are a Compiled made by _Compiler",
        guards=("REL_CONNECTIONS[name]", "REL_SORT[table][key]",
                "rel_page(dialect, PATTERN=pattern", "where: Compiled")),
    ("kb/cypher/read.py", "count_text"): Mechanism(
        "the count of a root list: the label passes the LABEL slot of read.count first",
        guards=("count(dialect, LABEL=label)",)),
    ("kb/cypher/read.py", "facet_text"): Mechanism(
        "a claim facet: the registered read.claim_facet statement of one facet name (a KeyError "
        "for any other) with the neutral filter mark replaced by the compiled filter",
        guards=("claim_facet[name](dialect)", "_match(\"Claim\", where)")),
    ("kb/cypher/write.py", "_merge_nodes_text"): Mechanism(
        "the node MERGE/CREATE statement of one label, made at import time for each "
        "kb.model.Label; date properties from kb.model.DATE_FIELDS",
        guards=("label.value", "DATE_FIELDS"), import_time=True),
    ("kb/cypher/write.py", "_create_nodes_text"): Mechanism(
        "the CREATE statement of a new document's own nodes of one label, made at import time "
        "for kb.cypher.write.DOCUMENT_OWNED; property names from kb.model.OWN_FIELDS, dates "
        "from kb.model.DATE_FIELDS",
        guards=("label.value", "OWN_FIELDS", "DATE_FIELDS"), import_time=True),
    ("kb/cypher/write.py", "_edges_text"): Mechanism(
        "the edge MERGE/CREATE statement of one (type, source label, target label), made at "
        "import time for each pair of kb.model.EDGE_ENDPOINTS; the CREATE's property names "
        "from kb.model.EDGE_FIELDS",
        guards=("rel.value", "src.value", "dst.value", "EDGE_FIELDS[rel]"), import_time=True),
    ("kb/cypher/read.py", "_edges_from"): Mechanism(
        "one branch of read.edges_between, made at import time for each kb.model.Label; the "
        "relationship types of a shared label's pattern are BETWEEN_SHARED, derived from "
        "kb.model.EDGE_ENDPOINTS",
        guards=("lbl.value", "BETWEEN_SHARED", "SHARED_FIELDS"), import_time=True),
    ("kb/store/falkordb.py", "FalkorDBStore.write_batch"): Mechanism(
        "a transaction: statements (kb.cypher texts) are wrapped in CALL { } subqueries and "
        "their $parameter names get a fixed prefix; values stay parameters",
        guards=("_PARAM.sub(",)),
    ("kb/store/falkordb.py", "FalkorDBStore.fulltext"): Mechanism(
        "a UNION of the registered traversal.fulltext_label statement, one per label of "
        "kb.model.Label that has full-text fields (the LABEL slot checks it again); the "
        "search text is the $q parameter",
        guards=("traversal.fulltext_label(", "for lbl in Label")),
    ("kb/store/neo4j.py", "Neo4jStore.fulltext"): Mechanism(
        "a UNION ALL of the registered traversal.fulltext_label statement, one per label of "
        "kb.model.Label that has full-text fields (the LABEL slot checks it again); the "
        "search text is the $q parameter",
        guards=("traversal.fulltext_label(", "for lbl in Label")),
    ("kb/store/falkordb.py", "FalkorDBStore._assemble"): Mechanism(
        "a UNION ALL of the registered traversal.path_edge statement, one per step of a found "
        "chain; its $parameter names get the step's number; the ids stay parameters",
        guards=("traversal.path_edge(", "_PARAM.sub(")),
    ("bench/naive.py", "_prop"): Mechanism(
        "the benchmark's deliberately naive resolvers (one statement per field): the label "
        "must be a kb.model.Label and the property one of its kb.model.API_FIELDS, or ValueError",
        guards=("Label.__members__.values()", "in API_FIELDS[Label(label)]")),
}
"""Reviewed builders of Cypher text, by (file, function). Everything they splice is a name
from an allow-list (labels, types, properties, operator templates) or a generated variable."""

IMPORT_TIME_DIR = "kb/cypher/"
"""Module-level code of kb/cypher runs once, at import, over kb.model's enums and the module's
own tables: no request value exists then. Its statements are registered with `query()`, and
`test_registered_statements_hold_no_literal_values` checks what they render to."""


# -- the scan ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Built:
    """A Cypher-looking string built from parts that are not all literal."""

    path: str
    line: int
    scope: str
    how: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.scope}: {self.how} {self.text[:90]!r}"


def _literal(node: ast.AST) -> str | None:
    """The literal text of a str constant or an f-string (interpolations as HOLE)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)
    return None


def _looks_like_cypher(text: str) -> bool:
    return bool(CYPHER.search(text.replace(HOLE, "x")))


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, constants: dict[str, str]) -> None:
        self.path = path
        self.constants = constants
        self.scope: list[str] = []
        self.found: list[Built] = []
        self.calls: list[tuple[str, str]] = []
        """(called name, calling scope) for every call of a plain or attribute name."""
        self.holds_cypher = any(_looks_like_cypher(c) for c in constants.values())

    def _add(self, node: ast.AST, how: str, text: str) -> None:
        self.found.append(Built(self.path, getattr(node, "lineno", 0),
                                ".".join(self.scope) or "<module>", how, text))

    def _template(self, node: ast.AST) -> str | None:
        text = _literal(node)
        if text is None and isinstance(node, ast.Name):
            text = self.constants.get(node.id)
        return text

    def _scoped(self, node: ast.AST) -> None:
        self.scope.append(node.name)  # type: ignore[attr-defined]
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = _literal(node) or ""
        if HOLE in text and _looks_like_cypher(text):
            self._add(node, "f-string", text)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Add):
            parts: list[ast.AST] = []
            todo: list[ast.AST] = [node]
            while todo:  # flatten a + b + c, left to right
                x = todo.pop()
                if isinstance(x, ast.BinOp) and isinstance(x.op, ast.Add):
                    todo += [x.right, x.left]
                else:
                    parts.append(x)
            texts = [_literal(p) for p in parts]
            joined = "".join(HOLE if t is None else t for t in texts)
            dynamic = any(t is None or HOLE in t for t in texts)
            if dynamic and any(t is not None for t in texts) and _looks_like_cypher(joined):
                self._add(node, "concatenation", joined)
            for p in parts:
                self.visit(p)
            return
        if isinstance(node.op, ast.Mod):
            template = self._template(node.left)
            if template is not None and _looks_like_cypher(template):
                self._add(node, "%-formatting", template)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            self.calls.append((func.id, ".".join(self.scope) or "<module>"))
        elif isinstance(func, ast.Attribute):
            self.calls.append((func.attr, ".".join(self.scope) or "<module>"))
            if func.attr == "format":
                template = self._template(func.value)
                if template is not None and _looks_like_cypher(template):
                    self._add(node, ".format", template)
                elif template is None and self.holds_cypher:
                    # a template the scan cannot see, in a module that holds Cypher
                    self._add(node, ".format of an unseen template", ast.unparse(func.value))
            elif func.attr == "join":
                sep = _literal(func.value)
                items = node.args[0] if node.args else None
                elements = (items.elts if isinstance(items, ast.List | ast.Tuple) else [])
                texts = [_literal(e) for e in elements]
                if sep is not None and _looks_like_cypher(sep):
                    self._add(node, "join", sep)
                elif any(t is None for t in texts) and _looks_like_cypher(
                        (sep or "").join(HOLE if t is None else t for t in texts)):
                    self._add(node, "join", (sep or "").join(t or HOLE for t in texts))
        self.generic_visit(node)


def _constants(tree: ast.Module) -> dict[str, str]:
    """Names bound to a str constant anywhere in the module (module level or in a function)."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                for t in targets:
                    if isinstance(t, ast.Name):
                        out[t.id] = value.value
    return out


def _functions(tree: ast.Module) -> dict[str, ast.AST]:
    """Functions by qualified name (Class.method, outer.inner)."""
    out: dict[str, ast.AST] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    out[name] = child
                walk(child, name + ".")
            else:
                walk(child, prefix)

    walk(tree, "")
    return out


def scan(source: str, path: str) -> tuple[list[str], set[tuple[str, str]]]:
    """Violations in one module, and the ALLOWED entries it used."""
    tree = ast.parse(source)
    scanner = _Scanner(path, _constants(tree))
    scanner.visit(tree)
    functions = _functions(tree)
    violations: list[str] = []
    used: set[tuple[str, str]] = set()
    for built in scanner.found:
        if built.scope == "<module>" and path.startswith(IMPORT_TIME_DIR):
            continue
        key = (path, built.scope)
        mechanism = ALLOWED.get(key)
        if mechanism is None:
            violations.append(f"{built}: Cypher built from a value; pass it as a $parameter "
                              "(or review the builder and add it to ALLOWED)")
            continue
        used.add(key)
    for key in used:
        mechanism = ALLOWED[key]
        fn = functions[key[1]]
        body = ast.get_source_segment(source, fn) or ""
        missing = [g for g in mechanism.guards if g not in body]
        if missing:
            violations.append(f"{key[0]}: {key[1]} no longer contains its allow-list guard(s) "
                              f"{missing}: review it again ({mechanism.reason})")
        if mechanism.import_time:
            name = key[1].rsplit(".", 1)[-1]
            late = {scope for called, scope in scanner.calls
                    if called == name and scope != "<module>"}
            if late:
                violations.append(f"{key[0]}: {key[1]} must only run at import time, but "
                                  f"{sorted(late)} call it")
    return violations, used


def scanned_files() -> Iterator[Path]:
    for folder in SCANNED:
        yield from sorted((REPO / folder).rglob("*.py"))


def test_no_cypher_is_built_from_values() -> None:
    violations: list[str] = []
    used: set[tuple[str, str]] = set()
    files = list(scanned_files())
    assert len(files) > 30, files  # the scan reads the project, not an empty folder
    for path in files:
        rel = path.relative_to(REPO).as_posix()
        found, seen = scan(path.read_text(), rel)
        violations += found
        used |= seen
    stale = sorted(set(ALLOWED) - used)
    assert not violations, "\n".join(violations)
    assert not stale, f"ALLOWED entries that no longer build Cypher (remove them): {stale}"


# -- the scan can fail ---------------------------------------------------------------------------


BAD = {
    "f-string": "def find(store, name):\n"
                "    return store.read(f\"MATCH (n) WHERE n.name = '{name}' RETURN n\")\n",
    "%": "def find(name):\n    return \"MATCH (n) WHERE n.name = '%s' RETURN n\" % name\n",
    ".format": "def find(name):\n"
               "    return \"MATCH (n) WHERE n.name = '{}' RETURN n\".format(name)\n",
    "+": "def find(name):\n    return \"MATCH (n) WHERE n.name = '\" + name + \"' RETURN n\"\n",
    "join": "def find(name):\n"
            "    return ''.join([\"MATCH (n) WHERE n.name = '\", name, \"' RETURN n\"])\n",
    "named template": "Q = \"MATCH (n) WHERE n.name = '{}' RETURN n\"\n"
                      "def find(name):\n    return Q.format(name)\n",
    "unseen template": "Q = 'MATCH (n) RETURN n'\n"
                       "def find(t, name):\n    return t['x'].format(name=name)\n",
    "label from a value": "async def by_label(store, label):\n"
                          "    await store.read(f'MATCH (n:{label}) RETURN n.id AS id')\n",
    "delete": "def drop(doc):\n    return 'MATCH (d {id: \"' + doc + '\"}) DETACH DELETE d'\n",
    "module level outside kb/cypher": "LABEL = input()\nQ = f'MATCH (n:{LABEL}) RETURN n'\n",
}

HARMLESS = {
    "constant": "Q = 'MATCH (n) WHERE n.name = $name RETURN n.id AS id'\n",
    "implicit concatenation": "Q = ('MATCH (n) WHERE n.name = $name '\n     'RETURN n.id AS id')\n",
    "prose": "def report(n, b):\n    print(f'{n} nodes (UNWIND/MERGE, batches of {b})')\n",
    "message": "def fail(ftype, field):\n"
               "    raise ValueError(f'cannot filter {ftype} on {field}')\n",
    "logging": "def note(log, a, b):\n    log.info('set %s where %s', a, b)\n",
    "not cypher": "def greet(name):\n    return 'Hello ' + name + ', where are you?'\n",
    "format elsewhere": "def show(t, x):\n    return t.format(x)\n",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_scan_flags_values_spliced_into_cypher(name: str) -> None:
    violations, _used = scan(BAD[name], "kb/api/example.py")
    assert violations, f"not flagged: {BAD[name]!r}"


@pytest.mark.parametrize("name", sorted(HARMLESS))
def test_the_scan_leaves_harmless_strings_alone(name: str) -> None:
    violations, _used = scan(HARMLESS[name], "kb/api/example.py")
    assert not violations, violations


def test_the_allow_list_is_per_file_and_needs_its_guards() -> None:
    naive = ("async def _prop(info, label, node_id, prop):\n"
             "    if label not in Label.__members__.values()"
             " or prop not in API_FIELDS[Label(label)]:\n"
             "        raise ValueError(label)\n"
             "    return await info.read(f'MATCH (n:{label} {{id: $id}}) RETURN n.{prop} AS v',"
             " {'id': node_id})\n")
    assert scan(naive, "bench/naive.py") == ([], {("bench/naive.py", "_prop")})
    assert scan(naive, "kb/api/naive.py")[0], "an allowed name in another file is not allowed"
    unguarded = naive.replace(" or prop not in API_FIELDS[Label(label)]", "")
    violations, _used = scan(unguarded, "bench/naive.py")
    assert any("guard" in v for v in violations), violations
    late = ("def _merge_nodes_text(label):\n"
            "    return f'UNWIND $rows AS row MERGE (n:{label.value}) SET n += row.props'"
            " + DATE_FIELDS\n"
            "def at_request_time(label):\n    return _merge_nodes_text(label)\n")
    violations, _used = scan(late, "kb/cypher/write.py")
    assert any("import time" in v for v in violations), violations
    module_level = "Q = f'MATCH (n:{LABEL}) RETURN n'\n"
    assert scan(module_level, "kb/cypher/example.py")[0] == []
    assert scan(module_level, "kb/api/example.py")[0]


# -- runtime: what registered statements render to ----------------------------------------------

QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SLOT = re.compile(r"%[A-Z_]+%")


def _literals(text: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in QUOTED.finditer(text)]


def renderings(q: Query) -> Iterator[tuple[Dialect, dict[str, str], str]]:
    """Every dialect, with the default filling and each other allowed value of each slot."""
    slots = dict(q.slots)
    defaults = {name: allowed[0] for name, allowed in slots.items()}
    for dialect in Dialect:
        if q.for_dialect(dialect) is None:
            continue
        yield dialect, defaults, q(dialect, **defaults)
        for name, allowed in slots.items():
            for value in allowed[1:]:
                filled = {**defaults, name: value}
                yield dialect, filled, q(dialect, **filled)


def _raw(q: Query, dialect: Dialect) -> str:
    override = q.neo4j if dialect is Dialect.NEO4J else q.falkordb
    return override if override is not None else q.text or ""


def check_statement(text: str, template: str, slot_values: set[str]) -> list[str]:
    """Problems of one rendered statement: an unfilled slot, or a quoted literal that is not an
    identifier already in the template or an allowed slot value (that is, a value)."""
    problems: list[str] = []
    if SLOT.search(text):
        problems.append(f"unfilled slot {SLOT.search(text).group()}")  # type: ignore[union-attr]
    known = set(_literals(template)) | slot_values
    # a literal of the template made from a slot (`'kb_fulltext_%LABEL%'`), filled
    known |= {SLOT.sub(v, lit) for lit in _literals(template) if SLOT.search(lit)
              for v in slot_values}
    known |= {lit for v in slot_values for lit in _literals(v)}  # `coalesce(n.name, '')`
    for lit in _literals(text):
        if lit and not IDENTIFIER.fullmatch(lit):
            problems.append(f"literal {lit!r} is not identifier-shaped")
        elif lit not in known and not lit.startswith("%"):
            problems.append(f"literal {lit!r} was not in the statement's text")
    return problems


def test_registered_statements_hold_no_literal_values() -> None:
    queries = all_queries()
    assert len(queries) > 30
    problems: list[str] = []
    rendered = 0
    for q in queries:
        slot_values = {v for _name, allowed in q.slots for v in allowed}
        for dialect, filled, text in renderings(q):
            rendered += 1
            problems += [f"{q.name} [{dialect} {filled}]: {p}"
                         for p in check_statement(text, _raw(q, dialect), slot_values)]
    assert rendered > len(queries)
    assert not problems, "\n".join(problems)


def test_the_statement_check_can_fail() -> None:
    template = "MATCH (n:%LABEL% {id: $id}) RETURN '%LABEL%' AS label, coalesce(n.name, '')"
    assert check_statement("MATCH (n:Actor {id: $id}) RETURN 'Actor' AS label, "
                           "coalesce(n.name, '')", template, {"Actor"}) == []
    assert check_statement("MATCH (n:Actor {id: 'actor:x'}) RETURN n", template, {"Actor"})
    assert check_statement("MATCH (n:Actor) WHERE n.name = 'Iran' RETURN n", template,
                           {"Actor"})
    assert check_statement("MATCH (n:%LABEL%) RETURN n", template, {"Actor"})


MARK = "zq9"
"""Starts every hostile value, so that finding one in a statement's text is unambiguous."""
HOSTILE = [MARK + v for v in ("') DETACH DELETE n //", "\"}) MATCH (m) DETACH DELETE m //",
                              "' OR 1=1 //", "$w0", "{", "}", "`", "%LABEL%", "\\")]


def test_filters_put_values_in_parameters() -> None:
    """Every property, operator and relationship of the filter tables, with hostile values:
    the text of the page and count statements never holds them; the parameters do."""
    checked = 0
    page_slots = {v for q in (rq.page, rq.count) for _name, allowed in q.slots for v in allowed}
    for dialect in Dialect:
        for label in rq.SORT_KEYS:
            preds: list[rq.Pred] = []
            for value in HOSTILE:
                for field, (_prop, kind) in rq.PROPERTIES[label].items():
                    preds += [rq.Cmp(field, op, value) for op in rq.OPERATORS[kind]]
                for field, (_pattern, target) in rq.RELATIONS.get(label, {}).items():
                    inner = next(iter(rq.PROPERTIES[target]))
                    preds.append(rq.Rel(field, rq.Cmp(inner, "eq", value)))
            for pred in preds:
                compiled = rq.compile_where(label, pred, dialect)
                for key in rq.SORT_KEYS[label]:
                    for text in (rq.page_text(dialect, label, compiled, key, True),
                                 rq.count_text(dialect, label, compiled)):
                        checked += 1
                        assert MARK not in text, (pred, text)
                        template = _raw(rq.page, dialect) + _raw(rq.count, dialect)
                        problems = check_statement(text, template, page_slots)
                        assert not problems, (pred, text, problems)
                assert any(v in compiled.params.values() for v in HOSTILE), compiled.params
    assert checked > 1000


@pytest.mark.parametrize("bad", [
    rq.Cmp("name) DETACH DELETE n //", "eq", "x"),
    rq.Cmp("name", "eq} DETACH DELETE n //", "x"),
    rq.Cmp("__class__", "eq", "x"),
    rq.Rel("speaker]->(m) DETACH DELETE m //", rq.Cmp("name", "eq", "x")),
    rq.Rel("speaker", rq.Rel("concept", rq.Cmp("name", "eq", "x"))),
])
def test_filter_names_outside_the_tables_are_refused(bad: rq.Pred) -> None:
    with pytest.raises(rq.FilterError):
        rq.compile_where("Claim", bad, Dialect.FALKORDB)


def test_slots_and_builders_refuse_names_outside_their_allow_lists() -> None:
    compiled = rq.compile_where("Actor", None, Dialect.FALKORDB)
    with pytest.raises((KeyError, ValueError)):
        rq.page_text(Dialect.FALKORDB, "Actor) DETACH DELETE n //", compiled, "ID", True)
    with pytest.raises(KeyError):
        rq.page_text(Dialect.FALKORDB, "Actor", compiled, "n.id) DETACH DELETE n //", True)
    with pytest.raises(ValueError):
        rq.count_text(Dialect.FALKORDB, "Actor) DETACH DELETE n //", compiled)
    for q in all_queries():
        for name, allowed in q.slots:
            defaults = {n: a[0] for n, a in q.slots}
            dialect = Dialect.NEO4J if q.for_dialect(Dialect.NEO4J) else Dialect.FALKORDB
            with pytest.raises(ValueError):
                q(dialect, **{**defaults, name: allowed[0] + ") DETACH DELETE n //"})


def test_the_naive_benchmark_resolver_checks_its_names() -> None:
    naive = pytest.importorskip("bench.naive")
    for label, prop in [("Actor) DETACH DELETE n //", "name"), ("Actor", "name} RETURN 1 //"),
                        ("Secret", "name")]:
        with pytest.raises(ValueError):
            asyncio.run(naive._prop(None, label, "actor:x", prop))
