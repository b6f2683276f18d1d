"""Claims: speakers from attribution language, evidence offsets, stance, claim relations."""

from __future__ import annotations

from datetime import date

from kb.model import Claim, Evidence, RelType, Stance, Treatment
from loaders.extract import extract, extraction_to_json
from tests.test_extract_actors import make_doc

RAW = (
    "Prime Minister Elena Varga said the strike was an act of self-defense against an imminent "
    "threat to four embassies. "
    "But Defense Minister Piotr Lenz told reporters that he didn't see evidence of a threat to "
    "four embassies. "
    "Reuters reported that the base was empty. "
    "The strike was illegal, according to Amnesty International."
)


def test_speakers_evidence_and_stance() -> None:
    doc = make_doc(RAW, published=date(2022, 5, 1))
    ex = extract(doc)
    j = extraction_to_json(ex)
    by = {c["speaker"]: c for c in j["claims"]}
    assert by["Elena Varga"]["stance"] == "supports"
    assert by["Piotr Lenz"]["stance"] == "attacks"
    assert by["Reuters"]["stance"] == "neutral"
    assert "Amnesty International" in by
    for c in ex.claims:
        assert doc.raw[c.evidence.start : c.evidence.end] == c.evidence.quote


def test_contradiction_between_claims() -> None:
    ex = extract(make_doc(RAW))
    attacks = [r for r in ex.relations if r.type == RelType.ATTACKS]
    speakers = {c.id: c.speaker_id for c in ex.claims}
    assert any(
        speakers[r.source_id] == "actor:piotr-lenz" and speakers[r.target_id] == "actor:elena-varga"
        for r in attacks
    )


def test_essay_author_voice() -> None:
    raw = (
        "The strike sets a dangerous precedent for the use of force. "
        "States should not expand the battlefield in this way."
    )
    j = extraction_to_json(extract(make_doc(raw, author="Maria Lopez")))
    assert {c["speaker"] for c in j["claims"]} == {"Maria Lopez"}
    assert all(c["stance"] == "attacks" for c in j["claims"][:1])


def test_narration_borrowing_a_word_in_quotes_is_no_argument() -> None:
    from loaders.extract.claims import _quotes_someone

    assert not _quotes_someone("The mayor told residents to stay “indoors.”")
    assert _quotes_someone("“We will answer it in court,” the minister said.")
    assert _quotes_someone("it is a strong case, and we will win it,” she said.")


def test_a_report_narrating_with_a_stance_word_takes_no_side() -> None:
    """In a news report the reporter's sentence with a stance word but no concept, precedent or
    quotation describes the situation ('a season of rising hostility'): no claim of the author."""
    raw = (
        "The ministry said the convoy had been struck near the border on Monday. "
        "The visit followed a season of rising hostility and escalation along the frontier. "
        "Prime Minister Elena Varga told reporters that the talks would resume. "
        "Officials said the border would stay closed. "
        "The council is expected to meet on Friday. "
        "Trucks waited in a line that stretched for miles. "
        "The crossing handles most of the region's trade."
    )
    j = extraction_to_json(extract(make_doc(raw, published=date(2022, 5, 4))))
    assert "the author" not in {c["speaker"] for c in j["claims"]}
    assert {c["speaker"] for c in j["claims"]} >= {"Elena Varga"}


def test_in_a_report_the_quotation_beside_a_participle_is_the_speakers_not_the_authors() -> None:
    """'X met Y, saying “...”': the main clause is the reporter's narration, and the quotation
    in the same sentence is X's, so in a news report no claim of the author comes of it."""
    raw = (
        "Prime Minister Elena Varga met the harbour workers on Monday, saying “the port will "
        "reopen as soon as the divers finish their survey.” "
        "The port handles most of the region's grain. "
        "Trucks waited in a line that stretched for miles. "
        "Officials said the border would stay closed."
    )
    j = extraction_to_json(extract(make_doc(raw, published=date(2022, 5, 4))))
    by = {(c["speaker"], c["evidence"]["quote"][:20]) for c in j["claims"]}
    assert ("Elena Varga", "Prime Minister Elena") in by
    assert "the author" not in {s for s, _ in by}


