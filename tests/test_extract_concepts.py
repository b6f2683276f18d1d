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


def test_aumf_against_iraq_is_the_2002_law_and_no_use_of_force() -> None:
    got = concepts("It cited the Authorization for Use of Military Force Against Iraq of 2002.")
    assert got == {"concept:aumf-2002-iraq"}


def test_imminence_does_not_link_the_ppg_standard() -> None:
    got = concepts("Officials described an imminent threat and continuing protests.")
    assert got == {"concept:imminent-threat"}


def test_legal_vocabulary_of_commentary() -> None:
    got = concepts(
        "Iran will pursue war-crimes charges at the International Criminal Court. The strike "
        "violated Iraq's sovereignty, critics said, and had no legal basis under Article II. "
        "Lawmakers said he must notify Congress within 48 hours. It was not an assassination."
    )
    assert {
        "concept:war-crime",
        "concept:icc-jurisdiction",
        "concept:violation-of-sovereignty",
        "concept:presidential-article-ii",
        "concept:congressional-notification",
        "concept:assassination",
    } <= got


def test_asking_for_a_legal_basis_names_no_doctrine() -> None:
    """'The legal justification' is the question every use of force raises, not a doctrine: the
    claim is linked to the doctrine it names (here Article II), or to none."""
    assert concepts("The ministry has yet to explain the legal justification for it.") == set()
    got = concepts("Critics said the raid had no legal basis under Article II.")
    assert got == {"concept:presidential-article-ii"}


def test_assassination_is_a_narrower_targeted_killing() -> None:
    from loaders.ontology import broader_concepts

    assert "targeted-killing" in broader_concepts("concept:assassination")
    assert "self-defense-article-51" in broader_concepts("concept:anticipatory-self-defense")


def test_excluded_contexts_are_not_the_legal_concept() -> None:
    got = concepts(
        "The bill limits the use of force by police officers. It was character assassination. "
        "The jury accepted that he shot the intruder in self-defense. The march of the National "
        "Right to Life Committee drew thousands."
    )
    assert got == set()


def test_state_sense_survives_beside_excluded_ones() -> None:
    got = concepts(
        "The strike was a use of force against Iran, which claimed self-defense under Article 51."
    )
    assert {"concept:use-of-force-article-2-4", "concept:self-defense-article-51"} <= got
