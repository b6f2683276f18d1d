"""Attribution: who asserts what each sentence says.

The patterns of news English, with their words from ``seeds/ontology/attribution.yaml``:
quote then speaker (``"…," X said`` / ``"…," said X``), speaker then quote or indirect speech
(``X said (that) …``, ``X, who …, said``, ``X told Y that …``, ``X: "…"``), ``according to X``,
a participle after the speaker's clause (``X rejected …, saying …``), several speakers at once
(``X and Y said``: one claim each), a quotation that spans sentences (every sentence of it is
the speaker's), and anonymous sources that tell an outlet (the outlet speaks). A sentence with
no attribution is the document's own voice: the author named in the byline, else "the author".

Speakers resolve through the actor stage's mentions; pronouns ("he said") to the last person
named, collective noun phrases ("three GOP senators", "most experts") to a group speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from kb.model import Label, entity_id
from loaders.extract.actors import ActorMention, ActorResult
from loaders.extract.context import DocContext, PassageView
from loaders.extract.lexicons import AttributionLexicon, attribution_lexicon, stance_lexicon

try:
    from loaders.outlets import resolve_outlet as _resolve_outlet
except ImportError:  # pragma: no cover
    _resolve_outlet = None

# What may stand between a speaker's name and the reporting verb: auxiliaries, adverbs and an
# appositive or relative clause set off by commas ("Esper, who spoke at the Pentagon, said").
_BETWEEN = re.compile(
    r"^(?:\s*,(?:[^,\"“”]{1,150}?,){1,2}|\s+who\s+[^,\"“”]{1,120},)?\s*(?:(?:has|have|had|also|later|repeatedly|meanwhile|"
    r"then|again|publicly|previously|would|will|could|may|might|did|does|do|quickly|"
    r"immediately|reportedly|further|flatly|first|already|once|often|privately|openly|"
    r"explicitly|strongly|sharply|recently|in\s+turn|at\s+the\s+time|too|both|,|more|most|"
    r"less|earlier|long|now|still|always|never|[a-z]+ly|"
    r"of\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)?|\([^()]{1,24}\))\s*)*$",
    re.I,
)
_OBJECT_OF = re.compile(r"\b(?:of|on|against|to|for|with|by|at|in|from|about)\s+(?:the\s+)?$")
_QUOTE_CLOSE_BEFORE = re.compile(r"[”\"’'][\s,]*$|[”\"’'][.!?]?[\s,]*$")
_QUOTED_SPEAKER = re.compile(r"[,.!?—–-]\s*[”\"’]\s+(?:[^\s\"“”]+\s+){0,8}$")
_TITLE_WORDS = re.compile(
    r"^\s*(?:(?:the|former|then|then-|top|senior|outgoing|incoming|acting|retired)\s+|"
    r"[A-Z][\w.'’-]*\s+){0,5}$",
)
_SURNAME = re.compile(r"(?:^|(?<=[\s,;:“\"]))(?P<n>[A-Z][\w'’-]+)\s+" + r"{aux}$")
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,3})\s*(?:\([A-Za-z .&]{1,30}\))?"
    r"\s*[—–]+\s*|^\s*[A-Z]{2,}(?:[ ,]+[A-Z]{2,})*\s*(?:\([A-Za-z .&]{1,30}\))?\s*[-—–]+\s*"
)
_ANON = re.compile(r"\b(?:sources?|people|person)\b[^.]{0,60}$", re.I)
_OUTLET_NP = re.compile(
    r"((?:[Tt]he\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})(?:\s*,[^,]{0,90},)?"
    r"\s*(?:(?:has|had|also|later)\s+)*$"
)
_AUX = (
    r"(?:(?:has|have|had|also|later|then|again|would|will|did|more|most|earlier|to|long|now|"
    r"still|always|never|[a-z]+ly)"
    r"\s+)*"
)
_TRAILING_AUX = re.compile(r"\s+" + _AUX.replace(")*", ")+") + r"$|\s+$")
_SURNAME = re.compile(_SURNAME.pattern.replace("{aux}", _AUX))
_PRONOUN = re.compile(r"(?:^|(?<=[\s,;:“\"]))(?P<p>[Hh]e|[Ss]he|[Tt]hey)\s+" + _AUX + "$")
_PRESIDENT = re.compile(r"\b[Tt]he\s+[Pp]resident(?:\s*,[^,“”\"]{1,150},)?\s+" + _AUX + "$")
_PAIR = re.compile(
    r"(?:^|(?<=[\s,;:“\"]))[Tt]he\s+(?:pair|two|duo|two\s+men|two\s+women)\s+" + _AUX + "$"
)
_SIGNATURE = re.compile(
    r"(?:^\s*|[—–-]\s*)(?P<who>[^—–()\n]{2,60}?)\s*\(@\w{1,30}\)\s*"
    r"(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?\s*$"
)
_SIGNATURE_IN_TEXT = re.compile(
    r"(?:^|[—–-]\s*)(?P<who>[A-Z][^—–()\n]{1,59}?)\s*\(@\w{1,30}\)\s*"
    r"(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?",
    re.M,
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_PRONOUN_AND = re.compile(
    r"(?:^|(?<=[\s,;:“\"]))(?:[Hh]e|[Ss]he)\s+and\s+(?:[A-Z][\w.'’-]*\s+){0,3}$"
)
"""'He and Sen. X said': the person 'he' stands for speaks too (a title may precede X)."""
_BASE_FORM_VERBS = {"say", "tell", "write", "argue", "warn", "insist"}
_PLURAL_OR_MODAL = re.compile(
    r"\b(?:they|we|officials|experts|\w+s|will|would|to)\s+(?:(?:now|still|long|also|[a-z]+ly)\s+)?$",
    re.I,
)
_NAME = (
    r"(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?(?:\s+(?:de|van|von|al|bin|el|da|di)\b)?"
    r"\s+[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?)"
)
_NAME_BEFORE = re.compile(_NAME + r"(?:\s*,(?:[^,\"“”]{1,150}?,){1,2})?\s+" + _AUX + "$")
_NAME_AFTER = re.compile(
    r"^\s*(?:(?:[A-Z][\w.'’-]*|\d{4}|[a-z][\w'’-]*)\s+){0,6}?"
    + _NAME
    + r"(?=\s*(?:[,.;:!?]|$|\s+(?:in|on|at|during|after|said|told|wrote|added)\b))"
)
_LOCATIVE = re.compile(
    r"\s+(?:based\s+)?(?:in|at|from|with|for)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*|region|area|"
    r"country|capital)(?:\s+[A-Z][\w.'’-]*)*\s*$"
)
_COMMA_BEFORE = re.compile(r",\s*$")
_NAME_TO_END = re.compile(r"^\s+(?:[A-Z][\w.'’-]*\s+){0,6}[A-Z][\w.'’-]*\s*[.!?]?\s*$")
"""After an inverted verb, nothing but a capitalised title and name to the sentence's end."""
_RELATIVE = re.compile(r",?\s+(?:who|which|that)\s+[^,\"“”]{1,120},?\s*$")
_CONSEQUENCE = re.compile(
    r",\s*(?:prompting|leading|causing|forcing|drawing|sparking|spurring)\s+(?:[\w.'’-]+\s+){1,6}$"
)
_NAME_AND = re.compile(_NAME + r"\s*(?:,|,?\s+and)\s+$")
# Claims a sentence reports inside its own words: "as X has claimed", "X's claim that",
# "what X call"; the position given is where X's words end.
_EMBEDDED = [
    re.compile(
        r"\bas\s+(?:[\w.'’-]+\s+){1,6}?(?P<at>)(?:has\s+|have\s+|had\s+)?(?:[a-z]+ly\s+)?"
        r"(?:claimed|said|argued|charged|charge|contended|insisted|put\s+it|are\s+framing)"
    ),
    re.compile(
        r"(?P<at>)['’]s?\s+(?:claims?|assertions?|arguments?|contention|justifications?|"
        r"insistence|allegations?)\s+that\b(?P<claim>)"
    ),
    re.compile(r"\bwhat\s+(?:[\w.'’-]+\s+){1,5}?(?P<at>)(?:call|calls|called)\b(?P<claim>)"),
    # "the evidence it says showed ...": a reduced relative clause of saying
    re.compile(
        r"\b[a-z]{3,}\s+it\s+(?P<at>)(?:says|said|claims|claimed)\s+(?P<claim>)(?!that\b)[a-z]+"
    ),
]
_CLAUSE_EDGE = re.compile(r"[,;:(]|\s[—–]|—")
_CLAUSE_CLOSE = re.compile(r"[;:.!?)]|\s[—–]\s|—")


