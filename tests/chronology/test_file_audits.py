import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import access, actions, audits
from jigsaw.chronology.models import ActionItem, FileAudit, FileAuditItem
from jigsaw.people.models import Person

ALL_YES = {f"answer_{question.code}": "yes" for question in audits.CHECKLIST}


def acting(user) -> Actor:
    return Actor.for_membership(user.memberships.filter(ended_at__isnull=True).first())


def record_concern(user, person, text="Maya said her dad hit her with a belt."):
    data = actions.EntryData(what_happened=text, categories=["neglect"], event_date=datetime.date(2026, 11, 2),
                             actions_taken="Told Alice Adeyemi at 10:15.")
    return actions.do_record_concern(acting=acting(user), person=person, data=data)


@pytest.fixture
def files(cast):
    """Maya and Sam have files at Riverside; Jo (their mother) has no entry; Leo's file is at Hillside."""
    record_concern(cast.bob, cast.maya)
    record_concern(cast.bob, cast.sam, "Sam came to school without a coat in the snow.")
    record_concern(cast.carol, cast.leo, "Leo said he had not eaten since yesterday.")
    return cast


@pytest.fixture
def audit(files):
    return audits.do_start_audit(acting=acting(files.alice), people=[files.maya, files.sam])


def item_of(audit, person) -> FileAuditItem:
    return audit.items.get(person=person)


def audit_urls(audit) -> list[str]:
    item = audit.items.first()
    return ["/audits/", "/audits/new/", f"/audits/{audit.pk}/", f"/audits/{audit.pk}/report.pdf",
            f"/audits/{audit.pk}/files/{item.pk}/"]


def review(**extra) -> dict:
    return {**ALL_YES, "findings": "Chronology is up to date; the referral outcome is recorded.", **extra}


# Starting an audit ----------------------------------------------------------------------------


def test_alice_can_audit_files_chosen_at_random(signed_in, files):
    response = signed_in(files.alice).post("/audits/new/", {"method": "random", "count": "1"})
    audit = FileAudit.objects.get()
    assert response.status_code == 302 and response.url == f"/audits/{audit.pk}/"
    assert audit.method == "random" and audit.organisation == files.riverside and audit.created_by == files.alice
    assert [item.person for item in audit.items.all()] in ([files.maya], [files.sam])


def test_a_random_audit_takes_every_file_when_asked_for_more_than_there_are(signed_in, files):
    client = signed_in(files.alice)
    response = client.post("/audits/new/", {"method": "random", "count": "50"}, follow=True)
    audit = FileAudit.objects.get()
    assert {item.person for item in audit.items.all()} == {files.maya, files.sam}
    assert "holds 2 files, so all of them are in this audit" in response.content.decode()


def test_a_random_sample_never_includes_another_schools_children_or_people_without_entries(files):
    for _ in range(5):
        audit = audits.do_start_audit(acting=acting(files.alice), count=50)
        assert set(audit.items.values_list("person_id", flat=True)) == {files.maya.pk, files.sam.pk}


def test_the_random_sample_is_uniform_over_the_files(files):
    seen = {audits.sample(acting(files.alice), 1)[0] for _ in range(60)}
    assert seen == {files.maya.pk, files.sam.pk}


def test_alice_can_choose_the_files(signed_in, files):
    response = signed_in(files.alice).post(
        "/audits/new/", {"method": "chosen", "people": [files.maya.pk], "title": "Spring term audit"}
    )
    audit = FileAudit.objects.get()
    assert response.status_code == 302
    assert audit.title == "Spring term audit" and audit.method == "chosen"
    assert [item.person for item in audit.items.all()] == [files.maya]


def test_the_pick_list_shows_only_her_schools_files_and_can_be_searched(signed_in, files):
    client = signed_in(files.alice)
    html = client.get("/audits/new/").content.decode()
    assert "Maya Thompson" in html and "Sam Thompson" in html
    assert "Leo Hill" not in html and "Jo Thompson" not in html
    searched = client.get("/audits/new/", {"q": "sam"}).content.decode()
    assert "Sam Thompson" in searched and "Maya Thompson" not in searched
    assert AccessEvent.objects.get(action=Action.SEARCH).detail["results"] == 1
    assert client.get("/audits/new/", {"q": "sa\x00m"}).status_code == 200


def test_another_schools_child_cannot_be_chosen(signed_in, files):
    chosen = {"method": "chosen", "people": [files.maya.pk, files.leo.pk]}
    response = signed_in(files.alice).post("/audits/new/", chosen)
    assert response.status_code == 200
    assert "not a file your organisation holds" in response.content.decode()
    assert not FileAudit.objects.exists()


