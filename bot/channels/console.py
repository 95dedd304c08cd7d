"""The terminal: options as a numbered list, typing the number picks one; works under a pipe."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from markupsafe import Markup

from bot.engine.engine import Engine
from bot.engine.events import FileTooLarge, Incoming, IncomingFile, Reply, parse_command
from bot.engine.profile import OPTION_DATA_LIMIT, ChannelProfile
from bot.engine.render import plain_text

CHANNEL = "console"
QUIT = {"/quit", "/exit"}
INPUT_LIMIT = 4096

PROFILE = ChannelProfile(
    CHANNEL,
    text_limit=None,
    input_limit=INPUT_LIMIT,
    buttons=False,
    edits=False,
    option_data_limit=OPTION_DATA_LIMIT,
    join_hint=lambda code: f"/start inv_{code}",
    operator=True,
)


class ConsoleChannel:
    def __init__(
        self,
        engine: Engine,
        user_id: str = "local",
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
    ) -> None:
        self.engine = engine
        self.user_id = user_id
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()
        engine.services.profiles[CHANNEL] = PROFILE

    def incoming(self, line: str) -> Incoming:
        path = Path(line.strip()).expanduser()
        if line.strip().startswith(("/", "~", "./")) and path.is_file():
            # The console's way of sending a file: its local path.
            async def fetch(limit: int) -> bytes:
                with path.open("rb") as stream:
                    content = stream.read(limit + 1)
                if len(content) > limit:
                    raise FileTooLarge(path.name)
                return content

            incoming_file = IncomingFile(path.name, path.stat().st_size, fetch)
            return Incoming(CHANNEL, self.user_id, "file", file=incoming_file)
        command = parse_command(line.strip())
        if command:
            return Incoming(CHANNEL, self.user_id, "command", command=command[0], args=command[1])
        return Incoming(CHANNEL, self.user_id, "text", text=line.rstrip("\n"))

    async def say(self, incoming: Incoming) -> None:
        for reply in await self.engine.handle(incoming):
            self.stdout.write(plain_text(reply) + "\n\n")
        # What the answer promised (a workbook), then notices: one terminal shows them all.
        await self.engine.drain()
        outbox = self.engine.services.outbox
        for notice in await outbox.claim(CHANNEL):
            files = "".join(f"\n📎 {f['name']}: {f['path']}" for f in notice.files)
            self.stdout.write("🔔 " + plain_text(Reply(Markup(notice.text))) + files + "\n\n")
            await outbox.sent(notice.id)
        self.stdout.flush()

    async def run(self) -> None:
        await self.say(self.incoming("/start"))
        while True:
            if self.interactive:
                self.stdout.write("› ")
                self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line or line.strip() in QUIT:
                return
            if self.interactive or line.strip():
                if not self.interactive:
                    self.stdout.write(f"› {line.rstrip()}\n")
                await self.say(self.incoming(line))
