"""What a channel hands the core and what the core answers, independent of any messenger."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup

from bot.cleaning import clean_block, clean_line
from bot.i18n import as_plain

if TYPE_CHECKING:
    from bot.services.containers import ContainerProblem, SheetRows

# "other": a sticker, voice, location … — answered with what the bot understands.
IncomingKind = Literal["command", "text", "option", "file", "other"]


class FileTooLarge(Exception):
    """The file holds more bytes than the caller would take; nothing past the limit was kept."""


@dataclass(frozen=True)
class IncomingFile:
    """A file someone sent; its bytes are fetched only once it is known to be wanted, and never
    more than `limit` of them (FileTooLarge), whatever size the sender declared."""

    name: str
    size: int | None  # as declared by the sender: a hint, not a promise
    fetch: Callable[[int], Awaitable[bytes]]
    is_photo: bool = False
    # Read ahead, before the update's unit of work (bot/services/files.read_ahead): the bytes
    # fetched (`fetch` then returns them), a zip container checked, a spreadsheet's rows read.
    read_ahead: bool = False
    container: ContainerProblem | None = None
    sheet: SheetRows | None = None


@dataclass(frozen=True)
class Incoming:
    channel: str
    user_id: str
    kind: IncomingKind
    text: str = ""
    command: str = ""
    args: str = ""
    update_id: str | None = None
    file: IncomingFile | None = None
    private: bool = True  # a one-to-one chat, where other people's data may be shown

    def cleaned(self) -> Incoming:
        """What the person typed as the core keeps it: no control or format characters, NFC,
        spaces tidied (line breaks kept in a text; a command's arguments on one line)."""
        if self.kind == "text":
            return replace(self, text=clean_block(self.text))
        if self.kind == "command":
            return replace(self, args=clean_line(self.args))
        return self


@dataclass(frozen=True)
class Option:
    """A choice: a button on Telegram, a numbered line on Zalo and the console. Its label is
    plain text on every messenger (a button shows `&amp;` literally): a message from the
    catalog given as a label is turned into the text it reads as."""

    label: str
    data: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", as_plain(self.label))


@dataclass(frozen=True)
class OutgoingFile:
    """A file sent with a reply: an attachment kept on disk, an export just written."""

    name: str
    path: Path
    image: bool = False  # shown as a picture (a chart), not as a document


@dataclass
class Reply:
    """HTML-safe text (user text already escaped) and options in rows."""

    text: Markup
    options: list[list[Option]] = field(default_factory=list)
    # Replace the message whose button was tapped (a checklist being ticked), where possible.
    edit: bool = False
    files: list[OutgoingFile] = field(default_factory=list)

    @property
    def flat_options(self) -> list[Option]:
        return [option for row in self.options for option in row]


def encode_replies(replies: list[Reply]) -> str:
    """Replies as kept with their update until sent (answered after a crash from this)."""
    return json.dumps(
        [
            {
                "text": str(r.text),
                "options": [[[o.label, o.data] for o in row] for row in r.options],
                "edit": r.edit,
                "files": [[f.name, str(f.path), f.image] for f in r.files],
            }
            for r in replies
        ],
        ensure_ascii=False,
    )


def decode_replies(raw: str) -> list[Reply]:
    return [
        Reply(
            Markup(item["text"]),
            [[Option(label, data) for label, data in row] for row in item["options"]],
            edit=item["edit"],
            files=[OutgoingFile(name, Path(path), image) for name, path, image in item["files"]],
        )
        for item in json.loads(raw)
    ]


def parse_command(text: str) -> tuple[str, str] | None:
    """'/start@ThiDuaBot inv_x' -> ('start', 'inv_x'); None when text is not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, args.strip()) if name else None
