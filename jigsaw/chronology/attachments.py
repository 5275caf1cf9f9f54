"""Scanned notes and photos attached to an entry: checked, stored privately, handed back safely.

Files live under PRIVATE_FILES_ROOT (outside every static and media root) under random names,
so nothing a user typed ever becomes part of a path. What a file claims to be (its name) must
agree with what it is (its first bytes), and nothing that a browser could run as a page is
accepted, whatever it is called.

HEIC is not accepted: browsers cannot show it, Pillow cannot check it without an extra plugin,
and phones offer JPEG when a web page asks for one, which the concern form does.
"""

import hashlib
import logging
import os
import re
import secrets
import tempfile
import unicodedata
import warnings
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from PIL import Image, ImageFile

from jigsaw.accounts.actor import Actor
from jigsaw.audit.events import record
from jigsaw.audit.models import Action
from jigsaw.chronology.models import Attachment

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
KIND_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG image", "image/png": "PNG image"}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}

SNIFF_BYTES = 64 * 1024  # well past the 1,445 bytes a browser reads when it guesses a type
# A tag must be followed by a space, '>' or '/': bare "<svg" or "<head" turn up by chance in the
# compressed data of roughly one genuine photo in a few thousand, which would then be refused.
MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?php)[\s>/]|javascript:", re.IGNORECASE
)
PDF_ACTIVE_CONTENT = (b"/javascript", b"/launch", b"/embeddedfile")
STORED_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{40}$")
TEMPORARY_PREFIX = ".upload-"
MAX_NAME = 200

NOT_A_PDF_JPEG_OR_PNG = "The selected file must be a PDF, JPEG or PNG"

logger = logging.getLogger(__name__)


def safe_name(name: str) -> str:
    """The upload's base name without folders or control characters, short enough to keep."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C"))
    base = base.strip().lstrip(".").strip()
    if len(base) > MAX_NAME:
        stem, dot, extension = base.rpartition(".")
        keep_extension = dot and len(extension) < 10
        base = (stem[: MAX_NAME - len(extension) - 1] + dot + extension) if keep_extension else base[:MAX_NAME]
    return base or "attachment"


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _head(upload, size: int = SNIFF_BYTES) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _contains(upload, needles) -> bool:
    """Whether any needle (lower case) is in the file, read in chunks that overlap."""
    overlap = max(len(n) for n in needles)
    tail = b""
    upload.seek(0)
    for chunk in upload.chunks():
        window = (tail + chunk).lower()
        if any(n in window for n in needles):
            upload.seek(0)
            return True
        tail = window[-overlap:]
    upload.seek(0)
    return False


def _check_size(upload) -> None:
    if not upload.size:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > MAX_BYTES:
        raise ValidationError("The file must be smaller than 10 MB", code="too_big")


def _check_signature(head: bytes, extension: str) -> str:
    kind = filetype.guess(head)
    found = kind.mime if kind else None
    if found not in KIND_NAMES:
        raise ValidationError(
            "The file is not really a PDF, JPEG or PNG: it may be damaged or saved in another format",
            code="signature",
        )
    if found != ALLOWED[extension]:
        raise ValidationError(
            f"The file is named .{extension} but it is a {KIND_NAMES[found]}: rename it or save it again",
            code="mismatch",
        )
    return found


def _check_no_markup(head: bytes) -> None:
    if MARKUP.search(head):
        raise ValidationError(
            "The file contains web page code (HTML or a script), so it cannot be attached. "
            "Scan or photograph the note again",
            code="markup",
        )


@contextmanager
def _strict_decoding():
    """WeasyPrint, once imported, tells Pillow to pad cut-short images silently; not while we check one."""
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _check_image(upload, content_type: str) -> None:
    upload.seek(0)
    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # verify() checks nothing in a JPEG: decoding finds one cut short
    except Exception as error:
        raise ValidationError(
            f"The {KIND_NAMES[content_type]} is damaged and cannot be opened: scan or photograph it again",
            code="damaged",
        ) from error
    finally:
        upload.seek(0)
    if image_format != PILLOW_FORMATS[content_type]:
        raise ValidationError(f"The file is not really a {KIND_NAMES[content_type]}", code="signature")


def _check_pdf(upload) -> None:
    if _contains(upload, PDF_ACTIVE_CONTENT):
        raise ValidationError(
            "The PDF contains scripts or embedded files, so it cannot be attached. "
            "Print it to a new PDF or scan the paper again",
            code="active_content",
        )


def validate(upload) -> None:
    """Refuse, with a message a person can act on, anything that is not a plain PDF, JPEG or PNG."""
    _check_size(upload)
    extension = extension_of(safe_name(upload.name))
    if extension not in ALLOWED:
        raise ValidationError(NOT_A_PDF_JPEG_OR_PNG, code="extension")
    head = _head(upload)
    _check_no_markup(head)  # first, so a web page named photo.png is told why it is refused
    content_type = _check_signature(head, extension)
    if content_type in PILLOW_FORMATS:
        _check_image(upload, content_type)
    else:
        _check_pdf(upload)


# Storage --------------------------------------------------------------------------------


def _root() -> Path:
    return Path(settings.PRIVATE_FILES_ROOT)


def _private_dir(path: Path) -> None:
    """Make each missing folder readable by this service alone."""
    for folder in reversed([path, *path.parents]):
        if folder.exists():
            continue
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(folder, 0o700)  # mkdir's mode is narrowed by the umask, never widened


def _write(upload, folder: Path, final: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX)  # created 0600
    try:
        with os.fdopen(descriptor, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValidationError("The file must be smaller than 10 MB", code="too_big")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return size, digest.hexdigest()


def store(upload) -> dict:
    """Check the upload and keep it privately; returns the Attachment fields that describe it.

    If the caller's transaction rolls back, the file stays with no row pointing at it until
    `sweep_orphans` removes it.
    """
    validate(upload)
    token = secrets.token_hex(20)
    stored_name = f"{token[:2]}/{token[2:4]}/{token}"
    final = _root() / stored_name
    _private_dir(final.parent)
    size, sha256 = _write(upload, final.parent, final)
    original = safe_name(upload.name)
    return {
        "stored_name": stored_name,
        "original_name": original,
        "content_type": ALLOWED[extension_of(original)],
        "size": size,
        "sha256": sha256,
    }


def path_of(attachment: Attachment) -> Path:
    """The stored file's path, refusing any name that is not ours or that leads outside the root."""
    root = _root().resolve()
    if not STORED_NAME.match(attachment.stored_name or ""):
        raise Http404
    path = (root / attachment.stored_name).resolve()
    if not path.is_relative_to(root):
        raise Http404
    return path


