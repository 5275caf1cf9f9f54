"""What someone has typed into the concern form, kept as a server-side draft and restored."""

from django.http import QueryDict

MAX_FIELDS = 400
MAX_VALUE = 10_000
NOT_KEPT = ("csrfmiddlewaretoken", "discard_draft", "add_mark", "add_child")


def savable(post: QueryDict) -> dict:
    """The form's fields as lists of strings, bounded so a draft cannot be used to store junk."""
    kept = {}
    for key in list(post.keys())[:MAX_FIELDS]:
        if key in NOT_KEPT or len(key) > 100:
            continue
        kept[key] = [value[:MAX_VALUE] for value in post.getlist(key)[:50]]
    return kept


def as_querydict(data: dict) -> QueryDict:
    restored = QueryDict(mutable=True)
    for key, values in data.items():
        if isinstance(values, list):
            restored.setlist(key, [str(v) for v in values])
    return restored


def _more(data: QueryDict, prefix: str, most: int) -> None:
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "1"))
    except ValueError:
        total = 1
    data[key] = str(min(max(total, 0) + 1, most))


def with_extra_rows(post: QueryDict) -> QueryDict:
    """Without JavaScript, 'Add another' buttons submit the form: give back one more empty row."""
    if "add_mark" not in post and "add_child" not in post:
        return post
    data = post.copy()
    if "add_mark" in post:
        _more(data, "marks", 20)
    if "add_child" in post:
        _more(data, "involved", 10)
    return data


def check_arguments(form) -> dict:
    """The language checker's arguments from a bound form, valid or not."""
    cleaned = getattr(form, "cleaned_data", {})
    raw = form.data

    def text(name):
        value = cleaned.get(name)
        return value if isinstance(value, str) else str(raw.get(form.add_prefix(name), ""))[:MAX_VALUE]

    return {
        "what_happened": text("what_happened"),
        "childs_words": text("childs_words"),
        "present": text("present"),
        "actions_taken": text("actions_taken"),
        "event_date": cleaned.get("event_date"),
    }