def _embedded_content(text: str, m: re.Match[str]) -> tuple[int, int]:
    """What an embedded claim holds: the clause its noun of saying or its verb introduces ("the
    X's claims that P", "what X call P", "the report it says proves P"), up to where the
    clause or a rejection of it begins ("... that P failed to meet the standard": the failure is
    the sentence's speaker's verdict, not the X's claim); or, for "as X has claimed", the
    phrase before it, back to the last clause boundary."""
    lex = stance_lexicon()
    if "claim" in m.re.groupindex:
        start = m.start("claim")
        close = _CLAUSE_CLOSE.search(text, start)
        end = close.start() if close else len(text)
        rejected = lex.rejecting.search(text, start, end)
        return start, rejected.start() if rejected else end
    head = text[: m.start()].rstrip(" ,;—–(\"”’'")
    edges = [e.end() for e in _CLAUSE_EDGE.finditer(head)]
    start = edges[-1] if edges else 0
    # "a state invoking self-defense — as X has argued —": what X claimed is the object
    said = attribution_lexicon().verbs(head[start:])
    if said:
        start += said[-1].end()
    return start, len(head)
_OPENING_PRONOUN = re.compile(
    r"^\W*(?:(?:[A-Z][\w'’-]*|[a-z]+)(?:\s+[\w'’-]+){0,4},\s+)?(?P<p>[Hh]e|[Ss]he|[Tt]hey)\s+[a-z]"
)
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:[a-z]+ly\s+|not\s+)?$")
_BY_AGENT = re.compile(
    r"(?:\s+(?:as|for)\s+[^,;:—–()“”\".]{1,60}?)?\s+by\s+"
    r"(?P<np>[^,;:—–()“”\".]{2,80}?)(?=\s+(?:as|for|in|on|at|after|over|who|which|that)\b|"
    r"\s*[,;:—–().“”\"]|\s*$)"
)
_OPENING_SUBJECT = re.compile(
    r"\s*(?:[^,;:“”\"]{1,80},\s+)?(?:[Tt]he\s+)?(?:[A-Z][\w.'’-]*\s+){0,4}"
)
"""What may precede the subject a sentence opens with: an introductory phrase, a title."""
_INFINITIVE = re.compile(r"\b(?:[a-z]+ed|went\s+on|took\s+to\s+\w+)\s+to\s+$")
_SUBORDINATOR = re.compile(
    r"(?:^|(?<=[\s,;—–]))(?:[Ww]hen|[Aa]fter|[Bb]efore|[Bb]ecause|[Aa]lthough|[Tt]hough|"
    r"[Ww]hile|[Uu]ntil|[Oo]nce)\s+"
)
_CLAUSE_SUBJECT_LEAD = re.compile(
    r",\s*(?:(?:as|while|when|after|because|since|though|although|and|but)\s+)?"
    r"(?:[A-Z][\w.'’-]*\s+){0,3}$"
)
"""What stands before a clause's subject after a comma: 'the talks stalled, as Jane Roe ...'."""
_COORDINATION = re.compile(
    r"\s*(?:,|,?\s+and)\s+(?:(?:some|many|several|most|other|a\s+few|few|fellow)\s+)?"
)
"""Between two speakers named together: 'X and Y', 'X, Y', 'Democrats and some Republicans'."""
_TITLE_GAP = re.compile(r"\s+(?:[A-Z][\w.'’-]*\s+){0,3}")
_TITLE_THEN_NAME = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,3}?" + _NAME + r"(?=\s*(?:[,.;:!?]|$))"
)
_QUANTIFIER_SUBJECT = re.compile(
    r"(?:^|(?<=[\s,;:“\"]))(?:[Mm]any|[Ss]ome|[Mm]ost|[Ss]everal|[Oo]thers|[Aa]\s+few)"
    r"(?:\s+of\s+them)?\s+" + _AUX + "$"
)
"""A quantifier standing for the group last named: 'many have said', 'some of them argued'."""
_SECOND_CONJUNCT = re.compile(
    r"(?:,\s+(?:and|but|yet|while)|;)\s+(?:[\w.'’-]+\s+){1,8}?" + _AUX + "$"
)
"""A reporting verb's clause that follows another one ('..., and officials said')."""
_DETERMINER_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Tt]hose|[Tt]hese|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|[Mm]y|[Ss]uch|[Aa]n?|"
    r"[Tt]his|[Ee]very|[Nn]o)\s+$"
)
_INTERJECTED = re.compile(r",\s*(?:[\w.'’-]+\s+){1,5}?" + _AUX + "$")
_WORD_AT = re.compile(r"[\w'’-]+")
_IT_SPEAKS = re.compile(r"(?:^|(?<=[\s,;:]))[Ii]t\s+" + _AUX + "$")
"""'it says', 'it has claimed': an institution speaking (never a person)."""
_CONDITIONAL = re.compile(r"(?:^|[,;:—–(]\s*)(?:[Ii]f|[Uu]nless)\s+[^,;:—–()“”\"]*$")
_ASIDE_DASH = re.compile(r"\s(?:—|–|--)\s|—")
_RELATIVE_PRONOUN = re.compile(r",\s*(?:which|who|whom)\s+")
_AUX_ONLY = re.compile(_AUX)
_GOVERNMENT = re.compile(r"^\s+(?:government|authorities|leadership)(?=\s)")
_LONGEST_QUOTE = 6
"""Sentences one quotation may span; beyond that the marks are unbalanced, not a long quote."""
_OPEN = "“"
_CLOSE = "”"


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str | None
    """Actor or outlet id; None for the document's own voice when no author is named."""
    name: str
    label: Label = Label.ACTOR
    new_kind: str | None = None
    """"Group" / "Organisation" when the attribution stage made this speaker up."""


