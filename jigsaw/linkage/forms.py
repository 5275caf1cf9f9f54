"""The questions the linkage pages ask: is it the same child, why look, why unlink, which thresholds."""

from django import forms

from jigsaw.accounts.models import OrganisationKind
from jigsaw.linkage.actions import MAX_REASON, THRESHOLDS_OUT_OF_ORDER

TOO_LONG = f"Reasons must be {MAX_REASON:,} characters or fewer"
SAME, DIFFERENT = "yes", "no"
OTHER = "other"
PURPOSES = {
    "triage": "Triage of a concern",
    "strategy": "Strategy discussion or section 47 enquiry",
    "planning": "Child protection or child in need planning",
    "early_help": "Early help assessment",
    OTHER: "Other",
}
MAX_OTHER_PURPOSE = 200


def add_errors(form: forms.Form, error) -> None:
    """An action's ValidationError shown on the form, against the field it names where there is one."""
    problems = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, messages in problems.items():
        form.add_error(name if name in form.fields else None, messages)


def _reasons(label: str, help_text: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required_message, "max_length": TOO_LONG},
    )


class ReviewForm(forms.Form):
    same_child = forms.ChoiceField(
        label="Are these the same child?", widget=forms.RadioSelect,
        choices=[(SAME, "Yes, they are the same child"), (DIFFERENT, "No, they are different children")],
        error_messages={"required": "Choose whether these are the same child",
                        "invalid_choice": "Choose whether these are the same child"},
    )
    reason = _reasons(
        "Your reasons",
        "Say which details decided it for you, for example a matching NHS number or a different first name. "
        "Everyone who looks at these records later will see your reasons.",
        "Enter your reasons",
    )

    def is_same_child(self) -> bool:
        return self.cleaned_data["same_child"] == SAME


class UnlinkForm(forms.Form):
    reason = _reasons(
        "Why should this record be unlinked?",
        "For example, 'a different child with the same name and date of birth: the GP confirmed the NHS number'. "
        "The records will not be linked again unless someone confirms they are the same child.",
        "Enter why this record should be unlinked",
    )


class PurposeForm(forms.Form):
    """Asked on every visit to the single view, and written to the ledger with it. Read from the query string."""

    purpose = forms.ChoiceField(
        label="Why are you looking at this child's records across organisations?", widget=forms.RadioSelect,
        choices=list(PURPOSES.items()),
        error_messages={"required": "Choose why you are looking", "invalid_choice": "Choose why you are looking"},
    )
    other_purpose = forms.CharField(
        label="If other, say why", max_length=MAX_OTHER_PURPOSE, required=False,
        error_messages={"max_length": f"Your reason must be {MAX_OTHER_PURPOSE} characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("purpose") == OTHER and not data.get("other_purpose", "").strip():
            self.add_error("other_purpose", "Say why you are looking")
        return data

    def purpose_text(self) -> str:
        purpose = self.cleaned_data["purpose"]
        if purpose == OTHER:
            return f"Other: {self.cleaned_data['other_purpose'].strip()}"
        return PURPOSES[purpose]

    def query(self) -> dict:
        return {"purpose": self.cleaned_data["purpose"], "other_purpose": self.cleaned_data["other_purpose"]}


def _threshold(label: str, help_text: str, name: str) -> forms.FloatField:
    message = f"Enter the {name} as a number between 0 and 1, like 0.9"
    return forms.FloatField(
        label=label, help_text=help_text, min_value=0, max_value=1,
        error_messages={"required": f"Enter the {name}", "invalid": message, "min_value": message,
                        "max_value": message},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class SettingsForm(forms.Form):
    auto_link_threshold = _threshold(
        "Link automatically at or above",
        "A match probability between 0 and 1. Above this, records are linked without a person checking. "
        "The default is 0.99.",
        "auto-link threshold",
    )
    review_threshold = _threshold(
        "Ask a person to review at or above",
        "Between this and the auto-link threshold, a safeguarding lead or social worker decides. "
        "Below it, records are kept separate. The default is 0.5.",
        "review threshold",
    )
    organisation_kinds = forms.MultipleChoiceField(
        label="Which kinds of organisation take part in linking?", widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, kind.label) for kind in OrganisationKind if kind != OrganisationKind.PARTNERSHIP],
        help_text="Records held by other kinds are never linked.",
        error_messages={"required": "Choose at least one kind of organisation",
                        "invalid_choice": "Choose kinds of organisation from the list"},
    )

    def clean(self):
        data = super().clean()
        auto, review = data.get("auto_link_threshold"), data.get("review_threshold")
        if auto is not None and review is not None and not 0 < review < auto < 1:
            self.add_error("review_threshold", THRESHOLDS_OUT_OF_ORDER)
        return data

    @staticmethod
    def initial_for(settings) -> dict:
        return {"auto_link_threshold": settings.auto_link_threshold, "review_threshold": settings.review_threshold,
                "organisation_kinds": list(settings.organisation_kinds)}
