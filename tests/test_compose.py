"""docker-compose.yml and the Dockerfile wire Neo4j and the API together correctly.

No Docker engine runs where the tests run, so these checks read the files: the API reaches
Neo4j by its service name on the Bolt port, waits until Neo4j is healthy, the data lives in a
named volume, the loader is a one-shot tool, and the image installs the package.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"

KB_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "KB_API_TOKEN")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment, in either of compose's two syntaxes (mapping or KEY=value)."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def container_ports(service: dict[str, Any]) -> set[int]:
    """Container ports a service publishes, from short ("[ip:]host:container") or long syntax."""
    ports: set[int] = set()
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    return ports


def volume_mounts(service: dict[str, Any]) -> dict[str, str]:
    """target -> source of a service's volume mounts (short or long syntax)."""
    mounts: dict[str, str] = {}
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            mounts[entry["target"]] = entry.get("source", "")
        else:
            # "source:target[:mode]"; a ${VAR:-default} source holds a colon of its own.
            source, target = re.split(r":(?![^{]*\})", str(entry))[:2]
            mounts[target] = source
    return mounts


def waits_healthy(service: dict[str, Any], dependency: str) -> bool:
    deps = service.get("depends_on") or {}
    return isinstance(deps, dict) and (deps.get(dependency) or {}).get(
        "condition"
    ) == "service_healthy"


def test_neo4j_service(services: dict[str, Any]) -> None:
    neo4j = services["neo4j"]
    assert re.fullmatch(r"neo4j:5(\.[\w.-]+)?", neo4j["image"]), "Neo4j 5 community image"
    assert "enterprise" not in neo4j["image"]
    auth = environment(neo4j)["NEO4J_AUTH"]
    assert auth.startswith("neo4j/${"), "the password comes from the environment"
    assert ":-" in auth, "the password has a default"
    assert {7474, 7687} <= container_ports(neo4j)


def test_neo4j_is_the_line_and_the_memory_the_tests_run(services: dict[str, Any]) -> None:
    """docker compose runs what the suite tested: the same 5.26 line, heap and page cache."""
    import neo4j_server

    neo4j = services["neo4j"]
    line = ".".join(neo4j_server.neo4j_version().split(".")[:2])
    assert neo4j["image"] == f"neo4j:{line}-community"
    env = environment(neo4j)
    assert env["NEO4J_server_memory_heap_max__size"].endswith(f":-{neo4j_server.HEAP}}}")
    assert env["NEO4J_server_memory_pagecache_size"].endswith(
        f":-{neo4j_server.PAGECACHE_MIB}m}}")
    assert not any(k.startswith("NEO4J_PLUGINS") for k in env), "no plugins: none is needed"


def test_neo4j_healthcheck(services: dict[str, Any]) -> None:
    check = services["neo4j"]["healthcheck"]
    test = check["test"]
    command = " ".join(test[1:]) if isinstance(test, list) else test
    assert "cypher-shell" in command or "7474" in command
    if "cypher-shell" in command:
        # Compose interpolates single $ itself: the container's shell must get $$-escaped ones.
        assert "$${" in command or "$$" in command
    assert check.get("retries", 0) >= 3


def test_neo4j_data_lives_in_a_named_volume(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    source = volume_mounts(services["neo4j"]).get("/data")
    assert source, "/data is mounted"
    assert not source.startswith((".", "/", "~", "$")), "a named volume, not a bind mount"
    assert source in (compose.get("volumes") or {}), f"volume {source!r} is declared"


def test_api_reaches_neo4j_by_service_name(services: dict[str, Any]) -> None:
    env = environment(services["api"])
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert "neo4j" in services, "the URI's host is the neo4j service"
    for name in KB_ENV:
        assert name in env, f"api sets {name}"
    assert env["NEO4J_DATABASE"] == "neo4j"
    # The API's password is the one Neo4j was started with.
    neo4j_password = environment(services["neo4j"])["NEO4J_AUTH"].removeprefix("neo4j/")
    assert env["NEO4J_PASSWORD"] == neo4j_password


def test_api_waits_for_healthy_neo4j_and_serves_8000(services: dict[str, Any]) -> None:
    api = services["api"]
    assert waits_healthy(api, "neo4j")
    assert 8000 in container_ports(api)
    assert api.get("build"), "the api is built from this repository's Dockerfile"
    command = api.get("command")
    if command is not None:
        text = " ".join(command) if isinstance(command, list) else command
        assert "serve" in text
        assert "0.0.0.0" in text, "listens on all interfaces inside the container"
        assert "8000" in text


def test_loader_is_a_one_shot_tool(services: dict[str, Any]) -> None:
    loader = services["loader"]
    assert "tools" in loader.get("profiles", []), "not started by `docker compose up`"
    command = loader["command"]
    text = " ".join(command) if isinstance(command, list) else command
    assert text.split()[:2] == ["kb", "load"]
    corpus = text.split()[2]
    assert corpus in volume_mounts(loader), "the corpus folder is mounted"
    assert environment(loader)["NEO4J_URI"] == "bolt://neo4j:7687"
    assert waits_healthy(loader, "neo4j")
    assert loader.get("restart", "no") == "no"


def test_documented_commands(services: dict[str, Any]) -> None:
    header = COMPOSE.read_text(encoding="utf-8").split("services:", 1)[0]
    assert "docker compose run --rm loader" in header
    assert "docker compose up" in header


def test_dockerfile_installs_and_serves_the_package() -> None:
    assert DOCKERFILE.is_file()
    text = DOCKERFILE.read_text(encoding="utf-8")
    instructions = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert any(re.match(r"FROM python:3\.11-slim\b", line) for line in instructions)
    assert any(re.search(r"\bpip install (--\S+ )*\.(\s|$)", line) for line in instructions)
    assert any(line.startswith("COPY") for line in instructions)
    cmd = next(line for line in reversed(instructions) if line.startswith("CMD"))
    assert all(word in cmd for word in ('"kb"', '"serve"', '"0.0.0.0"', '"8000"'))
    assert any(line.startswith("EXPOSE") and "8000" in line for line in instructions)


def test_dockerignore_keeps_local_state_out() -> None:
    ignored = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "node_modules"} <= ignored
    assert not ignored & {"pyproject.toml", "README.md", "kb", "loaders", "seeds"}


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_pip_install_dot_finds_the_readme() -> None:
    readme = _pyproject()["project"].get("readme")
    if isinstance(readme, str):
        assert (REPO / readme).is_file(), f"`pip install .` fails: pyproject names {readme}"


def test_pip_install_dot_ships_every_package() -> None:
    """`pip install .` in the image must install every Python package of the source tree.

    pyproject.toml names its packages explicitly (flat layout); a subpackage missing from that
    list is absent from the image, which then fails at import time.
    """
    project = _pyproject()
    setuptools = project.get("tool", {}).get("setuptools", {})
    listed = setuptools.get("packages")
    if not isinstance(listed, list):  # find: directive or automatic discovery
        return
    on_disk = sorted(
        ".".join(init.parent.relative_to(REPO).parts)
        for top in ("kb", "loaders")
        for init in (REPO / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    )
    missing = [name for name in on_disk if name not in listed]
    assert not missing, f"pyproject.toml [tool.setuptools] packages lacks {missing}"
