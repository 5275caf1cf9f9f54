"""Local authorities, organisations, the people who use Jigsaw and their memberships."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.accounts.roles import Role


class LocalAuthority(models.Model):
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    dfe_number = models.CharField("DfE local authority number", max_length=3, unique=True)
    name = models.CharField(max_length=200)
    office_hours_phone = models.CharField(max_length=30)
    emergency_duty_phone = models.CharField(max_length=30)

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School"
    NURSERY = "nursery", "Nursery"
    COLLEGE = "college", "College"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    MASH = "mash", "Multi-agency safeguarding hub"
    NHS_UNSCHEDULED_CARE = "nhs_unscheduled_care", "NHS unscheduled-care setting"
    NHS_TRUST = "nhs_trust", "NHS trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    POLICE_FORCE = "police_force", "Police force"
    EARLY_HELP = "early_help", "Early help"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    PARTNERSHIP = "partnership", "Safeguarding partnership"


EDUCATION_KINDS = frozenset({OrganisationKind.SCHOOL, OrganisationKind.NURSERY, OrganisationKind.COLLEGE})
NHS_KINDS = frozenset(
    {OrganisationKind.NHS_TRUST, OrganisationKind.NHS_UNSCHEDULED_CARE, OrganisationKind.GP_PRACTICE}
)


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="organisations")
    urn = models.CharField("URN", max_length=6, blank=True, help_text="Unique reference number (schools)")
    ods_code = models.CharField("ODS code", max_length=10, blank=True, help_text="NHS organisation code")
    independent = models.BooleanField(
        default=False, help_text="Independent settings use legitimate interests rather than public task"
    )
    safeguarding_phone = models.CharField(max_length=30, blank=True)
    safeguarding_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["urn"], condition=~Q(urn=""), name="unique_urn"),
            models.UniqueConstraint(fields=["ods_code"], condition=~Q(ods_code=""), name="unique_ods_code"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, full_name: str, password: str | None = None, **extra) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), full_name=full_name, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, full_name: str = "", password: str | None = None, **extra):
        raise ValueError("Jigsaw has no superusers: invite a partnership administrator instead")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Never used: Jigsaw has no Django admin")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def active_memberships(self):
        return self.memberships.filter(ended_at__isnull=True).select_related("organisation")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(ended_at__isnull=True),
                name="one_active_membership_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


API_KEY_PREFIX = "jgs"


class ApiKeyScope(models.TextChoices):
    PEOPLE_READ = "people:read", "Search and read people"
    PEOPLE_WRITE = "people:write", "Add people"
    CONCERNS_WRITE = "concerns:write", "Log concerns (for example from a web-filtering or monitoring system)"
    CHRONOLOGY_READ = "chronology:read", "Read children's chronologies (safeguarding-lead level)"
    SHARING_READ = "sharing:read", "Read and acknowledge information shared with the organisation"
    REQUESTS_WRITE = "requests:write", "Ask other organisations for information"


class ApiKey(models.Model):
    """A key for a system acting for one organisation. Only a hash of the secret is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # The secret is 256 random bits, so a fast hash is enough (no dictionary to attack).
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_token(cls) -> tuple[str, str, str]:
        """Return (prefix, secret, the token shown to the user once)."""
        prefix = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        return prefix, secret, f"{API_KEY_PREFIX}_{prefix}_{secret}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
