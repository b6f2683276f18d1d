"""Date expressions in news text and their resolution against a reference date.

Written by hand rather than with ``dateparser``: it must tell *which words* carry the date,
know expressions with no year ("December 27" in a January article is last December), relative
ones ("last summer", "seven months ago", "late Thursday") and those it must not resolve
("earlier this week" names no day), and run thousands of times per second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import yaml

from loaders.extract.prefilter import PatternIndex, finditer_at
from loaders.ontology import ontology_dir


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, Any]:
    """The event and date cue lexicons (``seeds/ontology/event_cues.yaml``), parsed once."""
    text = (ontology_dir() / "event_cues.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_LEX = cue_lexicon()
SEASONS: dict[str, int] = {str(k): int(v) for k, v in _LEX["seasons"].items()}
RELATIVE: dict[str, tuple[str, int | None]] = {
    str(words).lower(): (unit, offset)
    for unit, table in _LEX["relative_dates"].items()
    for words, offset in table.items()
}
"""Relative words -> (unit, offset): "last week" -> ("week", -1); unit "after_previous" counts
from the previous event's date, and a null offset names no day ("days later")."""
NAMED: dict[str, date] = {
    str(k): v if isinstance(v, date) else date.fromisoformat(str(v))
    for k, v in _LEX["named_dates"].items()
}
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": None,
}


def _alternation(words: list[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    ordered = sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


_M = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_FULL_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_PARTS = _alternation(list(_LEX["month_parts"]))
_VAGUE = _alternation(list(_LEX["vague_before"]))
_SEASON = _alternation(list(SEASONS))
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("mdy", re.compile(rf"\b(?P<m>{_M})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_M})\s+(?P<y>{_YEAR})\b")),
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("named", re.compile(rf"(?<![\w/])(?P<n>{_alternation(list(NAMED))})(?![\w/])", re.I)),
    ("md", re.compile(rf"\b(?P<m>{_M})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d)")),
    (
        "my",
        re.compile(
            rf"\b(?:(?P<part>{_PARTS})[\s-]+(?:of\s+)?)?(?P<m>{_M})\s+(?:of\s+)?(?P<y>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "part_month",
        re.compile(rf"\b(?P<part>{_PARTS})[\s-]+(?:of\s+)?(?P<m>{_FULL_M}|{_M})(?!\s+\d)", re.I),
    ),
    (
        "month_only",
        re.compile(
            rf"\b(?P<rel>in|since|during|until|by|last|this|next|early|late)\s+"
            rf"(?P<m>{_FULL_M})\b(?!\s+\d)"
        ),
    ),
    (
        "season",
        re.compile(rf"\b(?P<rel>last|this|next|this\s+past)\s+(?P<s>{_SEASON})\b", re.I),
    ),
    (
        "ago",
        re.compile(
            rf"\b(?:(?P<vague>{_VAGUE})\s+)?(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|"
            r"nine|ten|eleven|twelve)\s+(?P<u>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
    ),
    ("relative", re.compile(rf"\b(?P<w>{_alternation(list(RELATIVE))})\b", re.I)),
    ("rel_unit", re.compile(r"\b(?P<rel>last|next)\s+(?P<u>year|month)\b", re.I)),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<rel>on|late|early|last|next|this)\s+)?(?P<wd>{_WD}){_PART_OF_DAY}\b"
        ),
    ),
    (
        "year",
        re.compile(
            rf"(?<![\d/.-])(?:in|since|of|by|during|from|until|before|after)\s+(?:early\s+|late\s+|mid-?)?(?P<y>{_YEAR})\b(?![\d/-])"
        ),
    ),
    ("bare_year", re.compile(rf"(?<![\d/.$-]){_YEAR}(?![\d/%-])")),
]


PRECISIONS = ("day", "week", "month", "season", "year", "none")
"""How much of a date the words state, finest first: "Tuesday" a day, "last week" a week (the
value is its Monday), "late December" a month, "last summer" a season (the value is the first
day of its first month), "in 2002" a year; "none" when the words name no resolvable time."""


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression: its offsets in the text, the words, and what it resolved to."""

    start: int
    end: int
    text: str
    value: date | None
    precision: str
    """One of ``PRECISIONS``."""
    kind: str
    explicit_year: bool
    after_previous: int | None = None
    """For "the next day", "hours later": days after the previous event's date (the value is
    then unresolved until ``after`` is given that date)."""


def _month(token: str) -> int:
    t = token.lower().rstrip(".")
    return MONTHS[t if t in MONTHS else t[:3]]


def _nearest_year(month: int, day: int, ref: date) -> date:
    """The occurrence of month/day nearest to ref (a January text's "December 27" is last year)."""
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - ref).days) < abs((best - ref).days):
            best = cand
    assert best is not None
    return best


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + d.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


