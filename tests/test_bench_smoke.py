"""A CI-sized run of the benchmark (100 documents, few requests), so that it cannot rot.

It asserts that the run completes and that its report carries every figure; it never asserts a
timing (the targets are reported by the benchmark, not tested).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import document, documents, write_corpus

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


def test_corpus_is_deterministic_and_in_three_formats(tmp_path: Path) -> None:
    docs = list(documents(30, seed=3))
    assert [d.text for d in docs] == [d.text for d in documents(30, seed=3)]
    assert document(3, 29).text == docs[29].text  # document i does not depend on N
    assert {d.format for d in docs} == {"plain", "markdown", "web"}
    md = next(d for d in docs if d.format == "markdown")
    assert md.text.startswith("---\ntitle:") and "](https://" in md.text
    web = next(d for d in docs if d.format == "web")
    assert "newsletter" in web.text and "Skip to main content" in web.text
    text = "\n".join(d.text for d in docs)
    for needle in ("imminent threat", " said", "According to ", " told ", " warned",
                   "Unlike ", "nearest equivalent"):
        assert needle in text, needle
    paths = write_corpus(tmp_path, 5, seed=3)
    assert len(paths) == 5 and all(p.suffix == ".txt" for p in paths)


def test_smoke_run_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "100", "--concurrency", "1,2",
         "--requests", "4", "--duration", "1.5", "--warmup", "1", "--out", str(out),
         "--what", "smoke", "--work", str(tmp_path / "work")],
        cwd=REPO, capture_output=True, text=True, timeout=170, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [md] = out.glob("*-smoke.md")
    [js] = out.glob("*-smoke.json")
    report = md.read_text()
    res = json.loads(js.read_text())

    # machine, versions, command line
    assert re.search(r"Machine: .+, \d+ cores, \d+ MB memory", report)
    assert "strawberry-graphql" in report and "falkordb" in report
    assert "Command: `python -m bench --sizes 100" in report

    # ingestion: every figure present and numeric
    ing = res["sizes"]["100"]["ingest"]
    for key in ("docs_per_s", "rows_per_s", "extract_s", "write_s", "peak_rss", "store_bytes",
                "graph_nodes", "graph_edges"):
        assert isinstance(ing[key], int | float) and ing[key] > 0, key
    assert ing["loaded"] == 100, ing["failures"]
    assert "## Ingestion" in report and "| 100 | 100 / 0 |" in report

    # queries: every operation of graphql/queries ran at both concurrencies, with percentiles
    q = res["sizes"]["100"]
    names = {o["name"] for o in res["operations"]}
    assert names and not q["skipped"], q["skipped"]
    for name in names:
        runs = q["queries"][name]["runs"]
        assert set(runs) == {"1", "2"}, name
        for run in runs.values():
            for key in ("p50", "p95", "p99", "rps", "errors"):
                assert isinstance(run[key], int | float), (name, key)
        assert f"`{name}`" in report

    # side by side (floor, GraphQL, naive) with ratios; scaling; API memory; targets
    sbs = q["side_by_side"]
    assert set(sbs["floor"]) == set(sbs["naive"]) == {"1", "2"}
    assert re.search(r"\| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| .* \| [\d.]+× \| [\d.]+× \|", report)
    # every operation of graphql/queries beside its floor, with the ratio and a verdict
    floors = q["floors"]
    assert set(floors) == {o["name"] for o in res["operations"]
                           if o["file"].endswith(".graphql")}, set(floors)
    assert all(f["errors"] == 0 and f["n"] > 0 and f["load"] for f in floors.values()), floors
    beside = report.split("## Every operation beside its floor", 1)[1].split("\n## ", 1)[0]
    for name in floors:
        assert re.search(rf"\| `{name}` \| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+× \| "
                         r"(met|\*\*missed\*\*) \|", beside), name
    kinds = {o["kind"] for o in res["operations"]}
    assert {"nested", "neighborhood", "path", "search"} <= kinds
    scaling = report.split("## Scaling", 1)[1]
    assert "(neighborhood)" in scaling and "(path)" in scaling and "(search)" in scaling
    assert q["api_memory"].get("VmRSS") and q["api_memory"].get("VmHWM")
    assert "## API process memory" in report
    targets = report.split("## Targets", 1)[1].split("## Ingestion", 1)[0]
    for phrase in ("docs/s", "10k / 1k", "floor", "naive", "p99", "errors", "RSS",
                   "every operation: GraphQL p50"):
        assert phrase in targets, phrase
