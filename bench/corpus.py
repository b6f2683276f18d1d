"""A deterministic synthetic corpus in the three real formats (plain article, Jekyll Markdown
post with front matter and links, text scraped from a web page with its boilerplate).

Documents are drawn from pools that grow with the corpus: actors are generated from syllable
pools (new names keep appearing; a Zipf-like draw keeps a few famous ones frequent), and so are
organisations, places and precedents. Each document gets its own `random.Random` seeded from
(seed, index), so document i is the same whatever N is, and any slice can be regenerated.

    python -m bench.corpus OUT_DIR --docs 1000 --seed 7
"""

from __future__ import annotations

import argparse
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# -- pools -----------------------------------------------------------------------------------

_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh",
           "kh", "br", "dr", "gr", "st", "tr", "al", "el", "or")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "ar", "an", "en", "or")
_CODAS = ("", "", "", "n", "r", "s", "d", "k", "m", "l", "v", "ch", "th", "sky", "ani", "ov",
          "ez", "son", "berg", "ford", "ini", "ard")

FAMOUS = (
    ("President", "Donald Trump"), ("Defense Secretary", "Mark Esper"),
    ("Secretary of State", "Mike Pompeo"), ("Major General", "Qasem Soleimani"),
    ("Supreme Leader", "Ali Khamenei"), ("Iranian President", "Hassan Rouhani"),
    ("militia leader", "Abu Mahdi al-Muhandis"), ("House Speaker", "Nancy Pelosi"),
    ("Senator", "Tim Kaine"), ("Senator", "Chris Murphy"), ("Iraqi Prime Minister",
                                                            "Adel Abdul Mahdi"),
    ("UN Special Rapporteur", "Agnes Callamard"), ("President", "Barack Obama"),
    ("President", "George W. Bush"), ("Admiral", "Isoroku Yamamoto"),
)
TITLES = ("Defense Secretary", "Secretary of State", "Senator", "Representative",
          "Foreign Minister", "General", "Admiral", "Professor", "Ambassador",
          "national security adviser", "legal scholar", "Attorney General",
          "former State Department legal adviser", "Colonel", "spokesperson",
          "Deputy Prime Minister", "commander", "analyst")
COUNTRIES = ("Iran", "Iraq", "the United States", "Israel", "Syria", "Yemen", "Pakistan",
             "Somalia", "Libya", "Japan", "Russia", "the United Kingdom", "France",
             "Saudi Arabia", "Lebanon", "Afghanistan", "Turkey", "Qatar", "Jordan", "Egypt")
ORGS_FIXED = ("the Quds Force", "Kataib Hezbollah", "the Islamic Revolutionary Guard Corps",
              "the Pentagon", "the State Department", "the UN Security Council", "Congress",
              "the Senate Foreign Relations Committee", "the Department of Justice",
              "NATO", "the International Committee of the Red Cross", "Hezbollah")
ORG_KINDS = ("Brigade", "Institute for International Law", "Militia", "Front",
             "Council", "Movement", "Center for Security Studies", "Battalion")
CONCEPTS = ("imminent threat", "self-defense under Article 51 of the UN Charter", "use of force",
            "the 2001 AUMF", "the War Powers Resolution", "targeted killing", "armed attack",
            "necessity and proportionality", "Congressional authorization",
            "the assassination ban in Executive Order 12333", "the war paradigm",
            "armed conflict", "the 2002 Iraq AUMF", "anticipatory self-defense",
            "a continuing, imminent threat", "the law of armed conflict",
            "status-based targeting", "the war on terror")
PRECEDENTS_FIXED = (
    "the 1943 shoot-down of Admiral Yamamoto's plane", "the 1986 bombing of Libya",
    "the 2011 raid on Osama bin Laden", "the Caroline affair",
    "the 1981 Israeli strike on the Osirak reactor", "the 2011 drone strike on Anwar al-Awlaki",
    "the 2019 raid on al-Baghdadi", "the 2015 UK drone strike on Reyaad Khan",
    "the 2008 killing of Imad Mughniyeh", "Operation Wrath of God",
)
PRECEDENT_KINDS = ("strike on", "raid on", "bombing of", "shoot-down over", "killing in",
                   "incursion into", "blockade of")
