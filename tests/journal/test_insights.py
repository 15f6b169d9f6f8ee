"""The insights rules on plain dates: weeks, days practised, the calendar and the weekly chart."""

from datetime import date, timedelta

from journal import insights, kinds

WEDNESDAY = date(2026, 3, 11)
DAY = timedelta(days=1)


def _row(day: date, kind: str, response: str = "", n: int = 1) -> dict:
    return {"day": day, "kind": kind, "response": response, "n": n}


def _build(rows, today=WEDNESDAY, kinds=("gratitude", "bid", "apology")):
    return insights.build_insights(today=today, kinds=kinds, counts=rows)


def test_weeks_start_on_monday():
    assert insights.week_start(WEDNESDAY) == date(2026, 3, 9)
    assert insights.week_start(date(2026, 3, 9)) == date(2026, 3, 9)
    assert insights.week_start(date(2026, 3, 15)) == date(2026, 3, 9)  # Sunday


def test_days_practised_count_entries_of_any_kind_once_per_day():
    rows = [
        _row(date(2026, 3, 9), "gratitude", n=3),  # Monday, three entries: one day
        _row(date(2026, 3, 9), "apology"),
        _row(date(2026, 3, 10), "bid", "away"),  # a bid turned away still is practice
        _row(date(2026, 3, 11), "apology"),
        _row(date(2026, 3, 1), "gratitude"),  # earlier this month, the week before
        _row(date(2026, 2, 28), "gratitude"),  # last month
    ]

    result = _build(rows)

    assert (result.days_this_week, result.days_this_month) == (3, 4)


def test_positive_and_negative_moments_follow_the_words_we_use():
    assert kinds.moment_of("gratitude", {}) == "positive"
    assert kinds.moment_of("bid", {"response": "toward"}) == "positive"
    assert kinds.moment_of("bid", {"response": "away"}) == "negative"
    assert kinds.moment_of("bid", {"response": "against"}) == "negative"
    assert kinds.moment_of("apology", {}) is None


def test_weekly_chart_totals_each_monday_to_sunday_week():
    rows = [
        _row(date(2026, 3, 9), "gratitude", n=4),
        _row(date(2026, 3, 10), "bid", "toward", n=2),
        _row(date(2026, 3, 11), "bid", "away"),
        _row(date(2026, 3, 8), "bid", "against", n=2),  # Sunday: last week
        _row(date(2026, 3, 8), "gratitude"),
        _row(date(2026, 3, 8), "apology"),  # neither positive nor negative
    ]

    chart = _build(rows).chart

    assert len(chart.weeks) == 8
    assert [(w.start, w.positive, w.negative) for w in chart.weeks[-2:]] == [
        (date(2026, 3, 2), 1, 2),
        (date(2026, 3, 9), 6, 1),
    ]
    assert chart.summary == (
        "This week so far: 6 positive moments and 1 negative one. That is 6 to 1. "
        "The target is 5 to 1."
    )


def test_weekly_chart_target_line_sits_at_five_per_negative_moment():
    rows = [_row(date(2026, 3, 9), "bid", "away", n=2), _row(date(2026, 3, 9), "gratitude", n=3)]

    chart = _build(rows).chart
    week = chart.this_week

    assert (week.target, week.ratio, chart.top) == (10, "1.5 to 1", 10)
    # The scale's top is the target: the line is drawn at the top gridline.
    assert week.target_y == chart.gridlines[-1][1]
    assert week.positive_bar[1] == round(0.3 * (chart.baseline - chart.gridlines[-1][1]), 1)


def test_weekly_chart_with_nothing_negative_says_so_without_judgement():
    chart = _build([_row(WEDNESDAY, "gratitude")]).chart

    assert chart.summary == (
        "This week so far: 1 positive moment and no negative ones. The target is 5 to 1."
    )
    assert chart.this_week.ratio == ""


def test_calendar_has_twelve_monday_to_sunday_columns_ending_this_week():
    rows = [_row(WEDNESDAY, "gratitude"), _row(date(2026, 3, 2), "gratitude")]

    calendar = _build(rows).calendar

    assert len(calendar.weeks) == 12
    assert calendar.weeks[0].start == date(2025, 12, 22)
    assert calendar.weeks[-1].start == date(2026, 3, 9)
    assert [d.day.weekday() for d in calendar.weeks[0].days] == list(range(7))
    filled = [d.day for w in calendar.weeks for d in w.days if d.practised]
    assert filled == [date(2026, 3, 2), WEDNESDAY]
    assert [d.day for w in calendar.weeks for d in w.days if d.is_today] == [WEDNESDAY]
    assert [d.day for d in calendar.weeks[-1].days if d.is_future] == [
        date(2026, 3, 12),
        date(2026, 3, 13),
        date(2026, 3, 14),
        date(2026, 3, 15),
    ]
    assert calendar.summary == "Gratitude written on 2 days in the last 12 weeks."


def test_calendar_fills_only_gratitude_days():
    rows = [_row(WEDNESDAY, "bid", "toward"), _row(WEDNESDAY - DAY, "apology")]

    calendar = _build(rows).calendar

    assert not any(d.practised for w in calendar.weeks for d in w.days)
    assert calendar.summary == "No gratitude entries in the last 12 weeks yet."


def test_calendar_labels_the_month_where_it_starts():
    calendar = _build([]).calendar

    labels = [(w.start, w.month_label) for w in calendar.weeks if w.month_label]
    assert labels == [
        (date(2025, 12, 22), "Dec"),
        (date(2025, 12, 29), "Jan"),
        (date(2026, 1, 26), "Feb"),
        (date(2026, 2, 23), "Mar"),
    ]


def test_calendar_table_names_the_days_week_by_week_newest_first():
    rows = [_row(WEDNESDAY, "gratitude"), _row(date(2026, 3, 3), "gratitude")]
    rows.append(_row(date(2026, 3, 5), "gratitude"))

    table = _build(rows).calendar.table

    assert table.headings == ("Week of", "Days with gratitude")
    assert table.rows[:3] == [
        ("Mon 9 Mar", ("Wed",)),
        ("Mon 2 Mar", ("Tue, Thu",)),
        ("Mon 23 Feb", ("No entries",)),
    ]
    assert len(table.rows) == 12


def test_only_the_kinds_asked_for_are_drawn():
    bids_only = _build([], kinds={"bid"})
    apologies_only = _build([], kinds={"apology"})

    assert (bids_only.calendar, bids_only.chart is not None) == (None, True)
    assert (apologies_only.calendar, apologies_only.chart) == (None, None)


def test_the_window_covers_the_calendar_the_chart_and_the_month():
    assert insights.window_start(WEDNESDAY) == date(2025, 12, 22)
