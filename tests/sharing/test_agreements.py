"""Information sharing agreements: Pat keeps them, party organisations read and cite them, nobody else sees them."""

import datetime
import io
import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import attachments
from jigsaw.guidance.sharing import ConsentStatus, LawfulBasis
from jigsaw.sharing import access, actions
from jigsaw.sharing.models import Agreement
from tests.chronology.conftest import actor_for
from tests.chronology.uploads import png_bytes
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 255, 255)).save(buffer, format="PDF")
    return buffer.getvalue()


PDF = pdf_bytes()  # once: Pillow stamps each PDF with the time


def pdf_upload(name: str = "signed agreement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_agreement(cast, title="Riverside and children's social care", *, parties=None, starts_on=None,
                   review_date=None, ended_on=None, document=None) -> Agreement:
    values = {
        "title": title, "purposes": "To identify and protect children at risk of harm",
        "data_items": "Name, date of birth, address, concerns and outcomes",
        "lawful_basis": LawfulBasis.PUBLIC_TASK, "retention": "Kept until the child is 25, then deleted",
        "rights_contact": "dpo@westbridge.test", "starts_on": starts_on or datetime.date(2026, 1, 1),
        "review_date": review_date or datetime.date(2028, 1, 1), "ended_on": ended_on,
    }
    return actions.do_save_agreement(acting=actor_for(cast.pat), values=values, document=document,
                                     parties=parties or [cast.riverside, cast.social_care])


def form_data(cast, **overrides) -> dict:
    data = {
        "title": "Westbridge early help agreement", "reference": "ISA-2026-04",
        "parties": [cast.riverside.pk, cast.social_care.pk],
        "purposes": "To share concerns early so families get help",
        "data_items": "Name, date of birth, address, school, concerns",
        "lawful_basis": LawfulBasis.PUBLIC_TASK, "special_condition": "safeguarding",
        "retention": "Six years after the case closes", "rights_contact": "dpo@westbridge.test",
        "starts_on_day": "1", "starts_on_month": "4", "starts_on_year": "2026",
        "review_date_day": "1", "review_date_month": "4", "review_date_year": "2027",
    }
    data.update(overrides)
    return data


# Adding and changing -----------------------------------------------------------------------


def test_pat_adds_an_agreement_with_two_parties_a_review_date_and_the_signed_pdf(cast, signed_in, settings):
    response = signed_in(cast.pat).post("/agreements/new/", {**form_data(cast), "document": pdf_upload()})
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agreements/{agreement.pk}/"
    assert set(agreement.parties.all()) == {cast.riverside, cast.social_care}
    assert agreement.review_date == datetime.date(2027, 4, 1)
    assert agreement.special_condition == "safeguarding"
    assert agreement.local_authority == cast.westbridge
    assert agreement.document_name == "signed agreement.pdf"
    assert agreement.document_content_type == "application/pdf"
    assert (Path(settings.PRIVATE_FILES_ROOT) / agreement.document_stored_name).read_bytes() == PDF
    assert AccessEvent.objects.filter(action=Action.ADMINISTER, object_id=str(agreement.pk)).exists()


def test_the_form_offers_the_areas_organisations_but_not_the_partnership(cast, signed_in):
    html = signed_in(cast.pat).get("/agreements/new/").content.decode()
    assert "Riverside School" in html and "Hillside School" in html
    assert "Westbridge Safeguarding Partnership (Safeguarding partnership)" not in html
    assert "Riverside School (School)" in html


