"""The chronology's pages cost the same number of queries however long the child's file is."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.chronology import actions
from jigsaw.chronology.models import EntryKind, InvolvementPart
from tests.chronology.conftest import actor_for, log

START = datetime.date(2025, 1, 6)
FILTERED = "?category=neglect&kind=concern&date_from_day=1&date_from_month=1&date_from_year=2025"


def fill(cast, person, other, count: int) -> list:
    """`count` entries of every shape the pages draw: concerns, disclosures, notes, decisions, actions."""
    entries = []
    lead = actor_for(cast.alice)
    for n in range(count):
        day = START + datetime.timedelta(days=7 * n)
        if n % 3 == 0:
            concern = log(cast.bob, person, f"Concern {n}", categories=["neglect", "attendance"], event_date=day,
                          involvements=[(other, InvolvementPart.WITNESS)],
                          marks=[actions.Mark("front", "front-chest", 50, 25, "Red mark")])
            entries.append(concern.first_entry)
            actions.do_triage(acting=lead, concern=concern, outcome="monitor", rationale="Watch and wait.",
                              new_actions=[actions.NewAction(f"Check in {n}", cast.alice.pk, day)])
        elif n % 3 == 1:
            entries.append(log(cast.bob, person, f"Disclosure {n}", childs_words="he hit me", event_date=day,
                               categories=["neglect"]).first_entry)
        else:
            data = actions.EntryData(what_happened=f"Contact {n}", event_date=day, categories=["attendance"])
            entries.append(actions.do_record_entry(acting=lead, person=person, kind=EntryKind.CONTACT, data=data))
    return entries


@pytest.fixture
def files(cast):
    return {"short": fill(cast, cast.maya, cast.sam, 3), "long": fill(cast, cast.sam, cast.maya, 60)}


def queries(client, url: str) -> int:
    client.get(url)  # once to warm caches that are not about the child
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["chronology/", f"chronology/{FILTERED}", "front-sheet/"])
def test_a_childs_pages_cost_the_same_for_a_short_and_a_long_file(signed_in, cast, files, page):
    client = signed_in(cast.alice)
    short = queries(client, f"/people/{cast.maya.pk}/{page}")
    long = queries(client, f"/people/{cast.sam.pk}/{page}")
    assert short == long


def test_the_filtered_pages_really_list_entries(signed_in, cast, files):
    client = signed_in(cast.alice)
    for person, shown in ((cast.maya, 1), (cast.sam, 20)):
        html = client.get(f"/people/{person.pk}/chronology/{FILTERED}").content.decode()
        assert html.count('class="govuk-summary-card jigsaw-entry') == shown


def test_an_entry_page_costs_the_same_in_a_short_and_a_long_file(signed_in, cast, files):
    client = signed_in(cast.alice)
    short = queries(client, f"/entries/{files['short'][0].pk}/")
    long = queries(client, f"/entries/{files['long'][30].pk}/")
    assert short == long


def test_a_corrected_entry_page_does_not_cost_a_query_per_version(signed_in, cast, files):
    client = signed_in(cast.alice)
    entry = files["short"][2]
    once = actions.do_correct_entry(acting=actor_for(cast.alice), entry=entry, reason="First",
                                    data=actions.EntryData(what_happened="Again", event_date=START))
    before = queries(client, f"/entries/{once.pk}/")
    twice = actions.do_correct_entry(acting=actor_for(cast.alice), entry=once, reason="Second",
                                     data=actions.EntryData(what_happened="Again", event_date=START))
    assert queries(client, f"/entries/{twice.pk}/") == before
