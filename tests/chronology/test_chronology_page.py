import datetime
import re

import pytest

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions, filters, pdf
from jigsaw.chronology.models import Alert, EntryKind, InvolvementPart
from tests.chronology.conftest import actor_for, log


def record(user, person, text, *, kind=EntryKind.NOTE, day=datetime.date(2026, 10, 1), **fields):
    data = actions.EntryData(what_happened=text, event_date=day, **fields)
    return actions.do_record_entry(acting=actor_for(user), person=person, kind=kind, data=data)


def page(client, person, query=""):
    return client.get(f"/people/{person.pk}/chronology/{query}")


def entry_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="entry-(\d+)"', html)]


def test_it_lists_the_childs_current_entries_newest_first(signed_in, cast):
    older = record(cast.alice, cast.maya, "Met mum about attendance.", day=datetime.date(2026, 9, 1))
    newer = record(cast.alice, cast.maya, "Phoned the school nurse.", day=datetime.date(2026, 10, 5))
    record(cast.alice, cast.sam, "A note about Sam only.")
    response = page(signed_in(cast.alice), cast.maya)
    assert response.status_code == 200
    html = response.content.decode()
    assert entry_ids(html) == [newer.pk, older.pk]
    assert "A note about Sam only." not in html


def test_staff_cannot_open_the_chronology(signed_in, cast):
    log(cast.bob, cast.maya)
    assert page(signed_in(cast.bob), cast.maya).status_code == 404


@pytest.mark.parametrize("outsider", ["carol", "dan"])
def test_other_organisations_cannot_open_it(signed_in, cast, outsider):
    log(cast.bob, cast.maya)
    response = page(signed_in(getattr(cast, outsider)), cast.maya)
    assert response.status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=getattr(cast, outsider)).exists()


def test_each_look_is_written_to_the_ledger(signed_in, cast):
    page(signed_in(cast.alice), cast.maya)
    event = AccessEvent.objects.get(action=Action.VIEW, person=cast.maya)
    assert event.user == cast.alice and event.detail == {"page": "chronology"}


def test_text_with_markup_is_shown_as_text(signed_in, cast):
    log(cast.bob, cast.maya, "<script>alert('x')</script> was written on the wall",
        childs_words="<b>he said</b> <script>alert(1)</script>")
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    assert "<script>alert" not in html and "<b>he said</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; was written on the wall" in html


def test_a_disclosure_shows_the_childs_own_words_exactly(signed_in, cast):
    words = "he hit me   with the belt\n  and said don't tell"
    log(cast.bob, cast.maya, childs_words=words)
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    assert "In the child's words" in html
    assert re.search(r'class="[^"]*jigsaw-verbatim[^"]*">he hit me   with the belt\n  and said don&#x27;t tell<', html)


def test_recording_prompts_stay_off_the_chronology(signed_in, cast):
    concern = log(cast.bob, cast.maya, "Maya seemed upset and there were some concerns.")
    assert concern.first_entry.findings
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    assert concern.first_entry.findings[0]["prompt"].split(".")[0] not in html.replace("&quot;", '"')


def test_key_events_are_marked(signed_in, cast):
    key = record(cast.alice, cast.maya, "Strategy discussion held.", kind=EntryKind.MEETING)
    actions.do_set_key_event(acting=actor_for(cast.alice), entry=key, key=True)
    record(cast.alice, cast.maya, "An ordinary note.")
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    card = html[html.index(f'id="entry-{key.pk}"') - 120:html.index(f'id="entry-{key.pk}"')]
    assert "jigsaw-key-event" in card
    assert html.count("Key event</strong>") == 1


def test_a_triage_decision_shows_its_outcome(signed_in, cast, concern):
    actions.do_triage(acting=actor_for(cast.alice), concern=concern, outcome="early_help", rationale="Family agree.")
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    assert "Triage decision – Early help" in html


def test_open_alerts_are_shown_in_a_banner(signed_in, cast):
    log(cast.bob, cast.maya, categories=["physical-abuse"])
    alert = Alert.objects.get(person=cast.maya)
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    assert "govuk-notification-banner" in html and f'href="/alerts/{alert.pk}/"' in html