def open_for_download(attachment: Attachment):
    try:
        descriptor = os.open(path_of(attachment), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        logger.error("Attachment %s: its stored file cannot be opened (%s)", attachment.pk, error)
        raise Http404 from error
    return os.fdopen(descriptor, "rb")


def do_record_download(*, acting: Actor, attachment: Attachment) -> None:
    with transaction.atomic():
        record(acting, Action.EXPORT, obj=attachment, person=attachment.entry.person,
               detail={"download": "attachment"})


# Orphans --------------------------------------------------------------------------------


def _stored_files(root: Path):
    for folder, _subfolders, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if not path.is_symlink():
                yield path


def _referenced(names: list[str]) -> set[str]:
    from jigsaw.sharing.models import Agreement  # signed agreements are stored here too

    found = set(Attachment.objects.filter(stored_name__in=names).values_list("stored_name", flat=True))
    return found | set(
        Agreement.objects.filter(document_stored_name__in=names).values_list("document_stored_name", flat=True)
    )


def _orphans(root: Path, cutoff: float):
    batch: dict[str, Path] = {}
    for path in _stored_files(root):
        if path.stat().st_mtime >= cutoff:
            continue  # may belong to a transaction that has not committed yet
        name = path.relative_to(root).as_posix()
        if path.name.startswith(TEMPORARY_PREFIX):
            yield path
        elif STORED_NAME.match(name):
            batch[name] = path
        if len(batch) >= 500:
            referenced = _referenced(list(batch))
            yield from (p for n, p in batch.items() if n not in referenced)
            batch = {}
    if batch:
        referenced = _referenced(list(batch))
        yield from (p for n, p in batch.items() if n not in referenced)


def sweep_orphans(older_than: timedelta = timedelta(days=1)) -> int:
    """Delete stored files that no attachment or agreement refers to (left by uploads never saved)."""
    root = _root()
    if not root.is_dir():
        return 0
    cutoff = (timezone.now() - older_than).timestamp()
    removed = 0
    for path in list(_orphans(root, cutoff)):
        path.unlink(missing_ok=True)
        removed += 1
    if removed:
        record(Actor.for_system("attachment sweep"), Action.ADMINISTER, detail={"orphan_files_removed": removed})
    return removed
