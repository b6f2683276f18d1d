"""Claims: attributed assertions (locutions) with speaker, verbatim evidence, stance and links.

A claim is found from attribution language, not from a list of speakers: a reporting verb
("said", "told", "argued", "warned", "vowed", "insisted", "accused", "reported", "tweeting",
"called", "described", "compared", ...) with its subject, "according to X", "X, which stated
...", anonymous sources that "tell" an outlet (the outlet is then the speaker), a bulleted
headline that links to an outlet, and, in commentary, the author's own evaluative sentences.
The stance toward the lawfulness / justification of the action discussed comes from cue
lexicons; SUPPORTS / ATTACKS between claims from shared key terms plus negation or agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.model import Claim, Evidence, Label, Stance, Treatment, content_id, entity_id
from loaders.extract.actors import ActorResult
from loaders.extract.concepts import ConceptMention
from loaders.extract.context import DocContext, PassageView
from loaders.extract.precedents import PrecedentResult
from loaders.extract.prefilter import PatternIndex, Prefiltered, finditer_at

try:
    from loaders.outlets import resolve_outlet as _resolve_outlet
except ImportError:  # pragma: no cover
    _resolve_outlet = None

VERBS = (
    r"said|says|say|saying|told|tells|tell|argued|argues|arguing|warned|warns|warning|vowed|vows|"
    r"insisted|insists|insisting|accused|accuses|blamed|blames|reported|reports|claimed|claims|"
    r"claiming|stated|states|wrote|writes|tweeted|tweets|tweeting|announced|asserted|noted|"
    r"explained|called|calls|described|describes|denied|denies|acknowledged|confirmed|agreed|"
    r"added(?=\s+that|\s*[,:]\s*[\"“])|"
    r"questioned|question|condemned|condemns|compared|urged|declared|defended|maintained|"
    r"contended|suggested|raise\s+concerns|raised\s+concerns|held\s+responsible|"
    r"has\s+described|have\s+compared|stated\s+in\s+a\s+\w+"
)
VERB_RE = re.compile(rf"\b(?P<verb>{VERBS})\b", re.I)
_AUX_BETWEEN = re.compile(
    r"^(?:\s*,\s*[^,]{0,90}?,)?\s*(?:(?:has|have|had|also|later|repeatedly|meanwhile|then|"
    r"government|officials|military|authorities|"
    r"previously|again|publicly|,|which|who|to|and|would|will)\s*)*$",
    re.I,
)
_SKIP_AFTER_VERB = re.compile(
    r"^\s*(?:(?:\"[^\"]{1,40}\"|“[^”]{1,40}”|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*|reporters|him|her|them|"
    r"on\s+\w+|in\s+an?\s+\w+|in\s+a\s+\w+\s+\w+|in\s+brief\s+remarks|that|,)\s*)*",
)
_ANON = re.compile(r"\b(?:sources?|officials?|people|person)\b[^.]{0,60}$", re.I)
_COLLECTIVE = re.compile(
    r"(?:^|[.;:]\s+|\band\s+|,\s+)(?P<np>(?:[A-Z][a-z]+\s+)?(?:security\s+|legal\s+|military\s+|"
    r"intelligence\s+|foreign\s+policy\s+)?(?:experts|analysts|critics|scholars|observers|"
    r"diplomats|lawmakers|legislators|senators|officials|activists|lawyers))\s*$",
    re.I,
)
_IMPERSONAL = re.compile(
    r"\b(?:it\s+(?:has|had)\s+been\s+(?:widely\s+)?(?:reported|claimed|said|argued|suggested))\b",
    re.I,
)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?P<src>[^,.;]{2,80})")
_EVALUATIVE = re.compile(
    r"\b(?:should|must|ought|has\s+yet\s+to|have\s+yet\s+to|failed\s+to|significant|clearly|"
    r"unlawful|illegal|lawful|legal(?:ly)?|dangerous|unprecedented|novel|justif\w+|"
    r"violat\w+|precedent|arguably|plainly|troubling|reckless|questionable)\b",
    re.I,
)

SUPPORT_CUES = re.compile(
    r"\bimminent\b|\bself[- ]defen[cs]e\b|\bdefensive\s+action\b|\bdecisive\b|"
    r"\bto\s+stop\s+a\s+war\b|"
    r"\breign\s+of\s+terror\b|\bshould\s+have\s+been\s+taken\s+out\b|\bjustified\b|\blawful\b(?<!un)|"
    r"\bnecessary\s+act\b|\bactively\s+developing\s+plans\b|\bplotting\b|\bcaught\s+[\"“]?in\s+the\s+act\b|"
    r"\borchestrating\s+an?\s+attacks?\b|\bagreed\b|\bavoid\s+a\s+war\b|\bprevent(?:ed)?\s+(?:a\s+)?war\b|"
    r"\bsaved\s+lives\b|\bprotect\w*\s+(?:American|US|U\.S\.)|\bcompared\s+\w+\s+to\b",
    re.I,
)
ATTACK_CUES = re.compile(
    r"\bdid(?:n['’]t|\s+not)\s+see\b|\bno\s+evidence\b|\bunlawful\b|\billegal\b|\bviolat\w+|"
    r"\bdangerous\b|\bdanger\w*\b|\bcrime\b|\brevenge\b|\bretaliation\b|\bescalat\w+|\bquestion\s+whether\b|"
    r"\bwithout\s+(?:congressional\s+)?(?:approval|authori[sz]ation)\b|\bnot\s+fully\s+considered\b|"
    r"\bcondemn\w*|\bcredibility\s+gap\b|\bworse\s+than\b|\bshied\s+away\b|\bprovocative\b|\bnovel\b|"
    r"\bimperil\w*|\bloosening\s+restraints\b|\bno\s+direct\s+conventional\s+hostilities\b|\bless\s+like\b|"
    r"\brepudiat\w+|\bmurder\b|\bassassination\b|\bheinous\b|\bwar\s+crime\b|\breckless\b|"
    r"\brather\s+than\s+forming\s+part\b|\bframed\s+as\b|\bknowing\s+that\b|\bimported\s+the\s+kind\b|"
    r"\binto\s+the\s+context\s+of\s+inter-state\b|\binto\s+the\s+inter-state\b|\bstep\s+that\b|"
    r"\bdecided\s+against\b|\bwhat\s+is\s+different\b|\bdoesn['’]t\s+inspire\b|\bconcerns?\b",
    re.I,
)
# the same patterns, tried only where one of their words begins
_VERB_RE = Prefiltered(VERB_RE)
_CUES = PatternIndex([("s", SUPPORT_CUES), ("a", ATTACK_CUES)], word_starts=False)
_NEGATION = re.compile(
    r"\b(?:not|no|never|didn['’]t|doesn['’]t|don['’]t|wasn['’]t|isn['’]t|without|denied|disputed|rejected)\b",
    re.I,
)
_AGREE = re.compile(r"\b(?:agreed|agrees|backed|echoed|endorsed|concurred|supported)\b", re.I)
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "and",
    "or",
    "that",
    "this",
    "these",
    "those",
    "he",
    "she",
    "it",
    "they",
    "his",
    "her",
    "its",
    "their",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "has",
    "have",
    "had",
    "with",
    "for",
    "by",
    "from",
    "at",
    "as",
    "but",
    "not",
    "no",
    "said",
    "told",
    "would",
    "could",
    "should",
    "will",
    "may",
    "might",
    "there",
    "which",
    "who",
    "what",
    "when",
    "where",
    "than",
    "then",
    "also",
    "about",
    "into",
    "over",
    "after",
    "before",
    "under",
    "u",
    "s",
    "us",
}


@dataclass(slots=True)
class ClaimResult:
    claims: list[Claim] = field(default_factory=list)
    speakers: dict[str, str] = field(default_factory=dict)
    """claim id -> speaker display name"""
    speaker_labels: dict[str, Label] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    """(SUPPORTS|ATTACKS, source claim id, target claim id)"""
    new_actors: dict[str, tuple[str, str]] = field(default_factory=dict)
    """actor id -> (name, type) of collective speakers created here"""


@dataclass(slots=True)
class _Draft:
    view: PassageView
    start: int  # raw offsets of the evidence span
    end: int
    speaker_id: str | None
    speaker_name: str
    speaker_label: Label
    attributed: bool = True


def _stance(text: str) -> Stance:
    cands = _CUES.candidates(text)
    sup = len(finditer_at(SUPPORT_CUES, text, cands["s"])) if "s" in cands else 0
    att = len(finditer_at(ATTACK_CUES, text, cands["a"])) if "a" in cands else 0
    if att > sup:
        return Stance.ATTACKS
    if sup > att:
        return Stance.SUPPORTS
    return Stance.NEUTRAL


_LOWER_WORD = re.compile(r"[a-z]+")


def _terms(text: str) -> set[str]:
    # w[:6]: a crude stem (embassy / embassies, attack / attacks)
    return {w[:6] for w in _LOWER_WORD.findall(text.lower()) if len(w) >= 4 and w not in _STOP}


class _Speakers:
    """Resolves the words before a reporting verb to an actor, an outlet or a collective."""

    def __init__(self, ctx: DocContext, actors: ActorResult, outlet_names: set[str]) -> None:
        self.ctx = ctx
        self.actors = actors
        self.outlets = outlet_names
        self.last_person: str | None = None
        self.new: dict[str, tuple[str, str]] = {}

    def outlet(self, phrase: str) -> str | None:
        phrase = phrase.strip(' ,."“”')
        if not phrase:
            return None
        if _resolve_outlet is not None:
            try:
                name = _resolve_outlet(phrase, self.outlets, generic=False)
            except Exception:
                name = None
            if name:
                return name
        name = self.ctx.onto.lookup_outlet(phrase)
        if name:
            return name
        if phrase.lower() in {"the times", "times"}:
            return next((o for o in self.outlets if o.lower().endswith("times")), None)
        return None

    def before_verb(
        self, view: PassageView, vstart: int
    ) -> tuple[str | None, str, Label, int] | None:
        """(speaker id, name, label, raw start of the speaker words) for a verb at vstart."""
        text = view.masked
        base = view.start
        mentions = list(self.actors.in_span(base, base + vstart))
        # nearest actor mention with only auxiliaries / an appositive between it and the verb
        for m in reversed(mentions):
            between = text[m.end - base : vstart]
            if _AUX_BETWEEN.match(between) and not re.search(r"[.!?]\s", between):
                actor = self.actors.actors.get(m.actor_id)
                if actor is None:
                    continue
                if re.search(
                    r"\b(?:of|on|against|to|for|with|by|at|in)\s+(?:the\s+)?$",
                    text[: m.start - base],
                ) and not re.search(r"^\s*,", between):
                    # "the killing of Soleimani said ..." is not Soleimani speaking
                    continue
                if actor.type.value == "Person":
                    self.last_person = actor.id
                # "Iran's supreme leader, Ayatollah Ali Khamenei," -> the appositive person
                return actor.id, actor.name, Label.ACTOR, m.start
            break
        head = text[:vstart]
        # an outlet: "NBC News reported", "The Times said"
        om = re.search(
            r"((?:[Tt]he\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})(?:\s*,[^,]{0,90},)?\s*(?:(?:has|had|also|later)\s+)*$",
            head,
        )
        if om:
            name = self.outlet(om.group(1))
            if name:
                return entity_id(Label.OUTLET, name), name, Label.OUTLET, base + om.start(1)
        # pronoun subject: the last person named
        pm = re.search(r"\b(?:[Hh]e|[Ss]he)\s+(?:(?:has|had|also|later|then)\s+)*$", head)
        if pm and self.last_person:
            actor = self.actors.actors[self.last_person]
            return actor.id, actor.name, Label.ACTOR, base + pm.start()
        cm = _COLLECTIVE.search(head)
        if cm:
            np = re.sub(r"\s+", " ", cm.group("np")).strip()
            if re.match(r"(?i)(?:senior\s+|administration\s+)?officials$", np):
                return None
            name = (
                np[0].lower() + np[1:]
                if not re.match(r"[A-Z][a-z]+\s+[a-z]", np)
                or np.split()[0].lower() in {"security", "legal", "military", "intelligence"}
                else np
            )
            aid = entity_id(Label.ACTOR, name)
            self.new[aid] = (name, "Group")
            return aid, name, Label.ACTOR, base + cm.start("np")
        return None


def _content_end(text: str, start: int) -> int:
    """The end of a reported clause: the sentence end, or before the next attribution."""
    end = len(text.rstrip())
    return max(end, start)


def _split_but(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """ "he didn't see evidence ..., but agreed with ..." is two claims by one speaker."""
    m = re.search(
        r",?\s+but\s+(?=(?:also\s+)?(?:agreed|said|insisted|added|acknowledged|conceded|warned|noted)\b)",
        text[s:e],
    )
    if not m:
        return [(s, e)]
    return [(s, s + m.start()), (s + m.end(), e)]


def extract_claims(
    ctx: DocContext,
    actors: ActorResult,
    concepts: list[ConceptMention],
    precedents: PrecedentResult,
    outlet_names: set[str],
) -> ClaimResult:
    """Claims of one document (see the module docstring)."""
    res = ClaimResult()
    speakers = _Speakers(ctx, actors, set(outlet_names))
    drafts: list[_Draft] = []
    author = ctx.doc.meta.author
    author_id = actors.actors.get(entity_id(Label.ACTOR, author)) if author else None
    author_name = author if author else "the author"
    author_sid = author_id.id if author_id else None
    views = [v for v in ctx.views if not (v.caption or v.duplicate)]
    attributed_views = 0
    for view in views:
        text = view.masked
        base = view.start
        found_here = False
        # headline bullets that link to an outlet and contain no attribution of their own
        if view.headline:
            continue
        for vm in _VERB_RE.finditer(text):
            verb = vm.group("verb").lower()
            got = None
            # anonymous sources that "tell CBS News": the outlet speaks
            if verb in {"tell", "tells", "told"} and _ANON.search(text[: vm.start()]):
                om = re.match(
                    r"\s+((?:[Tt]he\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})",
                    text[vm.end() :],
                )
                name = speakers.outlet(om.group(1)) if om else None
                if name:
                    oid = entity_id(Label.OUTLET, name)
                    drafts.append(
                        _Draft(view, base, base + len(text.rstrip()), oid, name, Label.OUTLET)
                    )
                    found_here = True
                    break
            got = speakers.before_verb(view, vm.start())
            if got is None:
                continue
            sid, sname, slabel, sstart = got
            rest = text[vm.end() :]
            skip = _SKIP_AFTER_VERB.match(rest)
            cstart = vm.end() + (
                skip.end()
                if skip
                and verb
                not in {
                    "blamed",
                    "accused",
                    "called",
                    "described",
                    "compared",
                    "condemned",
                    "defended",
                    "held responsible",
                }
                else 0
            )
            cend = _content_end(text, cstart)
            if cend - cstart < 8:
                continue
            # the evidence: from the speaker's words to the end of the reported clause
            s0 = min(sstart - base, vm.start()) if sstart >= base else vm.start()
            if verb in {"tell", "tells", "told"} and slabel == Label.OUTLET and sstart == base:
                s0 = 0
            for a, b in _split_but(text, s0, cend):
                drafts.append(_Draft(view, base + a, base + b, sid, sname, slabel))
            found_here = True
            # prefix in the author's own voice: "And even then, the U.S. operation was
            # repudiated by the U.N. General Assembly, which stated ..."
            prefix = text[:s0]
            if (
                len(prefix.split()) >= 6
                and not re.search(r"[\"“]", prefix)
                and (author or _EVALUATIVE.search(prefix))
            ):
                drafts.append(
                    _Draft(view, base, base + s0, author_sid, author_name, Label.ACTOR, False)
                )
            break
        if not found_here:
            am = _ACCORDING.search(text)
            if am:
                name = speakers.outlet(am.group("src"))
                mentions = actors.in_span(base + am.start("src"), base + am.end("src"))
                if name:
                    drafts.append(
                        _Draft(
                            view,
                            base,
                            base + len(text.rstrip()),
                            entity_id(Label.OUTLET, name),
                            name,
                            Label.OUTLET,
                        )
                    )
                    found_here = True
                elif not mentions and re.fullmatch(
                    r"(?:[A-Z][\w'’-]+\s+){1,4}[A-Z][\w'’-]+", am.group("src").strip()
                ):
                    # "according to Amnesty International": an organisation nobody listed
                    src = am.group("src").strip()
                    aid = entity_id(Label.ACTOR, src)
                    speakers.new[aid] = (src, "Organisation")
                    drafts.append(
                        _Draft(view, base, base + len(text.rstrip()), aid, src, Label.ACTOR)
                    )
                    found_here = True
                elif mentions:
                    actor = actors.actors[mentions[0].actor_id]
                    drafts.append(
                        _Draft(
                            view, base, base + len(text.rstrip()), actor.id, actor.name, Label.ACTOR
                        )
                    )
                    found_here = True
        if not found_here:
            link = _trailing_link(ctx, view)
            if link:
                name = speakers.outlet(link)
                if name:
                    drafts.append(
                        _Draft(
                            view,
                            base,
                            base + len(text.rstrip(" *.")),
                            entity_id(Label.OUTLET, name),
                            name,
                            Label.OUTLET,
                        )
                    )
                    found_here = True
        if found_here:
            attributed_views += 1
        else:
            drafts.append(
                _Draft(
                    view,
                    base,
                    base + len(text.rstrip()),
                    author_sid,
                    author_name,
                    Label.ACTOR,
                    False,
                )
            )
    essay = bool(author) and attributed_views <= 0.35 * max(1, len(views))
    final: list[_Draft] = []
    for d in drafts:
        if not d.attributed:
            words = ctx.raw[d.start : d.end]
            if len(words.split()) < 5 or words.rstrip().endswith("?"):
                continue
            if not essay and not (_EVALUATIVE.search(words) or _IMPERSONAL.search(words)):
                continue
        final.append(d)
    # build claims
    seen: set[str] = set()
    for d in final:
        s, e = _trim(ctx.raw, d.start, d.end)
        if e - s < 8:
            continue
        cid = content_id("claim", ctx.doc.meta.id, s, e)
        if cid in seen:
            continue
        seen.add(cid)
        quote = ctx.raw[s:e]
        c_ids = sorted(
            {
                m.concept_id
                for m in concepts
                if (m.start >= s and m.end <= e) or (m.passage_id == d.view.id and s <= m.start < e)
            }
        )
        p_ids = []
        for m in precedents.mentions:
            if m.passage_id == d.view.id and m.start < e and s < m.end:
                t = precedents.treatments.get(m.precedent_id, Treatment.MENTIONS)
                if (m.precedent_id, t) not in p_ids:
                    p_ids.append((m.precedent_id, t))
        about = sorted({m.actor_id for m in actors.in_span(s, e) if m.actor_id != d.speaker_id})
        claim = Claim(
            id=cid,
            doc_id=ctx.doc.meta.id,
            text=re.sub(r"\s+", " ", quote).strip(),
            speaker_id=d.speaker_id,
            stance=_stance(ctx.raw[s:e]),
            evidence=Evidence(
                passage_id=d.view.id,
                quote=quote,
                start=s,
                end=e,
                prefix=ctx.raw[max(0, s - 32) : s],
                suffix=ctx.raw[e : e + 32],
            ),
            modality="asserted" if d.attributed else "authorial",
            concept_ids=c_ids,
            precedent_ids=p_ids,
            about_ids=about,
        )
        res.claims.append(claim)
        res.speakers[cid] = d.speaker_name
        res.speaker_labels[cid] = d.speaker_label
    res.relations = _argument_relations(res, actors)
    res.new_actors = speakers.new
    return res


def _trim(raw: str, s: int, e: int) -> tuple[int, int]:
    while s < e and raw[s] in " \t\n,;:—–-*":
        s += 1
    while e > s and raw[e - 1] in " \t\n,;:—–-*":
        e -= 1
    return s, e


def _trailing_link(ctx: DocContext, view: PassageView) -> str | None:
    """The text of a link right after a passage: a bullet's "([Politico](...))" source."""
    end = view.passage.end
    for link in ctx.doc.links:
        if end <= link.start <= end + 12:
            return link.text
    return None


