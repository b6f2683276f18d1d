"""Collective actors and role-introduced people, on invented sentences."""

from __future__ import annotations

from loaders.extract import extract
from loaders.read import read_document


def actors(text: str) -> dict[str, str]:
    ex = extract(read_document(text.encode(), "story.txt"))
    return {a.name: a.type.value for a in ex.actors}


def test_groups_and_institutions_named_by_common_nouns() -> None:
    found = actors(
        "Moldovan-backed militias shelled the border post on Monday, officials said.\n\n"
        "Ruritania's parliament voted to expel the foreign troops.\n\n"
        "Senate Republicans blocked the resolution, and the 41st Mountain Brigade was recalled."
    )
    assert found.get("Moldovan-backed militias") == "Group"
    assert found.get("Ruritania's parliament") == "Organisation"
    assert found.get("Senate Republicans") == "Group"
    assert found.get("41st Mountain Brigade") == "Organisation"


def test_a_description_followed_by_its_name_is_no_second_actor() -> None:
    found = actors("Moldovan-backed militia Brava Front claimed the attack on Monday.")
    assert "Moldovan-backed militia" not in found


def test_a_person_introduced_by_a_role_noun() -> None:
    found = actors("The remark was repeated that evening by television host Dana Kowalczyk.")
    assert found.get("Dana Kowalczyk") == "Person"
