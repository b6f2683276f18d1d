"""Who says what: the attribution patterns of news English, on invented sentences.

Each text is read by the real reader (sentences and all) and run through the real stages; the
names are made up so that no curated actor helps.
"""

from __future__ import annotations

from dataclasses import replace

from kb.model import Stance
from loaders.extract import extract, extraction_to_json
from loaders.extract.attribution import quoted_spans
from loaders.extract.stance import stance_of
from loaders.read import read_document


def speakers(text: str, author: str | None = None) -> list[tuple[str, str]]:
    """(speaker, first words of the evidence) for every claim of a plain-text document."""
    doc = read_document(text.encode(), "story.txt")
    if author:
        doc.meta = replace(doc.meta, author=author)
    out = extraction_to_json(extract(doc))
    return [(c["speaker"], c["evidence"]["quote"][:30]) for c in out["claims"]]


def said_by(text: str, fragment: str, author: str | None = None) -> set[str]:
    return {s for s, q in speakers(text, author) if q.startswith(fragment)}


def test_quote_then_speaker_and_inverted_speaker() -> None:
    text = (
        "Foreign Minister Halvard Munk met his counterparts on Monday in the capital.\n\n"
        "“The strike was an act of war against a sovereign state,” Munk said.\n\n"
        "“We will answer it in court,” said Deputy Minister Oskar Brandvold."
    )
    assert said_by(text, "“The strike") == {"Halvard Munk"}
    assert said_by(text, "“We will") == {"Oskar Brandvold"}


def test_indirect_speech_appositive_and_according_to() -> None:
    text = (
        "Senator Lucinda Marr, who chairs the armed services panel, said the administration had "
        "shown no evidence of an imminent attack.\n\n"
        "The base had been evacuated days earlier, according to Senator Lucinda Marr."
    )
    assert said_by(text, "Senator Lucinda Marr, who") == {"Lucinda Marr"}
    assert said_by(text, "The base had") == {"Lucinda Marr"}


def test_joint_speakers_make_one_claim_each() -> None:
    text = (
        "General Tomas Weller and Admiral Priya Nandakumar told reporters that sixteen missiles "
        "had been fired from three sites."
    )
    assert said_by(text, "General Tomas") == {"Tomas Weller", "Priya Nandakumar"}


def test_a_quotation_over_several_sentences_is_the_speakers_throughout() -> None:
    text = (
        "“We did not start this. We will not be the ones to widen it. But we will defend our "
        "people,” Prime Minister Ilse Vandermeer said in a televised address."
    )
    found = speakers(text)
    assert found and {s for s, _ in found} == {"Ilse Vandermeer"}


def test_a_reporting_verb_inside_a_quotation_is_not_an_attribution() -> None:
    text = (
        "Minister Karel Dostal spoke to parliament on Tuesday.\n\n"
        "“Our neighbours claimed it was self-defense,” Dostal said."
    )
    assert said_by(text, "“Our neighbours") == {"Karel Dostal"}
    assert quoted_spans("a “b c” d") == [(2, 7)]


def test_collective_and_unnamed_speakers() -> None:
    text = (
        "Three Republican senators said the strike needed congressional approval.\n\n"
        "A senior European diplomat told reporters that the talks would go on."
    )
    assert {s.removeprefix("Three ") for s in said_by(text, "Three Republican")} == {
        "Republican senators"
    }
    assert said_by(text, "A senior European") == {"A senior European diplomat"}


def test_pronouns_and_participles_resolve_to_the_person_named() -> None:
    text = (
        "Ambassador Renata Okafor addressed the council on Friday.\n\n"
        "She rejected the government's account, saying the attack had not been imminent."
    )
    assert said_by(text, "She rejected") == {"Renata Okafor"}


def test_an_embedded_post_is_its_authors() -> None:
    text = (
        "The reaction online was swift.\n\n"
        "This was a lawful strike under the 2001 authorization. The commander had it coming. "
        "— Martin Feld (@mfeld) January 3, 2020\n\n"
        "Not everyone agreed."
    )
    assert said_by(text, "This was a lawful") == {"Martin Feld"}