OUTLETS = (
    ("Associated Press", "apnews.com"), ("The New York Times", "nytimes.com"),
    ("Washington Post", "washingtonpost.com"), ("NBC News", "nbcnews.com"),
    ("CBS News", "cbsnews.com"), ("Politico", "politico.com"), ("Bloomberg", "bloomberg.com"),
    ("Reuters", "reuters.com"), ("The Atlantic", "theatlantic.com"),
    ("Just Security", "justsecurity.org"), ("Lawfare", "lawfareblog.com"),
    ("CNN", "cnn.com"), ("ABC News", "abcnews.go.com"), ("Fox News", "foxnews.com"),
    ("Wall Street Journal", "wsj.com"), ("The Guardian", "theguardian.com"),
    ("Al Jazeera", "aljazeera.com"), ("Vanity Fair", "vanityfair.com"),
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
RELATIVE_DATES = ("last summer", "last fall", "on Friday", "on Monday", "earlier this week",
                  "the following week", "in the spring", "seven months ago")
"""Relative dates, used where the sentence has no preposition of its own."""
SAY = ("said", "argued", "insisted", "claimed", "contended", "wrote", "noted", "warned")
EVENT_ACTS = ("a drone strike targeting a convoy in", "a rocket attack against a base in",
              "protests at the embassy in", "ballistic missile strikes on bases in",
              "airstrikes against militia positions in", "a raid on a compound in",
              "a cyberattack on infrastructure in")
SUPPORT_PHRASES = ("was lawful as", "was justified under", "was a necessary act of",
                   "was fully consistent with", "met the standard of",
                   "was a legitimate exercise of")
DISPUTE_PHRASES = ("was unlawful", "could not be justified as", "did not meet the threshold of",
                   "stretched the meaning of", "was a violation of", "fell outside")
STRAY = ("f", "Advertisement", "ADVERTISEMENT", "Read more", "Share")
COOKIE = ("We and our partners use cookies to understand how you use our site, improve your "
          "experience and serve you personalized content and advertising. Read about how we use "
          "cookies in our cookie policy and how you can control them by clicking Manage "
          "Settings. By continuing to use this site, you accept these cookies.")
DONATION = ("We've had enough. The corporate media are doing everything they can to defend the "
            "status quo. Our model is different. Nonprofit. Independent. Reader-supported. "
            "Free to read. Free to republish. With no advertising. No paywalls. Thousands of "
            "small donations fund our newsroom. Can you chip in? We can't do it without you. "
            "Thank you.")
UNRELATED = ("Gun-Maker Slammed for 'Children's Assault Rifles'",
             "Supreme Court Justice to Retire: Reports",
             "Dems Demand Stop to Servicing of Jets Causing 'Untold Suffering'",
             "Lawmakers Tell White House to Release Secret Memo on Student Debt",
             "City Council Votes to Expand Bus Lanes", "Heat Wave Breaks Records Across Europe",
             "Union Wins Landmark Contract at Warehouse", "Farmers Protest New Water Rules")


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS)
                   for _ in range(parts)) + rng.choice(_CODAS)


@dataclass(frozen=True, slots=True)
class Person:
    title: str
    name: str

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