def test_the_action_refuses_another_schools_child_too(files):
    with pytest.raises(ValueError):
        audits.do_start_audit(acting=acting(files.alice), people=[files.leo])
    assert not FileAudit.objects.exists()


@pytest.mark.parametrize("count, message", [
    ("", "Enter how many files to audit, from 1 to 50"),
    ("0", "Audit at least 1 file"),
    ("51", "Audit no more than 50 files at a time"),
    ("ten", "Enter how many files as a number"),
])
def test_the_number_of_files_is_checked(signed_in, files, count, message):
    response = signed_in(files.alice).post("/audits/new/", {"method": "random", "count": count})
    assert response.status_code == 200 and message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not FileAudit.objects.exists()


def test_choosing_needs_at_least_one_file(signed_in, files):
    response = signed_in(files.alice).post("/audits/new/", {"method": "chosen"})
    assert "Choose at least one file" in response.content.decode()


def test_it_says_when_there_is_nothing_to_audit(signed_in, cast):
    html = signed_in(cast.alice).get("/audits/new/").content.decode()
    assert "There are no files to audit yet" in html
    with pytest.raises(audits.NoFiles):
        audits.do_start_audit(acting=acting(cast.alice), count=5)


def test_the_list_of_audits_has_an_empty_state(signed_in, cast):
    html = signed_in(cast.alice).get("/audits/").content.decode()
    assert "No file audits have been started yet" in html


def test_the_list_shows_progress(signed_in, files, audit):
    html = signed_in(files.alice).get("/audits/").content.decode()
    assert audit.title in html and "0 of 2" in html and "In progress" in html


# Who may audit ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "dan", "erin"])
def test_only_the_safeguarding_leads_reach_any_audit_page(signed_in, files, audit, who):
    client = signed_in(getattr(files, who))
    for url in audit_urls(audit):
        assert client.get(url).status_code == 404, url
        assert client.post(url, review(method="random", count="1", summary="x")).status_code == 404, url
    assert AccessEvent.objects.filter(action=Action.DENIAL).exists()
    assert FileAudit.objects.count() == 1 and not ActionItem.objects.exists()


def test_another_schools_lead_cannot_see_or_change_the_audit(signed_in, files, audit):
    client = signed_in(files.carol)
    for url in audit_urls(audit)[2:]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, review(summary="x")).status_code == 404, url
    assert audit.title not in client.get("/audits/").content.decode()
    assert not FileAuditItem.objects.filter(completed_at__isnull=False).exists()


def test_a_file_of_another_audit_is_not_found_through_this_one(signed_in, files, audit):
    other = audits.do_start_audit(acting=acting(files.carol), people=[files.leo])
    response = signed_in(files.alice).get(f"/audits/{audit.pk}/files/{other.items.get().pk}/")
    assert response.status_code == 404


# Checking a file --------------------------------------------------------------------------------


def test_the_checklist_page_helps_the_auditor(signed_in, files, audit):
    item = item_of(audit, files.maya)
    html = signed_in(files.alice).get(f"/audits/{audit.pk}/files/{item.pk}/").content.decode()
    assert "Check Maya Thompson's file" in html
    assert f"/people/{files.maya.pk}/chronology/" in html
    for question in audits.CHECKLIST:
        assert question.text in html
    assert "Not applicable" in html and "Alice Adeyemi" in html
    assert AccessEvent.objects.filter(action=Action.VIEW, object_type="chronology.fileaudititem",
                                      object_id=str(item.pk), person=files.maya).exists()


def test_the_language_prompts_of_the_entries_are_summarised(signed_in, files, audit):
    record_concern(files.bob, files.maya, "Maya seemed upset after lunch and there were some concerns.")
    item = item_of(audit, files.maya)
    html = signed_in(files.alice).get(f"/audits/{audit.pk}/files/{item.pk}/").content.decode()
    assert "Vague phrases: 2" in html and "“seemed upset”" in html


