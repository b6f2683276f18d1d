"""The cue lexicons of the claim stages, read from data files beside the ontology.

Word lists are data (``seeds/ontology/attribution.yaml``, ``seeds/ontology/stance.yaml``), not
Python constants, so that a reviewer can read and extend them without touching code. They are
loaded and compiled once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from loaders.extract.prefilter import Prefiltered
from seeds import ontology_dir


def _yaml(name: str) -> dict[str, Any]:
    with (ontology_dir() / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def inflections(verb: str) -> list[str]:
    """-s, -ed and -ing forms of a regular English verb, with the usual spelling rules."""
    if verb.endswith("e"):
        return [verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and verb[-2:-1] not in set("aeiou"):
        return [verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    if re.search(r"(?:s|sh|ch|x|z)$", verb):
        return [verb + "es", verb + "ed", verb + "ing"]
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):  # stop -> stopped, but not "vow"
        return [verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing"]
    return [verb + "s", verb + "ed", verb + "ing"]


_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class AttributionLexicon:
    verb: re.Pattern[str]
    """Any form of a reporting verb; group ``verb`` is the form, ``lemma`` found by ``lemma``."""
    lemma: dict[str, str]
    needs_object: dict[str, re.Pattern[str]]
    source: re.Pattern[str]
    """"according to X" and its kin; group ``src`` is the source's words."""
    collective: re.Pattern[str]
    """A noun phrase ending in a collective head, at the end of the text searched."""
    singular: frozenset[str]
    """Heads of a single unnamed speaker ("official", "diplomat")."""
    not_person_words: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    possessed_quote: re.Pattern[str] | None = None
    """"X's warning that “...”": group ``pos`` is the possessive ('s, his, her, their)."""
    culpability: re.Pattern[str] | None = None
    """A person's responsibility for violence ("the architect of", "masterminded"): in a
    report's own voice an assertion, not narration."""

    def verbs(self, text: str) -> list[re.Match[str]]:
        """The reporting verbs of a text, in order: what ``verb.finditer`` finds, found by a
        dictionary look-up per word (a regular expression of some 300 alternatives tried at
        every position cost more than everything else in the attribution stage)."""
        lemma = self.lemma
        return [
            vm
            for w in _WORD.finditer(text)
            if w.group().lower() in lemma
            and (vm := self.verb.match(text, w.start())) is not None
            and vm.end() == w.end()
        ]


