"""Stance of a claim toward the lawfulness or justification of the action its text discusses.

Cues come from ``seeds/ontology/stance.yaml``. Each cue votes for or against; a negator a few
words before it ("not justified", "no evidence of an imminent attack") reverses it, and so does
a rejecting verb in the same clause ("rejected the claim that it was self-defense"). No cue:
the claim is neutral (it is about something else, or only reports).
"""

from __future__ import annotations

import re

from kb.model import Stance
from loaders.extract.lexicons import StanceLexicon, stance_lexicon

_WORDS_BEFORE = 5
_CLAUSE_END = re.compile(r"[,;:.!?]|\s[—–]\s|\b(?:but|while|whereas|although)\b", re.I)


def _reversed(text: str, start: int, lex: StanceLexicon) -> bool:
    """A negator among the few words before ``start``, or a rejecting verb in its clause.

    Either reverses the cue; both together do not cancel ("no evidence of an imminent attack"
    is not evidence of one).
    """
    before = text[:start]
    clause_start = 0
    for m in _CLAUSE_END.finditer(before):
        clause_start = m.end()
    clause = before[clause_start:]
    words = clause.split()[-_WORDS_BEFORE:]
    negated = bool(lex.negator.search(" ".join(words)))
    rejected = bool(lex.rejecting.search(clause))
    return negated or rejected


def stance_of(text: str) -> Stance:
    """SUPPORTS, ATTACKS or NEUTRAL from the balance of the text's cues."""
    lex = stance_lexicon()
    score = 0
    taken: list[tuple[int, int]] = []
    for sign, pattern in ((-1, lex.attacks), (1, lex.supports)):
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # "unlawful" is one cue, not also "lawful"
            taken.append(m.span())
            score += -sign if _reversed(text, m.start(), lex) else sign
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
