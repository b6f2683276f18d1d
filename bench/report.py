"""Render the results of one benchmark run as Markdown (the file in `bench/results/`): one
store's figures, or (`--store both`) FalkorDB's and Neo4j's side by side, then each in full."""

from __future__ import annotations

import math
from typing import Any

NA = "n/a"
TARGET_INGEST_DPS = 100.0
TARGET_RATIO = 11.0
TARGET_SCALE_UP = 1.7
"""Throughput at concurrency 8 over throughput at concurrency 1 (both cores used)."""
TARGET_FLOOR = 1.5
TARGET_NAIVE = 5.0
TARGET_P99_MS = 50.0
TARGET_RSS = 300 * 2**20


def ms(v: Any) -> str:
    return NA if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1f}"


def mb(v: Any) -> str:
    return NA if not v else f"{v / 2**20:.0f} MB"


def num(v: Any, digits: int = 0) -> str:
    return NA if v is None else f"{v:,.{digits}f}"


def ratio(a: Any, b: Any) -> float | None:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return None
    return a / b


def rx(v: float | None) -> str:
    return NA if v is None else f"{v:.2f}×"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _nested(q: dict[str, Any]) -> dict[str, Any] | None:
    return next((v for v in q.get("queries", {}).values() if v["kind"] == "nested"), None)


def targets(res: dict[str, Any], sizes: dict[str, Any] | None = None) -> list[list[str]]:
    sizes = res["sizes"] if sizes is None else sizes
    qsize = str(res["config"]["query_size"])
    rows: list[list[str]] = []

    big = "10000" if "10000" in sizes else max(sizes, key=int)
    label = (f"ingestion ≥ {TARGET_INGEST_DPS:.0f} docs/s at 10k docs, "
             f"{res['machine']['cores']} cores")
    if _reused(sizes[big]):
        rows.append([label, "not measured (queries on a store ingested by an earlier run)", NA])
    else:
        dps = sizes[big]["ingest"]["docs_per_s"]
        note = "" if big == "10000" else f" (measured at {int(big):,} docs, not 10k)"
        rows.append([label, f"{dps:.1f} docs/s{note}", _verdict(dps >= TARGET_INGEST_DPS)])
    if "1000" in sizes and "10000" in sizes and not any(_reused(z) for z in sizes.values()):
        r = sizes["10000"]["ingest"]["wall_s"] / sizes["1000"]["ingest"]["wall_s"]
        rows.append([f"ingestion time 10k / 1k ≤ {TARGET_RATIO:.0f}", f"{r:.2f}",
                     _verdict(r <= TARGET_RATIO)])
    else:
        rows.append([f"ingestion time 10k / 1k ≤ {TARGET_RATIO:.0f}",
                     "not measured (needs 1k and 10k)", NA])

    q = sizes[qsize]
    sbs = q.get("side_by_side", {})
    nested = _nested(q)
    c1 = str(res["config"]["concurrency"][0])
    if nested and sbs.get("floor"):
        g = nested["runs"][c1]["p50"]
        f = sbs["floor"][c1]["p50"]
        n = sbs["naive"][c1]["p50"]
        gf, ng = ratio(g, f), ratio(n, g)
        rows.append([f"nested concept→claims→speaker: GraphQL p50 ≤ {TARGET_FLOOR} × floor "
                     f"(concurrency {c1})", f"{rx(gf)} ({ms(g)} ms vs {ms(f)} ms)",
                     _verdict(gf is not None and gf <= TARGET_FLOOR)])
        rows.append([f"nested: ≥ {TARGET_NAIVE:.0f}× faster than naive resolvers "
                     f"(concurrency {c1})", f"{rx(ng)} ({ms(n)} ms vs {ms(g)} ms)",
                     _verdict(ng is not None and ng >= TARGET_NAIVE)])
    else:
        rows.append(["nested concept→claims→speaker vs floor and naive",
                     "no nested operation in graphql/queries", NA])
    per = floor_ratios(q)
    label = (f"every operation: GraphQL p50 ≤ {TARGET_FLOOR} × its floor (concurrency "
             f"{c1}, {int(qsize):,}-doc graph)")
    if per:
        met = [n for n, (_g, _f, r) in per.items() if r is not None and r <= TARGET_FLOOR]
        worst = max(per.items(), key=lambda kv: _num(kv[1][2]))
        rows.append([label, f"{len(met)} of {len(per)} met; worst {worst[0]}: "
                     f"{rx(worst[1][2])} ({ms(worst[1][0])} ms vs {ms(worst[1][1])} ms)",
                     _verdict(len(met) == len(per))])
    else:
        rows.append([label, "not measured (no floors run)", NA])

    worst, errors = None, 0
    for name, op in q.get("queries", {}).items():
        run = op["runs"].get("8") or op["runs"].get(max(op["runs"], key=int))
        errors += sum(r["errors"] for r in op["runs"].values())
        if worst is None or _num(run["p99"]) > _num(worst[1]):
            worst = (name, run["p99"], run["concurrency"])
    label = (f"p99 ≤ {TARGET_P99_MS:.0f} ms at concurrency 8, every operation, "
             f"{int(qsize):,}-doc graph")
    if worst:
        rows.append([label, f"worst {worst[0]}: {ms(worst[1])} ms (concurrency {worst[2]})",
                     _verdict(_num(worst[1]) <= TARGET_P99_MS)])
    else:
        rows.append([label, "no operation ran", NA])
    rows.append(["zero errors", f"{errors} errors", _verdict(errors == 0)])
    scale = scale_up(q)
    label = (f"throughput at concurrency 8 ≥ {TARGET_SCALE_UP}× concurrency 1, every "
             f"operation ({res['config'].get('workers', 1)} API workers)")
    if scale:
        name, worst = min(scale.items(), key=lambda kv: _num(kv[1][2]) if kv[1][2] else 0.0)
        rows.append([label, f"worst {name}: {rx(worst[2])} ({num(worst[0], 1)} → "
                     f"{num(worst[1], 1)} req/s)",
                     _verdict(all(v[2] is not None and v[2] >= TARGET_SCALE_UP
                                  for v in scale.values()))])
    else:
        rows.append([label, "not measured (needs concurrency 1 and 8)", NA])
    rss = q.get("api_memory", {}).get("VmHWM")
    rows.append([f"API process RSS ≤ 300 MB serving the {int(qsize):,}-doc graph",
                 f"peak {mb(rss)} (now {mb(q.get('api_memory', {}).get('VmRSS'))}; the store "
                 f"server apart: {mb(q.get('api_store_memory', {}).get('VmRSS'))})",
                 _verdict(bool(rss) and rss <= TARGET_RSS)])
    return rows


