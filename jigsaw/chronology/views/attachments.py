"""Downloading a scanned note or photo: gate, record the export, hand the file over to be saved."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from jigsaw.chronology import access, attachments


@login_required
@require_GET
def download(request, attachment_id):
    attachment = access.get_attachment_for(request.actor, attachment_id)
    stored = attachments.open_for_download(attachment)
    attachments.do_record_download(acting=request.actor, attachment=attachment)
    response = FileResponse(
        stored, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    # Never let a browser render it in our origin, whatever it turns out to contain.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response
