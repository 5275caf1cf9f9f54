"""The concern form (one page, usable on a phone) and the lead's triage and entry forms."""

from django import forms
from django.core.exceptions import ValidationError

from jigsaw.chronology.actions import EntryData, NewAction
from jigsaw.chronology.models import Category, EntryKind, InvolvementPart, TriageOutcome
from jigsaw.web.forms import DateField

MAX_TEXT = 10_000


def categories_for(organisation):
    """The national categories and the partnership's own, for this organisation's local authority."""
    return Category.objects.offered_to(organisation)


class TimeField(forms.TimeField):
    default_error_messages = {"invalid": "Enter the time like 14:30"}


class EntryFields(forms.Form):
    """What every entry records; the concern form and the correction form share it."""

    what_happened = forms.CharField(
        label="What did you see or hear?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Facts first: what happened, what you saw, what was said. Use names, not initials.",
        error_messages={"required": "Enter what you saw or heard"},
    )
    childs_words = forms.CharField(
        label="Did the child tell you something? Write their exact words", required=False, max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Write exactly what they said, even if it is rude or unclear. Do not tidy it up.",
    )
    event_date = DateField(label="When did it happen?", required=False, past_only=True,
                           help_text="For example, 27 3 2026. Leave blank if you do not know.")
    event_time = TimeField(label="What time? (optional)", required=False,
                           help_text="For example, 14:30", widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    location = forms.CharField(label="Where did it happen? (optional)", required=False, max_length=200)
    present = forms.CharField(label="Who else was there? (optional)", required=False, max_length=500)
    categories = forms.MultipleChoiceField(
        label="What is it about?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. If you are not sure, leave this for the safeguarding lead.",
    )
    actions_taken = forms.CharField(
        label="What have you done so far?", required=False, max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, who you told and when. Write 'Nothing yet' if so.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.code, c.name) for c in categories_for(organisation)]

    def clean_childs_words(self):
        # Kept verbatim: never stripped or normalised beyond what the browser sends.
        return self.data.get(self.add_prefix("childs_words"), "") if self.is_bound else ""

    def entry_data(self, *, involvements=(), marks=(), source: str = "") -> EntryData:
        data = self.cleaned_data
        return EntryData(
            what_happened=data["what_happened"],
            childs_words=data["childs_words"][:MAX_TEXT],
            event_date=data["event_date"],
            event_time=data["event_time"],
            location=data["location"],
            present=data["present"],
            actions_taken=data["actions_taken"],
            categories=list(data["categories"]),
            involvements=list(involvements),
            marks=list(marks),
            source=source,
        )

    @staticmethod
    def initial_for(entry) -> dict:
        return {
            "what_happened": entry.what_happened, "childs_words": entry.childs_words,
            "event_date": entry.event_date, "event_time": entry.event_time, "location": entry.location,
            "present": entry.present, "categories": list(entry.categories), "actions_taken": entry.actions_taken,
        }


class InvolvementForm(forms.Form):
    person = forms.TypedChoiceField(label="Child", required=False, coerce=int, empty_value=None)
    part = forms.ChoiceField(label="Their part", required=False, choices=[("", "Choose"), *InvolvementPart.choices])

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        self.fields["person"].choices = [("", "Choose a child")] + [
            (child.pk, f"{child.full_name}{f' (born {child.date_of_birth:%d/%m/%Y})' if child.date_of_birth else ''}")
            for child in children
        ]

    def clean(self):
        data = super().clean()
        if data.get("person") and not data.get("part"):
            self.add_error("part", "Choose the child's part in what happened")
        if data.get("part") and not data.get("person"):
            self.add_error("person", "Choose the child, or clear their part")
        return data


class BaseInvolvementFormSet(forms.BaseFormSet):
    def __init__(self, *args, children=(), subject=None, **kwargs):
        self.children = list(children)
        self.subject = subject
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"children": self.children}

    def clean(self):
        chosen = [form.cleaned_data.get("person") for form in self.forms if form.cleaned_data.get("person")]
        if self.subject is not None and self.subject.pk in chosen:
            raise ValidationError("The concern is already about this child: choose other children here")
        if len(chosen) != len(set(chosen)):
            raise ValidationError("Each child can be named once")

    def involvements(self) -> list:
        by_id = {child.pk: child for child in self.children}
        return [
            (by_id[form.cleaned_data["person"]], form.cleaned_data["part"])
            for form in self.forms
            if form.cleaned_data.get("person")
        ]


