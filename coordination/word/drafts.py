"""A Word draft as the Markdown a version is kept in, with what could not come across.

mammoth reads the document's meaning (headings, lists and their nesting, bold, italic,
links, tables, footnotes) rather than its looks; markdownify writes that HTML as Markdown.
Nothing is stored here: the text goes back to the form, previewed, and is published by
`consultations.version_publish` like a typed one.
"""

import functools
import re
from dataclasses import dataclass, field

import mammoth
from bs4 import BeautifulSoup
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from markdownify import ASTERISK, ATX, MarkdownConverter

from ..paragraphs import diff_paragraphs, split_paragraphs
from ..text import LINK_SCHEMES
from .files import NAMESPACES, WordFileError, open_docx, parse_part

# Our own export's title block and paragraph numbers are not text (coordination.word.writing);
# quotes and code keep their meaning.
STYLE_MAP = """\
r[style-name='Paragraph Number'] => !
p[style-name='Version Details'] => !
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Code Block'] => pre:separator('\\n')
r[style-name='Code'] => code
"""
# Word's and LibreOffice's paragraph styles that mean no more than a paragraph (or a list
# item, for "List Paragraph"): not worth a warning when mammoth reads them as paragraphs.
PLAIN_STYLES = {
    "Body Text", "Body Text 2", "Body Text 3", "Body Text First Indent", "List Paragraph",
    "No Spacing", "Normal (Web)", "Plain Text", "Default", "Text Body", "Frame Contents",
    "Table Contents", "Table Heading",
}  # fmt: skip
UNRECOGNISED_STYLE = re.compile(r"Unrecognised paragraph style: (.+) \(Style ID:")

# Images are left out (and listed): never read, never inlined as data: URLs.
_LEAVE_IMAGES_UNREAD = mammoth.images.img_element(lambda image: {})

# "1.", "2.3", "(4)", "5)" at the start of a paragraph: a number typed rather than a list's.
TYPED_NUMBER = re.compile(r"\(?\d{1,3}(\.\d{1,3})*[.)]\s|\d{1,3}(\.\d{1,3})+\s")

TRACKED_CHANGES = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")


@dataclass
class ImportedDraft:
    text: str
    warnings: list[str] = field(default_factory=list)


def draft_from_docx(file) -> ImportedDraft:
    """The Markdown of an uploaded .docx; refuses what `open_docx` refuses, and a file with
    tracked changes (which of the two texts would be the draft?)."""
    archive = open_docx(file)
    body = parse_part(archive, "word/document.xml")
    # mammoth brings the notes too, taking a tracked insertion there as accepted.
    notes = [parse_part(archive, f"word/{kind}.xml") for kind in ("footnotes", "endnotes")]
    if any(_count(part, f"//w:{name}") for part in (body, *notes) for name in TRACKED_CHANGES):
        raise WordFileError(
            _(
                "This file has tracked changes. In Word, accept or reject all changes first "
                "(Review › Accept › Accept All Changes), save, and upload it again."
            ),
            code="tracked_changes",
        )
    warnings = _what_stays_behind(archive, body)
    try:
        result = mammoth.convert_to_html(
            _from_start(file), style_map=STYLE_MAP, convert_image=_LEAVE_IMAGES_UNREAD
        )
    except Exception as error:  # mammoth's own reading errors have no common base class
        raise WordFileError(
            _("This Word file could not be read. Save it again in Word and upload it again."),
            code="unreadable",
        ) from error
    styles = sorted(
        {
            match.group(1)
            for message in result.messages
            if (match := UNRECOGNISED_STYLE.match(message.message))
        }
        - PLAIN_STYLES
    )
    if styles:
        warnings.append(
            _("Word styles kept as plain paragraphs: %(styles)s.")
            % {"styles": ", ".join(f"“{style}”" for style in styles)}
        )
    text = markdown_from_html(result.value)
    if not text.strip():
        raise WordFileError(_("This Word file has no text."), code="empty")
    typed = sum(1 for paragraph in split_paragraphs(text) if TYPED_NUMBER.match(paragraph.text))
    if typed:
        warnings.append(
            ngettext(
                "%(count)d paragraph starts with a number typed by hand: the site numbers "
                "paragraphs itself, so it would show two. Remove the typed number, or use "
                "Word's numbered lists.",
                "%(count)d paragraphs start with a number typed by hand: the site numbers "
                "paragraphs itself, so they would show two. Remove the typed numbers, or use "
                "Word's numbered lists.",
                typed,
            )
            % {"count": typed}
        )
    return ImportedDraft(text=text, warnings=warnings)


