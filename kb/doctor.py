"""`kb doctor`: what is wrong with an installation, one line per check.

A broken install used to look like an empty graph (every seed document failed on an import that
pip never installed). Each check here exercises one part for real — the declared packages, every
module of the package, the embedded store's binary, the ontology, an extraction of a seed
document, and the configured Neo4j — so a user sees which part is broken, not a symptom.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata as md
import pkgutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from kb.config import Settings

DISTRIBUTION = "legal-kb"
PACKAGES = ("kb", "loaders", "seeds")
"""The import packages this distribution ships (as in pyproject.toml)."""


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def declared_requirements(extra: str | None = None) -> list[Requirement]:
    """The distribution's requirements that apply here (runtime ones, or those of `extra`)."""
    env = {"extra": extra or ""}
    reqs = [Requirement(text) for text in md.requires(DISTRIBUTION) or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(env)]


def module_names() -> list[str]:
    """Every module of the shipped packages, found by walking the installed packages."""
    names: list[str] = []
    for package in PACKAGES:
        mod = importlib.import_module(package)
        names.append(package)
        names.extend(info.name for info in
                     pkgutil.walk_packages(mod.__path__, prefix=f"{package}."))
    return sorted(names)


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    return Check("python", sys.version_info >= (3, 11), f"{version} at {sys.executable}")


def check_packages() -> Check:
    bad: list[str] = []
    seen: list[str] = []
    for req in declared_requirements():
        try:
            version = md.version(req.name)
        except md.PackageNotFoundError:
            bad.append(f"{req.name} missing")
            continue
        if not req.specifier.contains(version, prereleases=True):
            bad.append(f"{req.name} {version} outside {req.specifier}")
        seen.append(f"{req.name} {version}")
    if bad:
        return Check("packages", False, "; ".join(bad))
    return Check("packages", True, f"{len(seen)} declared packages installed: " + ", ".join(seen))


def check_imports() -> Check:
    failed: list[str] = []
    names = module_names()
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # any import failure is the finding
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    if failed:
        return Check("imports", False, "; ".join(failed))
    return Check("imports", True, f"{len(names)} modules import")


def check_embedded_store() -> Check:
    from kb.store.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory(prefix="kb-doctor-") as tmp:
        server = EmbeddedServer(Path(tmp))
        try:
            server.ensure_running()  # returns only once the server answered PING
        except Exception as exc:  # the failure is what the user needs to see
            return Check("embedded store", False, f"{type(exc).__name__}: {exc}")
        finally:
            server.stop()
    return Check("embedded store", True, "FalkorDB started and answered PING")


def check_ontology() -> Check:
    from loaders.ontology import load_ontology

    try:
        onto = load_ontology()
    except Exception as exc:
        return Check("ontology", False, f"{type(exc).__name__}: {exc}")
    return Check("ontology", True, f"{len(onto.concepts)} concepts, "
                 f"{len(onto.precedents)} precedents, {len(onto.actors)} actors")


def check_seed_extraction() -> Check:
    from kb.ingest import extract_file, seed_corpus

    seeds = sorted(seed_corpus().glob("*.txt"))
    if not seeds:
        return Check("seed extraction", False, f"no seed documents in {seed_corpus()}")
    try:
        ex = extract_file(seeds[0])
    except Exception as exc:
        return Check("seed extraction", False, f"{seeds[0].name}: {type(exc).__name__}: {exc}")
    ok = bool(ex.claims and ex.actors)
    return Check("seed extraction", ok,
                 f"{seeds[0].name}: {len(ex.actors)} actors, {len(ex.claims)} claims")


async def _neo4j_answers(settings: Settings) -> Check:
    from kb.store import make_store

    store = make_store(settings)
    try:
        await store.connect()
        ok = await store.health()
    except Exception as exc:
        return Check("neo4j", False, f"{settings.neo4j_uri}: {type(exc).__name__}: {exc}")
    finally:
        await store.close()
    return Check("neo4j", ok, f"{settings.neo4j_uri} " + ("answers" if ok else "does not answer"))


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in order; Neo4j only when `NEO4J_URI` is set."""
    checks: list[Callable[[], Check]] = [check_python, check_packages, check_imports,
                                         check_embedded_store, check_ontology,
                                         check_seed_extraction]
    results = [fn() for fn in checks]
    if settings.neo4j_uri:
        results.append(asyncio.run(_neo4j_answers(settings)))
    return results
