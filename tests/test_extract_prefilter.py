"""The pre-filters only skip work: every filtered pattern finds exactly what it found before."""

from __future__ import annotations

import random
import re

from loaders.extract import dates, events, precedents
from loaders.extract.lexicons import attribution_lexicon, stance_lexicon
from loaders.extract.prefilter import (
    PatternIndex,
    Prefiltered,
    finditer_at,
    literal_prefixes,
    ontology_index,
    search_at,
)
from loaders.ontology import load_ontology
from seeds import corpus_dir

_EXTRA = [
    "The U.N. Charter, Art. 51 and article 2(4): self-defence, SELF-DEFENSE and self defense.",
    "Necessity and proportionality; disproportionate use of lethal force; used armed force.",
    "the 2001 AUMF, the 2002 Iraq authorization for use of military force, E.O. 12,333.",
    "An imminent, continuing threat? threats were imminent. Imminence. War powers (not the Act).",
    "drone strikes in Pakistan and Yemen; Israeli targeted killings; bombing raid on Libya",
    "Ka Sſ İı: case-folding characters must disable the filter, not break it. KILLING",
    "counterattacks, U.S. drone strike, launched two ballistic missiles, adopted a new policy",
    "December 27, 2019; 3 Jan 2020; 2020-01-03; last summer; two weeks ago; late Thursday",
    "",
]


def _texts() -> list[str]:
    out = list(_EXTRA)
    for path in sorted(corpus_dir().glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        out += [p for p in re.split(r"\n\s*\n", raw) if p.strip()]
    rnd = random.Random(7)
    words = " ".join(out).split()
    for _ in range(200):
        out.append(" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 40))))
    return out


def _spans(ms: list[re.Match[str]] | None) -> list[tuple[int, int]]:
    return [m.span() for m in ms or []]


def test_ontology_patterns_find_the_same_matches() -> None:
    onto = load_ontology()
    index = ontology_index(onto)
    patterns = {f"c:{cid}": c.regex for cid, c in onto.concepts.items()}
    for pid, p in onto.precedents.items():
        if p.regex is not None:
            patterns[f"p:{pid}"] = p.regex
        for i, groups in enumerate(p.cooccur):
            for j, g in enumerate(groups):
                patterns[f"p:{pid}:{i}:{j}"] = g
    for text in _texts():
        cands = index.candidates(text)
        for key, pat in patterns.items():
            full = list(pat.finditer(text))
            if key not in cands:
                assert not full, (key, text)
                continue
            assert _spans(finditer_at(pat, text, cands[key])) == _spans(full), (key, text)
            first = search_at(pat, text, cands[key])
            assert (first.span() if first else None) == (full[0].span() if full else None)


def test_module_patterns_find_the_same_matches() -> None:
    pats = [
        events.TRIGGER,
        attribution_lexicon().verb,
        stance_lexicon().supports,
        stance_lexicon().attacks,
    ]
    pats += [p for _, p in dates.PATTERNS]
    for pat in pats:
        fast = Prefiltered(pat)
        for text in _texts():
            assert _spans(fast.finditer(text)) == _spans(list(pat.finditer(text))), text
    for text in _texts():
        got = [(m.span(), m.groupdict()) for m in precedents._considered(text)]
        want = [(m.span(), m.groupdict()) for m in precedents.CONSIDERED.finditer(text)]
        assert got == want


def test_considered_window() -> None:
    text = (
        "Both President George W. Bush and President Obama      considered targeting Soleimani,"
        " but ultimately decided against such a provocative step."
    )
    for t in (text, "x. " * 80 + text, text + " " + text):
        want = [m.span() for m in precedents.CONSIDERED.finditer(t)]
        assert want and [m.span() for m in precedents._considered(t)] == want


def test_literal_prefixes() -> None:
    onto = load_ontology()
    prefixes, anchored = literal_prefixes(onto.concepts["imminent-threat"].regex) or ((), False)
    assert anchored and "imminent" in prefixes
    assert literal_prefixes(re.compile(r"\w+ing")) is None  # no literal beginning
    assert literal_prefixes(re.compile(r"(?:abc)?")) is None  # may match the empty string
    idx = PatternIndex([("k", re.compile(r"(?<![\w-])kill(?:ing|ed)", re.I))])
    assert idx.candidates("Kill-ing KILLED skilled killing") == {"k": [9, 24]}
    assert idx.candidates("nothing here") == {}
    assert idx.candidates("\u212aILLED") == {"k": None}  # Kelvin sign: no filtering
