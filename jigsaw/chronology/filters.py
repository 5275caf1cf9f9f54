"""Narrowing a child's chronology: by category, kind, author and the date it happened.

The same filter drives the chronology page and its PDF, so what is printed is what was on screen.
"""

from dataclasses import dataclass

from django import forms

from jigsaw.chronology.models import Category, EntryKind, TriageOutcome
from jigsaw.web.forms import DateField

PER_PAGE = 50
# Counting stops here, so a page costs the same for a file of 500 entries as for one of 50,000.
COUNT_UP_TO = 1_000
# WeasyPrint lays out a few entries a millisecond: beyond this a download would tie up a worker for minutes.
PDF_MOST = 2_000
OUTCOME_LABELS = dict(TriageOutcome.choices)


def categories_known_to(organisation) -> list[Category]:
    """Retired categories too: old entries still carry them."""
    return list(Category.objects.in_area_of(organisation))


def names_of(categories) -> dict[str, str]:
    return {category.code: category.name for category in categories}


class ChronologyFilterForm(forms.Form):
    category = forms.MultipleChoiceField(
        label="Category", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Entries about any of the categories you choose",
        error_messages={"invalid_choice": "Choose categories from the list"},
    )
    kind = forms.ChoiceField(label="Kind of entry", required=False,
                             error_messages={"invalid_choice": "Choose a kind of entry from the list"})
    author = forms.TypedChoiceField(label="Recorded by", required=False, coerce=int, empty_value=None,
                                    error_messages={"invalid_choice": "Choose who recorded it from the list"})
    date_from = DateField(label="Earliest date", required=False, help_text="For example, 1 9 2025")
    date_to = DateField(label="Latest date", required=False, help_text="For example, 31 7 2026")

    def __init__(self, *args, categories=(), authors=(), **kwargs):
        super().__init__(*args, **kwargs)
        authors = list(authors)
        self.fields["category"].choices = [(c.code, c.name) for c in categories if c.active]
        self.fields["kind"].choices = [("", "Any kind"), *EntryKind.choices]
        self.fields["author"].choices = [("", "Anyone")] + [(user.pk, user.full_name) for user in authors]
        self.authors = {user.pk: user.full_name for user in authors}

    def clean(self):
        data = super().clean()
        earliest, latest = data.get("date_from"), data.get("date_to")
        if earliest and latest and earliest > latest:
            self.add_error("date_to", "Latest date must be the same as or after the earliest date")
        return data

    def is_filtering(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


def apply(entries, form: ChronologyFilterForm):
    """The entries the form asks for; all of them while the form is unbound or has errors."""
    if not form.is_bound or not form.is_valid():
        return entries
    data = form.cleaned_data
    if data["category"]:
        entries = entries.filter(categories__overlap=list(data["category"]))
    if data["kind"]:
        entries = entries.filter(kind=data["kind"])
    if data["author"]:
        entries = entries.filter(author_id=data["author"])
    if data["date_from"]:
        entries = entries.filter(sort_date__gte=data["date_from"])
    if data["date_to"]:
        entries = entries.filter(sort_date__lte=data["date_to"])
    return entries


@dataclass
class Page:
    """One page of entries, newest first; `total` is None when more than COUNT_UP_TO match."""

    number: int
    entries: list
    has_next: bool
    total: int | None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PER_PAGE + 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.entries) - 1

    @property
    def num_pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // PER_PAGE))


def page_of(entries, requested) -> Page:
    """The requested page (1 when it is not a page number), counting no further than COUNT_UP_TO."""
    counted = entries[: COUNT_UP_TO + 1].count()
    total = counted if counted <= COUNT_UP_TO else None
    number = int(requested) if str(requested or "").isdigit() and int(requested) > 0 else 1
    if total is not None:
        number = min(number, max(1, -(-total // PER_PAGE)))
    offset = (number - 1) * PER_PAGE
    rows = list(entries[offset:offset + PER_PAGE + 1])
    if not rows and number > 1:  # past the end of a file too long to count
        return page_of(entries, 1)
    return Page(number=number, entries=rows[:PER_PAGE], has_next=len(rows) > PER_PAGE, total=total)


def query_without_page(querydict) -> str:
    kept = querydict.copy()
    kept.pop("page", None)
    return kept.urlencode()


def describe(entries, *, names: dict[str, str], key_threads=frozenset()) -> list:
    """Give each entry what its summary shows: category names, the triage outcome, key event or not."""
    entries = list(entries)
    for entry in entries:
        entry.category_labels = [names.get(code, code) for code in entry.categories]
        entry.outcome_label = OUTCOME_LABELS.get(entry.triage_outcome, entry.triage_outcome)
        entry.is_key = entry.thread in key_threads
    return entries


def terms_of(form: ChronologyFilterForm, names: dict[str, str]) -> list[str]:
    """The filters in words, for the printed chronology."""
    if not form.is_filtering():
        return []
    data, terms = form.cleaned_data, []
    if data["category"]:
        terms.append("category: " + ", ".join(names.get(code, code) for code in data["category"]))
    if data["kind"]:
        terms.append(f"kind: {EntryKind(data['kind']).label.lower()}")
    if data["author"]:
        terms.append(f"recorded by {form.authors.get(data['author'], 'someone who has left')}")
    if data["date_from"]:
        terms.append(f"from {data['date_from'].day} {data['date_from']:%B %Y}")
    if data["date_to"]:
        terms.append(f"to {data['date_to'].day} {data['date_to']:%B %Y}")
    return terms