def test_the_answers_are_recorded_and_follow_up_actions_become_action_items(signed_in, files, audit):
    item = item_of(audit, files.maya)
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = signed_in(files.alice).post(f"/audits/{audit.pk}/files/{item.pk}/", review(**{
        "answer_language": "no", "answer_referrals_chased": "n/a",
        "action_1_description": "Rewrite the concern of 2 November with what was seen",
        "action_1_owner": str(files.alice.pk),
        "action_1_due_day": str(due.day), "action_1_due_month": str(due.month), "action_1_due_year": str(due.year),
    }))
    sam = item_of(audit, files.sam)
    assert response.status_code == 302 and response.url == f"/audits/{audit.pk}/files/{sam.pk}/"
    item.refresh_from_db()
    assert item.answers["language"] == "no" and item.answers["referrals_chased"] == "n/a"
    assert item.completed_by == files.alice and item.completed_at
    action = ActionItem.objects.get()
    assert (action.audit_item, action.person, action.owner, action.due) == (item, files.maya, files.alice, due)
    assert action.organisation == files.riverside and action.completed_at is None
    assert AccessEvent.objects.filter(action=Action.UPDATE, object_type="chronology.fileaudititem",
                                      person=files.maya).exists()


def test_the_last_file_returns_to_the_audit(signed_in, files, audit):
    client = signed_in(files.alice)
    for person in (files.maya, files.sam):
        response = client.post(f"/audits/{audit.pk}/files/{item_of(audit, person).pk}/", review())
    assert response.url == f"/audits/{audit.pk}/"


def test_an_answer_to_a_question_not_on_the_checklist_is_refused(signed_in, files, audit):
    item = item_of(audit, files.maya)
    response = signed_in(files.alice).post(f"/audits/{audit.pk}/files/{item.pk}/",
                                           review(answer_favourite_colour="yes"))
    assert response.status_code == 200 and "not on the checklist" in response.content.decode()
    item.refresh_from_db()
    assert item.completed_at is None and item.answers == {}


@pytest.mark.parametrize("value", ["maybe", "", "YES"])
def test_an_answer_that_is_not_yes_no_or_not_applicable_is_refused(signed_in, files, audit, value):
    item = item_of(audit, files.maya)
    response = signed_in(files.alice).post(f"/audits/{audit.pk}/files/{item.pk}/",
                                           review(answer_complete=value))
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    item.refresh_from_db()
    assert item.completed_at is None


def test_the_action_refuses_tampered_answers(files, audit):
    item = item_of(audit, files.maya)
    answers = {question.code: "yes" for question in audits.CHECKLIST}
    for bad in ({**answers, "extra": "yes"}, {**answers, "complete": "perhaps"}, {"complete": "yes"}):
        with pytest.raises(audits.InvalidReview):
            audits.do_review_file(acting=acting(files.alice), item=item, answers=bad, findings="")


def test_an_owner_who_is_not_a_lead_is_refused(signed_in, files, audit):
    item = item_of(audit, files.maya)
    due = timezone.localdate()
    response = signed_in(files.alice).post(f"/audits/{audit.pk}/files/{item.pk}/", review(**{
        "action_1_description": "Chase the referral", "action_1_owner": str(files.bob.pk),
        "action_1_due_day": str(due.day), "action_1_due_month": str(due.month), "action_1_due_year": str(due.year),
    }))
    assert "Choose someone from the list" in response.content.decode()
    with pytest.raises(audits.InvalidReview):
        audits.do_review_file(acting=acting(files.alice), item=item, answers=dict.fromkeys(audits.QUESTIONS, "yes"),
                              findings="", new_actions=[actions.NewAction("Chase", files.carol.pk, due)])
    assert not ActionItem.objects.exists()


def test_a_follow_up_action_needs_an_owner_and_a_future_due_date(signed_in, files, audit):
    item = item_of(audit, files.maya)
    response = signed_in(files.alice).post(f"/audits/{audit.pk}/files/{item.pk}/", review(**{
        "action_1_description": "Chase the referral",
        "action_1_due_day": "1", "action_1_due_month": "1", "action_1_due_year": "2020",
        "action_2_owner": str(files.alice.pk),
    }))
    html = response.content.decode()
    assert "Choose who will do follow-up action 1" in html
    assert "The due date of follow-up action 1 must be today or in the future" in html
    assert "Describe follow-up action 2" in html
    assert not ActionItem.objects.exists()


# Completing and reporting -----------------------------------------------------------------------


def test_the_audit_page_lists_each_file_with_its_status(signed_in, files, audit):
    audits.do_review_file(acting=acting(files.alice), item=item_of(audit, files.maya),
                          answers=dict.fromkeys(audits.QUESTIONS, "yes"), findings="")
    html = signed_in(files.alice).get(f"/audits/{audit.pk}/").content.decode()
    assert "1 of 2" in html and "Done" in html and "Not started" in html
    assert f"/people/{files.sam.pk}/chronology/" in html
    assert "You can complete the audit when every file has been checked" in html
    assert AccessEvent.objects.filter(action=Action.VIEW, object_type="chronology.fileaudit",
                                      object_id=str(audit.pk)).exists()


