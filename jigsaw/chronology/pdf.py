"""Render a page as an A4 PDF for download (WeasyPrint), for any template extending pdf/base.html.

The PDF may only pull in Jigsaw's own static files: anything else (another host, another
path on disk) is refused, so nothing in a record can make the server fetch a URL. The caller
records the export in the ledger; this module only renders.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(settings.STATICFILES_DIRS[0])


class StaticFilesOnly(URLFetcher):
    """Serve `/static/…` and files inside the static directory; refuse every other URL."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            raise ValueError(f"PDFs may only use Jigsaw's static files, not {parts.scheme}: URLs")
        path = _static_path(unquote(parts.path))
        if path is None:
            raise ValueError("PDFs may only use Jigsaw's static files")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


def _static_path(path: str) -> Path | None:
    if path.startswith(settings.STATIC_URL):
        try:
            found = finders.find(path.removeprefix(settings.STATIC_URL))
        except SuspiciousFileOperation:
            return None
        return Path(found).resolve() if found else None
    candidate = Path(path).resolve()
    return candidate if candidate.is_relative_to(STATIC_DIR.resolve()) and candidate.is_file() else None


def generated_by(actor) -> str:
    if actor.user is not None:
        return actor.user.full_name or actor.user.email
    return actor.label


def render_pdf(request, template_name: str, context: dict, filename: str) -> HttpResponse:
    """An attachment that is never cached, marked and dated by who generated it and when."""
    actor = request.actor
    context = {
        **context,
        "generated_at": timezone.now(),
        "generated_by": generated_by(actor),
        "organisation": actor.organisation,
    }
    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticFilesOnly())
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