def test_siblings_chronologies_are_one_click_away(signed_in, cast):
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    assert f'href="/people/{cast.sam.pk}/chronology/"' in html


def test_it_links_to_the_front_sheet_pdf_and_new_entries(signed_in, cast):
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    for url in ("front-sheet/", "chronology.pdf", "entries/add/", "concern/"):
        assert f"/people/{cast.maya.pk}/{url}" in html


def test_an_empty_chronology_says_so(signed_in, cast):
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    assert "Nothing has been recorded about Maya yet." in html
    assert "Maya is not named in any other child's records." in html


# Mentions in other children's records ---------------------------------------------------------


def test_a_child_named_in_another_childs_entry_is_listed_apart(signed_in, cast):
    about_sam = log(cast.bob, cast.sam, "Sam was pushed in the playground.",
                    involvements=[(cast.maya, InvolvementPart.WITNESS)]).first_entry
    html = page(signed_in(cast.alice), cast.maya).content.decode()
    mentions = html[html.index('id="mentions"'):]
    assert f'href="/entries/{about_sam.pk}/"' in mentions and "Witness" in mentions and "Sam Thompson" in mentions
    assert about_sam.pk not in entry_ids(html)
    assert "Sam was pushed in the playground." not in html


def test_a_child_alleged_to_have_harmed_is_never_shown_as_harmed(signed_in, cast):
    log(cast.bob, cast.sam, "Sam said Maya kicked him.",
        involvements=[(cast.maya, InvolvementPart.ALLEGED_TO_HAVE_HARMED)])
    mentions = page(signed_in(cast.alice), cast.maya).content.decode().split('id="mentions"')[1]
    assert "Alleged to have harmed" in mentions
    assert "Also harmed or at risk" not in mentions


# Filters ----------------------------------------------------------------------------------------


@pytest.fixture
def varied(cast):
    return {
        "neglect": log(cast.bob, cast.maya, "No coat in the snow.", categories=["neglect"],
                       event_date=datetime.date(2026, 1, 10)).first_entry,
        "online": log(cast.bob, cast.maya, "Messages from an adult online.", categories=["online-safety"],
                      event_date=datetime.date(2026, 3, 10)).first_entry,
        "contact": record(cast.alice, cast.maya, "Phoned mum.", kind=EntryKind.CONTACT,
                          day=datetime.date(2026, 5, 10), categories=["neglect"]),
    }


def test_it_filters_by_category_and_keeps_the_choice(signed_in, cast, varied):
    html = page(signed_in(cast.alice), cast.maya, "?category=online-safety").content.decode()
    assert entry_ids(html) == [varied["online"].pk]
    assert re.search(r'value="online-safety" checked', html)
    assert "Entries that match your filters" in html


def test_several_categories_match_any_of_them(signed_in, cast, varied):
    html = page(signed_in(cast.alice), cast.maya, "?category=online-safety&category=neglect").content.decode()
    assert sorted(entry_ids(html)) == sorted(e.pk for e in varied.values())


def test_it_filters_by_kind_and_author(signed_in, cast, varied):
    client = signed_in(cast.alice)
    html = page(client, cast.maya, "?kind=contact").content.decode()
    assert entry_ids(html) == [varied["contact"].pk]
    assert '<option value="contact" selected>' in html
    html = page(client, cast.maya, f"?author={cast.bob.pk}").content.decode()
    assert sorted(entry_ids(html)) == sorted([varied["neglect"].pk, varied["online"].pk])
    assert f'<option value="{cast.bob.pk}" selected>Bob Brown</option>' in html


def test_it_filters_by_a_date_range_and_keeps_the_dates(signed_in, cast, varied):
    html = page(signed_in(cast.alice), cast.maya, "?date_from_day=1&date_from_month=2&date_from_year=2026"
                "&date_to_day=30&date_to_month=4&date_to_year=2026").content.decode()
    assert entry_ids(html) == [varied["online"].pk]
    assert 'name="date_from_month" type="text" inputmode="numeric" value="2"' in html
    assert 'name="date_to_day" type="text" inputmode="numeric" value="30"' in html


