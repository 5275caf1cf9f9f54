"""The body map: where on a child's body each mark was seen, in words first and as a point second.

The region list is the accessible, primary input; the point (a percentage of the outline's
viewBox, 100 wide and 200 tall) only places the dot. Left and right are always the child's:
on the front outline the child's right is on the viewer's left.
"""

from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django import forms
from django.forms import BaseFormSet, formset_factory

from jigsaw.chronology.actions import Mark
from jigsaw.chronology.models import BodySide

MAX_MARKS = 20
FRONT, BACK = BodySide.FRONT.value, BodySide.BACK.value


class Region(NamedTuple):
    code: str
    label: str
    side: str
    x: Decimal
    y: Decimal


def _side(side: str, rows) -> list[Region]:
    return [Region(f"{side}-{slug}", label, side, Decimal(x), Decimal(y)) for slug, label, x, y in rows]


# Codes are stored on marks for ever: add regions, never rename or remove one.
REGIONS: list[Region] = _side(FRONT, [
    ("head", "Head – top and forehead", "50", "6"),
    ("face", "Head – face", "50", "11"),
    ("right-ear", "Right ear", "40.5", "10.5"),
    ("left-ear", "Left ear", "59.5", "10.5"),
    ("neck", "Neck", "50", "17.5"),
    ("right-shoulder", "Right shoulder", "34", "22"),
    ("left-shoulder", "Left shoulder", "66", "22"),
    ("chest", "Chest", "50", "25"),
    ("right-side", "Right side and ribs", "39", "31"),
    ("left-side", "Left side and ribs", "61", "31"),
    ("abdomen", "Tummy (abdomen)", "50", "36"),
    ("right-upper-arm", "Right upper arm", "30.5", "28.5"),
    ("left-upper-arm", "Left upper arm", "69.5", "28.5"),
    ("right-forearm", "Right forearm and elbow", "25.5", "40.5"),
    ("left-forearm", "Left forearm and elbow", "74.5", "40.5"),
    ("right-hand", "Right hand and wrist", "20.5", "50.5"),
    ("left-hand", "Left hand and wrist", "79.5", "50.5"),
    ("right-hip", "Right hip", "39", "46"),
    ("left-hip", "Left hip", "61", "46"),
    ("groin", "Groin and genitals", "50", "49"),
    ("right-thigh", "Right thigh", "42.5", "60"),
    ("left-thigh", "Left thigh", "57.5", "60"),
    ("right-knee", "Right knee", "43", "70"),
    ("left-knee", "Left knee", "57", "70"),
    ("right-shin", "Right shin", "43", "80"),
    ("left-shin", "Left shin", "57", "80"),
    ("right-foot", "Right foot and ankle", "42.5", "93"),
    ("left-foot", "Left foot and ankle", "57.5", "93"),
]) + _side(BACK, [
    ("head", "Head – back", "50", "9"),
    ("right-ear", "Right ear", "59.5", "10.5"),
    ("left-ear", "Left ear", "40.5", "10.5"),
    ("neck", "Neck", "50", "17.5"),
    ("right-shoulder", "Right shoulder and shoulder blade", "66", "23"),
    ("left-shoulder", "Left shoulder and shoulder blade", "34", "23"),
    ("upper-back", "Upper back", "50", "27"),
    ("right-side", "Right side and ribs", "61", "31"),
    ("left-side", "Left side and ribs", "39", "31"),
    ("lower-back", "Lower back", "50", "39"),
    ("right-upper-arm", "Right upper arm", "69.5", "28.5"),
    ("left-upper-arm", "Left upper arm", "30.5", "28.5"),
    ("right-forearm", "Right forearm and elbow", "74.5", "40.5"),
    ("left-forearm", "Left forearm and elbow", "25.5", "40.5"),
    ("right-hand", "Right hand and wrist", "79.5", "50.5"),
    ("left-hand", "Left hand and wrist", "20.5", "50.5"),
    ("right-buttock", "Right buttock", "56.5", "49"),
    ("left-buttock", "Left buttock", "43.5", "49"),
    ("right-thigh", "Right thigh", "57.5", "60"),
    ("left-thigh", "Left thigh", "42.5", "60"),
    ("right-knee", "Back of the right knee", "57", "70"),
    ("left-knee", "Back of the left knee", "43", "70"),
    ("right-calf", "Right calf", "57", "80"),
    ("left-calf", "Left calf", "43", "80"),
    ("right-heel", "Right heel and sole", "57.5", "93"),
    ("left-heel", "Left heel and sole", "42.5", "93"),
])
REGION_BY_CODE = {region.code: region for region in REGIONS}
SIDE_NAMES = {FRONT: "Front of the body", BACK: "Back of the body"}


