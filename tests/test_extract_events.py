"""Events: dates resolved against the document or the text, participants with roles."""

from __future__ import annotations

from datetime import date

from test_api_support import gql, make_app, ok

from kb.config import Settings
from kb.store.base import GraphStore
from kb.writer import write_extraction
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


def _events(raw: str, published: date | None = date(2021, 3, 10)) -> list[dict]:
    return extraction_to_json(extract(make_doc(raw, published=published)))["events"]


def test_roles_come_from_the_clause_not_the_nearest_verb() -> None:
    raw = (
        "Defense Minister Karl Brandt said on Monday that the Harakat Brigades attacked "
        "the Al Asad base overnight."
    )
    [event] = _events(raw)
    roles = {(p["name"], p["role"]) for p in event["participants"]}
    assert ("Harakat Brigades", "agent") in roles
    assert not any(name == "Karl Brandt" for name, _ in roles)  # he only spoke of it
    assert event["date"] == "2021-03-10"  # "overnight", not the Monday he spoke


def test_same_event_twice_is_one_event_with_a_whole_name() -> None:
    raw = (
        "An attack on an army base in northern Gavaria in late February killed a contractor. "
        "The Harakat Brigades were blamed for the attack."
    )
    events = _events(raw)
    assert len(events) == 1
    assert events[0]["name"] == "Attack on an army base in northern Gavaria"
    assert events[0]["date"] == "2021-02"  # month precision: no day is invented


def test_planned_event_is_marked_and_dated_forward() -> None:
    raw = "Speaker Ana Ruiz announced that the parliament would vote Thursday on the measure."
    events = _events(raw, published=date(2021, 3, 10))  # a Wednesday
    planned = [e for e in events if e["name"].startswith("Planned")]
    assert planned and planned[0]["date"] == "2021-03-11"


def test_hypothetical_negated_and_generic_mentions_are_no_events() -> None:
    raw = (
        "Analysts said the militia could attack other bases. "
        "The government did not retaliate. "
        "Drone strikes have become a common tool of counterterrorism."
    )
    assert _events(raw) == []


def test_season_precision_is_exposed() -> None:
    raw = "President Lena Ostrova authorized the targeted killing of Omar Haddad last summer."
    [event] = _events(raw, published=date(2021, 1, 20))
    assert event["date"] == "2020-22"  # summer 2020, never a day
    ex = extract(make_doc(raw, published=date(2021, 1, 20)))
    assert ex.events[0].date_precision == "season"


def test_a_tweet_signature_does_not_date_the_tweet_s_event() -> None:
    raw = "The strike on the Al Asad base was lawful. — Jane Roe (@janeroe) March 3, 2021"
    assert all(e["date"] != "2021-03-03" for e in _events(raw))


def test_relative_to_the_previous_event_and_vague_days_later() -> None:
    raw = (
        "On March 2, the Harakat Brigades attacked the Al Asad base. "
        "The next day, General Omar Haddad visited the base. "
        "Days later, the Harakat Brigades attacked a convoy near Tikrit."
    )
    by_name = {e["name"]: e["date"] for e in _events(raw)}
    assert by_name["General Omar Haddad visited the base"] == "2021-03-03"
    convoy = [d for n, d in by_name.items() if "convoy" in n]
    assert convoy == [None]  # "days later" names no day: none is invented


def test_without_a_publication_date_weekdays_follow_the_latest_stated_date() -> None:
    raw = (
        "On January 3, 2020, a drone strike killed General Omar Haddad near Tikrit. "
        "On Tuesday, the Harakat Brigades attacked the Al Asad base."
    )
    dates = {e["date"] for e in _events(raw, published=None)}
    assert "2020-01-07" in dates  # the Tuesday after January 3, not the one before


def test_one_killing_named_three_ways_is_one_event() -> None:
    raw = (
        "A drone strike killed General Omar Haddad on Friday. "
        "Haddad's death shocked the region. "
        "Critics called the killing unlawful."
    )
    events = _events(raw, published=date(2021, 3, 8))  # a Monday
    assert len(events) == 1
    assert events[0]["date"] == "2021-03-05"
    assert ("Omar Haddad", "victim") in {(p["name"], p["role"]) for p in events[0]["participants"]}


def test_a_day_known_by_its_name_is_an_event() -> None:
    raw = "The group responsible for 9/11 is long gone, but the law remains."
    [event] = _events(raw)
    assert event["date"] == "2001-09-11"


def test_who_is_blamed_for_an_attack_is_its_agent() -> None:
    raw = (
        "On March 2, a rocket attack on the Al Asad base killed a contractor. "
        "Defense Minister Karl Brandt blamed the attack on the Harakat Brigades and "
        "retaliated with airstrikes on their camps."
    )
    events = _events(raw)
    roles = {(e["name"], p["name"], p["role"]) for e in events for p in e["participants"]}
    rocket = next(e for e in events if e["name"].startswith("Rocket attack"))
    assert {(p["name"], p["role"]) for p in rocket["participants"]} == {
        ("Harakat Brigades", "agent")
    }
    assert any(
        n.startswith("Airstrikes") and who == "Karl Brandt" and r == "agent" for n, who, r in roles
    )


async def test_date_precision_reaches_the_api(store: GraphStore, settings: Settings) -> None:
    raw = (
        "President Lena Ostrova authorized the targeted killing of Omar Haddad last summer. "
        "An attack on an army base in northern Gavaria in late December killed a contractor."
    )
    await write_extraction(store, extract(make_doc(raw, published=date(2021, 1, 20))))
    data = ok(await gql(make_app(store, settings), "{ events { nodes { date datePrecision } } }"))
    got = {(n["date"], n["datePrecision"]) for n in data["events"]["nodes"]}
    assert ("2020-06-01", "season") in got
    assert ("2020-12-01", "month") in got
