from django.conf import settings


def jigsaw(request) -> dict:
    actor = getattr(request, "actor", None)
    memberships = []
    if request.user.is_authenticated:
        memberships = list(request.user.active_memberships())
    return {
        "actor": actor,
        "memberships": memberships,
        "partnership_name": settings.JIGSAW_PARTNERSHIP_NAME,
    }
