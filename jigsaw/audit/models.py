"""The access ledger: an append-only, hash-chained record of every look and change."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    EXPORT = "export", "Exported"
    SHARE = "share", "Shared"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    FAILED_SIGN_IN = "failed_sign_in", "Failed sign-in"
    MFA = "mfa", "Changed sign-in security"
    DENIAL = "denial", "Refused access"
    ADMINISTER = "administer", "Administered"


class AccessEvent(models.Model):
    # Foreign keys carry no database constraint: the ledger outlives the rows it
    # names (the retention process removes people; their ledger rows stay).
    seq = models.BigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=254)
    api_key = models.ForeignKey(
        "accounts.ApiKey", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False,
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="access_events",
        db_constraint=False,
    )
    purpose = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["person", "-seq"], name="audit_person_seq")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="no_truncate",
                operation=pgtrigger.Truncate,
                when=pgtrigger.Before,
                level=pgtrigger.Statement,
                func="RAISE EXCEPTION 'The access ledger cannot be truncated'; RETURN NULL;",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"


class ChainHead(models.Model):
    """One row: the last sequence number and hash. Locking it orders concurrent writers."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        triggers = [pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"head at #{self.seq}"
