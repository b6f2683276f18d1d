"""Document metadata from front matter or from the text itself.

Front matter wins when present. Otherwise the header of the page (the blocks before the first
body paragraph, leaving out page furniture) gives the title (the first heading-like line), the
author ("By X", or a line that is just a name) and sometimes a date line; the publisher comes
from a "by <Outlet>" line, from the text's own voice ("sources tell CBS News"), or from a
copyright line. A date is only taken from the header or a dateline, never from the body:
"September 11, 2001" in the first paragraph is not the publication date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from loaders.boilerplate import Judged, Role
from loaders.outlets import canonical_name, outlet_table, publisher_in_text

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<m>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b", re.I),
    re.compile(
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>(?:19|20)\d{2})\b",
        re.I,
    ),
    re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<mm>\d{2})-(?P<d>\d{2})\b"),
]
_DATELINE = re.compile(r"^[^.\n]{0,60}?\s*(?:—|–|--|-)\s")
_WIRE_CREDIT = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,60}?\s*\((?P<name>[A-Z][\w .&-]{0,30})\)\s*(?:—|–|--|-|:)\s"
)
"""A dateline with the wire service that filed it: "WASHINGTON (AP) —", "LONDON (Reuters) -"."""
_BY = re.compile(r"^\s*by\s+(?P<name>.+?)\s*$", re.I)
_NAME_PART = r"(?:[A-Z][\w'’.-]*|de|van|von|der|al|bin|ibn|da|di|le|la)"
_PERSON = re.compile(rf"^[A-Z][\w'’.-]*(?:\s+{_NAME_PART}){{1,3}}$")
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–]\s*\d{4})?)?\s*,?\s*(?P<name>[^|.\n]+)", re.I
)
_URL_LINE = re.compile(
    r"^\s*(?:url|source|canonical(?: url)?|link|permalink|originally published (?:at|on))\s*:?\s*"
    r"(?P<url>https?://\S+)\s*$",
    re.I | re.M,
)
_TRAILING = re.compile(r"\s*(?:[|·•,;]|\s[-–—]\s).*$")
_LOGO = re.compile(r"\s*\blogo\s*$", re.I)


def parse_date(text: str) -> date | None:
    """The first full date (with a year) in a string."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        month = int(m.group("mm")) if "mm" in m.groupdict() and m.group("mm") else None
        if month is None:
            month = _MONTHS.get(m.group("m").lower().rstrip("."))
        try:
            return date(int(m.group("y")), month or 0, int(m.group("d")))
        except (TypeError, ValueError):
            continue
    return None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        found = parse_date(value)
        if found:
            return found
        import dateparser  # slow to import: only for odd front-matter strings

        parsed = dateparser.parse(value, settings={"STRICT_PARSING": True})
        return parsed.date() if parsed else None
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        items = [_as_text(v) for v in value]
        joined = ", ".join(i for i in items if i)
        return joined or None
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title"))
    text = " ".join(str(value).split())
    return text or None


