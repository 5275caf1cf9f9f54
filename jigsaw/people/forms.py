from django import forms

from jigsaw.accounts.models import Organisation, OrganisationKind
from jigsaw.guidance.identifiers import (
    is_ascii_digits,
    is_valid_nhs_number,
    is_valid_postcode,
    is_valid_upn,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
)
from jigsaw.people.models import Person, RelationshipKind, Sex
from jigsaw.web.forms import DateField


class PersonForm(forms.Form):
    given_name = forms.CharField(label="Given name", max_length=100)
    family_name = forms.CharField(label="Family name", max_length=100)
    other_names = forms.CharField(
        label="Other names (optional)", max_length=300, required=False,
        help_text="Previous names, nicknames and other spellings",
    )
    date_of_birth = DateField(label="Date of birth", required=False, past_only=True,
                              help_text="For example, 27 3 2015")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect,
                            initial=Sex.NOT_KNOWN)
    nhs_number = forms.CharField(label="NHS number", max_length=14, required=False,
                                 help_text="10 digits, for example 485 777 3456")
    nhs_number_absent_reason = forms.CharField(
        label="If you do not have the NHS number, say why", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The law expects the NHS number on every child's record unless finding it "
        "would cause unreasonable delay.",
    )
    upn = forms.CharField(label="Unique pupil number (optional)", max_length=15, required=False,
                          help_text="13 characters, starting with a letter")
    address = forms.CharField(label="Address (optional)", max_length=300, required=False)
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    school = forms.ModelChoiceField(
        label="School (optional)", required=False,
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.SCHOOL, OrganisationKind.NURSERY, OrganisationKind.COLLEGE]
        ),
    )
    protected_identity = forms.BooleanField(
        label="This person's identity must be protected", required=False,
        help_text="For example an informant, or a carer fleeing abuse. Their details will be "
        "redacted from anything shared outside your organisation.",
    )
    protected_identity_reason = forms.CharField(
        label="Why their identity must be protected", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value and not is_ascii_digits(value):
            raise forms.ValidationError("NHS number must contain only numbers")
        if value and len(value) != 10:
            raise forms.ValidationError("NHS number must be 10 digits")
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number: check the digits are right")
        return value

    def clean_upn(self):
        value = normalise_upn(self.cleaned_data["upn"])
        if value and not is_valid_upn(value):
            raise forms.ValidationError(
                "Enter a valid unique pupil number: 13 characters with the right check letter"
            )
        return value

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        if value and not is_valid_postcode(value):
            raise forms.ValidationError("Enter a real postcode, like PL4 8AA")
        return normalise_postcode(value) if value else ""

    def clean(self):
        data = super().clean()
        no_reason = not data.get("nhs_number_absent_reason", "").strip()
        if not data.get("nhs_number") and no_reason and "nhs_number" not in self.errors:
            self.add_error("nhs_number_absent_reason", "Enter the NHS number, or say why it is not recorded")
        if data.get("protected_identity") and not data.get("protected_identity_reason", "").strip():
            self.add_error("protected_identity_reason", "Say why this person's identity must be protected")
        if data.get("nhs_number"):
            data["nhs_number_absent_reason"] = ""
        if not data.get("protected_identity"):
            data["protected_identity_reason"] = ""
        return data

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {name: getattr(person, name) for name in cls.base_fields}


class SearchForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, required=False)
    date_of_birth = DateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", max_length=14, required=False)
    upn = forms.CharField(label="Unique pupil number", max_length=15, required=False)

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number, or leave it blank")
        return value


class RelationshipForm(forms.Form):
    relative = forms.TypedChoiceField(label="Who", coerce=int)
    kind = forms.ChoiceField(label="They are this person's", choices=RelationshipKind.choices,
                             widget=forms.RadioSelect)
    lives_with = forms.BooleanField(label="They live in the same household", required=False)
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relative"].choices = [("", "Choose a person")] + [
            (p.pk, f"{p.full_name} ({p.date_of_birth:%-d %B %Y})" if p.date_of_birth else p.full_name)
            for p in candidates
        ]
