"""Insights: pure calculations over local days and counts, and the layout of their pictures.

Nothing here reads the database. `selectors.insights_for` fetches the counts and hands them
to `build_insights`, so every rule (weeks start on Monday, what is positive or negative)
can be tested with plain dates.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from .kinds import GRATITUDE, POSITIVE, counted_kinds, moment_of

TARGET_RATIO = 5
CALENDAR_WEEKS = 12
CHART_WEEKS = 8
ONE_DAY = timedelta(days=1)
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# SVG geometry, in viewBox units (the pictures scale to the width of the page).
CELL, CELL_GAP, CAL_LEFT, CAL_TOP = 20, 4, 34, 18
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_TOP, CHART_BOTTOM = 320, 200, 30, 10, 24
BASELINE = CHART_HEIGHT - CHART_BOTTOM  # y of the chart's zero line


def week_start(day: date) -> date:
    """The Monday of the week the day falls in."""
    return day - timedelta(days=day.weekday())


def window_start(today: date) -> date:
    """The first day any picture or count on the insights page needs."""
    calendar = week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
    chart = week_start(today) - timedelta(weeks=CHART_WEEKS - 1)
    return min(calendar, chart, today.replace(day=1))


def days_practised_between(days: Iterable[date], start: date, end: date) -> int:
    return len({day for day in days if start <= day <= end})


def plural(count: int, singular: str, many: str = "") -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def ratio_text(positive: int, negative: int) -> str:
    """'6 to 1', '2.5 to 1'; empty when there is nothing negative to compare with."""
    if not negative:
        return ""
    ratio = round(positive / negative, 1)
    return f"{ratio:g} to 1"


def week_label(start: date) -> str:
    """'Mon 9 Mar': a week's row in the tables under the pictures."""
    return f"{start:%a} {start.day} {start:%b}"


@dataclass(frozen=True)
class Table:
    """The numbers a picture shows, for anyone who cannot see it: column headings, then one
    row per week (or take), each its heading and cells, newest first; drawn by
    journal/_numbers_table.html."""

    caption: str
    headings: tuple[str, ...]
    rows: list[tuple[str, tuple]]

    @classmethod
    def weekly(
        cls, caption: str, headings: tuple[str, ...], weeks: list, cells: Callable
    ) -> "Table":
        """A row per week, newest first: the week's start, then `cells(week)`."""
        return cls(caption, headings, [(week_label(w.start), cells(w)) for w in reversed(weeks)])


# Gratitude calendar -------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: date
    practised: bool
    is_today: bool
    is_future: bool
    x: int
    y: int

    @property
    def css_class(self) -> str:
        return "cal-day" + " practised" * self.practised + " today" * self.is_today

    @property
    def label(self) -> str:
        done = "gratitude written" if self.practised else "no gratitude entry"
        today = " (today)" if self.is_today else ""
        return f"{self.day:%a} {self.day.day} {self.day:%b}: {done}{today}"


@dataclass(frozen=True)
class CalendarWeek:
    start: date
    days: list[CalendarDay]
    month_label: str
    x: int

    @property
    def practised_names(self) -> list[str]:
        return [WEEKDAY_NAMES[d.day.weekday()] for d in self.days if d.practised]


@dataclass(frozen=True)
class Calendar:
    weeks: list[CalendarWeek]
    practised_days: int
    row_labels: list[tuple[str, int]]
    width: int = CAL_LEFT + CALENDAR_WEEKS * (CELL + CELL_GAP)
    height: int = CAL_TOP + 7 * (CELL + CELL_GAP)
    cell: int = CELL

    @property
    def summary(self) -> str:
        if not self.practised_days:
            return f"No gratitude entries in the last {CALENDAR_WEEKS} weeks yet."
        days = plural(self.practised_days, "day")
        return f"Gratitude written on {days} in the last {CALENDAR_WEEKS} weeks."

    @property
    def table(self) -> Table:
        return Table.weekly(
            "Days with a gratitude entry, week by week",
            ("Week of", "Days with gratitude"),
            self.weeks,
            lambda week: (", ".join(week.practised_names) or "No entries",),
        )

    @property
    def day_squares(self) -> SafeString:
        """The picture's squares, one per day so far. Built here rather than in a template
        loop, where 84 squares of eight lookups each came to some 700 nodes every render."""
        return format_html_join(
            "\n",
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="4"><title>{}</title></rect>',
            (
                (day.css_class, day.x, day.y, self.cell, self.cell, day.label)
                for week in self.weeks
                for day in week.days
                if not day.is_future
            ),
        )


