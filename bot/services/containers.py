"""Zip containers (.xlsx, .docx, .odt, and any attachment that is a zip) checked before anything
parses them, and spreadsheets read within bounds.

A 455 KB staff list can hold a 300 MB cell, a 1 MB .docx can unpack to 1 GB: a parser handed
either would take the bot's memory and everyone's time. So an archive is refused, naming the
limit it passed, when it lists too many entries, declares too many bytes once unpacked, or
unpacks to too many bytes per byte sent; and then every entry is unpacked in pieces and counted,
since the sizes an archive declares may lie (zipfile stops at the declared size and checks the
CRC, so an entry holding more is caught as broken). This is blocking work: callers run it off
the event loop, before the update's unit of work (bot/services/files.read_ahead)."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.cleaning import clean_line

ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024

Limit = Literal["entries", "total", "ratio", "broken", "rows", "cell"]
# The limits of the archive itself (the others are a sheet's).
CONTAINER_LIMITS = ("entries", "total", "ratio", "broken")


@dataclass(frozen=True)
class ContainerLimits:
    entries: int  # files in the archive
    total: int  # bytes, all entries unpacked
    ratio: int  # bytes unpacked per byte of the archive


# An attachment (a Word or Excel file, an ODT) is kept and handed to the desk, not parsed, but
# the desk's own Word or Excel would choke on a bomb just the same.
ATTACHMENT_LIMITS = ContainerLimits(entries=5_000, total=200 * MB, ratio=100)
# A staff list is parsed: its XML must stay small (20,000 rows of names take ~12 MB).
SHEET_LIMITS = ContainerLimits(entries=500, total=20 * MB, ratio=100)


@dataclass(frozen=True)
class ContainerProblem:
    """Which limit a file passed: the limit and what the file had (for the message)."""

    limit: Limit
    allowed: int = 0
    found: int = 0

    @property
    def values(self) -> dict[str, object]:
        """For the message: sizes in MB, counts as they are."""
        if self.limit == "total":
            allowed = self.allowed // MB  # and found rounded, yet always past it
            return {"allowed": allowed, "found": max(round(self.found / MB), allowed + 1)}
        return {"allowed": self.allowed, "found": self.found}


def is_zip(content: bytes) -> bool:
    return content.startswith(ZIP_MAGIC)


def container_problem(content: bytes, limits: ContainerLimits) -> ContainerProblem | None:
    """None when the archive is within `limits`, every entry unpacked and counted."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if len(entries) > limits.entries:
                return ContainerProblem("entries", limits.entries, len(entries))
            declared = sum(entry.file_size for entry in entries)
            if declared > limits.total:
                return ContainerProblem("total", limits.total, declared)
            if declared > limits.ratio * max(len(content), 1):
                return ContainerProblem("ratio", limits.ratio, declared // max(len(content), 1))
            unpacked = 0
            for entry in entries:
                with archive.open(entry) as stream:
                    while piece := stream.read(256 * 1024):
                        unpacked += len(piece)
                        if unpacked > limits.total:  # more than declared: a lie, refused
                            return ContainerProblem("total", limits.total, unpacked)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError):  # fmt: skip
        # Broken, encrypted, or a compression zipfile does not know: not a file to keep.
        return ContainerProblem("broken")
    return None


def sheet_rows_problem(content: bytes) -> ContainerProblem | None:
    """A worksheet of more than ROWS_LIMIT rows, found by counting its rows' tags as the XML
    unpacks (in pieces): refused at once, before openpyxl would parse 20,000 rows to see it.
    The archive has passed container_problem."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for entry in archive.infolist():
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", entry.filename):
                continue
            rows, tail = 0, b""
            with archive.open(entry) as stream:
                while piece := stream.read(256 * 1024):
                    window = tail + piece
                    rows += window.count(b"<row ") + window.count(b"<row>")
                    tail = window[-4:]
                    # A tag cut between two pieces is counted once: the tail is too short
                    # to hold a whole "<row " itself.
                    if rows > ROWS_LIMIT:
                        return ContainerProblem("rows", ROWS_LIMIT, rows)
    return None


@dataclass
class SheetRows:
    """The first sheet's rows as cleaned text, within bounds; `problem` says which was passed
    (the rows read before it are kept, to name the row)."""

    rows: list[list[str]] = field(default_factory=list)
    problem: ContainerProblem | None = None
    problem_row: int = 0


ROWS_LIMIT = 20_000
COLUMNS_LIMIT = 30
CELL_LIMIT = 1_000  # characters: a name, a position, a phone number


def _text(value: object) -> str:
    """A cell's value as text: a date as dd/mm/yyyy, a whole number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_sheet(content: bytes) -> SheetRows:
    """The rows of a workbook's first sheet (checked as a container first), values only (a
    formula's cached result, never the formula), each cell one clean line. openpyxl's read-only
    mode streams the sheet; it stops past ROWS_LIMIT rows or at a cell longer than CELL_LIMIT.
    Blocking, and openpyxl takes many times a sheet's size in memory: the bot runs it in a
    process of its own (bot/services/export_worker.py)."""
    from openpyxl import load_workbook  # imported where used: not needed to chat

    read = SheetRows()
    read.problem = container_problem(content, SHEET_LIMITS)
    if read.problem is not None:
        return read
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        read.problem = ContainerProblem("broken")
        return read
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_row=ROWS_LIMIT + 1, max_col=COLUMNS_LIMIT, values_only=True)
        for number, row in enumerate(rows, 1):
            if number > ROWS_LIMIT:
                read.problem, read.problem_row = ContainerProblem("rows", ROWS_LIMIT), number
                break
            cells = [_text(value) for value in row]
            longest = max((len(cell) for cell in cells), default=0)
            if longest > CELL_LIMIT:
                read.problem = ContainerProblem("cell", CELL_LIMIT, longest)
                read.problem_row = number
                break
            read.rows.append([clean_line(cell) for cell in cells])
    except (KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile, OSError):
        read.problem = ContainerProblem("broken")
    finally:
        workbook.close()
    return read
