"""Events: dates resolved against the document or the text, participants with roles."""

from __future__ import annotations

from datetime import date

from loaders.extract import extract, extraction_to_json
from loaders.extract.dates import find_dates
from tests.test_extract_actors import make_doc


def test_dates_without_year_resolve_near_the_reference() -> None:
    ref = date(2020, 1, 8)
    got = {d.text: d.value for d in find_dates("On December 27 and January 3, last summer.", ref)}
    assert got["December 27"] == date(2019, 12, 27)
    assert got["January 3"] == date(2020, 1, 3)
    assert got["last summer"].year == 2019


def test_event_with_date_and_roles() -> None:
    raw = (
        "On March 4, a rocket attack on the Al Asad base wounded two soldiers. "
        "Defense Minister Karl Brandt ordered a drone strike on the Harakat Brigades compound. "
        "Planners said they were plotting attacks on other bases."
    )
    ex = extract(make_doc(raw, published=date(2021, 3, 10)))
    j = extraction_to_json(ex)
    dates = {e["date"] for e in j["events"]}
    assert "2021-03-04" in dates
    assert len(j["events"]) == 2  # the plotted attacks are not an event
    roles = {(p["name"], p["role"]) for e in j["events"] for p in e["participants"]}
    assert ("Karl Brandt", "ordered") in roles


def test_same_strike_same_id_across_documents() -> None:
    a = extract(
        make_doc(
            "The strike that killed Soleimani took place January 3.", published=date(2020, 1, 6)
        )
    )
    b = extract(
        make_doc("A drone strike killed Qasem Soleimani late Thursday.", published=date(2020, 1, 4))
    )
    assert {e.id for e in a.events} & {e.id for e in b.events}
