"""Scanned notes and photos: what is refused, how files are stored, who may download them, and sweeping."""

import hashlib
import io
import os
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import attachments
from jigsaw.chronology.models import Attachment
from tests.chronology.conftest import log
from tests.chronology.uploads import png_bytes


def jpeg_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def png_with_text(text: str) -> bytes:
    """A genuine PNG carrying `text` in a metadata chunk, as a camera or editor might write."""
    info = PngInfo()
    info.add_text("Comment", text)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 255, 255)).save(buffer, format="PDF")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(file) -> str:
    with pytest.raises(ValidationError) as refused:
        attachments.validate(file)
    return refused.value.messages[0]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def photo(cast):
    """Bob's concern about Maya, with a photo of the note he made."""
    concern = log(cast.bob, cast.maya, uploads=[upload("bruise.png", png_bytes(), "image/png")])
    return concern.first_entry.attachments.get()


# What is refused ------------------------------------------------------------------------


def test_it_refuses_an_empty_file():
    assert refusal(upload("note.png", b"")) == "The selected file is empty"


def test_it_refuses_a_file_over_10_mb():
    too_big = png_bytes() + b"\0" * attachments.MAX_BYTES
    assert refusal(upload("note.png", too_big)) == "The file must be smaller than 10 MB"


def test_it_refuses_a_type_it_does_not_take():
    assert refusal(upload("note.docx", b"PK\x03\x04 a word document")) == "The selected file must be a PDF, JPEG or PNG"


def test_it_refuses_a_file_without_an_extension():
    assert refusal(upload("note", png_bytes())) == "The selected file must be a PDF, JPEG or PNG"


def test_it_refuses_a_png_renamed_pdf():
    message = refusal(upload("note.pdf", png_bytes(), "application/pdf"))
    assert message == "The file is named .pdf but it is a PNG image: rename it or save it again"


def test_it_refuses_random_bytes_named_jpg():
    message = refusal(upload("photo.jpg", os.urandom(4096), "image/jpeg"))
    assert message.startswith("The file is not really a PDF, JPEG or PNG")


def test_it_refuses_a_web_page_saved_as_a_photo():
    message = refusal(upload("photo.png", b"<html><script>alert(document.cookie)</script></html>", "image/png"))
    assert message.startswith("The file contains web page code (HTML or a script), so it cannot be attached")


def test_it_refuses_a_png_header_followed_by_html():
    disguised = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"<html><body><script>alert(1)</script>"
    assert refusal(upload("photo.png", disguised, "image/png")).startswith("The file contains web page code")


def test_it_refuses_an_svg_named_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert refusal(upload("photo.png", svg, "image/png")).startswith("The file contains web page code")


def test_it_refuses_a_real_png_carrying_a_script_in_its_metadata():
    assert refusal(upload("photo.png", png_with_text("<script>alert(1)</script>"))).startswith(
        "The file contains web page code"
    )


def test_it_accepts_a_photo_whose_data_merely_contains_the_letters_of_a_tag():
    attachments.validate(upload("photo.png", png_with_text("<svgx<headline<bodyguard")))


def test_it_refuses_a_damaged_image():
    damaged = png_bytes(size=(64, 64))[:-40]
    assert refusal(upload("photo.png", damaged, "image/png")).startswith("The PNG image is damaged")


