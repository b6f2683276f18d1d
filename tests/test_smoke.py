"""The install smoke test: the installed `kb` loads the seeds and answers two research questions.

CI runs it (`-m smoke`) in a venv holding the newest versions the bounds of pyproject.toml allow,
so a dependency that changes under us (as lxml's extras did) fails CI before a user meets it.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from processes import KB, free_port, serve

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "graphql" / "queries"


def _ask(port: int, operation: str) -> dict:
    r = httpx.post(f"http://127.0.0.1:{port}/graphql",
                   json={"query": (QUERIES / operation).read_text()}, timeout=30)
    body = r.json()
    assert r.status_code == 200 and "errors" not in body, body
    return body["data"]


def test_installed_kb_loads_the_seeds_and_answers(tmp_path: Path) -> None:
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "NEO4J_URI": ""}
    load = subprocess.run([KB, "load", str(ROOT / "seeds" / "corpus")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    assert "failed:" not in load.stderr
    port = free_port()
    proc = serve(env, port, "--no-seed")
    try:
        precedents = _ask(port, "1_precedents_in_debate.graphql")["precedents"]["edges"]
        yamamoto = [e["node"] for e in precedents if "Yamamoto" in e["node"]["name"]]
        assert yamamoto and any(c["treatment"] == "DISTINGUISHES"
                                for c in yamamoto[0]["citedBy"])
        timeline = _ask(port, "4_timeline.graphql")["timeline"]
        assert any(e["date"] == "2020-01-03" and "soleimani" in e["id"] for e in timeline)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
