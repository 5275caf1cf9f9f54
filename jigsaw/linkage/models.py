"""Which records, held by different organisations, are the same child (DESIGN §5).

A Subject carries no personal data of its own: it is the thread that ties each organisation's
Person together. A Link says how one Person was tied to a Subject; links are never changed or
deleted, only ended, so the history of every link, unlink and split stays readable. A MatchReview
is a pair of records a person must look at: between the thresholds, or held back by a guard.
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.linkage.model_format import fits_current_records

USER = settings.AUTH_USER_MODEL


class Subject(models.Model):
    """One child or adult as the partnership knows them."""

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        triggers = [pgtrigger.Protect(name="subjects_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Subject {self.pk}"


class LinkMethod(models.TextChoices):
    FIRST = "first", "First record of this child"
    NHS_NUMBER = "nhs_number", "Same NHS number"
    PROBABILISTIC = "probabilistic", "Matched by the linkage model"
    MANUAL = "manual", "Confirmed by a person"
    SPLIT = "split", "Separated by a person"


class ModelVersion(models.Model):
    """A trained linkage model, kept as Splink's JSON with its training metrics."""

    version = models.CharField(max_length=40, unique=True)
    model_json = models.JSONField()
    tf_tables = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict)
    trained_at = models.DateTimeField(default=timezone.now)
    trained_by = models.CharField(max_length=254)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_model"),
        ]

    def __str__(self) -> str:
        return f"Linkage model {self.version}"

    @property
    def fits_current_records(self) -> bool:
        """False for a model trained on an older version of the prepared records: retrain it."""
        return fits_current_records(self.metrics)


# A link's content is fixed; only ending it is allowed, once.
LINK_ENDS_ONCE = """
IF OLD.ended_at IS NOT NULL THEN
    RAISE EXCEPTION 'An ended link cannot change';
END IF;
IF (to_jsonb(NEW) - ARRAY['ended_at', 'ended_by_id', 'end_reason'])
        IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['ended_at', 'ended_by_id', 'end_reason']) THEN
    RAISE EXCEPTION 'A link cannot change; end it and make a new one';
END IF;
RETURN NEW;
"""


class LinkQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Link(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="links")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="links")
    method = models.CharField(max_length=20, choices=LinkMethod.choices)
    match_probability = models.FloatField(null=True, blank=True)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # History, like the ledger: it outlives the record it names if retention later removes that record.
    matched_with = models.ForeignKey(
        "people.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text="The record this one was matched against",
    )
    review = models.ForeignKey("MatchReview", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    linked_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    linked_by_label = models.CharField(max_length=254)
    linked_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=2000, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    end_reason = models.CharField(max_length=2000, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(ended_at__isnull=True), name="one_current_link"),
            models.CheckConstraint(
                condition=~Q(method="probabilistic") | Q(match_probability__isnull=False),
                name="probabilistic_link_has_probability",
            ),
            models.CheckConstraint(
                condition=~Q(method__in=["manual", "split"]) | Q(linked_by__isnull=False),
                name="manual_link_has_a_person",
            ),
        ]
        indexes = [models.Index(fields=["subject"], condition=Q(ended_at__isnull=True), name="link_current_subject")]
        triggers = [
            pgtrigger.Trigger(
                name="links_end_once",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=LINK_ENDS_ONCE,
            ),
            pgtrigger.Protect(name="links_never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.subject_id} ({self.method})"


class ReviewReason(models.TextChoices):
    PROBABLE = "probable", "Possible match"
    NHS_CONFLICT = "nhs_conflict", "Same NHS number, but the details differ"
    TWIN_LIKE = "twin_like", "Could be a twin or sibling"
    TWIN_OF_MEMBER = "twin_of_member", "Could be a twin of a linked record"
    SAME_ORGANISATION = "same_organisation", "Two records at one organisation"
    WOULD_JOIN = "would_join", "Would join two children already linked elsewhere"
    CHANGED = "changed", "A linked record changed and no longer matches well"
    SEPARATED = "separated", "Separated by a person"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Awaiting review"
    CONFIRMED = "confirmed", "Same child"
    REJECTED = "rejected", "Different children"
    WITHDRAWN = "withdrawn", "No longer needed"


class MatchReview(models.Model):
    """Two records a person must compare: the evidence is kept as it was when they were scored."""

    left = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=30, choices=ReviewReason.choices)
    match_probability = models.FloatField(null=True, blank=True)
    match_weight = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by_label = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(left__lt=models.F("right")), name="review_pair_in_order"),
            models.UniqueConstraint(
                fields=["left", "right"], condition=Q(status="open"), name="one_open_review_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "withdrawn"]) | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="decided_review_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="review_status_created")]
        triggers = [
            pgtrigger.Trigger(
                name="reviews_decided_once",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Q(old__status__in=["confirmed", "rejected", "withdrawn"]),
                func="RAISE EXCEPTION 'A decided review cannot change'; RETURN NULL;",
            ),
            pgtrigger.Protect(name="reviews_never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Review of {self.left_id} and {self.right_id} ({self.status})"

    def other(self, person_id: int) -> int:
        return self.right_id if person_id == self.left_id else self.left_id


class BlockingKey(models.Model):
    """The blocking keys of one record, so a new record finds its candidates by index."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="one_key_per_person")]
        indexes = [models.Index(fields=["key"], name="blocking_key")]

    def __str__(self) -> str:
        return self.key


def default_kinds() -> list[str]:
    from jigsaw.accounts.models import OrganisationKind

    return [kind for kind in OrganisationKind.values if kind != OrganisationKind.PARTNERSHIP]


class LinkageSettings(models.Model):
    """Partnership-wide: one row."""

    auto_link_threshold = models.FloatField(default=0.99)
    review_threshold = models.FloatField(default=0.5)
    organisation_kinds = ArrayField(models.CharField(max_length=30), default=default_kinds)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(review_threshold__gt=0)
                & Q(review_threshold__lt=models.F("auto_link_threshold"))
                & Q(auto_link_threshold__lt=1),
                name="thresholds_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Link automatically at {self.auto_link_threshold}, review from {self.review_threshold}"

    @classmethod
    def current(cls) -> "LinkageSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()
