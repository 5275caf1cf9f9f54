from django.conf import settings

from jigsaw.accounts.roles import CASE_ROLES, GOVERNANCE_ROLES, IDENTITY_ROLES, Role
from jigsaw.sharing.access import ADVISER_ROLES

NAV = {
    "lead_roles": sorted(CASE_ROLES),
    "concern_roles": sorted(IDENTITY_ROLES),
    "audit_roles": sorted({Role.DSL, Role.DEPUTY_DSL, Role.TEAM_MANAGER}),
    "adviser_roles": sorted(ADVISER_ROLES),
    "governance_roles": sorted(GOVERNANCE_ROLES),
}


def jigsaw(request) -> dict:
    actor = getattr(request, "actor", None)
    memberships = []
    if request.user.is_authenticated:
        memberships = list(request.user.active_memberships())
    return {
        "actor": actor,
        "memberships": memberships,
        "partnership_name": settings.JIGSAW_PARTNERSHIP_NAME,
        "nav": NAV,
    }
