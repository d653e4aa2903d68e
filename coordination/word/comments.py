"""Members' Word comments: a draft sent back with comments in the margin, read as the comments
the member would have typed on the site, each on the paragraph its anchor falls in.

A paragraph is found by the number our export writes at its start (the `Paragraph Number`
style); in a file that lost it (pasted into another document, say), by its words.
"""

import difflib
import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .drafts import TRACKED_CHANGES
from .files import NAMESPACES, W, WordFileError, open_docx, parse_body, parse_part
from .writing import VERSION_IDENTIFIER

DC = "http://purl.org/dc/elements/1.1/"
W14_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"

PARAGRAPH_NUMBER_STYLE = "Paragraph Number"
HEADING_STYLES = ("Heading", "Title", "Subtitle")  # style ids: Heading1, Title...
# How like a paragraph of the version a Word paragraph must be to be taken for it.
SIMILAR_ENOUGH = 0.8


@dataclass(frozen=True)
class WordComment:
    paragraph: str  # the version's paragraph number; "" for the whole text
    text: str
    anchor: str  # the words the comment was anchored on, to show in the confirmation
    author: str = ""  # as Word recorded it: a file may hold other people's comments too


@dataclass
class CommentsFound:
    comments: list[WordComment]
    warnings: list[str] = field(default_factory=list)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _text_of(element) -> str:
    return _clean(element.itertext(_w("t")))


def comments_from_docx(file, version) -> CommentsFound:
    archive = open_docx(file)
    _check_version(archive, version)
    notes = parse_part(archive, "word/comments.xml")
    written = {}
    resolved = _resolved_paragraphs(archive)
    for comment in notes.iterfind("w:comment", NAMESPACES) if notes is not None else ():
        paragraphs = comment.findall(".//w:p", NAMESPACES)
        if paragraphs and paragraphs[-1].get(W14_PARA_ID) in resolved:
            continue  # marked resolved in Word: settled, not to send
        text = "\n\n".join(
            _text_of(paragraph)
            for paragraph in comment.iterfind(".//w:p", NAMESPACES)
            if _text_of(paragraph)
        )
        if text:
            written[comment.get(_w("id"))] = (text, comment.get(_w("author")) or "")
    if not written:
        raise WordFileError(
            _(
                "This Word file has no comments. Add yours in Word (Review › New Comment), "
                "save, and upload it again."
            ),
            code="no_comments",
        )
    body = parse_body(archive)
    blocks = _blocks(body, _number_style_ids(archive))
    # Matched by words only where a comment is anchored: a long draft costs nothing more.
    number_of = functools.cache(lambda index: _paragraph_of(blocks[index], version))
    starts, ends = {}, {}
    for index, block in enumerate(blocks):
        for element in block["element"].iter(
            _w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference")
        ):
            key = element.get(_w("id"))
            if element.tag == _w("commentRangeStart"):
                starts.setdefault(key, index)
            else:
                ends[key] = index
                starts.setdefault(key, index)
    found = []
    for key, (text, author) in written.items():
        first, last = starts.get(key), ends.get(key, starts.get(key))
        paragraph, anchor = "", ""
        if first is not None:
            anchor = blocks[first]["text"]
            spanned = [number_of(i) for i in range(first, last + 1) if number_of(i)]
            if len(set(spanned)) == 1:
                paragraph = spanned[0]
            elif len(set(spanned)) > 1:  # on the whole text, saying which paragraphs
                text = (
                    _("On paragraphs %(first)s to %(last)s:")
                    % {
                        "first": spanned[0],
                        "last": spanned[-1],
                    }
                    + f"\n\n{text}"
                )
        found.append(
            WordComment(paragraph=paragraph, text=text, anchor=anchor[:300], author=author)
        )
    placed_any = any(block["number"] for block in blocks) or any(
        number_of(index) for index in {*starts.values(), *ends.values()}
    )
    return CommentsFound(found, _warnings(body, found, placed_any=placed_any))


def _resolved_paragraphs(archive) -> set[str]:
    """Word (2013 on) marks a comment resolved in commentsExtended.xml, by the id of the
    comment's last paragraph."""
    extended = parse_part(archive, "word/commentsExtended.xml")
    if extended is None:
        return set()
    return {
        entry.get(f"{{{W15}}}paraId")
        for entry in extended.iter(f"{{{W15}}}commentEx")
        if entry.get(f"{{{W15}}}done") == "1"
    }


