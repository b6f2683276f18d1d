"""Settings, read once from the environment. Every variable is listed in the README."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    """Where the embedded FalkorDB keeps its socket, password, pid file and append-only log."""
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    graph_name: str = "kb"
    query_timeout: float = 10.0
    """Seconds a single store statement may run."""
    api_token: str | None = None
    graphiql: bool = True
    cors_origins: list[str] = field(default_factory=list)
    cors_local: bool = True
    """Allow localhost origins (front ends in development) besides `cors_origins`."""
    max_body_bytes: int = 2 * 1024 * 1024

    @property
    def uses_neo4j(self) -> bool:
        return bool(self.neo4j_uri) and self.neo4j_uri.split("://", 1)[0] in {
            "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        uri = e.get("NEO4J_URI") or None
        if uri and "://" not in uri:
            raise ValueError(f"NEO4J_URI must start with bolt:// or neo4j://, got {uri!r}")
        origins = [o.strip() for o in e.get("KB_CORS_ORIGINS", "").split(",") if o.strip()]
        return cls(
            data_dir=Path(e.get("KB_DATA_DIR") or user_data_dir("legal-kb")).expanduser(),
            neo4j_uri=uri,
            neo4j_user=e.get("NEO4J_USER", "neo4j"),
            neo4j_password=e.get("NEO4J_PASSWORD", ""),
            neo4j_database=e.get("NEO4J_DATABASE", "neo4j"),
            graph_name=e.get("KB_GRAPH", "kb"),
            query_timeout=float(e.get("KB_QUERY_TIMEOUT", "10")),
            api_token=e.get("KB_API_TOKEN") or None,
            graphiql=_bool(e.get("KB_GRAPHIQL"), True),
            cors_origins=origins,
            cors_local=_bool(e.get("KB_CORS_LOCALHOST"), True),
            max_body_bytes=int(e.get("KB_MAX_BODY_BYTES", str(2 * 1024 * 1024))),
        )
