"""Entries: the append-only record of what happened to or about a person (DESIGN §2).

An entry is never changed. A correction is a new version with a reason that points at
the one it supersedes; the only column that may ever be written after insertion is
`superseded_by`, and only once, which the database enforces.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone

APPEND_ONLY_EXCEPT_SUPERSEDED = """
IF OLD.superseded_by_id IS NOT NULL
   OR (to_jsonb(NEW) - 'superseded_by_id') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by_id') THEN
    RAISE EXCEPTION 'Entries cannot be changed: record a correction instead';
END IF;
RETURN NEW;
"""


def immutable(name: str):
    """Reject UPDATE and DELETE outright (rows that belong to one entry version)."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


def no_truncate(name: str):
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Truncate,
        when=pgtrigger.Before,
        level=pgtrigger.Statement,
        func="RAISE EXCEPTION 'The chronology cannot be truncated'; RETURN NULL;",
    )


class CategoryQuerySet(models.QuerySet):
    def in_area_of(self, organisation):
        """The national categories and those of the organisation's partnership (retired ones too)."""
        return self.filter(Q(local_authority__isnull=True) | Q(local_authority_id=organisation.local_authority_id))

    def offered_to(self, organisation):
        """What someone in the organisation can choose when recording."""
        return self.in_area_of(organisation).filter(active=True)


class Category(models.Model):
    """A concern category: DOMAIN.md's national list, plus any a partnership adds (local)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, null=True, blank=True, related_name="categories",
        help_text="Empty for the national categories; set for a partnership's own",
    )
    serious = models.BooleanField(default=False, help_text="A first concern in this category raises an alert")
    neglect_indicator = models.BooleanField(default=False)
    absence_indicator = models.BooleanField(default=False, help_text="Absence or missing episodes")
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    @property
    def is_local(self) -> bool:
        return self.local_authority_id is not None


class EntryKind(models.TextChoices):
    CONCERN = "concern", "Concern"
    DISCLOSURE = "disclosure", "Disclosure"
    ACTION = "action", "Action"
    TRIAGE = "triage", "Triage decision"
    CONTACT = "contact", "Contact with the family"
    MEETING = "meeting", "Meeting"
    REFERRAL = "referral", "Referral"
    SHARE = "share", "Information shared"
    PLAN = "plan", "Plan"
    NOTE = "note", "Note"


class Entry(models.Model):
    thread = models.UUIDField(default=uuid.uuid4, editable=False, help_text="The same for every version")
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    correction_reason = models.TextField(blank=True)

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    event_date = models.DateField("Date it happened", null=True, blank=True)
    event_time = models.TimeField("Time it happened", null=True, blank=True)
    # The event date, or the date it was recorded when the event date is unknown: the chronology's order.
    sort_date = models.DateField()
    location = models.CharField("Where it happened", max_length=200, blank=True)
    what_happened = models.TextField("What you saw or heard")
    childs_words = models.TextField("The child's own words", blank=True, help_text="Kept exactly as written")
    present = models.CharField("Who was present", max_length=500, blank=True)
    actions_taken = models.TextField("Actions already taken", blank=True)
    categories = ArrayField(models.SlugField(max_length=60), default=list, blank=True)
    triage_outcome = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="A system that raised it, if not a person")
    findings = models.JSONField(default=list, blank=True, help_text="Recording-quality prompts found on saving")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=254)
    api_key = models.ForeignKey("accounts.ApiKey", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sort_date", "-id"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["thread", "version"], name="one_row_per_entry_version"),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True) | Q(version__gt=1, supersedes__isnull=False),
                name="corrections_point_at_what_they_supersede",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction_reason=""), name="corrections_give_a_reason"
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "-sort_date", "-id"], name="entry_current_by_person",
                condition=Q(superseded_by__isnull=True),
            ),
            models.Index(fields=["organisation", "-recorded_at"], name="entry_org_recorded"),
            models.Index(fields=["thread"], name="entry_thread"),
            GinIndex(fields=["categories"], name="entry_categories"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="content_is_append_only",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func=APPEND_ONLY_EXCEPT_SUPERSEDED,
            ),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
            no_truncate("entries_never_truncated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} about {self.person_id} on {self.sort_date}"

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def is_corrected(self) -> bool:
        return self.version > 1

    @property
    def is_disclosure(self) -> bool:
        return bool(self.childs_words)


class InvolvementPart(models.TextChoices):
    SIBLING = "sibling", "Sibling"
    WITNESS = "witness", "Witness"
    ALSO_AFFECTED = "also_affected", "Also harmed or at risk"
    ALLEGED_TO_HAVE_HARMED = "alleged_to_have_harmed", "Alleged to have harmed"


class Involvement(models.Model):
    """Another child named in an entry, and their part. Named as alleged to have harmed is never a victim."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="involvements")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="involvements")
    part = models.CharField(max_length=30, choices=InvolvementPart.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="one_part_per_child_per_entry")]
        triggers = [immutable("involvement_is_append_only")]

    def __str__(self) -> str:
        return f"{self.person_id} as {self.get_part_display().lower()}"


class BodySide(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


class BodyMapMark(models.Model):
    """One mark on the body map: where (as a percentage of the outline), which region, and a note."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="marks")
    side = models.CharField(max_length=5, choices=BodySide.choices)
    region = models.CharField(max_length=40)
    x = models.DecimalField(max_digits=5, decimal_places=2)
    y = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.CharField(max_length=500)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(x__gte=0, x__lte=100, y__gte=0, y__lte=100), name="mark_on_the_map"),
        ]
        triggers = [immutable("mark_is_append_only")]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.region}"

    @property
    def region_label(self) -> str:
        from jigsaw.chronology.bodymap import label_for  # bodymap imports actions, which imports models

        return label_for(self.region)


class Attachment(models.Model):
    """A scanned note or photo, stored outside the web root under a random name."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="attachments")
    stored_name = models.CharField(max_length=80, help_text="Random; never derived from the upload's name")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        triggers = [immutable("attachment_is_append_only")]

    def __str__(self) -> str:
        return self.original_name


class EntryTally(models.Model):
    """Current entries per child, month and category: the trend chart and front sheet without a scan."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="tallies")
    month = models.DateField(help_text="The first day of the month")
    category = models.SlugField(max_length=60)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "month", "category"], name="one_tally_per_month_category"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.category}: {self.count}"
