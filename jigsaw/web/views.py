from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jigsaw.accounts.access import can_administer
from jigsaw.chronology import access as chronology_access
from jigsaw.people import access as people_access


@login_required
def home(request):
    actor = request.actor
    return render(request, "web/home.html", {
        "can_search_people": people_access.can(actor, people_access.VIEW),
        "can_add_people": people_access.can(actor, people_access.CREATE),
        "can_administer": can_administer(actor),
        "can_log_concern": chronology_access.can(actor, chronology_access.LOG_CONCERN),
        "can_triage": chronology_access.can(actor, chronology_access.TRIAGE),
        "can_audit": chronology_access.can(actor, chronology_access.AUDIT_FILES),
        "waiting": chronology_access.inbox_of(actor).count(),
    })


@require_GET
def privacy(request):
    return render(request, "web/privacy.html")


@require_GET
def healthz(request):
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)
