"""Asking for advice on a draft decision (golden rule 4), giving it, and saying why not sharing now."""

import datetime

from django import forms
from django.utils import timezone

from jigsaw.guidance import calendar
from jigsaw.guidance import sharing as rules

MAX_TEXT = 10_000

WITHIN_HOUR, END_OF_DAY, WORKING_DAY = "hour", "today", "working_day"


def advice_due(choice: str, now: datetime.datetime) -> datetime.datetime:
    now = timezone.localtime(now)
    if choice == WITHIN_HOUR:
        return now + datetime.timedelta(hours=1)
    if choice == END_OF_DAY:
        # The end of the working day; late in the day that would be too soon to answer, so an hour.
        return max(now.replace(hour=17, minute=0, second=0, microsecond=0), now + datetime.timedelta(hours=1))
    return calendar.working_deadline(now, 1)


class AdviserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.user.full_name}, {obj.get_role_display().lower()}"


class AskAdviceForm(forms.Form):
    adviser = AdviserChoiceField(
        label="Who would you like advice from?", queryset=None, empty_label="Choose an adviser",
        help_text="Your safeguarding lead, a manager, the data protection officer or the Caldicott guardian.",
        error_messages={"required": "Choose who you would like advice from",
                        "invalid_choice": "Choose an adviser from the list"},
    )
    question = forms.CharField(
        label="What would you like advice on?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, 'Can I share this without telling Maya's mother?'",
        error_messages={"required": "Enter what you would like advice on"},
    )
    due = forms.ChoiceField(
        label="When do you need an answer?", widget=forms.RadioSelect,
        choices=[(WITHIN_HOUR, "Within 1 hour"), (END_OF_DAY, "By the end of today"),
                 (WORKING_DAY, "Within 1 working day")],
        error_messages={"required": "Choose when you need an answer"},
    )

    def __init__(self, *args, advisers, emergency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers
        self.fields["due"].initial = WITHIN_HOUR if emergency else END_OF_DAY

    def due_at(self, now=None) -> datetime.datetime:
        return advice_due(self.cleaned_data["due"], now or timezone.now())


class GiveAdviceForm(forms.Form):
    answer = forms.CharField(
        label="Your advice", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="It is kept with the decision. If the child is at risk now, say so: sharing should not wait.",
        error_messages={"required": "Enter your advice"},
    )


class PromptResponseForm(forms.Form):
    reason = forms.CharField(
        label="Why are you not referring or sharing now?", max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, 'Children's social care already know: the allocated social worker, Sam Patel, told "
                  "us on 3 November.' Your reason is kept in the record.",
        error_messages={"required": "Enter why you are not referring or sharing now"},
    )


def _label(choices, value) -> str:
    return dict(choices).get(value, "") if value else ""


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def describe_draft(decision: dict, *, recipient_label: str, agreement_title: str = "") -> list[list[str]]:
    """The draft decision as typed so far, in plain English, for the adviser: [[question, answer], ...]."""
    d = decision
    rows = [
        ["Decision so far", _label(rules.Outcome.choices, d.get("outcome")) or "Not decided yet"],
        ["Who it is for", recipient_label or "Not chosen yet"],
        ["What it is for", d.get("purpose", "")],
        ["Why they need it", d.get("external_reason", "")],
        ["Emergency", _yes_no(d.get("emergency"))],
        ["Lawful basis", _label(rules.LawfulBasis.choices, d.get("lawful_basis"))],
        ["Special category data", _label(rules.SpecialCondition.choices, d.get("special_condition"))
         if d.get("special_category") else ""],
        ["Criminal offence data", d.get("criminal_condition", "") if d.get("criminal_offence_data") else ""],
        ["Consent", _label(rules.ConsentStatus.choices, d.get("consent"))],
        ["Why consent was not sought", d.get("consent_detail", "")],
        ["Objections raised", d.get("objections", "")],
        ["How the objections were weighed", d.get("objections_weighed", "")],
        ["Child told", _yes_no(d.get("child_told")) if d else ""],
        ["Carers told", _yes_no(d.get("carers_told")) if d else ""],
        ["Why they were not told", d.get("not_told_reason", "")],
        ["Whole record", d.get("everything_justification", "") if d.get("everything") else ""],
        ["Agreement", agreement_title],
        ["Reasons so far", d.get("rationale", "")],
    ]
    return [[question, str(answer)] for question, answer in rows if answer]
