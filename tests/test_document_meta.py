"""Document metadata from the text (datelines, mastheads, republished pieces) and the outlets a
text names as its sources, on short texts written for the purpose."""

from __future__ import annotations

from kb.model import RelType
from loaders.outlets import extract_outlets, site_outlet
from loaders.read import read_document


def _read(raw: str) -> tuple[str | None, dict[str, RelType]]:
    doc = read_document(raw.encode(), "a.txt")
    outlets, relations = extract_outlets(doc)
    names = {o.id: o.name for o in outlets}
    return doc.meta.publisher, {names[r.target_id]: r.type for r in relations}


def test_dateline_wire_credit_is_the_publisher() -> None:
    publisher, outlets = _read(
        "Leaders meet as tensions ease\n\n"
        "LONDON (Reuters) - Ministers met on Monday to discuss the crisis, officials said.\n\n"
        "The talks will continue next week in Geneva, according to two diplomats.\n")
    assert publisher == "Reuters"
    assert outlets["Reuters"] is RelType.PUBLISHED_BY


def test_a_photo_credit_is_no_dateline() -> None:
    publisher, outlets = _read(
        "Leaders meet as tensions ease\n\n"
        "The minister speaks in Paris on Monday. (AP Photo/Jane Roe)\n\n"
        "Ministers met on Monday to discuss the crisis, officials said on Tuesday.\n")
    assert publisher is None and "Associated Press" not in outlets


def test_sources_named_by_staff_programmes_works_and_wires() -> None:
    _, outlets = _read(
        "Reactions to the speech\n\n"
        '"That is false," CNBC correspondent Jane Roe wrote on Monday. '
        '"It was a mistake," the senator said on NBC\'s "Meet the Press" on Sunday. '
        "He cited a 2015 CNN article about the deal. "
        "The letter was published Monday by the Reuters and AFP wire services. "
        "Her appearance on \"Hannity\" drew criticism from a Chicago Tribune columnist.\n")
    expected = {"CNBC", "NBC News", "Meet the Press", "CNN", "Reuters", "Agence France-Presse",
                "Hannity", "Chicago Tribune"}
    assert expected <= set(outlets), outlets
    assert all(outlets[n] is RelType.CITES_SOURCE for n in expected)


def test_words_that_only_look_like_sources_are_not_outlets() -> None:
    _, outlets = _read(
        "A quiet week\n\n"
        "A White House correspondent asked about the plan. "
        "The Senate report was released on Friday. "
        "The minister said on Monday that the talks had failed.\n")
    assert outlets == {}


def test_a_republished_piece_carries_both_outlets() -> None:
    raw = ("Skip to main content\n\nExample Site Logo\n\n"
           "A Novel Shift in Policy Worth Watching\n\nJane Roe\n\n by Just Security\n\n"
           "The decision marks a significant escalation in the use of force abroad, and it "
           "changes how states see the line between war and peace in the region.\n\n"
           "Common Dreams Logo\n")
    publisher, outlets = _read(raw)
    assert publisher == "Just Security"
    assert site_outlet(raw) == "Common Dreams"
    assert outlets == {"Just Security": RelType.PUBLISHED_BY,
                       "Common Dreams": RelType.PUBLISHED_BY}


def test_the_republishing_site_is_provenance_not_an_outlet_the_text_cites() -> None:
    """In the measured JSON the site that republished a piece is document provenance
    (``republished_by``), as the publisher is metadata; ``outlets`` are the publisher and the
    sources the text names (a logo line is page furniture, no source)."""
    from loaders.extract import extract, extraction_to_json

    raw = ("Skip to main content\n\nExample Site Logo\n\n"
           "A Novel Shift in Policy Worth Watching\n\nJane Roe\n\n by Just Security\n\n"
           "The decision marks a significant escalation in the use of force abroad, "
           "Reuters reported on Monday.\n\n"
           "Common Dreams Logo\n")
    j = extraction_to_json(extract(read_document(raw.encode(), "a.txt")))
    assert j["document"]["republished_by"] == ["Common Dreams"]
    assert set(j["outlets"]) == {"Just Security", "Reuters"}
