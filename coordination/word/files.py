"""What a .docx must be before anything reads it: a real, small Word document without macros.

Every check runs on the zip's directory only, before one byte is decompressed: a file that
would unpack to gigabytes (a zip bomb) is refused by its declared sizes, and a part whose
real size exceeds what it declared stops the reading (see `read_part`).
"""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {"w": W}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .docx is an OLE container holding these streams (names in UTF-16).
_ENCRYPTED = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
# Unpacked, a draft is text and styles: a few megabytes even for a long one.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARTS = 2000
# The XML parts are what is parsed and converted: a 300-page draft's text is 2-3 MB of it, and
# converting 5 MB takes mammoth some 20 s.
MAX_XML_PART_BYTES = 5 * 1024 * 1024
# Text compresses some 10:1 in a .docx; a part packed 200 times or more was made to unpack.
MAX_RATIO = 200
MAIN_PART = "word/document.xml"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

# One parser for every part: no entities resolved, no network, no huge trees.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class WordFileError(ValidationError):
    """A file that is refused, with the sentence that says why."""


def _refuse(message, code, **params):
    raise WordFileError(message, code=code, params=params or None)


def open_docx(file) -> zipfile.ZipFile:
    """The upload as an open zip, once every check has passed; `file` is an uploaded file."""
    limit = settings.ANNEX_MAX_UPLOAD_BYTES
    if file.size > limit:
        _refuse(
            _("This file is %(size)s; the limit is %(limit)s."),
            "file_size",
            size=filesizeformat(file.size),
            limit=filesizeformat(limit),
        )
    extension = Path(file.name or "").suffix.lower()
    if extension == ".docm":
        _refuse(_MACROS, "macros")
    file.seek(0)
    data = file.read()
    if data.startswith(_OLE):
        if any(marker in data for marker in _ENCRYPTED):
            _refuse(
                _(
                    "This Word file is protected by a password. Remove the password in Word "
                    "(File › Info › Protect Document), save, and upload it again."
                ),
                "encrypted",
            )
        _refuse(
            _("This is an old Word file (.doc). Save it as .docx in Word and upload it again."),
            "old_doc",
        )
    if extension != ".docx" or not zipfile.is_zipfile(io.BytesIO(data)):
        _refuse(_NOT_DOCX, "not_docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(_NOT_DOCX, "not_docx")
    unpacked = sum(part.file_size for part in parts)
    if (
        len(parts) > MAX_PARTS
        or unpacked > MAX_UNPACKED_BYTES
        or any(
            part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * part.compress_size
            for part in parts
        )
    ):
        _refuse(
            _("This file would unpack to %(size)s, more than a draft can be (%(limit)s)."),
            "too_big_unpacked",
            size=filesizeformat(unpacked),
            limit=filesizeformat(MAX_UNPACKED_BYTES),
        )
    text_size = max(
        (part.file_size for part in parts if part.filename.endswith((".xml", ".rels"))),
        default=0,
    )
    if text_size > MAX_XML_PART_BYTES:
        _refuse(
            _(
                "This file's text is too long to import here (%(size)s of Word XML; the limit "
                "is %(limit)s). Split the document into parts, or remove what it need not hold."
            ),
            "too_much_text",
            size=filesizeformat(text_size),
            limit=filesizeformat(MAX_XML_PART_BYTES),
        )
    names = {part.filename for part in parts}
    if MAIN_PART not in names or _main_part(archive) != MAIN_PART:
        # the readers here and mammoth must read the same part: the one the package names
        _refuse(_NOT_DOCX, "not_docx")
    content_types = read_part(archive, "[Content_Types].xml") or b""
    if any(name.lower().endswith("vbaproject.bin") for name in names) or (
        b"macroEnabled" in content_types
    ):
        _refuse(_MACROS, "macros")
    return archive


def _main_part(archive) -> str | None:
    relationships = parse_part(archive, "_rels/.rels")
    if relationships is None:
        return None
    for relationship in relationships:
        if relationship.get("Type") == OFFICE_DOCUMENT:
            return relationship.get("Target", "").lstrip("/")
    return None


_NOT_DOCX = _("This is not a Word document (.docx). Save it as .docx in Word and upload it again.")
_MACROS = _(
    "Word files with macros (.docm) are not accepted. Save it as a Word Document (.docx), "
    "without macros, and upload it again."
)


def read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A part's bytes, read no further than its declared size (a lying header stops here)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        _refuse(_NOT_DOCX, "not_docx")  # RuntimeError: a part encrypted with a zip password
    if len(data) > info.file_size:
        _refuse(_NOT_DOCX, "not_docx")
    return data


def parse_part(archive: zipfile.ZipFile, name: str):
    """A part as an XML tree (None when absent); a part that is not XML refuses the file."""
    data = read_part(archive, name)
    if data is None:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        _refuse(_NOT_DOCX, "not_docx")


def parse_body(archive: zipfile.ZipFile):
    """The main part's w:body; a main part without one refuses the file."""
    document = parse_part(archive, MAIN_PART)
    body = document.find("w:body", NAMESPACES) if document is not None else None
    if body is None:
        _refuse(_NOT_DOCX, "not_docx")
    return body