def test_it_refuses_a_photo_cut_short_even_once_weasyprint_is_loaded(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    photo = jpeg_bytes(size=(256, 256))
    assert refusal(upload("photo.jpg", photo[: len(photo) // 2])).startswith("The JPEG image is damaged")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_it_refuses_a_pdf_that_runs_a_script():
    script = b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    scripted = pdf_bytes().replace(b"/Type /Catalog", script)
    assert script in scripted
    assert refusal(upload("note.pdf", scripted)).startswith("The PDF contains scripts or embedded files")


def test_it_trusts_the_contents_not_the_browsers_content_type(private_root):
    stored = attachments.store(upload("photo.png", png_bytes(), content_type="text/html"))
    assert stored["content_type"] == "image/png"


# Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\photo.png", "photo.png"),
        ("photo\x00\r\n.png", "photo.png"),
        ("gnp\u202e.photo.png", "gnp.photo.png"),
        ("...", "attachment"),
    ],
)
def test_it_reduces_a_name_to_a_safe_base_name(given, kept):
    assert attachments.safe_name(given) == kept


def test_it_stores_a_path_traversal_name_safely(private_root):
    stored = attachments.store(upload("../../etc/passwd.png", png_bytes()))
    assert stored["original_name"] == "passwd.png"
    assert (private_root / stored["stored_name"]).resolve().is_relative_to(private_root.resolve())
    assert "passwd" not in stored["stored_name"]


# Storing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [("photo.png", png_bytes, "image/png"), ("photo.jpeg", jpeg_bytes, "image/jpeg"),
     ("note.pdf", pdf_bytes, "application/pdf")],
)
def test_it_stores_a_valid_file_privately(private_root, name, make, content_type):
    content = make()
    stored = attachments.store(upload(name, content))
    path = private_root / stored["stored_name"]
    assert path.read_bytes() == content
    assert stored == {
        "stored_name": stored["stored_name"], "original_name": name, "content_type": content_type,
        "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, private_root):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_it_names_stored_files_at_random_in_shards(private_root):
    first = attachments.store(upload("photo.png", png_bytes()))["stored_name"]
    second = attachments.store(upload("photo.png", png_bytes()))["stored_name"]
    assert first != second
    shard, subshard, name = first.split("/")
    assert (shard, subshard) == (name[:2], name[2:4]) and len(name) == 40


def test_it_leaves_no_temporary_file_behind(private_root):
    stored = attachments.store(upload("photo.png", png_bytes()))
    folder = (private_root / stored["stored_name"]).parent
    assert [p.name for p in folder.iterdir()] == [stored["stored_name"].rsplit("/", 1)[1]]


def test_it_stores_nothing_under_the_static_roots(private_root):
    path = (private_root / attachments.store(upload("photo.png", png_bytes()))["stored_name"]).resolve()
    for static_root in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        assert not path.is_relative_to(Path(static_root).resolve())


def test_the_default_private_root_is_outside_the_static_roots():
    root = Path(django_settings.PRIVATE_FILES_ROOT).resolve()
    for static_root in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        static_root = Path(static_root).resolve()
        assert not root.is_relative_to(static_root) and not static_root.is_relative_to(root)


@pytest.mark.parametrize("stored_name", ["../../etc/passwd", "/etc/passwd", "", "ab/cd/../../../../etc/passwd"])
def test_it_refuses_to_open_a_stored_name_outside_the_private_root(stored_name):
    with pytest.raises(Http404):
        attachments.open_for_download(Attachment(stored_name=stored_name))


def test_it_refuses_to_follow_a_link_out_of_the_private_root(private_root, tmp_path):
    stored_name = attachments.store(upload("photo.png", png_bytes()))["stored_name"]
    secret = tmp_path / "secret.txt"
    secret.write_text("not an attachment")
    (private_root / stored_name).unlink()
    (private_root / stored_name).symlink_to(secret)
    with pytest.raises(Http404):
        attachments.open_for_download(Attachment(stored_name=stored_name))


# Downloading ----------------------------------------------------------------------------


def test_alice_the_safeguarding_lead_can_download_it(cast, signed_in, photo):
    response = signed_in(cast.alice).get(reverse("attachment", args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="bruise.png"'


def test_bob_can_download_what_he_attached(cast, signed_in, photo):
    assert signed_in(cast.bob).get(reverse("attachment", args=[photo.pk])).status_code == 200


@pytest.mark.parametrize("who", ["carol", "dan", "erin"])
def test_it_hides_it_from_anyone_else(cast, signed_in, photo, who):
    response = signed_in(getattr(cast, who)).get(reverse("attachment", args=[photo.pk]))
    assert response.status_code == 404


def test_it_hides_another_persons_entry_from_bob(cast, signed_in):
    concern = log(cast.alice, cast.maya, uploads=[upload("note.png", png_bytes())])
    attachment = concern.first_entry.attachments.get()
    assert signed_in(cast.bob).get(reverse("attachment", args=[attachment.pk])).status_code == 404


def test_it_answers_404_for_an_attachment_that_does_not_exist(cast, signed_in):
    assert signed_in(cast.alice).get(reverse("attachment", args=[999999])).status_code == 404


def test_it_asks_an_anonymous_visitor_to_sign_in(client, photo):
    response = client.get(reverse("attachment", args=[photo.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_only_answers_get(cast, signed_in, photo):
    assert signed_in(cast.alice).post(reverse("attachment", args=[photo.pk])).status_code == 405


def test_it_forbids_the_browser_from_rendering_or_keeping_it(cast, signed_in, photo):
    response = signed_in(cast.alice).get(reverse("attachment", args=[photo.pk]))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"


def test_each_download_is_recorded(cast, signed_in, photo):
    client = signed_in(cast.alice)
    url = reverse("attachment", args=[photo.pk])
    client.get(url)
    client.get(url)
    events = AccessEvent.objects.filter(action=Action.EXPORT, object_type="chronology.attachment",
                                        object_id=str(photo.pk))
    assert events.count() == 2
    assert all(e.user == cast.alice and e.person == cast.maya for e in events)
    assert events.first().detail == {"download": "attachment"}


def test_a_refused_download_is_recorded_as_a_denial(cast, signed_in, photo):
    signed_in(cast.carol).get(reverse("attachment", args=[photo.pk]))
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=cast.carol,
                                      object_type="chronology.attachment").exists()
    assert not AccessEvent.objects.filter(action=Action.EXPORT, user=cast.carol).exists()


def test_a_missing_stored_file_is_404_not_an_error(cast, signed_in, photo, private_root):
    (private_root / photo.stored_name).unlink()
    assert signed_in(cast.alice).get(reverse("attachment", args=[photo.pk])).status_code == 404


# The partial ----------------------------------------------------------------------------


def test_the_list_links_each_attachment_with_its_size(photo):
    html = render_to_string("chronology/_attachments.html", {"entry": photo.entry})
    assert reverse("attachment", args=[photo.pk]) in html
    assert "Download bruise.png" in html
    assert f"{photo.size}\xa0bytes" in html


def test_the_list_says_when_nothing_is_attached(cast):
    entry = log(cast.bob, cast.maya).first_entry
    html = render_to_string("chronology/_attachments.html", {"entry": entry})
    assert "No scanned notes or photos are attached to this entry." in html


# Sweeping -------------------------------------------------------------------------------


def age(path: Path, days: int = 2) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_sweeping_removes_an_old_file_nothing_refers_to_and_keeps_the_rest(private_root, photo):
    orphan = private_root / attachments.store(upload("lost.png", png_bytes()))["stored_name"]
    recent = private_root / attachments.store(upload("new.png", png_bytes()))["stored_name"]
    referenced = private_root / photo.stored_name
    age(orphan)
    age(referenced)
    assert attachments.sweep_orphans(older_than=timedelta(days=1)) == 1
    assert not orphan.exists()
    assert referenced.exists() and recent.exists()


def test_sweeping_is_recorded_in_the_ledger(private_root, db):
    age(private_root / attachments.store(upload("lost.png", png_bytes()))["stored_name"])
    attachments.sweep_orphans()
    event = AccessEvent.objects.get(action=Action.ADMINISTER)
    assert event.detail == {"orphan_files_removed": 1}


def test_sweeping_removes_abandoned_temporary_files_but_nothing_it_did_not_write(private_root, db):
    stored = private_root / attachments.store(upload("photo.png", png_bytes()))["stored_name"]
    temporary = stored.parent / f"{attachments.TEMPORARY_PREFIX}abandoned"
    stranger = stored.parent / "readme.txt"
    for path in (temporary, stranger):
        path.write_bytes(b"x")
        age(path)
    age(stored)
    assert attachments.sweep_orphans() == 2
    assert stranger.exists() and not temporary.exists() and not stored.exists()


def test_the_sweep_command_reports_what_it_deleted(private_root, db, capsys):
    age(private_root / attachments.store(upload("lost.png", png_bytes()))["stored_name"])
    call_command("sweep_attachments")
    assert "Deleted 1 unreferenced file." in capsys.readouterr().out


def test_sweeping_an_empty_root_deletes_nothing(db):
    assert attachments.sweep_orphans() == 0
