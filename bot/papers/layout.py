"""One administrative document laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I prescribes:
A4 portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman, black;
the issuing body top left (the body above it in capitals, the body itself in bold capitals,
a short rule under it), the national heading and motto top right (12–13 pt bold capitals,
13–14 pt bold, a rule under it), the number and symbol under the body, place and date in
italics under the motto; the kind in bold capitals and the subject in bold, centred; the body
in 14 pt, justified, first line indented; "Nơi nhận:" 12 pt bold italic with its list in 11 pt;
the signer's authority and title in bold capitals; page numbers centred in the top margin,
not on the first page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.services.safe_files import add_text

FONT = "Times New Roman"
BODY_PT = 14
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Heading:
    """The top of the first page."""

    superior: str  # the body above the issuer, "" when none (in capitals on the page)
    issuer: str
    number: str  # "Số:      /TTr-SNV": the number is left for the records office
    place_date: str  # "Sóc Trăng, ngày      tháng      năm 2026"


@dataclass(frozen=True)
class Signature:
    authority: str = ""  # TM. ỦY BAN NHÂN DÂN, KT. GIÁM ĐỐC …
    title: str = ""  # CHỦ TỊCH, GIÁM ĐỐC …
    name: str = ""  # left blank: written when signed


@dataclass
class Paper:
    """A document being written, top to bottom."""

    document: Any
    annexes: list[Any] = field(default_factory=list)

    # --- text -------------------------------------------------------------------------
    def paragraph(
        self,
        text: str = "",
        *,
        size: float = BODY_PT,
        bold: bool = False,
        italic: bool = False,
        align: str = "justify",
        indent: bool = True,
        after: float = 6,
        cell: Any = None,
    ) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        where = cell if cell is not None else self.document
        paragraph = where.add_paragraph()
        if cell is not None and len(cell.paragraphs) == 2 and not cell.paragraphs[0].text:
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(after)
        fmt.line_spacing = 1.15
        if indent and align == "justify":
            fmt.first_line_indent = Cm(1.27)
        if text:
            self.run(paragraph, text, size=size, bold=bold, italic=italic)
        return paragraph

    @staticmethod
    def run(
        paragraph: Any,
        text: str,
        *,
        size: float = BODY_PT,
        bold: bool = False,
        italic: bool = False,
    ) -> Any:
        from docx.shared import Pt

        run = add_text(paragraph, text)  # plain and clean, whatever was stored
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        _font(run)
        return run

    def rule(self, cell: Any = None, width: str = "────────") -> None:
        """The short line under the issuer, the motto and the subject."""
        self.paragraph(width, size=BODY_PT - 4, align="center", after=4, cell=cell)

    def body(self, *texts: str) -> None:
        for text in texts:
            self.paragraph(text)

    # --- parts -----------------------------------------------------------------------------
    def heading(self, heading: Heading) -> None:
        table = _layout_table(self.document, [6.6, 9.9])
        left, right = table.rows[0].cells
        if heading.superior:
            self.paragraph(heading.superior.upper(), size=13, align="center", after=0, cell=left)
        self.paragraph(
            heading.issuer.upper(), size=13, bold=True, align="center", after=0, cell=left
        )
        self.rule(left, "──────")
        self.paragraph(heading.number, size=13, align="center", after=0, cell=left)
        self.paragraph(NATIONAL, size=12, bold=True, align="center", after=0, cell=right)
        self.paragraph(MOTTO, size=13, bold=True, align="center", after=0, cell=right)
        self.rule(right, "────────────────")
        self.paragraph(
            heading.place_date, size=14, italic=True, align="center", after=0, cell=right
        )
        self.paragraph("", after=6)

    def title(self, kind: str, subject: str) -> None:
        self.paragraph(kind.upper(), bold=True, align="center", after=0)
        for line in subject.splitlines():
            self.paragraph(line, bold=True, align="center", after=0)
        self.rule()

    def addressed(self, to: str) -> None:
        self.paragraph(to, align="center", after=12)

    def signature(self, signature: Signature, recipients: Sequence[str]) -> None:
        """ "Nơi nhận" on the left, the signer's block on the right; the name left blank."""
        table = _layout_table(self.document, [8.0, 8.5])
        left, right = table.rows[0].cells
        if recipients:
            self.paragraph(
                "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0, cell=left
            )
            for line in recipients:
                self.paragraph(line, size=11, align="left", after=0, cell=left)
        self.signer(right, signature)

    def signer(self, cell: Any, signature: Signature) -> None:
        if signature.authority:
            self.paragraph(
                signature.authority.upper(), bold=True, align="center", after=0, cell=cell
            )
        if signature.title:
            self.paragraph(signature.title.upper(), bold=True, align="center", after=0, cell=cell)
        for _ in range(4):  # room for the signature and the seal
            self.paragraph("", after=0, cell=cell)
        self.paragraph(signature.name, bold=True, align="center", after=0, cell=cell)

    def two_signers(self, left: Signature, right: Signature) -> None:
        table = _layout_table(self.document, [8.25, 8.25])
        self.signer(table.rows[0].cells[0], left)
        self.signer(table.rows[0].cells[1], right)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        size: float = 12,
    ) -> Any:
        """A bordered table (a list, a count): headers bold, 12 pt."""

        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self.paragraph(str(text), size=size, bold=True, align="center", after=0, cell=cell)
        for row in rows:
            cells = table.add_row().cells
            for n, (cell, value) in enumerate(zip(cells, row, strict=True)):
                align = "center" if isinstance(value, (int, float)) or n == 0 else "left"
                self.paragraph(str(value), size=size, align=align, after=0, cell=cell)
        _widths(table, widths)
        return table

    def annex(self, landscape: bool = True) -> None:
        """A new section for an annex (a list with many columns may be laid wide)."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        _margins(section)

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.document.save(str(path))
        return path


def new_paper() -> Paper:
    """A4, the prescribed margins, Times New Roman 14 pt, page numbers from page 2."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    _margins(section)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    _font_element(style.element)
    _page_numbers(section)
    return Paper(document)


def _margins(section: Any) -> None:
    from docx.shared import Mm

    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _font(run: Any) -> None:
    run.font.name = FONT
    _font_element(run._element)


def _font_element(element: Any) -> None:
    """Times New Roman for every script Word distinguishes, Vietnamese included."""
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _layout_table(document: Any, widths_cm: Sequence[float]) -> Any:
    """A borderless table that places blocks side by side."""

    table = document.add_table(rows=1, cols=len(widths_cm))
    _widths(table, widths_cm)
    return table


def _widths(table: Any, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, in the grid (LibreOffice reads it) and in every cell (Word does)."""
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _page_numbers(section: Any) -> None:
    """Centred in the top margin, from page 2 (no number on the first page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    _font(run)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
