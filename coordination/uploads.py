"""What may be uploaded as an annex: the type is checked by extension and by content."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"

# extension -> the bytes a real file of that type starts with
ALLOWED_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "ppt": (_OLE,),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "pptx": (_ZIP,),
    "odt": (_ZIP,),
    "ods": (_ZIP,),
    "odp": (_ZIP,),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}


WRONG_TYPE = _(
    "“.%(extension)s” files are not accepted. Upload a PDF, an Office document or an image."
)


def validate_annex_file(file) -> None:
    extension = Path(file.name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_SIGNATURES:
        raise ValidationError(
            WRONG_TYPE,
            params={"extension": extension or "?"},
            code="file_type",
        )
    limit = settings.ANNEX_MAX_UPLOAD_BYTES
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_size",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if not any(head.startswith(signature) for signature in ALLOWED_SIGNATURES[extension]):
        raise ValidationError(
            _("This file does not look like a real .%(extension)s file."),
            params={"extension": extension},
            code="file_content",
        )
