"""The evaluation against the gold files, and the JSON shape it relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.evaluate import DEFAULT_TARGETS, evaluate, locate

GOLD = Path("/work/shared/gold")
CORPUS = Path(__file__).resolve().parent.parent / "seeds" / "corpus"


def test_locate_tolerates_quotes_and_whitespace() -> None:
    raw = 'he "didn\u2019t  see" it'
    assert locate(raw, 'he "didn\'t see" it') == [(0, len(raw))]


@pytest.mark.skipif(not GOLD.exists(), reason="gold annotations not available")
def test_seed_quality_targets() -> None:
    report = evaluate(GOLD, CORPUS)
    assert len(report.docs) == 3
    table = report.to_table()
    assert report.passed(DEFAULT_TARGETS), table
