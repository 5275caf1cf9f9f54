"""Roles a member can hold in an organisation (DESIGN §4) and what each may do."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Member of staff"
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy designated safeguarding lead"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    MASH_OFFICER = "mash_officer", "MASH officer"
    POLICE_OFFICER = "police_officer", "Police officer"
    CLINICIAN = "clinician", "Clinician"
    DPO = "dpo", "Data protection officer"
    CALDICOTT_GUARDIAN = "caldicott_guardian", "Caldicott guardian"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"


# See everything their organisation holds.
CASE_ROLES = frozenset(
    {
        Role.DSL,
        Role.DEPUTY_DSL,
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.MASH_OFFICER,
        Role.POLICE_OFFICER,
    }
)
# See their organisation's people by identity only, to choose a child.
IDENTITY_ROLES = CASE_ROLES | {Role.STAFF}
# Governance: decisions and access records of their organisation, not case content.
GOVERNANCE_ROLES = frozenset({Role.DPO, Role.CALDICOTT_GUARDIAN})
# Who may read "who has looked at this child".
ACCESS_LOG_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.TEAM_MANAGER}) | GOVERNANCE_ROLES


def role_problem(role: str, organisation_kind: str) -> str | None:
    """Why this role cannot be held in an organisation of this kind, or None if it can.

    Administering the partnership is held only in the partnership itself, so that no
    school, trust or force can gain administration by a role change.
    """
    is_partnership = organisation_kind == "partnership"
    if role == Role.PARTNERSHIP_ADMIN and not is_partnership:
        return "Only the safeguarding partnership itself can have partnership administrators"
    if is_partnership and role != Role.PARTNERSHIP_ADMIN:
        return "People in the safeguarding partnership itself can only be partnership administrators"
    return None
