"""Helpers of the API tests: an app over the test store, a GraphQL client, the research graph.

The research graph is the seed corpus loaded by the real loaders when they are installed
(`loaders.extract` and `loaders.read`), and otherwise a fixture built with `GraphRows` that
mirrors what the seeds should yield (same ids for curated entities, same sentences). Set
`KB_API_TEST_GRAPH=fixture` or `=seeds` to force one.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import replace
from typing import Any

import httpx
from starlette.applications import Starlette

from kb.api.app import create_app
from kb.config import Settings
from kb.model import Label, RelType, content_id
from kb.store.base import GraphStore
from kb.writer import GraphRows

TOKEN = "s3cret-token-for-tests"


def make_app(store: GraphStore | None, settings: Settings, **overrides: Any) -> Starlette:
    return create_app(replace(settings, **overrides), store=store)


def client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def gql(app: Starlette, query: str, variables: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None) -> dict[str, Any]:
    async with client(app) as c:
        r = await c.post("/graphql", json={"query": query, "variables": variables or {}},
                         headers=headers or {})
    assert r.status_code == 200, r.text
    return r.json()


async def wait_ready(c: httpx.AsyncClient, seconds: float = 10.0) -> None:
    """Wait until /health/ready answers 200 (a store that was down is back); the caller's
    next request shows whether it came back."""
    import asyncio

    for _ in range(int(seconds / 0.25)):
        if (await c.get("/health/ready")).status_code == 200:
            return
        await asyncio.sleep(0.25)


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert not result.get("errors"), result.get("errors")
    return result["data"]


def codes(result: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in result.get("errors") or []]


# -- the research graph ----------------------------------------------------------------------


def loaders_ready() -> bool:
    return all(importlib.util.find_spec(m) is not None
               for m in ("loaders.extract", "loaders.read"))


def graph_source() -> str:
    wanted = os.environ.get("KB_API_TEST_GRAPH", "auto")
    if wanted == "auto":
        return "seeds" if loaders_ready() else "fixture"
    return wanted


async def load_research_graph(store: GraphStore) -> str:
    """Load the seeds (or the fixture mirroring them); returns which one was loaded."""
    source = graph_source()
    if source == "seeds":
        from kb.ingest import iter_files, load_files, seed_corpus

        if importlib.util.find_spec("kb.ontology_sync") is not None:
            from kb.ontology_sync import sync_ontology  # type: ignore[import-not-found]

            await sync_ontology(store)
        report = await load_files(store, iter_files([seed_corpus()]))
        assert not report.failures, [(r.path, r.reason) for r in report.failures]
    else:
        await store.write_batch(research_fixture().statements(store.dialect))
    store.round_trips.reset()
    return source


CBS = "document:cbs-trump-authorized-soleimani-killing"
WTF = "document:wtfjht-day-1080"
JS = "document:just-security-novel-shift"

_DOCS = {
    CBS: {"title": "Trump authorized Soleimani killing months before deadly strike",
          "format": "plain", "publisher": "CBS News", "published": "2020-01-13",
          "source": "000_73353883cdfb1f18.txt"},
    WTF: {"title": "Day 1080", "format": "markdown",
          "publisher": "What The Fuck Just Happened Today",
          "published": "2020-01-03", "source": "003_878afde649600ba6.txt"},
    JS: {"title": "Soleimani Strike Marks a Novel Shift in Targeted Killing, Dangerous to the "
                  "Global Order", "format": "web", "publisher": "Common Dreams",
         "author": "Anthony Dworkin", "published": "2020-01-06",
         "source": "004_1a0900b66f28913e.txt"},
}

_ACTORS = {
    "actor:donald-trump": ("Donald Trump", "Person"),
    "actor:qasem-soleimani": ("Qasem Soleimani", "Person"),
    "actor:mark-esper": ("Mark Esper", "Person"),
    "actor:kataib-hezbollah": ("Kataib Hezbollah", "Group"),
    "actor:abu-mahdi-al-muhandis": ("Abu Mahdi al-Muhandis", "Person"),
    "actor:anthony-dworkin": ("Anthony Dworkin", "Person"),
    "actor:united-states": ("United States", "State"),
    "actor:iran": ("Iran", "State"),
    "actor:trump-administration": ("Trump administration", "Organisation"),
}

_CONCEPTS = {
    "concept:imminent-threat": "imminent threat",
    "concept:self-defense-article-51": "self-defense under Article 51 of the UN Charter",
    "concept:armed-attack": "armed attack",
    "concept:necessity-and-proportionality": "necessity and proportionality",
    "concept:targeted-killing": "targeted killing",
}

_PRECEDENTS = {
    "precedent:yamamoto-shoot-down-1943": ("Yamamoto shoot-down", "1943-04-18"),
    "precedent:bombing-of-libya-1986": ("1986 bombing of Libya", "1986-04-15"),
}

STRIKE = "event:drone-strike-soleimani-baghdad-2020-01-03"
_EVENTS = {
    "event:rocket-attack-k1-base-2019-12-27": ("rocket attack on a military base in northern "
                                               "Iraq", "2019-12-27", "December 27"),
    "event:us-airstrikes-kataib-hezbollah-2019-12-29": ("U.S. airstrikes on Kataib Hezbollah",
                                                        "2019-12-29", None),
    "event:protests-us-embassy-baghdad-2019-12-31": ("protests at the U.S. embassy in Baghdad",
                                                     "2019-12-31", None),
    STRIKE: ("drone strike that killed Soleimani in Baghdad", "2020-01-03", "January 3"),
    "event:iran-missile-attack-iraqi-bases-2020-01-08": ("Iranian ballistic missile attack on "
                                                         "Iraqi bases", "2020-01-08", None),
}

_PARTICIPATION = [
    ("actor:kataib-hezbollah", "event:rocket-attack-k1-base-2019-12-27", "attacked"),
    ("actor:united-states", "event:us-airstrikes-kataib-hezbollah-2019-12-29", "retaliated"),
    ("actor:kataib-hezbollah", "event:us-airstrikes-kataib-hezbollah-2019-12-29", "targeted"),
    ("actor:donald-trump", STRIKE, "ordered"),
    ("actor:qasem-soleimani", STRIKE, "killed"),
    ("actor:abu-mahdi-al-muhandis", STRIKE, "killed"),
    ("actor:iran", "event:iran-missile-attack-iraqi-bases-2020-01-08", "retaliated"),
]

# (key, doc, speaker, stance, sentence, quote, concepts [(id, stance)], precedents, about)
_CLAIMS: list[tuple[Any, ...]] = [
    ("trump_imminent", CBS, "actor:donald-trump", "supports",
     "Mr. Trump has said that he ordered the strike that took out Soleimani after the U.S. "
     "received information of \"imminent\" threats to American personnel in the region.",
     "\"imminent\" threats to American personnel in the region",
     ["concept:imminent-threat"], [], [STRIKE]),
    ("trump_embassies", CBS, "actor:donald-trump", "supports",
     "He later told Fox News in an interview that Soleimani was orchestrating an attack on four "
     "U.S. embassies, including the embassy in Baghdad.",
     "Soleimani was orchestrating an attack on four U.S. embassies",
     ["concept:imminent-threat"], [], [STRIKE]),
    ("esper_no_evidence", CBS, "actor:mark-esper", "attacks",
     "But Defense Secretary Mark Esper told \"Face the Nation\" on Sunday that he \"didn't see\" "
     "specific evidence that Soleimani was planning assaults on four embassies, but agreed with "
     "the president's belief that they would be targeted.",
     "he \"didn't see\" specific evidence that Soleimani was planning assaults on four embassies",
     ["concept:imminent-threat"], [], [STRIKE]),
    ("esper_defensive", WTF, "actor:mark-esper", "supports",
     "Defense Secretary Mark Esper said the Pentagon had taken \"decisive defensive action\" and "
     "killed Qasem Soleimani.",
     "\"decisive defensive action\"", ["concept:self-defense-article-51"], [], [STRIKE]),
    ("trump_sinister", WTF, "actor:donald-trump", "supports",
     "In brief remarks from Mar-a-Lago, Trump said Soleimani had been caught \"in the act\" "
     "planning \"imminent and sinister attacks\" on Americans.",
     "\"imminent and sinister attacks\"", ["concept:imminent-threat"], [], [STRIKE]),
    ("dworkin_yamamoto", JS, "actor:anthony-dworkin", "attacks",
     "The attack against Yamamoto took place at a time when the United States and Japan were "
     "engaged in an all-out war that ended with the complete surrender of Japan.",
     "The attack against Yamamoto took place at a time when the United States and Japan were "
     "engaged in an all-out war", ["concept:targeted-killing"],
     [("precedent:yamamoto-shoot-down-1943", "distinguishes")], [STRIKE]),
    ("dworkin_libya", JS, "actor:anthony-dworkin", "neutral",
     "The nearest equivalent in recent history may be President Ronald Reagan's bombing raid on "
     "Libya in 1986.",
     "President Ronald Reagan's bombing raid on Libya in 1986", [],
     [("precedent:bombing-of-libya-1986", "analogizes")], [STRIKE]),
    ("admin_defensive", JS, "actor:trump-administration", "supports",
     "The administration has described the killing of Soleimani as a \"defensive action\" against "
     "an individual who was \"actively developing plans to attack American diplomats and service "
     "members in Iraq and throughout the region.\"",
     "\"defensive action\"", ["concept:self-defense-article-51", "concept:imminent-threat"], [],
     [STRIKE]),
    ("dworkin_charter", JS, "actor:anthony-dworkin", "attacks",
     "But in killing an Iranian government official, the United States has used force against "
     "Iran, and under the UN Charter that is only permitted to the degree that is necessary and "
     "proportionate to defend against an armed attack.",
     "under the UN Charter that is only permitted to the degree that is necessary and "
     "proportionate to defend against an armed attack",
     ["concept:self-defense-article-51", "concept:armed-attack",
      "concept:necessity-and-proportionality"], [], [STRIKE]),
]

_ATTACKS = [("esper_no_evidence", "trump_embassies"), ("dworkin_charter", "admin_defensive"),
            ("dworkin_yamamoto", "admin_defensive")]

_STRIKE_SENTENCE = (
    "The strike that killed Soleimani ultimately took place January 3, when Mr. Trump ordered a "
    "drone strike targeting a convoy carrying Soleimani in Baghdad. In addition to Soleimani, "
    "Abu Mahdi al-Muhandis, the leader of the Iranian-backed militia Kataib Hezbollah, was also "
    "killed in the attack.")

_INVOKE = {"supports": "supports", "attacks": "disputes", "neutral": "neutral"}


def research_fixture() -> GraphRows:
    """A graph shaped like the seeds' extraction: the answers the research questions expect."""
    g = GraphRows()
    for doc_id, props in _DOCS.items():
        g.node(Label.DOCUMENT, doc_id, sha256=content_id("sha", doc_id), **props)
    g.node(Label.OUTLET, "outlet:cbs-news", name="CBS News", domain="cbsnews.com")
    g.node(Label.OUTLET, "outlet:common-dreams", name="Common Dreams",
           domain="commondreams.org")
    g.node(Label.OUTLET, "outlet:just-security", name="Just Security",
           domain="justsecurity.org")
    g.edge(RelType.PUBLISHED_BY, Label.DOCUMENT, CBS, Label.OUTLET, "outlet:cbs-news")
    g.edge(RelType.PUBLISHED_BY, Label.DOCUMENT, JS, Label.OUTLET, "outlet:common-dreams")
    g.edge(RelType.CITES_SOURCE, Label.DOCUMENT, JS, Label.OUTLET, "outlet:just-security")
    for actor_id, (name, kind) in _ACTORS.items():
        g.node(Label.ACTOR, actor_id, name=name, type=kind, aliases=[], aliases_text="")
    for concept_id, name in _CONCEPTS.items():
        g.node(Label.CONCEPT, concept_id, name=name, definition=f"The concept of {name}.",
               aliases=[name], aliases_text=name, curated=True)
    g.edge(RelType.RELATED_TO, Label.CONCEPT, "concept:self-defense-article-51", Label.CONCEPT,
           "concept:armed-attack", kind="requires")
    g.edge(RelType.RELATED_TO, Label.CONCEPT, "concept:imminent-threat", Label.CONCEPT,
           "concept:self-defense-article-51", kind="limits")
    for prec_id, (name, date) in _PRECEDENTS.items():
        g.node(Label.PRECEDENT, prec_id, name=name, date=date, summary=name, aliases=[name],
               aliases_text=name)
    for event_id, (name, date, date_text) in _EVENTS.items():
        g.node(Label.EVENT, event_id, name=name, date=date, date_text=date_text)
    for actor_id, event_id, role in _PARTICIPATION:
        g.edge(RelType.PARTICIPATED_IN, Label.ACTOR, actor_id, Label.EVENT, event_id, role=role,
               doc=CBS)
    index = dict.fromkeys(_DOCS, 0)
    offset = dict.fromkeys(_DOCS, 100)

    def passage(doc: str, text: str) -> tuple[str, int]:
        pid = content_id("passage", doc, text)
        start = offset[doc]
        g.node(Label.PASSAGE, pid, text=text, start=start, end=start + len(text),
               index=index[doc], doc=doc)
        g.edge(RelType.HAS_PASSAGE, Label.DOCUMENT, doc, Label.PASSAGE, pid, index=index[doc])
        index[doc] += 1
        offset[doc] += len(text) + 1
        return pid, start

    strike_pid, _ = passage(CBS, _STRIKE_SENTENCE)
    for entity, label in (("actor:qasem-soleimani", Label.ACTOR),
                          ("actor:kataib-hezbollah", Label.ACTOR),
                          ("actor:abu-mahdi-al-muhandis", Label.ACTOR),
                          (STRIKE, Label.EVENT)):
        g.edge(RelType.MENTIONED_IN, label, entity, Label.PASSAGE, strike_pid, start=0, end=10,
               doc=CBS)
    claim_ids: dict[str, str] = {}
    for key, doc, speaker, stance, sentence, quote, concepts, precs, about in _CLAIMS:
        pid, start = passage(doc, sentence)
        at = sentence.index(quote)
        cid = content_id("claim", doc, speaker, quote)
        claim_ids[key] = cid
        g.node(Label.CLAIM, cid, text=sentence, stance=stance, modality="asserted", doc=doc,
               passage=pid, quote=quote, start=start + at, end=start + at + len(quote),
               prefix=sentence[max(0, at - 20):at], suffix=sentence[at + len(quote):][:20],
               speaker=speaker)
        g.edge(RelType.ASSERTS, Label.ACTOR, speaker, Label.CLAIM, cid, doc=doc)
        g.edge(RelType.EVIDENCED_BY, Label.CLAIM, cid, Label.PASSAGE, pid, quote=quote, doc=doc)
        g.edge(RelType.MENTIONED_IN, Label.ACTOR, speaker, Label.PASSAGE, pid, start=0, end=5,
               doc=doc)
        for concept in concepts:
            g.edge(RelType.INVOKES, Label.CLAIM, cid, Label.CONCEPT, concept,
                   stance=_INVOKE[stance], doc=doc, passage=pid)
            g.edge(RelType.MENTIONED_IN, Label.CONCEPT, concept, Label.PASSAGE, pid, start=0,
                   end=5, doc=doc)
        for prec, treatment in precs:
            g.edge(RelType.CITES_PRECEDENT, Label.CLAIM, cid, Label.PRECEDENT, prec,
                   treatment=treatment, doc=doc, passage=pid)
            g.edge(RelType.MENTIONED_IN, Label.PRECEDENT, prec, Label.PASSAGE, pid, start=0,
                   end=5, doc=doc)
        for event in about:
            g.edge(RelType.ABOUT, Label.CLAIM, cid, Label.EVENT, event, doc=doc, passage=pid)
    for src, dst in _ATTACKS:
        g.edge(RelType.ATTACKS, Label.CLAIM, claim_ids[src], Label.CLAIM, claim_ids[dst], doc=CBS)
    return g