def _reused(size: dict[str, Any]) -> bool:
    """The size's queries ran on a store an earlier run ingested (no ingestion figures)."""
    return "reused" in size.get("ingest", {})


def floor_ratios(q: dict[str, Any]) -> dict[str, tuple[float, float, float | None]]:
    """Per operation with a floor: GraphQL p50, floor p50 (at the floor's concurrency), ratio."""
    out: dict[str, tuple[float, float, float | None]] = {}
    for name, f in q.get("floors", {}).items():
        g = q.get("queries", {}).get(name, {}).get("runs", {}).get(str(f["concurrency"]))
        if g:
            out[name] = (g["p50"], f["p50"], ratio(g["p50"], f["p50"]))
    return out


def _load(run: dict[str, Any] | None) -> str:
    if not run or not run.get("load"):
        return NA
    a, b = run["load"]
    return f"{a:.2f} → {b:.2f}"


def floor_section(q: dict[str, Any], h: str) -> list[str]:
    """Every operation beside its floor: p50s, the ratio, met or missed, the machine's load."""
    per = floor_ratios(q)
    if not per:
        return []
    out = ["", f"{h} Every operation beside its floor", "",
           "The floor of each operation (`bench/floor.py`) fetches the same data (same rows, "
           "same order, same page sizes; `tests/test_bench_floors.py` checks it on the seeds) by "
           "hand-written Cypher through the same store, in its own process, with the same "
           "variables, right after the operation's own run; no HTTP, no GraphQL. The "
           "neighbourhood's floor is the same breadth-first statements, the path's the store's "
           f"own shortest-path search. Target: GraphQL p50 ≤ {TARGET_FLOOR} × floor p50. "
           "Load is the 1-minute load average before → after each run (2 cores shared with "
           "other work).", ""]
    rows = []
    for name, (g, f, r) in per.items():
        fl = q["floors"][name]
        gr = q["queries"][name]["runs"][str(fl["concurrency"])]
        rows.append([f"`{name}`", str(fl["concurrency"]), ms(g), ms(f), rx(r),
                     _verdict(r is not None and r <= TARGET_FLOOR), ms(gr["p99"]),
                     ms(fl["p99"]), f"{gr['n']} / {fl['n']}", f"{gr['errors']} / {fl['errors']}",
                     _load(gr), _load(fl)])
    out += _table(["operation", "concurrency", "GraphQL p50", "floor p50", "GraphQL / floor",
                   "verdict", "GraphQL p99", "floor p99", "requests g / f", "errors g / f",
                   "load (GraphQL)", "load (floor)"], rows)
    met = sum(1 for _g, _f, r in per.values() if r is not None and r <= TARGET_FLOOR)
    out += ["", f"{met} of {len(per)} operations within {TARGET_FLOOR}× their floor."]
    errs = [(n, s) for n, f in q["floors"].items() for s in f.get("error_samples", [])]
    if errs:
        out += ["", "Floor error samples:", "", *(f"- `{n}`: {s}" for n, s in errs[:6])]
    return out


