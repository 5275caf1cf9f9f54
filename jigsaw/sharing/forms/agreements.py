"""The agreement form (every field of an information sharing agreement) and local sharing settings."""

from django import forms
from django.core.exceptions import ValidationError

from jigsaw.chronology import attachments
from jigsaw.guidance.sharing import ACKNOWLEDGE_WITHIN_WORKING_DAYS, DisclosureKind, LawfulBasis, SpecialCondition
from jigsaw.sharing.actions import AGREEMENT_FIELDS
from jigsaw.web.forms import DateField

MAX_TEXT = 10_000


def _text(label: str, *, required: bool = True, hint: str = "", rows: int = 4, missing: str = ""):
    return forms.CharField(
        label=label if required else f"{label} (optional)", required=required, max_length=MAX_TEXT,
        help_text=hint, widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing or f"Enter {label.lower()}",
                        "max_length": f"{label} must be {MAX_TEXT:,} characters or fewer"},
    )


def _line(label: str, max_length: int, *, required: bool = True, missing: str = ""):
    return forms.CharField(
        label=label if required else f"{label} (optional)", required=required, max_length=max_length,
        error_messages={"required": missing, "max_length": f"{label} must be {max_length} characters or fewer"},
    )


class PartiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class AgreementForm(forms.Form):
    title = _line("Title", 200, missing="Enter the title of the agreement")
    reference = _line("Reference", 50, required=False)
    parties = PartiesField(
        label="Which organisations are party to it?", queryset=None,
        help_text="Select every organisation that signed the agreement. Their staff will see it.",
        error_messages={"required": "Select at least two organisations that are party to the agreement",
                        "invalid_choice": "Select organisations from the list",
                        "invalid_pk_value": "Select organisations from the list"},
    )
    purposes = _text("Purposes", missing="Enter what the information is shared for",
                     hint="What the sharing is for, for example to identify children at risk of harm early.")
    data_items = _text("Data items shared", missing="Enter the data items that are shared",
                       hint="For example, name, date of birth, address, school, concerns and outcomes.")
    lawful_basis = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)", choices=LawfulBasis.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis for the sharing",
                        "invalid_choice": "Select the lawful basis for the sharing"},
    )
    special_condition = forms.ChoiceField(
        label="Condition for special category data (UK GDPR Article 9)", required=False,
        choices=[("", "None: no special category data is shared"), *SpecialCondition.choices],
        widget=forms.RadioSelect,
        help_text="Special category data includes health, sex life, ethnicity and religion.",
        error_messages={"invalid_choice": "Select a condition from the list"},
    )
    criminal_condition = _line("Condition for criminal offence data (Article 10)", 300, required=False)
    recipients = _text("Who may receive the information", required=False, rows=3)
    accuracy = _text("Accuracy and standards", required=False, rows=3)
    security = _text("Security", required=False, rows=3)
    retention = _text("Retention and deletion", missing="Enter how long the information is kept and how it is "
                                                         "deleted", rows=3)
    rights_contact = _line("Contact point for individuals' rights", 300,
                           missing="Enter the contact point for individuals' rights")
    breach_handling = _text("Breach handling", required=False, rows=3)
    starts_on = DateField(label="Start date", help_text="For example, 1 4 2026",
                          error_messages={"required": "Enter the date the agreement starts"})
    review_date = DateField(label="Review date", help_text="When the parties will next review it, for example "
                                                           "1 4 2027",
                            error_messages={"required": "Enter the date the agreement is next reviewed"})
    ended_on = DateField(label="End date (optional)", required=False,
                         help_text="Only if the agreement has ended or will end on a known date.")
    document = forms.FileField(
        label="The signed agreement (optional)", required=False,
        help_text="A PDF, smaller than 10 MB.",
        error_messages={"invalid": "Select a PDF of the signed agreement",
                        "empty": "The selected file is empty"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = organisations

    @staticmethod
    def initial_for(agreement) -> dict:
        initial = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS}
        initial["parties"] = [party.pk for party in agreement.parties.all()]
        return initial

    def clean_parties(self):
        parties = self.cleaned_data["parties"]
        if len(parties) < 2:
            raise ValidationError("Select at least two organisations: an agreement is between two or more parties")
        return parties

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        if attachments.extension_of(attachments.safe_name(upload.name)) != "pdf":
            raise ValidationError("The signed agreement must be a PDF")
        attachments.validate(upload)
        return upload

    def clean(self):
        data = super().clean()
        starts, review, ended = data.get("starts_on"), data.get("review_date"), data.get("ended_on")
        if starts and review and review <= starts:
            self.add_error("review_date", "The review date must be after the start date")
        if starts and ended and ended <= starts:
            self.add_error("ended_on", "The end date must be after the start date")
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in AGREEMENT_FIELDS}

    def add_action_errors(self, error: ValidationError) -> None:
        """Errors the action found (the model's own checks), placed on the fields they belong to."""
        if not hasattr(error, "error_dict"):
            self.add_error("document", error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


# Local settings --------------------------------------------------------------------------


def number_messages(message: str) -> dict:
    return dict.fromkeys(("required", "min_value", "max_value", "invalid"), message)


def _days(label: str, most: int, *, required: bool = True, hint: str = ""):
    message = f"Enter a number of working days from 1 to {most}"
    return forms.IntegerField(
        label=label, min_value=1, max_value=most, required=required, help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages=number_messages(message),
    )


class SharingSettingsForm(forms.Form):
    standard_response_working_days = _days(
        "Working days to answer a standard request for information", 30,
        hint="Urgent requests are always due the same working day.",
    )
    external_link_days = forms.IntegerField(
        label="Days a secure link to a recipient outside the partnership works", min_value=1, max_value=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages=number_messages("Enter a number of days from 1 to 30"),
    )
    external_link_downloads = forms.IntegerField(
        label="How many times the recipient can download it", min_value=1, max_value=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages=number_messages("Enter a number from 1 to 10"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in DisclosureKind:
            usual = ACKNOWLEDGE_WITHIN_WORKING_DAYS[kind]
            self.fields[f"acknowledge_{kind.value}"] = _days(
                f"{kind.label}: working days to acknowledge", 60, required=False,
                hint=f"Leave blank for the usual {usual} working day{'s' if usual != 1 else ''}.",
            )

    def acknowledgement_fields(self):
        return [self[f"acknowledge_{kind.value}"] for kind in DisclosureKind]

    @staticmethod
    def initial_for(local) -> dict:
        initial = {
            "standard_response_working_days": local.standard_response_working_days,
            "external_link_days": local.external_link_days,
            "external_link_downloads": local.external_link_downloads,
        }
        for kind, days in (local.acknowledge_within or {}).items():
            initial[f"acknowledge_{kind}"] = days
        return initial

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "standard_response_working_days": data["standard_response_working_days"],
            "external_link_days": data["external_link_days"],
            "external_link_downloads": data["external_link_downloads"],
            "acknowledge_within": {kind.value: data[f"acknowledge_{kind.value}"] for kind in DisclosureKind
                                   if data.get(f"acknowledge_{kind.value}") is not None},
        }