def test_unattributed_sentences_are_the_authors_voice() -> None:
    text = "The strike sets a dangerous precedent for the use of force by any state."
    assert said_by(text, "The strike") == {"the author"}
    assert said_by(text, "The strike", author="Maria Lopez") == {"Maria Lopez"}


def test_stance_reads_negation_and_reported_rejection() -> None:
    assert stance_of("The strike was justified.") is Stance.SUPPORTS
    assert stance_of("The strike was not justified.") is Stance.ATTACKS
    assert stance_of("There was no evidence of an imminent attack.") is Stance.ATTACKS
    assert stance_of("She rejected the claim that the killing was lawful.") is Stance.ATTACKS
    assert stance_of("The strike was not unlawful.") is Stance.SUPPORTS
    assert stance_of("The meeting was held on Tuesday in Geneva.") is Stance.NEUTRAL


def test_the_official_is_the_unnamed_speaker_introduced_before() -> None:
    text = (
        "A senior Ruritanian diplomat based in the region told reporters that the case was "
        "strong.\n\n"
        '"These statements will not look good in a courtroom," the diplomat added.'
    )
    assert said_by(text, '"These statements') == {"A senior Ruritanian diplomat"}


def test_stance_after_a_concession_is_the_main_clauses() -> None:
    text = "There is much risk to come, but the action was constitutionally legitimate."
    assert stance_of(text) is Stance.SUPPORTS
    assert stance_of("Although the strike was lawful, it was reckless.") is Stance.ATTACKS
    assert stance_of("The strike was not, it must be said, an assassination.") is Stance.SUPPORTS


def test_stance_abstains_in_conditions_and_requirements() -> None:
    # the law's requirement is stated, not met
    assert stance_of("Self-defense requires an imminent threat.") is Stance.NEUTRAL
    assert stance_of("The charter allows exceptions for self-defense in war.") is Stance.NEUTRAL
    assert stance_of("If the raid was lawful, the ministry should say so.") is Stance.NEUTRAL
    # a relative clause after the requirement asserts again
    text = "The rule requires a real danger that the ministry has failed to demonstrate."
    assert stance_of(text) is Stance.ATTACKS


def test_stance_ignores_phrases_that_only_hold_a_cues_word() -> None:
    assert stance_of("There is no doubt that the raid was a war crime.") is Stance.ATTACKS
    assert stance_of("Voters raised legitimate questions about the budget.") is Stance.NEUTRAL
    assert stance_of("Their crimes were finally punished.") is Stance.SUPPORTS
    assert stance_of("The rebels retaliated with rockets on Monday.") is Stance.NEUTRAL
    assert stance_of('The minister vowed "harsh revenge" for the raid.') is Stance.ATTACKS


def test_stance_reads_distancing_and_demands_for_answers() -> None:
    text = "The ministry fell back on the claim that the raid was lawful."
    assert stance_of(text) is Stance.ATTACKS
    assert stance_of("The governor complained that nobody had consulted her.") is Stance.ATTACKS
    assert stance_of("The ministry's theory is not entirely implausible.") is Stance.SUPPORTS
    text = "Deputies urged the cabinet to explain the raid to parliament."
    assert stance_of(text) is Stance.ATTACKS


def test_stance_scope_of_distancing_ends_at_the_speakers_own_predicate() -> None:
    text = 'A diplomat dismissed the claim that the raid was lawful as "a fiction."'
    assert stance_of(text) is Stance.ATTACKS
    text = "Opponents want to turn the justified raid into a scandal and a reckless gamble."
    assert stance_of(text) is Stance.SUPPORTS
    assert stance_of("The evidence of an imminent plot is flimsy.") is Stance.ATTACKS
    text = "The question of how it was needed is something I want more information on."
    assert stance_of(text) is Stance.ATTACKS
    assert stance_of('"A cynical, shameful remark," the mayor wrote.') is Stance.NEUTRAL
    assert stance_of("The coach praised the new stadium lights.") is Stance.NEUTRAL
    assert stance_of("It was costly, even if one admires the righteous choice.") is (
        Stance.SUPPORTS
    )