def test_a_backwards_date_range_gives_an_error_summary(signed_in, cast, varied):
    response = page(signed_in(cast.alice), cast.maya, "?date_from_day=1&date_from_month=6&date_from_year=2026"
                    "&date_to_day=1&date_to_month=1&date_to_year=2026")
    html = response.content.decode()
    assert response.status_code == 200  # a search that still shows the chronology, with the problem on top
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert 'href="#id_date_to_day">Latest date must be the same as or after the earliest date' in html


def test_a_date_that_is_not_real_gives_an_error_summary(signed_in, cast):
    html = page(signed_in(cast.alice), cast.maya, "?date_from_day=31&date_from_month=2&date_from_year=2026").content
    assert b"Earliest date must be a real date" in html


def test_no_match_says_so(signed_in, cast, varied):
    html = page(signed_in(cast.alice), cast.maya, "?category=radicalisation").content.decode()
    assert "No entries match these filters." in html


def test_it_shows_fifty_at_a_time_and_pages_keep_the_filters(signed_in, cast):
    for n in range(53):
        record(cast.alice, cast.maya, f"Note {n}", categories=["neglect"], day=datetime.date(2026, 1, 1)
               + datetime.timedelta(days=n))
    client = signed_in(cast.alice)
    first = page(client, cast.maya, "?category=neglect").content.decode()
    assert len(entry_ids(first)) == 50 and "Showing 1 to 50 of 53 entries" in first
    assert "?category=neglect&amp;page=2#entries" in first and "Page 1 of 2" in first
    second = page(client, cast.maya, "?category=neglect&page=2").content.decode()
    assert len(entry_ids(second)) == 3 and "Showing 51 to 53 of 53 entries" in second
    assert "?category=neglect&amp;page=1#entries" in second


def test_counting_stops_so_a_long_file_costs_no_more(signed_in, cast, monkeypatch):
    monkeypatch.setattr(filters, "PER_PAGE", 2)
    monkeypatch.setattr(filters, "COUNT_UP_TO", 3)
    for n in range(5):
        record(cast.alice, cast.maya, f"Note {n}", day=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    client = signed_in(cast.alice)
    first = page(client, cast.maya).content.decode()
    assert "Showing 1 to 2 of more than 3 entries" in first and "Page 1</p>" in first
    last = page(client, cast.maya, "?page=3").content.decode()
    assert len(entry_ids(last)) == 1 and "page=4" not in last
    assert len(entry_ids(page(client, cast.maya, "?page=99").content.decode())) == 2


# The PDF ------------------------------------------------------------------------------------------


def test_the_pdf_is_a_pdf_and_its_download_is_recorded(signed_in, cast, varied):
    response = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/chronology.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AccessEvent.objects.get(action=Action.EXPORT, person=cast.maya)
    assert event.user == cast.alice and event.detail == {"export": "chronology PDF"}


def test_the_pdf_honours_the_filters(signed_in, cast, varied, monkeypatch):
    seen = {}
    original = pdf.render_pdf

    def capture(request, template_name, context, filename):
        seen.update(context)
        return original(request, template_name, context, filename)

    monkeypatch.setattr(pdf, "render_pdf", capture)
    response = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/chronology.pdf?kind=contact")
    assert response.content.startswith(b"%PDF")
    assert [entry.pk for entry in seen["entries"]] == [varied["contact"].pk]
    assert seen["filter_terms"] == ["kind: contact with the family"]


def test_a_pdf_with_a_bad_filter_goes_back_to_the_page(signed_in, cast):
    response = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/chronology.pdf?date_from_day=40")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/people/{cast.maya.pk}/chronology/?")
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_file_too_long_for_one_pdf_asks_for_a_filter(signed_in, cast, varied, monkeypatch):
    monkeypatch.setattr(filters, "PDF_MOST", 2)
    client = signed_in(cast.alice)
    response = client.get(f"/people/{cast.maya.pk}/chronology.pdf")
    assert response.status_code == 302
    assert "A PDF can hold up to 2 entries" in client.get(response["Location"]).content.decode()
    assert client.get(f"/people/{cast.maya.pk}/chronology.pdf?kind=contact").content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["bob", "carol", "dan"])
def test_only_the_organisations_leads_can_download_it(signed_in, cast, who):
    response = signed_in(getattr(cast, who)).get(f"/people/{cast.maya.pk}/chronology.pdf")
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()
