"""Word files for the tests, made as Word, python-docx or LibreOffice make them."""

import io
import subprocess
from pathlib import Path

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FILES = Path(__file__).parent / "files"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(document_or_bytes, name: str = "draft.docx") -> SimpleUploadedFile:
    if isinstance(document_or_bytes, bytes):
        data = document_or_bytes
    else:
        stream = io.BytesIO()
        document_or_bytes.save(stream)
        data = stream.getvalue()
    return SimpleUploadedFile(name, data, content_type=DOCX_TYPE)


def add_hyperlink(paragraph, url: str, text: str) -> None:
    """python-docx has no API for writing a link: the XML Word writes."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def add_tracked_insertion(paragraph, text: str) -> None:
    """A change Word tracked and nobody accepted yet."""
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "101")
    insertion.set(qn("w:author"), "A member")
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    insertion.append(run)
    paragraph._p.append(insertion)


def libreoffice_docx(source: Path, tmp_path: Path) -> bytes:
    """`soffice --headless --convert-to docx`, with a profile of its own (runs may overlap)."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / f"{source.stem}.docx").read_bytes()


def draft_document() -> docx.Document:
    """A draft as a secretariat officer writes it: headings, a formatted paragraph with a
    link, a numbered list with a nested bulleted one, and a table."""
    document = docx.Document()
    document.add_heading("Pathfinder Country Guidance Note", 1)
    paragraph = document.add_paragraph("Countries that ")
    paragraph.add_run("commit").bold = True
    paragraph.add_run(" to ")
    paragraph.add_run("accelerate").italic = True
    paragraph.add_run(" action, as set out on ")
    add_hyperlink(paragraph, "https://www.alliance87.org/pathfinder-countries/", "the website")
    paragraph.add_run(".")
    document.add_heading("Becoming a pathfinder country", 2)
    document.add_paragraph("A government writes to the Secretariat.", style="List Number")
    document.add_paragraph("A focal point is nominated.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(
        table.rows[0].cells + table.rows[1].cells,
        ["Step", "When", "Roadmap", "Within a year"],
        strict=True,
    ):
        cell.text = text
    document.add_paragraph("Resource mobilisation is key.")
    return document
