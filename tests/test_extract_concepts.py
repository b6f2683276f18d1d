"""Concepts: inflection and paraphrase tolerant linking to the ontology."""

from __future__ import annotations

from loaders.extract.concepts import extract_concepts
from loaders.extract.context import build_context
from tests.test_extract_actors import make_doc


def concepts(raw: str) -> set[str]:
    return {m.concept_id for m in extract_concepts(build_context(make_doc(raw)))}


def test_inflection_and_spelling() -> None:
    got = concepts(
        'They cited "imminent" threats. It was an act of self-defence. Self defense too.'
    )
    assert {"concept:imminent-threat", "concept:self-defense-article-51"} <= got


def test_paraphrases() -> None:
    got = concepts(
        "The Pentagon called it defensive action under Article 51. It used force against a state. "
        "Congress passed an authorization for the use of military force. The response must be "
        "necessary and proportionate to an armed attack."
    )
    assert {
        "concept:self-defense-article-51",
        "concept:use-of-force-article-2-4",
        "concept:aumf-2001",
        "concept:necessity-and-proportionality",
        "concept:armed-attack",
    } <= got


def test_no_concept_from_urls() -> None:
    raw = "See [the report](https://x.com/plotting-imminent-attack-self-defense)."
    assert concepts(raw) == set()
