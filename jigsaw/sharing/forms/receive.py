"""Forms for the receiving side and for recipients outside the partnership."""

import re

from django import forms

MAX_ACTION_TAKEN = 5_000

STATUS_CHOICES = [
    ("", "All"),
    ("new", "New"),
    ("opened", "Opened, not yet acknowledged"),
    ("acknowledged", "Acknowledged"),
]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label="Show", choices=STATUS_CHOICES, required=False)

    def chosen(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label="What have you done, or will you do, with this information?",
        max_length=MAX_ACTION_TAKEN,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For example, added to the child's file and discussed at the strategy meeting on Friday. "
                  "The sender will see what you write.",
        error_messages={
            "required": "Enter what you have done, or will do, with this information",
            "max_length": "What you have done must be 5,000 characters or fewer",
        },
    )


class FindChildForm(forms.Form):
    name = forms.CharField(label="Child's name", max_length=100, required=False)


class SaveToChronologyForm(forms.Form):
    """The child is one of the recipient's own people: the queryset comes from the access layer."""

    person = forms.ModelChoiceField(
        queryset=None, label="Which child is this about?", widget=forms.RadioSelect,
        error_messages={
            "required": "Select the child this information is about",
            "invalid_choice": "Select a child from your organisation's own records",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Enter the code", max_length=20,
        help_text="The sender gave you this 6-digit code by phone or text message. It was not in the e-mail.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the 6-digit code the sender gave you"},
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code
