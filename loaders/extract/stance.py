"""Stance of a claim toward the lawfulness or justification of the action its text discusses.

Cues come from ``seeds/ontology/stance.yaml``. Each cue votes for or against; a negator a few
words before it ("not justified", "no evidence of an imminent attack") reverses it, and so do
'than' or 'instead of' right before it ("more a warning than an escalation"), a distancing
modifier ("the so-called imminent threat") and a rejecting verb in the same clause ("rejected
the claim that it was self-defense", "failed to show an imminent danger"). After a concession
("There is much risk to come, but the action was legitimate"; "Although ..., X"; "It is true
that ... . The question is ..."), only the cues of the main clause or the next sentence count,
if it has any. Phrases that hold a cue's word without its sense ("no doubt", "legitimate
concerns", "nothing less than") are blanked first; cues inside a condition ("if it was lawful")
or governed by a requirement ("requires an imminent threat") assert nothing and do not vote, nor
does a judgment of a remark rather than of the action ("This is false."). No cue: the claim is
neutral (it is about something else, or only reports).
"""

from __future__ import annotations

import re

from kb.model import Stance
from loaders.extract.lexicons import StanceLexicon, stance_lexicon

_WORDS_BEFORE = 5
_ALTERNATIVE_WORDS = 3
"""'than' sets aside, and 'so-called' distances, the noun phrase right after it ('than an
escalation', 'the so-called imminent threat'), not a cue further on."""
_CLAUSE_END = re.compile(r"[,;:.!?]|\s[—–]\s|\b(?:but|while|whereas|although)\b", re.I)
_SENTENCE_PART = re.compile(r"[;:.!?]|\s[—–]\s|\b(?:but|while|whereas|although)\b", re.I)
_CONTRAST = re.compile(r"(?:,|;|—|–)\s*(?:but|yet|however)\b|\b(?:but|however),?\s", re.I)
_PREDICATE = re.compile(r"\bas\s+(?:an?|the)\b|\bas\s+[\"“‘']", re.I)
"""'dismissed the claim that X as a fiction': what follows 'as' is the speaker's own
word, outside the scope of the rejection or distancing before it."""
_RELATIVE = re.compile(r"\b(?:that|which|who|whom|(?<!there\s)(?:is|are|was|were))\b", re.I)
"""Where a requirement's object ends: a relative pronoun, or the finite verb of the clause."""
_CONCESSIVE = re.compile(
    r"^\W*(?:although|though|even\s+though|even\s+if|while|despite)\b[^,]*,", re.I
)


def _reversed(text: str, start: int, lex: StanceLexicon) -> bool:
    """A negator among the few words before ``start``, or a rejecting verb in its clause.

    Either reverses the cue; both together do not cancel ("no evidence of an imminent attack"
    is not evidence of one).
    """
    before = text[:start]
    clause_start = part_start = 0
    for m in _CLAUSE_END.finditer(before):
        clause_start = m.end()
    for m in _SENTENCE_PART.finditer(before):
        part_start = m.end()
    # the negation window runs past commas ("was not, it must be said, an assassination")
    part = re.sub(r",[^,]{1,40},", " ", before[part_start:])  # drop a parenthetical
    words = re.findall(r"[\w'’]+", part)[-_WORDS_BEFORE:]
    negated = bool(lex.negator.search(" ".join(words)))
    near = " ".join(words[-_ALTERNATIVE_WORDS:])
    if not negated and lex.alternatives is not None:
        negated = bool(lex.alternatives.search(near))
    if not negated and lex.distancing is not None:
        negated = bool(lex.distancing.search(near))
    for m in _PREDICATE.finditer(before, clause_start):
        clause_start = m.end()
    rejected = bool(lex.rejecting.search(before[clause_start:]))
    return negated or rejected


_GOVERNED_WORDS = 6
"""How far a requirement reaches: its object, not the clause's predicate ('the evidence of a
plot is weak')."""
_NEXT_WORD = re.compile(r"\W*(?:\w+)?")


