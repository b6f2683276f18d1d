"""The readers on the three seed documents, against the hand-made gold annotations.

The expectations (format, title, date, outlets, boilerplate traps) are copied from
`shared/gold/*.yaml`; a trap is boilerplate text that must not end up in any passage.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kb.model import DocFormat, Label, RelType
from loaders.outlets import extract_outlets
from loaders.read import read_document, read_path

CORPUS = Path(__file__).resolve().parent.parent / "seeds" / "corpus"

GOLD = {
    "000_73353883cdfb1f18.txt": {
        "format": DocFormat.PLAIN,
        "title": "Trump authorized Soleimani killing months before deadly strike",
        "date": None,
        "outlets": ["CBS News", "NBC News", "The New York Times", "Fox News", "Face the Nation"],
        "traps": [
            "Inside an Iraqi air base attacked by Iran",
            "\n\nf\n\n",
            "We and our partners use cookies to understand how you use our site",
            "Read about how we use cookies in our cookie policy",
            "By continuing to use this site, you accept these cookies.",
        ],
    },
    "003_878afde649600ba6.txt": {
        "format": DocFormat.MARKDOWN,
        "title": "Day 1080",
        "date": date(2020, 1, 4),
        "outlets": [
            "Washington Post",
            "New York Times",
            "Associated Press",
            "NBC News",
            "Politico",
            "Bloomberg",
            "The Atlantic",
            "Vanity Fair",
            "New Yorker",
            "ABC News",
            "CNN",
            "Wall Street Journal",
            "The Guardian",
        ],
        "traps": [
            "TK/",
            "description: '\"Reign of terror.\"'",
            "pompeo-says-strike-aimed-to-reduce-tensions-in-middle-east",
            "was-it-legal-donald-trump-order-killing-top-iranian-general",
            "trump-defends-killing-iranian-general-accuses-plotting-imminent",
            "defense-secretary-says-iran-and-its-proxies-may-be-planning-fresh-attacks-on-us-"
            "personnel-in-iraq",
            "u-s-and-iran-trade-threats-over-reprisals-for-general-s-killing",
            "iran-vows-revenge-after-us-drone-strike-kills-elite-force-commander",
            "kfile-trump-obama-2012-iran-war-reelection",
            "iran-cyberattacks-experts-us-suleimani",
        ],
    },
    "004_1a0900b66f28913e.txt": {
        "format": DocFormat.WEB,
        "title": "Soleimani Strike Marks a Novel Shift in Targeted Killing, Dangerous to the "
        "Global Order",
        "date": None,
        "outlets": ["Just Security"],
        "traps": [
            "Skip to main content",
            "Sign up for our newsletter.",
            "Quality journalism. Progressive values. Direct to your inbox.",
            "pictured here on April 11, 2016",
            "Khamenei.ir/cc",
            "© 2021 Just Security",
            "(@AnthonyDworkin)",
            "is a senior policy fellow at the",
            "European Council on Foreign Relations",
            "leads ECFR’s work in the area of human rights, democracy, and justice",
            "European and US frameworks for counterterrorism",
            "on the EU’s human rights strategy",
            "the pursuit of justice in the international response to mass atrocities",
            "We've had enough. The 1% own and operate the corporate media.",
            "The Common Dreams media model is different.",
            "Thousands of small donations fund our newsroom",
            "Can you chip in? We can't do it without you. Thank you.",
            "Gun-Maker Slammed for 'Children's Assault Rifles' Based on AR-15",
            "said one gun control advocate",
            "Jessica Corbett",
            "Supreme Court Justice Stephen Breyer to Retire: Reports",
            "President Biden has an opportunity to secure a seat on the bench",
            "Brett Wilkins",
            "Dems Demand Biden Stop Maintaining Saudi Jets Causing 'Untold Suffering' in Yemen",
            "could make the United States complicit in these likely war crimes",
            "Rep. Tom Malinowski",
            "Andrea Germanos",
            "80+ Dems Tell Biden to Release Secret Memo on Student Debt Authority",
            "he doesn't have the authority to broadly cancel student debt",
            "Jake Johnson",
            "Nina Turner Launches New Congressional Run in Ohio",
            "Obstruction of the Democratic agenda is hurting Greater Cleveland",
            "Support our work.",
            "We are independent, non-profit, advertising-free and 100% reader supported.",
            "Subscribe to our newsletter.",
            "Subscribe to our Newsletter.",
            "Common Dreams, Inc. Founded 1997.",
            "Registered 501(c3) Non-Profit | Privacy Policy",
            "Common Dreams Logo",
        ],
    },
}


def _key(name: str) -> str:
    return re.sub(r"^the ", "", name.lower())


@pytest.fixture(scope="module", params=sorted(GOLD))
def seed(request: pytest.FixtureRequest):
    return request.param, read_path(CORPUS / request.param), GOLD[request.param]


def test_format_title_date(seed) -> None:
    _, doc, gold = seed
    assert doc.meta.format is gold["format"]
    assert doc.meta.title == gold["title"]
    assert doc.meta.published == gold["date"]


def test_offsets_are_verbatim_and_inside_the_body(seed) -> None:
    _, doc, _ = seed
    assert doc.passages
    for i, p in enumerate(doc.passages):
        assert doc.raw[p.start : p.end] == p.text
        assert p.text == p.text.strip()
        assert p.index == i
        assert any(s <= p.start and p.end <= e for s, e in doc.body)
    starts = [p.start for p in doc.passages]
    assert starts == sorted(starts)
    assert len({p.id for p in doc.passages}) == len(doc.passages)


def test_no_trap_in_any_passage(seed) -> None:
    _, doc, gold = seed
    for trap in gold["traps"]:
        for p in doc.passages:
            assert trap.strip() not in p.text or trap.strip() == "f", (trap, p.text)
            assert trap not in p.text, (trap, p.text)
    assert all(p.text != "f" for p in doc.passages)


def test_outlets_match_gold(seed) -> None:
    _, doc, gold = seed
    outlets, relations = extract_outlets(doc)
    republished = {
        r.target_id
        for r in relations
        if r.type is RelType.PUBLISHED_BY and r.props.get("republished")
    }
    # the site that republished a piece is its outlet too, though the gold lists sources only
    named = {_key(o.name) for o in outlets if o.id not in republished}
    assert named == {_key(n) for n in gold["outlets"]}
    ids = {o.id for o in outlets}
    assert all(o.id.startswith("outlet:") for o in outlets)
    passage_ids = {p.id for p in doc.passages}
    for rel in relations:
        assert rel.source_id == doc.meta.id and rel.source_label is Label.DOCUMENT
        assert rel.target_id in ids and rel.target_label is Label.OUTLET
        if rel.type is RelType.CITES_SOURCE:
            assert rel.passage_id in passage_ids


def test_reading_is_deterministic(seed) -> None:
    name, doc, _ = seed
    again = read_document((CORPUS / name).read_bytes(), name)
    assert [p.id for p in again.passages] == [p.id for p in doc.passages]
    assert again.meta == doc.meta


def test_cbs_article_metadata() -> None:
    doc = read_path(CORPUS / "000_73353883cdfb1f18.txt")
    assert doc.meta.publisher == "CBS News"  # "sources ... tell CBS News": its own voice
    _, relations = extract_outlets(doc)
    published = [r for r in relations if r.type is RelType.PUBLISHED_BY]
    assert [r.target_id for r in published] == ["outlet:cbs-news"]
    cited = {r.target_id for r in relations if r.type is RelType.CITES_SOURCE}
    assert "outlet:cbs-news" not in cited
    # "The Times said" after "The New York Times reported" is the same outlet
    times = [r for r in relations if "The Times" in r.props.get("mentions", ())]
    assert [r.target_id for r in times] == ["outlet:the-new-york-times"]


def test_markdown_post_passages() -> None:
    doc = read_path(CORPUS / "003_878afde649600ba6.txt")
    texts = [p.text for p in doc.passages]
    # glued sentences are split, the TK/ marker is not part of the passage
    assert (
        "Esper also accused Soleimani of approving the attacks on the U.S. Embassy in "
        "Baghdad earlier this week." in texts
    )
    assert any(
        t.startswith("Soleimani was the architect") and t.endswith("two decades.") for t in texts
    )
    assert texts[0].startswith("Trump authorized a drone strike")
    # each bullet is one passage; citation links are not passage text
    assert any(t.startswith("How Trump decided to kill Iran's Soleimani") for t in texts)
    assert not any("](" in t or "http" in t for t in texts)
    assert doc.meta.description == '"Reign of terror."'
    assert len(doc.links) == 21


def test_web_page_metadata_and_duplicates() -> None:
    doc = read_path(CORPUS / "004_1a0900b66f28913e.txt")
    assert doc.meta.author == "Anthony Dworkin"
    assert doc.meta.publisher == "Just Security"
    texts = [p.text for p in doc.passages]
    # the standfirst and the pull quote repeat body sentences: each survives once
    assert sum("imperiling the line between war and peace" in t for t in texts) == 1
    assert sum("brings the signature technique" in t for t in texts) == 1
    assert texts[0].startswith("The drone strike against Qasem Soleimani marks")
    assert texts[-1].startswith("Whether or not the United States has met that threshold")
