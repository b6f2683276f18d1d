"""Which blocks are article body: boilerplate, duplicates and page furniture are removed.

Rules are written against the *kind* of furniture (cookie banners, newsletter and donation
appeals, "Skip to" links, share buttons, copyright and legal footers, photo captions and credits,
author bios, teaser bylines of unrelated headlines, section promos and navigation lines that list
labels without a sentence, stray one-character lines), never against the exact strings of one
site. Repeated paragraphs (a photo caption shown twice, a standfirst or a
pull quote that repeats a body sentence) are kept once, in the body. For scraped web pages the
jusText algorithm (stop-word density plus context) judges what is left, and only the main
cluster of body text survives, so that unrelated headlines at the foot of a page are dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum

import justext
from justext.core import ParagraphMaker, classify_paragraphs, html_to_dom
from justext.core import revise_paragraph_classification as revise

from kb.model import DocFormat
from loaders.formats.base import Block


class Role(StrEnum):
    BODY = "body"
    BOILERPLATE = "boilerplate"
    DUPLICATE = "duplicate"
    NONPROSE = "nonprose"  # headline, byline, date line, teaser: metadata, not body


@dataclass(slots=True)
class Judged:
    block: Block
    role: Role
    reason: str = ""


def _p(category: str, limit: int, *alternatives: str) -> tuple[str, re.Pattern[str], int]:
    return category, re.compile("|".join(alternatives), re.I), limit


# (category, pattern, longest block a single hit condemns). A block with hits of two or more
# categories (or two distinct patterns) is boilerplate at any length up to _MULTI_MAX.
_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    _p("skip", 80, r"^\s*skip to\b"),
    _p(
        "newsletter",
        300,
        r"\b(sign up|subscribe)\b.{0,40}\b(newsletter|updates|inbox|e-?mails?|alerts)\b",
        r"\bdirect to your inbox\b",
        r"\bin your inbox\b",
    ),
    _p("newsletter", 80, r"\b(newsletter|subscribe)\b"),
    _p(
        "cookie",
        600,
        r"\bcookies?\b.{0,80}\b(use|policy|consent|accept|settings|preferences)\b",
        r"\bby continuing to (use|browse)\b",
        r"\bmanage (settings|preferences)\b",
    ),
    _p(
        "share",
        60,
        r"^\s*(share|tweet|e-?mail|print|copy link|facebook|twitter|linkedin|whatsapp|reddit)\b"
        r"(\s+(this|on|article|story|link))*\s*:?\s*$",
    ),
    _p(
        "donate",
        250,
        r"\bdonat(e|es|ing|ion|ions)\b",
        r"\bchip in\b",
        r"\breader[- ]supported\b",
        r"\bsupport (our|independent|this) (work|journalism|reporting)\b",
        r"\bno paywalls?\b",
        r"\bbecome a (member|subscriber|patron)\b",
        r"\bcan'?t do (it|this) without you\b",
    ),
    _p("donate", 160, r"\bnon-?profit\b", r"\badvertising-free\b", r"\bad-free\b"),
    _p("copyright", 200, r"^\s*(©|\(c\)\s*\d|copyright\b)", r"all rights reserved"),
    _p("legal", 200, r"\b(privacy policy|terms of (use|service)|cookie policy|contact us)\b"),
    _p(
        "related",
        160,
        r"^\s*(related( articles?| stories| coverage)?|read more|more from|more on this|"
        r"recommended|most popular|most read|trending|you may also like|see also)\b\s*:?",
    ),
    _p(
        "menu",
        60,
        r"^\s*(menu|search|home|log ?in|sign ?in|register|advertisement|sponsored( content)?|"
        r"close|open)\s*$",
        r"\blogo\s*$",
    ),
    _p(
        "caption",
        600,
        r"\((photo|image|picture|credit|photograph|illustration|video)s?( by| credit)?\s*:"
        r"[^)]*\)\s*$",
        r"\bgetty images\b",
        r"\b(ap|afp|reuters) photo\b",
        r"^\s*(photo|image|credit)\s*:",
        # a credit closing the block: "Jane Doe/Agency via Reuters", ". Associated Press"
        r"\bvia (reuters|ap|afp|getty images|epa|associated press)\s*$",
        r"[.)]\s+(associated press|ap photo|reuters|afp|getty images|epa)\s*$",
        r"^\s*(this|a|the|in this)\s+(file\s+)?(photo|image|picture|handout photo)\b"
        r".{0,200}\bshows\b",
    ),
    _p("media", 200, r"^\s*(watch|video|listen|play|now playing|up next)\s*:"),
    # contributor and contact lines at the foot of a story
    _p(
        "credit",
        400,
        r"\bcontributed (to )?(this )?(report|reporting|story)\b",
        r"\b(writers?|reporters?|correspondents?)\b.{0,200}\bcontributed\s*\.?\s*$",
        r"^\W*with (additional )?reporting (by|from)\b",
        r"^\s*write to\b.{0,80}@",
        r"^\s*follow (him|her|them|us|me)\b.{0,20}\bon (twitter|facebook|instagram|x)\b",
        r"^\s*visit\b.{0,60}\bhomepage\b",
        r"^\s*contributing( writers?| reporters?| editors?)?\s*:",
        r"^\s*send (your )?(letters|tips|comments|feedback|questions)\b.{0,60}@",
    ),
    # the messages of a sign-up form
    _p(
        "form",
        300,
        r"\bplease (enter|select|check|confirm)\b.{0,40}\b(e-?mail|address|country|box|proceed)\b",
        r"\bconfirmation e-?mail\b",
        r"\bspam folder\b",
        r"\bunsubscribe\b",
        r"\bchoose your country\b",
    ),
    # "Jane Doe ·" under a teaser headline
    _p("teaser-byline", 100, r"^\s*(?!by\s)[\w.'’ -]{2,60}\s[·•]\s*(\w.{0,40})?$"),
]
_ANY_PATTERN = re.compile("|".join(f"(?:{p.pattern})" for _, p, _ in _PATTERNS), re.I)
_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]", re.S)
_MULTI_MAX = 2500
_END_MARKERS = {
    "copyright",
    "donate",
    "newsletter",
    "legal",
    "bio",
    "teaser-byline",
    "related",
    "credit",
}

_JOB = (
    r"(fellow|professor|reporter|correspondent|editor|writer|author|journalist|director|"
    r"lecturer|researcher|contributor|columnist|analyst|attorney|lawyer|scholar|student|"
    r"candidate|associate|partner|chair|founder|producer|president|member)"
)
_BIO = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s+){1,3}(?:\(@\w+\)\s+)?(?:is|was|serves as)\s+(?:a|an|the)\b"
    r"[^.]{0,160}?\b" + _JOB + r"\b",
)
_HANDLE = re.compile(r"\(@\w{2,}\)|^@\w+")
_TERMINAL = re.compile(r"[.!?…](?:[\"”’')\]]+)?\s*$|[\"”’]\s*$")
_WORD = re.compile(r"[a-z0-9]+")


def boilerplate_reason(text: str) -> str:
    """The category of page furniture this block is, or "" if it looks like content."""
    stripped = text.strip()
    if len(stripped) <= 2 or not _TWO_LETTERS.search(stripped):
        return "stray"
    if is_name_list(stripped):
        return "list"
    if is_label_list(stripped):
        return "promo"
    if not _ANY_PATTERN.search(stripped) and not _BIO.search(stripped):
        return ""
    cats: set[str] = set()
    hits = 0
    for cat, pattern, limit in _PATTERNS:
        if pattern.search(stripped):
            hits += 1
            if len(stripped) <= limit:
                return cat
            cats.add(cat)
    if (len(cats) >= 2 or hits >= 2) and len(stripped) <= _MULTI_MAX:
        return sorted(cats)[0]
    if len(cats) >= 3:  # a whole sign-up form with its country list: furniture at any length
        return sorted(cats)[0]
    if _BIO.search(stripped) and (_HANDLE.search(stripped) or len(stripped) < 600):
        return "bio-candidate"
    return ""


_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")


def is_name_list(text: str) -> bool:
    """A run of names with no sentence in it: a drop-down list, a tag cloud, a country picker.

    Prose, even a paragraph dense with names, has lower-case function words and verbs between
    them; a list of 40 or more words of which nine in ten are capitalised has not.
    """
    words = _TOKEN.findall(text)
    if len(words) < 40:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 0.9 * len(words)


# Words a sentence of English can hardly do without: articles and determiners, pronouns,
# prepositions, auxiliaries and modals, subordinators, negation. A block of four or more
# coordinated items with none of them is a list of labels, not a clause.
_FUNCTION_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a an the this that these those some any each every no not nor never
    i me my we us our you your he him his she her it its they them their who whom whose which
    what where when why how whether if because although though while unless since until
    of in on at to for from with by about into onto over under after before between through
    during against among without within across behind beyond upon toward towards than via
    is are was were be been being am has have had do does did will would shall should can
    could may might must said says say told asked""",
    )
)
_LIST_SEPARATORS = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|[;|·•]|\s(?:and|or|&)\s)\s*", re.I)
_DATED = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.I
)


