"""The bot as a real process (python run_bot.py) against a messenger stand-in: started,
killed with SIGKILL from inside the stand-in, started again; or serving the Zalo OA on a web
server of its own, as one of several instances on one store."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import sys
import time
from pathlib import Path

from tests.standins.telegram_api import SentMessage, TelegramStandIn, User

ROOT = Path(__file__).resolve().parent.parent
TODAY = "22/11/2026"


async def run_bot(folder: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`python run_bot.py` on the store in `folder`, pinned to TODAY unless `env` says."""
    settings = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/bot.sqlite3",
        "TODAY": TODAY,
        "FILES_DIR": str(folder / "files"),
        **env,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "run_bot.py"),
        env=settings,
        cwd=folder,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def peak_memory_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


class BotProcess:
    def __init__(self, standin: TelegramStandIn, folder: Path, **env: str) -> None:
        self.standin = standin
        self.folder = folder
        self.env = env
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, **env: str) -> BotProcess:
        calls = len(self.standin.calls)
        messenger = {"BOT_TOKEN": self.standin.token, "TELEGRAM_API_URL": self.standin.url}
        self.process = process = await run_bot(self.folder, {**messenger, **self.env, **env})
        await self.standin.wait_until(
            lambda: process.returncode is not None or "getUpdates" in self.standin.calls[calls:],
            30,
        )
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()

    async def killed(self) -> None:
        """Wait for the SIGKILL the test arranged."""
        assert self.process is not None
        assert await asyncio.wait_for(self.process.wait(), 20) == -signal.SIGKILL

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 30)


class OAProcess:
    """`run_bot.py` with only the Zalo OA configured, listening on `port`; started once its web
    server answers (it has refreshed the tokens, or found valid ones in the store, by then)."""

    def __init__(self, folder: Path, port: int, **env: str) -> None:
        self.folder = folder
        self.port = port
        self.env = env
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> OAProcess:
        listen = {"WEBHOOK_LISTEN": f"127.0.0.1:{self.port}"}
        self.process = await run_bot(self.folder, {**self.env, **listen})
        deadline = time.monotonic() + 30
        while not listening(self.port):
            assert self.process.returncode is None, "the bot stopped at start-up"
            assert time.monotonic() < deadline, "the bot's web server did not start"
            await asyncio.sleep(0.05)
        return self

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 30)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Person:
    """Someone chatting with the process: each step waits until the bot has marked the update
    answered in its inbox (the last thing it does with an update)."""

    def __init__(self, standin: TelegramStandIn, user: User, folder: Path) -> None:
        self.standin = standin
        self.user = user
        self.database = folder / "bot.sqlite3"

    def messages(self) -> list[SentMessage]:
        return self.standin.messages_to(self.user.id)

    def answered(self, update_id: int) -> bool:
        with sqlite3.connect(self.database) as db:
            row = db.execute(
                "SELECT answered_at FROM inbox WHERE update_id = ?", (str(update_id),)
            ).fetchone()
        return row is not None and row[0] is not None

    async def until_answered(self, update_id: int, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while not self.answered(update_id):
            assert time.monotonic() < deadline, f"update {update_id} not answered"
            # Another process writes it: look again after its next call to the stand-in.
            with contextlib.suppress(TimeoutError):
                await self.standin.wait_until(lambda: False, 0.05)

    async def say(self, text: str) -> list[SentMessage]:
        before = len(self.messages())
        await self.until_answered(self.standin.send_text(self.user, text))
        return self.messages()[before:]

    async def tap(self, label: str) -> None:
        await self.until_answered(self.standin.tap(self.user, self.messages()[-1], label))
