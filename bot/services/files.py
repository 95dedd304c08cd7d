"""Attachments kept on disk by content: name, size, type and SHA-256 recorded with the record."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from bot.domain.records import Attachment

ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


def file_problem(name: str, size: int | None) -> str | None:
    """'type' or 'size' when the file may not be kept; None when it may."""
    if Path(name).suffix.lower() not in ALLOWED_TYPES:
        return "type"
    if size is not None and size > MAX_FILE_BYTES:
        return "size"
    return None


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, name: str, content: bytes) -> Attachment:
        digest = hashlib.sha256(content).hexdigest()
        path = self.root / digest[:2] / digest
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".part")
            temporary.write_bytes(content)
            temporary.replace(path)  # whole file or nothing, even if killed mid-write
        suffix = Path(name).suffix.lower()
        mime = (
            ALLOWED_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        return Attachment(name, mime, len(content), digest, str(path.relative_to(self.root)))

    def path(self, attachment: Attachment) -> Path:
        return self.root / attachment.stored_path

    def read(self, attachment: Attachment) -> bytes:
        return self.path(attachment).read_bytes()
