"""Forms for what a partnership administrator configures: local categories and alert thresholds."""

from django import forms
from django.utils.text import slugify

from jigsaw.guidance import patterns


class CategoryForm(forms.Form):
    name = forms.CharField(label="Name of the category", max_length=100,
                           error_messages={"required": "Enter the name of the category"})
    serious = forms.BooleanField(
        label="Serious: the first concern in this category about a child raises an alert", required=False
    )
    neglect_indicator = forms.BooleanField(label="Counts towards signs of neglect", required=False)
    absence_indicator = forms.BooleanField(label="Counts as absence or a missing episode", required=False)

    def __init__(self, *args, existing_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = {name.casefold() for name in existing_names}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not slugify(name):
            raise forms.ValidationError("Enter a name with letters or numbers in it")
        if name.casefold() in self.existing:
            raise forms.ValidationError("There is already a category with this name")
        return name


class SettingsForm(forms.Form):
    unread_limit_working_days = forms.IntegerField(
        label="Escalate unread concerns to the deputies after this many working days", min_value=1, max_value=10,
        error_messages={"required": "Enter a number of working days from 1 to 10",
                        "min_value": "Enter a number of working days from 1 to 10",
                        "max_value": "Enter a number of working days from 1 to 10",
                        "invalid": "Enter a number of working days from 1 to 10"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rule in patterns.DEFAULT_RULES.values():
            self.fields[f"{rule.code}_enabled"] = forms.BooleanField(label=f"{rule.title}: on", required=False)
            if rule.days:
                for setting, most in (("count", 100), ("days", 365)):
                    self.fields[f"{rule.code}_{setting}"] = forms.IntegerField(
                        label=f"{rule.title}: {'how many' if setting == 'count' else 'within how many days'}",
                        min_value=1, max_value=most,
                        error_messages={"required": f"Enter a whole number from 1 to {most}",
                                        "min_value": f"Enter a whole number from 1 to {most}",
                                        "max_value": f"Enter a whole number from 1 to {most}",
                                        "invalid": f"Enter a whole number from 1 to {most}"},
                    )

    @staticmethod
    def initial_for(settings) -> dict:
        rules = patterns.rules_with(settings.pattern_thresholds if settings else {})
        initial = {"unread_limit_working_days": settings.unread_limit_working_days if settings else 1}
        for rule in rules.values():
            initial[f"{rule.code}_enabled"] = rule.enabled
            if rule.days:
                initial[f"{rule.code}_count"], initial[f"{rule.code}_days"] = rule.count, rule.days
        return initial

    def rules(self):
        """(rule, its bound fields) for the template, in the order of the defaults."""
        for rule in patterns.DEFAULT_RULES.values():
            names = [f"{rule.code}_enabled"] + ([f"{rule.code}_count", f"{rule.code}_days"] if rule.days else [])
            yield rule, [self[name] for name in names]

    def clean(self):
        data = super().clean()
        overrides = {}
        for rule in patterns.DEFAULT_RULES.values():
            changes = {"enabled": bool(data.get(f"{rule.code}_enabled"))}
            if rule.days:
                for setting in ("count", "days"):
                    if data.get(f"{rule.code}_{setting}") is not None:
                        changes[setting] = data[f"{rule.code}_{setting}"]
            overrides[rule.code] = {k: v for k, v in changes.items() if v != getattr(rule, k)}
        overrides = {code: changes for code, changes in overrides.items() if changes}
        try:
            patterns.rules_with(overrides)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        data["pattern_thresholds"] = overrides
        return data
