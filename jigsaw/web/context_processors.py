from django.conf import settings

from jigsaw.accounts.roles import CASE_ROLES, IDENTITY_ROLES, Role

NAV = {
    "lead_roles": sorted(CASE_ROLES),
    "concern_roles": sorted(IDENTITY_ROLES),
    "audit_roles": sorted({Role.DSL, Role.DEPUTY_DSL, Role.TEAM_MANAGER}),
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
