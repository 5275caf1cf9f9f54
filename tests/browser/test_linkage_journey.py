"""One child, many records, in a real browser (issue 5, "Browser journey").

Riverside School, Mill Lane Surgery and children's social care each hold a record of Maya with her
NHS number, so they are linked; the hospital holds "Maya Thomson" without one, a possible match
awaiting review. Dan (social worker) finds Maya, sees that the school and the GP know her, opens
the single view (never any entry's content), then confirms the possible match in the review queue,
and the hospital joins the single view. axe and the CSP are checked on every page
(helpers.Tab.check).

It is one test because each step starts where the last ended and the database is emptied between
tests.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from jigsaw.accounts.models import Organisation, OrganisationKind
from jigsaw.linkage import actions
from jigsaw.linkage.models import Link, LinkMethod, MatchReview, ReviewStatus
from jigsaw.people.models import Person, Sex
from tests.browser.helpers import AXE_FILE, summary
from tests.browser.test_journey import sign_in
from tests.cast import Cast, make_cast
from tests.chronology.conftest import log
from tests.linkage.conftest import record_at, review_between

pytestmark = pytest.mark.browser

SOCIAL_CARE = "Westbridge Children's Social Care"
GP = "Mill Lane Surgery"
HOSPITAL = "Westbridge General Hospital"
SECRET = "SCHOOL-SECRET Maya said her uncle locks her in the shed."
PURPOSE = "Strategy discussion or section 47 enquiry"
REASONS = "Same first name, date of birth and sex; the hospital misspelt Thompson. The ward confirmed her school."


@pytest.fixture(scope="module", autouse=True)
def _axe_results():
    assert AXE_FILE.exists(), f"{AXE_FILE} is missing: run scripts/setup.sh"
    yield
    print("\naxe-core results (shown with -s):\n" + summary())


@dataclass
class Records:
    """Maya as each organisation holds her; the hospital's record is not linked yet."""

    cast: Cast
    social_care: Person
    hospital: Person
    review: MatchReview


def _set_up() -> Records:
    cast = make_cast()
    westbridge = cast.westbridge
    gp = Organisation.objects.create(name=GP, kind=OrganisationKind.GP_PRACTICE, local_authority=westbridge)
    hospital = Organisation.objects.create(name=HOSPITAL, kind=OrganisationKind.NHS_TRUST, local_authority=westbridge)
    actions.resolve(cast.maya)
    record_at(gp, nhs_number="9990001235", sex=Sex.FEMALE, postcode="PL4 8AA")
    social_care_record = record_at(cast.social_care, nhs_number="9990001235", sex=Sex.FEMALE, postcode="PL4 8AA")
    hospital_record = record_at(hospital, family="Thomson", sex=Sex.FEMALE, postcode="PL4 8AB",
                                address="1 Mill Lane")
    log(cast.bob, cast.maya, SECRET, event_date=datetime.date(2026, 11, 2), categories=["neglect"])
    return Records(cast=cast, social_care=social_care_record, hospital=hospital_record,
                   review=review_between(social_care_record, hospital_record))


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _menu(page):
    return page.get_by_role("navigation", name="Menu")


def _holders(page):
    """The organisations the single view lists, one summary card each."""
    return page.locator(".govuk-summary-card__title")


def _find_maya(tab):
    page = tab.page
    _menu(page).get_by_role("link", name="People", exact=True).click()
    _heading(page, "Find a child or adult")
    tab.check("find a person")
    page.get_by_label("Name").fill("maya")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2, name="1 person found")).to_be_visible()
    tab.check("search results")
    page.get_by_role("table").get_by_role("link", name="Maya Thompson", exact=True).click()
    _heading(page, "Maya Thompson")


def _open_single_view(tab, name):
    page = tab.page
    page.get_by_role("link", name="Single view: which organisations know this child").click()
    _heading(page, "Which organisations know this child")
    tab.check(f"{name}: why are you looking")
    page.get_by_label(PURPOSE).check()
    page.get_by_role("button", name="Continue").click()
    _heading(page, "Which organisations know this child")
    expect(page.locator("main")).to_contain_text(f"You are looking for: {PURPOSE}. This has been recorded.")
    expect(page.locator("main")).not_to_contain_text(SECRET[:30])
    tab.check(name)


def _answered_400(tab):
    """Forms with errors answer 400 (DESIGN §8), which Chromium reports on the console as a failed load:
    that one message is expected, and only for the page itself."""
    expected = f"{tab.page.url}: Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert tab.console_errors == [expected], tab.console_errors
    tab.console_errors.clear()


def _row(page, title):
    return page.get_by_role("table", name="The two records side by side").get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=title, exact=True))