@dataclass(frozen=True, slots=True)
class StanceLexicon:
    supports: re.Pattern[str]
    attacks: re.Pattern[str]
    fast_supports: Prefiltered
    fast_attacks: Prefiltered
    """The same patterns behind the pre-filter: tried only where one of their words begins."""
    negator: re.Pattern[str]
    rejecting: re.Pattern[str]
    not_cues: re.Pattern[str] | None
    """Phrases holding a cue's word without its sense ("no doubt"): blanked before cues are read."""
    consequences: re.Pattern[str] | None
    """Attack cues of consequence ("escalation", "risk"): a negation cancels them, no reversal."""
    conditions: re.Pattern[str] | None
    """Words opening a condition ("if", "unless"): the cues after them in the clause abstain."""
    requirements: re.Pattern[str] | None
    """What the law asks ("requires", "an exception for"): the cues they govern abstain."""
    remark_cues: re.Pattern[str] | None
    """Cues judging a statement's truth ("false"): they vote only where a topic word is."""
    evaluations: re.Pattern[str] | None
    """General words of blame ("a mistake"): about a remark when the claim names one, not the
    action."""
    remark_nouns: re.Pattern[str] | None
    """Nouns of statements and documents ("the letter", "her remarks")."""
    topics: re.Pattern[str] | None
    """Words naming the action or its justification ("strike", "self-defense", "evidence")."""
    distancing: re.Pattern[str] | None
    """Modifiers distancing the speaker from the next words ("so-called"): they reverse a cue
    right after them."""
    concessions: re.Pattern[str] | None
    """Markers of a sentence that grants a point ("it is true that", "to be sure"): the
    argument is in the sentence after it."""
    alternatives: re.Pattern[str] | None
    """Words that set aside what follows ("more a warning than an escalation"): the cue right
    after one is denied, as after a negator."""
    agreement: re.Pattern[str]
    rebuttal: re.Pattern[str]
    second_assertions: re.Pattern[str] | None = None
    """Where one speaker's sentence goes on to a second assertion if a reporting verb follows
    (", but conceded that", ", despite arguing that")."""
    second_complements: re.Pattern[str] | None = None
    """Where a second clause of the same reporting verb opens ("... and that ...")."""
    contrasts: re.Pattern[str] | None = None
    """Which of those boundaries contrast the two halves ("but")."""


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def attribution_lexicon() -> AttributionLexicon:
    data = _yaml("attribution.yaml")
    lemma: dict[str, str] = {}
    irregular = data.get("irregular") or {}
    for verb in data["verbs"]:
        for form in [verb, *inflections(verb), *irregular.get(verb, [])]:
            lemma.setdefault(form, verb)
    forms = sorted(lemma, key=len, reverse=True)
    verb_re = re.compile(r"\b(?P<verb>" + "|".join(map(re.escape, forms)) + r")\b", re.I)
    needs = {
        v: re.compile(_alternation(pats), re.I)
        for v, pats in (data.get("needs_object") or {}).items()
    }
    sources = sorted(data.get("source_phrases") or [], key=len, reverse=True)
    source = re.compile(
        r"\b(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in sources) + r")\s+"
        r"(?P<src>[^,.;:()\"“”]{2,80})",
        re.I,
    )
    heads = sorted(
        [*(data.get("collective") or []), *(data.get("singular") or [])], key=len, reverse=True
    )
    head_re = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in heads)
    modifiers = "|".join(
        re.escape(m) for m in sorted(data.get("modifiers") or [], key=len, reverse=True)
    )
    collective = re.compile(
        r"(?:^|(?<=[\s,;:—–-]))(?P<np>(?:(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|"
        rf"(?i:{modifiers})|[A-Z][\w.'’&-]*|\d+)\s+){{0,5}}"
        rf"(?i:{head_re}))\s*$",
    )
    pron = data.get("pronouns") or {}
    nouns = "|".join(map(re.escape, sorted(data.get("speech_nouns") or [], key=len, reverse=True)))
    possessed = (
        re.compile(
            r"(?P<pos>['’]s|\b(?:[Hh]is|[Hh]er|[Tt]heir))\s+(?:[\w-]+\s+){0,2}?"
            rf"(?:{nouns})s?\b[^“”\"]{{0,50}}?\s+that\s*[“\"]"
        )
        if nouns
        else None
    )
    return AttributionLexicon(
        verb=verb_re,
        lemma=lemma,
        needs_object=needs,
        source=source,
        collective=collective,
        singular=frozenset(w.lower() for w in data.get("singular") or []),
        not_person_words=frozenset(data.get("not_person_words") or []),
        person_pronouns=frozenset(pron.get("person") or []),
        group_pronouns=frozenset(pron.get("group") or []),
        possessed_quote=possessed,
        culpability=(
            re.compile(_alternation(data["culpability"]), re.I) if data.get("culpability") else None
        ),
    )


@lru_cache(maxsize=1)
def stance_lexicon() -> StanceLexicon:
    data = _yaml("stance.yaml")

    def words(key: str) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + _alternation(data[key]) + ")", re.I)

    def optional(key: str) -> re.Pattern[str] | None:
        return (
            re.compile(r"\b(?:" + _alternation(data[key]) + r")\b", re.I) if data.get(key) else None
        )

    supports, attacks = words("supports"), words("attacks")
    return StanceLexicon(
        supports=supports,
        attacks=attacks,
        fast_supports=Prefiltered(supports),
        fast_attacks=Prefiltered(attacks),
        negator=re.compile(r"\b(?:" + _alternation(data["negators"]) + r")\b", re.I),
        rejecting=words("rejecting"),
        not_cues=optional("not_cues"),
        consequences=(
            re.compile(r"(?:" + _alternation(data["consequences"]) + ")", re.I)
            if data.get("consequences")
            else None
        ),
        conditions=optional("conditions"),
        requirements=optional("requirements"),
        alternatives=optional("alternatives"),
        concessions=optional("concessions"),
        distancing=optional("distancing"),
        remark_cues=optional("remark_cues"),
        evaluations=optional("evaluations"),
        remark_nouns=optional("remark_nouns"),
        topics=optional("topics"),
        agreement=words("agreement"),
        rebuttal=words("rebuttal"),
        second_assertions=(
            re.compile(_alternation(data["second_assertions"]), re.I)
            if data.get("second_assertions")
            else None
        ),
        second_complements=(
            re.compile(_alternation(data["second_complements"]), re.I)
            if data.get("second_complements")
            else None
        ),
        contrasts=optional("contrasts"),
    )
