"""Date expressions in news text and their resolution against a reference date.

Written by hand rather than with ``dateparser``: it must tell *which words* carry the date,
know expressions with no year ("December 27" in a January article is last December), relative
ones ("last summer", "seven months ago", "late Thursday") and those it must not resolve
("earlier this week" names no day), and run thousands of times per second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from loaders.extract.prefilter import PatternIndex, finditer_at

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
SEASONS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}
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

_M = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("mdy", re.compile(rf"\b(?P<m>{_M})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_M})\s+(?P<y>{_YEAR})\b")),
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("md", re.compile(rf"\b(?P<m>{_M})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d)")),
    ("my", re.compile(rf"\b(?:(?:early|mid|late)[\s-]+)?(?P<m>{_M})\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    ("part_month", re.compile(rf"\b(?:early|mid|late)[\s-]+(?P<m>{_M})(?!\s+\d)")),
    (
        "season",
        re.compile(r"\b(?P<rel>last|this|next)\s+(?P<s>spring|summer|fall|autumn|winter)\b", re.I),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<u>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
    ),
    ("rel_unit", re.compile(r"\b(?P<rel>last|next)\s+(?P<u>year|month)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?:on|late|early|last)\s+)?(?P<wd>{_WD})\b")),
    ("yesterday", re.compile(r"\b(?P<w>yesterday|today)\b", re.I)),
    (
        "year",
        re.compile(
            rf"(?<![\d/.-])(?:in|since|of|by|during|from|until|before|after)\s+(?:early\s+|late\s+|mid-?)?(?P<y>{_YEAR})\b(?![\d/-])"
        ),
    ),
    ("bare_year", re.compile(rf"(?<![\d/.$-]){_YEAR}(?![\d/%-])")),
]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression: its offsets in the text, the words, and what it resolved to."""

    start: int
    end: int
    text: str
    value: date | None
    precision: str  # "day" | "month" | "year" | "none"
    kind: str
    explicit_year: bool


def _month(token: str) -> int:
    return MONTHS[
        token.lower().rstrip(".")[:3]
        if token.lower().rstrip(".") not in MONTHS
        else token.lower().rstrip(".")
    ]


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
        return DateExpr(s, e, txt, date(int(g["y"]), _month(g["m"]), 1), "month", kind, True)
    if kind == "part_month":
        if g["m"].lower().startswith("may"):
            return None
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        mon = _month(g["m"])
        year = ref.year if mon <= ref.month else ref.year - 1
        return DateExpr(s, e, txt, date(year, mon, 1), "month", kind, False)
    if kind == "season":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        mon = SEASONS[g["s"].lower()]
        rel = g["rel"].lower()
        year = ref.year
        if rel == "last":
            year = ref.year - 1 if mon >= ref.month or ref.month <= 3 else ref.year
        elif rel == "next":
            year = ref.year + 1 if mon <= ref.month else ref.year
        return DateExpr(
            s, e, txt, date(year, mon, 1), "year" if rel == "last" else "month", kind, False
        )
    if kind == "ago":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        n_raw = g["n"].lower()
        n = int(n_raw) if n_raw.isdigit() else NUMBERS.get(n_raw)
        if not n:
            return None
        unit = g["u"].lower()
        if unit == "day":
            return DateExpr(s, e, txt, ref - timedelta(days=n), "day", kind, False)
        if unit == "week":
            return DateExpr(s, e, txt, ref - timedelta(weeks=n), "none", kind, False)
        if unit == "month":
            total = ref.year * 12 + ref.month - 1 - n
            return DateExpr(s, e, txt, date(total // 12, total % 12 + 1, 1), "month", kind, False)
        return DateExpr(s, e, txt, date(ref.year - n, 1, 1), "year", kind, False)
    if kind == "rel_unit":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        d = 1 if g["rel"].lower() == "next" else -1
        if g["u"].lower() == "year":
            return DateExpr(s, e, txt, date(ref.year + d, 1, 1), "year", kind, False)
        total = ref.year * 12 + ref.month - 1 + d
        return DateExpr(s, e, txt, date(total // 12, total % 12 + 1, 1), "month", kind, False)
    if kind == "weekday":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        wd = WEEKDAYS.index(g["wd"].lower())
        back = (ref.weekday() - wd) % 7
        return DateExpr(s, e, txt, ref - timedelta(days=back), "day", kind, False)
    if kind == "yesterday":
        if ref is None:
            return DateExpr(s, e, txt, None, "none", kind, False)
        delta = 1 if g["w"].lower() == "yesterday" else 0
        return DateExpr(s, e, txt, ref - timedelta(days=delta), "day", kind, False)
    if kind in {"year", "bare_year"}:
        y = int(g.get("y") or txt)
        return DateExpr(s, e, txt, date(y, 1, 1), "year", kind, True)
    return None


def format_date(value: date | None, precision: str) -> str | None:
    """ISO text at the precision the source gave: "2019", "2019-12" or "2019-12-27"."""
    if value is None or precision == "none":
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
