"""Form pieces shared by every app: GOV.UK date input and error handling."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from jigsaw.guidance.identifiers import is_ascii_digits


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "web/widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    widget = DateInput

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [name for name, part in zip(("day", "month", "year"), (day, month, year), strict=True)
                   if not part]
        if missing:
            raise ValidationError(f"{self.label or 'Date'} must include a {' and '.join(missing)}")
        if not all(is_ascii_digits(part) for part in (day, month, year)) or len(year) != 4:
            raise ValidationError(f"{self.label or 'Date'} must be a real date, like 27 3 2015")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.label or 'Date'} must be a real date") from None
        if self.past_only and value > datetime.date.today():
            raise ValidationError(f"{self.label or 'Date'} must be today or in the past")
        if value.year < 1900:
            raise ValidationError(f"{self.label or 'Date'} must be after 1900")
        return value