def _argument_relations(res: ClaimResult, actors: ActorResult) -> list[tuple[str, str, str]]:
    """SUPPORTS / ATTACKS between claims by different speakers that share key terms.

    A claim that negates ("didn't see evidence that ...") what another asserts attacks it; one
    that agrees ("agreed with the president's belief") supports it. An inverted index on terms
    keeps this linear in practice.
    """
    out: list[tuple[str, str, str]] = []
    terms = {c.id: _terms(c.text) for c in res.claims}
    index: dict[str, list[int]] = {}
    for i, c in enumerate(res.claims):
        for t in terms[c.id]:
            index.setdefault(t, []).append(i)
    negated = [bool(_NEGATION.search(c.text)) for c in res.claims]
    for i, c in enumerate(res.claims):
        neg = negated[i]
        agree = bool(_AGREE.search(c.text))
        if not (neg or agree):
            continue
        cands: dict[int, int] = {}
        for t in sorted(terms[c.id]):  # sorted: ties must not depend on string hashing
            for j in index.get(t, []):
                if j != i:
                    cands[j] = cands.get(j, 0) + 1
        best = None
        for j, shared in sorted(cands.items(), key=lambda kv: -kv[1]):
            other = res.claims[j]
            if other.speaker_id == c.speaker_id or shared < 2:
                continue
            if neg and negated[j] and not agree:
                continue
            best = other
            break
        if best is None and agree and actors.president_id:
            best = next(
                (o for o in res.claims[:i] if o.speaker_id == actors.president_id and o.id != c.id),
                None,
            )
        if best is not None:
            kind = "ATTACKS" if neg and not agree else "SUPPORTS"
            out.append((kind, c.id, best.id))
    return out
