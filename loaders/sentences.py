"""Sentence splitting with exact offsets: spaCy's blank English pipeline plus the sentencizer.

No statistical model can be installed here, so the rule-based sentencizer does the work, helped
by: tokenizer exceptions for the titles and abbreviations of news and legal prose ("Maj.",
"Gen.", "Sen.", "Art."), which would otherwise end a sentence; and merging splits that fall
inside a quotation, so that a quoted statement of several sentences stays one passage.
Sentences glued without a space ("two decades.Esper said") are split by spaCy's infix rule.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH

Span = tuple[int, int]

_ABBREVIATIONS_TEXT = (
    "Mr. Mrs. Ms. Dr. Prof. Rev. Hon. St. Jr. Sr. Gen. Lt. Col. Maj. Capt. Cmdr. Adm. Sgt. "
    "Cpl. Pvt. Brig. Gov. Sen. Rep. Amb. Sec. Pres. Supt. Det. Insp. Gens. Sens. Reps. "
    "Art. Arts. Sect. Sec. Para. Paras. Cl. No. Nos. Vol. Ch. Pt. Fig. Rs. "
    "Jan. Feb. Mar. Apr. Aug. Sep. Sept. Oct. Nov. Dec. "
    "U.S. U.N. U.K. E.U. U.S.A. D.C. N.Y. L.A. e.g. i.e. cf. vs. v. approx. est. "
    "Inc. Corp. Co. Ltd. Bros."
)
ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())
# Abbreviations that routinely end a sentence too; after them a capitalised word starts one.
_SENTENCE_FINAL_OK = {"Inc.", "Corp.", "Co.", "Ltd.", "U.S.", "U.K.", "U.N.", "E.U.", "D.C."}

_MAX_MERGED = 1200
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The shared blank English pipeline (built once: building it costs ~0.3 s)."""
    pipeline = spacy.blank("en")
    for abbr in ABBREVIATIONS:
        pipeline.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    pipeline.add_pipe("sentencizer")
    # spaCy refuses texts over 1,000,000 characters to protect the memory of parsers and
    # taggers; a tokenizer and a rule-based sentencizer need none of that, and a paragraph of a
    # document under the size limit (loaders.read.MAX_BYTES) must not fail for its length.
    pipeline.max_length = 25_000_000
    return pipeline


class _Quotes:
    """Where the quote marks of a paragraph are, to tell in O(log n) whether an offset lies
    inside an open quotation (counting over the prefix at every sentence end made a long
    paragraph quadratic)."""

    def __init__(self, text: str) -> None:
        self.opens = [i for i, c in enumerate(text) if c == "“"]
        self.closes = [i for i, c in enumerate(text) if c == "”"]
        self.straight = [i for i, c in enumerate(text) if c == '"']
        # only the quote styles balanced over the whole paragraph count: a stray quote mark
        # must not glue everything
        self.use_curly = len(self.opens) == len(self.closes)
        self.use_straight = len(self.straight) % 2 == 0

    def inside(self, offset: int) -> bool:
        """True if `offset` is inside an open quotation."""
        if self.use_curly and (bisect_left(self.opens, offset)
                               > bisect_left(self.closes, offset)):
            return True
        return self.use_straight and bisect_left(self.straight, offset) % 2 == 1


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_OPENERS = re.compile(r"\s([\"“‘'(\[]+)\s*$")


def _move_opening_quotes(text: str, spans: list[Span]) -> list[Span]:
    """The sentencizer leaves an opening quote on the previous sentence (`said. "Next`);
    move it to the sentence it opens."""
    out = list(spans)
    for i in range(len(out) - 1):
        s, e = out[i]
        m = _OPENERS.search(text, s, e)
        if m:
            out[i] = (s, m.start(1))
            out[i + 1] = (m.start(1), out[i + 1][1])
    return out


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text` (offsets into it), trimmed of surrounding whitespace."""
    if not text.strip():
        return []
    doc = nlp()(text)
    raw = _move_opening_quotes(text, [(s.start_char, s.end_char) for s in doc.sents])
    quotes = _Quotes(text)
    merged: list[Span] = []
    for start, end in raw:
        if merged:
            ps, pe = merged[-1]
            before = text[ps:pe].rstrip()
            last = before.split()[-1] if before.split() else ""
            glue = (
                quotes.inside(pe)
                or (_INITIAL.search(before) is not None and text[start:end].strip()[:1].isupper())
                or (last in ABBREVIATIONS and last not in _SENTENCE_FINAL_OK)
            )
            if glue and end - ps <= _MAX_MERGED:
                merged[-1] = (ps, end)
                continue
        merged.append((start, end))
    spans = [_trim(text, s, e) for s, e in merged]
    return [s for s in spans if s[1] > s[0]]


def _blank(chars: list[str], spans: list[Span], start: int, end: int) -> None:
    for s, e in spans:
        for i in range(max(s, start), min(e, end)):
            if chars[i - start] != "\n":
                chars[i - start] = " "


def _overlapping(spans: list[Span], start: int, end: int) -> list[Span]:
    """The spans (sorted by start, not overlapping much) that overlap [start, end)."""
    i = bisect_left(spans, (start, start))
    j = i
    while i > 0 and spans[i - 1][1] > start:  # a span that starts before and reaches in
        i -= 1
    while j < len(spans) and spans[j][0] < end:
        j += 1
    return [sp for sp in spans[i:j] if sp[1] > start and sp[0] < end]


def passage_spans(
    raw: str,
    units: list[tuple[int, int, bool]],
    hard: list[Span],
    soft: list[Span],
) -> list[Span]:
    """Sentence spans of raw inside the body units, never containing a hard-excluded char.

    `units` are (start, end, whole): a whole unit (a bullet item) is one passage, others are
    split into sentences. Sentences are found on a copy of the text with markup blanked out
    (same length, so offsets stay valid); a sentence that straddles a hard-excluded span (a
    URL, a citation group, a marker) is cut around it, and every piece is trimmed of
    whitespace and soft markup at its ends.
    """
    out: list[Span] = []
    hard = sorted(hard)
    soft = sorted(soft)
    for start, end, whole in units:
        chars = list(raw[start:end])
        local_hard = _overlapping(hard, start, end)
        local_soft = _overlapping(soft, start, end)
        _blank(chars, local_hard, start, end)
        _blank(chars, local_soft, start, end)
        masked = "".join(chars)
        is_hard = bytearray(end - start)
        for s, e in local_hard:
            for i in range(max(s, start), min(e, end)):
                is_hard[i - start] = 1
        sents = [_trim(masked, 0, len(masked))] if whole else split_sentences(masked)
        for s, e in sents:
            pos = s
            while pos < e:
                while pos < e and is_hard[pos]:
                    pos += 1
                stop = pos
                while stop < e and not is_hard[stop]:
                    stop += 1
                a, b = _trim(masked, pos, stop)
                if b > a and any(ch.isalnum() for ch in masked[a:b]):
                    out.append((start + a, start + b))
                pos = stop
    return out
