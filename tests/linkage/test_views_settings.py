"""Linkage settings: the partnership administrator's thresholds, kinds, models and counts; no records."""

import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from jigsaw.accounts.actor import Actor
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.linkage import actions
from jigsaw.linkage.model_format import PREPARE_VERSION
from jigsaw.linkage.models import LinkageSettings
from tests.chronology.conftest import actor_for
from tests.linkage.conftest import record_at, review_between

SETTINGS = "/linkage/settings/"
VALID = {"auto_link_threshold": "0.98", "review_threshold": "0.6",
         "organisation_kinds": ["school", "gp_practice", "childrens_social_care"]}


def a_model(version="2026-11-a", active=True):
    metrics = {"records": 12_345, "records_trained_on": 10_000, "seconds": 4.2, "prepare_version": PREPARE_VERSION}
    trained = SimpleNamespace(version=version, model_json={"comparisons": []}, tf_tables={}, metrics=metrics)
    return actions.do_store_model(acting=Actor.for_system("tests"), trained=trained, activate=active)


def test_the_administrator_sees_the_thresholds_and_kinds(cast, signed_in):
    response = signed_in(cast.pat).get(SETTINGS)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="0.99"' in html and 'value="0.5"' in html
    assert 'value="gp_practice" checked' in html
    assert 'value="partnership"' not in html


def test_it_lists_the_models_with_their_figures(cast, signed_in):
    a_model("2026-10-old", active=False)
    a_model("2026-11-new")
    html = signed_in(cast.pat).get(SETTINGS).content.decode()
    assert html.index("2026-11-new") < html.index("2026-10-old")
    assert "Records in the partnership: 12345" in html and "Training took (seconds): 4.2" in html
    assert "In use" in html and "Not in use" in html


def test_a_model_trained_on_older_prepared_records_is_shown_out_of_date_and_not_used(cast, signed_in):
    from jigsaw.linkage import runs, scoring
    from jigsaw.linkage.models import ModelVersion

    ModelVersion.objects.create(version="2026-01-old-format", model_json={"comparisons": []}, trained_by="tests",
                                metrics={"records": 10}, is_active=True)  # stored before prepare versions
    html = signed_in(cast.pat).get(SETTINGS).content.decode()
    assert "Out of date" in html and ">In use</strong>" not in html
    assert "jigsaw link train" in html
    assert scoring.active_version() is None
    assert runs.out_of_date_active_model() == "2026-01-old-format"
    with pytest.raises(runs.CommandError, match="older version of the prepared records"):
        runs.activate("2026-01-old-format")
    said = io.StringIO()
    call_command("link", "run", "--only-unlinked", stdout=said, stderr=io.StringIO(), verbosity=0)
    assert "older version of the prepared records" in said.getvalue()
    stale = ModelVersion.objects.get(version="2026-01-old-format")
    with pytest.raises(ValidationError, match="jigsaw link train"):
        actions.do_activate_model(acting=Actor.for_system("tests"), version=stale)


def test_it_counts_reviews_but_shows_no_records(cast, signed_in, linked):
    review_between(cast.sam, record_at(linked.gp, given="Sam"))
    decided = review_between(cast.leo, record_at(linked.gp, given="Leo", family="Hill"))
    actions.do_reject_review(acting=actor_for(cast.carol), review=decided, reason="Different children")
    response = signed_in(cast.pat).get(SETTINGS)
    assert response.context["counts"] == {"open": 1, "confirmed": 0, "rejected": 1}
    html = response.content.decode()
    for name in ("Maya", "Sam", "Leo", "Thompson"):
        assert name not in html


def test_saving_changes_the_settings(cast, signed_in):
    client = signed_in(cast.pat)
    response = client.post(SETTINGS, VALID)
    assert response.status_code == 302
    saved = LinkageSettings.current()
    assert (saved.auto_link_threshold, saved.review_threshold) == (0.98, 0.6)
    assert saved.organisation_kinds == ["childrens_social_care", "gp_practice", "school"]
    assert AccessEvent.objects.filter(action=Action.ADMINISTER, user=cast.pat,
                                      object_type="linkage.linkagesettings").exists()
    assert "The linkage settings have been saved" in client.get(response["Location"]).content.decode()


def test_thresholds_out_of_order_are_refused_keeping_what_was_typed(cast, signed_in):
    response = signed_in(cast.pat).post(SETTINGS, {**VALID, "auto_link_threshold": "0.7", "review_threshold": "0.8"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The review threshold must be above 0 and below the auto-link threshold" in html
    assert 'value="0.7"' in html and 'value="0.8"' in html and 'value="school" checked' in html
    assert LinkageSettings.current().auto_link_threshold == 0.99


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "1", "1.5", "-0.1", "0", ""])
def test_a_threshold_that_is_not_a_probability_is_refused(cast, signed_in, value):
    response = signed_in(cast.pat).post(SETTINGS, {**VALID, "auto_link_threshold": value})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert LinkageSettings.current().auto_link_threshold == 0.99


@pytest.mark.parametrize("kinds", [[], ["partnership"], ["<script>"]])
def test_kinds_must_be_chosen_from_the_list(cast, signed_in, kinds):
    response = signed_in(cast.pat).post(SETTINGS, {**VALID, "organisation_kinds": kinds})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose" in html and "<script>" not in html


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dan", "erin"])
def test_no_one_but_the_administrator_may_see_it(cast, signed_in, who):
    client = signed_in(getattr(cast, who))
    assert client.get(SETTINGS).status_code == 404
    assert client.post(SETTINGS, VALID).status_code == 404
    assert LinkageSettings.current().auto_link_threshold == 0.99