def test_a_quotation_carried_over_paragraphs_is_the_speakers_throughout() -> None:
    text = (
        "A Ruritanian diplomat based in the capital told reporters that the talks had failed.\n\n"
        '"If they resume, nothing will change," the diplomat, who declined to give a name, '
        "said.\n\n"
        '"To be honest, the fleet is ready. Are they ready too?\n\n'
        '"I doubt it, and the harbour is closed anyway."'
    )
    assert said_by(text, '"If they') == {"A Ruritanian diplomat"}
    assert said_by(text, '"To be honest') == {"A Ruritanian diplomat"}
    assert said_by(text, "Are they ready") == {"A Ruritanian diplomat"}
    assert said_by(text, '"I doubt') == {"A Ruritanian diplomat"}


def test_the_speakers_half_of_a_quotation_cut_at_its_question_mark_is_no_claim() -> None:
    text = (
        "President Jon Varga spoke on Friday.\n\n"
        '"Who wrote this speech?" wondered critic Mika Lund.'
    )
    assert said_by(text, "wondered critic") == set()


def test_stance_of_taking_or_opposing_the_actions_side() -> None:
    assert stance_of("The senator defended the strike on Sunday.") is Stance.SUPPORTS
    assert stance_of("Most lawmakers opposed the decision.") is Stance.ATTACKS
    assert stance_of("Critics called the raid unwise and an abuse of power.") is Stance.ATTACKS
    assert stance_of("The strike made the region safer.") is Stance.SUPPORTS


def test_a_quotation_owned_by_a_speakers_noun_of_saying_is_the_speakers() -> None:
    text = (
        "President Jon Varga addressed the nation on Wednesday.\n\n"
        "In the end, Varga’s view was that “the harvest will be late this year.”\n\n"
        "It echoed his pledge last spring that “no farm will be left behind.”"
    )
    assert said_by(text, "In the end") == {"Jon Varga"}
    assert said_by(text, "It echoed") == {"Jon Varga"}


def test_an_inverted_speaker_after_a_comma_closes_the_sentence() -> None:
    text = (
        "General Oskar Brandvold briefed reporters on Monday.\n\n"
        '"We are ready," Brandvold said.\n\n'
        "At the harbour, fishermen waited for the storm to pass, says Mayor Lena Virtanen.\n\n"
        "“We have seen worse winters than this,” she says."
    )
    assert said_by(text, "At the harbour") == {"Lena Virtanen"}
    assert said_by(text, "“We have seen") == {"Lena Virtanen"}


def test_a_second_opening_mark_closes_the_quotation() -> None:
    text = (
        "Senator Jon Varga spoke on Friday.\n\n"
        "The minister ran on a pledge to end the “long winters “in the north. "
        "Now he claims that he has ended them, and for good."
    )
    assert said_by(text, "Now he claims") == {"Jon Varga"}


def test_a_participle_after_its_clause_is_said_by_the_clauses_subject() -> None:
    text = (
        "Foreign Minister Halvard Munk met Oskar Brandvold on Monday, saying the raid was unlawful."
    )
    # Munk, not Brandvold, says it; the meeting itself is the writer's account of what he did
    assert said_by(text, "Foreign Minister") == {"Halvard Munk", "the author"}


def test_a_negated_consequence_argues_neither_way() -> None:
    assert stance_of("The cabinet does not want escalation.") is Stance.NEUTRAL
    assert stance_of("The strike was not illegal.") is Stance.SUPPORTS
    text = "The families brought charges against the army over the raid."
    assert stance_of(text) is Stance.ATTACKS


def test_a_reporting_verb_in_a_relative_clause_leaves_the_main_clause_to_the_author() -> None:
    """'X, which stated that ...' and 'Y, which X held responsible for ...': the relative clause
    is X's claim; the main clause, which reports nobody, is the writer's own."""
    text = (
        "Harbour pilots stopped work on Tuesday, backed by the Baltic Shipping Board, which "
        "wrote to its members that the closure “breaks every rule of the sea and must end.”\n\n"
        "Investigators traced the shells to the Vardan Front, which Minister Halvard Munk "
        "blamed for the fire at the depot.\n\n"
        "The closure is an unlawful use of force and a violation of sovereignty."
    )
    got = said_by(text, "Harbour pilots", author="Ines Calloway")
    assert got == {"Ines Calloway", "Baltic Shipping Board"}
    got = said_by(text, "Investigators traced", author="Ines Calloway")
    assert got == {"Ines Calloway", "Halvard Munk"}


