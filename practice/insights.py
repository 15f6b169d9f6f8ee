"""The practice tools' insight pictures: breaks and urges over the weeks, and the
self-checks take by take. Pure calculations, as journal/insights.py; practice.selectors
reads the entries and hands these to the journal's insights page as cards.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from journal.insights import (
    BASELINE,
    CHART_HEIGHT,
    CHART_LEFT,
    CHART_TOP,
    CHART_WEEKS,
    CHART_WIDTH,
    Table,
    nice_top,
    plural,
    week_start,
)

from . import content

# Breaks and the urge to leave ------------------------------------------------------------------


@dataclass(frozen=True)
class UrgeWeek:
    start: date
    count: int
    strengths: tuple[int, ...]
    x: int = 0
    bar_width: int = 0
    scale: float = 0.0

    @property
    def average(self) -> str:
        """The week's mean strength to one decimal, '' without urges."""
        if not self.strengths:
            return ""
        return f"{sum(self.strengths) / len(self.strengths):.1f}".removesuffix(".0")

    @property
    def bar(self) -> tuple[float, float]:
        height = round(self.count * self.scale, 1)
        return BASELINE - height, height

    @property
    def strength_y(self) -> float:
        """Where the week's mean strength sits on the 0 to 10 scale drawn on the right."""
        mean = sum(self.strengths) / len(self.strengths) if self.strengths else 0
        return round(BASELINE - mean * (BASELINE - CHART_TOP) / 10, 1)

    @property
    def centre(self) -> int:
        return self.x + self.bar_width // 2


@dataclass(frozen=True)
class Tools:
    """Breaks taken and kept, and urges to leave: how often, how strong, what helped."""

    weeks: list[UrgeWeek]
    top: int
    helped: list[tuple[str, int]]
    breaks_taken: int
    breaks_kept: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def urges(self) -> int:
        return sum(week.count for week in self.weeks)

    @property
    def table(self) -> Table:
        return Table.weekly(
            "Urges to leave, week by week",
            ("Week of", "Urges", "Average strength"),
            self.weeks,
            lambda week: (week.count, week.average or "None logged"),
        )

    @property
    def baseline(self) -> int:
        return BASELINE

    @property
    def strength_points(self) -> str:
        """The strength line's points; empty until two weeks have one, since a line of one
        point draws nothing (and its key would then name a line that is not there)."""
        points = [f"{w.centre},{w.strength_y}" for w in self.weeks if w.strengths]
        return " ".join(points) if len(points) > 1 else ""

    @property
    def summary(self) -> str:
        if not self.urges:
            urges = f"No urges to leave logged in the last {CHART_WEEKS} weeks."
        else:
            urges = f"{plural(self.urges, 'urge')} to leave logged in the last {CHART_WEEKS} weeks."
            if self.helped:
                urges += f" What helped most: {self.helped[0][0].lower()}."
        breaks = f"{plural(self.breaks_taken, 'break')} taken"
        if self.breaks_taken:
            breaks += f"; you went back after {self.breaks_kept}"
        return f"{urges} {breaks}."


def tools_summary(
    *, urges: Iterable[Mapping], breaks: Iterable[Mapping], today: date, helped_labels: dict
) -> Tools:
    """urges: rows of {"day", "strength", "helped"}; breaks: rows of {"went_back"}."""
    first = week_start(today) - timedelta(weeks=CHART_WEEKS - 1)
    by_week: dict[date, list[int]] = {first + timedelta(weeks=n): [] for n in range(CHART_WEEKS)}
    helped: dict[str, int] = {}
    for row in urges:
        by_week.setdefault(week_start(row["day"]), []).append(row["strength"] or 0)
        for value in row["helped"] or []:
            helped[value] = helped.get(value, 0) + 1
    top = nice_top(max((len(v) for v in by_week.values()), default=0))
    slot = (CHART_WIDTH - CHART_LEFT) // CHART_WEEKS
    weeks = [
        UrgeWeek(
            start,
            len(values),
            tuple(values),
            CHART_LEFT + n * slot + 3,
            slot - 6,
            (BASELINE - CHART_TOP) / top,
        )
        for n, (start, values) in enumerate(sorted(by_week.items())[-CHART_WEEKS:])
    ]
    breaks = list(breaks)
    ranked = sorted(helped.items(), key=lambda item: (-item[1], item[0]))
    return Tools(
        weeks=weeks,
        top=top,
        helped=[(helped_labels.get(value, value), n) for value, n in ranked],
        breaks_taken=len(breaks),
        breaks_kept=sum(row["went_back"] == "yes" for row in breaks),
    )