def test_dan_sees_who_knows_maya_and_confirms_a_possible_match(tab):
    records = _set_up()
    cast, page = records.cast, tab.page

    # 1. Dan finds Maya: the school and the GP know her, and a possible match awaits review.
    sign_in(tab, cast.dan.email)
    _find_maya(tab)
    expect(page.get_by_test_id("also-known-to")).to_have_text(f"Also known to: {GP}, Riverside School")
    expect(page.get_by_text("Possible match awaiting review")).to_be_visible()
    tab.check("person")

    _open_single_view(tab, "single view")
    expect(page.locator("main")).to_contain_text("2 other organisations hold a record of Maya")
    expect(_holders(page)).to_have_text([f"{SOCIAL_CARE} (your organisation)", GP, "Riverside School"])
    expect(page.get_by_role("link", name=f"Request information from {GP}")).to_be_visible()

    # 2. Dan opens the review queue from the navigation and compares the two records.
    expect(page.get_by_test_id("review-count")).to_have_text("1 awaiting review")
    _menu(page).get_by_role("link", name=re.compile(r"^Possible matches")).click()
    _heading(page, "Possible matches to review")
    expect(page.get_by_role("table")).to_contain_text("1 possible match awaiting review")
    tab.check("possible matches")
    page.get_by_role("link", name="review the possible match with Maya Thomson").click()

    _heading(page, "Are these the same child?")
    expect(page.locator("main")).to_contain_text("Match probability: 83%")
    columns = page.get_by_role("table", name="The two records side by side").get_by_role("columnheader")
    expect(columns).to_have_text(["Detail", f"{SOCIAL_CARE} (your record)", HOSPITAL, "What the model found"])
    expect(_row(page, "First name")).to_contain_text("Agrees")
    expect(_row(page, "First name")).to_contain_text("Exact match: match weight 4.1")
    expect(_row(page, "Last name")).to_contain_text("Thompson")
    expect(_row(page, "Last name")).to_contain_text("Thomson")
    expect(_row(page, "Date of birth")).to_contain_text("Day and month swapped: match weight 1.2")
    expect(_row(page, "Postcode")).to_contain_text("Disagrees")
    expect(_row(page, "NHS number")).to_contain_text("999 000 1235")
    expect(page.locator("main")).not_to_contain_text(SECRET[:30])
    tab.check("review")

    # He says they are the same child but gives no reasons: he is asked for them, his choice kept.
    page.get_by_label("Yes, they are the same child").check()
    page.get_by_role("button", name="Save your decision").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your reasons")
    expect(page.get_by_label("Yes, they are the same child")).to_be_checked()
    _answered_400(tab)
    tab.check("review, without reasons")
    records.review.refresh_from_db()
    assert records.review.status == ReviewStatus.OPEN

    page.get_by_label("Your reasons").fill(REASONS)
    page.get_by_role("button", name="Save your decision").click()
    _heading(page, "Possible matches to review")
    expect(page.get_by_role("alert")).to_contain_text(
        f"You confirmed that Maya Thompson ({SOCIAL_CARE}) and Maya Thomson ({HOSPITAL}) are the same child")
    expect(page.get_by_text("There are no possible matches waiting for review")).to_be_visible()
    expect(page.get_by_test_id("review-count")).to_have_count(0)
    tab.check("possible matches, none left")
    page.get_by_role("navigation", name="Which reviews").get_by_role("link", name="Same child").click()
    expect(page.get_by_role("table", name=re.compile("^Confirmed as the same child"))).to_contain_text("by Dan Davies")
    tab.check("possible matches, confirmed")

    records.review.refresh_from_db()
    assert records.review.status == ReviewStatus.CONFIRMED and records.review.decided_by == cast.dan
    assert records.review.decision_reason == REASONS
    subject = actions.subject_id_of(records.social_care)
    assert subject is not None and actions.subject_id_of(records.hospital) == subject
    assert actions.subject_id_of(cast.maya) == subject
    link = Link.objects.current().get(person=records.hospital)
    assert link.method == LinkMethod.MANUAL and link.review == records.review and link.linked_by == cast.dan

    # 3. The hospital now appears wherever Maya's record says who knows her.
    _find_maya(tab)
    expect(page.get_by_test_id("also-known-to")).to_have_text(f"Also known to: {GP}, Riverside School, {HOSPITAL}")
    expect(page.get_by_text("Possible match awaiting review")).to_have_count(0)
    tab.check("person, after the review")
    _open_single_view(tab, "single view, after the review")
    expect(page.locator("main")).to_contain_text("3 other organisations hold a record of Maya")
    expect(_holders(page)).to_contain_text([HOSPITAL])