def label_for(code: str) -> str:
    region = REGION_BY_CODE.get(code)
    return region.label if region else code


def _option_text(region: Region) -> str:
    """Names found on both sides say which, as screen readers do not always announce the group."""
    on_both = sum(other.label == region.label for other in REGIONS) > 1
    return f"{region.label} ({region.side})" if on_both else region.label


# (side, group label, [(code, option text, x, y)]): what the region list in _body_map_input.html shows.
REGION_GROUPS = [
    (side, SIDE_NAMES[side], [(r.code, _option_text(r), r.x, r.y) for r in REGIONS if r.side == side])
    for side in (FRONT, BACK)
]
REGION_CHOICES = [("", "Choose where the mark is")] + [
    (group, [(code, text) for code, text, _x, _y in options]) for _which, group, options in REGION_GROUPS
]

CHOOSE_REGION = "Choose where the mark is on the body"
DESCRIBE = "Describe the mark: its size, colour, shape, and what the child said about it"
TOO_LONG = "The description of the mark must be 500 characters or fewer"
WRONG_SIDE = (
    "{label} is on the {region_side} of the body: choose a place on the {side}, or change the side to {region_side}"
)
TOO_MANY = "You can record up to %(num)d marks on one body map. Describe any others in what happened"


def _percentage(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not 0 <= number <= 100:
        return None
    return number.quantize(Decimal("0.01"))


class MarkForm(forms.Form):
    side = forms.ChoiceField(
        label="Side of the body", choices=BodySide.choices, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose front or back"},
    )
    region = forms.ChoiceField(
        label="Where on the body", choices=REGION_CHOICES, required=False,
        help_text="Left and right are the child's left and right, not yours",
        error_messages={"invalid_choice": "Choose where the mark is from the list"},
    )
    x = forms.CharField(required=False, widget=forms.HiddenInput)
    y = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label="Describe the mark", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Size, colour, shape, and what the child said about it",
        error_messages={"max_length": TOO_LONG},
    )

    region_groups = REGION_GROUPS

    def clean(self):
        data = super().clean()
        region, note = data.get("region"), data.get("note", "")
        if "region" in self.errors:
            return data
        if not region and not note:
            return {}  # nothing described: an unused form, like an empty extra one
        if not region:
            self.add_error("region", CHOOSE_REGION)
            return data
        place = REGION_BY_CODE[region]
        data["side"] = data.get("side") or place.side
        if data["side"] != place.side:
            self.add_error("region", WRONG_SIDE.format(label=place.label, region_side=place.side, side=data["side"]))
        if not note and "note" not in self.errors:
            self.add_error("note", DESCRIBE)
        data["x"], data["y"] = _point(data.get("x"), data.get("y"), place)
        return data


def _point(x, y, region: Region) -> tuple[Decimal, Decimal]:
    """The clicked point, or the region's centre when either part is missing or not on the map."""
    x, y = _percentage(x), _percentage(y)
    if x is None or y is None:
        return region.x, region.y
    return x, y


class BaseMarkFormSet(BaseFormSet):
    default_error_messages = {
        "missing_management_form": "The body map could not be read. Reload the page and add the marks again",
        "too_many_forms": TOO_MANY,
    }


MarkFormSet = formset_factory(
    MarkForm, formset=BaseMarkFormSet, extra=1, max_num=MAX_MARKS, validate_max=True, absolute_max=MAX_MARKS
)


def marks_from(formset) -> list[Mark]:
    """The marks of a valid formset, skipping forms left empty."""
    return [
        Mark(side=data["side"], region=data["region"], x=data["x"], y=data["y"], note=data["note"])
        for data in (form.cleaned_data for form in formset.forms)
        if data.get("region")
    ]


def error_summary(formset) -> list[tuple[str, str]]:
    """(anchor, message) pairs for an error summary, each message saying which mark it is about."""
    found = [("", message) for message in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        for name, messages in form.errors.items():
            found += [(_anchor(form, name), f"Mark {number}: {message}") for message in messages]
    return found


def _anchor(form, name: str) -> str:
    if name not in form.fields:
        return ""
    return form[name].auto_id + ("_0" if name == "side" else "")  # radios: the first one
