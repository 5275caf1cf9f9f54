"""Who is acting, and for which organisation: a signed-in person or a system's API key."""

from dataclasses import dataclass

from jigsaw.accounts.models import ApiKey, Membership, Organisation, User
from jigsaw.accounts.roles import Role


@dataclass(frozen=True)
class Actor:
    user: User | None
    organisation: Organisation | None
    role: str | None
    membership: Membership | None = None
    api_key: ApiKey | None = None
    ip_address: str | None = None
    system: str = ""  # a scheduled job acting for no one (e.g. "escalation")

    @classmethod
    def for_membership(cls, membership: Membership, ip_address: str | None = None) -> "Actor":
        return cls(
            user=membership.user,
            organisation=membership.organisation,
            role=membership.role,
            membership=membership,
            ip_address=ip_address,
        )

    @classmethod
    def for_api_key(cls, key: ApiKey, ip_address: str | None = None) -> "Actor":
        return cls(user=None, organisation=key.organisation, role=None, api_key=key, ip_address=ip_address)

    @classmethod
    def anonymous(cls, ip_address: str | None = None, user: User | None = None) -> "Actor":
        return cls(user=user, organisation=None, role=None, ip_address=ip_address)

    @classmethod
    def for_system(cls, name: str) -> "Actor":
        return cls(user=None, organisation=None, role=None, system=name)

    def has_role(self, roles) -> bool:
        return self.organisation is not None and self.role in roles

    @property
    def is_partnership_admin(self) -> bool:
        return self.role == Role.PARTNERSHIP_ADMIN

    @property
    def label(self) -> str:
        if self.api_key is not None:
            return f"API key {self.api_key.name} ({self.api_key.prefix})"
        if self.user is not None:
            return self.user.email
        if self.system:
            return f"Jigsaw ({self.system})"
        return "anonymous"