def gratitude_calendar(gratitude_days: set[date], today: date) -> Calendar:
    """The last twelve weeks as columns (oldest first), Monday to Sunday as rows."""
    first = week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
    weeks = []
    for column in range(CALENDAR_WEEKS):
        start = first + timedelta(weeks=column)
        x = CAL_LEFT + column * (CELL + CELL_GAP)
        days = [
            CalendarDay(
                day=day,
                practised=day in gratitude_days,
                is_today=day == today,
                is_future=day > today,
                x=x,
                y=CAL_TOP + row * (CELL + CELL_GAP),
            )
            for row, day in enumerate(start + timedelta(days=n) for n in range(7))
        ]
        new_month = column == 0 or any(d.day.day == 1 for d in days)
        weeks.append(CalendarWeek(start, days, f"{days[-1].day:%b}" if new_month else "", x))
    practised = sum(d.practised for w in weeks for d in w.days)
    rows = [(WEEKDAY_NAMES[r], CAL_TOP + r * (CELL + CELL_GAP) + 15) for r in (0, 2, 4, 6)]
    return Calendar(weeks=weeks, practised_days=practised, row_labels=rows)


# Weekly chart of positive and negative moments ----------------------------------------------


@dataclass(frozen=True)
class WeekBalance:
    start: date
    positive: int
    negative: int
    x: int = 0
    slot: int = 0
    scale: float = 0.0

    @property
    def target(self) -> int:
        return self.negative * TARGET_RATIO

    @property
    def ratio(self) -> str:
        return ratio_text(self.positive, self.negative)

    def _height(self, value: int) -> float:
        return round(value * self.scale, 1)

    @property
    def bar_width(self) -> int:
        return (self.slot - 6) // 2

    @property
    def positive_bar(self) -> tuple[float, float]:
        """(y, height) of the positive bar."""
        height = self._height(self.positive)
        return BASELINE - height, height

    @property
    def negative_bar(self) -> tuple[float, float]:
        height = self._height(self.negative)
        return BASELINE - height, height

    @property
    def label_x(self) -> int:
        return self.x + self.bar_width + 1

    @property
    def negative_x(self) -> int:
        return self.x + self.bar_width + 2

    @property
    def target_y(self) -> float:
        return BASELINE - self._height(self.target)


@dataclass(frozen=True)
class WeeklyChart:
    weeks: list[WeekBalance]
    top: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def this_week(self) -> WeekBalance:
        return self.weeks[-1]

    @property
    def target_points(self) -> str:
        """A step line at five times the week's negative moments: where positive should reach."""
        points = []
        for week in self.weeks:
            points += [f"{week.x - 2},{week.target_y}", f"{week.x + week.slot - 4},{week.target_y}"]
        return " ".join(points)

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        plot = BASELINE - CHART_TOP
        return [(value, round(BASELINE - plot * value / self.top, 1)) for value in (0, self.top)]

    @property
    def baseline(self) -> int:
        return BASELINE

    @property
    def label_y(self) -> int:
        return CHART_HEIGHT - 6

    @property
    def summary(self) -> str:
        week = self.this_week
        negative = "no negative ones"
        if week.negative:
            negative = plural(week.negative, "negative one", "negative ones")
        text = f"This week so far: {plural(week.positive, 'positive moment')} and {negative}."
        if week.ratio:
            text += f" That is {week.ratio}."
        return f"{text} The target is {TARGET_RATIO} to 1."

    @property
    def table(self) -> Table:
        return Table.weekly(
            "Positive and negative moments, week by week",
            ("Week of", "Positive", "Negative", "Ratio"),
            self.weeks,
            lambda week: (week.positive, week.negative, week.ratio or "No negatives"),
        )