def test_a_relative_clause_beside_a_main_reporting_verb_adds_no_author() -> None:
    text = (
        "Senator Lucinda Marr, who has argued for months that the treaty lapsed, told reporters "
        "that the vote would be close."
    )
    assert said_by(text, "Senator Lucinda", author="Ines Calloway") == {"Lucinda Marr"}


def test_a_participle_after_a_clause_that_reports_no_speech() -> None:
    """'They widened the programme, claiming ...': the main clause is the writer's account of
    what they did, the participle's complement their claim; after a reporting verb ('X rejected
    the account, saying ...') the whole sentence is the speaker's."""
    text = (
        "President Aldo Ferrant and Prime Minister Yusuf Demir met in the capital on Monday.\n\n"
        "Last spring, they widened the patrol zone, asserting a right to stop any vessel.\n\n"
        "Ferrant rejected the report, saying the patrols were lawful.\n\n"
        "The patrols are an unlawful use of force on the high seas."
    )
    got = said_by(text, "Last spring", author="Ines Calloway")
    assert got == {"Ines Calloway", "Aldo Ferrant", "Yusuf Demir"}
    assert said_by(text, "Ferrant rejected", author="Ines Calloway") == {"Aldo Ferrant"}


def test_a_plural_role_speaks_through_an_adverb() -> None:
    """'Past governments have long held that ...', 'presidents now claim ...': a collective
    head, an auxiliary and an adverb before the verb."""
    text = (
        "Western governments have long argued that the canal is neutral water.\n\n"
        "Presidents now claim the power to strike anywhere without a vote."
    )
    assert said_by(text, "Western governments") == {"Western governments"}
    assert said_by(text, "Presidents now") == {"Presidents"}


def test_a_supposition_asserts_nothing() -> None:
    """'If critics believe that ..., then they should ...': the conditional's verb attributes
    nothing; the sentence is the writer's."""
    text = (
        "If the senators really believe that the treaty binds the navy, then they should vote "
        "to enforce it.\n\n"
        "The treaty is a binding limit on the use of force at sea."
    )
    assert said_by(text, "If the senators", author="Ines Calloway") == {"Ines Calloway"}


def test_a_reporting_verb_inside_an_aside_is_the_asides_speaker_only() -> None:
    text = (
        "While the republic never joined the tribunal — its judges have long argued the court "
        "could be turned against small states — it still faces a costly trial.\n\n"
        "The trial is a test of the court's jurisdiction over the use of force."
    )
    got = said_by(text, "While the republic", author="Ines Calloway")
    assert got == {"Ines Calloway", "judges"}


def test_a_passive_reporting_verb_is_said_by_its_agent() -> None:
    text = (
        "Governor Ada Brenner spoke at the dock on Monday.\n\n"
        "Her plan to close the port was denounced as reckless by several lawmakers.\n\n"
        "The closure was described by Senator Lucinda Marr as a breach of the compact."
    )
    assert said_by(text, "Her plan") == {"several lawmakers"}
    assert said_by(text, "The closure was described") == {"Lucinda Marr"}


def test_an_infinitive_reporting_verb_takes_the_clauses_subject() -> None:
    """'When the hearing ended, X left the room and hurried to tell journalists: “...”': the
    subject the sentence opens with, past its introductory phrase, speaks."""
    text = (
        "Senator Lucinda Marr chaired the hearing on Tuesday.\n\n"
        "Once the vote was counted, Marr stepped outside and hurried to tell journalists: "
        "“The figures are preliminary and will be revised next month.”"
    )
    assert said_by(text, "Once the vote") == {"Lucinda Marr"}


def test_a_reporting_verb_in_an_adverbial_clause_leaves_the_main_clause_to_the_author() -> None:
    """'X was wise when he said ...': what he said is his, the judgment of it the writer's."""
    text = (
        "Governor Ada Brenner spoke in the capital on Friday.\n\n"
        "Brenner was wise when she said the dam should stay closed through the winter.\n\n"
        "The closure is lawful and a proportionate use of force against the smugglers."
    )
    got = said_by(text, "Brenner was wise", author="Ines Calloway")
    assert got == {"Ines Calloway", "Ada Brenner"}


