"""The body map: the marks formset, the regions, and how marks are shown."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from jigsaw.chronology import bodymap
from jigsaw.chronology.actions import Mark
from jigsaw.chronology.models import BodyMapMark
from tests.chronology.conftest import log


@pytest.fixture(autouse=True)
def _region_labels(monkeypatch):
    # Lends BodyMapMark the region_label property asked for in the shared models, until it lands there.
    if not hasattr(BodyMapMark, "region_label"):
        label = property(lambda mark: bodymap.label_for(mark.region))
        monkeypatch.setattr(BodyMapMark, "region_label", label, raising=False)


def submitted(*marks: dict, total: int | None = None) -> dict:
    data = {"marks-TOTAL_FORMS": str(total if total is not None else len(marks)), "marks-INITIAL_FORMS": "0"}
    for index, mark in enumerate(marks):
        data.update({f"marks-{index}-{name}": value for name, value in mark.items()})
    return data


def bruise(**changes) -> dict:
    mark = {"side": "front", "region": "front-left-upper-arm", "x": "70.25", "y": "28.5",
            "note": "Bruise 3cm, purple, oval. Maya said she bumped it."}
    return {**mark, **changes}


def formset_for(*marks: dict, total: int | None = None):
    formset = bodymap.MarkFormSet(submitted(*marks, total=total), prefix="marks")
    formset.is_valid()
    return formset


def errors_of(formset) -> list[str]:
    return [message for _anchor, message in bodymap.error_summary(formset)]


# The regions ----------------------------------------------------------------------------


def test_every_region_has_a_unique_storable_code_and_a_centre_on_the_map():
    codes = [region.code for region in bodymap.REGIONS]
    assert len(codes) == len(set(codes))
    for region in bodymap.REGIONS:
        assert region.code.startswith(f"{region.side}-") and len(region.code) <= 40
        assert 0 <= region.x <= 100 and 0 <= region.y <= 100


def test_there_are_about_25_regions_on_each_side():
    for side in ("front", "back"):
        assert 22 <= sum(region.side == side for region in bodymap.REGIONS) <= 30


def test_left_and_right_are_the_childs_own():
    front = {region.code: region for region in bodymap.REGIONS}
    # Facing the child, their left arm is on the viewer's right; from behind, on the viewer's left.
    assert front["front-left-upper-arm"].x > 50 > front["front-right-upper-arm"].x
    assert front["back-left-upper-arm"].x < 50 < front["back-right-upper-arm"].x


def test_a_place_named_on_both_sides_says_which_in_the_list():
    texts = {code: text for _side, _group, options in bodymap.REGION_GROUPS for code, text, _x, _y in options}
    assert texts["front-left-upper-arm"] == "Left upper arm (front)"
    assert texts["back-left-upper-arm"] == "Left upper arm (back)"
    assert texts["front-face"] == "Head – face"


# The formset ----------------------------------------------------------------------------


def test_it_accepts_a_valid_mark():
    formset = formset_for(bruise())
    assert formset.is_valid()
    assert bodymap.marks_from(formset) == [
        Mark(side="front", region="front-left-upper-arm", x=Decimal("70.25"), y=Decimal("28.50"),
             note="Bruise 3cm, purple, oval. Maya said she bumped it."),
    ]


def test_it_ignores_an_empty_extra_form():
    formset = formset_for(bruise(), {"side": "", "region": "", "x": "", "y": "", "note": ""})
    assert formset.is_valid()
    assert len(bodymap.marks_from(formset)) == 1


def test_an_unbound_formset_offers_one_empty_mark():
    formset = bodymap.MarkFormSet(prefix="marks")
    assert len(formset.forms) == 1


def test_it_ignores_a_form_with_only_a_side_chosen():
    formset = formset_for({"side": "back", "region": "", "x": "", "y": "", "note": ""})
    assert formset.is_valid() and bodymap.marks_from(formset) == []


def test_it_takes_the_side_from_the_region_when_none_is_chosen():
    formset = formset_for(bruise(side="", region="back-lower-back", x="", y=""))
    assert formset.is_valid()
    assert bodymap.marks_from(formset)[0].side == "back"


def test_it_rejects_a_region_from_the_other_side():
    formset = formset_for(bruise(side="back"))
    assert not formset.is_valid()
    assert errors_of(formset) == [
        "Mark 1: Left upper arm is on the front of the body: choose a place on the back, or change the side to front"
    ]


def test_it_asks_for_a_description_when_a_region_is_chosen():
    formset = formset_for(bruise(), bruise(note="   "))
    assert not formset.is_valid()
    assert errors_of(formset) == [
        "Mark 2: Describe the mark: its size, colour, shape, and what the child said about it"
    ]


def test_it_asks_where_the_mark_is_when_only_a_description_is_given():
    formset = formset_for(bruise(side="", region=""))
    assert errors_of(formset) == ["Mark 1: Choose where the mark is on the body"]


def test_it_refuses_a_description_over_500_characters():
    formset = formset_for(bruise(note="x" * 501))
    assert errors_of(formset) == ["Mark 1: The description of the mark must be 500 characters or fewer"]


def test_it_refuses_a_region_that_does_not_exist():
    formset = formset_for(bruise(region="front-tail"))
    assert errors_of(formset) == ["Mark 1: Choose where the mark is from the list"]


@pytest.mark.parametrize(
    ("x", "y"),
    [("", ""), ("150", "30"), ("50", "-1"), ("abc", "30"), ("NaN", "30"), ("50", "Infinity"), ("1e9", "1e9"),
     ("50", "")],
)
def test_it_puts_a_missing_or_tampered_point_at_the_regions_centre(x, y):
    formset = formset_for(bruise(x=x, y=y))
    assert formset.is_valid()
    mark = bodymap.marks_from(formset)[0]
    centre = bodymap.REGION_BY_CODE["front-left-upper-arm"]
    assert (mark.x, mark.y) == (centre.x, centre.y)


def test_it_keeps_a_point_on_the_map_to_two_decimal_places():
    mark = bodymap.marks_from(formset_for(bruise(x="0", y="99.999")))[0]
    assert (mark.x, mark.y) == (Decimal("0.00"), Decimal("100.00"))


def test_it_accepts_20_marks():
    formset = formset_for(*[bruise()] * 20)
    assert formset.is_valid()
    assert len(bodymap.marks_from(formset)) == 20


def test_it_rejects_more_than_20_marks():
    formset = formset_for(*[bruise()] * 21)
    assert not formset.is_valid()
    assert list(formset.non_form_errors()) == [
        "You can record up to 20 marks on one body map. Describe any others in what happened"
    ]


def test_it_explains_a_missing_management_form():
    formset = bodymap.MarkFormSet({"marks-0-region": "front-chest"}, prefix="marks")
    assert not formset.is_valid()
    assert "The body map could not be read" in formset.non_form_errors()[0]


def test_the_error_summary_links_to_each_field():
    anchors = [anchor for anchor, _message in bodymap.error_summary(formset_for(bruise(side="back", note="")))]
    assert anchors == ["id_marks-0-region", "id_marks-0-note"]


# The input ------------------------------------------------------------------------------


def render_input(formset) -> str:
    return render_to_string("chronology/_body_map_input.html", {"formset": formset, "csp_nonce": "n0nce"})


def test_the_input_works_without_javascript():
    html = render_input(bodymap.MarkFormSet(prefix="marks"))
    assert "Body map (optional)" in html
    assert 'name="marks-TOTAL_FORMS"' in html
    assert "the child's right is on your left" in html
    assert '<optgroup label="Front of the body" data-side="front">' in html
    assert '<option value="back-lower-back" data-x="50" data-y="39">Lower back</option>' in html
    assert '<button type="submit" name="add_mark"' in html


def test_the_input_loads_its_script_as_a_file_with_the_nonce():
    html = render_input(bodymap.MarkFormSet(prefix="marks"))
    assert '<script type="module" src="/static/bodymap.js" nonce="n0nce"></script>' in html
    assert "<script>" not in html and " style=" not in html


def test_the_input_keeps_what_was_typed_with_its_errors():
    html = render_input(formset_for(bruise(note="")))
    assert '<option value="front-left-upper-arm" data-x="69.5" data-y="28.5" selected>' in html
    assert 'value="70.25"' in html
    assert "Describe the mark: its size, colour, shape, and what the child said about it" in html


def test_the_input_offers_an_empty_mark_to_copy():
    html = render_input(bodymap.MarkFormSet(prefix="marks"))
    assert 'name="marks-__prefix__-region"' in html and "Mark __number__" in html


def test_the_input_offers_no_more_marks_at_the_limit():
    html = render_input(formset_for(*[bruise()] * 20))
    assert 'name="add_mark"' not in html


# The display ----------------------------------------------------------------------------


@pytest.fixture
def entry(cast):
    marks = [
        Mark(side="front", region="front-left-upper-arm", x=Decimal("70.25"), y=Decimal("28.50"),
             note="Bruise 3cm, purple"),
        Mark(side="back", region="back-lower-back", x=Decimal("50"), y=Decimal("39"),
             note='Red mark. She said "<script>alert(1)</script> did it"'),
    ]
    return log(cast.bob, cast.maya, marks=marks).first_entry


def test_the_display_lists_each_mark_in_words(entry):
    html = render_to_string("chronology/_body_map.html", {"marks": entry.marks.all()})
    assert "<li>Front, left upper arm: Bruise 3cm, purple</li>" in html
    assert "<li>Back, lower back: Red mark." in html


def test_the_display_numbers_the_dots_as_the_list(entry):
    html = render_to_string("chronology/_body_map.html", {"marks": entry.marks.all()})
    assert 'cx="70.25%" cy="28.50%"' in html
    front, back = html.split("Back of the body", 1)
    assert ">1</text>" in front and ">2</text>" in back


def test_the_display_escapes_what_was_written(entry):
    html = render_to_string("chronology/_body_map.html", {"marks": entry.marks.all()})
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_display_needs_no_script_or_external_reference(entry):
    html = render_to_string("chronology/_body_map.html", {"marks": entry.marks.all()})
    assert "<script" not in html and "href" not in html and "src=" not in html and " style=" not in html


def test_the_display_says_when_there_are_no_marks(cast):
    empty = log(cast.bob, cast.maya).first_entry
    html = render_to_string("chronology/_body_map.html", {"marks": empty.marks.all()})
    assert "No marks were recorded on a body map." in html and "<svg" not in html