def test_a_review_date_before_the_start_and_a_single_party_are_refused_with_clear_errors(cast, signed_in):
    data = form_data(cast, parties=[cast.riverside.pk], review_date_year="2025")
    response = signed_in(cast.pat).post("/agreements/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The review date must be after the start date" in html
    assert "Select at least two organisations: an agreement is between two or more parties" in html
    assert 'value="Westbridge early help agreement"' in html  # what was typed is kept
    assert "To share concerns early so families get help" in html
    assert not Agreement.objects.exists()


def test_no_parties_at_all_is_refused(cast, signed_in):
    data = form_data(cast)
    del data["parties"]
    response = signed_in(cast.pat).post("/agreements/new/", data)
    assert response.status_code == 400
    assert "Select at least two organisations that are party to the agreement" in response.content.decode()


def test_a_party_outside_the_list_is_refused(cast, signed_in):
    data = form_data(cast, parties=[cast.riverside.pk, cast.partnership.pk])
    response = signed_in(cast.pat).post("/agreements/new/", data)
    assert response.status_code == 400
    assert "Select organisations from the list" in response.content.decode()


def test_after_an_error_pat_is_asked_to_choose_the_file_again(cast, signed_in):
    data = {**form_data(cast, title=""), "document": pdf_upload("ISA signed.pdf")}
    html = signed_in(cast.pat).post("/agreements/new/", data).content.decode()
    assert "Enter the title of the agreement" in html
    assert "You chose ISA signed.pdf: choose the file again" in html


def test_a_signed_agreement_that_is_not_a_pdf_is_refused(cast, signed_in):
    upload = SimpleUploadedFile("scan.png", png_bytes(), content_type="image/png")
    response = signed_in(cast.pat).post("/agreements/new/", {**form_data(cast), "document": upload})
    assert response.status_code == 400
    assert "The signed agreement must be a PDF" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_pdf_that_runs_a_script_is_refused(cast, signed_in):
    upload = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj << /JavaScript (app.alert(1)) >>\n%%EOF",
                                content_type="application/pdf")
    response = signed_in(cast.pat).post("/agreements/new/", {**form_data(cast), "document": upload})
    assert response.status_code == 400
    assert "scripts or embedded files" in response.content.decode()


def test_huge_text_is_refused_not_stored(cast, signed_in):
    response = signed_in(cast.pat).post("/agreements/new/", form_data(cast, purposes="x" * 10_001))
    assert response.status_code == 400
    assert "Purposes must be 10,000 characters or fewer" in response.content.decode()


def test_pat_changes_an_agreement_and_its_parties(cast, signed_in):
    agreement = make_agreement(cast)
    client = signed_in(cast.pat)
    assert 'value="Riverside and children&#x27;s social care"' in client.get(
        f"/agreements/{agreement.pk}/edit/").content.decode()
    data = form_data(cast, title="Renewed agreement", parties=[cast.riverside.pk, cast.hillside.pk,
                                                                cast.social_care.pk])
    assert client.post(f"/agreements/{agreement.pk}/edit/", data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Renewed agreement"
    assert agreement.parties.count() == 3


def test_script_in_a_title_is_shown_as_text(cast, signed_in):
    agreement = make_agreement(cast, title="<script>alert(1)</script>")
    html = signed_in(cast.pat).get(f"/agreements/{agreement.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Who sees them ---------------------------------------------------------------------------------


def test_alice_sees_her_organisations_agreements_read_only_and_can_cite_one_in_a_decision(
        cast, signed_in, three_entries):
    ours = make_agreement(cast)
    theirs = make_agreement(cast, "Hillside and children's social care", parties=[cast.hillside, cast.social_care])
    client = signed_in(cast.alice)
    html = client.get("/agreements/").content.decode()
    assert "Riverside and children&#x27;s social care" in html
    assert "Hillside and children" not in html
    assert "Add an agreement" not in html
    assert client.get("/agreements/new/").status_code == 404
    assert client.get(f"/agreements/{ours.pk}/edit/").status_code == 404
    assert client.get(f"/agreements/{theirs.pk}/").status_code == 404

    alice = actor_for(cast.alice)
    assert list(access.agreements_for(alice)) == [ours]
    sent = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care, agreement=ours,
                 consent=ConsentStatus.GIVEN)
    assert sent.decision.agreement == ours
    page = client.get(f"/agreements/{ours.pk}/").content.decode()
    assert "Maya Thompson" in page and "Change the agreement" not in page


def test_pat_sees_how_many_decisions_cite_an_agreement_but_no_case_content(cast, signed_in, three_entries):
    agreement = make_agreement(cast)
    share(cast.alice, cast.maya, three_entries, recipient=cast.social_care, agreement=agreement)
    html = signed_in(cast.pat).get(f"/agreements/{agreement.pk}/").content.decode()
    assert "1 decision cites this agreement" in html
    assert "Riverside School" in html
    assert "Maya" not in html and "Thompson" not in html


def test_carol_sees_none_of_riversides_agreements(cast, signed_in):
    agreement = make_agreement(cast, document=pdf_upload())
    client = signed_in(cast.carol)
    html = client.get("/agreements/").content.decode()
    assert "Riverside and children" not in html
    assert "not party to any information sharing agreement" in html
    assert client.get(f"/agreements/{agreement.pk}/").status_code == 404
    assert client.get(f"/agreements/{agreement.pk}/document/").status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, object_id=str(agreement.pk)).count() == 2