def scale_up(q: dict[str, Any]) -> dict[str, tuple[float, float, float | None]]:
    """Per operation: req/s at concurrency 1, at 8, and their ratio."""
    out: dict[str, tuple[float, float, float | None]] = {}
    for name, op in q.get("queries", {}).items():
        one, eight = op["runs"].get("1"), op["runs"].get("8")
        if one and eight:
            out[name] = (one["rps"], eight["rps"], ratio(eight["rps"], one["rps"]))
    return out


def _num(v: Any) -> float:
    """NaN (no request completed) sorts as the worst."""
    return math.inf if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


STORE_LABEL = {"falkordb": "FalkorDB", "neo4j": "Neo4j"}


def setup_text(store: str, info: dict[str, Any] | None) -> str:
    """How the store was run, for the Settings line."""
    if store == "neo4j":
        info = info or {}
        return (f"Neo4j {info.get('version', '')} ({info.get('server', 'server')}), database "
                f"`{info.get('database', 'neo4j')}` emptied (batched DELETE) before and "
                f"after each size, constraints and indexes kept; ingestion, API, floor and naive "
                f"processes connect to it over Bolt on loopback")
    return ("embedded FalkorDB in a fresh temporary KB_DATA_DIR per size (one server per size, "
            "started by the harness; ingestion, API, floor and naive processes connect to it)")


def _head(res: dict[str, Any], title: str, settings: list[str]) -> list[str]:
    m, v, cfg = res["machine"], res["versions"], res["config"]
    return [f"# Benchmark {res['date'][:10]}: {title}", "",
            f"- Machine: {m['cpu']}, {m['cores']} cores, {mb(m['memory'])} memory; {m['os']}",
            f"- Python {m['python']}; " + ", ".join(f"{k} {val}" for k, val in v.items()),
            f"- Command: `{res['command']}`",
            f"- Settings: concurrency {cfg['concurrency']}, at most {cfg['requests']} requests "
            f"or {cfg['duration']:g} s per operation and concurrency, {cfg['warmup']} warm-up "
            f"requests, corpus seed {cfg['seed']}, {cfg.get('workers', 1)} API worker "
            f"process(es){'; ingestion only' if cfg.get('ingest_only') else ''}; "
            + "; ".join(settings) + "; load generator "
            "and server are separate processes on the same machine (they share its cores).",
            f"- Whole run: {res.get('total_s', 0):.0f} s; load average (1 min) at the start "
            f"{res.get('load_start', NA)}, at the end {res.get('load_end', NA)} (other work on "
            f"the machine shows here)", "",
            *(f"- Note: {n}" for n in res.get("notes", []))]


def render(res: dict[str, Any], floor_cypher: str, naive_query: str) -> str:
    if "stores" in res:
        return render_both(res, floor_cypher, naive_query)
    store = res.get("store", "falkordb")
    sizes = res["sizes"]
    what = "" if store == "falkordb" else f"{STORE_LABEL[store]}, "
    out = _head(res, f"{what}ingestion and queries, "
                + ", ".join(f"{int(s):,}" for s in sizes) + " documents",
                [setup_text(store, res.get("store_info"))])
    out += _body(res, sizes, store, floor_cypher, naive_query, "##")
    return "\n".join(out)