class Pools:
    """Entities by index, generated on demand and deterministically from (seed, kind, index)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._cache: dict[tuple[str, int], object] = {}

    def _rng(self, kind: str, i: int) -> random.Random:
        return random.Random(f"{self.seed}:{kind}:{i}")

    def person(self, i: int) -> Person:
        if i < len(FAMOUS):
            return Person(*FAMOUS[i])
        key = ("person", i)
        if key not in self._cache:
            rng = self._rng("person", i)
            first = _name(rng, rng.choice((1, 2))).capitalize()
            last = _name(rng, rng.choice((2, 2, 3))).capitalize()
            self._cache[key] = Person(rng.choice(TITLES), f"{first} {last}")
        return self._cache[key]  # type: ignore[return-value]

    def org(self, i: int) -> str:
        if i < len(ORGS_FIXED):
            return ORGS_FIXED[i]
        rng = self._rng("org", i)
        return f"the {_name(rng, 2).capitalize()} {rng.choice(ORG_KINDS)}"

    def place(self, i: int) -> str:
        rng = self._rng("place", i)
        return _name(rng, rng.choice((2, 3))).capitalize()

    def precedent(self, i: int) -> str:
        if i < len(PRECEDENTS_FIXED):
            return PRECEDENTS_FIXED[i]
        rng = self._rng("precedent", i)
        return f"the {rng.randint(1950, 2018)} {rng.choice(PRECEDENT_KINDS)} {self.place(i + 7)}"


def _zipf(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in [0, n) with small indexes much more likely (famous entities recur)."""
    u = rng.random()
    # inverse-transform of a continuous power law on [1, n + 1)
    x = ((n + 1) ** (1 - s) - 1) * u + 1
    return min(n - 1, int(x ** (1 / (1 - s))) - 1)


def pool_size(doc_index: int, base: int, rate: float) -> int:
    """How many entities of a kind exist when document `doc_index` is written: it grows."""
    return base + int(rate * (doc_index + 1) ** 0.85)


# -- one document ----------------------------------------------------------------------------


@dataclass(slots=True)
class Doc:
    name: str
    text: str
    format: str