InvolvementFormSet = forms.formset_factory(
    InvolvementForm, formset=BaseInvolvementFormSet, extra=1, max_num=10, validate_max=True, absolute_max=10
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > 5:
            raise ValidationError("Attach up to 5 files at a time")
        return [super(AttachmentsField, self).clean(f, initial) for f in files]


class ConcernForm(EntryFields):
    attachments = AttachmentsField(
        label="Attach a scanned note or photo (optional)", required=False,
        help_text="PDF, JPEG or PNG, smaller than 10 MB each. Do not photograph injuries: use the body map.",
    )


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is your decision?", choices=TriageOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens next"},
    )
    rationale = forms.CharField(
        label="Why? Record your reasons", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you weighed up, who you spoke to, and why this is the right response now.",
        error_messages={"required": "Enter the reasons for your decision"},
    )


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", required=False, max_length=500)
    owner = forms.TypedChoiceField(label="Who will do it", required=False, coerce=int, empty_value=None)
    due = DateField(label="By when", required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose a person")] + [(u.pk, u.full_name) for u in owners]

    def clean(self):
        data = super().clean()
        if (data.get("owner") or data.get("due")) and not data.get("description"):
            self.add_error("description", "Describe the action, or clear who and when")
        return data


class BaseActionFormSet(forms.BaseFormSet):
    def __init__(self, *args, owners=(), **kwargs):
        self.owners = list(owners)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"owners": self.owners}

    def new_actions(self) -> list[NewAction]:
        return [
            NewAction(form.cleaned_data["description"], form.cleaned_data.get("owner"), form.cleaned_data.get("due"))
            for form in self.forms
            if form.cleaned_data.get("description")
        ]


# absolute_max: a tampered TOTAL_FORMS never makes the server build (and render) thousands of forms.
ActionFormSet = forms.formset_factory(
    ActionForm, formset=BaseActionFormSet, extra=2, max_num=10, validate_max=True, absolute_max=10
)


class EntryForm(EntryFields):
    """An entry the lead records directly: an action, a contact with the family, a meeting or a note."""

    KINDS = (EntryKind.ACTION, EntryKind.CONTACT, EntryKind.MEETING, EntryKind.NOTE)

    kind = forms.ChoiceField(
        label="What are you recording?", widget=forms.RadioSelect,
        choices=[(k.value, k.label) for k in KINDS], error_messages={"required": "Choose what you are recording"},
    )
    key_event = forms.BooleanField(label="This is a key event in the child's story", required=False)
    field_order = ["kind", "what_happened", "event_date", "event_time", "location", "present", "categories",
                   "actions_taken", "key_event"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["childs_words"]
        self.fields["what_happened"].label = "What happened?"

    def entry_data(self, **kwargs) -> EntryData:
        self.cleaned_data.setdefault("childs_words", "")
        return super().entry_data(**kwargs)


class CorrectionForm(EntryFields):
    reason = forms.CharField(
        label="Why are you correcting this entry?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, 'The date was wrong' or 'Recorded on the wrong child'. This is kept with the entry.",
        error_messages={"required": "Enter why you are correcting this entry"},
    )
    move_to = forms.TypedChoiceField(
        label="Is this entry about a different child? (optional)", required=False, coerce=int, empty_value=None,
        help_text="Choose the right child to move it. It is never deleted: the old child's record shows it was moved.",
    )

    keep_attachments = forms.TypedMultipleChoiceField(
        label="Attachments to keep", required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text="Untick any that do not belong with this entry. The earlier version keeps them all.",
    )
    attachments = AttachmentsField(
        label="Attach another scanned note or photo (optional)", required=False,
        help_text="PDF, JPEG or PNG, smaller than 10 MB each.",
    )

    def __init__(self, *args, children=(), kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].choices = [("", "It is about the right child")] + [
            (child.pk, child.full_name) for child in children
        ]
        self.fields["keep_attachments"].choices = [(a.pk, a.original_name) for a in kept]


class AcknowledgeAlertForm(forms.Form):
    note = forms.CharField(
        label="What have you decided?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record what you decided on seeing this alert"},
    )


class CompleteActionForm(forms.Form):
    outcome = forms.CharField(label="What was done?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Record what was done"})


class ChooseChildForm(forms.Form):
    name = forms.CharField(label="Child's name", max_length=100, required=False)
