"""Stance rules of loaders.extract.stance, each on invented sentences.

The general rules of English argument the stance reader applies beyond single cues: what a
comparison sets aside, what a conceded sentence grants, what a legal test states.
"""

from __future__ import annotations

from kb.model import Stance
from loaders.extract.stance import stance_of


def test_what_than_sets_aside_is_denied() -> None:
    # the alternative after 'than' is what the speaker says the action was not
    text = "Analysts called the raid more a warning shot than an escalation."
    assert stance_of(text) is Stance.NEUTRAL  # a denied consequence argues neither way
    text = "The raid looked more like a reprisal than a lawful arrest."
    assert stance_of(text) is Stance.ATTACKS
    text = "Officials presented the raid as self-defense instead of a reprisal."
    assert stance_of(text) is Stance.SUPPORTS
    # 'worse than' goes beyond what follows it instead of setting it aside
    assert stance_of("The raid was worse than a crime.") is Stance.ATTACKS


def test_inflected_forms_of_a_cue_count() -> None:
    assert stance_of("The raid is imperiling the truce.") is Stance.ATTACKS


def test_a_conceded_sentence_yields_to_the_next() -> None:
    text = (
        "It is true that the colonel was dangerous. The question is whether the raid "
        "was needed at all."
    )
    assert stance_of(text) is Stance.ATTACKS
    text = "To be sure, the raid was reckless. Yet it was lawful, and it saved lives."
    assert stance_of(text) is Stance.SUPPORTS
    # a single sentence that concedes keeps its own cues
    assert stance_of("It is true that the raid was illegal.") is Stance.ATTACKS


def test_a_justification_any_state_might_invoke_states_the_legal_test() -> None:
    text = "The bar for a state invoking self-defense is high."
    assert stance_of(text) is Stance.NEUTRAL
    text = (
        "The burden on a country claiming self-defense is heavy, and the ministry has failed "
        "to show an imminent danger."
    )
    assert stance_of(text) is Stance.ATTACKS
    assert stance_of("The ministry called the raid self-defense.") is Stance.SUPPORTS
