"""Recipients outside the partnership: a secret link, a code given by phone, a few watermarked downloads.

They have no account, so these two pages need no sign-in: the link and the code are the gate.
The link's token is hashed before it is looked up, as it is stored. Every page here is kept out
of caches, search engines and Referer headers, because the token is in its address.
"""

import hashlib
import time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST
from weasyprint import HTML

from jigsaw.accounts.middleware import client_ip
from jigsaw.chronology.pdf import STATIC_DIR, StaticFilesOnly
from jigsaw.sharing import access, actions
from jigsaw.sharing.forms.receive import CodeForm
from jigsaw.web.templatetags.govuk import govuk_date

VERIFIED_FOR_SECONDS = 30 * 60


def _private(view):
    """The token is in the address: no caching, no indexing, no Referer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def _session_key(link) -> str:
    return f"external:{link.pk}"


def _remember(request, link) -> None:
    request.session.cycle_key()
    request.session[_session_key(link)] = time.time() + VERIFIED_FOR_SECONDS


def _verified(request, link) -> bool:
    until = request.session.get(_session_key(link))
    return isinstance(until, int | float) and until > time.time()


def _gone(request, link, status: int):
    """One page for every dead link: unknown (404) or known but expired, revoked, used up or locked (410)."""
    sender = link.disclosure.sender if link is not None else None
    return render(request, "sharing/external_gone.html", {"sender": sender}, status=status)


def _live_link(token: str):
    """(link, None) when the link can be used, else (link or None, the status to answer: 404 or 410)."""
    link = access.link_for_token(hashlib.sha256(token.encode()).hexdigest())
    if link is None:
        return None, 404
    if not link.is_usable():
        return link, 410
    return link, None


def _code_page(request, link, token, form, status=200, notice=""):
    return render(request, "sharing/external_code.html", {
        "link": link, "token": token, "form": form, "sender": link.disclosure.sender, "notice": notice,
        "tries_left": link.MAX_FAILED_CODES - link.failed_codes,
    }, status=status)


def _ready_page(request, link, token):
    return render(request, "sharing/external_ready.html", {
        "link": link, "token": token, "disclosure": link.disclosure, "decision": link.disclosure.decision,
        "sender": link.disclosure.sender, "downloads_left": link.max_downloads - link.downloads,
    })


@_private
@require_http_methods(["GET", "POST"])
def open_link(request, token):
    link, dead = _live_link(token)
    if dead:
        return _gone(request, link, dead)
    if request.method == "GET":
        if _verified(request, link):
            return _ready_page(request, link, token)
        return _code_page(request, link, token, CodeForm())
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, link, token, form, status=400)
    if actions.do_check_external_code(link=link, code=form.cleaned_data["code"], ip_address=client_ip(request)):
        _remember(request, link)
        return redirect("external_disclosure", token)
    link.refresh_from_db(fields=["failed_codes", "revoked_at", "downloads", "expires_at"])
    if not link.is_usable():
        return _gone(request, link, 410)
    tries = link.MAX_FAILED_CODES - link.failed_codes
    form.add_error("code", f"The code is not right. Check it with the sender. You can try {tries} more "
                           f"time{'s' if tries != 1 else ''} before the link stops working.")
    return _code_page(request, link, token, form, status=400)


@_private
def download(request, token):
    link, dead = _live_link(token)
    if dead:
        return _gone(request, link, dead)
    if not _verified(request, link):
        return _code_page(request, link, token, CodeForm(), status=403,
                          notice="Enter the code the sender gave you before you download the information.")
    try:
        link = actions.do_external_download(link=link, ip_address=client_ip(request))
    except ValidationError:
        return _gone(request, link, 410)
    return _watermarked_pdf(request, link.disclosure)


def _watermarked_pdf(request, disclosure) -> HttpResponse:
    decision, snapshot, now = disclosure.decision, disclosure.snapshot, timezone.now()
    html = render_to_string("sharing/disclosure_pdf.html", {
        "disclosure": disclosure, "decision": decision, "content": snapshot.content,
        "redaction_count": snapshot.redaction_count,
        "watermark": f"For {decision.external_name} ({decision.external_role}), downloaded {govuk_date(now)}",
        "generated_at": now, "generated_by": f"{decision.external_name}, through a secure link",
        "organisation": disclosure.sender,
    }, request=request)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticFilesOnly())
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    filename = f"safeguarding-information-{timezone.localdate(now):%Y-%m-%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
@require_POST
def revoke_link(request, disclosure_id):
    actor = request.actor
    disclosure = access.get_disclosure_for(actor, disclosure_id, access.SHARE)
    try:
        link = disclosure.external_link
    except ObjectDoesNotExist:
        messages.info(request, "This was not sent by a secure link, so there is no link to stop.")
        return redirect("disclosure", disclosure.pk)
    if link.revoked_at is not None:
        messages.info(request, "This link had already been stopped.")
        return redirect("disclosure", disclosure.pk)
    actions.do_revoke_external_link(acting=actor, disclosure=disclosure)
    messages.success(request, f"The link has been stopped. {disclosure.decision.external_name} can no longer "
                              "open or download the information.")
    return redirect("disclosure", disclosure.pk)
