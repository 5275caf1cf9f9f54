"""The forms of a file audit: choosing the files, the checklist for one file, completing the audit."""

from django import forms
from django.utils import timezone

from jigsaw.chronology.audits import ANSWERS, CHECKLIST, MAX_FILES, QUESTIONS, NewAction
from jigsaw.chronology.models.audits import SampleMethod
from jigsaw.web.forms import DateField

ANSWER_PREFIX = "answer_"
ACTION_ROWS = 3


class StartAuditForm(forms.Form):
    method = forms.ChoiceField(
        label="How do you want to choose the files?", choices=SampleMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose how to pick the files", "invalid_choice": "Choose how to pick the files"},
    )
    count = forms.IntegerField(
        label=f"How many files (1 to {MAX_FILES})", required=False, min_value=1, max_value=MAX_FILES,
        error_messages={
            "invalid": "Enter how many files as a number, like 10",
            "min_value": "Audit at least 1 file",
            "max_value": f"Audit no more than {MAX_FILES} files at a time",
        },
    )
    people = forms.ModelMultipleChoiceField(
        label="Choose the files", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose files from the list: one of them is not a file your organisation holds",
            "invalid_pk_value": "Choose files from the list",
        },
    )
    title = forms.CharField(
        label="Name of the audit (optional)", max_length=200, required=False,
        help_text="For example, Spring term audit. If you leave it blank it is named after today's date.",
    )

    def __init__(self, *args, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = files

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == SampleMethod.RANDOM and data.get("count") is None and "count" not in self.errors:
            self.add_error("count", f"Enter how many files to audit, from 1 to {MAX_FILES}")
        if method == SampleMethod.CHOSEN and not data.get("people") and "people" not in self.errors:
            self.add_error("people", "Choose at least one file")
        if method == SampleMethod.CHOSEN and len(data.get("people") or ()) > MAX_FILES:
            self.add_error("people", f"Choose no more than {MAX_FILES} files")
        return data


class FileReviewForm(forms.Form):
    """The checklist for one file, what was found, and up to three follow-up actions."""

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        for question in CHECKLIST:
            self.fields[ANSWER_PREFIX + question.code] = forms.ChoiceField(
                label=question.text, help_text=question.hint, choices=ANSWERS, widget=forms.RadioSelect,
                error_messages={"required": f"Answer “{question.text}”",
                                "invalid_choice": "Answer yes, no or not applicable"},
            )
        self.fields["findings"] = forms.CharField(
            label="What you found (optional)", required=False, max_length=10_000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text="What is recorded well, what is missing, and what needs to change in this file.",
        )
        choices = [("", "Choose who will do it")] + [(owner.pk, owner.full_name) for owner in owners]
        for row in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{row}_description"] = forms.CharField(
                label="What must be done", max_length=500, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"action_{row}_owner"] = forms.TypedChoiceField(
                label="Who will do it", choices=choices, coerce=int, required=False, empty_value=None,
                error_messages={"invalid_choice": "Choose someone from the list"},
            )
            self.fields[f"action_{row}_due"] = DateField(
                label="Due by", required=False, help_text="For example, 21 11 2026",
            )

    def clean(self):
        data = super().clean()
        unknown = [key for key in self.data if key.startswith(ANSWER_PREFIX)
                   and key.removeprefix(ANSWER_PREFIX) not in QUESTIONS]
        if unknown:
            raise forms.ValidationError(
                "The answers included a question that is not on the checklist. Reload the page and try again."
            )
        for row in range(1, ACTION_ROWS + 1):
            self._clean_action(data, row)
        return data

    def _clean_action(self, data, row: int) -> None:
        prefix = f"action_{row}_"
        described = (data.get(prefix + "description") or "").strip()
        owner, due = data.get(prefix + "owner"), data.get(prefix + "due")
        if not described:
            if (owner or due) and prefix + "description" not in self.errors:
                self.add_error(prefix + "description", f"Describe follow-up action {row}, or clear its owner and date")
            return
        if owner is None and prefix + "owner" not in self.errors:
            self.add_error(prefix + "owner", f"Choose who will do follow-up action {row}")
        if due is None and prefix + "due" not in self.errors:
            self.add_error(prefix + "due", f"Enter the date follow-up action {row} is due by")
        elif due is not None and due < timezone.localdate():
            self.add_error(prefix + "due", f"The due date of follow-up action {row} must be today or in the future")

    @classmethod
    def initial_for(cls, item) -> dict:
        initial = {ANSWER_PREFIX + code: answer for code, answer in item.answers.items()}
        initial["findings"] = item.findings
        return initial

    def questions(self):
        return [self[ANSWER_PREFIX + question.code] for question in CHECKLIST]

    def action_rows(self):
        return [
            (row, self[f"action_{row}_description"], self[f"action_{row}_owner"], self[f"action_{row}_due"])
            for row in range(1, ACTION_ROWS + 1)
        ]

    def answers(self) -> dict:
        return {question.code: self.cleaned_data[ANSWER_PREFIX + question.code] for question in CHECKLIST}

    def new_actions(self) -> list[NewAction]:
        found = []
        for row in range(1, ACTION_ROWS + 1):
            description = self.cleaned_data.get(f"action_{row}_description", "").strip()
            if description:
                found.append(NewAction(description, self.cleaned_data[f"action_{row}_owner"],
                                       self.cleaned_data[f"action_{row}_due"]))
        return found


class CompleteAuditForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the audit", max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the audit found across the files, and what must change in how your organisation records.",
        error_messages={"required": "Enter a summary of what the audit found"},
    )
