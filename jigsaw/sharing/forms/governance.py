"""Forms for governance review: filtering the queue, sampling, recording a finding, choosing a report year."""

import datetime

from django import forms
from django.utils import timezone

from jigsaw.sharing.access import REVIEW_FLAGS
from jigsaw.sharing.forms.agreements import number_messages
from jigsaw.sharing.models import Finding

MAX_NOTES = 10_000
MONTHS_OFFERED = 24
MAX_SAMPLE = 50


def month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    """The first day of this month and of the `count - 1` months before it, newest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts


class QueueFilterForm(forms.Form):
    """Read from the query string. `filtered` tells a first visit (defaults) from a choice to see everything."""

    flags = forms.MultipleChoiceField(
        label="Show decisions that were", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(REVIEW_FLAGS.items()), help_text="Leave all unticked to see every kind.",
    )
    unreviewed = forms.BooleanField(label="Only decisions not yet reviewed", required=False)
    month = forms.ChoiceField(label="Month decided", required=False)
    filtered = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        if not data or "filtered" not in data:
            data = {"unreviewed": "on", "filtered": "1"}
        super().__init__(data, **kwargs)
        self.fields["month"].choices = [("", "Any month")] + [
            (f"{start:%Y-%m}", f"{start:%B %Y}") for start in month_starts(timezone.localdate(), MONTHS_OFFERED)
        ]

    def chosen(self) -> dict:
        """The valid choices; anything tampered with is ignored rather than refused."""
        self.is_valid()
        data = self.cleaned_data  # only the fields that were valid
        month = data.get("month") or ""
        return {
            "flags": list(data.get("flags") or []),
            "unreviewed": bool(data.get("unreviewed")),
            "month": datetime.date(int(month[:4]), int(month[5:7]), 1) if month else None,
        }


class SampleForm(forms.Form):
    sample = forms.IntegerField(
        label="How many decisions?", min_value=1, max_value=MAX_SAMPLE,
        help_text=f"From 1 to {MAX_SAMPLE}, chosen at random from those not yet reviewed that match the filters.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages=number_messages(f"Enter a number of decisions from 1 to {MAX_SAMPLE}"),
    )


class ReviewForm(forms.Form):
    finding = forms.ChoiceField(
        label="What is your finding?", choices=Finding.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select your finding", "invalid_choice": "Select your finding"},
    )
    notes = forms.CharField(
        label="Your notes", max_length=MAX_NOTES, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you checked against the golden rules, and any learning or action for the organisation.",
        error_messages={"required": "Enter your notes on the decision",
                        "max_length": f"Your notes must be {MAX_NOTES:,} characters or fewer"},
    )


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label="Show", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "The last 12 months")] + [(year, f"{year}") for year in years]

    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_valid() else None
