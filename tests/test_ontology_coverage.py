"""The legal thesaurus and the precedent gazetteer: coverage, well-formedness, alias hygiene.

The extractors link every mention through these files, so a bad entry costs precision on every
document: a bare common word as an alias ("continuing", "force") links ordinary prose to a legal
concept, an alias shared by two concepts makes the link arbitrary, and a broken ``related``
target silently drops an edge. These tests read the YAML as shipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from loaders.extract.precedents import comparison_cues
from loaders.ontology import fold, load_ontology, phrase_pattern
from seeds import ontology_dir

# Words that are never an alias on their own, whatever the capitalisation rule says.
STOP = {
    "attack", "attacks", "continuing", "force", "war", "law", "strike", "strikes", "threat",
    "killing", "charter", "congress", "president", "court", "treaty", "resolution", "crime",
    "defense", "defence", "state", "government", "military", "action", "power", "powers",
    "imminent", "justification", "authority", "authorization", "necessity", "revenge",
}  # fmt: skip

# Canonical concept names the gold conventions use; each must name exactly one concept.
CANONICAL = [
    "imminent threat",
    "UN Charter Article 51 self-defense",
    "Congressional authorization",
    "war powers",
    "necessity and proportionality",
    "War Powers Resolution",
    "AUMF 2001",
    "AUMF 2002",
    "presidential constitutional authority (Article II)",
    "international law",
    "war crime",
    "armed attack",
    "use of force",
    "UN Charter",
    "anticipatory self-defense",
    "deterrence",
    "targeted killing",
    "assassination",
    "sovereignty",
]


def _yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((ontology_dir() / name).read_text(encoding="utf-8")) or {}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text).lower()).strip()


CONCEPTS = _yaml("concepts.yaml")
PRECEDENTS = _yaml("precedents.yaml")
TERMS_OF_ART = {t.lower() for t in CONCEPTS.get("terms_of_art", [])}


def _single_word_ok(alias: str) -> bool:
    """A one-word alias must be a name, an acronym, carry a digit or hyphen, or be a term of art."""
    return alias[:1].isupper() or bool(re.search(r"[\d-]", alias)) or alias.lower() in TERMS_OF_ART


def _entries() -> list[tuple[str, dict[str, Any]]]:
    return [("concept", c) for c in CONCEPTS["concepts"]] + [
        ("precedent", p) for p in PRECEDENTS["precedents"]
    ]


def test_counts() -> None:
    onto = load_ontology(str(ontology_dir()))
    assert len(onto.concepts) >= 60
    assert len(onto.precedents) >= 50
    assert len(onto.concepts) == len(CONCEPTS["concepts"]), "duplicate concept ids"
    assert len(onto.precedents) == len(PRECEDENTS["precedents"]), "duplicate precedent ids"


def test_every_concept_has_a_definition_and_every_precedent_a_date_and_summary() -> None:
    onto = load_ontology(str(ontology_dir()))
    assert [c.id for c in onto.concepts.values() if not c.definition] == []
    assert [p.id for p in onto.precedents.values() if p.date is None] == []
    assert [p.id for p in onto.precedents.values() if not p.summary] == []


def test_related_targets_exist_and_is_a_has_no_cycle() -> None:
    onto = load_ontology(str(ontology_dir()))
    dangling = [(c.id, to) for c in onto.concepts.values() for to, _ in c.related]
    assert [d for d in dangling if d[1] not in onto.concepts] == []
    for cid in onto.concepts:
        seen, todo = set(), [cid]
        while todo:
            cur = todo.pop()
            for to, kind in onto.concepts[cur].related:
                if kind == "is_a":
                    assert to != cid, f"is_a cycle through {cid}"
                    if to not in seen:
                        seen.add(to)
                        todo.append(to)


@pytest.mark.parametrize("kind,entry", _entries(), ids=lambda v: v if isinstance(v, str) else "")
def test_no_alias_is_a_bare_common_word(kind: str, entry: dict[str, Any]) -> None:
    for alias in [entry["name"], *entry.get("aliases", [])]:
        alias = str(alias)
        assert _norm(alias) not in STOP, f"{kind} {entry['id']}: bare common word {alias!r}"
        if len(alias.split()) == 1:
            assert _single_word_ok(alias), f"{kind} {entry['id']}: one-word alias {alias!r}"


@pytest.mark.parametrize("kind,entry", _entries(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_alias_compiles_and_matches_its_own_text(kind: str, entry: dict[str, Any]) -> None:
    onto = load_ontology(str(ontology_dir()))
    compiled = (onto.concepts if kind == "concept" else onto.precedents)[entry["id"]].regex
    assert compiled is not None
    for alias in [entry["name"], *entry.get("aliases", [])]:
        alias = str(alias)
        own = re.compile(phrase_pattern(alias), re.I)
        assert own.search(fold(alias)), f"{entry['id']}: {alias!r} does not match itself"
        assert compiled.search(alias), f"{entry['id']}: entry regex misses {alias!r}"
    for pattern in entry.get("patterns", []):
        re.compile(pattern, re.I)


def test_no_alias_shared_by_two_concepts_or_two_precedents() -> None:
    for section, items in (("concepts", CONCEPTS), ("precedents", PRECEDENTS)):
        owner: dict[str, str] = {}
        for entry in items[section]:
            for alias in {_norm(str(a)) for a in [entry["name"], *entry.get("aliases", [])]}:
                assert alias not in owner, f"{alias!r}: {owner.get(alias)} and {entry['id']}"
                owner[alias] = entry["id"]


def test_gold_canonical_names_each_name_one_concept() -> None:
    onto = load_ontology(str(ontology_dir()))
    for name in CANONICAL:
        owners = [
            c.id
            for c in onto.concepts.values()
            if _norm(name) in {_norm(n) for n in [c.name, *c.aliases]}
        ]
        assert len(owners) == 1, f"{name!r} is named by {owners}"


def test_ppg_standard_is_not_linked_by_imminence_alone() -> None:
    onto = load_ontology(str(ontology_dir()))
    ppg = onto.concepts["continuing-imminent-threat"]
    assert not ppg.regex.search("an imminent threat to US forces")
    assert not ppg.regex.search("the continuing protests")
    assert ppg.regex.search("a continuing, imminent threat to US persons")


def test_comparison_cues_compile_and_keep_names_short() -> None:
    cues = comparison_cues()
    assert cues.analogize.search("as with the raid") and cues.distinguish.search("unlike it")
    assert cues.max_name_words <= 8 and cues.max_id_chars <= 60
    data = _yaml("comparison_cues.yaml")
    for key in ("analogize", "distinguish", "new_precedent", "next_sentence_distinguish"):
        assert data[key], key
        for cue in data[key]:
            re.compile(cue, re.I)


def test_ontology_files_hold_no_copied_text() -> None:
    """No seed or dev-set sentence is pasted into the ontology (checked when ../shared exists)."""
    shared = Path(__file__).resolve().parents[1] / ".." / "shared" / "devset" / "texts"
    if not shared.is_dir():
        pytest.skip("../shared/devset is not here (it holds the texts this compares against)")
    onto_text = " ".join(
        _norm((ontology_dir() / f).read_text(encoding="utf-8"))
        for f in ("concepts.yaml", "precedents.yaml", "comparison_cues.yaml")
    )
    for path in sorted(shared.glob("*.txt")):
        words = _norm(path.read_text(encoding="utf-8")).split()
        # any run of 12 words from a text would be a copied sentence
        runs = {" ".join(words[i : i + 12]) for i in range(0, max(0, len(words) - 12), 6)}
        assert not [r for r in runs if r in onto_text], path.name
