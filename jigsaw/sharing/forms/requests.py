"""Asking another organisation for information about a child, and answering what was asked."""

from django import forms

from jigsaw.guidance import sharing as rules
from jigsaw.guidance.identifiers import is_ascii_digits, is_valid_nhs_number, normalise_nhs_number
from jigsaw.sharing.actions import RequestData
from jigsaw.web.forms import DateField

MAX_TEXT = 10_000


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RequestForm(forms.Form):
    holder = OrganisationChoiceField(
        label="Which organisation are you asking?", queryset=None, empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation you are asking",
                        "invalid_choice": "Choose an organisation from the list"},
    )
    given_name = forms.CharField(label="Child's first name", max_length=100,
                                 error_messages={"required": "Enter the child's first name"})
    family_name = forms.CharField(label="Child's last name", max_length=100,
                                  error_messages={"required": "Enter the child's last name"})
    date_of_birth = DateField(label="Child's date of birth (optional)", required=False, past_only=True,
                              help_text="For example, 27 3 2015")
    nhs_number = forms.CharField(label="NHS number (optional)", max_length=14, required=False,
                                 help_text="It helps them find the right child. For example, 999 000 1235")
    address = forms.CharField(label="Child's address (optional)", max_length=300, required=False)
    reason = forms.CharField(
        label="Why do you need the information?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what is happening and how the information will help keep the child safe. They need this "
                  "to decide whether they can share.",
        error_messages={"required": "Enter why you need the information"},
    )
    information_wanted = forms.CharField(
        label="What information do you need?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Be specific, for example 'attendance and any concerns recorded since September'. Ask only for "
                  "what you need.",
        error_messages={"required": "Enter what information you need"},
    )
    urgency = forms.ChoiceField(
        label="How quickly do you need an answer?", widget=forms.RadioSelect, initial=rules.Urgency.STANDARD,
        choices=[
            (rules.Urgency.URGENT, "Urgent – by the end of today"),
            (rules.Urgency.STANDARD,
             f"Standard – within {rules.STANDARD_RESPONSE_WORKING_DAYS} working days"),
        ],
        help_text="Choose urgent only if a child may be at risk of harm before then.",
        error_messages={"required": "Choose how quickly you need an answer"},
    )

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value and not is_ascii_digits(value):
            raise forms.ValidationError("NHS number must contain only numbers")
        if value and len(value) != 10:
            raise forms.ValidationError("NHS number must be 10 digits")
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number: check the digits are right")
        return value

    def request_data(self, *, requester_person=None) -> RequestData:
        data = self.cleaned_data
        return RequestData(
            holder=data["holder"], given_name=data["given_name"].strip(), family_name=data["family_name"].strip(),
            reason=data["reason"].strip(), information_wanted=data["information_wanted"].strip(),
            urgency=data["urgency"], date_of_birth=data["date_of_birth"], nhs_number=data["nhs_number"],
            address=data["address"].strip(), requester_person=requester_person,
        )

    @staticmethod
    def initial_for(person) -> dict:
        """What the requester's own record says about the child, to save typing it again."""
        address = ", ".join(part for part in (person.address, person.postcode) if part)
        return {"given_name": person.given_name, "family_name": person.family_name,
                "date_of_birth": person.date_of_birth, "nhs_number": person.nhs_number, "address": address[:300]}


class FindRecordForm(forms.Form):
    name = forms.CharField(label="Search your records by name", max_length=100, required=False)


class ChooseRecordForm(forms.Form):
    person = forms.IntegerField(error_messages={"required": "Choose your record of the child",
                                                "invalid": "Choose your record of the child"})


class NoRecordForm(forms.Form):
    note = forms.CharField(
        label="Anything they should know (optional)", max_length=MAX_TEXT, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the names and dates of birth you searched for, or who else may know the child.",
    )


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label="What new information can you give?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For example, something that has happened since you asked, or why the information matters now. "
                  "They will be asked to reconsider.",
        error_messages={"required": "Enter the new information"},
    )
