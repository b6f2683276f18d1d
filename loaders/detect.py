"""Decoding of the raw bytes and detection of the document format, from content only.

The corpus files are all `.txt` whatever they really are, so the file name never decides the
format: a YAML front matter block means Markdown (a Jekyll/Hugo post), navigation and
boilerplate signals mean text scraped from a web page, anything else is plain text.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

from kb.model import DocFormat
from loaders.errors import DocumentError

MAX_BYTES = 20 * 1024 * 1024

# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

FRONT_MATTER = re.compile(
    r"\A(?P<open>---[ \t]*\r?\n)(?P<yaml>.*?)(?:\r?\n)?"
    r"(?P<close>^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))",
    re.DOTALL | re.MULTILINE,
)
_FM_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:", re.MULTILINE)


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (BOM or not) or UTF-16 with a BOM; anything else is refused.

    Latin-1 and other legacy encodings are refused rather than guessed: a wrong guess would
    silently corrupt the quotes that evidence anchors on.
    """
    if len(data) > MAX_BYTES:
        raise DocumentError("larger than the 20 MB limit")
    if not data.strip():
        raise DocumentError("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise DocumentError(f"not valid UTF-16 text ({err.reason})") from None
    else:
        if b"\x00" in data:
            raise DocumentError("binary content (NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise DocumentError(f"not valid UTF-8 text (bad byte at offset {err.start})") from None
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise DocumentError("binary content (NUL bytes)")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise DocumentError("binary content (control characters)")
    if not text.strip():
        raise DocumentError("empty file")
    return text


_HTML_START = re.compile(r"\A\s*<(?:!doctype\s+html|html[\s>]|head[\s>]|\?xml\b)", re.I)
_HTML_CODE = re.compile(r"<(script|style)\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^<>]{0,500}>", re.I)


def looks_like_html(raw: str) -> bool:
    """Raw HTML markup (a saved page rather than its text): an HTML prologue, or script and
    style elements among many tags. The readers take text, so such a file is refused."""
    if _HTML_START.match(raw):
        return True
    return bool(_HTML_CODE.search(raw)) and len(_HTML_TAG.findall(raw, 0, 200_000)) >= 10


def has_front_matter(raw: str) -> bool:
    """A `---` block at the very top whose lines look like YAML keys."""
    m = FRONT_MATTER.match(raw)
    return bool(m and _FM_KEY.search(m.group("yaml")))


# Short lines that only navigation, subscription, cookie, share, donation and footer
# furniture of a web page consists of. Each category counts once.
_WEB_SIGNALS: dict[str, re.Pattern[str]] = {
    "skip": re.compile(r"^\s*skip to\b", re.I),
    "newsletter": re.compile(r"\b(newsletter|subscribe|sign up)\b", re.I),
    "cookie": re.compile(r"\bcookies?\b", re.I),
    "share": re.compile(r"^\s*(share|tweet|email|print|facebook|twitter|linkedin)\b.{0,20}$", re.I),
    "donate": re.compile(r"\b(donat\w*|chip in|reader[- ]supported|support our work)\b", re.I),
    "copyright": re.compile(r"(©|\bcopyright\b|all rights reserved)", re.I),
    "legal": re.compile(r"\b(privacy policy|terms of (use|service))\b", re.I),
    "related": re.compile(
        r"^\s*(related|read more|more from|recommended|most popular|trending)\b", re.I
    ),
    "menu": re.compile(
        r"^\s*(menu|search|home|log ?in|sign ?in|advertisement)\s*$|\blogo\s*$", re.I
    ),
}

_MD_LINK = re.compile(r"\[[^\]\n]+\]\((?:https?://|/)[^)\s]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_MD_BULLET = re.compile(r"^\s*[*+-]\s+\S", re.MULTILINE)


def web_score(raw: str) -> int:
    """How strongly the text looks like a scraped web page (0 = not at all)."""
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    if not lines:
        return 0
    score = 0
    # page furniture sits at the top and the foot of a page
    edges = lines if len(lines) <= 600 else lines[:300] + lines[-300:]
    for pattern in _WEB_SIGNALS.values():
        if any(len(ln) < 300 and pattern.search(ln) for ln in edges):
            score += 1
    counts = Counter(ln for ln in lines if len(ln) > 12)
    repeated = sum(1 for n in counts.values() if n > 1)
    score += min(repeated, 2)
    short = sum(1 for ln in lines if len(ln.split()) <= 3)
    if len(lines) >= 8 and short / len(lines) >= 0.3:
        score += 1
    return score


def detect_format(raw: str) -> DocFormat:
    """The format of a decoded document, judged from its content alone.

    Raises DocumentError for raw HTML (readers take the text of a page, not its markup).
    """
    if looks_like_html(raw):
        raise DocumentError("HTML markup, not text: save the page as text first")
    if has_front_matter(raw):
        return DocFormat.MARKDOWN
    links = len(_MD_LINK.findall(raw))
    headings = len(_MD_HEADING.findall(raw))
    bullets = len(_MD_BULLET.findall(raw))
    if links >= 2 or (headings >= 1 and (links >= 1 or bullets >= 2)):
        return DocFormat.MARKDOWN
    if web_score(raw) >= 3:
        return DocFormat.WEB
    return DocFormat.PLAIN
