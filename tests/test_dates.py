"""Date expressions: resolution against the document's date, at the precision the words give."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.extract.dates import after, find_dates, format_date, forward

REF = date(2020, 1, 8)  # a Wednesday


def _one(text: str, ref: date | None = REF):
    found = find_dates(text, ref)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Iran responded overnight.", date(2020, 1, 8), "day"),
        ("The news broke last night.", date(2020, 1, 7), "day"),
        ("He spoke on Thursday.", date(2020, 1, 2), "day"),
        ("They met Monday night.", date(2020, 1, 6), "day"),
        ("The order was given Jan. 2.", date(2020, 1, 2), "day"),
        ("On December 27 a contractor died.", date(2019, 12, 27), "day"),
        ("It was passed in 2002.", date(2002, 1, 1), "year"),
        ("Pence visited in November.", date(2019, 11, 1), "month"),
        ("He visited it in December 2018.", date(2018, 12, 1), "month"),
        ("An attack in late December.", date(2019, 12, 1), "month"),
        ("Airstrikes at the end of December.", date(2019, 12, 1), "month"),
        ("It began earlier this month.", date(2020, 1, 1), "month"),
        ("It was decided last summer.", date(2019, 6, 1), "season"),
        ("Militias besieged it last week.", date(2019, 12, 30), "week"),
        ("A force was sent over the weekend.", date(2020, 1, 4), "week"),
        ("It was signed seven months ago.", date(2019, 6, 1), "month"),
        ("Those responsible for 9/11.", date(2001, 9, 11), "day"),
    ],
)
def test_resolution_and_precision(text: str, value: date, precision: str) -> None:
    d = _one(text)
    assert (d.value, d.precision) == (value, precision)


def test_month_parts_and_seasons_never_invent_a_day() -> None:
    assert format_date(_one("in late December").value, "month") == "2019-12"
    summer = _one("last summer")
    assert format_date(summer.value, summer.precision) == "2019-22"  # EDTF: summer 2019
    week = _one("last week")
    assert format_date(week.value, week.precision) == "2020-W01"


def test_vague_counts_and_unanchored_words_stay_unresolved() -> None:
    assert _one("more than a year ago").value is None
    assert _one("on Friday", None).value is None  # no reference date: no guess


def test_planned_weekday_reads_forward() -> None:
    thursday = _one("the House would vote Thursday")
    assert thursday.value == date(2020, 1, 2)
    assert forward(thursday, REF).value == date(2020, 1, 9)
    same_day = _one("a vote on Wednesday")
    assert forward(same_day, REF).value == REF


def test_relative_to_the_previous_event() -> None:
    nxt = _one("The next day, protesters gathered.")
    assert nxt.value is None and nxt.after_previous == 1
    assert after(nxt, (date(2019, 12, 29), "day")).value == date(2019, 12, 30)
    vague = _one("Days later, Iran retaliated.")
    assert after(vague, (date(2020, 1, 3), "day")).value is None  # "days later" names no day
    assert after(nxt, (date(2019, 12, 1), "month")).value is None  # no day to count from
