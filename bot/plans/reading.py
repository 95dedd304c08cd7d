"""A plan document's text, read within bounds: the file's size, the size of what a zipped
document (docx, odt) unpacks to, the pages and characters read. Blocking: call `read_plan`
through asyncio.to_thread."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from bot.cleaning import clean_block

# A plan is a few pages: these are far beyond any real one, and small enough to read quickly.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # what a .docx or .odt's parts may unpack to, together
MAX_PART_RATIO = 200  # a part unpacking to more than this many times its packed size is a bomb
MAX_PAGES = 200
MAX_TEXT_CHARS = 200_000  # the campaign file's limit for a plan's text
KINDS = (".docx", ".pdf", ".odt", ".txt")


class UnreadablePlan(Exception):
    """Why a document could not be read: 'type', 'size', 'unpacked', 'damaged', 'no_text',
    'encoding' (a key under plan_draft.unreadable in the locales)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PlanText:
    name: str
    text: str  # cleaned lines, paragraphs separated by an empty line
    cut: bool  # longer than MAX_TEXT_CHARS: the rest was not read


def check_container(data: bytes) -> None:
    """A zipped document whose parts would unpack beyond the budget is refused before any is
    read (issue 18 brings the same checks to bot/services/files.py; this one is swappable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                packed = max(info.compress_size, 1)
                if total > MAX_UNPACKED_BYTES or info.file_size / packed > MAX_PART_RATIO:
                    raise UnreadablePlan("unpacked")
    except zipfile.BadZipFile as exc:
        raise UnreadablePlan("damaged") from exc


def read_plan(name: str, data: bytes) -> PlanText:
    kind = PurePath(name).suffix.lower()
    if kind not in KINDS:
        raise UnreadablePlan("type")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnreadablePlan("size")
    if kind == ".txt":
        raw = _text(data)
    elif kind == ".docx":
        check_container(data)
        raw = _docx(data)
    elif kind == ".odt":
        check_container(data)
        raw = _odt(data)
    else:
        raw = _pdf(data)
    text = clean_block(raw)
    if not text.strip():
        raise UnreadablePlan("no_text")
    cut = len(text) > MAX_TEXT_CHARS
    if cut:
        text = text[:MAX_TEXT_CHARS].rsplit("\n", 1)[0]
    return PlanText(name, text, cut)


def read_pasted(text: str) -> PlanText:
    cleaned = clean_block(text)
    cut = len(cleaned) > MAX_TEXT_CHARS
    return PlanText("", cleaned[:MAX_TEXT_CHARS] if cut else cleaned, cut)


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadablePlan("encoding")


def _docx(data: bytes) -> str:
    import docx  # python-docx, already the project's Word writer
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise UnreadablePlan("damaged") from exc
    lines: list[str] = []
    # Body order: paragraphs and tables as they come (a plan's header is often a table).
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(block, document)
            numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
            text = paragraph.text
            lines.append(f"- {text}" if numbered and text.strip() else text)
        elif tag == "tbl":
            table = Table(block, document)
            for row in table.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats in each column it spans
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(p.text for p in cell.paragraphs)
        if sum(len(line) for line in lines) > MAX_TEXT_CHARS * 2:
            break
    return "\n".join(lines)


def _odt(data: bytes) -> str:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            content = archive.read("content.xml")
        except KeyError as exc:
            raise UnreadablePlan("damaged") from exc
    # No entities expanded, no network, no huge trees: a hostile file stays small.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadablePlan("damaged") from exc
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    lines: list[str] = []
    for element in root.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}h"):
        lines.append(_odt_text(element, text_ns))
    return "\n".join(lines)


def _odt_text(element: object, ns: str) -> str:
    from lxml import etree

    assert isinstance(element, etree._Element)
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{{{ns}}}s":
            parts.append(" " * int(child.get(f"{{{ns}}}c", "1")))
        elif tag in (f"{{{ns}}}tab", f"{{{ns}}}line-break"):
            parts.append(" ")
        elif tag not in (f"{{{ns}}}p", f"{{{ns}}}h"):
            parts.append(_odt_text(child, ns))
        parts.append(child.tail or "")
    return "".join(parts)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadablePlan("damaged")
        pages: list[str] = []
        total = 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            pages.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS * 2:
                break
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise UnreadablePlan("damaged") from exc
    return "\n".join(pages)
