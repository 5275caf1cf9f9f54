"""People (children and adults) held by one organisation, and how they are related."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.guidance.identifiers import format_nhs_number


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"
    NOT_SPECIFIED = "not_specified", "Not specified"


class Person(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    other_names = models.CharField(
        max_length=300, blank=True, help_text="Previous names, nicknames and other spellings"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_KNOWN)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    nhs_number_absent_reason = models.CharField(
        "Why the NHS number is not recorded", max_length=500, blank=True
    )
    upn = models.CharField("Unique pupil number", max_length=13, blank=True, db_index=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    school = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="pupils"
    )
    protected_identity = models.BooleanField(
        default=False, help_text="Redacted from everything shared outside the organisation"
    )
    protected_identity_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["organisation", "family_name"], name="person_org_family")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(nhs_number="") | ~Q(nhs_number_absent_reason=""),
                name="nhs_number_or_reason_for_its_absence",
            ),
            models.CheckConstraint(
                condition=Q(protected_identity=False) | ~Q(protected_identity_reason=""),
                name="protected_identity_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else ""

    def age_on(self, day) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    PARTNER_OF_PARENT = "partner_of_parent", "Partner of parent"
    ADULT_IN_CONTACT = "adult_in_contact", "Adult in contact"
    OTHER = "other", "Other"


# Read "relative is the <kind> of person"; the inverse label for the other side.
INVERSE_LABEL = {
    RelationshipKind.PARENT: "Child",
    RelationshipKind.CARER: "Cared for",
    RelationshipKind.SIBLING: "Sibling",
    RelationshipKind.HOUSEHOLD_MEMBER: "Household member",
    RelationshipKind.PARTNER_OF_PARENT: "Partner's child",
    RelationshipKind.ADULT_IN_CONTACT: "Child in contact",
    RelationshipKind.OTHER: "Other",
}


class Relationship(models.Model):
    """`relative` is the `kind` of `person` (e.g. relative is the parent of person)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_as_relative")
    kind = models.CharField(max_length=30, choices=RelationshipKind.choices)
    lives_with = models.BooleanField(default=False, help_text="They share a household")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="unique_relationship"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="not_related_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.relative} is {self.get_kind_display().lower()} of {self.person}"


class PersonChange(models.Model):
    """One saved edit of a Person: who changed which fields, from what to what, and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_by_label = models.CharField(max_length=254)
    changed_at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(help_text='{"field": ["before", "after"]}')

    class Meta:
        ordering = ["-changed_at", "-id"]
        triggers = [pgtrigger.Protect(name="history_is_append_only", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.changed_by_label} changed {', '.join(self.changes)}"