class _Writer:
    def __init__(self, pools: Pools, index: int, rng: random.Random) -> None:
        self.p = pools
        self.i = index
        self.rng = rng
        n_people = pool_size(index, len(FAMOUS) + 20, 2.2)
        people = {_zipf(rng, n_people) for _ in range(rng.randint(4, 7))}
        # a brand-new actor in most documents: new names keep appearing
        if rng.random() < 0.7:
            people.add(n_people - 1 - rng.randrange(3))
        self.people = [pools.person(k) for k in sorted(people)]
        rng.shuffle(self.people)
        n_orgs = pool_size(index, len(ORGS_FIXED) + 4, 0.3)
        self.orgs = [pools.org(_zipf(rng, n_orgs)) for _ in range(3)]
        n_prec = pool_size(index, len(PRECEDENTS_FIXED) + 2, 0.15)
        self.precedents = [pools.precedent(_zipf(rng, n_prec, 1.3)) for _ in range(2)]
        self.countries = rng.sample(COUNTRIES, 3)
        self.outlets = rng.sample(OUTLETS, 4)
        self.place = pools.place(_zipf(rng, pool_size(index, 30, 0.5)))
        self.mentioned: set[str] = set()

    # pieces ------------------------------------------------------------------------------

    def who(self, k: int | None = None) -> str:
        """First mention: title and full name; later: surname only."""
        person = self.people[k if k is not None else self.rng.randrange(len(self.people))]
        if person.name in self.mentioned:
            return person.surname if self.rng.random() < 0.6 else person.name
        self.mentioned.add(person.name)
        return f"{person.title} {person.name}"

    def date(self) -> str:
        """A date phrase that stands on its own ("on January 3", "last summer")."""
        if self.rng.random() < 0.7:
            return f"on {self.rng.choice(MONTHS)} {self.rng.randint(1, 28)}"
        return self.rng.choice(RELATIVE_DATES)

    def sentence(self) -> str:
        text = self._sentence()
        return text[0].upper() + text[1:]

    def concept(self) -> str:
        return self.rng.choice(CONCEPTS)

    def _sentence(self) -> str:
        r = self.rng
        c, c2 = self.concept(), self.concept()
        prec = r.choice(self.precedents)
        country, other = self.countries[0], self.countries[1]
        outlet = r.choice(self.outlets)[0]
        kind = r.randrange(16)
        if kind == 0:
            return (f"{self.who()} {r.choice(SAY)} that the strike {r.choice(SUPPORT_PHRASES)} "
                    f"{c}.")
        if kind == 1:
            return (f"{self.who()} {r.choice(SAY)} that the strike {r.choice(DISPUTE_PHRASES)} "
                    f"{c}, and that {country} had not shown an {CONCEPTS[0]}.")
        if kind == 2:
            return (f"\u201cThere was an {CONCEPTS[0]} to American personnel in the region, and "
                    f"we acted to stop it,\u201d {self.who()} told {outlet}.")
        if kind == 3:
            return (f"According to {self.who()}, officials {r.choice(('did not see', 'saw'))} "
                    f"specific evidence of plots against four embassies.")
        if kind == 4:
            return (f"{self.who(0)} told {self.who(1)} that {c} did not cover a strike on a "
                    f"government official of {other}.")
        if kind == 5:
            return (f"{self.who()} warned that {other} would \u201ctake revenge\u201d for the "
                    f"killing, calling it a \u201cheinous crime.\u201d")
        if kind == 6:
            return (f"Unlike {prec}, the strike took place at a time when there were no direct "
                    f"hostilities between {country} and {other}, {self.who()} argued.")
        if kind == 7:
            return (f"The nearest equivalent is {prec}, {self.who()} wrote, which was defended "
                    f"at the time as {c}.")
        if kind == 8:
            return (f"{self.date()}, {r.choice(self.orgs)} carried out "
                    f"{r.choice(EVENT_ACTS)} {self.place}, killing {r.randint(2, 40)} people.")
        if kind == 9:
            return (f"{self.who()}, the leader of {r.choice(self.orgs)}, was also killed in the "
                    f"attack {self.date()}.")
        if kind == 10:
            return (f"{self.who()} compared the operation to {prec}, saying both raised questions "
                    f"of {c} and {c2}.")
        if kind == 11:
            return (f"Congress never voted on {c}, and {self.who()} {r.choice(SAY)} the "
                    f"administration had bypassed {CONCEPTS[4]}.")
        if kind == 12:
            return (f"{country} retaliated {self.date()} with {r.choice(EVENT_ACTS)} "
                    f"{self.place}, though no one was injured.")
        if kind == 13:
            return (f"{outlet} reported that {self.who()} had authorized the {CONCEPTS[5]} "
                    f"{self.date()}.")
        if kind == 14:
            return (f"Legal scholars such as {self.who()} distinguished the case from {prec}, "
                    f"noting that {c} requires an {CONCEPTS[6]}.")
        return (f"{self.who()} said the {other} government had been planning attacks for months "
                f"and that {c} applied.")

    def paragraphs(self, n: int) -> list[str]:
        out = []
        for _ in range(n):
            out.append(" ".join(self.sentence() for _ in range(self.rng.randint(2, 4))))
        return out

    def title(self) -> str:
        r = self.rng
        person = self.people[0]
        return r.choice((
            f"{person.surname} defends strike as {self.concept()}",
            f"Was the strike in {self.place} legal? Experts weigh {self.concept()}",
            f"{self.countries[0]} vows response after killing of {person.name}",
            f"How the {self.place} strike compares with {self.precedents[0]}",
        )).replace("the the", "the")

    def author(self) -> str:
        return f"{_name(self.rng, 2).capitalize()} {_name(self.rng, 2).capitalize()}"

    def link(self, outlet: tuple[str, str]) -> str:
        slug = hashlib.sha1(f"{self.i}{outlet[1]}{self.rng.random()}".encode()).hexdigest()[:12]
        return f"[{outlet[0]}](https://www.{outlet[1]}/2020/01/{slug}.html)"