def _claim(i: int, stance: str, speaker: str | None = None, span: int | None = None) -> Claim:
    """A claim on sentence ``span`` (default ``i``) of an imagined piece."""
    at = (span if span is not None else i) * 100
    ev = Evidence(f"p:{i}", "x" * 60, at, at + 60)
    return Claim(
        id=f"c{i}", doc_id="d", text="x", speaker_id=speaker, stance=Stance(stance), evidence=ev,
        modality="authorial" if speaker is None else "asserted",
        concept_ids=["concept:use-of-force-article-2-4"],
    )


def test_the_pieces_voice_is_read_from_the_sentences_that_are_the_authors_alone() -> None:
    """Half of the author's own sentences carry a cue, all one way: the piece argues throughout,
    and the author's share is not diluted by sentences shared with a reported speaker (their
    cue is as much the speaker's)."""
    from loaders.extract.claims import _argued_voice

    own = [_claim(i, "attacks" if i < 4 else "neutral") for i in range(8)]
    shared = [_claim(8 + i, "neutral", span=20 + i) for i in range(2)]
    shared += [_claim(10 + i, "neutral", speaker="actor:x", span=20 + i) for i in range(2)]
    claims = own + shared
    _argued_voice(claims)
    assert all(c.stance is Stance.ATTACKS for c in claims if c.speaker_id is None)


def test_the_authors_questions_argue_in_an_argued_piece_only() -> None:
    op_ed = (
        "The raid was an unlawful use of force. "
        "It violated the sovereignty of a neighbour. "
        "Why did the cabinet not wait for the council to meet? "
        "The strike was reckless and unjustified."
    )
    j = extraction_to_json(extract(make_doc(op_ed, author="Maria Lopez")))
    assert any(c["evidence"]["quote"].startswith("Why did") for c in j["claims"])
    report = (
        "The ministry said the convoy had been struck near the border on Monday. "
        "So what happens to the trucks now? "
        "Trucks waited in a line that stretched for miles. "
        "Officials said the border would stay closed."
    )
    j = extraction_to_json(extract(make_doc(report, published=date(2022, 5, 4))))
    assert not any(c["evidence"]["quote"].startswith("So what") for c in j["claims"])


def test_in_an_argued_piece_a_paraphrased_claim_brings_an_episode_up_to_compare() -> None:
    """Indirect speech is the author's wording, so the episode it names is the author's
    comparison; a quotation is the speaker's own words and keeps its treatment."""
    raw = (
        "The raid was an unlawful use of force. It violated the sovereignty of a neighbour. "
        "The strike was reckless and unjustified. "
        "Officials say the 1986 bombing of Libya set the rules the navy follows today. "
        '"The 1986 bombing of Libya set our rules for the sea," one official said.'
    )
    ex = extract(make_doc(raw, author="Maria Lopez"))
    got = {c.evidence.quote[:9]: c.precedent_ids for c in ex.claims if c.precedent_ids}
    assert got["Officials"] == [("precedent:bombing-of-libya-1986", Treatment.ANALOGIZES)]
    assert got['"The 1986'] == [("precedent:bombing-of-libya-1986", Treatment.MENTIONS)]


def test_summary_bullets_restated_below_yield_no_claims_of_their_own() -> None:
    """A page's key points (one-sentence paragraphs at the top, each restated further down)
    repeat the body: the body copy keeps the claims, as with a dek or a pull quote."""
    from loaders.read import read_document

    raw = (
        "Ruritania says it will bring the dam dispute before the regional court in Geneva.\n\n"
        "A water-law scholar told us Ruritania would have a strong case at the court.\n\n"
        "Borduria has defended its dam, saying the river flow was never reduced at all.\n\n"
        "Ruritania says it will take the dam dispute to the regional court in Geneva next "
        "month, its foreign minister told reporters on Monday.\n\n"
        "Professor Ilse Varnhagen, a water-law scholar, said Ruritania would have a strong case "
        "before the court, because the treaty is clear.\n\n"
        "Borduria has defended the dam by saying the river flow was never reduced in any "
        "season, a claim its neighbour rejects.\n\n"
        "The court has not yet said whether it will hear the case."
    )
    j = extraction_to_json(extract(read_document(raw.encode(), "page.txt")))
    starts = [c["evidence"]["start"] for c in j["claims"]]
    body = raw.index("in Geneva next month")
    assert starts and min(starts) >= raw.rfind("\n\n", 0, body)


