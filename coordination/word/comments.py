"""Members' Word comments: a draft sent back with comments in the margin, read as the comments
the member would have typed on the site, each on the paragraph its anchor falls in.

A paragraph is found by the number our export writes at its start (the `Paragraph Number`
style); in a file that lost it (pasted into another document, say), by its words.
"""

import difflib
import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .files import NAMESPACES, W, WordFileError, open_docx, parse_body, parse_part

PARAGRAPH_NUMBER_STYLE = "Paragraph Number"
# How like a paragraph of the version a Word paragraph must be to be taken for it.
SIMILAR_ENOUGH = 0.8


@dataclass(frozen=True)
class WordComment:
    paragraph: str  # the version's paragraph number; "" for the whole text
    text: str
    anchor: str  # the words the comment was anchored on, to show in the confirmation


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _text_of(element) -> str:
    return _clean(element.itertext(_w("t")))


def comments_from_docx(file, version) -> list[WordComment]:
    archive = open_docx(file)
    notes = parse_part(archive, "word/comments.xml")
    written = {}
    for comment in notes.iterfind("w:comment", NAMESPACES) if notes is not None else ():
        text = "\n\n".join(
            _text_of(paragraph)
            for paragraph in comment.iterfind(".//w:p", NAMESPACES)
            if _text_of(paragraph)
        )
        if text:
            written[comment.get(_w("id"))] = text
    if not written:
        raise WordFileError(
            _(
                "This Word file has no comments. Add yours in Word (Review › New Comment), "
                "save, and upload it again."
            ),
            code="no_comments",
        )
    blocks = _blocks(parse_body(archive), _number_style_ids(archive))
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
    for key, text in written.items():
        first, last = starts.get(key), ends.get(key, starts.get(key))
        if first is None:
            paragraph, anchor = "", ""
        else:
            spanned = set()
            for index in range(first, last + 1):
                spanned.add(number_of(index))
                if len(spanned) > 1:
                    break
            paragraph = spanned.pop() if len(spanned) == 1 else ""
            anchor = " … ".join(
                blocks[index]["text"] for index in (first, last) if index is not None
            )
            if first == last:
                anchor = blocks[first]["text"]
        found.append(WordComment(paragraph=paragraph or "", text=text, anchor=anchor[:300]))
    return found


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
    table, and each table as one; each with its number (our export's) and its words."""
    blocks = []
    for element in body:
        if element.tag == _w("p"):
            number, words = [], []
            for run in element.iter(_w("r")):
                style = run.find("w:rPr/w:rStyle", NAMESPACES)
                is_number = style is not None and style.get(_w("val")) in number_styles
                (number if is_number else words).append("".join(run.itertext(_w("t"))))
            blocks.append(
                {"element": element, "text": _clean("".join(words)), "number": _clean(number)}
            )
        elif element.tag == _w("tbl"):
            cells = " ".join(_text_of(cell) for cell in element.iter(_w("tc")))
            blocks.append({"element": element, "text": _clean(cells), "number": ""})
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
