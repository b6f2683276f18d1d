"""Actors: rules find unknown names, resolve aliases, and leave outlets and noise alone."""

from __future__ import annotations

import re
from datetime import date

from kb.model import DocFormat, DocumentMeta, Passage, ReadDocument
from loaders.extract.actors import extract_actors
from loaders.extract.context import build_context


def make_doc(raw: str, author: str | None = None, published: date | None = None) -> ReadDocument:
    """A ReadDocument with one passage per sentence (a naive splitter is enough here)."""
    passages = []
    for i, m in enumerate(re.finditer(r"[^\s][^\n]*?(?:[.!?](?=\s|$)|$)", raw)):
        passages.append(Passage(f"p:{i}", "doc:t", i, m.group(0), m.start(), m.end()))
    meta = DocumentMeta(
        "doc:t", "t", DocFormat.PLAIN, "0" * 64, "t.txt", author=author, published=published
    )
    return ReadDocument(raw, meta, [(0, len(raw))], passages)


def names(raw: str, **kw: object) -> dict[str, str]:
    res = extract_actors(build_context(make_doc(raw, **kw)))  # type: ignore[arg-type]
    return {a.name: a.type.value for a in res.actors.values()}


def test_unknown_person_with_title_and_surname_alias() -> None:
    raw = (
        "Foreign Minister Jaroslav Novotny said the strike was unlawful. "
        "Novotny added that the council would meet."
    )
    res = extract_actors(build_context(make_doc(raw)))
    actor = next(a for a in res.actors.values() if a.name == "Jaroslav Novotny")
    assert actor.type.value == "Person"
    assert sum(1 for m in res.mentions if m.actor_id == actor.id) == 2


def test_organisation_and_group_cues() -> None:
    got = names("The Ministry of Defence condemned it. The Harakat Brigades vowed revenge.")
    assert got.get("Ministry of Defence") == "Organisation"
    assert got.get("Harakat Brigades") == "Group"


def test_states_from_gazetteer_and_transliteration() -> None:
    got = names("Qassem Suleimani travelled from Iran to Iraq. The U.S. struck.")
    assert got["Qasem Soleimani"] == "Person"
    assert got["Iran"] == got["Iraq"] == got["United States"] == "State"


def test_outlets_months_and_sentence_initial_words_are_not_actors() -> None:
    got = names(
        "Over the weekend, The New York Times reported on it. In January, NBC News said so."
    )
    assert not any(
        n in got for n in ("New York Times", "The New York Times", "NBC News", "Over", "January")
    )


def test_the_president_and_administration_resolve() -> None:
    raw = "President Trump spoke. The president said the administration would act."
    res = extract_actors(build_context(make_doc(raw)))
    assert res.president_id == "actor:donald-trump"
    assert "actor:trump-administration" in res.actors


def test_capitalised_place_without_evidence_is_dropped() -> None:
    got = names("The ship sailed past Pearl Harbor and Baghdad International Airport yesterday.")
    assert "Pearl Harbor" not in got and "Baghdad International Airport" not in got