def test_a_report_naming_an_earlier_episode_as_background_argues_nothing() -> None:
    """In a news report the reporter's sentence that names an earlier episode without comparing
    (the base's history) is narration; one that compares would be a claim."""
    raw = (
        "Officials said the border would stay closed. "
        "Prime Minister Elena Varga told reporters that the talks would resume. "
        "Defense Minister Piotr Lenz said the convoy had been struck near the border. "
        "The airfield once hosted the pilots who flew in the 1986 bombing of Libya. "
        "Trucks waited in a line that stretched for miles. "
        "The crossing handles most of the region's grain."
    )
    j = extraction_to_json(extract(make_doc(raw, published=date(2022, 5, 4))))
    assert "the author" not in {c["speaker"] for c in j["claims"]}


def test_a_report_on_a_persons_responsibility_for_violence_is_a_claim() -> None:
    """'X was the architect of a string of bombings' bears on the case against X; 'the
    architects of the treaty' is narration."""
    raw = (
        "Officials said the border would stay closed. "
        "Prime Minister Elena Varga told reporters that the talks would resume. "
        "Colonel Radu Marin was the architect of a string of car bombings in the capital. "
        "The architects of the old treaty met in this hall. "
        "Trucks waited in a line that stretched for miles. "
        "The crossing handles most of the region's grain."
    )
    j = extraction_to_json(extract(make_doc(raw, published=date(2022, 5, 4))))
    own = [c["evidence"]["quote"][:14] for c in j["claims"] if c["speaker"] == "the author"]
    assert own == ["Colonel Radu M"]


def _claims_of(raw: str) -> list[tuple[str, str, str]]:
    """(speaker, stance, evidence) of every claim extracted from ``raw``."""
    j = extraction_to_json(extract(make_doc(raw, published=date(2022, 5, 1))))
    return [(c["speaker"], c["stance"], c["evidence"]["quote"]) for c in j["claims"]]


def test_two_contrasted_assertions_of_one_speaker_are_two_claims() -> None:
    raw = (
        "Interior Minister Jan Kowal told reporters that he didn't see any evidence that the "
        "group was planning attacks on the embassy, but conceded that the convoy had been "
        "watched for weeks."
    )
    claims = [c for c in _claims_of(raw) if c[0] == "Jan Kowal"]
    assert [c[1] for c in claims] == ["attacks", "supports"], claims
    assert claims[0][2].endswith("on the embassy")
    assert claims[1][2].startswith("but conceded")


def test_a_conceded_half_is_neutral_and_a_concessive_participle_is_its_own_claim() -> None:
    raw = (
        "Senator Ruth Okoye said the commander was a ruthless man, but she said the raid was "
        "unlawful. Chancellor Ada Brenn warned that she was ready to act again if needed, "
        "despite arguing that the raid was lawful."
    )
    by = {}
    for speaker, stance, quote in _claims_of(raw):
        by.setdefault(speaker, []).append((stance, quote))
    assert [s for s, _ in by["Ruth Okoye"]] == ["neutral", "attacks"]
    assert [s for s, _ in by["Ada Brenn"]] == ["neutral", "supports"]
    assert by["Ada Brenn"][1][1].startswith("despite arguing")


def test_a_contrast_inside_a_quotation_is_one_claim() -> None:
    raw = '"We won every battle, but we lost the peace," said Defense Minister Piotr Lenz.'
    assert len([c for c in _claims_of(raw) if c[0] == "Piotr Lenz"]) == 1


def test_an_embedded_claim_takes_its_own_words_stance() -> None:
    raw = (
        "Judge Mara Holt wrote that Defense Minister Piotr Lenz's claims that the strike "
        "answered an imminent threat failed to meet the legal standard."
    )
    by = {speaker: stance for speaker, stance, _ in _claims_of(raw)}
    assert by["Piotr Lenz"] == "supports", by
    assert by["Mara Holt"] == "attacks", by  # she rejects what he claims


def test_what_as_x_claimed_refers_to_is_that_speakers_claim() -> None:
    raw = (
        "Critics doubt it, but the raid was lawful self-defense, as Defense Minister Piotr "
        "Lenz has claimed. The convoy was hit by an assassination, as Senator Ruth Okoye has "
        "argued."
    )
    claims = _claims_of(raw)
    assert ("Piotr Lenz", "supports") in [c[:2] for c in claims], claims
    assert ("Ruth Okoye", "attacks") in [c[:2] for c in claims], claims
