"""Who may reach every URL: the readable specification of access (DESIGN §8).

Each row is one URL pattern with the status expected for an anonymous visitor,
a signed-in person without MFA (Nina), an outsider (Carol, DSL at Hillside, for
Riverside's objects) and the permitted role. A URL pattern missing from this
table fails the suite.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from jigsaw.accounts import actions as account_actions
from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKeyScope, Membership, Organisation, OrganisationKind
from jigsaw.chronology import actions, audits
from jigsaw.chronology.models import ActionItem, Alert
from jigsaw.people.models import Person
from jigsaw.sharing import actions as sharing_actions
from tests.cast import sign_in
from tests.chronology.conftest import actor_for, log
from tests.chronology.uploads import pdf_upload, png_upload
from tests.linkage.conftest import record_at, review_between
from tests.sharing.conftest import share

ANON, NO_MFA, OUTSIDER, PERMITTED = "anonymous", "no MFA", "outsider", "permitted"


@dataclass(frozen=True)
class Row:
    name: str
    anonymous: int
    no_mfa: int
    outsider: int
    permitted: int
    who: str = "alice"  # the permitted user
    method: str = "get"
    kwargs: str = ""  # which cast object supplies the URL's keyword argument
    api: bool = False


REDIRECT, OK, CREATED, NOT_FOUND, UNAUTHORISED, FORBIDDEN = 302, 200, 201, 404, 401, 403

TABLE = [
    Row("home", REDIRECT, REDIRECT, OK, OK),
    Row("privacy", OK, OK, OK, OK),
    Row("healthz", OK, OK, OK, OK),
    Row("switch_organisation", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, who="erin", method="post",
        kwargs="erin_membership"),
    # Sign-in (django-allauth)
    Row("account_login", OK, REDIRECT, REDIRECT, REDIRECT),
    Row("account_logout", REDIRECT, OK, OK, OK),
    Row("account_inactive", OK, REDIRECT, OK, OK),
    Row("account_signup", OK, REDIRECT, REDIRECT, REDIRECT),
    Row("account_reauthenticate", REDIRECT, OK, OK, OK),
    Row("account_email", REDIRECT, REDIRECT, OK, OK),
    Row("account_email_verification_sent", OK, REDIRECT, OK, OK),
    Row("account_change_password", REDIRECT, REDIRECT, OK, OK),
    Row("account_set_password", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("account_reset_password", OK, REDIRECT, OK, OK),
    Row("account_confirm_login_code", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("account_confirm_email", OK, REDIRECT, OK, OK, kwargs="email_key"),
    Row("account_reset_password_from_key_done", OK, REDIRECT, OK, OK),
    Row("account_reset_password_from_key", OK, REDIRECT, OK, OK, kwargs="reset_key"),
    Row("account_reset_password_done", OK, REDIRECT, OK, OK),
    Row("mfa_index", REDIRECT, OK, OK, OK),
    Row("mfa_authenticate", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("mfa_reauthenticate", REDIRECT, REDIRECT, OK, OK),
    # Changing sign-in security always asks for the password again first.
    Row("mfa_activate_totp", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("mfa_deactivate_totp", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("mfa_view_recovery_codes", REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    Row("mfa_generate_recovery_codes", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("mfa_download_recovery_codes", REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    Row("mfa_list_webauthn", REDIRECT, REDIRECT, OK, OK),
    Row("mfa_add_webauthn", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("mfa_reauthenticate_webauthn", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("mfa_remove_webauthn", REDIRECT, REDIRECT, REDIRECT, REDIRECT, kwargs="missing_pk"),
    Row("mfa_edit_webauthn", REDIRECT, REDIRECT, REDIRECT, REDIRECT, kwargs="missing_pk"),
    Row("mfa_login_webauthn", REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    Row("usersessions_list", REDIRECT, REDIRECT, OK, OK),
    # Partnership administration: Pat only, never case content
    Row("organisations", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat"),
    Row("add_organisation", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat"),
    Row("organisation", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="organisation_id"),
    Row("invite", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="organisation_id"),
    Row("add_api_key", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="organisation_id"),
    Row("change_role", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="membership_id"),
    Row("end_membership", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="membership_id"),
    Row("deactivate_user", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="user_id"),
    Row("revoke_api_key", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, who="pat", method="post",
        kwargs="key_id"),
    Row("concern_categories", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat"),
    Row("chronology_settings", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="organisation_id"),
    # People: Riverside's children are Riverside's
    Row("people", REDIRECT, REDIRECT, OK, OK),
    Row("add_person", REDIRECT, REDIRECT, OK, OK),
    Row("person", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("edit_person", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("person_history", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("person_access_log", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("add_relationship", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    # Chronology: Bob logs concerns and sees his own; the leads see the organisation's file
    Row("my_concerns", REDIRECT, REDIRECT, OK, OK, who="bob"),
    Row("choose_child", REDIRECT, REDIRECT, OK, OK, who="bob"),
    Row("log_concern", REDIRECT, REDIRECT, NOT_FOUND, OK, who="bob", kwargs="person_id"),
    Row("check_concern", REDIRECT, REDIRECT, NOT_FOUND, OK, who="bob", method="post", kwargs="person_id"),
    Row("concern", REDIRECT, REDIRECT, NOT_FOUND, OK, who="bob", kwargs="concern_id"),
    Row("concern_inbox", REDIRECT, REDIRECT, OK, OK),
    Row("triage_concern", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="concern_id"),
    Row("alert", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="alert_id"),
    Row("chronology", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("chronology_pdf", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("front_sheet", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("add_entry", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("entry", REDIRECT, REDIRECT, NOT_FOUND, OK, who="bob", kwargs="entry_id"),
    Row("correct_entry", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="entry_id"),
    Row("key_event", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, method="post", kwargs="entry_id"),
    Row("complete_action", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="item_id"),
    Row("attachment", REDIRECT, REDIRECT, NOT_FOUND, OK, who="bob", kwargs="attachment_id"),
    Row("file_audits", REDIRECT, REDIRECT, OK, OK),
    Row("start_file_audit", REDIRECT, REDIRECT, OK, OK),
    Row("file_audit", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="audit_id"),
    Row("file_audit_pdf", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="audit_id"),
    Row("file_audit_item", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="audit_item"),
    # Sharing: Alice shares from Riverside; Dan (social care) receives and asks; Erin governs and advises
    Row("share_choose", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("share_decision", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="draft_id"),
    Row("share_preview", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="draft_id"),
    Row("share_check", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="draft_id"),
    Row("share_discard", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, method="post", kwargs="draft_id"),
    Row("ask_advice", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="draft_id"),
    Row("disclosures_sent", REDIRECT, REDIRECT, OK, OK),
    Row("disclosure", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="disclosure_id"),
    Row("chase_disclosure", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, method="post", kwargs="disclosure_id"),
    Row("send_disclosure_update", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, method="post", kwargs="disclosure_id"),
    Row("disclosure_pdf", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="disclosure_id"),
    Row("revoke_external_link", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, method="post", kwargs="external_id"),
    Row("decisions", REDIRECT, REDIRECT, OK, OK),
    Row("decision", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="decision_id"),
    Row("sharing_inbox", REDIRECT, REDIRECT, OK, OK, who="dan"),
    Row("received_disclosure", REDIRECT, REDIRECT, NOT_FOUND, OK, who="dan", kwargs="disclosure_id"),
    Row("acknowledge_disclosure", REDIRECT, REDIRECT, NOT_FOUND, OK, who="dan", kwargs="disclosure_id"),
    Row("save_disclosure", REDIRECT, REDIRECT, NOT_FOUND, OK, who="dan", kwargs="disclosure_id"),
    Row("received_disclosure_pdf", REDIRECT, REDIRECT, NOT_FOUND, OK, who="dan", kwargs="disclosure_id"),
    # Recipients outside the partnership have no account: the link and the code are the gate
    # (someone signed in without MFA is sent to set it up first, as everywhere)
    Row("external_disclosure", OK, REDIRECT, OK, OK, kwargs="external_token"),
    Row("external_download", FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, kwargs="external_token"),
    Row("requests_received", REDIRECT, REDIRECT, OK, OK),
    Row("requests_made", REDIRECT, REDIRECT, OK, OK, who="dan"),
    Row("new_request", REDIRECT, REDIRECT, OK, OK, who="dan"),
    Row("request", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="request_id"),
    Row("answer_request", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="request_id"),
    Row("add_information", REDIRECT, REDIRECT, NOT_FOUND, OK, who="dan", kwargs="request_id"),
    Row("withdraw_request", REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, who="dan", method="post", kwargs="request_id"),
    Row("advice_list", REDIRECT, REDIRECT, OK, OK, who="erin"),
    Row("advice", REDIRECT, REDIRECT, NOT_FOUND, OK, who="erin", kwargs="advice_id"),
    Row("triage_prompt", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="prompt_entry_id"),
    Row("alert_prompt", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="prompt_alert_id"),
    Row("governance", REDIRECT, REDIRECT, NOT_FOUND, OK, who="erin"),
    Row("governance_review", REDIRECT, REDIRECT, NOT_FOUND, OK, who="erin", kwargs="decision_id"),
    Row("governance_report", REDIRECT, REDIRECT, NOT_FOUND, OK, who="erin"),
    Row("governance_report_csv", REDIRECT, REDIRECT, NOT_FOUND, OK, who="erin"),
    Row("agreements", REDIRECT, REDIRECT, OK, OK, who="pat"),
    Row("add_agreement", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat"),
    Row("agreement", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="agreement_id"),
    Row("edit_agreement", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="agreement_id"),
    Row("agreement_document", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="agreement_id"),
    Row("sharing_settings", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat", kwargs="organisation_id"),
    # Linkage: a case role of an organisation holding one of the records; the outsider sees only their own queue
    Row("linkage_reviews", REDIRECT, REDIRECT, OK, OK),
    Row("linkage_review", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="review_id"),
    Row("single_view", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("person_links", REDIRECT, REDIRECT, NOT_FOUND, OK, kwargs="person_id"),
    Row("linkage_settings", REDIRECT, REDIRECT, NOT_FOUND, OK, who="pat"),
    # API: an organisation's key; the outsider is Hillside's key
    Row("api:api-root", NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, api=True),
    Row("api:openapi-json", OK, OK, OK, OK, api=True),
    Row("api:openapi-view", OK, OK, OK, OK, api=True),
    Row("api:search_people", UNAUTHORISED, UNAUTHORISED, OK, OK, api=True),
    Row("api:read_person", UNAUTHORISED, UNAUTHORISED, NOT_FOUND, OK, api=True, kwargs="person_id"),
    Row("api:read_chronology", UNAUTHORISED, UNAUTHORISED, NOT_FOUND, OK, api=True, kwargs="person_id"),
    Row("api:log_concern", UNAUTHORISED, UNAUTHORISED, NOT_FOUND, CREATED, api=True, method="post"),
    Row("api:create_request", UNAUTHORISED, UNAUTHORISED, NOT_FOUND, CREATED, api=True, method="post"),
    Row("api:list_disclosures", UNAUTHORISED, UNAUTHORISED, NOT_FOUND, OK, api=True),
    Row("api:read_disclosure", UNAUTHORISED, UNAUTHORISED, NOT_FOUND, OK, api=True, kwargs="received_id"),
    Row("api:acknowledge_disclosure", UNAUTHORISED, UNAUTHORISED, NOT_FOUND, OK, api=True, method="post",
        kwargs="received_id"),
]


def all_url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name


def test_every_url_pattern_is_in_the_table():
    listed = {row.name for row in TABLE}
    # create_person shares its path with search_people; its POST is covered in tests/people/test_api.py
    missing = set(all_url_names()) - listed - {"api:create_person"}
    assert not missing, f"URL patterns missing from the access table: {sorted(missing)}"


@pytest.fixture
def world(cast):
    pat_actor = Actor.for_membership(cast.pat.memberships.get())
    riverside_key, riverside_token = account_actions.do_create_api_key(
        acting=pat_actor, organisation=cast.riverside, name="Filtering feed",
        scopes=[ApiKeyScope.PEOPLE_READ, ApiKeyScope.PEOPLE_WRITE, ApiKeyScope.CONCERNS_WRITE,
                ApiKeyScope.CHRONOLOGY_READ, ApiKeyScope.SHARING_READ, ApiKeyScope.REQUESTS_WRITE], days=30,
    )
    _, hillside_token = account_actions.do_create_api_key(
        acting=pat_actor, organisation=cast.hillside, name="Hillside MIS",
        scopes=[ApiKeyScope.PEOPLE_READ], days=30,
    )
    kwargs = {
        "": {},
        "person_id": {"person_id": cast.maya.pk},
        "organisation_id": {"organisation_id": cast.riverside.pk},
        "membership_id": {"membership_id": Membership.objects.get(user=cast.bob).pk},
        "user_id": {"user_id": cast.bob.pk},
        "key_id": {"key_id": riverside_key.pk},
        "missing_pk": {"pk": 999999},
        "email_key": {"key": "not-a-real-key"},
        "reset_key": {"uidb36": "1", "key": "not-a-real-key"},
        "erin_membership": {},
        **chronology_kwargs(cast),
        **sharing_kwargs(cast),
        **linkage_kwargs(cast),
    }
    return {"cast": cast, "kwargs": kwargs, "tokens": {OUTSIDER: hillside_token, PERMITTED: riverside_token}}


def chronology_kwargs(cast) -> dict:
    """A concern by Bob about Maya with an attachment, an alert, an action and a file audit."""
    concern = log(cast.bob, cast.maya, categories=["sexual-abuse"], uploads=[png_upload()])
    entry = concern.first_entry
    alice = actor_for(cast.alice)
    actions.do_triage(acting=alice, concern=log(cast.bob, cast.maya), outcome="monitor", rationale="Watch",
                      new_actions=[actions.NewAction("Check in with Maya weekly")])
    audit = audits.do_start_audit(acting=alice, title="Autumn audit", people=[cast.maya])
    return {
        "concern_id": {"concern_id": concern.pk},
        "entry_id": {"entry_id": entry.pk},
        "alert_id": {"alert_id": Alert.objects.get(rule="first_serious").pk},
        "item_id": {"item_id": ActionItem.objects.get().pk},
        "attachment_id": {"attachment_id": entry.attachments.get().pk},
        "audit_id": {"audit_id": audit.pk},
        "audit_item": {"audit_id": audit.pk, "item_id": audit.items.get().pk},
    }


def sharing_kwargs(cast) -> dict:
    """Alice's draft, her share with social care and its decision, an external share, Dan's request,
    advice asked of Erin, prompts, an agreement with its document, and a disclosure Riverside received."""
    alice, dan = actor_for(cast.alice), actor_for(cast.dan)
    entries = [log(cast.bob, cast.maya, f"Concern {n}").first_entry for n in range(2)]
    draft = sharing_actions.do_start_draft(acting=alice, person=cast.maya, entry_ids=[e.pk for e in entries])
    sent = share(cast.alice, cast.maya, entries, recipient=cast.social_care)
    external = share(cast.alice, cast.maya, entries[:1], external_name="Sam Coach", external_role="Welfare officer",
                     external_organisation="Westbridge Juniors FC", external_email="welfare@juniors.test",
                     external_phone="01632 960123", external_reason="Runs the club Maya attends")
    dans_child = Person.objects.create(organisation=cast.social_care, given_name="Maya", family_name="Thompson",
                                       nhs_number="9990001235")
    received = share(cast.dan, dans_child, [log(cast.dan, dans_child, "Strategy discussion held").first_entry],
                     recipient=cast.riverside)
    request = sharing_actions.do_request(acting=dan, data=sharing_actions.RequestData(
        holder=cast.riverside, given_name="Maya", family_name="Thompson", reason="Assessment",
        information_wanted="Attendance and concerns this term"))
    advice = sharing_actions.do_ask_advice(
        acting=alice, draft=draft, adviser=cast.erin.memberships.get(organisation=cast.riverside),
        question="May I share without telling her mother?", due_at=timezone.now(), briefing={})
    triage = actions.do_triage(acting=alice, concern=log(cast.bob, cast.maya), outcome="refer_csc",
                               rationale="Significant harm")
    # An alert raised after the shares above, so nothing has been shared since and it still prompts.
    log(cast.bob, cast.sam, "Sam described being touched by an adult", categories=["sexual-abuse"])
    pat = Actor.for_membership(cast.pat.memberships.get())
    agreement = sharing_actions.do_save_agreement(
        acting=pat, parties=[cast.riverside, cast.social_care], document=pdf_upload(),
        values={"title": "Westbridge safeguarding", "purposes": "Safeguarding", "data_items": "Concerns",
                "lawful_basis": "public_task", "retention": "Until 25", "rights_contact": "dpo@westbridge.test",
                "starts_on": datetime.date(2026, 1, 1), "review_date": datetime.date(2027, 1, 1)})
    return {
        "draft_id": {"draft_id": draft.pk},
        "disclosure_id": {"disclosure_id": sent.disclosure.pk},
        "decision_id": {"decision_id": sent.decision.pk},
        "external_id": {"disclosure_id": external.disclosure.pk},
        "external_token": {"token": external.link_token},
        "received_id": {"disclosure_id": received.disclosure.pk},
        "request_id": {"request_id": request.pk},
        "advice_id": {"advice_id": advice.pk},
        "prompt_entry_id": {"entry_id": triage.pk},
        "prompt_alert_id": {"alert_id": Alert.objects.get(rule="first_serious", person=cast.sam).pk},
        "agreement_id": {"agreement_id": agreement.pk},
    }


def linkage_kwargs(cast) -> dict:
    """A GP's record the model was not sure is Maya, waiting for review."""
    gp = Organisation.objects.create(name="Mill Lane Surgery", kind=OrganisationKind.GP_PRACTICE,
                                     local_authority=cast.westbridge)
    return {"review_id": {"review_id": review_between(cast.maya, record_at(gp, family="Thomson")).pk}}


