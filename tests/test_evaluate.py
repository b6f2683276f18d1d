"""The evaluation against the gold files, and the JSON shape it relies on."""

from __future__ import annotations

from pathlib import Path

from loaders.evaluate import DEFAULT_TARGETS, evaluate, locate

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO.parent / "shared" / "gold"  # ../shared beside the checkout, as in CI
CORPUS = REPO / "seeds" / "corpus"


def test_locate_tolerates_quotes_and_whitespace() -> None:
    raw = 'he "didn\u2019t  see" it'
    assert locate(raw, 'he "didn\'t see" it') == [(0, len(raw))]


def test_seed_quality_targets() -> None:
    report = evaluate(GOLD, CORPUS)
    assert len(report.docs) == 3
    table = report.to_table()
    assert report.passed(DEFAULT_TARGETS), table
