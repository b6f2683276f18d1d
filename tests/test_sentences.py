"""Sentence splitting: abbreviations, quotes, glued sentences, exact offsets."""

from __future__ import annotations

import pytest

from loaders.sentences import passage_spans, split_sentences


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Trump said so. Then he left.", ["Mr. Trump said so.", "Then he left."]),
        (
            "The U.S. Embassy was hit. Iran denied it.",
            ["The U.S. Embassy was hit.", "Iran denied it."],
        ),
        (
            "Maj. Gen. Soleimani died. Col. Smith spoke.",
            ["Maj. Gen. Soleimani died.", "Col. Smith spoke."],
        ),
        (
            "President George W. Bush agreed. Others did not.",
            ["President George W. Bush agreed.", "Others did not."],
        ),
        (
            "Under Art. 51 of the U.N. Charter, it is lawful. Or not.",
            ["Under Art. 51 of the U.N. Charter, it is lawful.", "Or not."],
        ),
        (
            "over two decades.Esper also accused him.",
            ["over two decades.", "Esper also accused him."],
        ),
        (
            'He said "I want peace. I like peace." Then he left.',
            ['He said "I want peace. I like peace."', "Then he left."],
        ),
        ("It said “no. never.” Fine.", ["It said “no. never.”", "Fine."]),
        (
            'Others disagreed. "There was no threat," she said.',
            ["Others disagreed.", '"There was no threat," she said.'],
        ),
        ("  Leading and trailing space.  ", ["Leading and trailing space."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_unbalanced_quote_does_not_glue_everything() -> None:
    text = 'A stray " mark. Second sentence. Third sentence.'
    assert len(_texts(text)) == 3


def test_passages_are_cut_around_hard_spans_and_trimmed_of_markup() -> None:
    raw = (
        "* **Bold headline**. ([Outlet](https://x.com/slug-words))\n\n"
        "A [link](https://y.com/a) here. End."
    )
    cite = raw.index("(["), raw.index("))") + 2
    dest = raw.index("](https://y"), raw.index("/a)") + 3
    units = [(2, raw.index("\n"), True), (raw.index("A ["), len(raw), False)]
    soft = [(2, 4), (17, 19), (raw.index("A [") + 2, raw.index("A [") + 3)]
    spans = passage_spans(raw, units, [cite, dest], soft)
    assert [raw[s:e] for s, e in spans] == ["Bold headline**.", "A [link", "here.", "End."]
