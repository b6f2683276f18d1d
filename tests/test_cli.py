"""The `kb` command end to end, on a private embedded store per test module."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.ingest import seed_corpus

runner = CliRunner()
SEEDS = seed_corpus()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"KB_DATA_DIR": str(tmp_path / "data"), "NEO4J_URI": ""}


def _counts(env: dict[str, str]) -> str:
    result = runner.invoke(app, ["stats"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_help_explains_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "load", "stats", "reset", "extract", "eval", "schema"):
        assert command in result.output
    for command in ("serve", "load", "reset", "extract"):
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and "Usage" in sub.output


def test_loading_the_seeds_twice_changes_nothing(env: dict[str, str]) -> None:
    first = runner.invoke(app, ["load", str(SEEDS)], env=env)
    assert first.exit_code == 0, first.output
    after_first = _counts(env)
    assert "Document" in after_first and "Claim" in after_first
    second = runner.invoke(app, ["load", str(SEEDS), "--force"], env=env)
    assert second.exit_code == 0, second.output
    assert _counts(env) == after_first


def test_bad_documents_are_reported_and_nothing_partial_stays(tmp_path: Path,
                                                              env: dict[str, str]) -> None:
    clean_env = {**env, "KB_DATA_DIR": str(tmp_path / "clean")}
    assert runner.invoke(app, ["load", str(SEEDS)], env=clean_env).exit_code == 0
    folder = tmp_path / "mixed"
    shutil.copytree(SEEDS, folder)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.txt").write_text("---\ntitle: [unclosed\ndate: 2020-01-01\n---\n\nBody "
                                       "text of the post.\n")
    result = runner.invoke(app, ["load", str(folder)], env=env)
    assert result.exit_code == 1
    out = result.output
    for name in ("binary.txt", "empty.txt", "broken.txt"):
        assert f"{name}:" in out, out
    assert "3 document(s) failed" in out
    assert "Traceback" not in out
    assert _counts(env) == _counts(clean_env)


def test_a_changed_document_replaces_its_old_contribution(tmp_path: Path,
                                                          env: dict[str, str]) -> None:
    doc = tmp_path / "article.txt"
    doc.write_text("Zorblax Minister Quentin Farthingale warned on Tuesday that the strike was "
                   "illegal.\n\nFarthingale said the attack violated the UN Charter.\n")
    assert runner.invoke(app, ["load", str(doc)], env=env).exit_code == 0
    assert "Farthingale" in runner.invoke(app, ["extract", str(doc)]).output
    doc.write_text("Defense Secretary Mark Esper said the strike was a defensive action.\n")
    assert runner.invoke(app, ["load", str(doc)], env=env).exit_code == 0
    stats = _counts(env)
    result = runner.invoke(app, ["load", str(doc), "--force"], env=env)
    assert result.exit_code == 0
    assert _counts(env) == stats
    assert re.search(r"Document\s*│\s*1\s*│", stats)
    # the old version's actor is gone, the new one is there
    from kb.config import Settings

    async def names() -> list[str]:
        from kb.cli import open_store

        async with open_store(Settings.from_env(env)) as store:
            rows = await store.read("MATCH (a:Actor) RETURN a.name AS name")
        return [r["name"] for r in rows]

    import asyncio

    found = asyncio.run(names())
    assert not any("Farthingale" in n for n in found)
    assert any("Esper" in n for n in found)


def test_extract_prints_the_agreed_keys() -> None:
    path = next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith("000_"))
    result = runner.invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"document", "passages", "actors", "concepts", "precedents", "events",
                         "claims", "outlets"}
    claim = data["claims"][0]
    assert set(claim) >= {"speaker", "text", "stance", "concepts", "precedents", "evidence"}
    raw = path.read_text(encoding="utf-8")
    ev = claim["evidence"]
    assert raw[ev["start"]:ev["end"]] == ev["quote"]


def test_errors_are_one_line_without_traceback(tmp_path: Path, env: dict[str, str]) -> None:
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1
    assert "Traceback" not in missing.output and missing.output.count("\n") == 1
    bad_uri = runner.invoke(app, ["stats"], env={**env, "NEO4J_URI": "http://x"})
    assert bad_uri.exit_code == 1 and "NEO4J_URI" in bad_uri.output
    refused = runner.invoke(app, ["reset"], env=env)
    assert refused.exit_code == 2 and "--yes" in refused.output


def test_reset_empties_the_store(env: dict[str, str]) -> None:
    assert runner.invoke(app, ["load", str(SEEDS)], env=env).exit_code == 0
    assert runner.invoke(app, ["reset", "--yes"], env=env).exit_code == 0
    assert "Document" not in _counts(env)


def test_export_writes_a_graphml_file(tmp_path: Path) -> None:
    import networkx as nx

    out = tmp_path / "graph.graphml"
    result = runner.invoke(app, ["export", "-o", str(out)],
                           env={"KB_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    assert g.graph.get("truncated") == "false"
