"""Stance rules of loaders.extract.stance, each on invented sentences.

The general rules of English argument the stance reader applies beyond single cues: what a
comparison sets aside, what a conceded sentence grants, what a legal test states.
"""

from __future__ import annotations

from kb.model import Stance
from loaders.extract.lexicons import stance_lexicon
from loaders.extract.prefilter import literal_prefixes
from loaders.extract.stance import stance_of


def test_every_cue_has_a_literal_beginning_for_the_prefilter() -> None:
    # one cue without a literal beginning ('\w+n't') makes the whole alternation run in full at
    # every position of every claim, which more than doubled the stage's time
    lex = stance_lexicon()
    assert literal_prefixes(lex.attacks) is not None
    assert literal_prefixes(lex.supports) is not None


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
    assert stance_of("The raid was nothing less than an assassination.") is Stance.ATTACKS
    assert stance_of("The raid was more than justified.") is Stance.SUPPORTS


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


def test_a_truth_judgment_without_the_action_judges_a_remark() -> None:
    # a reaction to what a politician said on television is about the remark
    assert stance_of("This is plainly false.") is Stance.NEUTRAL
    assert stance_of("Obviously, ridiculously untrue.") is Stance.NEUTRAL
    text = "His unsubstantiated claim was called irresponsible by several pundits."
    assert stance_of(text) is Stance.NEUTRAL
    # the same words about the action's justification vote
    text = "Their account of the raid was false."
    assert stance_of(text) is Stance.ATTACKS


def test_a_kind_of_ground_and_a_permission_state_the_law() -> None:
    text = "Lawful grounds for such raids are few, and it is hard to see how any applies here."
    assert stance_of(text) is Stance.ATTACKS
    text = "The ministry acted without lawful justification."
    assert stance_of(text) is Stance.ATTACKS
    text = "Under the charter a government may act to meet imminent threats to its people."
    assert stance_of(text) is Stance.NEUTRAL
    text = "The candidate promised to end the endless wars overseas."
    assert stance_of(text) is Stance.NEUTRAL


def test_likening_the_target_to_a_terrorist_leader_and_prudential_harm() -> None:
    text = "Ministers compared the colonel to Osama bin Laden when they defended the decision."
    assert stance_of(text) is Stance.SUPPORTS
    text = "A diplomat said the case could pose serious problems for the government."
    assert stance_of(text) is Stance.ATTACKS
    assert stance_of("Those remarks won't look good before a judge.") is Stance.ATTACKS
    # a denied consequence argues neither way
    assert stance_of("The ruling poses no problems for the ministry.") is Stance.NEUTRAL


def test_a_bill_to_restrain_the_action_attacks_it() -> None:
    text = "A senator filed a resolution requiring congressional approval for further strikes."
    assert stance_of(text) is Stance.ATTACKS
    text = "Lawmakers backed a measure that would limit the president's war powers."
    assert stance_of(text) is Stance.ATTACKS


def test_words_of_condemnation_and_praise_of_the_action() -> None:
    assert stance_of("The envoy decried the raid as a grave mistake.") is Stance.ATTACKS
    assert stance_of("Critics called the raid unjustified and indefensible.") is Stance.ATTACKS
    assert stance_of("The legal basis of the raid is questionable.") is Stance.ATTACKS
    assert stance_of("The raid could spark a wider war.") is Stance.ATTACKS
    assert stance_of("Nobody wants to ignite a conflict.") is Stance.NEUTRAL
    assert stance_of("Supporters cheered the killing of the colonel.") is Stance.SUPPORTS
    assert stance_of("Allies lauded the decision.") is Stance.SUPPORTS
    assert stance_of("The general was the world's top terrorist.") is Stance.SUPPORTS
    # celebrating a holiday, or 'blasted' as a headline verb for anything, say nothing
    assert stance_of("Crowds began celebrating the holiday in the square.") is Stance.NEUTRAL


def test_so_called_distances_only_the_words_after_it() -> None:
    assert stance_of("The so-called imminent threat was never shown.") is Stance.ATTACKS
    assert stance_of("The ministry cited a supposedly imminent attack.") is Stance.ATTACKS
    text = "Under the so-called war on terror, the raid was unlawful."
    assert stance_of(text) is Stance.ATTACKS


def test_not_only_affirms_and_a_rebuttal_reverses_what_it_rebuts() -> None:
    assert stance_of("The raid was not only illegal, it was also reckless.") is Stance.ATTACKS
    text = "The spokesman pushed back on claims that the raid was reckless."
    assert stance_of(text) is Stance.SUPPORTS
    text = "The minister brushed aside criticism that the strike was illegal."
    assert stance_of(text) is Stance.SUPPORTS
    text = "Satellite images contradicted the claim of an imminent attack."
    assert stance_of(text) is Stance.ATTACKS
    # resisting an enemy is no rebuttal
    text = "Allies will push back against the regime, the world's top terrorist sponsor."
    assert stance_of(text) is not Stance.ATTACKS


def test_blame_of_a_statement_or_document_is_about_it() -> None:
    text = "That memo was a draft, it was a mistake, and it should never have been sent."
    assert stance_of(text) is Stance.NEUTRAL
    assert stance_of("This kind of statement is shameful and dangerous.") is Stance.NEUTRAL
    # blame of the action itself votes
    assert stance_of("Killing the colonel was a mistake.") is Stance.ATTACKS


def test_legal_said_of_the_action_and_the_tests_it_must_pass() -> None:
    text = "Officials say the raids are legal because the country is at war."
    assert stance_of(text) is Stance.SUPPORTS
    assert stance_of("Legal scholars debated the legal and political fallout.") is Stance.NEUTRAL
    text = "Any strike would have to be legal and would have to be proportionate."
    assert stance_of(text) is Stance.NEUTRAL
    text = "The raid failed to meet the legal threshold for self-defense."
    assert stance_of(text) is Stance.ATTACKS
    text = "Several senators left the briefing unconvinced by the justification."
    assert stance_of(text) is Stance.ATTACKS


def test_removing_a_threat_justifies_and_no_mourning_is_a_concession() -> None:
    # critics grant that nobody mourns the man before they argue against the killing
    assert stance_of("No one will mourn the colonel's passing.") is Stance.NEUTRAL
    assert stance_of("The raid was meant to eliminate the threat.") is Stance.SUPPORTS
    assert stance_of("Commandos moved to thwart a bombing plot.") is Stance.SUPPORTS


def test_a_claim_the_reporter_calls_false_is_rejected() -> None:
    text = "The minister falsely claimed that the colonel was plotting imminent attacks."
    assert stance_of(text) is Stance.ATTACKS