_INDEX = PatternIndex(PATTERNS, word_starts=False)


_Matches = tuple[tuple[str, tuple[re.Match[str], ...]], ...]


def _matches(text: str) -> _Matches:
    """Every pattern's matches in text, in PATTERNS order (whatever the reference date)."""
    cands = _INDEX.candidates(text)
    return tuple(
        (kind, tuple(finditer_at(pat, text, cands[kind])) if kind in cands else ())
        for kind, pat in PATTERNS
    )


def find_dates(
    text: str, ref: date | None, memo: dict[str, _Matches] | None = None
) -> list[DateExpr]:
    """All date expressions in text, longest first where they overlap, resolved against ref.

    ``memo`` (text -> matches), kept per document, saves scanning a passage twice: once for
    the reference date and again, with it, for events.
    """
    found: list[DateExpr] = []
    taken: list[tuple[int, int]] = []
    if memo is None:
        scanned = _matches(text)
    else:
        scanned = memo.get(text) or memo.setdefault(text, _matches(text))
    for kind, matches in scanned:
        for m in matches:
            s, e = m.span()
            if any(s < te and e > ts for ts, te in taken):
                continue
            expr = _resolve(kind, m, ref)
            if expr is None:
                continue
            found.append(expr)
            taken.append((s, e))
    found.sort(key=lambda d: d.start)
    return found


def forward(expr: DateExpr, ref: date | None) -> DateExpr:
    """The same words read as a future time, for a planned event ("would vote Thursday").

    A bare weekday or month names the next one (or today's) rather than the last one.
    """
    if ref is None or expr.value is None or expr.value >= ref:
        return expr
    if expr.kind == "weekday":
        return replace(expr, value=expr.value + timedelta(days=7))
    if expr.kind == "month_only" and not expr.text.lower().startswith(("last", "since")):
        return replace(expr, value=date(expr.value.year + 1, expr.value.month, 1))
    return expr


def after(expr: DateExpr, previous: tuple[date, str] | None) -> DateExpr:
    """Resolve "the next day", "hours later" against the previous event's (date, precision).

    Only a previous day-precision date gives a day; "days later" (no count) stays unresolved:
    the words name no day.
    """
    if expr.after_previous is None or previous is None or previous[1] != "day":
        return expr
    return replace(expr, value=previous[0] + timedelta(days=expr.after_previous), precision="day")


def _season(name: str, rel: str, ref: date) -> date:
    """First day of the season "last/this/next <name>" means, seen from ref."""
    mon = SEASONS[name]
    starts = [date(y, mon, 1) for y in (ref.year - 2, ref.year - 1, ref.year, ref.year + 1)]
    if rel == "next":
        return next(s for s in starts if s > ref)
    if rel == "this":
        current = [s for s in starts if s <= ref and _add_months(s, 3) > ref]
        if current:
            return current[0]
        return next(s for s in starts if s.year == ref.year)
    # last / this past: the latest such season that has ended
    return [s for s in starts if _add_months(s, 3) <= ref][-1]


def _relative(words: str, ref: date | None, s: int, e: int, txt: str) -> DateExpr | None:
    unit, offset = RELATIVE[" ".join(words.lower().split())]
    if unit == "after_previous":
        return DateExpr(s, e, txt, None, "none", "after_previous", False, offset)
    if ref is None or offset is None:
        return DateExpr(s, e, txt, None, "none", "relative", False)
    if unit == "day":
        return DateExpr(s, e, txt, ref + timedelta(days=offset), "day", "relative", False)
    if unit == "week":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset)
        return DateExpr(s, e, txt, monday, "week", "relative", False)
    if unit == "weekend":
        back = (ref.weekday() - 5) % 7  # days since the last Saturday (0 on a Saturday)
        saturday = ref - timedelta(days=back) + timedelta(weeks=offset)
        return DateExpr(s, e, txt, saturday, "week", "relative", False)
    if unit == "month":
        return DateExpr(s, e, txt, _add_months(ref, offset), "month", "relative", False)
    return DateExpr(s, e, txt, date(ref.year + offset, 1, 1), "year", "relative", False)


