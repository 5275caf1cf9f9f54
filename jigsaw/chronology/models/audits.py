"""File audits: a safeguarding lead samples files and checks the recording is good enough."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SampleMethod(models.TextChoices):
    RANDOM = "random", "At random"
    CHOSEN = "chosen", "Chosen by the auditor"


class FileAudit(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="file_audits")
    title = models.CharField(max_length=200)
    method = models.CharField(max_length=10, choices=SampleMethod.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class FileAuditItem(models.Model):
    """One sampled child's file: the checklist answers, what was found and what must follow."""

    audit = models.ForeignKey(FileAudit, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, blank=True, help_text='{"question code": "yes" | "no" | "n/a"}')
    findings = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["audit", "person"], name="one_item_per_child_per_audit")]

    def __str__(self) -> str:
        return f"{self.audit} – {self.person_id}"
