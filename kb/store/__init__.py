"""Graph stores: pick a backend from the settings (no URI: embedded FalkorDB; bolt/neo4j: Neo4j)."""

from __future__ import annotations

from kb.config import Settings
from kb.store.base import GraphStore


def make_store(settings: Settings) -> GraphStore:
    """Build (without connecting) the store the settings ask for."""
    if settings.neo4j_uri:
        if not settings.uses_neo4j:
            raise ValueError(
                f"NEO4J_URI must start with bolt:// or neo4j://, got {settings.neo4j_uri!r}")
        from kb.store.neo4j import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                          settings.neo4j_database, settings.query_timeout)
    from kb.store.falkordb import FalkorDBStore

    return FalkorDBStore(settings.data_dir, settings.graph_name, settings.query_timeout)
