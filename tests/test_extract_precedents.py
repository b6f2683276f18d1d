"""Precedents: curated aliases, new ones from comparison language, treatments per mention."""

from __future__ import annotations

from loaders.extract.context import build_context
from loaders.extract.precedents import extract_precedents
from tests.test_extract_actors import make_doc


def _run(raw: str):  # type: ignore[no-untyped-def]
    return extract_precedents(build_context(make_doc(raw)))


def test_curated_alias_and_distinguishing() -> None:
    raw = (
        "Some cite the shooting down of Yamamoto in 1943. "
        "By contrast, the recent strike took place in peacetime."
    )
    res = _run(raw)
    assert res.treatments["precedent:yamamoto-shoot-down-1943"].value == "distinguishes"


def test_new_precedent_from_comparison_cue() -> None:
    raw = "The closest parallel may be the 1968 seizure of the USS Pueblo, which North Korea held."
    res = _run(raw)
    names = [p.name for p in res.precedents.values()]
    assert names == ["1968 seizure of the USS Pueblo"]
    assert next(iter(res.treatments.values())).value == "analogizes"
    assert next(iter(res.precedents.values())).date is not None  # the year in its name


def test_person_comparison_is_not_an_episode() -> None:
    raw = "Officials compared him to the leader of the rebel group."
    assert _run(raw).precedents == {}


def test_compared_to_a_curated_episode_analogizes() -> None:
    res = _run("She compared the strike to the 1986 bombing of Libya.")
    assert [m.treatment.value for m in res.mentions] == ["analogizes"]
    assert list(res.precedents) == ["precedent:bombing-of-libya-1986"]


def test_treatment_is_read_per_mention() -> None:
    raw = (
        "As with the 1989 invasion of Panama, Congress was never asked. "
        "Unlike the raid on bin Laden, this strike killed an official of a state."
    )
    res = _run(raw)
    got = {m.precedent_id: m.treatment.value for m in res.mentions}
    assert got == {
        "precedent:panama-invasion-1989": "analogizes",
        "precedent:bin-laden-raid-2011": "distinguishes",
    }


def test_negated_analogy_distinguishes() -> None:
    res = _run("Critics said it was not the same as the Abbottabad raid.")
    assert [m.treatment.value for m in res.mentions] == ["distinguishes"]


def test_new_names_are_short_noun_phrases_not_sentences() -> None:
    raw = (
        "Not since the 1979 takeover of the Grand Mosque in Mecca by armed militants during the "
        "pilgrimage season had the kingdom seen such an assault. "
        "It rested on the same legal rationale as the 2015 strikes on a training camp in Raqqa."
    )
    res = _run(raw)
    names = sorted(p.name for p in res.precedents.values())
    assert names
    for p in res.precedents.values():
        assert len(p.name.split()) <= 8, p.name
        assert len(p.id) <= 70, p.id
        assert " had " not in f" {p.name} "


def test_considered_but_decided_against_is_named_briefly() -> None:
    raw = (
        "The administrations of both President George W. Bush and President Obama considered "
        "targeting the general, but decided against it."
    )
    res = _run(raw)
    [p] = res.precedents.values()
    assert p.name.startswith("Bush and Obama decision against targeting")
    assert len(p.id) <= 70
    assert res.treatments[p.id].value == "distinguishes"


def test_described_episode_found_by_pattern() -> None:
    res = _run("Some recalled the 1979 seizure of the American embassy in Tehran by students.")
    assert "precedent:iran-hostage-crisis-1979" in res.precedents


def test_an_episode_that_only_dates_the_present_is_no_precedent() -> None:
    """A time anchor ("after the 2003 invasion") or a link ("ties to the 9/11 attacks") with no
    comparison language in its sentence is background, not a precedent."""
    for raw in (
        "Relations froze after the 1979 seizure of the American embassy in Tehran by students.",
        "The base has housed coalition troops since the 2003 invasion of Iraq.",
        "Hundreds of soldiers died in the years following the 2003 invasion of Iraq.",
        "The senator alleged a link between the group and the September 11 attacks.",
        "Officials said the commander was responsible for the 1983 bombing of the Marine barracks.",
    ):
        assert _run(raw).precedents == {}, raw
    # with a comparison cue in the sentence the same words are a comparison
    res = _run("It was the deadliest attack on Americans since the 1983 Beirut barracks bombing.")
    assert [m.treatment.value for m in res.mentions] == ["analogizes"]


def test_an_episode_of_holding_back_distinguishes() -> None:
    res = _run("Last summer the president called off strikes on Iran at the last minute.")
    assert [m.treatment.value for m in res.mentions] == ["distinguishes"]
    assert list(res.precedents) == ["precedent:trump-iran-strike-called-off-2019"]