API_BODIES = {
    "api:log_concern": lambda cast: {"person_id": cast.maya.pk, "what_happened": "Flagged search terms on a laptop"},
    "api:create_request": lambda cast: {"holder_id": cast.social_care.pk, "given_name": "Maya",
                                        "family_name": "Thompson", "reason": "She has moved to us",
                                        "information_wanted": "Any open plan", "urgency": "standard"},
    "api:acknowledge_disclosure": lambda cast: {"action_taken": "Read by the DSL and added to the file"},
}


def request_as(client, world, row: Row, who: str):
    cast = world["cast"]
    url = reverse(row.name, kwargs=world["kwargs"][row.kwargs])
    data = {}
    if row.kwargs == "erin_membership":
        data = {"membership": cast.erin.memberships.order_by("-pk").first().pk}
    if row.api:
        headers = {}
        if who in world["tokens"]:
            headers["Authorization"] = f"Bearer {world['tokens'][who]}"
        if row.method == "post":
            return client.post(url, API_BODIES[row.name](cast), content_type="application/json",
                               headers={**headers, "Idempotency-Key": f"access-table-{who}"})
        query = {"name": "Maya"} if row.name == "api:search_people" else {}
        return client.get(url, query, headers=headers)
    user = {ANON: None, NO_MFA: cast.nina, OUTSIDER: cast.carol, PERMITTED: getattr(cast, row.who)}[who]
    if user is not None:
        sign_in(client, user)
    return getattr(client, row.method)(url, data)


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
@pytest.mark.parametrize("who", [ANON, NO_MFA, OUTSIDER, PERMITTED])
def test_access(client, world, row, who):
    expected = {ANON: row.anonymous, NO_MFA: row.no_mfa, OUTSIDER: row.outsider, PERMITTED: row.permitted}[who]
    response = request_as(client, world, row, who)
    assert response.status_code == expected, (
        f"{row.name} as {who}: expected {expected}, got {response.status_code} "
        f"{response.get('Location', '')}"
    )
