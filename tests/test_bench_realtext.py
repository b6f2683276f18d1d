"""`python -m bench realtext` on a few of the real articles (../shared/corpora, when present):
the run completes, every figure is in its report, and without the corpus it skips with one
line. Never asserts a timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpora" / "allsides-10k.jsonl.gz"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_file(), reason=f"{CORPUS} is absent (the real articles are not shipped)"
)


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", "realtext", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_an_absent_corpus_is_skipped_with_one_line(tmp_path: Path) -> None:
    proc = _bench("--corpus", str(tmp_path / "none.jsonl.gz"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines() == [
        f"real-text benchmark skipped: {tmp_path / 'none.jsonl.gz'} is absent (set "
        "$KB_REALTEXT_CORPUS or --corpus to the allsides-10k.jsonl.gz file)"
    ]
    assert not (tmp_path / "out").exists()


@needs_corpus
def test_extraction_and_ingestion_report_every_figure(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    proc = _bench("--limit", "12", "--store", "none", "--json-only", str(before))
    assert proc.returncode == 0, proc.stderr[-3000:]
    earlier = json.loads(before.read_text())["extraction"]
    assert earlier["articles"] == 12 and earlier["errors"] == []

    out = tmp_path / "results"
    proc = _bench(
        "--limit", "24", "--ingest-limit", "16", "--before", str(before),
        "--out", str(out), "--what", "rt-smoke", "--work", str(tmp_path / "work"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    [md] = out.glob("*-rt-smoke.md")
    [js] = out.glob("*-rt-smoke.json")
    res = json.loads(js.read_text())
    ex = res["extraction"]
    assert ex["articles"] == 24
    assert ex["errors"] == [], ex["errors"]
    for dist in (ex["wall_ms"], ex["cpu_ms"]):
        assert 0 < dist["p50"] <= dist["p99"] <= dist["max"]
    assert len(ex["slowest"]) == 5
    assert ex["graph_per_1000"]["Document"] == pytest.approx(1000.0)
    assert ex["rows_per_1000"]["edges"]["HAS_PASSAGE"] > 0

    ing = res["ingestion"]["FalkorDB"]
    assert ing["ingest"]["documents"] == 16
    assert ing["ingest"]["loaded"] + ing["ingest"]["failed"] == 16
    assert ing["graph"]["nodes"]["Document"] == ing["ingest"]["loaded"]
    assert sum(ing["graph"]["edges"].values()) == ing["ingest"]["graph_edges"]

    report = md.read_text()
    for needle in (
        "## Extraction",
        f"before ({res['before']['code_short']})",
        "Slowest 5 articles (after)",
        "Errors (after): none.",
        "### What the graph would hold per 1,000 articles",
        "## Ingestion into FalkorDB",
        "The machine was shared",
        "| every article extracts without an error | 0 errors | met |",
    ):
        assert needle in report, needle
