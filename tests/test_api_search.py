"""Search syntax (phrases, OR, AND, NOT, prefixes), the length cap, one hit per claim, `after`
paging, snippets, and documents by title, author and publisher; on both stores."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.applications import Starlette
from test_api_support import codes, gql, load_research_graph, make_app, ok

from kb.api.search import SNIPPET
from kb.config import Settings
from kb.store.base import GraphStore
from kb.store.search_terms import MAX_CHARS, parse_search, render_search

Q = """query($t: String!, $labels: [NodeLabel!], $first: Int, $after: String) {
  search(text: $t, labels: $labels, first: $first, after: $after) {
    score cursor snippet node { __typename id
      ... on Claim { text evidence { passage { id } } } ... on Passage { text }
      ... on Actor { name } ... on Document { title author publisher } } } }"""


@pytest.fixture
async def app(store: GraphStore, settings: Settings) -> Starlette:
    await load_research_graph(store)
    return make_app(store, settings)


async def hits(
    app: Starlette,
    text: str,
    labels: list[str] | None = None,
    first: int = 50,
    after: str | None = None,
) -> list[dict[str, Any]]:
    variables = {"t": text, "labels": labels, "first": first, "after": after}
    return ok(await gql(app, Q, variables))["search"]


def _text(hit: dict[str, Any]) -> str:
    return (hit["node"].get("text") or "").lower()


def _ids(found: list[dict[str, Any]]) -> set[str]:
    return {h["node"]["id"] for h in found}


async def test_or_and_not_and_prefix(app: Starlette) -> None:
    labels = ["CLAIM", "PASSAGE"]
    imminent = _ids(await hits(app, "imminent", labels))
    libya = _ids(await hits(app, "Libya", labels))
    assert imminent and libya
    assert _ids(await hits(app, "imminent OR Libya", labels)) == imminent | libya
    assert _ids(await hits(app, "imminent AND Libya", labels)) == imminent & libya
    without = await hits(app, "imminent NOT Libya", labels)
    assert _ids(without) == imminent - libya
    assert _ids(await hits(app, "imminent -Libya", labels)) == _ids(without)
    actors = await hits(app, "Solei*", ["ACTOR"])
    assert "actor:qasem-soleimani" in _ids(actors)
    refused = await gql(app, Q, {"t": "NOT Libya"})
    assert codes(refused) == ["BAD_USER_INPUT"]


async def test_a_phrase_keeps_its_words_together(app: Starlette) -> None:
    labels = ["CLAIM", "PASSAGE"]
    phrase = await hits(app, '"imminent threat"', labels)
    assert phrase
    assert all(re.search(r"imminent\W+threat", _text(h)) for h in phrase)
    loose = await hits(app, "imminent threat", labels)
    assert _ids(phrase) <= _ids(loose)
    assert not await hits(app, '"threat imminent"', labels)
    curly = await hits(app, "“Trump’s move”")
    straight = await hits(app, '"Trump\'s move"')
    assert _ids(curly) == _ids(straight) and curly


async def test_syntax_is_escaped_and_the_length_capped(app: Starlette) -> None:
    for text in ("Trump~", "a) DETACH DELETE n //", '*:* "unbalanced', "title:Trump^3"):
        ok(await gql(app, Q, {"t": text}))
    assert render_search(parse_search("Trump~ AND (x)") or parse_search("x"), True) == "trump*"
    long = await gql(app, Q, {"t": "soleimani " * (MAX_CHARS // 10 + 1)})
    assert codes(long) == ["BAD_USER_INPUT"] and str(MAX_CHARS) in long["errors"][0]["message"]
    ok(await gql(app, Q, {"t": ("soleimani " * MAX_CHARS)[:MAX_CHARS]}))


async def test_one_hit_per_claim_its_passage_folded_in(app: Starlette) -> None:
    found = await hits(app, "imminent", ["CLAIM", "PASSAGE"])
    claims = [h for h in found if h["node"]["__typename"] == "Claim"]
    assert claims
    evidenced = {h["node"]["evidence"]["passage"]["id"] for h in claims}
    passages = {h["node"]["id"] for h in found if h["node"]["__typename"] == "Passage"}
    assert not evidenced & passages
    assert len(found) == len(_ids(found))
    only_passages = await hits(app, "imminent", ["PASSAGE"])
    assert evidenced <= _ids(only_passages)  # without claims asked for, passages stay


async def test_after_pages_through_the_same_ranking(app: Starlette) -> None:
    every = await hits(app, "Soleimani", first=9)
    first = await hits(app, "Soleimani", first=4)
    second = await hits(app, "Soleimani", first=5, after=first[-1]["cursor"])
    assert [h["node"]["id"] for h in first + second] == [h["node"]["id"] for h in every]
    other = await gql(app, Q, {"t": "Trump", "after": first[-1]["cursor"]})
    assert codes(other) == ["BAD_CURSOR"]


async def test_snippets_mark_the_matched_words(app: Starlette) -> None:
    found = await hits(app, "imminent threat", ["CLAIM"])
    assert found
    for h in found:
        plain = re.sub(r"</?mark>", "", h["snippet"])
        assert "<mark>" in h["snippet"] and len(plain.strip("…")) <= SNIPPET
        marked = re.findall(r"<mark>(.*?)</mark>", h["snippet"])
        assert all(w.lower().startswith(("imminent", "threat")) for w in marked)


async def test_documents_by_title_author_and_publisher(app: Starlette) -> None:
    for text in ("Novel Shift", "Dworkin", "Just Security"):
        found = await hits(app, text, ["DOCUMENT"])
        titles = [h["node"]["title"] for h in found]
        assert any("Novel Shift" in (t or "") for t in titles), (text, titles)
