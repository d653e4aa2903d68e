"""Text helpers shared by every app: Roman numerals, ordinals, safe Markdown, header values."""

import nh3
from django.utils.safestring import SafeString, mark_safe
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


def ordinal(number: int) -> str:
    """English ordinal as used in meeting titles: 1st, 2nd, 3rd, 4th, 11th, 22nd."""
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


def sanitise_html(html: str) -> SafeString:
    """Only plain formatting survives: no scripts, no event handlers, no javascript: links."""
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)


def render_markdown(text: str) -> SafeString:
    """Markdown written by people becomes HTML; nh3 is the second line of defence."""
    return sanitise_html(_markdown.render(text or ""))


def one_line(text: str) -> str:
    """A header value (an email subject) from typed text: a line break there is a header
    injection, and Django refuses the whole message (BadHeaderError)."""
    return " ".join(str(text).split())
