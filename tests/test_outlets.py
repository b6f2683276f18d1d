"""Outlets: publisher, link domains, source phrases, context aliases."""

from __future__ import annotations

from kb.model import RelType
from loaders.outlets import (
    extract_outlets,
    host_of,
    name_from_domain,
    outlet_table,
    publisher_in_text,
    resolve_outlet,
)
from loaders.read import read_document


def _cited(raw: str, name: str = "a.txt") -> dict[str, list[str | None]]:
    doc = read_document(raw.encode(), name)
    outlets, relations = extract_outlets(doc)
    names = {o.id: o.name for o in outlets}
    out: dict[str, list[str | None]] = {}
    for r in relations:
        if r.type is RelType.CITES_SOURCE:
            # one edge per outlet, with every wording that cited it
            assert names[r.target_id] not in out, "one CITES_SOURCE per document and outlet"
            out[names[r.target_id]] = list(r.props.get("mentions", [None]))
    return out


def test_table_loads_from_package_data() -> None:
    table = outlet_table()
    assert table.for_host("www.washingtonpost.com").name == "Washington Post"
    assert table.for_host("abcnews.go.com").name == "ABC News"
    assert table.for_host("edition.cnn.com").name == "CNN"
    assert table.for_host("unknown-site.example") is None
    assert table.is_platform("twitter.com") and table.is_platform("www.state.gov")


def test_source_phrases() -> None:
    raw = (
        "Headline words here\n\n"
        "The minister told Reuters on Monday that talks had failed. "
        "According to The Wall Street Journal, the plan was drafted in May. "
        'She later told "Meet the Press" that she disagreed. '
        "Kayhan News Agency reported the same day that Iran would respond. "
        "The Journal said the plan had changed. "
        "He told Congress the strike was lawful. "
        'He said "I Want Peace" and left.\n'
    )
    cited = _cited(raw)
    assert set(cited) == {
        "Reuters",
        "Wall Street Journal",
        "Meet the Press",
        "Kayhan News Agency",
    }
    assert "The Journal" in cited["Wall Street Journal"]


def test_context_alias_needs_the_full_name_first() -> None:
    raw = "Headline words here\n\nThe Times reported that the plan had changed overnight.\n"
    assert "The New York Times" not in _cited(raw)


def test_links_to_known_unknown_and_platform_domains() -> None:
    raw = (
        "---\ntitle: Links\n---\n\n"
        "The strike was reported widely. ([AP](https://apnews.com/abc) / "
        "[Example Ledger](https://www.exampleledger.com/story) / "
        "[tweet](https://twitter.com/someone/status/1) / [see here](https://news.example-daily.co.uk/x))\n"
    )
    cited = _cited(raw)
    assert set(cited) == {"Associated Press", "Example Ledger", "Example Daily"}


def test_publisher_is_not_also_a_cited_source() -> None:
    raw = (
        "Headline words here\n\n"
        "Three officials familiar with the plan tell NBC News that it was approved in May. "
        "NBC News also reported that Congress was not told.\n"
    )
    doc = read_document(raw.encode(), "a.txt")
    assert doc.meta.publisher == "NBC News"
    outlets, relations = extract_outlets(doc)
    assert {r.type for r in relations} == {RelType.PUBLISHED_BY}
    assert [o.id for o in outlets] == ["outlet:nbc-news"]


def test_helpers() -> None:
    assert resolve_outlet("CBS News' Major Garrett") == "CBS News"
    assert resolve_outlet("White House Press Secretary") is None
    assert resolve_outlet("The Times", seen={"The New York Times"}) == "The New York Times"
    assert publisher_in_text("He later told Fox News in an interview.") is None
    assert name_from_domain("www.example-news.com") == "Example News"
    assert host_of("https://WWW.NYTimes.com/x") == "www.nytimes.com"
