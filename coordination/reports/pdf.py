"""PDFs made with WeasyPrint, which reads nothing but the site's own static files.

WeasyPrint needs Pango, a system library: where it is missing, importing WeasyPrint raises
OSError. So it is imported only when a PDF is made (where it fails, the answer says why), and
the rest of the site, `make demo` included, runs without it. `pdf_unavailable_reason()`, which
every meeting page asks, opens the libraries instead of importing WeasyPrint (about a second,
once per process).

The HTML is the site's own, but it carries what members typed (minutes, names, links): a link
or an image in it must never make the server fetch a URL (an internal address, a tracker).
`static_fetcher` serves the site's static files under STATIC_URL and refuses everything else.
"""

import ctypes
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.utils.translation import gettext as _

# The address the PDF's HTML is read at: `{% static %}` paths resolve under it, and it names
# no real host, so nothing resolved against it could reach the network anyway.
BASE_URL = "https://report.invalid/"


class PdfUnavailable(Exception):
    """PDFs cannot be made on this machine; the message says why."""


# The system libraries WeasyPrint opens (weasyprint/text/ffi.py; they open GObject, HarfBuzz and
# fontconfig in turn), by their names on Linux, macOS and Windows.
LIBRARIES = (
    ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"),
    ("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib", "libpangoft2-1.0-0.dll"),
)


def _import_weasyprint():
    import weasyprint  # noqa: PLC0415  (Pango may be missing: see the module's docstring)

    return weasyprint


def _open_library(name: str) -> None:
    ctypes.CDLL(name)  # raises OSError when it is not installed


def _missing_reason() -> str:
    return _(
        "PDFs cannot be made on this server: the Pango text library that WeasyPrint "
        "needs is not installed. The Secretariat can install it (see the README)."
    )


def pdf_unavailable_reason() -> str:
    """Why PDFs cannot be made here, or "" when they can (an open library is opened again in
    microseconds)."""
    for names in LIBRARIES:
        if not any(_opens(name) for name in names):
            return _missing_reason()
    return ""


def _opens(name: str) -> bool:
    try:
        _open_library(name)
    except OSError:
        return False
    return True


def static_fetcher(url: str):
    """WeasyPrint's only way out: a static file of the site, or an error (WeasyPrint then
    leaves the resource out and goes on)."""
    from weasyprint.urls import URLFetcherResponse  # noqa: PLC0415

    path = static_path(url)
    if path is None:
        raise ValueError(f"Not one of the site's static files: {url[:200]}")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The file a static URL names, from the finders (the source folders) or STATIC_ROOT
    (after collectstatic, with its hashed names); None for any other URL."""
    parts = urlsplit(url)
    prefix = urlsplit(urljoin(BASE_URL, settings.STATIC_URL))
    if (parts.scheme, parts.netloc) != (prefix.scheme, prefix.netloc):
        return None
    if parts.query or not parts.path.startswith(prefix.path):
        return None
    name = unquote(parts.path[len(prefix.path) :])
    if not name or posixpath.normpath(name) != name or name.startswith(("/", "..")):
        return None
    try:
        found = finders.find(name)
        if not found and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found and Path(found).is_file() else None


def pdf_from_html(html: str) -> bytes:
    """The PDF of the site's own HTML (its stylesheet a static file)."""
    try:
        weasyprint = _import_weasyprint()
    except (OSError, ImportError) as missing:
        raise PdfUnavailable(_missing_reason()) from missing
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher)
    return document.write_pdf()
