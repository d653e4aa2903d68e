"""A Word draft as a new version, through the site's and the admin's "Publish a new version":
converted, previewed with its numbers and changes, published only on a second click; and each
bad file refused with its reason, keeping what was typed and storing nothing."""

import html
import io
import os
import re
import zipfile

import docx
import pytest
from django.urls import reverse
from docx.enum.style import WD_STYLE_TYPE
from msoffcrypto.format.ooxml import OOXMLFile

from coordination import consultations
from coordination.models import DocumentVersion
from coordination.word import drafts, writing
from coordination.word.files import W
from tests import factories
from tests.word_files import (
    FILES,
    add_hyperlink,
    add_tracked_insertion,
    draft_document,
    libreoffice_docx,
    upload,
)

TYPED = "Typed in the box, not to be lost.\n"


def _textarea(page: str, name: str = "text") -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1))


def _paragraphs(text: str) -> list[tuple[str, str]]:
    from coordination.paragraphs import split_paragraphs

    return [(p.number, p.text) for p in split_paragraphs(text)]


@pytest.fixture
def document(gcg):
    document = factories.DocumentFactory(owner_group=gcg, title="Guidance Note")
    consultations.version_publish(
        document=document,
        text="# Pathfinder Country Guidance Note\n\nCountries that commit to act.\n\n"
        "## Becoming a pathfinder country\n\n1. A government writes to the Secretariat.\n",
        change_summary="First draft",
    )
    return document