def _first(front: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if front.get(k) not in (None, "", []):
            return front[k]
    return None


def header_blocks(judged: list[Judged]) -> list[Judged]:
    """Blocks before the first body block, minus page furniture (captions, nav, banners)."""
    out: list[Judged] = []
    for j in judged[:40]:  # a header is a few lines, not a whole page of them
        if j.role is Role.BODY:
            break
        if j.role is Role.BOILERPLATE and j.reason not in {
            "jusText bad",
            "jusText short",
            "jusText neargood",
        }:
            continue
        out.append(j)
    return out


def _title(judged: list[Judged], header: list[Judged]) -> str | None:
    for j in judged:
        if j.block.kind == "heading":
            return j.block.text.strip("# ").strip() or None
        if j.role is Role.BODY:
            break
    for j in header:
        words = j.block.text.split()
        if 2 <= len(words) <= 30 and not j.block.text.rstrip().endswith("."):
            return " ".join(words)
    return None


def _author_and_publisher(header: list[Judged], title: str | None) -> tuple[str | None, str | None]:
    author: str | None = None
    publisher: str | None = None
    table = outlet_table()
    for j in header:
        text = " ".join(j.block.text.split())
        if title and text == title:
            continue
        m = _BY.match(text)
        name = _TRAILING.sub("", m.group("name")) if m else None
        if m and name != m.group("name"):  # "By Jane Doe | Reuters": an outlet may trail
            tail = re.split(r"[|·•,;]|\s[-–—]\s", m.group("name"))[-1].strip()
            info = table.lookup(tail)
            if info:
                publisher = publisher or info.name
        if name:
            info = table.lookup(name)
            lower_by = text.lstrip().startswith("by ")
            if info or (lower_by and author):
                publisher = publisher or (info.name if info else name)
            elif author is None:
                author = name
            continue
        masthead = table.lookup(text)
        if masthead and publisher is None and len(text.split()) <= 4:
            publisher = masthead.name  # the outlet's name alone on a line: its masthead
            continue
        if author is None and _PERSON.match(text) and not masthead:
            author = text
        # "Updated on: January 7, 2020 / 8:12 AM / CBS News": an outlet among the segments
        for seg in re.split(r"\s[|/·•]\s", text)[1:]:
            info = table.lookup(seg.strip())
            if info and publisher is None:
                publisher = info.name
    return author, publisher


def _date_from_header(header: list[Judged], first_body: str | None) -> date | None:
    for j in header:
        if len(j.block.text.split()) <= 15:
            found = parse_date(j.block.text)
            if found:
                return found
    if first_body:
        m = _DATELINE.match(first_body)
        if m:
            return parse_date(m.group())
    return None


def extract(raw: str, front: dict[str, Any], judged: list[Judged]) -> dict[str, Any]:
    """Title, author, publisher, date, url and description, each None when not known."""
    header = header_blocks(judged)
    body = [j for j in judged if j.role is Role.BODY]
    title = _as_text(_first(front, "title", "headline")) or _title(judged, header)
    author, publisher = _author_and_publisher(header, title)
    author = _as_text(_first(front, "author", "authors", "byline")) or author
    publisher = _as_text(_first(front, "publisher", "site", "site_name", "source", "outlet")) or (
        publisher
    )
    if publisher is None and body:
        credit = _WIRE_CREDIT.match(body[0].block.text)
        info = outlet_table().lookup(credit.group("name")) if credit else None
        publisher = info.name if info else None
    if publisher is None:
        opening = " ".join(j.block.text for j in body[:3])
        publisher = publisher_in_text(opening)
    if publisher is None:
        for j in judged:
            if j.reason == "copyright":
                m = _COPYRIGHT.search(j.block.text)
                if m and m.group("name").strip():
                    publisher = m.group("name").strip()
                    break
    if publisher is None:  # a scraped logo's alt text names the site
        logo = next((j for j in judged if j.reason == "menu" and _LOGO.search(j.block.text)), None)
        publisher = _LOGO.sub("", logo.block.text).strip() or None if logo else None
    published = _as_date(
        _first(front, "date", "published", "pubdate", "date_published", "published_at", "created")
    )
    if published is None and not front:
        published = _date_from_header(header, body[0].block.text if body else None)
    url = _as_text(_first(front, "url", "canonical_url", "canonical", "link", "permalink"))
    if url is None:
        m = _URL_LINE.search(raw[:2000]) or _URL_LINE.search(raw[-2000:])
        url = m.group("url") if m else None
    description = _as_text(_first(front, "description", "excerpt", "summary", "subtitle"))
    if description is None:
        deks = [
            j
            for j in header
            if len(j.block.text.split()) >= 8
            and j.block.text.rstrip().endswith((".", "?", "!", "”", '"'))
        ]
        description = " ".join(deks[0].block.text.split()) if deks else None
    return {
        "title": title,
        "author": author,
        "publisher": canonical_name(publisher) if publisher else None,
        "published": published,
        "url": url,
        "description": description,
    }