def test_he_is_the_person_a_trailing_clause_made_its_subject() -> None:
    """'…, as X moved to …' makes X the one 'he' means in the next sentence, rather than
    the speaker quoted before."""
    text = (
        "“The harbour stays shut,” Governor Ada Brenner said on Monday.\n\n"
        "No deal is in sight for the fishing fleets of the coast, as Minister Piotr Lenz moved "
        "to widen the embargo.\n\n"
        "He said the new tariffs would stay in place for a year."
    )
    assert said_by(text, "He said") == {"Piotr Lenz"}


def test_speakers_joined_with_a_quantifier_and_a_pronoun_with_a_title() -> None:
    text = (
        "Committee members met behind closed doors, where Republicans and many Democrats "
        "questioned the cost of the treaty.\n\n"
        "Senator Lucinda Marr said the hearing had been a waste of time. "
        "She and Sen. Tomas Weller announced a motion to end the mission."
    )
    assert said_by(text, "Committee members") == {"Republicans", "Democrats"}
    assert said_by(text, "She and Sen.") == {"Lucinda Marr", "Tomas Weller"}


def test_an_inverted_speaker_titled_by_an_institution_is_the_person() -> None:
    text = (
        "The court met on Monday.\n\n"
        "“The ruling is a gift to smugglers and a disgrace to the bench,” said former "
        "Democratic National Committee Chairwoman Ilse Varnhagen."
    )
    assert said_by(text, "“The ruling") == {"Ilse Varnhagen"}


def test_a_quantifier_stands_for_the_group_last_named() -> None:
    """'Democrats objected. But many have said ...', '..., as many of them argue': the nearest
    group named, in the same sentence first; never a pair of people named before."""
    text = (
        "President Aldo Ferrant and Prime Minister Yusuf Demir met in the capital on Monday.\n\n"
        "Republicans have questioned the cost of the treaty. But many have stressed that the "
        "navy needs the port.\n\n"
        "If the Democrats truly think the deal is void — as many of them argue — they should "
        "vote against it."
    )
    assert said_by(text, "Republicans have") == {"Republicans"}
    assert said_by(text, "But many") == {"Republicans"}
    assert "Democrats" in said_by(text, "If the Democrats")


def test_a_second_clause_that_reports_speech_leaves_the_first_to_the_author() -> None:
    """'Those figures have been disputed, and several senators said ...': 'claims' or
    'figures' after a determiner is a noun, the first clause the writer's."""
    text = (
        "Those claims have been widely doubted, and several senators said the treaty had "
        "lapsed.\n\n"
        "The treaty's exception, most scholars agree, covers only an armed attack.\n\n"
        "The patrols are an unlawful use of force on the high seas."
    )
    got = said_by(text, "Those claims", author="Ines Calloway")
    assert got == {"Ines Calloway", "several senators"}
    got = said_by(text, "The treaty's exception", author="Ines Calloway")
    assert got == {"Ines Calloway", "most scholars"}


def test_phrasal_reporting_verbs() -> None:
    text = (
        "Professor Ilse Varnhagen teaches maritime law in Bremen.\n\n"
        "In a long post, Varnhagen carefully broke down how the blockade breached the treaty.\n\n"
        "Varnhagen pointed out that the strait is an international waterway.\n\n"
        "The harbour broke down in the storm."
    )
    assert said_by(text, "In a long post") == {"Ilse Varnhagen"}
    assert said_by(text, "Varnhagen pointed") == {"Ilse Varnhagen"}
    assert "Ilse Varnhagen" not in said_by(text, "The harbour")


def test_it_says_is_the_institution_named_before() -> None:
    """'... asked the ministry to release the figures it says show ...': the ministry's claim
    beside the sentence's own speaker."""
    text = (
        "Several senators called on the Ministry of Transport to publish the survey it says "
        "shows the bridge is safe.\n\n"
        "The Ministry of Transport said in March that the bridge would reopen. It said the "
        "repairs were finished."
    )
    assert said_by(text, "Several senators") == {"several senators", "Ministry of Transport"}
    assert said_by(text, "It said") == {"Ministry of Transport"}