def test_a_word_draft_is_shown_numbered_with_its_changes_and_published_on_a_second_click(
    client, document, secretariat
):
    client.force_login(secretariat)
    url = reverse("version_new", args=[document.pk])
    response = client.post(
        url, {"text": TYPED, "change_summary": "From Word", "word_file": upload(draft_document())}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Taken from the Word file: check it before publishing" in page
    assert "5 numbered paragraphs, as members will cite them." in page
    assert "4 paragraphs changed from version 1." in page
    assert 'href="https://www.alliance87.org/pathfinder-countries/"' in page
    assert document.versions.count() == 1  # nothing published yet
    text = _textarea(page)
    assert _textarea(page, "change_summary") == "From Word"  # what was typed stays
    assert _paragraphs(text) == [
        ("", "Pathfinder Country Guidance Note"),
        ("1", "Countries that commit to accelerate action, as set out on the website."),
        ("", "Becoming a pathfinder country"),
        ("2", "A government writes to the Secretariat."),
        ("3", "A focal point is nominated."),
        ("4", "Step When Roadmap Within a year"),
        ("5", "Resource mobilisation is key."),
    ]
    assert "**commit**" in text and "*accelerate*" in text and "| Step | When |" in text

    response = client.post(url, {"text": text, "change_summary": "From Word"})
    assert response.status_code == 302
    version = document.versions.get(number=2)
    assert version.text == text.strip()
    assert version.created_by == secretariat


def test_what_word_cannot_bring_is_listed_in_the_preview(client, document, secretariat, tmp_path):
    from PIL import Image

    word = draft_document()
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    image.seek(0)
    word.add_picture(image)
    commented = word.add_paragraph("A paragraph a reviewer commented on.")
    word.add_comment(commented.runs, text="Too long.", author="Reviewer", initials="R")
    word.sections[0].header.paragraphs[0].text = "DRAFT – not for circulation"
    word.styles.add_style("Box Text", WD_STYLE_TYPE.PARAGRAPH)
    word.add_paragraph("In a style of the author's own.", style="Box Text")
    word.add_paragraph("In Word's Body Text, which is nothing more.", style="Body Text")
    word.add_paragraph("2.1 A number typed by hand.")
    client.force_login(secretariat)
    response = client.post(
        reverse("version_new", args=[document.pk]),
        {"text": TYPED, "change_summary": "", "word_file": upload(word)},
    )
    page = html.unescape(response.content.decode())
    assert "What could not come across from Word:" in page
    assert "1 image was left out: add it as an annex or a link." in page
    assert "1 Word comment was left out" in page
    assert "Headers and footers were left out." in page
    assert "Word styles kept as plain paragraphs: “Box Text”." in page
    assert "1 paragraph starts with a number typed by hand" in page
    assert "Too long." not in _textarea(page)


def test_a_link_that_would_run_code_and_markup_in_the_text_come_across_as_plain_text(
    client, document, secretariat
):
    word = docx.Document()
    paragraph = word.add_paragraph("<script>alert(1)</script> ")
    add_hyperlink(paragraph, "javascript:alert(2)", "click")
    client.force_login(secretariat)
    response = client.post(
        reverse("version_new", args=[document.pk]),
        {"text": TYPED, "change_summary": "", "word_file": upload(word)},
    )
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page
    assert ("1", "<script>alert(1)</script> click") in _paragraphs(_textarea(page))


def _encrypted(tmp_path) -> bytes:
    plain = io.BytesIO()
    draft_document().save(plain)
    plain.seek(0)
    encrypted = io.BytesIO()
    office_file = OOXMLFile(plain)
    office_file.encrypt("secret", encrypted)
    return encrypted.getvalue()


def _with_macros() -> bytes:
    """A .docx renamed from a .docm: the macros' part and content type are still inside."""

    def add_macros(name, data):
        if name == "[Content_Types].xml":
            data = data.replace(
                b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
            )
            yield "word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros"
        yield name, data

    return _rewritten(add_macros)


def _zip_bomb() -> bytes:
    """Small on the wire, 101 MB once unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        target.writestr("word/document.xml", b"\0" * (101 * 1024 * 1024))
    return out.getvalue()


def _a_part_behind_a_zip_password() -> bytes:
    """A zip whose parts are flagged as encrypted (a zip tool's password, not Word's)."""
    plain = io.BytesIO()
    draft_document().save(plain)
    data = bytearray(plain.getvalue())
    for info in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist():
        data[info.header_offset + 6] |= 1  # the local header's "encrypted" flag
    directory = data.find(b"PK\x01\x02")
    while directory != -1:
        data[directory + 8] |= 1  # the central directory's
        directory = data.find(b"PK\x01\x02", directory + 1)
    return bytes(data)


def _rewritten(change) -> bytes:
    """A python-docx draft with its parts changed by `change(name, data)` (None drops one)."""
    plain = io.BytesIO()
    draft_document().save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            for name, data in change(item.filename, source.read(item)):
                target.writestr(name, data)
    return out.getvalue()


def _packed_tight(name, data):
    """2 MB that pack into a few kilobytes: made to unpack, not written by Word."""
    if name == "word/document.xml":
        data = data.replace(b"</w:body>", b"<!--" + b" " * (2 * 1024 * 1024) + b"--></w:body>")
    yield name, data


def _too_much_text(name, data):
    """6 MB of words that do not repeat: as long as no draft is."""
    if name == "word/document.xml":
        words = os.urandom(3 * 1024 * 1024).hex().encode()
        data = data.replace(b"</w:body>", b"<!--" + words + b"--></w:body>")
    yield name, data


def _decoy_main_part(name, data):
    """The package names word/document2.xml as its main part; a clean document.xml sits by."""
    if name == "word/document.xml":
        yield "word/document2.xml", data
        yield name, b'<w:document xmlns:w="' + W.encode() + b'"><w:body/></w:document>'
    elif name == "_rels/.rels":
        yield name, data.replace(b'Target="word/document.xml"', b'Target="word/document2.xml"')
    else:
        yield name, data


def _tracked_changes() -> bytes:
    word = draft_document()
    add_tracked_insertion(word.add_paragraph("Kept. "), "Inserted, not yet accepted.")
    stream = io.BytesIO()
    word.save(stream)
    return stream.getvalue()


BAD_FILES = {
    "not a zip": (
        lambda tmp: (b"Just some text, saved as .docx", "draft.docx"),
        "This is not a Word document (.docx).",
    ),
    "a .docm": (
        lambda tmp: (_with_macros(), "draft.docm"),
        "Word files with macros (.docm) are not accepted.",
    ),
    "macros inside a .docx": (
        lambda tmp: (_with_macros(), "draft.docx"),
        "Word files with macros (.docm) are not accepted.",
    ),
    "password-protected": (
        lambda tmp: (_encrypted(tmp), "draft.docx"),
        "This Word file is protected by a password.",
    ),
    "an old .doc": (
        lambda tmp: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "draft.doc"),
        "This is an old Word file (.doc).",
    ),
    "a part behind a zip password": (
        lambda tmp: (_a_part_behind_a_zip_password(), "draft.docx"),
        "This is not a Word document (.docx).",
    ),
    "a zip bomb": (
        lambda tmp: (_zip_bomb(), "draft.docx"),
        "This file would unpack to 101.0\xa0MB, more than a draft can be (100.0\xa0MB).",
    ),
    "packed tight": (
        lambda tmp: (_rewritten(_packed_tight), "draft.docx"),
        "more than a draft can be (100.0\xa0MB).",
    ),
    "too much text": (
        lambda tmp: (_rewritten(_too_much_text), "draft.docx"),
        "This file's text is too long to import here (6.0\xa0MB of Word XML; the limit is "
        "5.0\xa0MB).",
    ),
    "a decoy main part": (
        lambda tmp: (_rewritten(_decoy_main_part), "draft.docx"),
        "This is not a Word document (.docx).",
    ),
    "tracked changes": (
        lambda tmp: (_tracked_changes(), "draft.docx"),
        "This file has tracked changes. In Word, accept or reject all changes first",
    ),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_refused_with_its_reason_keeping_the_typed_text(
    client, document, secretariat, tmp_path, kind, monkeypatch
):
    make, message = BAD_FILES[kind]
    data, name = make(tmp_path)
    if kind == "a zip bomb":  # refused from the zip's directory, before unpacking anything
        monkeypatch.setattr(zipfile.ZipFile, "open", _never)
    client.force_login(secretariat)
    response = client.post(
        reverse("version_new", args=[document.pk]),
        {"text": TYPED, "change_summary": "Typed too", "word_file": upload(data, name)},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert message in page
    error = re.search(r'id="error_1_id_word_file"[^>]*>(.*?)</', page, re.S)
    assert error and message in error.group(1)  # next to the file field
    assert _textarea(page) == TYPED
    assert _textarea(page, "change_summary") == "Typed too"
    assert "Taken from the Word file" not in page
    assert document.versions.count() == 1


def _never(*args, **kwargs):
    raise AssertionError("a part was unpacked")


def test_a_file_over_the_upload_limit_is_refused(client, document, secretariat, settings):
    settings.ANNEX_MAX_UPLOAD_BYTES = 1000
    client.force_login(secretariat)
    response = client.post(
        reverse("version_new", args=[document.pk]),
        {"text": TYPED, "change_summary": "", "word_file": upload(draft_document())},
    )
    page = html.unescape(response.content.decode())
    assert re.search(r"This file is [\d.]+\xa0KB; the limit is 1000\xa0bytes\.", page)
    assert document.versions.count() == 1


@pytest.mark.libreoffice
def test_a_draft_written_by_libreoffice_keeps_its_nested_numbering_and_footnote(tmp_path):
    data = libreoffice_docx(FILES / "nested-lists-and-a-footnote.fodt", tmp_path)
    imported = drafts.draft_from_docx(upload(data))
    assert _paragraphs(imported.text) == [
        ("", "Guidance Note"),
        ("1", "An introduction with emphasis and a link.[1]"),
        ("2", "A government writes to the Secretariat."),
        ("2.1", "With a formal request."),
        ("2.2", "Naming a focal point."),
        ("3", "Governments choose a focus area."),
        ("4", "Country Status Madagascar Roadmap"),
        ("5", "Closing paragraph."),
        ("", "Notes"),
        ("6", "Report of the 3rd GCG meeting."),
    ]
    assert imported.warnings == []


@pytest.mark.libreoffice
def test_a_text_box_is_listed_once_and_its_text_follows_its_paragraph(tmp_path):
    data = libreoffice_docx(FILES / "a-text-box.fodt", tmp_path)
    imported = drafts.draft_from_docx(upload(data))
    assert [text for _number, text in _paragraphs(imported.text)] == [
        "Before the box.",
        "Inside the box.",
        "After the box.",
    ]
    assert imported.warnings == [
        "1 text box: its text now follows the paragraph that held it; check where it belongs."
    ]


@pytest.mark.libreoffice
def test_a_change_tracked_in_a_footnote_is_refused_too(tmp_path):
    data = libreoffice_docx(FILES / "nested-lists-and-a-footnote.fodt", tmp_path)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "word/footnotes.xml":
                part = part.replace(
                    b"<w:t>Report of the 3rd GCG meeting.</w:t></w:r>",
                    b"<w:t>Report of the 3rd GCG meeting.</w:t></w:r>"
                    b'<w:ins w:id="90" w:author="A member"><w:r><w:t> Not yet accepted.</w:t>'
                    b"</w:r></w:ins>",
                )
                assert b"<w:ins " in part
            target.writestr(item, part)
    with pytest.raises(drafts.WordFileError) as refused:
        drafts.draft_from_docx(upload(out.getvalue()))
    assert refused.value.code == "tracked_changes"


def test_the_guidance_note_exported_to_word_and_imported_back_has_the_same_paragraphs(client, demo):
    """The round trip: version 2 downloaded as .docx, uploaded as a new version: an empty diff."""
    version = DocumentVersion.objects.get(
        document__title="Pathfinder Country Guidance Note", number=2
    )
    client.force_login(demo["secretariat"])
    exported = client.get(reverse("version_docx", args=[version.document_id, 2])).getvalue()
    imported = drafts.draft_from_docx(upload(exported))
    assert _paragraphs(imported.text) == [(p.number, p.text) for p in version.paragraphs]
    assert len(version.paragraphs) == 11  # 3 headings, 8 numbered
    assert imported.warnings == []

    running = client.post(
        reverse("version_new", args=[version.document_id]),
        {"text": "", "change_summary": "", "word_file": upload(exported)},
    ).content.decode()
    assert "Version 2 is open for comments from Global Coordinating Group until" in running

    consultations.consultation_close(consultation=version.consultations.get())
    response = client.post(
        reverse("version_new", args=[version.document_id]),
        {"text": "", "change_summary": "", "word_file": upload(exported)},
    )
    page = response.content.decode()
    assert "8 numbered paragraphs, as members will cite them." in page
    assert "0 paragraphs changed from version 2." in page


def test_a_rich_text_exported_to_word_comes_back_with_the_same_paragraphs(gcg):
    from tests.test_word_export import RICH

    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text=RICH)
    exported = writing.version_docx(version).getvalue()
    imported = drafts.draft_from_docx(upload(exported))
    assert _paragraphs(imported.text) == [(p.number, p.text) for p in version.paragraphs]
    assert "  - Nested bullet with *emphasis*" in imported.text
    assert "   1. Nested step" in imported.text


def test_the_admin_shows_the_word_draft_first_and_publishes_through_the_service(
    client, document, secretariat
):
    client.force_login(secretariat)
    url = reverse("admin:coordination_documentversion_add")
    response = client.post(
        url,
        {"document": document.pk, "text": "", "change_summary": "From Word",
         "word_file": upload(draft_document())},
    )  # fmt: skip
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Check the text taken from the Word file below, then save to publish it." in page
    assert "Taken from the Word file: check it before publishing" in page
    assert "4 paragraphs changed from version 1." in page
    assert document.versions.count() == 1
    text = _textarea(page)
    assert ("5", "Resource mobilisation is key.") in _paragraphs(text)

    response = client.post(url, {"document": document.pk, "text": text, "change_summary": "x"})
    assert response.status_code == 302
    assert dict(document.versions.values_list("number", "status")) == {
        1: DocumentVersion.Status.SUPERSEDED,
        2: DocumentVersion.Status.DRAFT,
    }


def test_the_admin_refuses_a_bad_file_next_to_its_field(client, document, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:coordination_documentversion_add"),
        {"document": document.pk, "text": TYPED, "change_summary": "",
         "word_file": upload(_tracked_changes())},
    )  # fmt: skip
    page = html.unescape(response.content.decode())
    assert re.search(r'class="errorlist[^"]*"[^>]*><li>This file has tracked changes', page), (
        "the error sits with the field"
    )
    assert _textarea(page) == TYPED
    assert document.versions.count() == 1