def _body(res: dict[str, Any], sizes: dict[str, Any], store: str, floor_cypher: str,
          naive_query: str, h: str, code: bool = True) -> list[str]:
    """Targets, ingestion, queries, side by side, scaling and memory of one store."""
    cfg = res["config"]
    qsize = str(cfg["query_size"])
    server = "the Neo4j server (Java)" if store == "neo4j" else "store server"
    out = ["", f"{h} Targets (reported, never asserted)", ""]
    out += _table(["target", "measured", "verdict"], targets(res, sizes))

    out += ["", f"{h} Ingestion", "",
            "End to end through `kb.ingest.load_files` after `sync_ontology`, in its own "
            "process: extraction workers (one per core) read and extract while the main "
            "process writes batches of new documents, one transaction each. *Extraction s* is "
            "summed over the workers, so it can exceed the wall time; *store write s* is the "
            "main process's time in writes. *Written* counts node and edge rows per document "
            "(shared entities count once per document that MERGEs them); *graph* counts what "
            "the store holds at the end. *CPU s* splits the CPU time between the main process, "
            "the workers and the store server.", ""]
    if store == "neo4j":
        out += ["On Neo4j the store server is the Java process (its RSS includes the heap and "
                "the page cache; its peak is over the server's life so far); *store on disk* is "
                "the `neo4j` database's store files and transaction logs when the harness "
                "started the server (n/a for one from NEO4J_URI); there is no compaction step.",
                ""]
    rows = []
    for s, r in sizes.items():
        i = r["ingest"]
        if _reused(r):
            rows.append([f"{int(s):,}", f"not measured: the store ingested earlier in "
                         f"`{i['reused']}`"] + [NA] * 10)
            continue
        wall = i["wall_s"] or 1
        rows.append([f"{int(s):,}", f"{i['loaded']:,} / {i['failed']:,}", num(i["wall_s"], 1),
                     num(i["docs_per_s"], 1), num(i["rows_per_s"]),
                     f"{i['extract_s']:.1f}",
                     f"{i['write_s']:.1f} ({100 * i['write_s'] / wall:.0f}%)",
                     f"{i['graph_nodes']:,} / {i['graph_edges']:,}",
                     " / ".join(num(i.get(k), 1) for k in
                                ("ingest_cpu_s", "workers_cpu_s", "server_cpu_s")),
                     mb(i["peak_rss"]), mb(i.get("server_peak_rss")), mb(i["store_bytes"])])
    out += _table(["docs", "loaded / failed", "wall s", "docs/s", "nodes+edges written/s",
                   "extraction s", "store write s", "graph nodes / edges",
                   "CPU s main / workers / store", "peak RSS (ingest)",
                   f"peak RSS ({server})", "store on disk"], rows)
    if "1000" in sizes and "10000" in sizes and not any(_reused(z) for z in sizes.values()):
        r = sizes["10000"]["ingest"]["wall_s"] / sizes["1000"]["ingest"]["wall_s"]
        out += ["", f"Ingestion time ratio 10k / 1k: **{r:.2f}** (linear would be 10)."]
    for s, r in sizes.items():
        slices = r["ingest"].get("slices") or []
        if len(slices) > 1:
            out += ["", f"The {int(s):,}-document load in slices: each slice's own rate, and "
                    "the CPU per document the main process and the store server spent in it "
                    "(a write cost that grows with the graph shows in the last column).", ""]
            out += _table(["documents loaded", "slice docs/s", "main CPU ms/doc",
                           "store CPU ms/doc"],
                          [[f"{z['done']:,}", num(z["docs_per_s"], 1), num(z["main_cpu_ms"], 1),
                            num(z.get("store_cpu_ms"), 1)] for z in slices])
        forks = r["ingest"].get("server_forks")
        if forks is not None:
            out += ["", f"The store server forked {forks:,} times during the {int(s):,}-document "
                    f"load (its index garbage collector; the last fork blocked it "
                    f"{num(r['ingest'].get('last_fork_ms'), 1)} ms)."]
    fails = [f for r in sizes.values() for f in r["ingest"].get("failures", [])]
    if fails:
        out += ["", "First failures:", "", *(f"- `{f}`" for f in fails[:5])]

    q = sizes[qsize]
    out += ["", f"{h} Queries on the {int(qsize):,}-document graph", "",
            "Each operation of `graphql/queries/`, through uvicorn on 127.0.0.1, closed-loop "
            "load from a separate process; variables cycle through ids picked from the graph "
            "(concepts with the most claims; actors spread over the degree distribution, the "
            "best connected included). Latencies in ms.", ""]
    rows = []
    for name, op in q.get("queries", {}).items():
        for c, r in op["runs"].items():
            rows.append([f"`{name}`", c, ms(r["p50"]), ms(r["p95"]), ms(r["p99"]),
                         num(r["rps"], 1), str(r["errors"]), str(r["n"]), _load(r)])
    out += _table(["operation", "concurrency", "p50", "p95", "p99", "req/s", "errors",
                   "requests", "load"], rows)
    errs = [(n, s) for n, op in q.get("queries", {}).items() for r in op["runs"].values()
            for s in r["error_samples"]]
    if errs:
        out += ["", "Error samples:", "", *(f"- `{n}`: {s}" for n, s in errs[:6])]
    scale = scale_up(q)
    if scale:
        out += ["", f"Throughput at concurrency 8 over concurrency 1, with "
                f"{cfg.get('workers', 1)} API worker process(es) (target ≥ {TARGET_SCALE_UP}×):",
                ""]
        out += _table(["operation", "req/s at 1", "req/s at 8", "ratio"],
                      [[f"`{n}`", num(a, 1), num(b, 1), rx(r)] for n, (a, b, r) in
                       scale.items()])
    if q.get("skipped"):
        out += ["", "Not run:", "", *(f"- `{n}`: {why}" for n, why in q["skipped"].items())]
    out += floor_section(q, h)

    out += ["", f"{h} Side by side: the nested concept → claims → speaker query", ""]
    sbs = q.get("side_by_side", {})
    nested = _nested(q)
    if nested and sbs.get("floor"):
        out += [f"The same concepts (the {q.get('pools', {}).get('concept', 0)} with the most "
                "claims, cycled) with up to 100 claims each and, per claim, its speaker, evidence, "
                "passage and document, as `graphql/queries/2_imminent_threat_claims.graphql` "
                "asks: "
                "(a) the floor, hand-written Cypher through the store in its own process, no "
                "HTTP and no GraphQL; (b) the product API; (c) naive resolvers (`bench/naive.py`, "
                "one store query per field per object) served the same way. Latencies in ms.",
                ""]
        rows = []
        for c in (str(x) for x in cfg["concurrency"]):
            f, n = sbs["floor"].get(c), sbs["naive"].get(c)
            g = nested["runs"].get(c)
            if not (f and n and g):
                continue
            rows.append([c, ms(f["p50"]), ms(g["p50"]), ms(n["p50"]),
                         ms(f["p99"]), ms(g["p99"]), ms(n["p99"]),
                         rx(ratio(g["p50"], f["p50"])), rx(ratio(n["p50"], g["p50"])),
                         f"{f['errors']}/{g['errors']}/{n['errors']}"])
        out += _table(["concurrency", "floor p50", "GraphQL p50", "naive p50", "floor p99",
                       "GraphQL p99", "naive p99", "GraphQL / floor", "naive / GraphQL",
                       "errors f/g/n"], rows)
        items = sbs["floor"][str(cfg["concurrency"][0])]["items_mean"]
        out += ["", f"Claims per answer (floor): {items:.1f} on average."]
        errs = [(w, s) for w in ("floor", "naive") for r in sbs[w].values()
                for s in r.get("error_samples", [])]
        if errs:
            out += ["", "Error samples:", "", *(f"- {w}: {s}" for w, s in errs[:4])]
        if code:
            out += ["", *_code(floor_cypher, naive_query)]
    else:
        out += ["No operation in `graphql/queries/` selects concept → claims → speaker."]

    out += ["", f"{h} Scaling", "", "Concurrency 1, latencies in ms (p50 / p99).", ""]
    kinds = ["neighborhood", "path", "search"]
    head = ["operation"] + [f"{int(s):,} docs" for s in sizes]
    rows = []
    for kind in kinds:
        names = sorted({n for r in sizes.values() for n, op in r.get("queries", {}).items()
                        if op["kind"] == kind})
        for name in names:
            row = [f"`{name}` ({kind})"]
            for r in sizes.values():
                run = r.get("queries", {}).get(name, {}).get("runs", {}).get("1")
                row.append(f"{ms(run['p50'])} / {ms(run['p99'])}" if run else NA)
            rows.append(row)
        if not names:
            rows.append([f"({kind}: no operation)"] + [NA] * len(sizes))
    rows.append(["ingestion wall time (s)"] + [num(r["ingest"].get("wall_s"), 1)
                                               for r in sizes.values()])
    out += _table(head, rows)

    n = cfg.get("workers", 1)
    workers = ("one worker" if n == 1 else
               f"{n} worker processes under uvicorn's supervisor, RSS summed over them")
    out += ["", f"{h} API process memory", ""]
    rows = [[f"{int(s):,}", mb(r.get("api_memory", {}).get("VmRSS")),
             mb(r.get("api_memory", {}).get("VmHWM")),
             mb(r.get("api_store_memory", {}).get("VmRSS"))] for s, r in sizes.items()]
    out += _table(["docs", "API RSS after the load", "API peak RSS",
                   f"{server} RSS"], rows)
    if store == "neo4j":
        out += ["", f"The API process is uvicorn with the product app ({workers}), a Bolt "
                "client of the Neo4j server; the server is a separate Java process, listed "
                "apart.", ""]
    else:
        out += ["", f"The API process is uvicorn with the product app ({workers}); the "
                "embedded FalkorDB server the harness started is a separate process, listed "
                "apart.", ""]
    return out


