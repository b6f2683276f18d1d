"""Claims: every sentence of the body as a locution, with its speaker, evidence and stance.

News and commentary assert in almost every sentence; what differs is who asserts it. The
attribution stage (``loaders.extract.attribution``) names the speaker of each sentence (the
document's own voice when none is named); this stage turns each (sentence, speaker) into a
claim with its verbatim evidence, the concepts and precedents it invokes, what it is about,
and its stance (``loaders.extract.stance``), read from that speaker's own words: a claim the
sentence reports inside its own ("the X's claims that ...") from its clause, and one speaker's
sentence that makes two assertions (", but conceded that ...") as two claims. SUPPORTS / ATTACKS
relate claims of different speakers about the same matter (a shared concept or event) with
opposite stances, or with the same stance and an agreement cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.model import Claim, Evidence, Label, Stance, Treatment, content_id
from loaders.extract.actors import ActorResult
from loaders.extract.attribution import Attribution, Attributor, Speaker, quoted_spans
from loaders.extract.concepts import ConceptMention
from loaders.extract.context import DocContext
from loaders.extract.lexicons import attribution_lexicon, stance_lexicon
from loaders.extract.precedents import PrecedentResult
from loaders.extract.stance import agrees, rebuts, stance_of

_MIN_WORDS = 3
_QUOTES = re.compile(r"[“”\"]")
_CONTENT_WORD = re.compile(r"[a-z]{4,}")
_SHARED_TERMS = 3
"""Content words two claims must share to be about the same matter when no concept links them
(and then only with an explicit rebuttal or agreement cue)."""


def _terms(text: str) -> set[str]:
    # w[:6]: a crude stem (embassy / embassies, attack / attacks)
    return {w[:6] for w in _CONTENT_WORD.findall(text.lower())}


@dataclass(slots=True)
class ClaimResult:
    claims: list[Claim] = field(default_factory=list)
    speakers: dict[str, str] = field(default_factory=dict)
    """claim id -> speaker display name"""
    speaker_labels: dict[str, Label] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    """(SUPPORTS|ATTACKS, source claim id, target claim id)"""
    new_actors: dict[str, tuple[str, str]] = field(default_factory=dict)
    """actor id -> (name, type) of collective speakers created here"""


_FIRST_WORD = re.compile(r"\W*([a-z]+)\b")


def _attribution_tail(words: str) -> bool:
    """'asked columnist Jane Roe.': the speaker's half of a quotation the sentence splitter cut
    after its question mark; it names who spoke and asserts nothing."""
    m = _FIRST_WORD.match(words)
    return bool(m) and m.group(1) in attribution_lexicon().lemma and not _QUOTES.search(words)


def _keep(att: Attribution, ctx: DocContext) -> bool:
    """Sentences too short to assert anything and the speaker's half of a quotation cut in two
    are no claims (the author's questions are weighed with the piece: ``_drop_bare_narration``)."""
    words = ctx.raw[att.start : att.end]
    if len(words.split()) < _MIN_WORDS or att.end - att.start < 8:
        return False
    return not _attribution_tail(words)


_PIECE_WORDS = 4
"""Words each half of a sentence needs to be an assertion of its own."""
_OPPOSITE = {Stance.SUPPORTS: Stance.ATTACKS, Stance.ATTACKS: Stance.SUPPORTS}


def _assertion_cuts(text: str) -> list[tuple[int, int, bool]]:
    """Where one speaker's sentence goes on to a second assertion: (start, end, contrasted)
    of each boundary outside quotations ("X saw no sign of A, but conceded that B";
    "X warned that A, despite arguing that B"; "X said A and that B").

    A contrasted predicate or concessive participle counts only where a reporting verb comes
    next (", but conceded", ", despite arguing"), a second 'that' clause only after a reporting
    verb: elsewhere the words join two parts of one assertion ("not a war, but a warning")."""
    lex, alex = stance_lexicon(), attribution_lexicon()
    quoted = quoted_spans(text)

    def outside(at: int) -> bool:
        return not any(a <= at < b for a, b in quoted)

    cuts: list[tuple[int, int, bool]] = []
    reporting: list[int] | None = None  # where the reporting verbs outside quotations end
    for pattern, verb_after in ((lex.second_assertions, True), (lex.second_complements, False)):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if not outside(m.start()):
                continue
            if verb_after:
                word = re.match(r"[a-z]+\b", text[m.end() :])
                form = word.group() if word else ""
                if alex.lemma.get(form, form) == form:
                    continue  # no verb form next, or a bare one ("but claims remain")
            else:
                if reporting is None:
                    reporting = [vm.end() for vm in alex.verbs(text) if outside(vm.start())]
                if not any(end <= m.start() for end in reporting):
                    continue
            contrasted = bool(lex.contrasts and lex.contrasts.search(m.group()))
            cuts.append((m.start(), m.end(), contrasted))
    cuts.sort()
    out: list[tuple[int, int, bool]] = []
    last = 0
    for cut in cuts:
        if len(text[last : cut[0]].split()) >= _PIECE_WORDS:
            out.append(cut)
            last = cut[0]
    if out and len(text[out[-1][0] :].split()) < _PIECE_WORDS + 1:
        out.pop()
    return out


def _assertions(text: str) -> list[tuple[int, int, Stance]]:
    """One speaker's sentence as its assertions (offsets in ``text``) with their stances.

    Where two halves are contrasted ("A, but B"), the argument is in the second: the first is
    conceded when the second takes a stance of its own, and gives the second the opposite one
    when it has none ("saw no sign of A, but conceded that B")."""
    cuts = _assertion_cuts(text)
    bounds = [0, *(c[0] for c in cuts), len(text)]
    contrasted = [False, *(c[2] for c in cuts)]
    pieces: list[tuple[int, int, Stance]] = []
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        a += len(text[a:b]) - len(text[a:b].lstrip(" ,;"))
        b = a + len(text[a:b].rstrip(" ,;"))
        pieces.append((a, b, stance_of(text[a:b])))
    for i in range(1, len(pieces)):
        if not contrasted[i]:
            continue
        (a0, b0, first), (a1, b1, second) = pieces[i - 1], pieces[i]
        if second is Stance.NEUTRAL and first is not Stance.NEUTRAL:
            pieces[i] = (a1, b1, _OPPOSITE[first])
        elif second is not Stance.NEUTRAL:
            pieces[i - 1] = (a0, b0, Stance.NEUTRAL)
    return pieces


def _speaker_stances(att: Attribution, sentence: Stance) -> dict[Speaker, Stance]:
    """The stance of each speaker of a sentence that reports a claim inside its own ("the X's
    claims that P failed to meet the standard", "as X has argued").

    The reported claim's own words say where its speaker stands, not the sentence's verdict on
    them; the sentence is its speaker's, and where it has no cue of its own but rejects the
    claim it reports ("... that P failed to ..."), it takes the side opposite to that claim."""
    if not att.content:
        return {}
    lex = stance_lexicon()
    v0 = att.view.start
    out: dict[Speaker, Stance] = {}
    rejected: Stance | None = None
    for sp in att.speakers:
        span = att.content.get(sp)
        if span is None:
            continue
        out[sp] = stance_of(att.view.masked[span[0] - v0 : span[1] - v0])
        rest = att.view.masked[span[1] - v0 : att.end - v0].lstrip()
        if out[sp] is not Stance.NEUTRAL and lex.rejecting.match(rest):
            rejected = _OPPOSITE[out[sp]]
    for sp in att.speakers:
        if sp not in out:
            out[sp] = rejected if rejected and sentence is Stance.NEUTRAL else sentence
    return out


def _question(c: Claim) -> bool:
    """The author's own question."""
    return c.modality == "authorial" and c.evidence.quote.rstrip(' "”’').endswith("?")


def extract_claims(
    ctx: DocContext,
    actors: ActorResult,
    concepts: list[ConceptMention],
    precedents: PrecedentResult,
    outlet_names: set[str],
) -> ClaimResult:
    """Claims of one document (see the module docstring)."""
    res = ClaimResult()
    views = [v for v in ctx.views if not (v.caption or v.duplicate)]
    attributor = Attributor(ctx, actors, outlet_names)
    concepts_in: dict[str, list[ConceptMention]] = {}
    for cm in concepts:
        concepts_in.setdefault(cm.passage_id, []).append(cm)
    seen: set[str] = set()
    for att in attributor.run(views):
        if att.view.headline or not _keep(att, ctx):
            continue
        masked = att.view.masked[att.start - att.view.start : att.end - att.view.start]
        # one speaker's sentence may hold two assertions; a sentence shared by several
        # speakers stays whole (each speaker's share of it is told apart by the speaker)
        pieces = (
            _assertions(masked)
            if len(att.speakers) == 1
            else [(0, len(masked), stance_of(masked))]
        )
        stances = _speaker_stances(att, pieces[0][2]) if len(pieces) == 1 else {}
        for a, b, stance in pieces:
            s, e = att.start + a, att.start + b
            quote = ctx.raw[s:e]
            pid = att.view.id
            c_ids = sorted({m.concept_id for m in concepts_in.get(pid, []) if s <= m.start < e})
            p_ids: list[tuple[str, Treatment]] = []
            for m in precedents.mentions:
                if m.passage_id == pid and m.start < e and s < m.end:
                    t = m.treatment  # read from this mention's own comparison language
                    if (m.precedent_id, t) not in p_ids:
                        p_ids.append((m.precedent_id, t))
            for n, speaker in enumerate(att.speakers):
                parts: tuple[object, ...] = (
                    (ctx.doc.meta.id, s, e) if n == 0 else (ctx.doc.meta.id, s, e, speaker.id)
                )
                cid = content_id("claim", *parts)
                if cid in seen:
                    continue
                seen.add(cid)
                about = sorted(
                    {m.actor_id for m in actors.in_span(s, e) if m.actor_id != speaker.id}
                )
                res.claims.append(
                    Claim(
                        id=cid,
                        doc_id=ctx.doc.meta.id,
                        text=re.sub(r"\s+", " ", quote.replace("**", "")).strip(),
                        speaker_id=speaker.id,
                        stance=stances.get(speaker, stance),
                        evidence=Evidence(
                            passage_id=pid,
                            quote=quote,
                            start=s,
                            end=e,
                            prefix=ctx.raw[max(0, s - 32) : s],
                            suffix=ctx.raw[e : e + 32],
                        ),
                        # the document's voice beside a reported speaker ("..., prompting X
                        # to question") speaks the main clause in its own right
                        modality="authorial" if speaker == attributor.voice else "asserted",
                        concept_ids=c_ids,
                        precedent_ids=p_ids,
                        about_ids=about,
                    )
                )
                res.speakers[cid] = speaker.name
                res.speaker_labels[cid] = speaker.label
    _argued_voice(res.claims)
    _argued_precedents(res.claims)
    res.claims = _drop_bare_narration(res.claims)
    res.new_actors = dict(attributor.new_actors)
    res.relations = argument_relations(res.claims)
    return res


_ESSAY_SHARE = 0.6
_ARGUED_SHARE = 0.5
_ESSAY_ARGUING = 0.3
_VOICE_MIN = 4
_VOICE_MAJORITY = 0.75
_VOICE_SHARE = 0.5


def _argued_voice(claims: list[Claim]) -> None:
    """In an argued piece, the author's unmarked sentences carry the piece's stance.

    A piece argues throughout when at least half of the author's own sentences carry a cue and
    those agree (at least three in four of at least four): an op-ed that attacks a strike
    throughout does so also in the sentences that name no cue. An analysis that argues now and
    then (its background, history and the law stated without a cue) and news, where the author
    mostly reports, are left as they are: their unmarked sentences are narrative. The share is
    taken over the author's statements alone (no questions, no sentence shared with a reported
    speaker); the stance then reaches the author's questions too.
    """
    own = [c for c in claims if c.modality == "authorial"]
    if not is_argued(claims):
        return
    reported = _reported_spans(claims)
    alone = [
        c for c in own if (c.evidence.start, c.evidence.end) not in reported and not _question(c)
    ]
    marked = [c.stance for c in alone if c.stance is not Stance.NEUTRAL]
    if len(marked) < max(_VOICE_MIN, _VOICE_SHARE * len(alone)):
        return
    for stance in (Stance.ATTACKS, Stance.SUPPORTS):
        if marked.count(stance) >= _VOICE_MAJORITY * len(marked):
            for c in own:
                if c.stance is Stance.NEUTRAL:
                    c.stance = stance
            return


def _argued_precedents(claims: list[Claim]) -> None:
    """In an argued piece, an episode the author brings up is brought up as a comparison.

    Commentary cites earlier episodes to make a point about the present one; with no language
    that distinguishes it (the precedents stage reads that per mention), the author's mention of
    a precedent analogizes, also where the author paraphrases someone else's claim (indirect
    speech is the author's wording; a quotation is the speaker's). A report's mention stays a
    mention.
    """
    if not is_argued(claims):
        return
    for c in claims:
        if c.modality == "authorial" or not _QUOTES.search(c.evidence.quote):
            c.precedent_ids = [
                (pid, Treatment.ANALOGIZES if t is Treatment.MENTIONS else t)
                for pid, t in c.precedent_ids
            ]


_QUOTED_WORDS = 4
"""Words a quotation needs to be someone's statement rather than a phrase the narration borrows
('told residents to stay “indoors.”', 'a “total victory” speech')."""


def _quotes_someone(quote: str) -> bool:
    """A quotation of a few words or more (a sentence inside a quotation that began before it
    shows only the closing mark)."""
    close, open_ = quote.find("”"), quote.find("“")
    inside = close >= 0 and (open_ < 0 or close < open_)
    spans = quoted_spans(quote, starts_quoted=inside)
    return any(len(quote[a:b].split()) >= _QUOTED_WORDS for a, b in spans)


def _argues(c: Claim, shared: bool = False) -> bool:
    """The claim invokes a concept or precedent, quotes someone or takes a stance (a quotation
    in a sentence ``shared`` with a reported speaker is that speaker's)."""
    return (
        c.stance is not Stance.NEUTRAL
        or bool(c.concept_ids)
        or bool(c.precedent_ids)
        or (not shared and _quotes_someone(c.evidence.quote))
    )


def _reported_spans(claims: list[Claim]) -> set[tuple[int, int]]:
    """Evidence spans that a reported speaker's claim has: the author's claim on one of them
    shares its sentence ("X met Y, saying ...")."""
    return {(c.evidence.start, c.evidence.end) for c in claims if c.modality != "authorial"}


def is_argued(claims: list[Claim]) -> bool:
    """An argued piece (commentary): at least half of the author's sentences argue (invoke the
    law, a precedent, a quotation or a stance), or most claims are the author's own and a fair
    share of them argue. A feature about anything else, told in the reporter's voice, is not."""
    own = [c for c in claims if c.modality == "authorial" and not _question(c)]
    if not own:
        return False
    reported = _reported_spans(claims)
    arguing = sum(1 for c in own if _argues(c, (c.evidence.start, c.evidence.end) in reported))
    if arguing >= _ARGUED_SHARE * len(own):
        return True
    return len(own) >= _ESSAY_SHARE * len(claims) and arguing >= _ESSAY_ARGUING * len(own)


def _reports_argument(c: Claim, shared: bool) -> bool:
    """A reporter's sentence that bears on the argument: it invokes a concept or precedent or
    quotes someone. A stance cue alone does not make one: in a report's own voice such words
    describe the situation or what others did ("a season of rising hostility", "the plan drew
    fierce criticism"), for the reporter takes no side; an account of a person's
    responsibility for violence does (``culpability`` in attribution.yaml). In a sentence
    ``shared`` with a reported speaker ("X met Y, saying “...”") the quotation is that
    speaker's."""
    compares = any(t is not Treatment.MENTIONS for _, t in c.precedent_ids)
    if c.concept_ids or compares:
        return True
    culpability = attribution_lexicon().culpability
    if not shared and culpability is not None and culpability.search(c.evidence.quote):
        return True  # "X was the architect of ...": the record the case against X rests on
    return not shared and _quotes_someone(c.evidence.quote)


def _drop_bare_narration(claims: list[Claim]) -> list[Claim]:
    """In a news report, the reporter's plain narration is no argument: drop it.

    A sentence in the document's own voice that invokes no concept or precedent and quotes
    nobody ("It houses about 1,500 troops.") reports a fact the events stage records, and a
    question in it is a device of the story ("So what happens next?"); in an argued piece
    every sentence stays, its questions too ("Why did he not wait?" argues).
    """
    if is_argued(claims):
        return claims
    reported = _reported_spans(claims)
    return [
        c
        for c in claims
        if c.modality != "authorial"
        or (
            not _question(c)
            and _reports_argument(c, (c.evidence.start, c.evidence.end) in reported)
        )
    ]


def argument_relations(claims: list[Claim]) -> list[tuple[str, str, str]]:
    """SUPPORTS / ATTACKS from a claim to the nearest earlier claim on the same matter.

    The same matter is a shared concept, or, for a claim with a rebuttal or agreement cue,
    shared content words; the other claim's speaker must differ. Opposite stances attack; the
    same stance supports only with an agreement cue ("agreed", "echoed"). Neutral claims take
    part in neither, and each claim points at one other at most, so that a long article does
    not become a clique.
    """
    out: list[tuple[str, str, str]] = []
    terms = [_terms(c.text) for c in claims]
    for i, c in enumerate(claims):
        if c.stance is Stance.NEUTRAL:
            continue
        matter = set(c.concept_ids)
        agreeing = agrees(c.text)
        cued = agreeing or rebuts(c.text)
        for j in range(i - 1, -1, -1):
            other = claims[j]
            if other.speaker_id == c.speaker_id or other.stance is Stance.NEUTRAL:
                continue
            if other.evidence.passage_id == c.evidence.passage_id:
                continue
            same = bool(matter & set(other.concept_ids)) or (
                cued and len(terms[i] & terms[j]) >= _SHARED_TERMS
            )
            if not same:
                continue
            if other.stance is not c.stance:
                out.append(("ATTACKS", c.id, other.id))
                break
            if agreeing:
                out.append(("SUPPORTS", c.id, other.id))
                break
    return out
