"""A document version's text as numbered paragraphs, and the differences between two versions.

Members comment on "paragraph 12", so the numbering must be stable and visible: every
top-level paragraph, list item, quote or table is one numbered unit (1, 2, 3...); items of a
nested list are sub-items (3.1, 3.2...). Headings are shown but not numbered.
"""

import difflib
import functools
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it.token import Token

from .text import _markdown, sanitise_html


@dataclass(frozen=True)
class Paragraph:
    number: str  # "3" or "3.1"; "" for a heading
    html: SafeString
    text: str  # plain text, for excerpts, the comment matrix and the diff
    is_heading: bool = False
    level: int = 0  # 0 for top-level units, 1 for sub-items

    @property
    def anchor(self) -> str:
        return f"p-{self.number}" if self.number else ""


def _plain(tokens) -> str:
    """The words a reader sees, without the Markdown around them (**, [](), escapes): the
    diff compares these, so a draft written again by Word differs only where its words do."""
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append("".join(_inline_text(token.children or [])))
        elif token.type in ("fence", "code_block"):  # code is its own words
            parts.append(token.content)
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _inline_text(children):
    for child in children:
        if child.type in ("text", "code_inline"):
            yield child.content
        elif child.type in ("softbreak", "hardbreak"):
            yield " "
        elif child.children:  # an image's alt text
            yield from _inline_text(child.children)


def _render(tokens) -> SafeString:
    return sanitise_html(_markdown.renderer.render(tokens, _markdown.options, {}))


def _close_index(tokens, start: int) -> int:
    """Index of the token closing the block opened at tokens[start]."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


@dataclass(frozen=True)
class ParagraphTokens:
    """A paragraph with the markdown-it tokens it was made from, for a writer that needs more
    than its HTML (the Word export). For a list item, the tokens are the item's content and
    `list_token` is the list that holds it (bullet or ordered, its start): items of one list
    share that token."""

    paragraph: Paragraph
    tokens: tuple
    list_token: Token | None = None


def split_paragraphs(text: str) -> list[Paragraph]:
    """Parsed once per process and text: a version's text is fixed once shared, and every view
    of its consultation (the page, the secretariat's, the matrix) needs its paragraphs."""
    return [unit.paragraph for unit in paragraph_tokens(text)]


def paragraph_tokens(text: str) -> tuple[ParagraphTokens, ...]:
    """The paragraphs as `split_paragraphs` numbers them, each with its tokens. The tokens are
    shared with the cache: read them, never change them."""
    return _paragraph_tokens(text or "")


@functools.lru_cache(maxsize=64)
def _paragraph_tokens(text: str) -> tuple[ParagraphTokens, ...]:
    tokens = _markdown.parse(text)
    units: list[ParagraphTokens] = []
    counter = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _close_index(tokens, index)
        block = tokens[index : end + 1]
        if token.type == "heading_open":
            paragraph = Paragraph("", _render(block), _plain(block), is_heading=True)
            units.append(ParagraphTokens(paragraph, tuple(block)))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            for item in _list_items(block):
                counter += 1
                own, nested = _split_item(item)
                paragraph = Paragraph(str(counter), _render(own), _plain(own))
                units.append(ParagraphTokens(paragraph, tuple(own), token))
                sub = 0
                for nested_list in nested:
                    for nested_item in _list_items(nested_list):
                        sub += 1
                        paragraph = Paragraph(
                            f"{counter}.{sub}",
                            _render(nested_item),
                            _plain(nested_item),
                            level=1,
                        )
                        units.append(ParagraphTokens(paragraph, tuple(nested_item), nested_list[0]))
        elif token.nesting == 1 or token.type in ("fence", "code_block"):
            counter += 1
            paragraph = Paragraph(str(counter), _render(block), _plain(block))
            units.append(ParagraphTokens(paragraph, tuple(block)))
        index = end + 1
    return tuple(units)


def _list_items(list_tokens):
    """The list_item blocks directly inside a list (its first and last tokens open/close it)."""
    items = []
    index = 1
    while index < len(list_tokens) - 1:
        end = _close_index(list_tokens, index)
        items.append(list_tokens[index + 1 : end])  # inside list_item_open/close
        index = end + 1
    return items


def _split_item(item_tokens):
    """An item's own content, and the nested lists it holds (numbered as sub-items)."""
    own, nested = [], []
    index = 0
    while index < len(item_tokens):
        token = item_tokens[index]
        end = _close_index(item_tokens, index)
        if token.type in ("bullet_list_open", "ordered_list_open"):
            nested.append(item_tokens[index : end + 1])
        else:
            own.extend(item_tokens[index : end + 1])
        index = end + 1
    return own, nested


def paragraph_numbers(text: str) -> set[str]:
    return {p.number for p in split_paragraphs(text) if p.number}


# --- differences between two versions ------------------------------------------------------


@dataclass(frozen=True)
class ParagraphChange:
    kind: str  # "same", "changed", "added", "removed"
    old: Paragraph | None
    new: Paragraph | None
    html: SafeString  # the text with insertions and deletions marked


def _words(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]|\s+", text)


def _word_diff(old: str, new: str) -> SafeString:
    """Deleted words in <del>, inserted words in <ins>; both carry a visible label for
    screen readers and printouts, so the marks never rely on colour alone."""
    a, b = _words(old), _words(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308  (every piece escaped above)


def diff_paragraphs(old_text: str, new_text: str) -> list[ParagraphChange]:
    old, new = split_paragraphs(old_text), split_paragraphs(new_text)
    matcher = difflib.SequenceMatcher(
        None, [p.text for p in old], [p.text for p in new], autojunk=False
    )
    changes: list[ParagraphChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                changes.append(ParagraphChange("same", o, n, mark_safe(escape(n.text))))  # noqa: S308
        elif op == "replace":
            for o, n in _pair(old[i1:i2], new[j1:j2]):
                if o and n:
                    changes.append(ParagraphChange("changed", o, n, _word_diff(o.text, n.text)))
                elif o:
                    changes.append(ParagraphChange("removed", o, None, _word_diff(o.text, "")))
                else:
                    changes.append(ParagraphChange("added", None, n, _word_diff("", n.text)))
        elif op == "delete":
            for o in old[i1:i2]:
                changes.append(ParagraphChange("removed", o, None, _word_diff(o.text, "")))
        elif op == "insert":
            for n in new[j1:j2]:
                changes.append(ParagraphChange("added", None, n, _word_diff("", n.text)))
    return changes


ALIKE = 0.5  # how alike two paragraphs must be to be one paragraph, changed


def _alike(old: Paragraph, new: Paragraph) -> bool:
    matcher = difflib.SequenceMatcher(None, old.text, new.text, autojunk=False)
    return matcher.quick_ratio() >= ALIKE and matcher.ratio() >= ALIKE


def _pair(old: list[Paragraph], new: list[Paragraph]):
    """In a run of differing paragraphs, (old, new) for one paragraph changed, (old, None)
    for one removed and (None, new) for one added: a paragraph deleted before an edited one
    shows as removed, not as its neighbour rewritten."""
    i = j = 0
    while i < len(old) and j < len(new):
        if _alike(old[i], new[j]):
            yield old[i], new[j]
            i, j = i + 1, j + 1
        elif j + 1 < len(new) and _alike(old[i], new[j + 1]):
            yield None, new[j]
            j += 1
        else:
            yield old[i], None
            i += 1
    yield from ((paragraph, None) for paragraph in old[i:])
    yield from ((None, paragraph) for paragraph in new[j:])