def test_the_audit_can_be_completed_only_when_every_file_is_checked(signed_in, files, audit):
    client = signed_in(files.alice)
    client.post(f"/audits/{audit.pk}/files/{item_of(audit, files.maya).pk}/", review())
    response = client.post(f"/audits/{audit.pk}/", {"summary": "Good files."})
    assert "Check every file before you complete the audit" in response.content.decode()
    client.post(f"/audits/{audit.pk}/files/{item_of(audit, files.sam).pk}/", review(answer_categories="no"))
    assert client.post(f"/audits/{audit.pk}/", {"summary": ""}).status_code == 200
    response = client.post(f"/audits/{audit.pk}/", {"summary": "Categories need more care."})
    audit.refresh_from_db()
    assert response.status_code == 302 and audit.completed_at and audit.summary == "Categories need more care."


def test_the_report_counts_answers_findings_and_actions(signed_in, files, audit):
    due = timezone.localdate() + datetime.timedelta(days=7)
    alice = acting(files.alice)
    audits.do_review_file(acting=alice, item=item_of(audit, files.maya), findings="Initials used for the father.",
                          answers={**dict.fromkeys(audits.QUESTIONS, "yes"), "language": "no"},
                          new_actions=[actions.NewAction("Replace initials with full names", files.alice.pk, due)])
    audits.do_review_file(acting=alice, item=item_of(audit, files.sam), findings="",
                          answers={**dict.fromkeys(audits.QUESTIONS, "yes"), "referrals_chased": "n/a"})
    audits.do_complete_audit(acting=alice, audit=audit, summary="Use full names.")
    tally = {row.question.code: (row.yes, row.no, row.not_applicable)
             for row in audits.tally(list(access.audit_items_of(alice, audit)))}
    assert tally["language"] == (1, 1, 0) and tally["referrals_chased"] == (1, 0, 1) and tally["complete"] == (2, 0, 0)
    html = signed_in(files.alice).get(f"/audits/{audit.pk}/").content.decode()
    assert "File audit report" in html and "Use full names." in html and "Initials used for the father." in html
    assert "Replace initials with full names" in html and "Alice Adeyemi" in html
    assert f"{due.day} {due:%B %Y}" in html


def test_a_completed_audit_cannot_change(signed_in, files, audit):
    alice = acting(files.alice)
    for item in audit.items.all():
        audits.do_review_file(acting=alice, item=item, answers=dict.fromkeys(audits.QUESTIONS, "yes"), findings="")
    audits.do_complete_audit(acting=alice, audit=audit, summary="Fine.")
    item = item_of(audit, files.maya)
    response = signed_in(files.alice).post(f"/audits/{audit.pk}/files/{item.pk}/", review(answer_complete="no"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answers["complete"] == "yes"
    with pytest.raises(audits.AuditClosed):
        audits.do_review_file(acting=alice, item=item, answers=dict.fromkeys(audits.QUESTIONS, "no"), findings="")
    with pytest.raises(audits.AuditClosed):
        audits.do_complete_audit(acting=alice, audit=audit, summary="Again")


def test_the_pdf_is_a_real_pdf_and_its_export_is_in_the_ledger(signed_in, files, audit):
    response = signed_in(files.alice).get(f"/audits/{audit.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-1024:]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert AccessEvent.objects.filter(action=Action.EXPORT, object_type="chronology.fileaudit",
                                      object_id=str(audit.pk), user=files.alice).exists()


def test_the_audit_page_makes_the_same_number_of_queries_however_many_files(
    signed_in, files, django_assert_max_num_queries
):
    alice = acting(files.alice)
    small = audits.do_start_audit(acting=alice, people=[files.maya])
    client = signed_in(files.alice)
    with CaptureQueriesContext(connection) as one_file:
        assert client.get(f"/audits/{small.pk}/").status_code == 200
    children = [Person.objects.create(organisation=files.riverside, given_name=f"Child{n}", family_name="Test",
                                      nhs_number="", nhs_number_absent_reason="Not known") for n in range(8)]
    for child in children:
        record_concern(files.bob, child, "Child said they were hungry.")
    large = audits.do_start_audit(acting=alice, count=50)
    for item in large.items.all()[:5]:
        audits.do_review_file(acting=alice, item=item, answers=dict.fromkeys(audits.QUESTIONS, "yes"), findings="x",
                              new_actions=[actions.NewAction("Check", files.alice.pk, timezone.localdate())])
    assert large.items.count() == 10
    with django_assert_max_num_queries(len(one_file)):
        assert client.get(f"/audits/{large.pk}/").status_code == 200
