"""MEMBER_OF and LEADS from appositions and titles (loaders/extract/affiliations.py)."""

from __future__ import annotations

from kb.ingest import extract_bytes, extract_file, seed_corpus
from kb.model import RelType

TEXT = """Talks in Vienna

Josep Borrell, the head of the European Union, said talks would go on. Hezbollah leader Hassan \
Nasrallah warned of revenge. A senior Hezbollah commander, Imad Mughniyeh, was killed in 2008. \
Britain's prime minister, Boris Johnson, called for calm. Qasem Soleimani, the leader of Iran's \
elite force, was killed.
"""


def _links(ex) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    names = {a.id: a.name for a in ex.actors}
    return {(names[r.source_id], r.type.value, names[r.target_id]) for r in ex.relations
            if r.type in (RelType.MEMBER_OF, RelType.LEADS)}


def test_heads_and_members_from_appositions_and_titles() -> None:
    links = _links(extract_bytes(TEXT.encode(), "vienna.txt"))
    assert ("Josep Borrell", "LEADS", "European Union") in links
    assert ("Hassan Nasrallah", "LEADS", "Hezbollah") in links
    assert ("Imad Mughniyeh", "MEMBER_OF", "Hezbollah") in links  # "a senior ... commander"
    assert ("Boris Johnson", "LEADS", "United Kingdom") in links
    # "the leader of Iran's elite force": Iran only qualifies the force the text leaves unnamed
    assert not any(s == "Qasem Soleimani" and t == "Iran" for s, _r, t in links)


def test_the_seed_militia_leader() -> None:
    ex = extract_file(seed_corpus() / "000_73353883cdfb1f18.txt")
    assert ("Abu Mahdi al-Muhandis", "LEADS", "Kataib Hezbollah") in _links(ex)
