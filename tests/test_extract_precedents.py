"""Precedents: curated aliases, new ones from comparison language, treatments."""

from __future__ import annotations

from loaders.extract.context import build_context
from loaders.extract.precedents import extract_precedents
from tests.test_extract_actors import make_doc


def test_curated_alias_and_distinguishing() -> None:
    raw = (
        "Some cite the shooting down of Yamamoto in 1943. "
        "By contrast, the recent strike took place in peacetime."
    )
    res = extract_precedents(build_context(make_doc(raw)))
    assert res.treatments["precedent:yamamoto-shoot-down-1943"].value == "distinguishes"


def test_new_precedent_from_comparison_cue() -> None:
    raw = "The closest parallel may be the 1999 Kosovo bombing campaign, which NATO waged."
    res = extract_precedents(build_context(make_doc(raw)))
    names = [p.name for p in res.precedents.values()]
    assert any("Kosovo bombing campaign" in n for n in names)
    assert next(iter(res.treatments.values())).value == "analogizes"


def test_person_comparison_is_not_an_episode() -> None:
    raw = "Officials compared him to the leader of the rebel group."
    assert extract_precedents(build_context(make_doc(raw))).precedents == {}