def test_staff_without_a_safeguarding_role_get_404(cast, signed_in):
    agreement = make_agreement(cast)
    client = signed_in(cast.bob)
    assert client.get("/agreements/").status_code == 404
    assert client.get(f"/agreements/{agreement.pk}/").status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=cast.bob).exists()


def test_erin_the_dpo_reads_her_organisations_agreements(cast, signed_in):
    make_agreement(cast)
    assert "Riverside and children" in signed_in(cast.erin).get("/agreements/").content.decode()


def test_an_anonymous_visitor_is_asked_to_sign_in(client, cast):
    assert client.get("/agreements/").status_code == 302


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_the_same_number_of_queries_however_many_agreements(cast, signed_in,
                                                                           django_assert_max_num_queries):
    client = signed_in(cast.pat)
    client.get("/agreements/")  # the first request of a session records the session itself
    make_agreement(cast)
    few = queries_for(client, "/agreements/")
    for number in range(8):
        make_agreement(cast, f"Agreement {number}", parties=[cast.hillside, cast.social_care, cast.riverside])
    with django_assert_max_num_queries(few):
        assert client.get("/agreements/").status_code == 200
    assert few <= 20


# Review dates ----------------------------------------------------------------------------------


def test_agreements_near_or_past_review_are_highlighted(cast, signed_in):
    make_agreement(cast, "Overdue", review_date=datetime.date(2026, 11, 1))
    make_agreement(cast, "Soon", review_date=datetime.date(2027, 1, 10))
    make_agreement(cast, "Later", review_date=datetime.date(2027, 6, 1))
    make_agreement(cast, "Over", review_date=datetime.date(2026, 6, 1), ended_on=datetime.date(2026, 5, 1))
    with time_machine.travel(datetime.datetime(2026, 11, 21, 10, 0, tzinfo=LONDON), tick=False):
        response = signed_in(cast.pat).get("/agreements/")
    tags = {a.title: (a.tag_text, a.tag_colour) for a in response.context["agreements"]}
    assert tags == {
        "Overdue": ("Review overdue", "red"), "Soon": ("Review due soon", "yellow"),
        "Later": ("In force", "green"), "Over": ("Ended", "grey"),
    }
    html = response.content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Review overdue</strong>' in html
    assert "1 agreement is past its review date." in html
    assert "1 agreement is due for review in the next 60 days." in html


def test_an_agreement_becomes_due_for_review_60_days_ahead(cast, signed_in):
    agreement = make_agreement(cast, review_date=datetime.date(2027, 1, 21))
    with time_machine.travel(datetime.datetime(2026, 11, 21, 10, 0, tzinfo=LONDON), tick=False):
        assert "In force" in signed_in(cast.alice).get(f"/agreements/{agreement.pk}/").content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0, tzinfo=LONDON), tick=False):
        assert "Review due soon" in signed_in(cast.alice).get(f"/agreements/{agreement.pk}/").content.decode()


# The signed document ---------------------------------------------------------------------------


def test_the_signed_document_download_is_access_checked_and_recorded(cast, signed_in):
    agreement = make_agreement(cast, document=pdf_upload())
    response = signed_in(cast.alice).get(f"/agreements/{agreement.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"
    event = AccessEvent.objects.get(action=Action.EXPORT, object_id=str(agreement.pk))
    assert event.user == cast.alice and event.object_type == "sharing.agreement"


def test_pat_can_download_the_signed_document(cast, signed_in):
    agreement = make_agreement(cast, document=pdf_upload())
    assert signed_in(cast.pat).get(f"/agreements/{agreement.pk}/document/").status_code == 200


def test_there_is_nothing_to_download_without_a_document(cast, signed_in):
    agreement = make_agreement(cast)
    assert signed_in(cast.pat).get(f"/agreements/{agreement.pk}/document/").status_code == 404


def test_the_document_page_only_answers_get(cast, signed_in):
    agreement = make_agreement(cast, document=pdf_upload())
    assert signed_in(cast.pat).post(f"/agreements/{agreement.pk}/document/").status_code == 405


def test_sweeping_orphans_does_not_delete_signed_agreements(cast, settings):
    agreement = make_agreement(cast, document=pdf_upload())
    root = Path(settings.PRIVATE_FILES_ROOT)
    signed = root / agreement.document_stored_name
    orphan = root / attachments.store(pdf_upload("abandoned.pdf"))["stored_name"]
    then = time.time() - 2 * 86400
    for path in (signed, orphan):
        os.utime(path, (then, then))
    assert attachments.sweep_orphans(older_than=datetime.timedelta(days=1)) == 1
    assert signed.exists() and not orphan.exists()
