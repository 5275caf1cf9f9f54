"""The journeys people make through Jigsaw, in a real browser (Chromium, Playwright).

Each test signs in as a person would (e-mail, password, then a TOTP code), and on
each page checks that axe-core finds nothing serious or critical, and that the page
ran cleanly under the site's CSP (see helpers.Tab.check).

allauth refuses a TOTP code used before, and two sign-ins can fall in the same
30-second period, so each test signs in as a different person.
"""

import re

import pytest
from playwright.sync_api import expect

from jigsaw.audit.models import AccessEvent, Action
from tests.browser.helpers import AXE_FILE, Tab, summary
from tests.cast import PASSWORD, current_totp, make_cast

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _axe_results():
    assert AXE_FILE.exists(), f"{AXE_FILE} is missing: run scripts/setup.sh"
    yield
    print("\naxe-core results (shown with -s):\n" + summary())


def sign_in(tab: Tab, email: str) -> None:
    page = tab.page
    page.goto("/account/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Jigsaw")
    tab.check("sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    tab.check("two-factor")
    page.get_by_label("Code").fill(current_totp())
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you want to do?")


def test_erin_signs_in_and_switches_organisation(tab):
    cast = make_cast()
    page = tab.page
    sign_in(tab, cast.erin.email)
    tab.check("home")
    acting_for = page.get_by_test_id("active-organisation")
    expect(acting_for).to_have_text("Riverside School")

    page.get_by_label("Act for").select_option(
        label="Westbridge Children's Social Care (Data protection officer)"
    )
    page.get_by_role("button", name="Switch organisation").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "You are now acting for Westbridge Children's Social Care"
    )
    expect(acting_for).to_have_text("Westbridge Children's Social Care")
    tab.check("home, after switching organisation")

    page.get_by_label("Act for").select_option(label="Riverside School (Data protection officer)")
    page.get_by_role("button", name="Switch organisation").click()
    expect(acting_for).to_have_text("Riverside School")
    # A data protection officer does not search for people.
    expect(page.get_by_role("link", name="Find a child or adult")).to_have_count(0)


def test_alice_finds_a_child_and_sees_who_has_looked(tab):
    cast = make_cast()
    page = tab.page
    sign_in(tab, cast.alice.email)
    expect(page.get_by_test_id("active-organisation")).to_have_text("Riverside School")
    expect(page.get_by_label("Act for")).to_have_count(0)  # one membership: nothing to switch

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a child or adult")
    tab.check("search")
    page.get_by_label("Name").fill("maya")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()
    results = page.get_by_role("table", name="Search results")
    expect(results.get_by_role("link")).to_have_text(["Maya Thompson"])
    tab.check("search results")

    results.get_by_role("link", name="Maya Thompson").click()
    expect(page).to_have_url(re.compile(rf"/people/{cast.maya.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Thompson")
    family = page.get_by_role("table", name="Family and household of Maya Thompson")
    rows = family.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has=page.get_by_role("link", name="Jo Thompson"))).to_contain_text("Parent")
    expect(rows.filter(has=page.get_by_role("link", name="Sam Thompson"))).to_contain_text("Sibling")
    tab.check("person")

    page.get_by_role("link", name="Who has looked at this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who has looked at Maya Thompson's record"
    )
    rows = page.get_by_role("table", name="Access to this record").locator("tbody tr")
    # The ledger names people by e-mail address. Newest first: this visit, then her page.
    alice_rows = rows.filter(has_text=cast.alice.email).filter(has_text="Viewed")
    expect(alice_rows).to_have_count(2)
    expect(alice_rows.nth(0)).to_contain_text("Viewed (who has looked)")
    expect(alice_rows.nth(1)).to_contain_text("Viewed (person)")
    expect(alice_rows.nth(1)).to_contain_text("Riverside School")
    tab.check("who has looked")

    # What the page showed is what the ledger holds.
    assert AccessEvent.objects.filter(
        user=cast.alice, person_id=cast.maya.pk, action=Action.VIEW
    ).count() == 2
