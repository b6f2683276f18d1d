"""The installed package imports completely, and everything it imports is declared.

An import that works only because some other package happened to pull its dependency in (as
`lxml_html_clean` did, until pip stopped installing it) fails here, not on a user's machine.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata as md
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from kb.doctor import PACKAGES, declared_requirements, module_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_module_of_the_package_imports() -> None:
    names = module_names()
    assert len(names) > 40
    for name in names:
        importlib.import_module(name)


def _imported_top_levels(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def _distributions_needed(modules: set[str]) -> set[str]:
    providers = md.packages_distributions()
    local = {*PACKAGES, "bench", "tests"}
    needed: set[str] = set()
    for mod in modules - local - set(sys.stdlib_module_names):
        dists = providers.get(mod)
        assert dists, f"{mod} is imported but no installed distribution provides it"
        needed.add(canonicalize_name(dists[0]))
    return needed


def test_every_imported_distribution_is_declared() -> None:
    runtime = {canonicalize_name(r.name) for r in declared_requirements()}
    dev = runtime | {canonicalize_name(r.name) for r in declared_requirements("dev")}
    code = set().union(*(_imported_top_levels(p) for p in PACKAGES))
    missing = _distributions_needed(code) - runtime
    assert not missing, f"imported by the package but not declared: {sorted(missing)}"
    tests = _imported_top_levels("tests") | _imported_top_levels("bench")
    local_tests = {p.stem for p in (ROOT / "tests").glob("*.py")}
    missing = _distributions_needed(tests - local_tests) - dev
    assert not missing, f"imported by tests or bench but not declared: {sorted(missing)}"


@pytest.mark.parametrize("lock", ["runtime.lock", "dev.lock"])
def test_lock_files_pin_every_declared_package_with_hashes(lock: str) -> None:
    text = (ROOT / "requirements" / lock).read_text()
    pinned = {canonicalize_name(line.split("==")[0].split("[")[0]) for line in text.splitlines()
              if line and not line[0].isspace() and "==" in line and not line.startswith("#")}
    reqs = declared_requirements() + (declared_requirements("dev") if lock == "dev.lock" else [])
    missing = {canonicalize_name(r.name) for r in reqs} - pinned
    assert not missing, f"{lock} lacks {sorted(missing)}: run tools/lock"
    entries = [line for line in text.splitlines() if "==" in line and not line[0].isspace()]
    assert all(line.rstrip().endswith("\\") for line in entries), "every pin carries hashes"


def test_installed_versions_satisfy_the_bounds() -> None:
    for req in declared_requirements():
        assert req.specifier.contains(md.version(req.name), prereleases=True), str(req)
