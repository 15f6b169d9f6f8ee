"""The self-checks' pictures on plain dates (practice/insights.py)."""

from datetime import date

from practice import insights


def test_a_self_check_table_lists_each_take_newest_first():
    takes = [
        (date(2026, 2, 1), dict(seeking_care=2.0, giving_care=3.4, autonomy=2.4, negotiating=3.0)),
        (date(2026, 3, 10), dict(seeking_care=3.2, giving_care=3.0, autonomy=2.8, negotiating=3.6)),
    ]

    table = insights.abilities_chart(takes).table

    assert table.caption == "The four abilities, take by take: Score from 1 to 5"
    assert table.headings == (
        "Taken",
        "Seeking care",
        "Giving care",
        "Comfortable autonomy",
        "Negotiating closeness",
    )
    assert table.rows == [
        ("10 Mar 2026", ("3.2", "3", "2.8", "3.6")),
        ("1 Feb 2026", ("2", "3.4", "2.4", "3")),
    ]
