"""Sharing with the golden rules, in a real browser (issue 4, "Browser journey").

Alice (DSL, Riverside School) shares three entries about Maya with children's social care, one
protected name redacted in the preview and one more phrase removed by hand; Dan (social worker)
opens it, which Alice sees, and acknowledges it; Dan asks Riverside for information; Alice
declines with reasons; Dan adds information; Alice reconsiders and shares; Erin (DPO) reviews the
decisions. axe and the CSP are checked on every page (helpers.Tab.check).

It is one test because each step starts where the last ended and the database is emptied between
tests. Each person has their own browser context, signed in once: allauth refuses a TOTP code used
twice, so signing Alice in again within the same 30 seconds would fail.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from jigsaw.guidance.sharing import ConsentStatus, Outcome
from jigsaw.sharing.models import Decision, Disclosure, Request, RequestStatus, Review
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import AXE_FILE, RECORD_CSP_VIOLATIONS, Tab, summary
from tests.browser.test_journey import sign_in
from tests.cast import make_cast
from tests.chronology.conftest import log

pytestmark = pytest.mark.browser

SOCIAL_CARE = "Westbridge Children's Social Care"
PROTECTED_NAME = "Jo Thompson"
BY_HAND = "Mrs Patel"
ENTRIES = {
    "bruise": "Maya had a bruise on her left arm. Jo Thompson told the office she fell off her bike.",
    "hungry": "Maya said she had not had breakfast for three days and asked for food at break.",
    "shouting": "Mrs Patel next door told reception she hears shouting at the house most nights.",
    "late": "Maya arrived 40 minutes late; her aunt dropped her off and signed her in.",
}


@pytest.fixture(scope="module", autouse=True)
def _axe_results():
    assert AXE_FILE.exists(), f"{AXE_FILE} is missing: run scripts/setup.sh"
    yield
    print("\naxe-core results (shown with -s):\n" + summary())


@pytest.fixture
def another_tab(browser, server, tab):
    """A second (third…) person's browser, made the way conftest's `tab` is: its own cookies."""
    contexts = []

    def open_tab() -> Tab:
        context = browser.new_context(base_url=server, locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        contexts.append(context)
        return Tab(context.new_page())

    yield open_tab
    for context in contexts:
        context.close()


def _set_up():
    cast = make_cast()
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    days = {"bruise": 2, "hungry": 9, "shouting": 16, "late": 20}
    categories = {"bruise": ["physical-abuse"], "hungry": ["neglect"], "shouting": ["domestic-abuse"],
                  "late": ["attendance"]}
    for key, text in ENTRIES.items():
        log(cast.bob, cast.maya, text, event_date=datetime.date(2026, 11, days[key]), categories=categories[key])
    return cast


def _nav(page, name):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _snapshot(page):
    """The entries as the recipient gets them (the summary cards _snapshot.html draws)."""
    return page.locator(".govuk-summary-card").filter(has=page.get_by_text("What happened"))


def _choose(tab, *keys):
    page = tab.page
    for key in keys:
        page.locator(".govuk-checkboxes__item").filter(has_text=ENTRIES[key][:40]).get_by_role("checkbox").check()
    page.get_by_role("button", name="Continue").click()


def _decide(tab, name, *, outcome, rationale):
    """The decision form, the golden rules in order; the lawful basis is the school's default."""
    page = tab.page
    _heading(page, "Decide whether to share")
    tab.check(name)
    page.get_by_role("group", name="What have you decided?").get_by_label(outcome, exact=True).check()
    page.get_by_label("An organisation in the partnership").select_option(label=SOCIAL_CARE)
    page.get_by_label("What is the information for?").fill(
        "So that children's social care can assess whether Maya is safe at home.")
    page.get_by_label("If neither has been told, why not?").fill(
        "Telling her mother could put Maya at greater risk before social care have assessed.")
    page.get_by_label(ConsentStatus.NOT_SOUGHT_RISK.label).check()
    if outcome == Outcome.SHARE.label:
        expect(page.get_by_label("6(1)(e) Public task")).to_be_checked()
    page.get_by_label("Your reasons").fill(rationale)
    page.get_by_role("button", name="Continue").click()


