"""Search finds names and words as researchers type them, on both stores."""

from __future__ import annotations

import pytest
from test_api_support import gql, load_research_graph, make_app, ok

from kb.config import Settings
from kb.store.base import GraphStore
from kb.store.search_terms import MAX_TERMS, search_terms

Q = """query($t: String!, $labels: [NodeLabel!]) {
  search(text: $t, labels: $labels, first: 10) { node { __typename ... on Actor { id }
    ... on Claim { text } ... on Passage { text } } } }"""


@pytest.fixture
async def app(store: GraphStore, settings: Settings):  # type: ignore[no-untyped-def]
    await load_research_graph(store)
    return make_app(store, settings)


async def _hits(app, text: str, labels: list[str] | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    return ok(await gql(app, Q, {"t": text, "labels": labels}))["search"]


@pytest.mark.parametrize(("text", "actor"), [
    ("Qassem Soleimani", "actor:qasem-soleimani"),  # the spelling of another outlet
    ("Suleimani", "actor:qasem-soleimani"),
    ("IRGC", "actor:islamic-revolutionary-guard-corps"),
    ("Qaddafi", "actor:muammar-gaddafi"),
])
async def test_names_by_their_aliases_and_spellings(app, text: str, actor: str) -> None:  # type: ignore[no-untyped-def]
    hits = await _hits(app, text, ["ACTOR"])
    assert {"__typename": "Actor", "id": actor} in [h["node"] for h in hits]


async def test_either_apostrophe_finds_the_other(app) -> None:  # type: ignore[no-untyped-def]
    for text in ("Trump's move", "Trump’s move"):
        hits = await _hits(app, text)
        assert any("Trump’s move" in (h["node"].get("text") or "") for h in hits), text


def test_terms_are_words_only_and_bounded() -> None:
    assert search_terms("Trump's move") == ["trump*", "move*"]
    assert search_terms("a) DETACH DELETE n //") == ["detach*", "delete*"]
    assert len(search_terms("word " * 5000)) == MAX_TERMS
