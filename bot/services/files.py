"""Attachments kept on disk by content: their type checked from the bytes, not the name; name,
size, type and SHA-256 recorded with the record."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from bot.cleaning import clean_line
from bot.domain.records import Attachment
from bot.engine.events import FileTooLarge, IncomingFile
from bot.services.containers import (
    ATTACHMENT_LIMITS,
    CONTAINER_LIMITS,
    ROWS_LIMIT,
    SHEET_LIMITS,
    ContainerProblem,
    SheetRows,
    container_problem,
    is_zip,
    sheet_rows_problem,
)

log = logging.getLogger(__name__)

# Name ending -> (MIME type, what the first bytes must be).
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", "pdf"),
    ".doc": ("application/msword", "ole"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ".xls": ("application/vnd.ms-excel", "ole"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ".odt": ("application/vnd.oasis.opendocument.text", "odt"),
    ".jpg": ("image/jpeg", "jpeg"),
    ".jpeg": ("image/jpeg", "jpeg"),
    ".png": ("image/png", "png"),
}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
NAME_LIMIT = 120


def sniff(content: bytes) -> str | None:
    """What the bytes are, whatever the name says."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # the old Word and Excel formats
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    kind = archive.read("mimetype").decode("ascii", "replace").strip()
                    return "odt" if kind == "application/vnd.oasis.opendocument.text" else None
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def file_problem(name: str, size: int | None, content: bytes | None = None) -> str | None:
    """'type', 'size', 'empty' or 'content' (not what its name says) when the file may not be
    kept; None when it may. Without the content only the name and declared size are checked."""
    allowed = ALLOWED_TYPES.get(Path(name).suffix.lower())
    if allowed is None:
        return "type"
    if size is not None and size > MAX_FILE_BYTES:
        return "size"
    if content is None:
        return None
    if not content:
        return "empty"
    if sniff(content) != allowed[1]:
        return "content"
    return None


def safe_name(name: str) -> str:
    """The name as shown and handed back: no folders, no control characters, not too long."""
    base = clean_line(re.split(r"[\\/]", name)[-1]).strip(". ")
    if not base:
        return "tep"
    if len(base) > NAME_LIMIT:
        suffix = Path(base).suffix[:10]
        base = base[: NAME_LIMIT - len(suffix)] + suffix
    return base


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, name: str, content: bytes) -> Attachment:
        """Blocking file I/O: call it through asyncio.to_thread."""
        digest = hashlib.sha256(content).hexdigest()
        path = self.root / digest[:2] / digest
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".part")
            temporary.write_bytes(content)
            temporary.replace(path)  # whole file or nothing, even if killed mid-write
        clean = safe_name(name)
        mime = ALLOWED_TYPES.get(Path(clean).suffix.lower(), ("application/octet-stream", ""))[0]
        return Attachment(clean, mime, len(content), digest, str(path.relative_to(self.root)))

    def path(self, attachment: Attachment) -> Path:
        return self.root / attachment.stored_path

    def read(self, attachment: Attachment) -> bytes:
        return self.path(attachment).read_bytes()


# Files some handler takes (attachments, campaign and organisation files, plan texts, staff
# lists): only these are fetched ahead.
READ_AHEAD = {*ALLOWED_TYPES, ".yaml", ".yml", ".txt"}


def _held(content: bytes, name: str) -> Callable[[int], Awaitable[bytes]]:
    async def fetch(limit: int) -> bytes:
        if len(content) > limit:
            raise FileTooLarge(name)
        return content

    return fetch


def _too_large(name: str) -> Callable[[int], Awaitable[bytes]]:
    async def fetch(limit: int) -> bytes:
        raise FileTooLarge(name)

    return fetch


async def read_ahead(file: IncomingFile) -> IncomingFile:
    """The file fetched (at most MAX_FILE_BYTES), a zip container checked and a spreadsheet's
    rows read — before the update's unit of work, so that nobody waits on one person's file,
    and off the event loop (a sheet in a process of its own). What a handler then fetches is
    what was read here. A file no handler takes, or declared too large, is left alone; a fetch
    that fails is left for the handler to meet and explain."""
    suffix = Path(file.name).suffix.lower()
    if suffix not in READ_AHEAD or (file.size is not None and file.size > MAX_FILE_BYTES):
        return file
    try:
        content = await file.fetch(MAX_FILE_BYTES)
    except FileTooLarge:
        return replace(file, fetch=_too_large(file.name))
    except Exception as exc:  # the network, the messenger: the handler tries and says so
        log.warning("could not read %s ahead: %s", safe_name(file.name), exc)
        return file
    container: ContainerProblem | None = None
    sheet: SheetRows | None = None
    if is_zip(content) and suffix == ".xlsx":  # a staff list, or an Excel attachment
        sheet = await sheet_of(content, file.name)
        container = sheet.problem if sheet.problem is not None else None
        if container is not None and container.limit in ("entries", "total"):
            # Past a staff list's bounds, maybe not an attachment's (these are wider).
            container = await asyncio.to_thread(container_problem, content, ATTACHMENT_LIMITS)
        elif container is not None and container.limit not in CONTAINER_LIMITS:
            container = None  # past a sheet's rows or cell length: fine as an attachment
    elif is_zip(content):
        container = await asyncio.to_thread(container_problem, content, ATTACHMENT_LIMITS)
    return replace(
        file, fetch=_held(content, file.name), read_ahead=True, container=container, sheet=sheet
    )


async def sheet_of(content: bytes, name: str) -> SheetRows:
    """A spreadsheet's rows (containers.read_sheet): the archive checked against SHEET_LIMITS
    here, off the event loop, then read in the worker process, where openpyxl's memory goes
    when it ends."""
    from bot.services.export_worker import run_elsewhere

    def bounded() -> ContainerProblem | None:
        return container_problem(content, SHEET_LIMITS) or sheet_rows_problem(content)

    problem = await asyncio.to_thread(bounded)
    if problem is not None:
        return SheetRows(problem=problem, problem_row=ROWS_LIMIT + 1)
    try:
        sheet: SheetRows = await run_elsewhere("sheet", content)
    except RuntimeError as exc:  # the reading process died (out of memory, say)
        log.warning("could not read the sheet %s: %s", safe_name(name), exc)
        return SheetRows(problem=ContainerProblem("broken"))
    return sheet


async def container_of(file: IncomingFile, content: bytes) -> ContainerProblem | None:
    """The limit a zip container passed, as read ahead (or checked now, off the event loop,
    when it was not)."""
    if file.read_ahead:
        return file.container
    if not is_zip(content):
        return None
    return await asyncio.to_thread(container_problem, content, ATTACHMENT_LIMITS)