def _preview_and_send(tab, *, redact_by_hand):
    page = tab.page
    _heading(page, f"Check what {SOCIAL_CARE} will see")
    tab.check("preview")
    expect(page.locator("main")).not_to_contain_text(PROTECTED_NAME)
    expect(page.get_by_text("Some details were removed before this was sent")).to_be_visible()
    if redact_by_hand:
        expect(_snapshot(page).filter(has_text=BY_HAND)).to_have_count(1)
        page.get_by_label("Words to remove").fill(BY_HAND)
        page.get_by_label("Why are you removing them?").fill("It would identify the neighbour who told us")
        page.get_by_role("button", name="Remove these words").click()
        expect(page.get_by_role("alert")).to_contain_text(f"“{BY_HAND}” will be removed everywhere it appears")
        expect(page.get_by_role("table", name="Words you are removing by hand")).to_contain_text(BY_HAND)
        expect(_snapshot(page).filter(has_text=BY_HAND)).to_have_count(0)
        expect(_snapshot(page).filter(has_text="[redacted] next door told reception")).to_have_count(1)
        tab.check("preview, after a redaction by hand")
    page.get_by_role("button", name="Continue").first.click()

    _heading(page, "Check your answers before sending")
    tab.check("check your answers")
    page.get_by_role("button", name=f"Send to {SOCIAL_CARE}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"What you sent to {SOCIAL_CARE}")
    expect(page.get_by_role("alert")).to_contain_text(f"Sent to {SOCIAL_CARE}")
    tab.check("what you sent")


def _timeline(page):
    return page.get_by_role("list", name="Timeline")


def _open_request(tab, name):
    page = tab.page
    page.get_by_role("table").get_by_role("link", name="Maya Thompson", exact=True).click()
    _heading(page, "Maya Thompson")
    tab.check(name)


def _answer_with_her_record(tab):
    page = tab.page
    _heading(page, "Which of your records is this child?")
    tab.check("which of your records")
    page.get_by_label("Maya Thompson").check()
    page.get_by_role("button", name="Continue to the decision").click()


def test_a_share_a_request_declined_and_reconsidered_and_a_governance_review(tab, another_tab):
    cast = _set_up()
    alice, dan, erin = tab, another_tab(), another_tab()

    # 1. Alice shares three of Maya's four entries with children's social care.
    page = alice.page
    sign_in(alice, cast.alice.email)
    page.goto(f"/people/{cast.maya.pk}/chronology/")
    page.get_by_role("button", name="Share information").click()
    _heading(page, "Choose what to share about Maya")
    alice.check("choose entries")
    _choose(alice, "bruise", "hungry", "shouting")
    _decide(alice, "decision form", outcome="Share",
            rationale="Three concerns in three weeks: physical harm, hunger and violence at home.")
    _preview_and_send(alice, redact_by_hand=True)
    expect(_timeline(page)).to_contain_text("Not opened yet")

    shared = Disclosure.objects.get()
    assert shared.recipient == cast.social_care and shared.items.count() == 3
    sent_text = str(shared.snapshot.content)
    assert PROTECTED_NAME not in sent_text and BY_HAND not in sent_text and ENTRIES["late"] not in sent_text
    assert shared.opened_at is None and shared.acknowledged_at is None

    # 2. Dan opens it (the receipt is recorded) and acknowledges it.
    page = dan.page
    sign_in(dan, cast.dan.email)
    _nav(page, "Shared with us")
    _heading(page, "Read and acknowledge information shared with you")
    dan.check("shared with us")
    page.get_by_role("table").get_by_role("link", name="Maya Thompson", exact=True).click()
    _heading(page, "Maya Thompson")
    dan.check("received")
    expect(page.locator("main")).not_to_contain_text(PROTECTED_NAME)
    expect(page.locator("main")).to_contain_text("[redacted] told the office she fell off her bike")
    shared.refresh_from_db()
    assert shared.opened_at is not None and shared.opened_by == cast.dan

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What have you done, or will you do")
    dan.check("acknowledge")
    page.get_by_label("What have you done, or will you do, with this information?").fill(
        "Added to Maya's file; a strategy discussion is booked for Friday.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("alert")).to_contain_text("You have acknowledged this information")
    shared.refresh_from_db()
    assert shared.acknowledged_at is not None and shared.acknowledged_by == cast.dan

    # 3. Alice sees that Dan opened it and acknowledged it, and what he did.
    page = alice.page
    page.reload()
    expect(_timeline(page)).to_contain_text(re.compile(r"Opened .* by Dan Davies"))
    expect(_timeline(page)).to_contain_text(re.compile(r"Acknowledged .* by Dan Davies"))
    expect(_timeline(page)).to_contain_text("a strategy discussion is booked for Friday")
    alice.check("what you sent, acknowledged")

    # 4. Dan asks Riverside School for information about Maya.
    page = dan.page
    _nav(page, "Requests")
    _heading(page, "Requests for information to answer")
    dan.check("requests to answer")
    page.get_by_role("link", name="Ask another organisation for information").click()
    _heading(page, "Ask another organisation for information")
    dan.check("new request")
    page.get_by_label("Which organisation are you asking?").select_option(label="Riverside School")
    page.get_by_label("Child's first name").fill("Maya")
    page.get_by_label("Child's last name").fill("Thompson")
    page.get_by_label("NHS number (optional)").fill("999 000 1235")
    page.get_by_label("Why do you need the information?").fill(
        "We are assessing Maya after a referral: we need to know how she presents at school.")
    page.get_by_label("What information do you need?").fill("Attendance and any concerns since September.")
    page.get_by_label(re.compile(r"^Standard")).check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("Your request has been sent to Riverside School")
    _heading(page, "Maya Thompson")
    dan.check("request, as asked")
    asked = Request.objects.get()
    assert asked.holder == cast.riverside and asked.urgency == "standard" and asked.status == RequestStatus.OPEN

    # 5. Alice answers it: she will not share, with her reasons.
    page = alice.page
    _nav(page, "Requests")
    alice.check("requests to answer")
    _open_request(alice, "request to answer")
    page.get_by_role("button", name="Answer this request").click()
    _answer_with_her_record(alice)
    withhold_reasons = "Maya's mother is not yet told of the earlier share; we need the social worker's plan first."
    _decide(alice, "decision form, answering a request", outcome="Do not share", rationale=withhold_reasons)
    _heading(page, "Check your answers before recording your decision")
    alice.check("check your answers, not sharing")
    page.get_by_role("button", name="Record decision not to share").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Your decision not to share with {SOCIAL_CARE}")
    alice.check("the decision")
    page.goto(f"/requests/{asked.pk}/")
    expect(page.locator("main")).to_contain_text("Not shared")
    alice.check("request, declined")
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DECLINED
    withheld = Decision.objects.get(request=asked)
    assert withheld.outcome == Outcome.WITHHOLD

    # 6. Dan reads her reasons and gives new information.
    page = dan.page
    page.reload()
    expect(page.locator("main")).to_contain_text(withhold_reasons)
    dan.check("request, declined, as the requester sees it")
    page.get_by_role("button", name="Add new information").click()
    _heading(page, "Add new information")
    dan.check("add information")
    page.get_by_label("What new information can you give?").fill(
        "The strategy discussion has agreed a section 47 enquiry: the plan is in place.")
    page.get_by_role("button", name="Send the new information").click()
    expect(page.get_by_role("alert")).to_contain_text("They have been asked to reconsider their decision")
    asked.refresh_from_db()
    assert asked.status == RequestStatus.RECONSIDER

    # 7. Alice reconsiders and, this time, shares two entries.
    page = alice.page
    page.reload()
    expect(page.get_by_text("New information: reconsider your decision")).to_be_visible()
    expect(page.locator("main")).to_contain_text("agreed a section 47 enquiry")
    alice.check("request, to reconsider")
    page.get_by_role("button", name="Reconsider and answer").click()
    _answer_with_her_record(alice)
    expect(page.get_by_text("You are reconsidering an earlier decision")).to_be_visible()
    page.get_by_role("link", name="Choose the entries to share").click()
    _heading(page, "Choose what to share about Maya")
    alice.check("choose entries, answering a request")
    _choose(alice, "bruise", "late")
    _decide(alice, "decision form, reconsidering", outcome="Share",
            rationale="A section 47 enquiry is under way: social care need the school's account now.")
    _preview_and_send(alice, redact_by_hand=False)

    asked.refresh_from_db()
    assert asked.status == RequestStatus.SHARED
    reconsidered = Decision.objects.filter(request=asked).exclude(pk=withheld.pk).get()
    assert reconsidered.outcome == Outcome.SHARE and reconsidered.reconsiders == withheld
    answer = Disclosure.objects.get(decision=reconsidered)
    assert answer.items.count() == 2 and PROTECTED_NAME not in str(answer.snapshot.content)

    # 8. Erin, the DPO, reviews Riverside's decisions: their reasons, never the entries.
    page = erin.page
    sign_in(erin, cast.erin.email)
    expect(page.get_by_test_id("active-organisation")).to_have_text("Riverside School")
    _nav(page, "Governance review")
    _heading(page, "Review sharing decisions")
    erin.check("governance queue")
    decisions = page.get_by_role("table", name=re.compile("decisions? not yet reviewed")).locator("tbody tr")
    expect(decisions).to_have_count(3)
    expect(decisions.filter(has_text="Not shared")).to_have_count(1)
    expect(decisions.filter(has_text="Shared without consent")).to_have_count(2)
    decisions.filter(has_text="Not shared").get_by_role("link").click()
    _heading(page, "Review this decision: do not share")
    main = page.locator("main")
    expect(main).to_contain_text(withhold_reasons)
    for text in ENTRIES.values():
        expect(main).not_to_contain_text(text[:40])
    expect(main).not_to_contain_text(PROTECTED_NAME)
    erin.check("governance review")
    page.get_by_label("Sound, with learning").check()
    page.get_by_label("Your notes").fill(
        "Reasons recorded and the share followed once the plan was in place. Learning: ask social care sooner.")
    page.get_by_role("button", name="Sign off the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Your review has been recorded and signed off")
    _heading(page, "Reviewed decision: do not share")
    expect(main).to_contain_text("Erin Evans")
    for text in ENTRIES.values():
        expect(main).not_to_contain_text(text[:40])
    erin.check("governance review, signed off")
    review = Review.objects.get()
    assert review.decision == withheld and review.reviewer == cast.erin and review.finding == "sound_with_learning"
