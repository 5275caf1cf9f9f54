"""Decisions, disclosures with their redacted snapshots, requests, advice, agreements and reviews.

DESIGN §2: every flow of personal information out of an organisation is a Disclosure that
carries a Decision; a decision not to share is a Decision too. Decisions and snapshots are
never changed (the database refuses it); a disclosure's receipt, acknowledgement and chasing
are the only columns that move, and only forwards.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.guidance.sharing import ConsentStatus, DisclosureKind, LawfulBasis, Outcome, SpecialCondition, Urgency

USER = settings.AUTH_USER_MODEL


def immutable(name: str):
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


def no_delete(name: str):
    return pgtrigger.Protect(name=name, operation=pgtrigger.Delete)


def no_truncate(name: str):
    return pgtrigger.Trigger(
        name=name, operation=pgtrigger.Truncate, when=pgtrigger.Before, level=pgtrigger.Statement,
        func="RAISE EXCEPTION 'The record of what was shared cannot be truncated'; RETURN NULL;",
    )


def only_columns_change(name: str, columns: list[str]):
    """Refuse an UPDATE that touches anything but `columns`, and any DELETE."""
    keep = ", ".join(f"'{column}'" for column in columns)
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Update,
        when=pgtrigger.Before,
        func=f"""
IF (to_jsonb(NEW) - ARRAY[{keep}]) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY[{keep}]) THEN
    RAISE EXCEPTION 'Only the state of a {name.split("_")[0]} can change; its content is fixed';
