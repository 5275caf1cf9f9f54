"""The state that moves: a concern's triage, alerts, actions, key events, drafts and settings.

These rows change as work is done, so they live apart from the append-only entries;
every change to them happens in an action that writes an AccessEvent.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone

from jigsaw.chronology.models.entries import Entry


class ConcernStatus(models.TextChoices):
    NEW = "new", "Not read"
    READ = "read", "Read"
    TRIAGED = "triaged", "Decided"


class TriageOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    MONITOR = "monitor", "Monitor"
    EARLY_HELP = "early_help", "Early help"
    REFER_CSC = "refer_csc", "Refer to children's social care"
    REFER_POLICE = "refer_police", "Refer to the police"
    SHARE = "share", "Share with another agency"
    MORE_INFORMATION = "more_information", "Further information needed"


# Outcomes that make the decision a key event in the chronology.
KEY_OUTCOMES = frozenset({TriageOutcome.REFER_CSC, TriageOutcome.REFER_POLICE, TriageOutcome.EARLY_HELP})


class Concern(models.Model):
    """A logged concern's journey through the safeguarding lead's triage."""

    thread = models.UUIDField(unique=True, help_text="The entry thread this concern was logged as")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="concerns")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="concerns")
    first_entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="concern")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.NEW)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=30, choices=TriageOutcome.choices, blank=True)
    decision = models.ForeignKey(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="When the deputies were told it is unread")

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["organisation", "status", "raised_at"], name="concern_inbox")]

    def __str__(self) -> str:
        return f"Concern {self.thread} ({self.get_status_display()})"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


class Alert(models.Model):
    """A pattern rule that fired for a child, with the entries that made it fire."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="alerts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    explanation = models.TextField()
    entries = models.ManyToManyField(Entry, related_name="alerts")
    fired_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, help_text="What the lead decided on seeing it")

    class Meta:
        ordering = ["-fired_at"]
        indexes = [models.Index(fields=["organisation", "status", "-fired_at"], name="alert_inbox")]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    """Something someone must do, from a triage, an entry or a file audit, until it is done."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="action_items")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items")
    audit_item = models.ForeignKey(
        "chronology.FileAuditItem", on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["person", "completed_at"], name="action_open_by_person")]

    def __str__(self) -> str:
        return self.description


class KeyEvent(models.Model):
    """An entry thread the safeguarding lead has marked as a key event in the child's story."""

    thread = models.UUIDField(unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Key event {self.thread}"


class ConcernDraft(models.Model):
    """What someone has typed so far, kept on the server so an error or a lapsed session loses nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "person"], name="one_draft_per_child"),
        ]

    def __str__(self) -> str:
        return f"Draft by {self.user_id} about {self.person_id}"


class Settings(models.Model):
    """An organisation's chronology settings: when unread concerns escalate, and alert thresholds."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="chronology_settings"
    )
    unread_limit_working_days = models.PositiveSmallIntegerField(
        default=1, help_text="Unread concerns older than this escalate to the deputies"
    )
    pattern_thresholds = models.JSONField(
        default=dict, blank=True, help_text="Overrides of guidance.patterns defaults, by rule"
    )

    class Meta:
        verbose_name_plural = "settings"

    def __str__(self) -> str:
        return f"Chronology settings for {self.organisation_id}"


class ApiIdempotencyKey(models.Model):
    """A client's key for a create request, so a retried request returns the first result."""

    api_key = models.ForeignKey("accounts.ApiKey", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="one_request_per_client_key")]
        triggers = [pgtrigger.Protect(name="idempotency_is_append_only", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.api_key_id}:{self.key}"