def _check_version(archive, version) -> None:
    """Our export says which version it is: comments on another version's paragraphs would
    land on this one's paragraphs of the same numbers."""
    core = parse_part(archive, "docProps/core.xml")
    identifier = core.findtext(f"{{{DC}}}identifier") if core is not None else None
    prefix, _sep, pk = (identifier or "").rpartition(":")
    if f"{prefix}:" != VERSION_IDENTIFIER or str(pk) == str(version.pk):
        return
    other = version.document.versions.filter(pk=pk).values_list("number", flat=True).first()
    raise WordFileError(
        _(
            "This file is version %(file)s of the draft; comments are taken on version "
            "%(current)s. Download version %(current)s below, comment on it, and upload it."
        )
        % {"file": other or "?", "current": version.number},
        code="other_version",
    )


def _warnings(body, found, *, placed_any: bool) -> list[str]:
    warnings = []
    if next(body.iter(*(_w(name) for name in TRACKED_CHANGES)), None) is not None:
        warnings.append(
            _(
                "Your file has tracked changes: they are not taken, only Word comments are. "
                "Write the wording you propose in a comment."
            )
        )
    authors = sorted({comment.author for comment in found if comment.author})
    if len(authors) > 1:
        warnings.append(
            _(
                "This file holds comments by several people in Word (%(authors)s): all would "
                "be saved as yours. Delete the others' comments in Word first if they are not."
            )
            % {"authors": ", ".join(authors)}
        )
    unplaced = sum(1 for comment in found if not comment.paragraph)
    if not placed_any:
        warnings.append(
            _(
                "None of this file's paragraphs is one of the draft's, so every comment is on "
                "the whole text: is this the draft of this consultation?"
            )
        )
    elif unplaced:
        warnings.append(
            ngettext(
                "%(count)d comment is on the whole text: its anchor is not in one paragraph.",
                "%(count)d comments are on the whole text: their anchors are not in one paragraph.",
                unplaced,
            )
            % {"count": unplaced}
        )
    return warnings


def _number_style_ids(archive) -> set[str]:
    styles = parse_part(archive, "word/styles.xml")
    if styles is None:
        return set()
    return {
        style.get(_w("styleId"))
        for style in styles.iterfind("w:style", NAMESPACES)
        if (name := style.find("w:name", NAMESPACES)) is not None
        and name.get(_w("val")) == PARAGRAPH_NUMBER_STYLE
    }


def _blocks(body, number_styles: set[str]) -> list[dict]:
    """The document's units in order, as the site numbers them: each paragraph outside a
    table, and each table as one; each with its number (our export's) and its words.

    In our export, a paragraph without a number of its own continues the numbered one before
    it (a quotation's second paragraph, a line of code, the table after its number), until
    a heading.
    """
    blocks = []
    carried = ""
    for element in body:
        if element.tag == _w("p"):
            number, words = [], []
            for run in element.iter(_w("r")):
                style = run.find("w:rPr/w:rStyle", NAMESPACES)
                is_number = style is not None and style.get(_w("val")) in number_styles
                (number if is_number else words).append("".join(run.itertext(_w("t"))))
            number = _clean(number)
            style = element.find("w:pPr/w:pStyle", NAMESPACES)
            if number:
                carried = number
            elif style is not None and style.get(_w("val"), "").startswith(HEADING_STYLES):
                carried = ""
            blocks.append({"element": element, "text": _clean(words), "number": number or carried})
        elif element.tag == _w("tbl"):
            cells = " ".join(_text_of(cell) for cell in element.iter(_w("tc")))
            blocks.append({"element": element, "text": _clean(cells), "number": carried})
    return blocks


def _clean(text) -> str:
    if not isinstance(text, str):
        text = "".join(text)
    return re.sub(r"\s+", " ", text).strip()


def _paragraph_of(block, version) -> str:
    """The version's paragraph a Word paragraph is: by its number, or else by its words."""
    if block["number"] and version.paragraph(block["number"]):
        return block["number"]
    text = block["text"]
    if not text:
        return ""
    best, best_ratio = "", 0.0
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(text)  # analysed once, compared with each paragraph
    for paragraph in version.paragraphs:
        if not paragraph.number:
            continue
        if paragraph.text == text:
            return paragraph.number
        matcher.set_seq1(paragraph.text)
        # The quick ratios are upper bounds: a paragraph that cannot win is not compared.
        enough = max(best_ratio, SIMILAR_ENOUGH)
        if matcher.real_quick_ratio() < enough or matcher.quick_ratio() < enough:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = paragraph.number, ratio
    return best if best_ratio >= SIMILAR_ENOUGH else ""
