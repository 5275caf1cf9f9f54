"""The sharing wizard's forms: choose entries, decide (the golden rules in order), redact by hand.

The decision form's own checks are only about shape (lengths, choices from the lists offered);
whether the answers make a lawful, recorded decision is `DecisionData.problems`, so the web
page, the API and the action refuse the same things with the same words.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict

from jigsaw.guidance import sharing as rules
from jigsaw.guidance.sharing import ConsentStatus, DisclosureKind, LawfulBasis, Outcome, SpecialCondition
from jigsaw.sharing.actions import MAX_ENTRIES, DecisionData

MAX_TEXT = 5_000
MAX_LINE = 200
MAX_HAND_REDACTIONS = 50
STARTING_KINDS = (DisclosureKind.SHARE, DisclosureKind.REFERRAL)


class EntryIdsField(forms.Field):
    """Entry ids as posted: any whole numbers, at most MAX_ENTRIES. The access layer decides what is sent."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return sorted({int(v) for v in values[:MAX_ENTRIES] if str(v).isdigit() and 0 < int(v) < 2**63})


class ChooseEntriesForm(forms.Form):
    entries = EntryIdsField(label="Entries to share", required=False)
    everything = forms.BooleanField(
        label="Select everything (you will need to justify this)", required=False,
        help_text="Sends every current entry in the file. Only share what is necessary and proportionate "
                  "(golden rule 6).",
    )
    kind = forms.CharField(required=False, max_length=20)

    def clean_kind(self):
        return starting_kind(self.cleaned_data.get("kind"))

    def clean(self):
        data = super().clean()
        if not data.get("entries") and not data.get("everything"):
            self.add_error("entries", "Select the entries to share, or select everything")
        return data


def starting_kind(value) -> str:
    """A share or a referral; anything else (a tampered link) is an ordinary share."""
    return value if value in [k.value for k in STARTING_KINDS] else DisclosureKind.SHARE


def _text(label, help_text="", rows=3, max_length=MAX_TEXT):
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _line(label, help_text="", max_length=MAX_LINE):
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


def _radios(label, choices, help_text=""):
    return forms.ChoiceField(label=label, required=False, choices=choices, widget=forms.RadioSelect,
                             help_text=help_text,
                             error_messages={"invalid_choice": f"{label.rstrip('?')}: choose from the list"})


BOOLEAN_FIELDS = ("emergency", "child_told", "carers_told", "special_category", "criminal_offence_data",
                  "advice_sought")
CHOICE_FIELDS = ("recipient", "agreement")