def test_background_entries_need_comparison_language() -> None:
    """The nuclear deal is named in most news about Iran; it is a precedent only when set beside
    the action, and a lapsed-premise word ("no longer") is not comparison language."""
    assert (
        _run(
            "Tehran said it would no longer honour the limits of the 2015 nuclear deal."
        ).precedents
        == {}
    )
    res = _run("These are the same advisers who pushed the Iran nuclear deal past Congress.")
    assert [m.treatment.value for m in res.mentions] == ["analogizes"]
    assert list(res.precedents) == ["precedent:iran-nuclear-deal-2015"]


def test_the_claimed_power_to_kill_anywhere_is_the_targeted_killing_practice() -> None:
    res = _run(
        "Presidents of both parties now assert a power to kill suspected enemies anywhere on "
        "earth on the strength of secret evidence."
    )
    assert list(res.precedents) == ["precedent:us-drone-strikes-pakistan-yemen-somalia"]
    assert _run("The new rules give police no power to kill anyone.").precedents == {}


def test_an_echo_chamber_is_no_echo() -> None:
    res = _run("Pundits in an echo chamber talked about the 1986 bombing of Libya.")
    assert [m.treatment.value for m in res.mentions] == ["mentions"]


def test_a_name_used_as_a_type_analogizes() -> None:
    res = _run("Critics warned that the siege could turn into another Benghazi.")
    assert [(m.precedent_id, m.treatment.value) for m in res.mentions] == [
        ("precedent:benghazi-attack-2012", "analogizes")
    ]
    # the episode as a news topic of its own is no comparison
    assert (
        _run("The Benghazi committee questioned the former secretary for hours.").precedents == {}
    )


def test_comparison_language_of_commentary() -> None:
    cases = {
        "She compared the killing of the general to the 1986 bombing of Libya.": "analogizes",
        "Critics likened the strike to the 1979 Soviet invasion of Afghanistan.": "analogizes",
        "The operation resembled the Gulf of Tonkin incident.": "analogizes",
        "The episode invites comparisons with the Cuban missile crisis.": "analogizes",
        "The raid is not unprecedented: it follows the Entebbe raid.": "analogizes",
        "The precedent here is the killing of Abu Bakr al-Baghdadi.": "analogizes",
        "The 2011 intervention in Libya was never authorized by Congress either.": "analogizes",
        "This is no different from the raid on bin Laden.": "analogizes",
        "This is different from the raid that killed al-Baghdadi.": "distinguishes",
        "The strike contrasts sharply with the Yamamoto shoot-down.": "distinguishes",
    }
    for raw, want in cases.items():
        got = [m.treatment.value for m in _run(raw).mentions]
        assert got == [want], (raw, got)


def test_the_more_specific_episode_wins() -> None:
    res = _run("Critics likened the strike to the 1979 Soviet invasion of Afghanistan.")
    assert list(res.precedents) == ["precedent:soviet-invasion-of-afghanistan-1979"]
    # an earlier year cannot name a later episode
    assert _run("Some recalled the 1979 invasion of Afghanistan.").precedents.keys() != {
        "precedent:afghanistan-war-2001"
    }


def test_citing_an_example_leaves_the_treatment_to_what_follows() -> None:
    raw = (
        "The example usually cited is the shooting down of Yamamoto in 1943. "
        "But that happened in a declared war."
    )
    res = _run(raw)
    assert res.treatments["precedent:yamamoto-shoot-down-1943"].value != "analogizes"


def test_new_precedent_names_after_widened_cues() -> None:
    res = _run("Critics compared the decision with the 2014 Israeli raid on a Gaza tunnel network.")
    assert [p.name for p in res.precedents.values()] == [
        "2014 Israeli raid on a Gaza tunnel network"
    ]
    assert _run("The senator compared the president to a reckless gambler.").precedents == {}


def test_a_background_entry_needs_comparison_language_before_it() -> None:
    # a cue after the mention, or a citing verb that governs something else, is not enough
    for raw in (
        "The senator, who voiced doubts about the Iran nuclear deal, set himself apart.",
        "The paper cited officials as saying the Benghazi attack was planned.",
        "He was pardoned for his part in the tangled affair later called the Iran-Contra scandal.",
    ):
        assert _run(raw).precedents == {}, raw
    res = _run("Historians invoked the Iran-Contra affair.")
    assert list(res.precedents) == ["precedent:iran-contra-affair-1986"]
    res = _run("There was nothing like the Iran-Contra affair under this president.")
    assert [m.treatment.value for m in res.mentions] == ["distinguishes"]


def test_a_different_account_is_no_distinction() -> None:
    res = _run("A witness gave a different account of the Entebbe raid.")
    assert [m.treatment.value for m in res.mentions] == ["mentions"]