def _code(floor_cypher: str, naive_query: str) -> list[str]:
    return ["Floor Cypher (the same text on both stores):", "", "```cypher", floor_cypher, "```",
            "", "Naive query:", "", "```graphql", naive_query.strip(), "```"]


def _pair(a: Any, b: Any) -> str:
    return f"{ms(a)} / {ms(b)}"


def render_both(res: dict[str, Any], floor_cypher: str, naive_query: str) -> str:
    """`--store both`: the two stores side by side, then each one's full figures."""
    cfg = res["config"]
    stores = res["stores"]
    names = list(stores)
    labels = [STORE_LABEL.get(n, n) for n in names]
    qsize = str(cfg["query_size"])
    size_list = list(next(iter(stores.values()))["sizes"])
    settings = [f"{STORE_LABEL.get(n, n)}: {setup_text(n, r.get('info'))} (this store's part "
                f"of the run: {r.get('total_s', 0):.0f} s, load average {r.get('load_start', NA)}"
                f" → {r.get('load_end', NA)})" for n, r in stores.items()]
    settings.append("the stores run one after the other (" + ", then ".join(labels) + "), "
                    "never at the same time; the same corpus (same seed) for both")
    out = _head(res, " vs ".join(labels) + ", ingestion and queries, "
                + ", ".join(f"{int(s):,}" for s in size_list) + " documents", settings)

    out += ["", f"## {' and '.join(labels)} side by side", ""]
    out += ["### Ingestion", "",
            "The same corpus through the same pipeline (`bench.ingest`); see each store's "
            "section below for the columns.", ""]
    rows = []
    for s in size_list:
        for n, r in stores.items():
            i = r["sizes"][s]["ingest"]
            wall = i["wall_s"] or 1
            rows.append([f"{int(s):,}", STORE_LABEL.get(n, n),
                         f"{i['loaded']:,} / {i['failed']:,}", num(i["wall_s"], 1),
                         f"**{num(i['docs_per_s'], 1)}**", num(i["rows_per_s"]),
                         f"{i['write_s']:.1f} ({100 * i['write_s'] / wall:.0f}%)",
                         f"{i['graph_nodes']:,} / {i['graph_edges']:,}",
                         num(i.get("server_cpu_s"), 1), mb(i.get("server_peak_rss")),
                         mb(i["store_bytes"])])
    out += _table(["docs", "store", "loaded / failed", "wall s", "docs/s",
                   "nodes+edges written/s", "store write s", "graph nodes / edges",
                   "store CPU s", "store server peak RSS", "store on disk"], rows)

    qs = [r["sizes"][qsize] for r in stores.values()]
    out += ["", f"### Queries on the {int(qsize):,}-document graph", "",
            "Every operation of `graphql/queries/` through the product API, as in each store's "
            "section below; p50 / p99 in ms, and Neo4j's p50 over FalkorDB's "
            "(below 1: Neo4j faster).", ""]
    op_names = list(dict.fromkeys(n for q in qs for n in q.get("queries", {})))
    rows = []
    for name in op_names:
        levels = list(dict.fromkeys(c for q in qs
                                    for c in q.get("queries", {}).get(name, {}).get("runs", {})))
        for c in levels:
            row = [f"`{name}`", c]
            runs = [q.get("queries", {}).get(name, {}).get("runs", {}).get(c) for q in qs]
            for run in runs:
                row += [ms(run["p50"]), ms(run["p99"])] if run else [NA, NA]
            p50s = [run["p50"] if run else None for run in runs]
            row.append(rx(ratio(p50s[-1], p50s[0])) if len(runs) == 2 else NA)
            row.append(" / ".join(str(run["errors"]) if run else NA for run in runs))
            rows.append(row)
    head = ["operation", "concurrency"]
    for lbl in labels:
        head += [f"{lbl} p50", f"{lbl} p99"]
    head += [f"{labels[-1]} / {labels[0]} p50", "errors " + " / ".join(labels)]
    out += _table(head, rows)
    for n, q in zip(names, qs, strict=True):
        if q.get("skipped"):
            out += ["", f"Not run on {STORE_LABEL.get(n, n)}:", "",
                    *(f"- `{o}`: {why}" for o, why in q["skipped"].items())]

    out += ["", "### The nested concept → claims → speaker query: floor, GraphQL, naive", "",
            "p50 / p99 in ms; the floor is the same hand-written Cypher on both stores.", ""]
    rows = []
    for n, q in zip(names, qs, strict=True):
        sbs, nested = q.get("side_by_side", {}), _nested(q)
        if not (nested and sbs.get("floor")):
            continue
        for c in (str(x) for x in cfg["concurrency"]):
            f, g, nv = sbs["floor"].get(c), nested["runs"].get(c), sbs["naive"].get(c)
            if not (f and g and nv):
                continue
            rows.append([STORE_LABEL.get(n, n), c, _pair(f["p50"], f["p99"]),
                         _pair(g["p50"], g["p99"]), _pair(nv["p50"], nv["p99"]),
                         rx(ratio(g["p50"], f["p50"])), rx(ratio(nv["p50"], g["p50"])),
                         f"{f['errors']}/{g['errors']}/{nv['errors']}"])
    out += _table(["store", "concurrency", "floor", "GraphQL", "naive", "GraphQL / floor",
                   "naive / GraphQL", "errors f/g/n"], rows)
    out += ["", *_code(floor_cypher, naive_query)]

    if len(size_list) > 1:
        out += ["", "### Scaling", "", "Concurrency 1, p50 / p99 in ms.", ""]
        rows = []
        for name in op_names:
            kind = next((q["queries"][name]["kind"] for q in qs if name in q.get("queries", {})),
                        None)
            if kind not in ("neighborhood", "path", "search"):
                continue
            row = [f"`{name}` ({kind})"]
            for s in size_list:
                for r in stores.values():
                    run = (r["sizes"][s].get("queries", {}).get(name, {}).get("runs", {})
                           .get("1"))
                    row.append(_pair(run["p50"], run["p99"]) if run else NA)
            rows.append(row)
        out += _table(["operation"] + [f"{lbl}, {int(s):,} docs" for s in size_list
                                       for lbl in labels], rows)

    out += ["", "### Memory", ""]
    rows = []
    for s in size_list:
        for n, r in stores.items():
            z = r["sizes"][s]
            rows.append([f"{int(s):,}", STORE_LABEL.get(n, n),
                         mb(z.get("api_memory", {}).get("VmRSS")),
                         mb(z.get("api_memory", {}).get("VmHWM")),
                         mb(z.get("api_store_memory", {}).get("VmRSS"))])
    out += _table(["docs", "store", "API RSS after the load", "API peak RSS",
                   "store server RSS after the load"], rows)
    out += ["", "The store server is the embedded redis-server for FalkorDB and the Java process "
            "for Neo4j (its RSS includes the JVM heap and the page cache)."]

    out += ["", "### Targets (reported, never asserted)", ""]
    per = [targets(res, r["sizes"]) for r in stores.values()]
    rows = [[ts[0][0], *(f"{t[1]}: {t[2]}" for t in ts)] for ts in zip(*per, strict=True)]
    out += _table(["target", *labels], rows)

    for n, r in stores.items():
        out += ["", f"## {STORE_LABEL.get(n, n)} in full"]
        out += _body(res, r["sizes"], n, floor_cypher, naive_query, "###", code=False)
    return "\n".join(out)
