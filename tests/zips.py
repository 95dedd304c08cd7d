"""Zip archives built to stall a reader: entries that unpack to hundreds of megabytes from a few
hundred kilobytes, written without ever holding the unpacked bytes (each megabyte is deflated
once, as a block that stands alone, and repeated)."""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

MB = 1024 * 1024


class Entry:
    """An entry: `head`, then `fill` repeated `times`, then `tail`, deflated."""

    def __init__(self, name: str, head: bytes, fill: bytes = b"", times: int = 0,
                 tail: bytes = b"", level: int = 9) -> None:  # fmt: skip
        self.name = name
        self.size = len(head) + len(fill) * times + len(tail)
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(fill, crc)
        self.crc = zlib.crc32(tail, crc)
        self.data = _block(head, level) + (_block(fill) * times if times else b"") + _last(tail)


def _block(data: bytes, level: int = 9) -> bytes:
    """Raw deflate of `data` ending in a full flush: it needs nothing before it."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)


def _last(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH)


def archive(entries: Iterable[Entry]) -> bytes:
    """A zip of these entries (deflated, no zip64: each under 4 GB)."""
    out = bytearray()
    directory = bytearray()
    count = 0
    for entry in entries:
        name = entry.name.encode()
        offset = len(out)
        fields = (20, 0, 8, 0, 0, entry.crc, len(entry.data), entry.size, len(name), 0)
        out += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + entry.data
        central = (20, 20, 0, 8, 0, 0, entry.crc, len(entry.data), entry.size, len(name), 0, 0,
                   0, 0, 0, offset)  # fmt: skip
        directory += b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", *central) + name
        count += 1
    start = len(out)
    out += directory
    out += b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), start, 0)
    return bytes(out)


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"></Types>'
)


@functools.cache
def docx_bomb(megabytes: int) -> bytes:
    """A .docx whose one picture unpacks to `megabytes` MB of zeros."""
    return archive([
        Entry("[Content_Types].xml", CONTENT_TYPES),
        Entry("word/document.xml", b"<w:document/>"),
        Entry("word/media/image1.png", b"", b"\0" * MB, megabytes),
    ])  # fmt: skip


def xlsx_with_huge_cell(megabytes: int) -> bytes:
    """A staff list whose one shared string is `megabytes` MB long."""
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'  # noqa: E501
    return archive([
        Entry("[Content_Types].xml", CONTENT_TYPES),
        Entry("xl/workbook.xml", b"<workbook/>"),
        Entry("xl/sharedStrings.xml", head, b"a" * MB, megabytes, b"</t></si></sst>"),
        Entry("xl/worksheets/sheet1.xml", b"<worksheet/>"),
    ])  # fmt: skip


def rows_sheet(count: int) -> bytes:
    """A staff list of `count` rows: small cells, so only the row limit can stop it."""
    from openpyxl import Workbook

    template = Workbook()
    ws = template.active
    assert ws is not None
    ws.append(["Mã đơn vị", "Đơn vị", "Họ và tên"])
    buffer = io.BytesIO()
    template.save(buffer)
    rows = "".join(
        f'<row r="{n}"><c r="C{n}" t="inlineStr"><is><t>Người {n}</t></is></c></row>'
        for n in range(2, count + 2)
    )
    with zipfile.ZipFile(buffer) as small:
        entries = []
        for name in small.namelist():
            data = small.read(name)
            if name == "xl/worksheets/sheet1.xml":
                head, _, _ = data.partition(b"<sheetData>")
                first = (
                    '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã đơn vị</t></is></c>'
                    '<c r="B1" t="inlineStr"><is><t>Đơn vị</t></is></c>'
                    '<c r="C1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>'
                )
                data = head + f"<sheetData>{first}{rows}</sheetData></worksheet>".encode()
            entries.append(Entry(name, data, level=1))
    return archive(entries)
