"""A plan's text made into the documents a secretariat sends: Word, PDF (with a text layer),
OpenDocument — made here, in the test, from the held-out plans' texts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        paragraph = document.add_paragraph(line)
        if line.isupper():
            for run in paragraph.runs:
                run.bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(text: str) -> bytes:
    from fpdf import FPDF

    # A font with Vietnamese letters that ships with a dependency (matplotlib's DejaVu Sans).
    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=11)
    for line in text.splitlines():
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_odt(text: str) -> bytes:
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.splitlines())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{paragraphs}</office:text></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)  # fmt: skip
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
