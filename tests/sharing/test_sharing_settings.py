"""Local sharing timescales: Pat sets them per organisation; they are checked, and they take effect."""

import pytest

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.guidance import calendar
from jigsaw.sharing.models import SharingSettings
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db


def url(organisation) -> str:
    return f"/admin/organisations/{organisation.pk}/sharing/"


def valid(**overrides) -> dict:
    data = {"standard_response_working_days": "3", "external_link_days": "5", "external_link_downloads": "2",
            "acknowledge_share": "2", "acknowledge_file_transfer": ""}
    data.update(overrides)
    return data


def test_pat_sees_the_current_settings_with_the_usual_defaults(cast, signed_in):
    html = signed_in(cast.pat).get(url(cast.riverside)).content.decode()
    assert "Change sharing timescales" in html
    assert 'value="5"' in html  # standard response, 5 working days by default
    assert "Leave blank for the usual 1 working day." in html
    assert "Leave blank for the usual 10 working days." in html


def test_pat_changes_the_sharing_timescales(cast, signed_in):
    response = signed_in(cast.pat).post(url(cast.riverside), valid())
    assert response.status_code == 302 and response["Location"] == f"/admin/organisations/{cast.riverside.pk}/"
    local = SharingSettings.objects.get(organisation=cast.riverside)
    assert local.standard_response_working_days == 3
    assert local.external_link_days == 5 and local.external_link_downloads == 2
    assert local.acknowledge_within == {"share": 2}  # blank keeps the default
    assert AccessEvent.objects.filter(action=Action.ADMINISTER, object_id=str(cast.riverside.pk)).exists()


def test_the_saved_values_are_shown_next_time(cast, signed_in):
    client = signed_in(cast.pat)
    client.post(url(cast.riverside), valid(acknowledge_minutes="12"))
    html = client.get(url(cast.riverside)).content.decode()
    assert 'name="acknowledge_minutes" type="text" value="12"' in html
    assert 'name="acknowledge_share" type="text" value="2"' in html


@pytest.mark.parametrize(("field", "value", "message"), [
    ("standard_response_working_days", "31", "Enter a number of working days from 1 to 30"),
    ("standard_response_working_days", "", "Enter a number of working days from 1 to 30"),
    ("acknowledge_share", "61", "Enter a number of working days from 1 to 60"),
    ("acknowledge_referral", "0", "Enter a number of working days from 1 to 60"),
    ("external_link_days", "zero", "Enter a number of days from 1 to 30"),
    ("external_link_downloads", "11", "Enter a number from 1 to 10"),
])
def test_values_out_of_range_are_refused_and_kept(cast, signed_in, field, value, message):
    response = signed_in(cast.pat).post(url(cast.riverside), valid(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert f'name="{field}" type="text" value="{value}"' in html
    assert not SharingSettings.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dan", "erin"])
def test_only_the_partnership_administrator_can_see_or_change_them(cast, signed_in, who):
    client = signed_in(getattr(cast, who))
    assert client.get(url(cast.riverside)).status_code == 404
    assert client.post(url(cast.riverside), valid()).status_code == 404
    assert not SharingSettings.objects.exists()


def test_an_anonymous_visitor_is_asked_to_sign_in(client, cast):
    assert client.get(url(cast.riverside)).status_code == 302


def test_a_missing_organisation_is_404(cast, signed_in):
    assert signed_in(cast.pat).get("/admin/organisations/999999/sharing/").status_code == 404


def test_the_organisation_page_links_to_the_sharing_settings(cast, signed_in):
    html = signed_in(cast.pat).get(f"/admin/organisations/{cast.riverside.pk}/").content.decode()
    assert f'href="{url(cast.riverside)}"' in html


def test_a_changed_acknowledgement_time_sets_when_a_share_is_due(cast, signed_in, three_entries):
    signed_in(cast.pat).post(url(cast.riverside), valid(acknowledge_share="3"))
    disclosure = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care).disclosure
    assert disclosure.due_at == calendar.working_deadline(disclosure.sent_at, 3)
