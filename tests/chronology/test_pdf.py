import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from weasyprint import HTML

from jigsaw.accounts.actor import Actor
from jigsaw.chronology.pdf import STATIC_DIR, StaticFilesOnly, render_pdf


@pytest.fixture
def request_as_alice(cast):
    request = RequestFactory().get("/anything")
    request.user = cast.alice
    request.actor = Actor.for_membership(cast.alice.memberships.get())
    return request


def test_it_renders_an_a4_pdf_attachment_that_is_never_cached(request_as_alice):
    response = render_pdf(request_as_alice, "pdf/base.html", {}, "chronology of Maya.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-1024:]
    assert response["Content-Disposition"] == 'attachment; filename="chronology of Maya.pdf"'
    assert response["Cache-Control"] == "no-store"


def test_a_filename_with_other_characters_is_still_a_safe_header(request_as_alice):
    response = render_pdf(request_as_alice, "pdf/base.html", {}, 'Zoë "quoted"\r\nX-Evil: 1.pdf')
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "\n" not in header and "\r" not in header


def test_the_print_layout_is_marked_and_says_who_generated_it_and_when(cast):
    now = timezone.now()
    html = render_to_string("pdf/base.html", {
        "generated_at": now, "generated_by": "Alice Adeyemi", "organisation": cast.riverside,
    })
    assert html.count("OFFICIAL-SENSITIVE") >= 3  # header and footer of every page, and the handling note
    assert "size: A4" in html and 'counter(page) " of " counter(pages)' in html
    assert f"Generated {now.astimezone(timezone.get_current_timezone()).day} " in html
    assert "by Alice Adeyemi" in html and "Riverside School" in html


def test_the_pages_are_a4(cast):
    html = render_to_string("pdf/base.html", {"generated_at": timezone.now(), "generated_by": "Alice Adeyemi"})
    page = HTML(string=html).render().pages[0]
    assert (round(page.width * 0.75), round(page.height * 0.75)) == (595, 842)  # CSS px to points


def test_what_is_typed_into_a_record_is_escaped_in_the_pdf(cast):
    html = render_to_string("pdf/base.html", {
        "generated_at": timezone.now(), "generated_by": '<img src="http://example.com/x">', "organisation": None,
    })
    assert '<img src="http://example.com/x">' not in html


def test_it_can_use_the_static_files(request_as_alice):
    fetcher = StaticFilesOnly()
    assert fetcher.fetch("file:///static/jigsaw.css").read()[:100]
    assert fetcher.fetch((STATIC_DIR / "jigsaw.css").as_uri()).read()[:100]
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize("url", [
    "http://example.com/tracker.png",
    "https://169.254.169.254/latest/meta-data/",
    "ftp://example.com/file",
    "file:///etc/passwd",
    (STATIC_DIR / ".." / "settings.py").as_uri(),
    "file:///static/../../settings.py",
    "file:///static/no-such-file.css",
])
def test_it_fetches_nothing_else(url):
    with pytest.raises(ValueError):
        StaticFilesOnly().fetch(url)