def _suspended(text: str, start: int, end: int, lex: StanceLexicon) -> bool:
    """The cue at ``start:end`` is inside a condition, governed by a requirement in its clause,
    or the subject of one ("self-defense requires an imminent threat")."""
    if lex.requirements is not None:
        at = end
        for _ in range(3):  # the cue's own next words: "self-defense (is only) lawful if"
            gap = re.match(r"\W*", text[at:])
            at += gap.end() if gap else 0
            if lex.requirements.match(text, at):
                return True
            word = _NEXT_WORD.match(text, at)
            if word is None or word.end() == at:
                break
            at = word.end()
    before = text[:start]
    clause_start = 0
    for m in _CLAUSE_END.finditer(before):
        clause_start = m.end()
    clause = before[clause_start:]
    if lex.conditions is not None and lex.conditions.search(clause):
        return True
    if lex.requirements is None:
        return False
    ends = [m.end() for m in lex.requirements.finditer(clause)]
    if not ends:
        return False
    governed = clause[ends[-1] :]
    return len(governed.split()) <= _GOVERNED_WORDS and not _RELATIVE.search(governed)


def _blanked(text: str, lex: StanceLexicon) -> str:
    """The text with its non-cue phrases ("no doubt") replaced by spaces (offsets kept)."""
    if lex.not_cues is None:
        return text
    return lex.not_cues.sub(lambda m: " " * len(m.group()), text)


def _judges_a_remark(cue: str, text: str, lex: StanceLexicon) -> bool:
    """A truth judgment ("false", "a lie") in a text that names neither the action nor its
    justification, or a general word of blame ("a mistake") in one that names a statement or a
    document instead: it is about a remark the text reports, not about the action."""
    if lex.topics is None or lex.topics.search(text):
        return False
    if lex.remark_cues is not None and lex.remark_cues.fullmatch(cue):
        return True
    return bool(
        lex.evaluations is not None
        and lex.remark_nouns is not None
        and lex.evaluations.fullmatch(cue)
        and lex.remark_nouns.search(text)
    )


def _score(text: str, lex: StanceLexicon) -> int:
    score = 0
    taken: list[tuple[int, int]] = []
    for sign, pattern in ((-1, lex.fast_attacks), (1, lex.fast_supports)):
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # "unlawful" is one cue, not also "lawful"
            taken.append(m.span())
            if _suspended(text, m.start(), m.end(), lex) or _judges_a_remark(m.group(), text, lex):
                continue
            if not _reversed(text, m.start(), lex):
                score += sign
            elif not (sign < 0 and lex.consequences and lex.consequences.match(m.group())):
                score -= sign  # "not justified"; but "nobody wants escalation" says nothing
    return score


_SENTENCE_END = re.compile(r"[.;!?][\"”’']?\s+(?=\S)")


def _after_conceded(text: str, lex: StanceLexicon) -> int:
    """Where the text goes on after a sentence that concedes ("It is true that ... . But the
    question is ..."; "To be sure, ... ; still ..."), or 0 when none does.

    A conceded sentence grants the other side a point so that the next one can argue against
    it: the argument is in what follows.
    """
    if lex.concessions is None:
        return 0
    m = lex.concessions.search(text)
    if m is None:
        return 0
    end = _SENTENCE_END.search(text, m.end())
    return end.end() if end else 0


def stance_of(text: str) -> Stance:
    """SUPPORTS, ATTACKS or NEUTRAL from the balance of the text's cues."""
    lex = stance_lexicon()
    text = _blanked(text, lex)
    main = text
    contrasts = list(_CONTRAST.finditer(text))
    if contrasts:
        main = text[contrasts[-1].end() :]
    else:
        concession = _CONCESSIVE.match(text)
        if concession:
            main = text[concession.end() :]
    conceded = _after_conceded(main, lex)
    if conceded:
        main = main[conceded:]
    score = _score(main, lex) if main is not text else 0
    if score == 0:
        score = _score(text, lex)
    if score > 0:
        return Stance.SUPPORTS
    if score < 0:
        return Stance.ATTACKS
    return Stance.NEUTRAL


def agrees(text: str) -> bool:
    return bool(stance_lexicon().agreement.search(text))


def rebuts(text: str) -> bool:
    """A rebuttal cue ("rejected", "but") or a negation ("didn't see any evidence")."""
    lex = stance_lexicon()
    return bool(lex.rebuttal.search(text) or lex.negator.search(text))
