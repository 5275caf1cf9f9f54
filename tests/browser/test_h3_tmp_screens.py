import datetime
import pytest
from jigsaw.chronology import actions
from jigsaw.chronology.models import EntryKind, InvolvementPart, Category
from tests.browser.test_journey import sign_in
from tests.cast import make_cast
from tests.chronology.conftest import actor_for, log

pytestmark = pytest.mark.browser


def test_screens(tab):
    cast = make_cast()
    today = datetime.date.today()
    Category.objects.create(code="local-x", name="<script>alert(1)</script> local", local_authority=cast.westbridge)
    for n in range(14):
        day = today - datetime.timedelta(days=25 * n)
        c = log(cast.bob, cast.maya, f"Maya arrived without a coat {n}.", categories=[["neglect"], ["attendance", "neglect"], ["online-safety"], ["local-x"]][n % 4], event_date=day,
                childs_words="he said   don't tell\n  mummy" if n == 2 else "",
                involvements=[(cast.sam, InvolvementPart.WITNESS)] if n == 1 else [],
                marks=[actions.Mark("front", "front-chest", 50, 25, "Red mark 2cm")] if n == 3 else [])
        if n == 0:
            actions.do_triage(acting=actor_for(cast.alice), concern=c, outcome="refer_csc", rationale="Referral made.",
                              new_actions=[actions.NewAction("Chase MASH", cast.alice.pk, today)])
    sam = log(cast.bob, cast.sam, "Sam said Maya kicked him.", involvements=[(cast.maya, InvolvementPart.ALLEGED_TO_HAVE_HARMED)])
    first = log(cast.bob, cast.maya, "Original text", categories=["neglect"], event_date=today).first_entry
    new = actions.do_correct_entry(acting=actor_for(cast.alice), entry=first, reason="Wrong date", data=actions.EntryData(what_happened="Corrected text", event_date=today, categories=["neglect"]))
    sign_in(tab, cast.alice.email)
    page = tab.page
    page.set_viewport_size({"width": 1100, "height": 900})
    for name, url in [("chronology", f"/people/{cast.maya.pk}/chronology/"),
                      ("filtered", f"/people/{cast.maya.pk}/chronology/?category=neglect&date_from_day=1&date_from_month=1&date_from_year=2027&date_to_day=1&date_to_month=1&date_to_year=2026"),
                      ("front", f"/people/{cast.maya.pk}/front-sheet/"),
                      ("entry", f"/entries/{new.pk}/"),
                      ("old", f"/entries/{first.pk}/"),
                      ("correct", f"/entries/{new.pk}/correct/"),
                      ("add", f"/people/{cast.maya.pk}/entries/add/"),
                      ("complete", f"/actions/1/complete/")]:
        if name == "complete":
            from jigsaw.chronology.models import ActionItem
            url = f"/actions/{ActionItem.objects.get().pk}/complete/"
        page.goto(url)
        page.screenshot(path=f"/tmp/h3_{name}.png", full_page=True)
        tab.check(name)
