"""`kb doctor` names the broken part of an installation."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from processes import KB

from kb.config import Settings
from kb.doctor import check_imports, run_checks


def test_doctor_passes_on_this_installation(tmp_path: Path) -> None:
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path), "NEO4J_URI": ""}
    out = subprocess.run([KB, "doctor"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.strip().splitlines()
    names = [line.split(":", 1)[0].split(None, 1)[1] for line in lines]
    assert names == ["python", "packages", "imports", "embedded store", "ontology",
                     "seed extraction"]
    assert all(line.startswith("ok") for line in lines)


def test_doctor_reports_a_module_that_cannot_import(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    real_import = builtins.__import__

    def no_html_clean(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("lxml_html_clean") or name == "lxml.html.clean":
            raise ImportError("lxml.html.clean module is now a separate project")
        return real_import(name, *args, **kwargs)

    import sys

    for mod in [m for m in sys.modules if m.startswith(("loaders.boilerplate", "justext",
                                                         "lxml_html_clean", "lxml.html.clean"))]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setattr(builtins, "__import__", no_html_clean)
    check = check_imports()
    assert not check.ok
    assert "loaders.boilerplate" in check.detail


def test_doctor_reports_a_neo4j_that_does_not_answer(tmp_path: Path) -> None:
    settings = Settings.from_env({"KB_DATA_DIR": str(tmp_path), "NEO4J_URI": "bolt://127.0.0.1:1",
                                  "KB_QUERY_TIMEOUT": "2"})
    checks = run_checks(settings)
    neo = checks[-1]
    assert neo.name == "neo4j" and not neo.ok
    assert "127.0.0.1:1" in neo.detail