def plain_doc(w: _Writer) -> str:
    paras = w.paragraphs(w.rng.randint(5, 8))
    city = w.rng.choice(("Washington", "Baghdad", "Tehran", "New York", "Geneva"))
    paras[0] = f"{city} \u2014 {paras[0]}"
    parts = [w.title(), "", w.title(), "", *"\n\n".join(paras).split("\n")]
    if w.rng.random() < 0.5:
        parts += ["", w.rng.choice(STRAY)]
    parts += ["", COOKIE]
    return "\n".join(parts) + "\n"


def markdown_doc(w: _Writer) -> str:
    r = w.rng
    month, day = r.randint(1, 12), r.randint(1, 28)
    lines = ["---", f"title: Day {1000 + w.i}", f"date: 2020-{month:02d}-{day:02d} "
             f"{r.randint(6, 20):02d}:{r.randint(0, 59):02d}:00 -08:00",
             f"description: '\"{w.concept().capitalize()}.\"'", "---", ""]
    for para in w.paragraphs(r.randint(3, 5)):
        cites = " / ".join(w.link(o) for o in r.sample(w.outlets, r.randint(1, 3)))
        lines += [f"TK/ {para} ({cites})", ""]
        for _ in range(r.randint(1, 2)):
            lines += [f"* **{w.sentence().rstrip('.')}**. ({w.link(r.choice(w.outlets))})", ""]
    return "\n".join(lines)


def web_doc(w: _Writer) -> str:
    r = w.rng
    outlet = w.outlets[0][0]
    author = w.author()
    caption = (f"{w.people[0].title} {w.people[0].name}, pictured here on "
               f"{r.choice(MONTHS)} {r.randint(1, 28)}, 2016. (Photo: {w.place}.ir/cc)")
    paras = w.paragraphs(r.randint(5, 8))
    pull = paras[1].split(". ")[0].rstrip(".") + "."
    parts = ["Skip to main content", "Sign up for our newsletter.",
             "Quality journalism. Progressive values. Direct to your inbox.",
             caption, caption, w.title(), paras[0].split(". ")[0] + ".", author,
             f" by {outlet}", *paras[:3], pull, *paras[3:], f"\u00a9 2021 {outlet}", author,
             author, f"{author} is a senior fellow at the {w.place} Council on Foreign Relations "
             f"and writes on {w.concept()} and {w.concept()}.", DONATION]
    for headline in r.sample(UNRELATED, 3):
        parts += [headline, f"\u201c{w.sentence()}\u201d said one advocate.",
                  f"{w.author()} \u00b7", ""]
    parts += ["Support our work.", "Subscribe to our newsletter.",
              f"{outlet}, Inc. Founded 1997. | Privacy Policy"]
    return "\n\n".join(parts) + "\n"


FORMATS = (("plain", plain_doc), ("markdown", markdown_doc), ("web", web_doc))


def document(seed: int, index: int, pools: Pools | None = None) -> Doc:
    """Document `index` of the corpus with `seed` (independent of the corpus size)."""
    pools = pools or Pools(seed)
    rng = random.Random(f"{seed}:doc:{index}")
    fmt, build = FORMATS[index % 3]
    text = build(_Writer(pools, index, rng))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Doc(f"{index:06d}_{digest}.txt", text, fmt)


def documents(n: int, seed: int = 7) -> Iterator[Doc]:
    pools = Pools(seed)
    for i in range(n):
        yield document(seed, i, pools)


def write_corpus(out: Path, n: int, seed: int = 7) -> list[Path]:
    """Write `n` documents under `out` (in sub-folders of 1,000); returns the file paths."""
    paths = []
    for doc in documents(n, seed):
        folder = out / doc.name[:3]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / doc.name
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    paths = write_corpus(args.out, args.docs, args.seed)
    print(f"wrote {len(paths)} documents to {args.out}")


if __name__ == "__main__":
    main()