# Self-checks over time ------------------------------------------------------------------------

LINE_WIDTH, LINE_HEIGHT, LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 320, 180, 30, 12, 12, 24
LINE_TAKES = 8  # the most recent takes a chart draws; its table lists them too


@dataclass(frozen=True)
class Series:
    """One line of a self-check chart: an ability's score, or a language's place."""

    key: str
    name: str
    values: list[float]
    points: str  # "x,y x,y ..." for the polyline
    dots: list[tuple[float, float, str]]  # (x, y, tooltip)

    @property
    def change(self) -> str:
        first, last = self.values[0], self.values[-1]
        if len(self.values) == 1:
            return f"{self.name}: {first:g}"
        return f"{self.name}: {first:g} then {last:g}"


@dataclass(frozen=True)
class LineChart:
    """A self-check's takes, oldest first: one line per ability (or language)."""

    title: str
    what: str  # what the numbers are
    days: list[date]
    series: list[Series]
    gridlines: list[tuple[int, float]]  # (value, y)
    x_labels: list[tuple[float, str]]
    measure: str  # "score" or "place"
    width: int = LINE_WIDTH
    height: int = LINE_HEIGHT

    @property
    def summary(self) -> str:
        taken = plural(len(self.days), "take")
        span = f"on {self.days[0]:%-d %b %Y}"
        if len(self.days) > 1:
            span = f"from {self.days[0]:%-d %b %Y} to {self.days[-1]:%-d %b %Y}"
        changes = "; ".join(series.change for series in self.series)
        return f"{taken} {span}. {changes}."

    @property
    def table(self) -> Table:
        """One row per take, newest first."""
        return Table(
            f"{self.title}: {self.what}",
            ("Taken", *(series.name for series in self.series)),
            [
                (f"{day.day} {day:%b %Y}", tuple(f"{s.values[n]:g}" for s in self.series))
                for n, day in reversed(list(enumerate(self.days)))
            ],
        )


def line_chart(
    takes: list[tuple[date, dict[str, float]]],
    names: dict[str, str],
    *,
    title: str,
    what: str,
    measure: str = "score",
) -> LineChart | None:
    """A chart of self-check takes (day, {key: value}), values 1 to 5; for a language's
    place (measure="place") 1 is drawn at the top."""
    takes = takes[-LINE_TAKES:]
    if not takes:
        return None
    plot_w = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    step = plot_w / max(len(takes) - 1, 1)
    bottom = LINE_HEIGHT - LINE_BOTTOM

    def y(value: float) -> float:
        share = (value - 1) / 4
        if measure == "place":
            share = 1 - share
        return round(bottom - share * (bottom - LINE_TOP), 1)

    xs = [
        round(LINE_LEFT + (n * step if len(takes) > 1 else plot_w / 2), 1)
        for n in range(len(takes))
    ]
    series = []
    for key, name in names.items():
        values = [take.get(key, 0) for _, take in takes]
        dots = [
            (x, y(v), f"{name}: {v:g} on {day:%-d %b %Y}")
            for x, v, (day, _) in zip(xs, values, takes, strict=True)
        ]
        points = " ".join(f"{x},{dy}" for x, dy, _ in dots)
        series.append(Series(key, name, values, points, dots))
    labels = [(x, f"{day:%-d %b}") for x, (day, _) in zip(xs, takes, strict=True)]
    return LineChart(
        title=title,
        what=what,
        days=[day for day, _ in takes],
        series=series,
        gridlines=[(value, y(value)) for value in range(1, 6)],
        x_labels=labels,
        measure=measure,
    )


@dataclass(frozen=True)
class SelfChecks:
    """The two self-checks' charts; either may be None."""

    abilities: LineChart | None
    languages: LineChart | None


def abilities_chart(takes: list[tuple[date, dict[str, float]]]) -> LineChart | None:
    names = {a.key: a.name for a in content.four_abilities().abilities}
    return line_chart(
        takes, names, title="The four abilities, take by take", what="Score from 1 to 5"
    )


def languages_chart(takes: list[tuple[date, list[str]]]) -> LineChart | None:
    """Where each language stood in the user's own order, take by take (1 is first)."""
    names = {lang.key: lang.name for lang in content.love_languages().languages}
    places = [(day, {key: order.index(key) + 1 for key in order}) for day, order in takes]
    return line_chart(
        places,
        names,
        title="Love languages, take by take",
        what="Place in your own order, 1 is first",
        measure="place",
    )
