"""The trend chart: entries per month by category over the last year, drawn as SVG on the server.

It reads EntryTally rows only (at most months x categories of them), never the entries, so it
costs the same for a child with five entries as for one with fifty thousand. The geometry is
worked out here; chronology/_trend_chart.html draws it, and Django's escaping keeps category
names (which partnerships type in) as text.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

MONTHS = 12
MOST_SERIES = 7
# GOV.UK Frontend palette colours with at least 3:1 contrast against white (WCAG 1.4.11),
# ordered so that neighbours in a stack differ in hue as well as lightness.
PALETTE = ("#1d70b8", "#b7592a", "#158187", "#54319f", "#ca357c", "#806f00", "#99704a")
REST_COLOUR = "#484949"
REST_NAME = "All other categories"

WIDTH = 640
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP = 56, 628, 16
PLOT_HEIGHT = 200
AXIS_BOTTOM = PLOT_TOP + PLOT_HEIGHT
LEGEND_TOP = AXIS_BOTTOM + 56
LEGEND_ROW = 22


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    total: int
    y: int = 0  # where its legend row is drawn


@dataclass(frozen=True)
class Segment:
    name: str
    colour: str
    count: int
    y: float
    height: float


@dataclass
class Bar:
    month: datetime.date
    counts: list[int]
    total: int
    x: float = 0
    width: float = 0
    segments: list[Segment] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.month:%b}"

    @property
    def year_label(self) -> str:
        return f"{self.month:%Y}" if self.month.month == 1 else ""

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass
class Chart:
    bars: list[Bar]
    series: list[Series]
    ticks: list[Tick]
    first: datetime.date
    last: datetime.date
    height: int
    width: int = WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    axis_bottom: int = AXIS_BOTTOM

    @property
    def total(self) -> int:
        return sum(bar.total for bar in self.bars)

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    @property
    def busiest(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.total) if self.bars and not self.is_empty else None

    @property
    def rows(self) -> list[tuple[datetime.date, list[int], int]]:
        return [(bar.month, bar.counts, bar.total) for bar in self.bars]

    @property
    def y_label_y(self) -> float:
        return PLOT_TOP + PLOT_HEIGHT / 2

    @property
    def x_label_y(self) -> int:
        return AXIS_BOTTOM + 44


def months_ending(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the `count` months up to and including today's."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def nice_top(value: int) -> int:
    """A round number at or above `value` for the top of the axis: 1, 2, 5, 10, 20, 50…"""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= value:
                return step * multiple
        step *= 10


def _series(totals: dict[str, int], names: dict[str, str]) -> tuple[list[Series], dict[str, int]]:
    """The busiest categories get a colour each; the rest share one, so the chart stays readable."""
    ranked = sorted(totals, key=lambda code: (-totals[code], names.get(code, code)))
    shown = ranked if len(ranked) <= MOST_SERIES + 1 else ranked[:MOST_SERIES]
    colours = (*PALETTE, REST_COLOUR)  # an eighth category on its own takes the colour the rest would share
    series = [Series(names.get(code, code), colours[i], totals[code]) for i, code in enumerate(shown)]
    index = {code: i for i, code in enumerate(shown)}
    rest = [code for code in ranked if code not in index]
    if rest:
        series.append(Series(REST_NAME, REST_COLOUR, sum(totals[code] for code in rest)))
        index.update({code: len(shown) for code in rest})
    return series, index


def _layout(bars: list[Bar], series: list[Series], top: int) -> None:
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(bars)
    for i, bar in enumerate(bars):
        bar.width = round(slot * 0.7, 2)
        bar.x = round(PLOT_LEFT + i * slot + (slot - bar.width) / 2, 2)
        base = AXIS_BOTTOM
        for one, count in zip(series, bar.counts, strict=True):
            if count:
                height = round(PLOT_HEIGHT * count / top, 2)
                base -= height
                bar.segments.append(Segment(one.name, one.colour, count, round(base, 2), height))


def _ticks(top: int) -> list[Tick]:
    step = 1 if top <= 5 else top // (4 if top % 4 == 0 else 5)
    return [Tick(value, round(AXIS_BOTTOM - PLOT_HEIGHT * value / top, 2)) for value in range(0, top + 1, step)]


def trend(tallies, names: dict[str, str], today: datetime.date, months: int = MONTHS) -> Chart:
    """`tallies` are (month, category code, count) rows; months outside the window are ignored."""
    firsts = months_ending(today, months)
    window = set(firsts)
    by_month: dict = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for month, code, count in tallies:
        if month in window and count > 0:
            by_month[month][code] += count
            totals[code] += count
    series, index = _series(totals, names)
    bars = []
    for month in firsts:
        counts = [0] * len(series)
        for code, count in by_month[month].items():
            counts[index[code]] += count
        bars.append(Bar(month=month, counts=counts, total=sum(counts)))
    top = nice_top(max([bar.total for bar in bars] + [1]))
    _layout(bars, series, top)
    series = [Series(s.name, s.colour, s.total, LEGEND_TOP + i * LEGEND_ROW) for i, s in enumerate(series)]
    height = LEGEND_TOP + max(len(series), 1) * LEGEND_ROW
    return Chart(bars=bars, series=series, ticks=_ticks(top), first=firsts[0], last=firsts[-1], height=height)