@dataclass(slots=True)
class Attribution:
    view: PassageView
    speakers: list[Speaker]
    start: int
    end: int
    """Raw offsets of the evidence: the sentence without dateline or markup at its edges."""
    attributed: bool
    own: bool = True
    """False when the speaker was inherited (a quotation spanning sentences)."""
    content: dict[Speaker, tuple[int, int]] = field(default_factory=dict)
    """Raw offsets of the words a speaker's claim consists of, where the sentence reports it
    inside its own ("the X's claims that ...", "as X has argued"): those words are the
    speaker's, the rest of the sentence is whoever speaks the sentence."""


@dataclass(slots=True)
class _State:
    last_person: str | None = None
    last_unnamed: Speaker | None = None
    """The last speaker introduced by description ("a NATO military attaché"): "the official"."""
    last_institution: Speaker | None = None
    """The last organisation or state named as a speaker: who "it said" is."""
    last_plural: list[Speaker] = field(default_factory=list)
    """The last speakers named together ("Milley and Esper", "Democrats"): who "they" are."""
    new: dict[str, tuple[str, str]] = field(default_factory=dict)


def _evidence_bounds(text: str) -> tuple[int, int]:
    start = 0
    m = _DATELINE.match(text)
    if m and m.end() < len(text) // 2:
        start = m.end()
    end = len(text.rstrip())
    while start < end and text[start] in " \t\n*#>-•":
        start += 1
    while end > start and text[end - 1] in " \t\n*":
        end -= 1
    return start, end


_QUOTE_MARK = re.compile(r"[“”\"]")


def quoted_spans(text: str, starts_quoted: bool = False) -> list[tuple[int, int]]:
    """Offsets of the quoted stretches of a sentence (curly or straight double quotes).

    Double quotation marks do not nest in English (a quotation inside one takes single marks):
    an opening mark while a quotation is open is a closing one typed wrong ('a “lasting
    peace “in the region')."""
    spans: list[tuple[int, int]] = []
    start = 0 if starts_quoted else -1
    for m in _QUOTE_MARK.finditer(text):
        ch, i = m.group(), m.start()
        opening = start < 0 and ch in (_OPEN, '"')
        closing = start >= 0 and ch in (_CLOSE, _OPEN, '"')
        if opening and start < 0:
            start = i
        elif closing and start >= 0:
            spans.append((start, i + 1))
            start = -1
    if start >= 0:
        spans.append((start, len(text)))
    return spans


