"""Render the results of one benchmark run as Markdown (the file in `bench/results/`)."""

from __future__ import annotations

import math
from typing import Any

NA = "n/a"
TARGET_INGEST_DPS = 100.0
TARGET_RATIO = 12.0
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


def targets(res: dict[str, Any]) -> list[list[str]]:
    sizes = res["sizes"]
    qsize = str(res["config"]["query_size"])
    rows: list[list[str]] = []

    big = "10000" if "10000" in sizes else max(sizes, key=int)
    dps = sizes[big]["ingest"]["docs_per_s"]
    note = "" if big == "10000" else f" (measured at {int(big):,} docs, not 10k)"
    rows.append([f"ingestion ≥ {TARGET_INGEST_DPS:.0f} docs/s at 10k docs, "
                 f"{res['machine']['cores']} cores", f"{dps:.1f} docs/s{note}",
                 _verdict(dps >= TARGET_INGEST_DPS)])
    if "1000" in sizes and "10000" in sizes:
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
        rows.append([f"nested concept→claims→speaker: GraphQL p50 ≤ {TARGET_FLOOR} × floor "
                     f"(concurrency {c1})", f"{ratio(g, f):.2f}× ({ms(g)} ms vs {ms(f)} ms)",
                     _verdict(ratio(g, f) <= TARGET_FLOOR)])
        rows.append([f"nested: ≥ {TARGET_NAIVE:.0f}× faster than naive resolvers "
                     f"(concurrency {c1})", f"{ratio(n, g):.2f}× ({ms(n)} ms vs {ms(g)} ms)",
                     _verdict(ratio(n, g) >= TARGET_NAIVE)])
    else:
        rows.append(["nested concept→claims→speaker vs floor and naive",
                     "no nested operation in graphql/queries", NA])

    worst, errors = None, 0
    for name, op in q.get("queries", {}).items():
        run = op["runs"].get("8") or op["runs"].get(max(op["runs"], key=int))
        errors += sum(r["errors"] for r in op["runs"].values())
        if worst is None or run["p99"] > worst[1]:
            worst = (name, run["p99"], run["concurrency"])
    if worst:
        label = (f"p99 ≤ {TARGET_P99_MS:.0f} ms at concurrency 8, every operation, "
                 f"{int(qsize):,}-doc graph")
        rows.append([label, f"worst {worst[0]}: {ms(worst[1])} ms (concurrency {worst[2]})",
                     _verdict(worst[1] <= TARGET_P99_MS)])
    rows.append(["zero errors", f"{errors} errors", _verdict(errors == 0)])
    rss = q.get("api_memory", {}).get("VmHWM")
    rows.append([f"API process RSS ≤ 300 MB serving the {int(qsize):,}-doc graph",
                 f"peak {mb(rss)} (now {mb(q.get('api_memory', {}).get('VmRSS'))}; the store "
                 f"server apart: {mb(q.get('api_store_memory', {}).get('VmRSS'))})",
                 _verdict(bool(rss) and rss <= TARGET_RSS)])
    return rows


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(res: dict[str, Any], floor_cypher: str, naive_query: str) -> str:
    m, v, cfg = res["machine"], res["versions"], res["config"]
    sizes = res["sizes"]
    qsize = str(cfg["query_size"])
    out = [f"# Benchmark {res['date'][:10]}: ingestion and queries, "
           + ", ".join(f"{int(s):,}" for s in sizes) + " documents", "",
           f"- Machine: {m['cpu']}, {m['cores']} cores, {mb(m['memory'])} memory; {m['os']}",
           f"- Python {m['python']}; " + ", ".join(f"{k} {val}" for k, val in v.items()),
           f"- Command: `{res['command']}`",
           f"- Settings: concurrency {cfg['concurrency']}, at most {cfg['requests']} requests "
           f"or {cfg['duration']:g} s per operation and concurrency, {cfg['warmup']} warm-up "
           f"requests, corpus seed {cfg['seed']}; embedded FalkorDB in a fresh temporary "
           f"KB_DATA_DIR per size (one server per size, started by the harness; ingestion, API, "
           f"floor and naive processes connect to it); load generator and server are separate "
           f"processes on the same machine (they share its cores).",
           f"- Whole run: {res.get('total_s', 0):.0f} s; load average (1 min) at the start "
           f"{res.get('load_start', NA)}, at the end {res.get('load_end', NA)} (other work on "
           f"the machine shows here)", "",
           *(f"- Note: {n}" for n in res.get("notes", [])),
           "", "## Targets (reported, never asserted)", ""]
    out += _table(["target", "measured", "verdict"], targets(res))

    out += ["", "## Ingestion", "",
            "End to end through `kb.ingest.load_files` after `sync_ontology`, in its own "
            "process: extraction workers (one per core) read and extract while the main "
            "process writes batches of new documents, one transaction each. *Extraction s* is "
            "summed over the workers, so it can exceed the wall time; *store write s* is the "
            "main process's time in writes. *Written* counts node and edge rows per document "
            "(shared entities count once per document that MERGEs them); *graph* counts what "
            "the store holds at the end. *CPU s* splits the CPU time between the main process, "
            "the workers and the store server.", ""]
    rows = []
    for s, r in sizes.items():
        i = r["ingest"]
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
                   "peak RSS (store server)", "store on disk"], rows)
    if "1000" in sizes and "10000" in sizes:
        r = sizes["10000"]["ingest"]["wall_s"] / sizes["1000"]["ingest"]["wall_s"]
        out += ["", f"Ingestion time ratio 10k / 1k: **{r:.2f}** (linear would be 10)."]
    fails = [f for r in sizes.values() for f in r["ingest"]["failures"]]
    if fails:
        out += ["", "First failures:", "", *(f"- `{f}`" for f in fails[:5])]

    q = sizes[qsize]
    out += ["", f"## Queries on the {int(qsize):,}-document graph", "",
            "Each operation of `graphql/queries/`, through uvicorn on 127.0.0.1, closed-loop "
            "load from a separate process; variables cycle through ids picked from the graph "
            "(concepts with the most claims; actors spread over the degree distribution, the "
            "best connected included). Latencies in ms.", ""]
    rows = []
    for name, op in q.get("queries", {}).items():
        for c, r in op["runs"].items():
            rows.append([f"`{name}`", c, ms(r["p50"]), ms(r["p95"]), ms(r["p99"]),
                         num(r["rps"], 1), str(r["errors"]), str(r["n"])])
    out += _table(["operation", "concurrency", "p50", "p95", "p99", "req/s", "errors",
                   "requests"], rows)
    errs = [(n, s) for n, op in q.get("queries", {}).items() for r in op["runs"].values()
            for s in r["error_samples"]]
    if errs:
        out += ["", "Error samples:", "", *(f"- `{n}`: {s}" for n, s in errs[:6])]
    if q.get("skipped"):
        out += ["", "Not run:", "", *(f"- `{n}`: {why}" for n, why in q["skipped"].items())]

    out += ["", "## Side by side: the nested concept → claims → speaker query", ""]
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
        out += ["", f"Claims per answer (floor): {items:.1f} on average.", "",
                "Floor Cypher:", "", "```cypher",
                floor_cypher, "```", "", "Naive query:", "", "```graphql",
                naive_query.strip(), "```"]
    else:
        out += ["No operation in `graphql/queries/` selects concept → claims → speaker."]

    out += ["", "## Scaling", "", "Concurrency 1, latencies in ms (p50 / p99).", ""]
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
    rows.append(["ingestion wall time (s)"] + [num(r["ingest"]["wall_s"], 1)
                                               for r in sizes.values()])
    out += _table(head, rows)

    out += ["", "## API process memory", ""]
    rows = [[f"{int(s):,}", mb(r.get("api_memory", {}).get("VmRSS")),
             mb(r.get("api_memory", {}).get("VmHWM")),
             mb(r.get("api_store_memory", {}).get("VmRSS"))] for s, r in sizes.items()]
    out += _table(["docs", "API RSS after the load", "API peak RSS",
                   "store server RSS"], rows)
    out += ["", "The API process is uvicorn with the product app (one worker); the embedded "
            "FalkorDB server it starts is a separate process, listed apart.", ""]
    return "\n".join(out)
