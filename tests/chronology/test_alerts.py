import datetime

from django.core import mail

from jigsaw.chronology.models import Alert, Settings
from tests.chronology.conftest import log


def day(n):
    return datetime.date(2026, 11, n)


def test_three_concerns_in_thirty_days_raise_one_alert_with_its_entries(cast):
    concerns = [log(cast.bob, cast.maya, event_date=day(n), categories=["online-safety"]) for n in (2, 9, 16)]
    alert = Alert.objects.get(rule="frequent_concerns")
    assert alert.person == cast.maya and alert.organisation == cast.riverside
    assert {e.pk for e in alert.entries.all()} == {c.first_entry.pk for c in concerns}
    assert "threshold is 3 in 30 days" in alert.explanation


def test_two_concerns_raise_no_frequency_alert(cast):
    for n in (2, 9):
        log(cast.bob, cast.maya, event_date=day(n), categories=["online-safety"])
    assert not Alert.objects.filter(rule="frequent_concerns").exists()


def test_a_fourth_concern_joins_the_open_alert(cast):
    for n in (2, 9, 16, 20):
        log(cast.bob, cast.maya, event_date=day(n), categories=["online-safety"])
    alert = Alert.objects.get(rule="frequent_concerns")
    assert alert.entries.count() == 4


def test_a_first_serious_concern_raises_an_alert(cast):
    log(cast.bob, cast.maya, event_date=day(2), categories=["sexual-abuse"])
    assert Alert.objects.get(rule="first_serious").title.startswith("First concern about sexual abuse")


def test_concerns_about_siblings_raise_a_household_alert(cast):
    log(cast.bob, cast.maya, event_date=day(2), categories=["neglect"])
    log(cast.bob, cast.sam, event_date=day(5), categories=["neglect"])
    assert Alert.objects.filter(rule="siblings", person=cast.sam).exists()


def test_an_organisation_can_raise_its_threshold(cast):
    Settings.objects.create(organisation=cast.riverside, pattern_thresholds={"frequent_concerns": {"count": 4}})
    for n in (2, 9, 16):
        log(cast.bob, cast.maya, event_date=day(n), categories=["online-safety"])
    assert not Alert.objects.filter(rule="frequent_concerns").exists()


def test_an_alert_reaches_the_inbox_and_a_no_detail_email(signed_in, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        log(cast.bob, cast.maya, event_date=day(2), categories=["sexual-abuse"])
    assert any("pattern" in m.subject for m in mail.outbox)
    assert all("Maya" not in m.body for m in mail.outbox)
    html = signed_in(cast.alice).get("/inbox/").content.decode()
    assert "First concern about sexual abuse" in html


def test_the_lead_acknowledges_an_alert_with_a_note(signed_in, cast):
    log(cast.bob, cast.maya, event_date=day(2), categories=["sexual-abuse"])
    alert = Alert.objects.get()
    client = signed_in(cast.alice)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "threshold" in page or "First concern" in page
    assert client.post(f"/alerts/{alert.pk}/", {"note": ""}).status_code == 400
    assert client.post(f"/alerts/{alert.pk}/", {"note": "Referred to CSC today"}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == cast.alice


def test_outsiders_and_staff_cannot_see_alerts(signed_in, cast):
    log(cast.bob, cast.maya, event_date=day(2), categories=["sexual-abuse"])
    alert = Alert.objects.get()
    for user in (cast.bob, cast.carol, cast.dan):
        assert signed_in(user).get(f"/alerts/{alert.pk}/").status_code == 404
