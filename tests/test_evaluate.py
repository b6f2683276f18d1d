"""The evaluation against the gold files, and the JSON shape it relies on."""

from __future__ import annotations

from pathlib import Path

from loaders.evaluate import evaluate, locate

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO.parent / "shared" / "gold"  # ../shared beside the checkout, as in CI
CORPUS = REPO / "seeds" / "corpus"


def test_locate_tolerates_quotes_and_whitespace() -> None:
    raw = 'he "didn\u2019t  see" it'
    assert locate(raw, 'he "didn\'t see" it') == [(0, len(raw))]


SEED_FLOORS = {
    "actors.recall": 0.95,
    "actors.precision": 0.95,
    "concepts.recall": 0.95,
    "precedents.recall": 0.95,
    "precedents.precision": 0.95,
    "treatment.accuracy": 0.95,
    "concepts.precision": 0.92,
    "claims.recall": 0.97,
    "claims.precision": 0.97,
    "events.precision": 0.75,
    "outlets.recall": 0.95,
    "outlets.precision": 0.97,
    "stance.accuracy": 0.88,
    "traps.hits": 0,
}
"""Just under the seed figures measured with rules written for text in general (README); the
targets ``kb eval`` checks (loaders.evaluate.DEFAULT_TARGETS) are not all met on stance."""


def test_seed_quality_holds_its_floors() -> None:
    report = evaluate(GOLD, CORPUS)
    assert len(report.docs) == 3
    assert report.passed(SEED_FLOORS), report.to_table()
    assert report.treatment_accuracy >= 0.8, report.to_table()


def test_every_stance_error_is_listed_with_the_details() -> None:
    report = evaluate(GOLD, CORPUS)
    for d in report.docs:
        assert len(d.stance_errors) == d.stance_n - d.stance_ok
    wrong = [line for line in report.details().splitlines() if " stance WRONG: " in line]
    assert len(wrong) == sum(len(d.stance_errors) for d in report.docs)


def test_recall_counts_required_items_and_precision_counts_optional_ones_as_right() -> None:
    from loaders.evaluate import DocReport, _score

    rep = DocReport("d")
    gold = [{"name": "a"}, {"name": "b", "optional": True}, {"name": "c"}]
    _score(
        rep, "actors", gold, ["a", "b", "z"], lambda g, p: g["name"] == p, str, lambda g: g["name"]
    )
    s = rep.scores["actors"]
    assert (s.gold_ok, s.gold) == (1, 2)  # c missed; b optional does not count
    assert (s.pred_ok, s.pred) == (2, 3)  # b is right although optional; z is false
    assert rep.missed["actors"] == ["c"] and rep.misses["actors"] == ["z"]


def test_dates_agree_at_the_gold_precision() -> None:
    from datetime import date

    from loaders.evaluate import _date_ok

    day = date(2020, 1, 3)
    assert _date_ok({"date": day}, day, "day")
    assert not _date_ok({"date": day}, day, "month")  # a day must be given as a day
    assert _date_ok({"date": day, "alt_date": date(2020, 1, 2)}, date(2020, 1, 2), "day")
    assert _date_ok({"date": "2019-12"}, date(2019, 12, 1), "month")
    assert not _date_ok({"date": "2019-12"}, date(2019, 12, 1), "day")
    assert _date_ok({"date": 2002}, date(2002, 1, 1), "year")
    assert _date_ok({"date": None}, None, "day")
    assert _date_ok({"date": None, "known_date": day}, day, "day")
    assert not _date_ok({"date": None}, day, "day")
