import datetime
import re

from django.utils import timezone

from jigsaw.chronology import actions, charts
from jigsaw.chronology.models import Category, EntryTally
from tests.chronology.conftest import actor_for, log

TODAY = datetime.date(2026, 11, 21)
NAMES = {"neglect": "Neglect", "online-safety": "Online safety"}


def relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def test_every_colour_stands_out_from_the_page_by_at_least_three_to_one():
    for colour in (*charts.PALETTE, charts.REST_COLOUR):
        assert contrast_with_white(colour) >= 3, colour


def test_it_covers_the_twelve_months_up_to_this_one():
    months = charts.months_ending(TODAY)
    assert months[0] == datetime.date(2025, 12, 1) and months[-1] == datetime.date(2026, 11, 1)
    assert len(months) == 12


def test_it_stacks_each_months_categories_and_ignores_older_months():
    rows = [
        (datetime.date(2026, 11, 1), "neglect", 2),
        (datetime.date(2026, 11, 1), "online-safety", 1),
        (datetime.date(2026, 3, 1), "neglect", 1),
        (datetime.date(2024, 3, 1), "neglect", 9),
    ]
    chart = charts.trend(rows, NAMES, TODAY)
    assert [s.name for s in chart.series] == ["Neglect", "Online safety"]
    assert [s.total for s in chart.series] == [3, 1]
    last = chart.bars[-1]
    assert last.counts == [2, 1] and last.total == 3
    assert [seg.count for seg in last.segments] == [2, 1]
    assert last.segments[0].y + last.segments[0].height == charts.AXIS_BOTTOM
    assert last.segments[1].y + last.segments[1].height == last.segments[0].y
    assert chart.total == 4 and chart.busiest.month == datetime.date(2026, 11, 1)


def test_bars_never_rise_above_the_axis():
    chart = charts.trend([(datetime.date(2026, 11, 1), "neglect", 7)], NAMES, TODAY)
    assert chart.ticks[-1].value == 10
    top = min(seg.y for bar in chart.bars for seg in bar.segments)
    assert top >= charts.PLOT_TOP


def test_round_numbers_top_the_axis():
    assert [charts.nice_top(n) for n in (1, 2, 3, 6, 11, 51, 101)] == [1, 2, 5, 10, 20, 100, 200]


def test_beyond_seven_categories_the_rest_share_one_colour():
    codes = [f"c{n}" for n in range(10)]
    rows = [(datetime.date(2026, 11, 1), code, 10 - n) for n, code in enumerate(codes)]
    chart = charts.trend(rows, {}, TODAY)
    assert len(chart.series) == charts.MOST_SERIES + 1
    rest = chart.series[-1]
    assert rest.name == charts.REST_NAME and rest.colour == charts.REST_COLOUR and rest.total == 3 + 2 + 1
    assert sum(chart.bars[-1].counts) == sum(10 - n for n in range(10))


def test_an_empty_year_draws_no_chart(signed_in, cast):
    html = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/chronology/").content.decode()
    assert "<svg" not in html.split("The last 12 months")[1].split("Filter the entries")[0]
    assert "No entries with a category in the last 12 months" in html


def test_the_page_draws_the_chart_from_the_tallies_with_a_table(signed_in, cast):
    month = timezone.localdate().replace(day=1)
    EntryTally.objects.create(organisation=cast.riverside, person=cast.maya, month=month, category="neglect",
                              count=4)
    html = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/chronology/").content.decode()
    svg = re.search(r'<svg[^>]*role="img"[^>]*>.*?</svg>', html, re.S).group(0)
    assert "<title id=\"trend-title\">" in svg and "<desc id=\"trend-desc\">" in svg
    assert "Neglect (4)" in svg and "Entries" in svg
    assert "Show the chart as a table" in html
    table = html.split("Show the chart as a table")[1]
    assert f"{month:%B %Y}" in table and ">4</td>" in table


def test_a_partnerships_category_name_is_escaped_in_the_chart(signed_in, cast):
    Category.objects.create(code="local-test", name="<script>alert('chart')</script>",
                            local_authority=cast.westbridge)
    log(cast.bob, cast.maya, categories=["local-test"], event_date=timezone.localdate())
    html = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/chronology/").content.decode()
    assert "<script>alert('chart')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;chart&#x27;)&lt;/script&gt; (1)" in html


def test_correcting_an_entry_moves_it_in_the_chart(cast):
    this_month = timezone.localdate()
    concern = log(cast.bob, cast.maya, categories=["neglect"], event_date=this_month)
    actions.do_correct_entry(
        acting=actor_for(cast.alice), entry=concern.first_entry, reason="Wrong category",
        data=actions.EntryData(what_happened="No coat.", event_date=this_month, categories=["online-safety"]),
    )
    chart = charts.trend(
        EntryTally.objects.filter(person=cast.maya).values_list("month", "category", "count"), NAMES, this_month,
    )
    assert [(s.name, s.total) for s in chart.series] == [("Online safety", 1)]


def test_eight_categories_each_get_their_own_colour():
    rows = [(datetime.date(2026, 11, 1), f"c{n}", 1) for n in range(8)]
    chart = charts.trend(rows, {}, TODAY)
    assert len({s.colour for s in chart.series}) == 8
    assert charts.REST_NAME not in [s.name for s in chart.series]