def is_label_list(text: str) -> bool:
    """A promo or navigation line: four or more short coordinated labels and no sentence.

    "Opinion, analysis and reviews" or "Politics | Business | Culture" lists sections or
    categories; prose, even a terse one, has function words (an article, a preposition, an
    auxiliary, a pronoun) between its nouns and a finite verb somewhere. Such a line has none.
    """
    words = _TOKEN.findall(text)
    if not 3 <= len(words) <= 40:
        return False
    if any(w.lower().strip(".’'") in _FUNCTION_WORDS for w in words):
        return False
    if any(len(w) > 4 and w.islower() and w.rstrip(".").endswith("ed") for w in words):
        return False  # a past tense: "Pelosi, Schumer and Sanders objected." is a sentence
    if _DATED.search(text):
        return False  # "Aug. 27-30 - a convention, a city": a schedule entry, an event
    items = [i for i in _LIST_SEPARATORS.split(text.strip().rstrip(".!…")) if i.strip()]
    if len(items) < 4:
        return False  # "Oh, and lobbyists and special interests." is a terse sentence
    return all(len(_TOKEN.findall(i)) <= 4 for i in items)


_POST_SIGNATURE = re.compile(
    r"\s*[—–-]\s*[^—–()\n]{2,60}\(@\w{1,30}\)\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?\s*$"
)


