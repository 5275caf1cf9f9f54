"""Who sees what of a school's chronology (DESIGN §4), page by page.

Bob (staff) sees only the concerns and entries he wrote; Dan (a social worker at the local
authority) and Erin (the school's data protection officer) see nothing of the school's
entries; Carol (another school's lead) gets 404 everywhere. The leads' pages are Alice's.
"""

import pytest
from django.urls import reverse

from jigsaw.audit.models import AccessEvent, Action
from tests.cast import sign_in
from tests.chronology.conftest import log
from tests.security.test_access_table import chronology_kwargs

LEADS_ONLY = [
    ("triage_concern", "concern_id"),
    ("alert", "alert_id"),
    ("chronology", "person_id"),
    ("chronology_pdf", "person_id"),
    ("front_sheet", "person_id"),
    ("add_entry", "person_id"),
    ("complete_action", "item_id"),
    ("file_audit", "audit_id"),
    ("file_audit_pdf", "audit_id"),
    ("file_audit_item", "audit_item"),
]
AUTHORS_TOO = [("concern", "concern_id"), ("entry", "entry_id"), ("attachment", "attachment_id")]
ORGANISATION_PAGES = ["concern_inbox", "file_audits", "start_file_audit"]


@pytest.fixture
def objects(cast):
    kwargs = chronology_kwargs(cast)
    kwargs["person_id"] = {"person_id": cast.maya.pk}
    return kwargs


def get(client, user, name, kwargs):
    sign_in(client, user)
    return client.get(reverse(name, kwargs=kwargs))


@pytest.mark.parametrize(("name", "key"), LEADS_ONLY + AUTHORS_TOO)
@pytest.mark.parametrize("who", ["carol", "dan", "erin"])
def test_other_organisations_and_governance_roles_see_nothing(client, cast, objects, name, key, who):
    response = get(client, getattr(cast, who), name, objects[key])
    assert response.status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=getattr(cast, who)).exists()


@pytest.mark.parametrize(("name", "key"), LEADS_ONLY)
def test_staff_cannot_reach_the_leads_pages(client, cast, objects, name, key):
    assert get(client, cast.bob, name, objects[key]).status_code == 404


@pytest.mark.parametrize(("name", "key"), AUTHORS_TOO)
def test_staff_see_what_they_wrote(client, cast, objects, name, key):
    assert get(client, cast.bob, name, objects[key]).status_code == 200


# Dan is a case role in his own organisation, so he has an inbox of his own (see the last test).
REFUSED_PAGES = [(who, name) for who in ("bob", "dan", "erin") for name in ORGANISATION_PAGES
                 if (who, name) != ("dan", "concern_inbox")]


@pytest.mark.parametrize(("who", "name"), REFUSED_PAGES)
def test_the_leads_organisation_pages_are_refused_to_other_roles(client, cast, name, who):
    assert get(client, getattr(cast, who), name, {}).status_code == 404


def test_staff_do_not_see_a_colleagues_entry_about_the_same_child(client, cast):
    theirs = log(cast.alice, cast.maya, text="Alice's own record").first_entry
    assert get(client, cast.bob, "entry", {"entry_id": theirs.pk}).status_code == 404


def test_dans_inbox_holds_nothing_of_the_schools(client, cast, objects):
    html = get(client, cast.dan, "concern_inbox", {}).content.decode()
    assert "Maya" not in html
