"""Render Django form fields as GOV.UK Design System components."""

import datetime

from django import forms, template
from django.utils import timezone

register = template.Library()


def _kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.MultiWidget):
        return "date"
    return "input"


@register.inclusion_tag("web/field.html")
def govuk_field(field, classes: str = ""):
    kind = _kind(field)
    value = field.value()
    widget = field.field.widget
    if isinstance(widget, forms.PasswordInput) and not widget.render_value:
        value = ""
    if kind == "date":
        parts = value if isinstance(value, list | tuple) else field.field.widget.decompress(value)
        value = [("" if part is None else part) for part in parts]
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    return {
        "field": field,
        "kind": kind,
        "value": "" if value is None else value,
        "chosen": chosen,
        "classes": classes,
        "input_type": getattr(field.field.widget, "input_type", "text"),
    }


@register.inclusion_tag("web/error_summary.html")
def govuk_error_summary(form):
    errors = []
    for name, field_errors in form.errors.items():
        anchor = f"id_{name}" if name != "__all__" else ""
        if name in form.fields and isinstance(form.fields[name].widget, forms.MultiWidget):
            anchor = f"id_{name}_day"
        elif name in form.fields and isinstance(
            form.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            anchor = f"id_{name}_0"
        errors.extend((anchor, message) for message in field_errors)
    return {"errors": errors}


@register.filter
def govuk_date(value) -> str:
    """21 November 2026, in Europe/London."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
        return f"{value.day} {value:%B %Y} at {value:%H:%M}"
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_iso_date(value) -> str:
    """A date or date-time kept as ISO text (in a snapshot) shown as govuk_date shows it; odd text as it is."""
    if not value:
        return ""
    try:
        parsed = (datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)
    return govuk_date(parsed)