_SIGNATURE_ONLY = re.compile(
    r"^\W*(?:\d+|end)?\W*[—–-]?\s*[^—–()\n]{2,60}\(@\w{1,30}\)\s*"
    r"(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?\s*$",
    re.I,
)


def is_post_signature(text: str) -> bool:
    """A sentence that is only an embedded post's signature ("/2 — Jane Doe (@jd) May 1, 2020").

    It says who wrote the post (the attribution stage reads it from the text) but asserts
    nothing, so it is no passage of the body.
    """
    return bool(_SIGNATURE_ONLY.match(text))


def is_prose(text: str, min_words: int = 5) -> bool:
    """Sentences rather than a headline, a name or a label.

    An embedded post keeps its signature ("— Jane Doe (@handle) January 3, 2020") after its
    last sentence; the sentences before it are prose all the same.
    """
    text = _POST_SIGNATURE.sub("", text)
    words = text.split()
    if len(words) >= 25:
        return True
    return len(words) >= min_words and bool(_TERMINAL.search(text))


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _fragments(text: str) -> list[str]:
    """Normalised pieces of a quote that may elide words with an ellipsis."""
    parts = re.split(r"…|\.\.\.|\[\.\.\.\]", text)
    return [f for f in (_norm(p) for p in parts) if len(f.split()) >= 4]


def _mark_duplicates(judged: list[Judged]) -> None:
    """Exact repeats after the first, and blocks wholly contained in a longer block."""
    seen: dict[str, int] = {}
    norms = [_norm(j.block.text) for j in judged]
    for i, j in enumerate(judged):
        key = norms[i]
        if not key:
            continue
        if key in seen:
            if j.role is Role.BODY:
                j.role, j.reason = Role.DUPLICATE, f"repeats block {seen[key]}"
            continue
        seen[key] = i
    if len(judged) > 3000:
        return  # containment is quadratic; exact repeats are enough for huge pages
    padded = [f" {n} " for n in norms]
    for i, j in enumerate(judged):
        if j.role is not Role.BODY or len(norms[i].split()) < 6:
            continue
        frags = _fragments(j.block.text)
        if not frags:
            continue
        for k, other in enumerate(padded):
            if k == i or len(norms[k]) <= len(norms[i]) or judged[k].role is Role.BOILERPLATE:
                continue
            if all(f" {f} " in other for f in frags):
                j.role, j.reason = Role.DUPLICATE, f"contained in block {k}"
                break


