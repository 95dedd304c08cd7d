"""The terminal: options as a numbered list, typing the number picks one; works under a pipe."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from markupsafe import Markup

from bot.engine.engine import Engine
from bot.engine.events import FileTooLarge, Incoming, IncomingFile, Reply, parse_command
from bot.engine.profile import OPTION_DATA_LIMIT, ChannelProfile
from bot.engine.render import plain_text
from bot.services.demo import DEMO_CHANNEL, matching, stand_in

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
    join_kinds=frozenset({"code", "link"}),  # shown as on Zalo and on Telegram
    operator=True,
)


def console_join_hint(join_phrase: str) -> Callable[[str], str]:
    """The console tries out every messenger: an invitation is shown as each would take it."""
    return lambda code: f"Zalo: {join_phrase} {code}\nTelegram: /start inv_{code}"


# The same terminal acting as someone on the demo staff lists: not the operator.
ACTING_PROFILE = replace(PROFILE, name=DEMO_CHANNEL, operator=False)
OPERATOR = "local"


class ConsoleChannel:
    def __init__(
        self,
        engine: Engine,
        user_id: str = OPERATOR,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        acting_as: str | None = None,
    ) -> None:
        self.engine = engine
        self.channel = CHANNEL
        self.user_id = user_id
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()
        self.acting_as = acting_as
        t = engine.services.translator.for_language(None)
        join_hint = console_join_hint(t.plain("typed.join_example"))
        engine.services.profiles[CHANNEL] = replace(PROFILE, join_hint=join_hint)
        engine.services.profiles[DEMO_CHANNEL] = replace(ACTING_PROFILE, join_hint=join_hint)

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
            return Incoming(self.channel, self.user_id, "file", file=incoming_file)
        command = parse_command(line.strip())
        if command:
            return Incoming(
                self.channel, self.user_id, "command", command=command[0], args=command[1]
            )
        return Incoming(self.channel, self.user_id, "text", text=line.rstrip("\n"))

    async def say(self, incoming: Incoming) -> None:
        for reply in await self.engine.handle(incoming):
            self.stdout.write(plain_text(reply) + "\n\n")
        # What the answer promised (a workbook), then notices: one terminal shows them all.
        await self.engine.drain()
        services = self.engine.services
        t = services.translator.for_language(None)
        for channel in (CHANNEL, DEMO_CHANNEL):
            for notice in await services.outbox.claim(channel):
                files = "".join(f"\n📎 {f['name']}: {f['path']}" for f in notice.files)
                to = ""
                if (channel, notice.external_id) != (self.channel, self.user_id):
                    person = await services.persons.by_id(notice.person_id)
                    to = t.plain("console.notice_for", name=person.full_name if person else "—")
                text = plain_text(Reply(Markup(notice.text)))
                self.stdout.write(f"🔔 {to}{text}{files}\n\n")
                await services.outbox.sent(notice.id)
        self.stdout.flush()

    async def act_as(self, query: str) -> bool:
        """/as NAME: become someone on the demo staff lists; /as alone: back to the desk.
        False when the name matches nobody, or several people."""
        services = self.engine.services
        t = services.translator.for_language(None)
        query = query.strip()
        if not query:
            self.channel, self.user_id = CHANNEL, OPERATOR
            self.stdout.write(t.plain("console.as_desk") + "\n\n")
            return True
        found = await matching(services, query)
        if len(found) != 1:
            names = "\n".join(f"  • {x.full_name} — {x.position}" for x in found[:15])
            key = "console.as_several" if found else "console.as_nobody"
            self.stdout.write(plain_text(Reply(t(key, query=query, names=names))) + "\n\n")
            return False
        person = await stand_in(services, found[0])
        self.channel, self.user_id = DEMO_CHANNEL, person.external_id
        said = t("console.as_person", name=person.full_name, position=person.position)
        self.stdout.write(f"{said}\n\n")
        return True

    async def run(self) -> None:
        if self.acting_as:
            await self.act_as(self.acting_as)
        # Not /start: a restart must not wipe a half-done join or draft.
        await self.say(Incoming(self.channel, self.user_id, "command", command="__resume__"))
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
                if line.strip() == "/as" or line.strip().startswith("/as "):
                    if await self.act_as(line.strip()[3:]):
                        # What that person had half done is asked again, else their welcome.
                        resume = "__resume__"
                        await self.say(
                            Incoming(self.channel, self.user_id, "command", command=resume)
                        )
                    continue
                await self.say(self.incoming(line))