def _from_start(file):
    """The checked upload, for mammoth to read again as a zip."""
    file.seek(0)
    return file


def _count(tree, path: str) -> int:
    if tree is None:
        return 0
    return int(tree.xpath(f"count({path})", namespaces=_XPATH_NAMESPACES))


_ONCE = "[not(ancestor::mc:Fallback)]"
_XPATH_NAMESPACES = {
    **NAMESPACES,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}


def _what_stays_behind(archive, body) -> list[str]:
    """The warnings the preview lists: what mammoth leaves out, or moves."""
    warnings = []
    # Word writes a shape twice, as DrawingML and as VML for older readers: count it once.
    images = _count(body, f"//pic:pic{_ONCE}") + _count(body, f"//v:imagedata{_ONCE}")
    if images:
        warnings.append(
            ngettext(
                "%(count)d image was left out: add it as an annex or a link.",
                "%(count)d images were left out: add them as annexes or links.",
                images,
            )
            % {"count": images}
        )
    boxes = _count(body, f"//w:txbxContent[not(ancestor::w:txbxContent)]{_ONCE}")
    if boxes:
        warnings.append(
            ngettext(
                "%(count)d text box: its text now follows the paragraph that held it; check "
                "where it belongs.",
                "%(count)d text boxes: their text now follows the paragraph that held them; "
                "check where it belongs.",
                boxes,
            )
            % {"count": boxes}
        )
    comments = _count(parse_part(archive, "word/comments.xml"), "//w:comment")
    if comments:
        warnings.append(
            ngettext(
                "%(count)d Word comment was left out: a draft's comments are taken on its "
                "consultation.",
                "%(count)d Word comments were left out: a draft's comments are taken on its "
                "consultation.",
                comments,
            )
            % {"count": comments}
        )
    if any(
        _count(parse_part(archive, name), "//w:t[normalize-space()]")
        for name in archive.namelist()
        if re.fullmatch(r"word/(header|footer)\d*\.xml", name)
    ):
        warnings.append(_("Headers and footers were left out."))
    return warnings


# --- HTML to Markdown ----------------------------------------------------------------------


# Markdown as the site writes it: "#" headings, "-" bullets, the first table row as header.
_CONVERTER = MarkdownConverter(
    heading_style=ATX,
    bullets="-",
    strong_em_symbol=ASTERISK,
    escape_misc=True,
    table_infer_header=True,
    strip=["img"],
)


def markdown_from_html(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    _notes_at_the_end(soup)
    for link in soup.find_all("a"):
        href = link.get("href") or ""
        if not href.lower().startswith(LINK_SCHEMES):  # bookmarks, in-document links
            link.unwrap()
    text = _CONVERTER.convert_soup(soup)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _notes_at_the_end(soup) -> None:
    """Footnotes and endnotes: the mark stays in the text as [1]; the notes follow, under a
    "Notes" heading, numbered like any list (mammoth puts them in a list at the end)."""
    notes = []
    for kind in ("footnote", "endnote"):
        for link in soup.select(f'a[href^="#{kind}-"]'):
            if link["href"].startswith(f"#{kind}-ref-"):  # a note's "↑" back to its mark
                link.decompose()
            else:  # the mark in the text
                mark = link.get_text()
                (link.parent if link.parent.name == "sup" else link).replace_with(mark)
        items = soup.select(f'li[id^="{kind}-"]')
        if items:
            notes.append(items[0].parent)
    if notes:
        heading = soup.new_tag("h2")
        heading.string = _("Notes")
        notes[0].insert_before(heading)


# --- the preview ---------------------------------------------------------------------------


@dataclass
class DraftPreview:
    """What the publisher checks before publishing: the numbered paragraphs, the changes from
    the version the draft revises, and what the Word file could not bring."""

    imported: ImportedDraft
    against: object | None  # the DocumentVersion compared with, if any
    blocked: str = ""  # why it could not be published now (a consultation running...)

    @property
    def paragraphs(self):
        return split_paragraphs(self.imported.text)

    @property
    def numbered_count(self) -> int:
        return sum(1 for paragraph in self.paragraphs if paragraph.number)

    @functools.cached_property
    def changes(self):
        return diff_paragraphs(self.against.text, self.imported.text) if self.against else []

    @property
    def changed_count(self) -> int:
        return sum(1 for change in self.changes if change.kind != "same")