def _justext_filter(judged: list[Judged]) -> None:
    """jusText's context-sensitive classification, with the rules' verdicts forced to bad."""
    body_html = "".join(f"<p>{html.escape(j.block.text)}</p>" for j in judged)
    try:
        dom = html_to_dom(f"<html><body>{body_html}</body></html>", "utf-8", None, "replace")
        paras = ParagraphMaker.make_paragraphs(dom)
    except Exception:  # lxml refuses odd input: keep the rule-based verdicts
        return
    if len(paras) != len(judged):
        return
    classify_paragraphs(paras, justext.get_stoplist("English"))
    for p, j in zip(paras, judged, strict=True):
        if j.role is not Role.BODY:
            p.cf_class = "bad"
    revise(paras)
    # jusText's context needs at least one long paragraph to anchor on; an article written in
    # short paragraphs has none, and then only the context-free verdict (stop-word density:
    # is this running prose at all?) is used, the main-cluster rule supplying the context.
    anchored = any(
        p.class_type == "good" for p, j in zip(paras, judged, strict=True) if j.role is Role.BODY
    )
    for p, j in zip(paras, judged, strict=True):
        bad = p.class_type != "good" if anchored else p.cf_class == "bad"
        if j.role is Role.BODY and bad:
            j.role, j.reason = Role.BOILERPLATE, f"jusText {p.cf_class}"


def _main_cluster(judged: list[Judged]) -> None:
    """Keep the main run of body blocks; small runs cut off by footer furniture go."""
    clusters: list[list[int]] = []
    gap = 0
    broken = True
    for i, j in enumerate(judged):
        if j.role is Role.BODY:
            if broken or gap > 3:
                clusters.append([])
            clusters[-1].append(i)
            gap, broken = 0, False
        else:
            gap += 1
            if j.reason in _END_MARKERS:
                broken = True
    if len(clusters) < 2:
        return
    sizes = [sum(len(judged[i].block.text) for i in c) for c in clusters]
    biggest = max(sizes)
    for c, size in zip(clusters, sizes, strict=True):
        if size < 0.3 * biggest:
            for i in c:
                judged[i].role, judged[i].reason = Role.BOILERPLATE, "outside the main text"


def judge(blocks: list[Block], fmt: DocFormat) -> list[Judged]:
    """A role for every block."""
    judged: list[Judged] = []
    for b in blocks:
        reason = boilerplate_reason(b.text)
        if reason == "bio-candidate":
            reason = ""
            judged.append(Judged(b, Role.BODY, "bio-candidate"))
            continue
        if reason:
            judged.append(Judged(b, Role.BOILERPLATE, reason))
        elif b.kind == "heading" or (
            fmt is not DocFormat.MARKDOWN and not is_prose(b.text, 5 if fmt is DocFormat.WEB else 3)
        ):
            judged.append(Judged(b, Role.NONPROSE, "not prose"))
        else:
            judged.append(Judged(b, Role.BODY))
    _resolve_bios(judged)
    _mark_duplicates(judged)
    if fmt is DocFormat.WEB:
        _justext_filter(judged)
        _main_cluster(judged)
    return judged


def _resolve_bios(judged: list[Judged]) -> None:
    """ "X is a senior fellow at Y" is a bio when it carries a handle, follows a name-only line,
    or comes after the last ordinary body paragraph (an author note at the foot)."""
    last_plain = max(
        (i for i, j in enumerate(judged) if j.role is Role.BODY and not j.reason), default=-1
    )
    for i, j in enumerate(judged):
        if j.reason != "bio-candidate":
            continue
        prev = judged[i - 1].block.text.strip() if i else ""
        text = j.block.text
        if _HANDLE.search(text) or (prev and text.startswith(prev)) or i > last_plain:
            j.role, j.reason = Role.BOILERPLATE, "bio"
        else:
            j.reason = ""
