"""The chronology's main journeys in a real browser: Bob logs a concern on his phone with a
body-map mark; Alice sees it and its alert, decides on it, reads the chronology and its chart,
and downloads the PDF. axe and the CSP are checked on every page (helpers.Tab.check)."""

import re

import pytest
from playwright.sync_api import expect

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology.models import Concern, Entry
from tests.browser.test_journey import sign_in
from tests.cast import make_cast

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


def test_bob_logs_a_concern_with_a_body_map_mark_on_his_phone(tab):
    cast = make_cast()
    page = tab.page
    page.set_viewport_size(PHONE)
    sign_in(tab, cast.bob.email)
    page.get_by_role("link", name="Log a concern about a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a concern: which child is it about?")
    tab.check("choose a child")
    page.get_by_label("Child's name").fill("maya")
    page.get_by_role("button", name="Find the child").click()
    page.get_by_role("link", name="Maya Thompson").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log a concern")
    tab.check("log a concern")
    page.get_by_label("What did you see or hear?").fill(
        "Maya had a round bruise on her left upper arm at 10:05 in Classroom 4. She said it happened at home."
    )
    page.get_by_role("group", name="When did it happen?").get_by_label("Day").fill("2")
    page.get_by_role("group", name="When did it happen?").get_by_label("Month").fill("11")
    page.get_by_role("group", name="When did it happen?").get_by_label("Year").fill("2026")
    page.get_by_label("What have you done so far?").fill("Told Alice Adeyemi at 10:15.")
    page.get_by_text("Did you see a mark or injury? (body map)").click()
    page.get_by_role("group", name="Side of the body").get_by_label("Front").check()
    page.get_by_label("Where on the body").select_option(value="front-left-upper-arm")
    page.get_by_label("Describe the mark").fill("Round bruise, about 3cm, purple-blue")
    page.get_by_role("button", name="Send to the safeguarding lead").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Concern logged")
    expect(page.get_by_text("The safeguarding lead has not read it yet")).to_be_visible()
    tab.check("your concern")
    entry = Entry.objects.get()
    mark = entry.marks.get()
    assert mark.side == "front" and mark.region == "front-left-upper-arm" and mark.note.startswith("Round bruise")
    assert Concern.objects.get().raised_by == cast.bob


def test_alice_triages_and_reads_the_chronology_and_its_pdf(tab):
    from tests.chronology.conftest import log

    cast = make_cast()
    log(cast.bob, cast.maya, categories=["sexual-abuse"], childs_words="he said not to tell")
    page = tab.page
    sign_in(tab, cast.alice.email)
    page.get_by_role("link", name=re.compile("Read and decide on concerns")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns and alerts waiting for you")
    expect(page.get_by_role("link", name=re.compile("First concern about sexual abuse"))).to_be_visible()
    tab.check("inbox")

    page.get_by_role("link", name="Maya Thompson", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Read and decide on this concern")
    tab.check("triage")
    page.get_by_label("Refer to children's social care").check()
    page.get_by_label("Why? Record your reasons").fill("A disclosure of sexual abuse: referral made to the MASH.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Your decision has been recorded")).to_be_visible()

    page.goto(f"/people/{cast.maya.pk}/chronology/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("chronology")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_text("he said not to tell")).to_be_visible()
    tab.check("chronology")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    path = download_info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert AccessEvent.objects.filter(action=Action.EXPORT, person=cast.maya, user=cast.alice).exists()