END IF;
RETURN NEW;
""",
    )


# Agreements -------------------------------------------------------------------------------


class Agreement(models.Model):
    """An information sharing agreement (ICO data sharing code, 2021), kept by the partnership."""

    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=50, blank=True)
    local_authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    parties = models.ManyToManyField("accounts.Organisation", related_name="agreements")
    purposes = models.TextField()
    data_items = models.TextField("Data items shared")
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    special_condition = models.CharField("Article 9 condition", max_length=30, choices=SpecialCondition.choices,
                                         blank=True)
    criminal_condition = models.CharField("Article 10 condition", max_length=300, blank=True)
    recipients = models.TextField("Who may receive", blank=True)
    accuracy = models.TextField("Accuracy and standards", blank=True)
    security = models.TextField(blank=True)
    retention = models.TextField("Retention and deletion")
    rights_contact = models.CharField("Contact point for individuals' rights", max_length=300)
    breach_handling = models.TextField(blank=True)
    starts_on = models.DateField()
    review_date = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # The signed document, stored privately like attachments (never under a user-chosen name).
    document_stored_name = models.CharField(max_length=80, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_content_type = models.CharField(max_length=100, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review_date", "title"]
        triggers = [no_delete("agreement_never_deleted")]

    def __str__(self) -> str:
        return self.title


# Decisions --------------------------------------------------------------------------------


class Decision(models.Model):
    """One decision to share or not to share, recorded with the golden rules. Never changed."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="decisions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sharing_decisions")
    others = models.ManyToManyField("people.Person", blank=True, related_name="+",
                                    help_text="Other people the information is about")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    purpose = models.TextField()
    # Golden rule 6: a recipient with a role in safeguarding, in the directory or named.
    recipient = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="decisions_about_sharing_with")
    external_name = models.CharField("Recipient's name", max_length=200, blank=True)
    external_role = models.CharField("Their role", max_length=200, blank=True)
    external_organisation = models.CharField("Their organisation", max_length=200, blank=True)
    external_email = models.EmailField("Their e-mail address", blank=True)
    external_phone = models.CharField("Their phone number", max_length=30, blank=True)
    external_reason = models.TextField("Why they need it", blank=True)
    # Golden rule 3
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)
    special_category = models.BooleanField(default=False)
    special_condition = models.CharField(max_length=30, choices=SpecialCondition.choices, blank=True)
    criminal_offence_data = models.BooleanField(default=False)
    criminal_condition = models.CharField(max_length=300, blank=True)
    consent = models.CharField(max_length=30, choices=ConsentStatus.choices)
    consent_detail = models.TextField(blank=True, help_text="Why consent was not sought, when another reason")
    objections = models.TextField(blank=True)
    objections_weighed = models.TextField(blank=True)
    # Golden rule 2
    child_told = models.BooleanField(default=False)
    carers_told = models.BooleanField(default=False)
    not_told_reason = models.TextField(blank=True)
    # Golden rule 4
    advice_sought = models.BooleanField(default=False)
    advice_from = models.CharField(max_length=300, blank=True)
    advice_given = models.TextField(blank=True)
    # Golden rule 6
    everything = models.BooleanField(default=False, help_text="The whole record, not chosen entries")
    everything_justification = models.TextField(blank=True)
    emergency = models.BooleanField(default=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="decisions")
    # Golden rule 7
    rationale = models.TextField()
    request = models.ForeignKey("Request", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="decisions")
    reconsiders = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reconsidered_by")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by_label = models.CharField(max_length=254)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-decided_at"], name="decision_org_when"),
            models.Index(fields=["person", "-decided_at"], name="decision_person_when"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="decision_has_rationale"),
            models.CheckConstraint(condition=~Q(purpose=""), name="decision_has_purpose"),
            models.CheckConstraint(condition=Q(outcome="withhold") | ~Q(lawful_basis=""),
                                   name="share_has_lawful_basis"),
            models.CheckConstraint(condition=Q(special_category=False) | ~Q(special_condition="")
                                   | Q(outcome="withhold"), name="special_category_has_condition"),
            models.CheckConstraint(condition=Q(everything=False) | ~Q(everything_justification=""),
                                   name="everything_is_justified"),
            models.CheckConstraint(condition=Q(recipient__isnull=False) | ~Q(external_name=""),
                                   name="decision_has_recipient"),
            models.CheckConstraint(condition=Q(recipient__isnull=True) | Q(external_name=""),
                                   name="decision_has_one_recipient"),
        ]
        triggers = [immutable("decision_is_immutable"), no_truncate("decisions_never_truncated")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.person_id} to {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_id:
            return self.recipient.name
        where = f", {self.external_organisation}" if self.external_organisation else ""
        return f"{self.external_name} ({self.external_role}{where})"

    @property
    def is_external(self) -> bool:
        return self.recipient_id is None

    @property
    def shares(self) -> bool:
        return self.outcome == Outcome.SHARE

    @property
    def without_consent(self) -> bool:
        from jigsaw.guidance.sharing import WITHOUT_CONSENT

        return self.consent in WITHOUT_CONSENT


# Disclosures ------------------------------------------------------------------------------


DISCLOSURE_STATE = [
    "opened_at", "opened_by_id", "opened_by_label", "acknowledged_at", "acknowledged_by_id",
    "acknowledged_by_label", "action_taken", "last_chased_at", "chase_count", "saved_entry_id",
]


class Disclosure(models.Model):
    """Information that left an organisation: what was decided, what was sent, and what became of it."""

    kind = models.CharField(max_length=20, choices=DisclosureKind.choices)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="disclosures")
    updates = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="later_updates",
                                help_text="An update sent because entries were corrected after this was sent")
    sender = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="disclosures_sent")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="disclosures_received")
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sent_by_label = models.CharField(max_length=254)
    sent_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(help_text="When the recipient should have acknowledged it")
    # State: the only columns that may change after sending.
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_by_label = models.CharField(max_length=254, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_by_label = models.CharField(max_length=254, blank=True)
    action_taken = models.TextField(blank=True)
    last_chased_at = models.DateTimeField(null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(default=0)
    saved_entry = models.ForeignKey("chronology.Entry", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", help_text="The recipient's own chronology entry citing this")

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-sent_at"], name="disclosure_inbox"),
            models.Index(fields=["sender", "-sent_at"], name="disclosure_sent"),
            models.Index(fields=["person", "-sent_at"], name="disclosure_person"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(acknowledged_at__isnull=True) | Q(opened_at__isnull=False),
                                   name="acknowledged_after_opening"),
        ]
        triggers = [
            only_columns_change("disclosure_content_is_fixed", DISCLOSURE_STATE),
            no_delete("disclosure_never_deleted"),
            no_truncate("disclosures_never_truncated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def status(self) -> str:
        if self.acknowledged_at:
            return "acknowledged"
        if self.opened_at:
            return "opened"
        return "sent"

    @property
    def status_label(self) -> str:
        return {"acknowledged": "Acknowledged", "opened": "Opened", "sent": "Sent"}[self.status]

    def is_overdue(self, now=None) -> bool:
        return self.acknowledged_at is None and self.due_at < (now or timezone.now())

    @property
    def recipient_label(self) -> str:
        return self.recipient.name if self.recipient_id else self.decision.recipient_label


class DisclosureItem(models.Model):
    """Which version of which entry was sent, so later corrections can be offered as an update."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="items")
    entry = models.ForeignKey("chronology.Entry", on_delete=models.PROTECT, related_name="disclosed_in")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "entry"], name="entry_once_per_disclosure")]
        triggers = [immutable("disclosure_item_is_immutable")]

    def __str__(self) -> str:
        return f"{self.disclosure_id}: {self.entry_id}"


class Snapshot(models.Model):
    """Exactly what the recipient got: redacted content, fixed at sending. Never changed."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="snapshot")
    content = models.JSONField(help_text="The child's identity and the redacted items, as sent")
    redactions = models.JSONField(default=list, help_text="Where and why text was removed (never what)")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        triggers = [immutable("snapshot_is_immutable"), no_truncate("snapshots_never_truncated")]

    def __str__(self) -> str:
        return f"Snapshot of {self.disclosure_id}"

    @property
    def redaction_count(self) -> int:
        return sum(each.get("count", 1) for each in self.redactions)


class ExternalLink(models.Model):
    """A recipient outside the partnership: a secret link, a code sent another way, limited and expiring."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="external_link")
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    max_downloads = models.PositiveSmallIntegerField(default=3)
    downloads = models.PositiveSmallIntegerField(default=0)
    failed_codes = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    MAX_FAILED_CODES = 5

    def __str__(self) -> str:
        return f"Link for {self.disclosure_id}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.revoked_at is None and self.expires_at > now and self.downloads < self.max_downloads
                and self.failed_codes < self.MAX_FAILED_CODES)


# Drafts and advice ------------------------------------------------------------------------


class ShareDraft(models.Model):
    """A share being prepared: chosen entries, the decision form as typed, hand redactions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DisclosureKind.choices, default=DisclosureKind.SHARE)
    request = models.ForeignKey("Request", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reconsiders = models.ForeignKey(Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    entry_ids = models.JSONField(default=list)
    everything = models.BooleanField(default=False)
    decision = models.JSONField(default=dict, help_text="The decision form's fields as typed")
    manual_redactions = models.JSONField(default=list, help_text="[{phrase, reason}]")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Share draft {self.pk}"


class AdviceRequest(models.Model):
    """Golden rule 4: a draft decision sent to an adviser, who sees only what the advice needs."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(ShareDraft, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="advice_requests")
    asked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="advice_asked")
    adviser_role = models.CharField(max_length=30)
    question = models.TextField()
    briefing = models.JSONField(help_text="The draft decision and redacted preview, as it was when asked")
    asked_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="advice")

    class Meta:
        ordering = ["-asked_at"]
        triggers = [
            only_columns_change("advice_answer_and_decision_only", ["answer", "answered_at", "decision_id",
                                                                     "draft_id"]),
            no_delete("advice_never_deleted"),
        ]

    def __str__(self) -> str:
        return f"Advice {self.pk} from {self.adviser_id}"


# Requests for information -----------------------------------------------------------------


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    SHARED = "shared", "Shared"
    DECLINED = "declined", "Not shared"
    RECONSIDER = "reconsider", "New information: to reconsider"
    NO_RECORD = "no_record", "No record held"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_REQUEST_STATUSES = (RequestStatus.OPEN, RequestStatus.RECONSIDER)


class Request(models.Model):
    """One agency asking another for information about a child."""

    requester = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="requests_made")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_by_label = models.CharField(max_length=254)
    requester_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="requests_made_about")
    holder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="requests_received")
    # The child as the requester knows them, so the holder can find their own record.
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    address = models.CharField(max_length=300, blank=True)
    reason = models.TextField("Why the information is needed")
    information_wanted = models.TextField("What information is needed")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.STANDARD)
    asked_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    holder_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="requests_about")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answer_note = models.TextField(blank=True, help_text="What the holder said when they hold no record")
    api_key = models.ForeignKey("accounts.ApiKey", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["holder", "status", "due_at"], name="request_holder_open"),
            models.Index(fields=["requester", "-asked_at"], name="request_requester"),
        ]
        triggers = [no_delete("request_never_deleted")]

    def __str__(self) -> str:
        return f"Request {self.pk} to {self.holder_id}"

    @property
    def child_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())

    @property
    def latest_decision(self):
        return self.decisions.order_by("-decided_at", "-id").first()


class RequestUpdate(models.Model):
    """New information from the requester (golden rule 7): the holder reconsiders."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_by_label = models.CharField(max_length=254)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        triggers = [immutable("request_update_is_immutable")]

    def __str__(self) -> str:
        return f"Update to request {self.request_id}"


# Don't assume -----------------------------------------------------------------------------


class PromptResponse(models.Model):
    """Why a lead did not refer or share when Jigsaw prompted them (seed 002, "don't assume")."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey("chronology.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    alert = models.ForeignKey("chronology.Alert", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField()
    responded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(entry__isnull=False) | Q(alert__isnull=False),
                                   name="prompt_response_has_a_source"),
            models.UniqueConstraint(fields=["entry"], condition=Q(entry__isnull=False), name="one_response_per_entry"),
            models.UniqueConstraint(fields=["alert"], condition=Q(alert__isnull=False), name="one_response_per_alert"),
        ]
        triggers = [immutable("prompt_response_is_immutable")]

    def __str__(self) -> str:
        return f"Not shared: {self.person_id}"


# Governance review ------------------------------------------------------------------------


class Finding(models.TextChoices):
    SOUND = "sound", "Sound decision"
    SOUND_WITH_LEARNING = "sound_with_learning", "Sound, with learning"
    NOT_SOUND = "not_sound", "Not sound: action needed"


class Review(models.Model):
    """A DPO's or Caldicott guardian's review of one decision, signed off."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="review")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewer_role = models.CharField(max_length=30)
    finding = models.CharField(max_length=30, choices=Finding.choices)
    notes = models.TextField()
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_at"]
        triggers = [immutable("review_is_immutable")]

    def __str__(self) -> str:
        return f"Review of {self.decision_id}"


class SharingSettings(models.Model):
    """An organisation's local timescales for sharing (DOMAIN.md marks them local)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE,
                                        related_name="sharing_settings")
    standard_response_working_days = models.PositiveSmallIntegerField(default=5)
    acknowledge_within = models.JSONField(default=dict, blank=True,
                                          help_text="Working days to acknowledge, by disclosure kind")
    external_link_days = models.PositiveSmallIntegerField(default=7)
    external_link_downloads = models.PositiveSmallIntegerField(default=3)

    class Meta:
        verbose_name_plural = "sharing settings"

    def __str__(self) -> str:
        return f"Sharing settings for {self.organisation_id}"