def nice_top(value: int) -> int:
    """The top of the chart's scale: at least 5, rounded up to a multiple of 5."""
    return max(TARGET_RATIO, ceil(value / 5) * 5)


def weekly_chart(
    positive_by_day: Mapping[date, int], negative_by_day: Mapping[date, int], today: date
) -> WeeklyChart:
    """The last eight weeks, oldest first, each with its positive and negative moments."""
    first = week_start(today) - timedelta(weeks=CHART_WEEKS - 1)
    totals = []
    for n in range(CHART_WEEKS):
        start = first + timedelta(weeks=n)
        days = [start + timedelta(days=d) for d in range(7)]
        totals.append(
            (
                start,
                sum(positive_by_day.get(d, 0) for d in days),
                sum(negative_by_day.get(d, 0) for d in days),
            )
        )
    top = nice_top(max(max(p, neg * TARGET_RATIO) for _, p, neg in totals))
    slot = (CHART_WIDTH - CHART_LEFT) // CHART_WEEKS
    scale = (BASELINE - CHART_TOP) / top
    weeks = [
        WeekBalance(start, positive, negative, CHART_LEFT + n * slot + 3, slot, scale)
        for n, (start, positive, negative) in enumerate(totals)
    ]
    return WeeklyChart(weeks=weeks, top=top)


# Everything on the insights page -------------------------------------------------------------


@dataclass(frozen=True)
class Insights:
    """What the insights pictures show, for the given kinds of entry only."""

    today: date
    kinds: frozenset[str]
    days_this_week: int
    days_this_month: int
    calendar: Calendar | None  # only when gratitude entries are included
    chart: WeeklyChart | None  # only when gratitude entries or bids are included
    cards: tuple["Card", ...] = ()  # the pictures features add for their own kinds


def build_insights(
    *,
    today: date,
    kinds: Iterable[str],
    counts: Iterable[Mapping],
    cards: Iterable["Card"] = (),
) -> Insights:
    """counts: rows of {"day", "kind", the kinds' moment fields, "n"} for the days since
    window_start(today); `cards`, the pictures features drew for their own kinds."""
    shown = frozenset(kinds)
    practised, gratitude = set(), set()
    positive: dict[date, int] = {}
    negative: dict[date, int] = {}
    for row in counts:
        day = row["day"]
        practised.add(day)
        if row["kind"] == GRATITUDE.value:
            gratitude.add(day)
        moment = moment_of(row["kind"], row)
        if moment:
            totals = positive if moment == POSITIVE else negative
            totals[day] = totals.get(day, 0) + row["n"]
    return Insights(
        today=today,
        kinds=shown,
        days_this_week=days_practised_between(practised, week_start(today), today),
        days_this_month=days_practised_between(practised, today.replace(day=1), today),
        calendar=gratitude_calendar(gratitude, today) if GRATITUDE.value in shown else None,
        chart=weekly_chart(positive, negative, today) if shown & counted_kinds() else None,
        cards=tuple(cards),
    )


# Pictures of other features' kinds ------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A picture a feature adds to the insights page: the template that draws it (given
    `card`, the data) and the data."""

    template: str
    data: object


# Features above the journal draw their own kinds' pictures (practice/apps.py adds its
# tools' and self-checks'). Each is called as provider(entries=, kinds=, today=) with the
# entries the page may show and returns a Card, or None when it has nothing to draw.
CARD_PROVIDERS: list[Callable[..., Card | None]] = []


def register_card(provider: Callable[..., Card | None]) -> None:
    CARD_PROVIDERS.append(provider)
