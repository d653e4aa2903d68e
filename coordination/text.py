"""Text helpers shared by every app: Roman numerals, ordinals, safe Markdown, header values."""

import hashlib
from importlib.metadata import version

import markdown_it
import nh3
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from markdown_it import MarkdownIt

_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def to_roman(number: int) -> str:
    """Agenda items and annexes are numbered I, II, III... as in the GCG's reports."""
    if number < 1:
        raise ValueError("Roman numerals start at 1")
    parts = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


# A meeting's ordinal in the languages that do not write it the English way; “réunion” and
# “reunión” are feminine: 1re, 3e; 1.ª, 3.ª.
_ORDINALS = {
    "fr": lambda number: "1re" if number == 1 else f"{number}e",
    "es": lambda number: f"{number}.ª",
}


def ordinal(number: int) -> str:
    """A meeting's ordinal in the active language: 1st, 2nd, 3rd, 11th, 22nd; 1re, 3e; 3.ª."""
    written = _ORDINALS.get((get_language() or "en").split("-")[0])
    if written:
        return written(number)
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# "js-default": CommonMark with raw HTML off and unsafe link schemes refused.
_markdown = MarkdownIt("js-default")

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "sup",
    "sub",
}  # fmt: skip


_SANITISER = {
    "tags": _ALLOWED_TAGS,
    "attributes": {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
    "url_schemes": {"http", "https", "mailto"},
    "link_rel": "noopener noreferrer",
}
# What a link may start with to stay a link (the Word export and import keep to it too).
LINK_SCHEMES = tuple(f"{scheme}:" for scheme in sorted(_SANITISER["url_schemes"]))


def sanitise_html(html: str) -> SafeString:
    """Only plain formatting survives: no scripts, no event handlers, no javascript: links."""
    return mark_safe(nh3.clean(html, **_SANITISER))  # noqa: S308  (sanitised by nh3)


# Bump when render_markdown's own code changes what it makes. The libraries' versions and the
# sanitiser's rules are part of the key too: an upgrade or a tightened rule renders every text
# anew, never serves HTML made under the old rules.
MARKDOWN_RENDERER_VERSION = 1
_RENDERER = hashlib.sha256(
    repr(
        (
            MARKDOWN_RENDERER_VERSION,
            markdown_it.__version__,
            version("nh3"),
            sorted(_ALLOWED_TAGS),
            sorted((tag, sorted(names)) for tag, names in _SANITISER["attributes"].items()),
            sorted(_SANITISER["url_schemes"]),
            _SANITISER["link_rel"],
        )
    ).encode()
).hexdigest()[:16]


def render_markdown(text: str) -> SafeString:
    """Markdown written by people becomes HTML; nh3 is the second line of defence.

    Each text is rendered once per process: the cache key is the hash of the text itself (and of
    the renderer), so an edited text is a new key and shows at once, and an entry never goes
    stale. That is also why the "markdown" cache is each process's own memory (settings.CACHES):
    nothing to keep in step between processes, and no round trip to Redis (which costs as much as
    rendering a short text)."""
    if not text:
        return SafeString("")
    key = "md:" + _RENDERER + ":" + hashlib.sha256(text.encode()).hexdigest()
    cache = caches["markdown"]
    html = cache.get(key)
    if html is None:
        html = str(sanitise_html(_markdown.render(text)))
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308  (sanitised before it was stored)


def one_line(text: str) -> str:
    """A header value (an email subject) from typed text: a line break there is a header
    injection, and Django refuses the whole message (BadHeaderError)."""
    return " ".join(str(text).split())