def _resolve(kind: str, m: re.Match[str], ref: date | None) -> DateExpr | None:
    s, e = m.span()
    txt = m.group(0)
    g = m.groupdict()
    try:
        if kind in {"mdy", "dmy"}:
            return DateExpr(
                s, e, txt, date(int(g["y"]), _month(g["m"]), int(g["d"])), "day", kind, True
            )
        if kind == "iso":
            return DateExpr(
                s, e, txt, date(int(g["y"]), int(g["m"]), int(g["d"])), "day", kind, True
            )
    except (ValueError, KeyError):
        return None
    if kind == "named":
        return DateExpr(s, e, txt, NAMED[g["n"].lower()], "day", kind, True)
    if kind == "relative":
        return _relative(g["w"], ref, s, e, txt)
    if kind == "md":
        if g["m"].lower().rstrip(".") == "may" and not re.match(r"May\s+\d", txt):
            return None
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        try:
            return DateExpr(
                s, e, txt, _nearest_year(_month(g["m"]), int(g["d"]), ref), "day", kind, False
            )
        except ValueError:
            return None
    if kind == "my":
        if g["m"].lower().rstrip(".") not in MONTHS and g["m"][0].islower():
            return None
        return DateExpr(s, e, txt, date(int(g["y"]), _month(g["m"]), 1), "month", kind, True)
    if kind in {"part_month", "month_only"}:
        if g["m"].lower().startswith("may") and not g["m"][0].isupper():
            return None
        if kind == "part_month" and not g["m"][0].isupper():
            return None
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        mon = _month(g["m"])
        year = ref.year if mon <= ref.month else ref.year - 1
        if kind == "month_only" and g["rel"] == "next" and mon <= ref.month:
            year = ref.year + 1
        return DateExpr(s, e, txt, date(year, mon, 1), "month", kind, False)
    if kind == "season":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        rel = " ".join(g["rel"].lower().split()).replace("this past", "last")
        value = _season(g["s"].lower(), rel, ref)
        return DateExpr(s, e, txt, value, "season", kind, False)
    if kind == "ago":
        if ref is None or g.get("vague"):
            return DateExpr(s, e, txt, None, "none", kind, False)
        n_raw = g["n"].lower()
        n = int(n_raw) if n_raw.isdigit() else NUMBERS.get(n_raw)
        if not n:
            return None
        unit = g["u"].lower()
        if unit == "day":
            return DateExpr(s, e, txt, ref - timedelta(days=n), "day", kind, False)
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday()) - timedelta(weeks=n)
            return DateExpr(s, e, txt, monday, "week", kind, False)
        if unit == "month":
            return DateExpr(s, e, txt, _add_months(ref, -n), "month", kind, False)
        return DateExpr(s, e, txt, date(ref.year - n, 1, 1), "year", kind, False)
    if kind == "rel_unit":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        d = 1 if g["rel"].lower() == "next" else -1
        if g["u"].lower() == "year":
            return DateExpr(s, e, txt, date(ref.year + d, 1, 1), "year", kind, False)
        return DateExpr(s, e, txt, _add_months(ref, d), "month", kind, False)
    if kind == "weekday":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        wd = WEEKDAYS.index(g["wd"].lower())
        rel = (g.get("rel") or "").lower()
        if rel == "next":
            ahead = (wd - ref.weekday()) % 7 or 7
            return DateExpr(s, e, txt, ref + timedelta(days=ahead), "day", kind, False)
        back = (ref.weekday() - wd) % 7
        if rel == "last" and back == 0:
            back = 7
        return DateExpr(s, e, txt, ref - timedelta(days=back), "day", kind, False)
    if kind in {"year", "bare_year"}:
        y = int(g.get("y") or txt)
        return DateExpr(s, e, txt, date(y, 1, 1), "year", kind, True)
    return None


_SEASON_CODE = {3: 21, 6: 22, 9: 23, 12: 24}
"""ISO 8601-2 / EDTF season codes (21 spring ... 24 winter), keyed by the first month."""


def format_date(value: date | None, precision: str) -> str | None:
    """ISO text at the precision the source gave.

    "2019", "2019-12", "2019-12-27"; a week as its ISO week ("2020-W01"), a season in the
    EDTF notation ("2019-22" = summer 2019): never a day the text does not state.
    """
    if value is None or precision == "none":
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if precision == "season":
        return f"{value.year:04d}-{_SEASON_CODE.get(value.month, 20 + value.month // 3)}"
    if precision == "week":
        year, week, _ = value.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return value.isoformat()