class Attributor:
    """Resolves the speaker of each sentence of one document (see the module docstring)."""

    def __init__(self, ctx: DocContext, actors: ActorResult, outlet_names: set[str]) -> None:
        self.ctx = ctx
        self.actors = actors
        self.outlets = set(outlet_names)
        self.lex: AttributionLexicon = attribution_lexicon()
        self.state = _State()
        author = ctx.doc.meta.author
        actor = actors.actors.get(entity_id(Label.ACTOR, author)) if author else None
        self.voice = Speaker(actor.id if actor else None, author or "the author")

    # --- speaker look-ups ---------------------------------------------------------------

    def outlet(self, phrase: str) -> Speaker | None:
        phrase = phrase.strip(' ,."“”')
        if not phrase:
            return None
        name = None
        if _resolve_outlet is not None:
            try:
                name = _resolve_outlet(phrase, self.outlets, generic=False)
            except Exception:
                name = None
        name = name or self.ctx.onto.lookup_outlet(phrase)
        if not name:
            return None
        return Speaker(entity_id(Label.OUTLET, name), name, Label.OUTLET)

    def _actor(self, m: ActorMention) -> Speaker | None:
        actor = self.actors.actors.get(m.actor_id)
        if actor is None:
            return None
        if actor.type.value == "Person":
            self.state.last_person = actor.id
        elif actor.type.value in {"Organisation", "State"}:
            self.state.last_institution = Speaker(actor.id, actor.name)
        return Speaker(actor.id, actor.name)

    def _group(self, np: str) -> Speaker:
        np = re.sub(r"\s+", " ", np).strip()
        name = re.sub(r"^(?:[Tt]he)\s+", "", np)
        if (
            name[:1].isupper()
            and len(name.split()) > 1
            and name.split()[0].lower()
            in {
                "some",
                "many",
                "several",
                "most",
                "other",
                "top",
                "senior",
                "former",
                "leading",
            }
        ):
            name = name[0].lower() + name[1:]
        return self._known_or_new(name, "Group")

    def _known_or_new(self, name: str, kind: str) -> Speaker:
        """The actor of that name if the actor stage has it, else a new speaker of `kind`."""
        aid = entity_id(Label.ACTOR, name)
        known = self.actors.actors.get(aid)
        if known is not None:
            return Speaker(known.id, known.name)
        self.state.new.setdefault(aid, (name, kind))
        return Speaker(aid, name, Label.ACTOR, kind)

    def _coordinated(self, view: PassageView, m: ActorMention) -> list[Speaker]:
        """Other speakers joined to the one at ``m`` by "and" or commas ("X and Y said")."""
        out: list[Speaker] = []
        base = view.start
        text = view.masked
        before = self.actors.in_span(base, m.start)
        cursor = m.start
        for other in reversed(before):
            gap = text[other.end - base : cursor - base]
            if not _COORDINATION.fullmatch(gap):
                break
            sp = self._actor(other)
            if sp and sp.id not in {s.id for s in out}:
                out.append(sp)
            cursor = other.start
        return out

    def subject(self, view: PassageView, vstart: int) -> list[Speaker]:
        """The speakers named just before a reporting verb at ``vstart`` (masked offsets)."""
        text = view.masked
        base = view.start
        head = text[:vstart]
        spans = quoted_spans(head)
        clause_start = max(head.rfind(_CLOSE) + 1, spans[-1][1] if spans else 0)
        mentions = self.actors.in_span(base + clause_start, base + vstart)
        for m in list(reversed(mentions))[:4]:  # the nearest first; one inside an appositive
            between = text[m.end - base : vstart]
            actor = self.actors.actors.get(m.actor_id)
            if actor is not None and actor.type.value == "State":
                # "the US government held ...": the state speaks through its government
                between = _GOVERNMENT.sub("", between, count=1)
            if not _BETWEEN.match(between):
                continue
            if _OBJECT_OF.search(text[: m.start - base]) and not between.lstrip().startswith(","):
                break  # "the killing of Soleimani, said ..." is not Soleimani speaking
            before = self.state.last_person  # who "he" was before this sentence named anyone
            sp = self._actor(m)
            if sp is None:
                break
            joined = list(reversed(self._coordinated(view, m)))
            first = joined[0] if joined else None
            lead = text[: (self._mention_start(view, first) if first else m.start - base)]
            if _PRONOUN_AND.search(lead) and before:
                actor = self.actors.actors.get(before)
                if actor and actor.id != sp.id:
                    joined.insert(0, Speaker(actor.id, actor.name))
            found = [*joined, sp]
            speaker_actor = self.actors.actors.get(sp.id) if sp.id else None
            if len(found) > 1 or (
                speaker_actor is not None
                and speaker_actor.type.value == "Group"
                and sp.name.endswith("s")
            ):
                self.state.last_plural = found  # who "they" and "many of them" are next
            return found
        qm = _QUANTIFIER_SUBJECT.search(head)
        if qm:
            # "Democrats objected. But many have said", "if the critics ..., as many of them
            # charge": the group named last, in this sentence first
            for m in reversed(self.actors.in_span(base, base + qm.start())):
                actor = self.actors.actors.get(m.actor_id)
                if actor is not None and actor.type.value == "Group" and actor.name.endswith("s"):
                    return [Speaker(actor.id, actor.name)]
            groups = [
                sp for sp in self.state.last_plural
                if (a := self.actors.actors.get(sp.id or "")) is None or a.type.value == "Group"
            ]
            if groups and len(groups) == len(self.state.last_plural):
                return groups
        om = _OUTLET_NP.search(head)
        if om:
            sp = self.outlet(om.group(1))
            if sp:
                return [sp]
        nm = _NAME_BEFORE.search(head)
        if nm:
            person = self._new_person(nm.group("name"))
            if person:
                found = [person]
                other = _NAME_AND.search(head[: nm.start("name")])
                if other:
                    first = self._new_person(other.group("name"))
                    if first:
                        found.insert(0, first)
                        self.state.last_plural = found
                return found
        sm = _SURNAME.search(head)
        if sm:
            person = self._by_surname(sm.group("n"))
            if person:
                return [person]
        if _PRESIDENT.search(head) and self.actors.president_id:
            actor = self.actors.actors.get(self.actors.president_id)
            if actor:
                return [Speaker(actor.id, actor.name)]
        if _PAIR.search(head) and self.state.last_plural:
            return list(self.state.last_plural)
        im = _IT_SPEAKS.search(head)
        if im:
            # "the ministry ... the figures it says show": an institution named before speaks
            for m in reversed(self.actors.in_span(base + clause_start, base + im.start())):
                actor = self.actors.actors.get(m.actor_id)
                if actor is not None and actor.type.value in {"Organisation", "State"}:
                    return [Speaker(actor.id, actor.name)]
            return [self.state.last_institution] if self.state.last_institution else []
        pm = _PRONOUN.search(head)
        if pm:
            word = pm.group("p").lower()
            if word in self.lex.person_pronouns:
                # "Trump was right when he said": an antecedent in the same sentence first
                for m in reversed(self.actors.in_span(base + clause_start, base + pm.start())):
                    actor = self.actors.actors.get(m.actor_id)
                    if actor is not None and actor.type.value == "Person":
                        self.state.last_person = actor.id
                        return [Speaker(actor.id, actor.name)]
            if word in self.lex.person_pronouns and self.state.last_person:
                name = dict(self._people()).get(self.state.last_person)
                if name:
                    return [Speaker(self.state.last_person, name)]
            if word in self.lex.person_pronouns:
                salient = self._salient_person()
                if salient:
                    return [salient]
            if word in self.lex.group_pronouns and self.state.last_plural:
                return list(self.state.last_plural)
            return []
        bare = _TRAILING_AUX.sub("", _RELATIVE.sub("", head[clause_start:]))
        bare = _LOCATIVE.sub("", bare)
        definite = re.search(r"(?:^|\s)[Tt]he\s+(?P<head>\w+)\s*$", bare)
        if (
            definite
            and self.state.last_unnamed
            and definite.group("head").lower() in (self.lex.singular)
        ):
            return [self.state.last_unnamed]  # "the official added": the one introduced before
        cm = self.lex.collective.search(bare)
        if cm:
            np = cm.group("np")
            if re.fullmatch(r"(?i)(?:the\s+)?sources?", np.strip()):
                return []
            found = [self._group(np)]
            last_word = np.split()[-1].lower()
            if last_word in self.lex.singular and re.match(r"(?i)(?:an?|one|another)\s", np):
                self.state.last_unnamed = found[0]
            before = bare[: cm.start("np")]
            if re.search(r"\band\s*$", before):
                before = re.sub(r"\s*\band\s*$", "", before)
                other = self.lex.collective.search(before)
                named = self.actors.in_span(base + clause_start, base + clause_start + len(before))
                if other:
                    found.insert(0, self._group(other.group("np")))
                elif named and not before[named[-1].end - base - clause_start :].strip():
                    sp = self._actor(named[-1])
                    if sp:
                        found.insert(0, sp)
            if len(found) > 1 or last_word not in self.lex.singular:
                self.state.last_plural = found
            return found
        return []

    def _named_person(self, name: str) -> Speaker | None:
        """A signature's name ("— Jane Doe (@handle)") that the actor stage did not see."""
        name = " ".join(name.split())
        if not re.fullmatch(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}", name):
            return None
        return self._known_or_new(name, "Person")

    def _salient_person(self) -> Speaker | None:
        """With no antecedent yet, "he" is the person the document names most often."""
        people = [
            (self.actors.counts.get(a.id, 0), a.id, a.name)
            for a in self.actors.actors.values()
            if a.type.value == "Person"
        ]
        if not people:
            return None
        count, aid, name = max(people)
        return Speaker(aid, name) if count > 0 else None

    def _new_person(self, name: str) -> Speaker | None:
        """A person the actor stage missed, named as the subject of a reporting verb.

        The verb is the evidence that the capitalised pair is a person; a word of an
        institution, a place or a title (``not_person_words``) says it is not.
        """
        words = name.replace(".", " ").split()
        if any(w in self.lex.not_person_words for w in words) or self.outlet(name):
            return None
        aid = entity_id(Label.ACTOR, name)
        known = self.actors.actors.get(aid)
        if known is not None:
            return Speaker(known.id, known.name)
        if self._by_surname(words[-1]) is not None and aid not in self.state.new:
            return None  # a surname of someone already named: that person, not a new one
        self.state.new[aid] = (name, "Person")
        self.state.last_person = aid
        return Speaker(aid, name, Label.ACTOR, "Person")

    def _people(self) -> list[tuple[str, str]]:
        """(id, name) of every person known so far: the actor stage's and those found here."""
        known = [(a.id, a.name) for a in self.actors.actors.values() if a.type.value == "Person"]
        return known + [(i, n) for i, (n, k) in self.state.new.items() if k == "Person"]

    def _by_surname(self, word: str) -> Speaker | None:
        """A person already named, referred to by surname alone ("Haley said")."""
        forms: dict[str, set[str]] = {}
        for a in self.actors.actors.values():
            if a.type.value == "Person":
                forms[a.id] = {a.name, *a.aliases}
        names = dict(self._people())
        hits = set()
        for aid, name in names.items():
            for form in forms.get(aid, {name}):
                last = form.split()[-1].strip(".,") if len(form.split()) > 1 else ""
                if word in {last, last.rsplit("-", 1)[-1]}:
                    hits.add((aid, name))
        if len(hits) != 1:
            return None
        aid, name = hits.pop()
        self.state.last_person = aid
        return Speaker(aid, name)

    def _mention_start(self, view: PassageView, speaker: Speaker) -> int:
        for m in self.actors.in_span(view.start, view.start + len(view.masked)):
            if m.actor_id == speaker.id:
                return m.start - view.start
        return 0

    def sentence_subject(self, view: PassageView, vstart: int) -> list[Speaker]:
        """For a participle ("…, saying") or an infinitive ("… and returned to tell"): the actor
        the sentence opens with, after an introductory phrase, as its subject."""
        text = view.masked
        lead = len(text) - len(text.lstrip())
        for m in self.actors.in_span(view.start, view.start + vstart):
            offset = m.start - view.start
            if offset - lead <= 4 or _OPENING_SUBJECT.fullmatch(text[lead:offset]):
                sp = self._actor(m)
                return [sp] if sp else []
            break
        if re.match(r"\s*[Tt]he\s+[Pp]resident\b", text) and self.actors.president_id:
            actor = self.actors.actors.get(self.actors.president_id)
            if actor:
                return [Speaker(actor.id, actor.name)]
        # "In doing so, they imported ..., claiming": the pronoun subject of the main clause
        pm = _OPENING_PRONOUN.match(text)
        if pm:
            word = pm.group("p").lower()
            if word in self.lex.group_pronouns and self.state.last_plural:
                return list(self.state.last_plural)
            if word in self.lex.person_pronouns and self.state.last_person:
                name = dict(self._people()).get(self.state.last_person)
                if name:
                    return [Speaker(self.state.last_person, name)]
            if word in self.lex.person_pronouns:
                salient = self._salient_person()
                if salient:
                    return [salient]
        return []

    def agent(self, view: PassageView, vend: int) -> list[Speaker]:
        """The agent of a passive reporting verb: "the remark was denounced as cruel by rights
        groups", "was described by the ministry as": whoever the by-phrase names."""
        text = view.masked
        m = _BY_AGENT.match(text, vend)
        if m is None:
            return []
        np = m.group("np").strip()
        start, end = view.start + m.start("np"), view.start + m.start("np") + len(np)
        mentions = self.actors.in_span(start, end)
        if mentions and not text[mentions[0].start - view.start : m.start("np")].strip():
            sp = self._actor(mentions[0])
            return [sp] if sp else []
        outlet = self.outlet(np)
        if outlet:
            return [outlet]
        cm = self.lex.collective.search(np)
        if cm and cm.start("np") == 0:
            return [self._group(cm.group("np"))]
        return []

    def _titled_person(
        self, view: PassageView, at: int, later: list[ActorMention]
    ) -> Speaker | None:
        """The person named after an institution and a title at ``at``, when only capitalised
        title words stand between them and a name closes the phrase."""
        text = view.masked
        for m in later:
            actor = self.actors.actors.get(m.actor_id)
            gap = text[at : m.start - view.start]
            if actor is not None and actor.type.value == "Person" and _TITLE_GAP.fullmatch(gap):
                return self._actor(m)
            break
        nm = _TITLE_THEN_NAME.match(text, at)
        return self._new_person(nm.group("name")) if nm else None

    def after(self, view: PassageView, vend: int) -> list[Speaker]:
        """An inverted speaker right after the verb: ``"…," said Defense Secretary Mark Esper``."""
        base = view.start
        text = view.masked
        mentions = self.actors.in_span(base + vend, base + min(len(text), vend + 120))
        for i, m in enumerate(mentions):
            if _TITLE_WORDS.match(text[vend : m.start - base]):
                actor = self.actors.actors.get(m.actor_id)
                if actor is not None and actor.type.value != "Person":
                    # "said former Party Committee Chairwoman Jane Roe": the body names her
                    # title, and she speaks
                    person = self._titled_person(view, m.end - base, mentions[i + 1 :])
                    if person:
                        return [person]
                sp = self._actor(m)
                return [sp] if sp else []
            break
        nm = _NAME_AFTER.match(text[vend : vend + 120])
        sp = self._new_person(nm.group("name")) if nm else None
        return [sp] if sp else []

    # --- one sentence -------------------------------------------------------------------

    def own(self, view: PassageView, starts_quoted: bool = False) -> list[Speaker]:
        """The speakers this sentence itself names, or [] when it names none.

        A reporting verb inside a quotation is the quoted speaker's word, not an attribution.
        One inside a relative clause set off by a comma ("the council, which stated that ...",
        "the militia, which the ministry held responsible for ...") makes that clause its
        speaker's claim, and leaves the main clause to whoever speaks it: another reporting
        verb's subject, else the document's own voice.
        """
        relative: list[Speaker] = []
        main = self._own_main(view, starts_quoted, relative)
        if not relative:
            return main
        if not main:
            return [self.voice, *relative]
        return main + [sp for sp in relative if sp not in main]

    def _relative(self, view: PassageView, vstart: int) -> list[Speaker] | None:
        """The speakers of a reporting verb inside a non-restrictive relative clause, or None
        when the verb at ``vstart`` is not in one.

        "X, which stated": the relative pronoun is the subject and stands for X, the noun the
        comma follows. "Y, which X held responsible": the clause has its own subject, X.
        """
        head = view.masked[:vstart]
        matches = list(_RELATIVE_PRONOUN.finditer(head))
        if not matches:
            return None
        rel = matches[-1]
        rest = head[rel.end() :]
        if re.search(r"[,;:“”\"()—–]", rest):
            return None  # the clause ended before the verb
        if _AUX_ONLY.fullmatch(rest):
            at = view.start + rel.start()
            before = self.actors.in_span(view.start, at)
            if before and not view.masked[before[-1].end - view.start : rel.start()].strip():
                sp = self._actor(before[-1])
                return [sp] if sp else None
            return None
        if len(rest.split()) > 7:
            return None
        found = self.subject(view, vstart)
        inside = {
            m.actor_id for m in self.actors.in_span(view.start + rel.end(), view.start + vstart)
        }
        if found and all(sp.id in inside for sp in found):
            return found
        return None

    def _aside(self, view: PassageView, vstart: int) -> list[Speaker] | None:
        """The speakers of a reporting verb inside an aside set off by dashes or parentheses
        ("While the court has no say — its critics have long argued it never will — the case
        goes on") or interjected between commas ("the exception, most scholars agree, is
        narrow"), or None when the verb at ``vstart`` is not in one. The aside is their claim;
        the sentence around it is not."""
        text = view.masked
        head = text[:vstart]
        dashes = [m.end() for m in _ASIDE_DASH.finditer(head)]
        opened = None
        if len(dashes) % 2 == 1 and _ASIDE_DASH.search(text, vstart):
            opened = dashes[-1]
        elif head.rfind("(") > head.rfind(")") and ")" in text[vstart:]:
            opened = head.rfind("(") + 1
        else:
            interjected = _INTERJECTED.search(head)
            after = _WORD_AT.match(text, vstart)
            if interjected and after and re.match(r"\s*,", text[after.end() :]):
                opened = interjected.start() + 1  # "..., most experts agree, ..."
        if opened is None or not head[opened:].strip():
            return None
        found = self.subject(view, vstart)
        inside = {
            m.actor_id for m in self.actors.in_span(view.start + opened, view.start + vstart)
        }
        aside = head[opened:]
        if found and all(sp.id in inside or (sp.new_kind and sp.name in aside) for sp in found):
            return found
        return None

    def _subordinate(self, view: PassageView, vstart: int) -> list[Speaker] | None:
        """The speakers of a reporting verb in an adverbial clause ("X was right when he said
        ...", "because officials had warned that ..."), or None when the verb at ``vstart`` is
        not in one. What they said is theirs; the main clause is not."""
        text = view.masked
        head = text[:vstart]
        matches = list(_SUBORDINATOR.finditer(head))
        if not matches:
            return None
        sub = matches[-1]
        rest = head[sub.end() :]
        if re.search(r"[,;:“”\"()—–]", rest) or len(rest.split()) > 6:
            return None
        if not head[: sub.start()].strip(" ,") and "," not in text[vstart:]:
            return None  # no main clause beside it
        found = self.subject(view, vstart)
        return found or None

    def _own_main(
        self, view: PassageView, starts_quoted: bool, relative: list[Speaker]
    ) -> list[Speaker]:
        """``own`` without its relative clauses, whose speakers it adds to ``relative``."""
        text = view.masked
        quoted = quoted_spans(text, starts_quoted)
        spoken_before = False
        for vm in self.lex.verbs(text):
            if any(a <= vm.start() < b for a, b in quoted):
                continue
            if vm.group("verb")[0].isupper() and text[: vm.start()].strip():
                continue  # "United States", "Briefing Room": a name, not a verb
            form = vm.group("verb").lower()
            lemma = self.lex.lemma.get(form, form)
            need = self.lex.needs_object.get(lemma)
            quoted_before = bool(_QUOTED_SPEAKER.search(text[: vm.start()]))
            if need and not quoted_before and not need.match(text[vm.end() :]):
                continue
            # a bare base form is as often a noun ("a claim", "the state"): only after a plural
            # or modal subject, which ``subject`` resolves
            if (
                form == lemma
                and lemma not in _BASE_FORM_VERBS
                and not _PLURAL_OR_MODAL.search(text[: vm.start()])
            ):
                continue
            if _DETERMINER_BEFORE.search(text[: vm.start()]):
                continue  # "those claims", "his statements": a noun, not a verb
            if form in {"told", "tell", "tells"} and _ANON.search(text[: vm.start()]):
                om = re.match(
                    r"\s+((?:[Tt]he\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})",
                    text[vm.end() :],
                )
                sp = self.outlet(om.group(1)) if om else None
                if sp:
                    return [sp]
            if _CONDITIONAL.search(text[: vm.start()]):
                continue  # "If critics believe that ..., then": a supposition asserts nothing
            in_relative = self._relative(view, vm.start())
            if in_relative is None:
                in_relative = self._aside(view, vm.start())
            if in_relative is None:
                in_relative = self._subordinate(view, vm.start())
            if in_relative is not None:
                relative.extend(sp for sp in in_relative if sp not in relative)
                continue
            if _QUOTE_CLOSE_BEFORE.search(text[: vm.start()]) or (
                _COMMA_BEFORE.search(text[: vm.start()]) and _NAME_TO_END.match(text[vm.end() :])
            ):
                # '"…," said X', and '…, says Mayor Jane Roe.' where only the name follows
                inv = self.after(view, vm.end())
                if inv:
                    return inv
            if form != lemma and _PASSIVE.search(text[: vm.start()]):
                agent = self.agent(view, vm.end())
                if agent:
                    return agent
            participle = form.endswith("ing")
            found = []
            adjunct = participle and bool(_COMMA_BEFORE.search(text[: vm.start()]))
            if adjunct:
                # "X blamed Y, saying ...": a participle after its clause is said by the
                # clause's subject, not by the noun just before the comma
                found = self.sentence_subject(view, vm.start())
            found = found or self.subject(view, vm.start())
            if not found and (participle or _INFINITIVE.search(text[: vm.start()])):
                found = self.sentence_subject(view, vm.start())
            if found and adjunct and not spoken_before and self.voice not in found:
                # "They expanded the programme, claiming ...": the main clause reports no speech,
                # so it is the document's own account of what they did; the participle's
                # complement is their claim
                found = [self.voice, *found]
            elif found and not spoken_before and self.voice not in found:
                conjunct = _SECOND_CONJUNCT.search(text[: vm.start()])
                if conjunct and conjunct.start() > 0 and text[: conjunct.start()].strip():
                    # "The figures were revised, and officials said ...": the first clause
                    # reports no speech; it is the writer's
                    found = [self.voice, *found]
            spoken_before = True
            if found and _CONSEQUENCE.search(text[: vm.start()]) and self.voice not in found:
                # "The administration has yet to explain ..., prompting lawmakers to question":
                # the main clause is the document's own, the reported one the lawmakers'
                found = [self.voice, *found]
            if found:
                return found
        am = self.lex.source.search(text)
        if am:
            src_start = view.start + am.start("src")
            src_end = view.start + am.end("src")
            mentions = self.actors.in_span(src_start, src_end)
            sp = self.outlet(am.group("src"))
            if sp:
                return [sp]
            if mentions:
                found = self._actor(mentions[0])
                return [found] if found else []
            cm = self.lex.collective.search(am.group("src").strip())
            if cm:
                return [self._group(cm.group("np"))]
            src = " ".join(am.group("src").split())
            if re.fullmatch(r"(?:[A-Z][\w'’&-]+\s+){1,4}[A-Z][\w'’&-]+", src):
                # "according to Amnesty International": an organisation nobody listed
                aid = entity_id(Label.ACTOR, src)
                self.state.new.setdefault(aid, (src, "Organisation"))
                return [Speaker(aid, src, Label.ACTOR, "Organisation")]
        colon = re.match(r"^\s*(?P<who>[^:“\"]{2,60}):\s*[“\"]", text)
        if colon:
            mentions = self.actors.in_span(view.start, view.start + colon.end("who"))
            rest = text[: mentions[-1].start - view.start] if mentions else ""
            if (
                mentions
                and _TITLE_WORDS.match(rest)
                and not text[mentions[-1].end - view.start : colon.end("who")].strip()
            ):
                found = self._actor(mentions[-1])
                return [found] if found else []
        link = self._trailing_link(view)
        if link:
            sp = self.outlet(link)
            if sp:
                return [sp]
        return []

    def embedded(self, view: PassageView) -> dict[Speaker, tuple[int, int]]:
        """Speakers of claims the sentence reports inside its own ("as critics charge"), each
        with the masked offsets of what they claim (``_embedded_content``)."""
        out: dict[Speaker, tuple[int, int]] = {}
        for pattern in _EMBEDDED:
            for m in pattern.finditer(view.masked):
                for sp in self.subject(view, m.start("at")):
                    if sp.id != self.voice.id and sp not in out:
                        out[sp] = _embedded_content(view.masked, m)
        return out

    def _possessed_quote(self, view: PassageView) -> list[Speaker]:
        """ "X's view was that “...”", "her pledge last week that “...”": in a
        sentence with no reporting verb, the quotation a speaker's noun of saying introduces is
        that speaker's claim."""
        pattern = self.lex.possessed_quote
        m = pattern.search(view.masked) if pattern is not None else None
        if m is None:
            return []
        pos = m.group("pos")
        if pos[0] in "'’":
            at = view.start + m.start("pos")
            owner = [mm for mm in self.actors.in_span(view.start, at) if mm.end == at]
            sp = self._actor(owner[-1]) if owner else None
            return [sp] if sp else []
        if pos.lower() == "their":
            return list(self.state.last_plural)
        if self.state.last_person:
            name = dict(self._people()).get(self.state.last_person)
            if name:
                return [Speaker(self.state.last_person, name)]
        return []

    def _attributes_previous(self, view: PassageView, out: list[Attribution]) -> list[Speaker]:
        """A sentence that opens on an inverted reporting verb ("asked columnist Jane Roe.")
        names the speaker of the quotation the sentence splitter cut off before it."""
        text = view.masked
        lead = len(text) - len(text.lstrip())
        vm = self.lex.verb.match(text, lead)
        if vm is None or not vm.group("verb")[0].islower():
            return []
        found = self.after(view, vm.end())
        if found and out and not out[-1].own:
            prev = out[-1]
            prev.speakers, prev.attributed, prev.own = list(found), True, False
        return found

    def _trailing_link(self, view: PassageView) -> str | None:
        """The text of a link right after a passage: a bullet's "([Politico](...))" source."""
        end = view.passage.end
        for link in self.ctx.doc.links:
            if end <= link.start <= end + 12:
                return link.text
        return None

    def _remember_subject(self, view: PassageView) -> None:
        """The person a sentence opens with (after an introductory phrase) is who "he" means
        next, and two people joined by "and" there are who "the pair" and "they" mean."""
        mentions = self.actors.in_span(view.start, view.start + min(200, len(view.masked)))
        text = view.masked
        for i, m in enumerate(mentions):
            offset = m.start - view.start
            lead = text[:offset]
            if offset > 40 and not _CLAUSE_SUBJECT_LEAD.search(lead):
                continue
            first = self.actors.actors.get(m.actor_id)
            if first is None or first.type.value != "Person":
                continue
            self.state.last_person = first.id
            if i + 1 < len(mentions):
                nxt = mentions[i + 1]
                gap = text[m.end - view.start : nxt.start - view.start]
                second = self.actors.actors.get(nxt.actor_id)
                if (
                    second is not None
                    and second.type.value == "Person"
                    and re.fullmatch(r"\s+and\s+(?:[A-Z][\w.'’-]*\s+|of\s+|the\s+){0,8}", gap)
                ):
                    self.state.last_plural = [
                        Speaker(first.id, first.name),
                        Speaker(second.id, second.name),
                    ]
            return

    # --- the document -------------------------------------------------------------------

    def _paragraphs(self, views: list[PassageView]) -> list[int]:
        """The paragraph (block between blank lines of the raw text) each sentence is in."""
        breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(self.ctx.raw)]
        return [bisect_right(breaks, v.start) for v in views]

    def _signed(self, views: list[PassageView], paragraphs: list[int]) -> dict[int, list[Speaker]]:
        """An embedded post ends "— Name (@handle) date": its sentences are that person's.

        The signature is read from the raw text of the paragraph (it is no passage itself), and
        signs the sentences of its paragraph that come before it, back to the previous one.
        """
        raw = self.ctx.raw
        breaks = [b.start() for b in _PARAGRAPH_BREAK.finditer(raw)]
        out: dict[int, list[Speaker]] = {}
        for m in _SIGNATURE_IN_TEXT.finditer(raw):
            name = " ".join(m.group("who").split())
            mentions = self.actors.in_span(m.start("who"), m.end("who"))
            sp = self._actor(mentions[0]) if mentions else self._named_person(name)
            if sp is None:
                continue
            before = [i for i, v in enumerate(views) if v.start < m.start()]
            if not before:
                continue
            last = before[-1]
            if paragraphs[last] != bisect_right(breaks, m.start()):
                continue  # a handle in a bio or a credit line of its own: it signs nothing
            j = last
            while j >= 0 and paragraphs[j] == paragraphs[last] and j not in out:
                out[j] = [sp]
                j -= 1
        return out

    def run(self, views: list[PassageView]) -> list[Attribution]:
        """One attribution per sentence, quotations that span sentences carried across."""
        out: list[Attribution] = []
        in_quote = False
        run_start = 0
        paragraphs = self._paragraphs(views)
        signed = self._signed(views, paragraphs)
        extras: list[list[Speaker]] = []
        for i, view in enumerate(views):
            text = view.masked
            s, e = _evidence_bounds(text)
            if i and paragraphs[i] != paragraphs[i - 1]:
                in_quote = False  # a quotation does not run on past its paragraph here
            first_mark = next((ch for ch in text if ch in (_OPEN, _CLOSE)), None)
            if in_quote and first_mark == _OPEN:
                in_quote = False  # it opens a new quotation: the last one was never closed
            continues = in_quote
            speakers = signed.get(i) or self.own(view, continues)
            if not speakers:
                speakers = self._attributes_previous(view, out)
            if not speakers:
                speakers = self._possessed_quote(view)
            embedded = self.embedded(view)
            extras.append([sp for sp in embedded if sp not in speakers])
            att = Attribution(
                view, speakers, view.start + s, view.start + e, bool(speakers), bool(speakers)
            )
            att.content = {
                sp: (view.start + max(a, s), view.start + min(b, e))
                for sp, (a, b) in embedded.items()
                if sp not in speakers and min(b, e) > max(a, s)
            }
            if not continues:
                run_start = len(out)
            out.append(att)
            if not speakers:
                self._remember_subject(view)
            for ch in text:
                if ch == _OPEN:
                    in_quote = not in_quote  # no nesting: a second opening mark closes
                elif ch == _CLOSE:
                    in_quote = False
                elif ch == '"':
                    in_quote = not in_quote
            if not in_quote:
                self._close_run(out, run_start)
        self._close_run(out, run_start)
        self._standalone_quotes(out, paragraphs)
        for att in out:
            if not att.speakers:
                att.speakers = [self.voice]
        for att, extra in zip(out, extras, strict=True):
            att.speakers += [sp for sp in extra if sp not in att.speakers]
        return out

    @staticmethod
    def _close_run(out: list[Attribution], start: int) -> None:
        """A quotation over several sentences is the speaker's wherever the speaker is named."""
        run = out[start:]
        if len(run) < 2 or len(run) > _LONGEST_QUOTE:
            return  # an unclosed quotation mark (a typo) is not a quotation of a page
        named = next((a for a in (run[0], run[-1]) if a.speakers), None)
        if named is None:
            return
        for a in run:
            if not a.speakers:
                a.speakers, a.attributed, a.own = list(named.speakers), True, False

    @staticmethod
    def _standalone_quotes(out: list[Attribution], paragraphs: list[int]) -> None:
        """A sentence that is only a quotation continues the speaker quoted just before; so
        does a paragraph that opens a quotation and never closes it (news English carries a
        quotation over paragraphs by leaving the closing mark off all but the last), every
        sentence of it."""
        i = 1
        while i < len(out):
            prev, att = out[i - 1], out[i]
            body = att.view.masked.strip()
            i += 1
            if att.speakers or not prev.attributed or not prev.speakers:
                continue
            if body[:1] not in {_OPEN, '"'}:
                continue
            if body.rstrip(".")[-1:] in {_CLOSE, '"'}:
                att.speakers, att.attributed, att.own = list(prev.speakers), True, False
                continue
            j = i - 1  # the sentences of this paragraph: does the quotation ever close?
            para = [k for k in range(j, len(out)) if paragraphs[k] == paragraphs[j]]
            marks = "".join(ch for k in para for ch in out[k].view.masked if ch in '“”"')
            opened = marks[:1]
            if (
                len(marks) == 1
                and opened in {_OPEN, '"'}
                and not any(out[k].speakers for k in para)
            ):
                for k in para:
                    a_k = out[k]
                    a_k.speakers, a_k.attributed, a_k.own = list(prev.speakers), True, False
                i = para[-1] + 1

    @property
    def new_actors(self) -> dict[str, tuple[str, str]]:
        return self.state.new