class DecisionForm(forms.Form):
    """Field names are DecisionData's, so errors from `problems()` land on the right question."""

    # Golden rule 1
    emergency = forms.BooleanField(label="This is an emergency: the child is at immediate risk of harm",
                                   required=False,
                                   help_text="Share now. You can record the rest of your reasons afterwards.")
    outcome = _radios("What have you decided?", Outcome.choices)
    # Who and why (golden rule 6: a recipient with a role in safeguarding)
    recipient = forms.ChoiceField(label="An organisation in the partnership", required=False,
                                  error_messages={"invalid_choice": "Select an organisation from the list"})
    external_name = _line("Their name")
    external_role = _line("Their role")
    external_organisation = _line("Their organisation (optional)")
    external_email = forms.EmailField(label="Their e-mail address", required=False, max_length=254,
                                      help_text="We e-mail them a secure link, never the information itself",
                                      error_messages={"invalid": "Enter an e-mail address like name@example.org"})
    external_phone = _line("Their phone number", "You read them a code over the phone, so the link alone is not "
                                                 "enough", max_length=30)
    external_reason = _text("Why do they need it?", "Their role in safeguarding or supporting the child")
    purpose = _text("What is the information for?", "For example, so that children's social care can assess "
                                                   "whether the child is safe at home")
    # Golden rule 2
    child_told = forms.BooleanField(label="The child has been told who you are sharing with, what and why",
                                    required=False)
    carers_told = forms.BooleanField(label="Their parents or carers have been told", required=False)
    not_told_reason = _text("If neither has been told, why not?",
                            "For example, telling them could put the child at greater risk")
    # Golden rule 3
    consent = _radios("What happened about consent?", ConsentStatus.choices,
                      "You do not need consent to share when a child is at risk, but record what happened")
    consent_detail = _text("Why was consent not sought?", "Only if you chose another reason")
    objections = _text("What objections did the child or their carers raise?", "If consent was refused or withdrawn")
    objections_weighed = _text("How did you weigh their objections?")
    lawful_basis = _radios("Lawful basis for sharing (UK GDPR Article 6)", LawfulBasis.choices)
    special_category = forms.BooleanField(
        label="It includes special category data", required=False,
        help_text="For example health, sex life, ethnicity or religion")
    special_condition = _radios("Condition for special category data (Article 9)", SpecialCondition.choices)
    criminal_offence_data = forms.BooleanField(label="It includes criminal offence data", required=False)
    criminal_condition = _line("Condition for criminal offence data (Article 10)",
                               "For example, DPA 2018 s10(5) and Schedule 1 paragraph 18", max_length=300)
    # Golden rule 4
    advice_sought = forms.BooleanField(label="I have sought advice about this decision", required=False)
    advice_from = _line("Who did you ask?", max_length=300)
    advice_given = _text("What did they say?")
    # Golden rule 6
    everything_justification = _text("Why is the whole record needed?",
                                     "Only what is necessary should be shared")
    agreement = forms.ChoiceField(label="Information sharing agreement (optional)", required=False,
                                  error_messages={"invalid_choice": "Select an agreement from the list"},
                                  help_text="Routine sharing should run under an agreement. An emergency or "
                                            "one-off share needs none: it is reviewed by your data protection "
                                            "officer afterwards.")
    # Golden rule 7
    rationale = _text("Your reasons", "Why you decided to share or not to share: this is recorded either way",
                      rows=5)

    def __init__(self, *args, recipients=(), agreements=(), everything=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = {str(org.pk): org for org in recipients}
        self.agreements = {str(a.pk): a for a in agreements}
        self.everything = everything
        self.fields["recipient"].choices = [("", "Choose an organisation")] + [
            (pk, org.name) for pk, org in self.recipients.items()]
        self.fields["agreement"].choices = [("", "None: an emergency or one-off share")] + [
            (pk, f"{a.title}{f' ({a.reference})' if a.reference else ''}") for pk, a in self.agreements.items()]

    def decision_data(self) -> DecisionData:
        """What the form says, as far as it is valid (fields with errors keep their empty defaults)."""
        data = getattr(self, "cleaned_data", {})
        values = {name: data[name] for name in DecisionData.__dataclass_fields__ if name in data}
        values.update(
            outcome=data.get("outcome", ""), purpose=data.get("purpose", ""), rationale=data.get("rationale", ""),
            consent=data.get("consent", ""), everything=self.everything,
            recipient=self.recipients.get(data.get("recipient") or ""),
            agreement=self.agreements.get(data.get("agreement") or ""),
        )
        return DecisionData(**values)

    def check(self, *, entry_count: int) -> bool:
        """Shape first, then the golden rules: every problem lands on its question."""
        self.is_valid()
        for name, message in self.decision_data().problems(entry_count=entry_count).items():
            if name not in self.fields:
                self.add_error(None, message)
            elif name not in self.errors:
                self.add_error(name, message)
        order = [*self.fields, NON_FIELD_ERRORS]
        self._errors = ErrorDict({name: self._errors[name] for name in order if name in self._errors})
        return not self._errors


def saved_from_post(post) -> dict:
    """What was typed, kept on the draft in DecisionData.as_draft()'s shape so nothing is lost."""
    saved: dict = {}
    for name, field in DecisionForm.base_fields.items():
        raw = post.get(name, "")
        if name in BOOLEAN_FIELDS:
            saved[name] = raw in ("on", "true", "True", "1", "yes")
        elif name in CHOICE_FIELDS:
            saved[name] = int(raw) if str(raw).isdigit() and len(str(raw)) < 19 else None
        else:
            saved[name] = str(raw)[: getattr(field, "max_length", None) or MAX_LINE]
    return saved


def form_data_from(saved: dict) -> dict:
    """A saved draft back into form data (for binding) or initial values (for showing)."""
    data = {}
    for name in DecisionForm.base_fields:
        value = saved.get(name)
        if name in BOOLEAN_FIELDS:
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def initial_for(draft, organisation) -> dict:
    """A fresh decision: defaults from the organisation's kind, and the request being answered."""
    initial = {
        "lawful_basis": rules.default_lawful_basis(organisation),
        "special_condition": rules.DEFAULT_SPECIAL_CONDITION,
    }
    if draft.request_id:
        initial.update(recipient=str(draft.request.requester_id), outcome=Outcome.SHARE,
                       purpose=draft.request.reason[:MAX_TEXT])
    if draft.reconsiders_id:
        earlier = draft.reconsiders
        initial.update(purpose=earlier.purpose, recipient=str(earlier.recipient_id or ""))
    return initial


class HandRedactionForm(forms.Form):
    phrase = forms.CharField(
        label="Words to remove", max_length=200, min_length=2,
        help_text="Every place these words appear is replaced with [redacted]",
        error_messages={"required": "Enter the words to remove", "min_length": "Enter at least 2 characters",
                        "max_length": "Words to remove must be 200 characters or fewer"},
    )
    reason = forms.CharField(
        label="Why are you removing them?", max_length=300,
        help_text="For example, it would identify the neighbour who told us",
        error_messages={"required": "Enter why you are removing these words",
                        "max_length": "The reason must be 300 characters or fewer"},
    )

    def __init__(self, *args, existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = list(existing)

    def clean(self):
        data = super().clean()
        if len(self.existing) >= MAX_HAND_REDACTIONS:
            raise forms.ValidationError(f"You can remove up to {MAX_HAND_REDACTIONS} phrases by hand. If you need "
                                        "more, share fewer entries.")
        if not (data.get("phrase") or "").strip(" .,;:'\"-"):
            self.add_error("phrase", "Enter words to remove, not only punctuation")
        return data

    def added(self) -> list[dict]:
        new = {"phrase": self.cleaned_data["phrase"].strip(), "reason": self.cleaned_data["reason"].strip()}
        return [*self.existing, new]


def _told(data: DecisionData) -> str:
    if data.child_told and data.carers_told:
        return "The child and their parents or carers"
    if data.child_told or data.carers_told:
        return "The child" if data.child_told else "Their parents or carers"
    return f"Neither. Why not: {data.not_told_reason}"


def _condition(present: bool, condition: str) -> str:
    return f"Yes. Condition: {condition}" if present else "No"


def answer_rows(form: DecisionForm, data: DecisionData) -> list[tuple[str, str, str]]:
    """The decision for "check your answers": (question, answer, field to change), golden rules in order."""
    label = lambda name, value: dict(form.fields[name].choices).get(value, value)  # noqa: E731
    shares = data.outcome == Outcome.SHARE
    if data.recipient is not None:
        recipient = data.recipient.name
    else:
        contact = ", ".join(v for v in (data.external_email, data.external_phone) if v)
        recipient = ", ".join(v for v in (data.external_name, data.external_role, data.external_organisation) if v)
        recipient += f" ({contact})" if contact else ""
    rows = [
        ("Emergency", "Yes: the child is at immediate risk" if data.emergency else "No", "emergency"),
        ("Decision", label("outcome", data.outcome), "outcome"),
        ("Recipient", recipient, "recipient" if data.recipient is not None else "external_name"),
        *([("Why they need it", data.external_reason, "external_reason")] if data.recipient is None else []),
        ("Purpose", data.purpose, "purpose"),
        ("Who has been told", _told(data), "child_told"),
        ("Consent", label("consent", data.consent) + (f": {data.consent_detail}" if data.consent_detail else ""),
         "consent"),
        *([("Objections, and how they were weighed", f"{data.objections}\n\n{data.objections_weighed}",
            "objections")] if data.objections else []),
    ]
    if shares:
        rows += [
            ("Lawful basis", label("lawful_basis", data.lawful_basis), "lawful_basis"),
            ("Special category data", _condition(data.special_category,
                                                 label("special_condition", data.special_condition)),
             "special_category"),
            ("Criminal offence data", _condition(data.criminal_offence_data, data.criminal_condition),
             "criminal_offence_data"),
        ]
    advice = f"From {data.advice_from}" + (f": {data.advice_given}" if data.advice_given else "")
    rows.append(("Advice", advice if data.advice_sought else "None sought", "advice_sought"))
    if shares and data.everything:
        rows.append(("Why the whole record is needed", data.everything_justification, "everything_justification"))
    rows += [
        ("Information sharing agreement", data.agreement.title if data.agreement else
         "None: an emergency or one-off share", "agreement"),
        ("Your reasons", data.rationale, "rationale"),
    ]
    return rows
