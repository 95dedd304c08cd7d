"""Zalo through the Zalo Bot API (bot-api.zaloplatforms.com/bot<TOKEN>/<method>), a thin httpx
client of our own: plain text up to 2000 characters, no buttons (options are a numbered list and
"2" picks the second), one update per getUpdates, 408 when idle.

Updates go through the same durable inbox as Telegram's: stored, then handled through the core's
unit of work (each person's in order), answered, marked answered. Zalo gives no update id, so a
delivery is known by its event and message id."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from aiohttp import BodyPartReader, web
from markupsafe import Markup

from bot.channels.common import deliver_notices, wind_down
from bot.channels.file_links import UPLOAD_ROUTE, FileLinks
from bot.engine.dispatch import Dispatcher
from bot.engine.engine import Engine
from bot.engine.events import (
    FileTooLarge,
    Incoming,
    IncomingFile,
    Option,
    OutgoingFile,
    Reply,
    parse_command,
)
from bot.engine.profile import OPTION_DATA_LIMIT, ChannelProfile
from bot.engine.render import html_to_plain, plain_text
from bot.services.container import Services
from bot.services.files import MAX_FILE_BYTES
from bot.settings import Settings
from storage.outbox import Notice

log = logging.getLogger(__name__)

CHANNEL = "zalo"
TEXT_LIMIT = 2000
POLL_TIMEOUT = 30
RETRIES = 3
WEBHOOK_BODY_LIMIT = 256 * 1024  # one update is a few hundred bytes

UpdateDone = Callable[[str], Awaitable[None]]


class ZaloError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description

    @property
    def transient(self) -> bool:
        return self.code == 429 or self.code >= 500


class ZaloClient:
    """The Bot API's envelope {ok, result, error_code, description}; 429 and 5xx retried."""

    def __init__(self, base_url: str, token: str) -> None:
        self._base = f"{base_url.rstrip('/')}/bot{token}"
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(POLL_TIMEOUT + 15, connect=10))

    async def close(self) -> None:
        await self._http.aclose()

    async def call(self, method: str, payload: dict[str, Any] | None = None) -> Any:
        for attempt in range(RETRIES + 1):
            try:
                return await self._call_once(method, payload or {})
            except ZaloError as exc:
                if not exc.transient or attempt == RETRIES:
                    raise
            except httpx.TransportError as exc:
                if attempt == RETRIES:
                    raise ZaloError(503, f"network: {exc}") from exc
            await asyncio.sleep(0.5 * 2**attempt)
        raise AssertionError("unreachable")

    async def _call_once(self, method: str, payload: dict[str, Any]) -> Any:
        response = await self._http.post(f"{self._base}/{method}", json=payload)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not body.get("ok", False):
            code = int(body.get("error_code") or response.status_code)
            raise ZaloError(code, str(body.get("description") or response.reason_phrase))
        return body.get("result")

    async def download(self, url: str, limit: int) -> bytes:
        """An image Zalo shows by URL, read no further than `limit` bytes."""
        content = bytearray()
        async with self._http.stream("GET", url) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                content += chunk
                if len(content) > limit:
                    raise FileTooLarge(url)
        return bytes(content)


def split_plain(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Messages of at most `limit` characters, cut at line ends where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a message: cut at a space
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def delivery_id(update: dict[str, Any]) -> str | None:
    message = update.get("message") or {}
    message_id = message.get("message_id")
    return f"{update.get('event_name', '')}:{message_id}" if message_id else None


class ZaloChannel:
    def __init__(self, settings: Settings, engine: Engine, services: Services) -> None:
        assert settings.zalo_bot_token, "ZaloChannel needs ZALO_BOT_TOKEN"
        self.engine = engine
        self.services = services
        self.settings = settings
        self.webhook_port: int | None = None  # once listening (tests ask for port 0)
        self.client = ZaloClient(settings.zalo_api_url, settings.zalo_bot_token)
        # Files cannot be sent to a Zalo chat: with PUBLIC_BASE_URL they go as signed links.
        self.file_links = (
            FileLinks(
                settings.public_base_url,
                settings.files_path.parent,
                settings.zalo_bot_token,
                services.clock,
            )
            if settings.public_base_url
            else None
        )
        self.dispatcher = Dispatcher()
        self.on_update_done: UpdateDone | None = None
        t = services.translator.for_language(None)
        join_phrase = t.plain("typed.join_example")
        services.profiles[CHANNEL] = ChannelProfile(
            CHANNEL,
            text_limit=TEXT_LIMIT,
            input_limit=TEXT_LIMIT,
            buttons=False,
            edits=False,
            option_data_limit=OPTION_DATA_LIMIT,
            join_hint=lambda code: f"Zalo: {join_phrase} {code}",
            documents_in=False,
            upload_link=self.file_links.upload_url if self.file_links else lambda account: None,
        )

    # --- lifecycle ------------------------------------------------------------------------
    async def run_until(self, stop: asyncio.Event, poll_timeout: int = POLL_TIMEOUT) -> None:
        """Polling, or with ZALO_WEBHOOK_URL a webhook (the two exclude each other on Zalo)."""
        try:
            await self.client.call("getMe")
            await self._resume_unfinished()
            sender = asyncio.create_task(
                deliver_notices(self.services.outbox, CHANNEL, stop, self._deliver)
            )
            web_server = None
            if self.settings.zalo_webhook_url or self.file_links:
                web_server = asyncio.create_task(self._serve_web())
            if self.settings.zalo_webhook_url:
                assert web_server is not None
                task = web_server
            else:
                with contextlib.suppress(ZaloError):  # 404 when none was set
                    await self.client.call("deleteWebhook")
                task = asyncio.create_task(self._poll(poll_timeout))
            await stop.wait()
            await wind_down(task, self.dispatcher, self.engine, sender)
            if web_server is not None and web_server is not task:
                web_server.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await web_server
        finally:
            await self.client.close()

    async def _serve_web(self) -> None:
        """The bot's web server: Zalo's webhook (each update stored before Zalo hears 200, then
        handled) and the signed file links, as configured."""
        url, secret = self.settings.zalo_webhook_url, self.settings.zalo_webhook_secret
        app = web.Application(client_max_size=MAX_FILE_BYTES + 64 * 1024)
        if url is not None:
            app.router.add_post(urlsplit(url).path or "/", self._on_webhook)
        if self.file_links is not None:
            self.file_links.add_to(app)
            app.router.add_get(UPLOAD_ROUTE, self._upload_page)
            app.router.add_post(UPLOAD_ROUTE, self._upload)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        host, _, port = self.settings.webhook_listen.rpartition(":")
        site = web.TCPSite(runner, host, int(port))
        await site.start()
        self.webhook_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        if url is not None:
            await self.client.call("setWebhook", {"url": url, "secret_token": secret})
        log.info("web server for Zalo listening on %s:%s", host, self.webhook_port)
        try:
            await asyncio.Event().wait()  # until cancelled at stop
        finally:
            await runner.cleanup()

    def _page(self, message: str, form: bool) -> web.Response:
        t = self.services.translator.for_language(None)
        button = (
            '<form method="post" enctype="multipart/form-data">'
            f'<p><input type="file" name="file" required></p><p><button>{t("upload_page.send")}'
            "</button></p></form>"
            if form
            else ""
        )
        html = (
            '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{t("upload_page.title")}</title></head><body style="font-family:sans-serif;'
            f'max-width:36em;margin:1em auto;padding:0 1em"><h2>{t("upload_page.title")}</h2>'
            f"<p>{message}</p>{button}</body></html>"
        )
        return web.Response(text=html, content_type="text/html")

    async def _upload_page(self, request: web.Request) -> web.Response:
        assert self.file_links is not None
        self.file_links.upload_account(request)
        return self._page(
            str(self.services.translator.for_language(None)("upload_page.intro")), True
        )

    async def _upload(self, request: web.Request) -> web.Response:
        """A document uploaded on the page becomes a file sent by that Zalo account: the same
        unit of work, checks and answer in the chat as a file sent on any messenger."""
        assert self.file_links is not None
        account = self.file_links.upload_account(request)
        t = self.services.translator.for_language(None)
        reader = await request.multipart()
        part = await reader.next()
        if not isinstance(part, BodyPartReader) or not part.filename:
            return self._page(t.plain("upload_page.missing"), True)
        content = bytearray()
        while chunk := await part.read_chunk():
            content += chunk
            if len(content) > MAX_FILE_BYTES:
                return self._page(t.plain("upload_page.too_big"), True)
        data = bytes(content)

        async def fetch(limit: int) -> bytes:
            if len(data) > limit:
                raise FileTooLarge(part.filename or "")
            return data

        upload = IncomingFile(part.filename, len(data), fetch)
        incoming = Incoming(
            CHANNEL, account, "file", file=upload, update_id=f"upload:{secrets.token_hex(8)}"
        )
        replies = await self.engine.handle(incoming)
        await self.send(account, replies)
        await self.engine.answered(incoming)
        return self._page(t.plain("upload_page.received"), True)

    async def _on_webhook(self, request: web.Request) -> web.Response:
        secret = self.settings.zalo_webhook_secret or ""
        given = request.headers.get("X-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("Zalo webhook call without the right secret from %s", request.remote)
            return web.json_response({"ok": False, "description": "forbidden"}, status=403)
        if (request.content_length or 0) > WEBHOOK_BODY_LIMIT:
            return web.json_response({"ok": False, "description": "too large"}, status=413)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"ok": False, "description": "not JSON"}, status=400)
        await self.receive(body)
        return web.json_response({"ok": True})

    async def _poll(self, poll_timeout: int) -> None:
        failures = 0
        while True:
            try:
                update = await self.client.call("getUpdates", {"timeout": str(poll_timeout)})
                failures = 0
            except ZaloError as exc:
                if exc.code == 408:  # nothing arrived while we waited: poll again
                    continue
                failures += 1
                log.warning("Zalo getUpdates failed (%s); trying again", exc)
                await asyncio.sleep(min(30.0, 0.5 * 2**failures))
                continue
            try:
                await self.receive(update)
            except Exception:  # polling goes on; Zalo gives no second delivery to wait for
                log.exception("could not store a Zalo update: %.200s", update)

    async def receive(self, update: Any) -> None:
        """One update (as polled, or a webhook body, wrapped in {ok, result} or bare): stored,
        then handled in its sender's turn."""
        if isinstance(update, dict) and "result" in update and "event_name" not in update:
            update = update["result"]
        if not isinstance(update, dict):
            return
        key = delivery_id(update)
        sender = str(((update.get("message") or {}).get("from") or {}).get("id", ""))
        if key is None or not sender:
            return
        await self.services.inbox.store(CHANNEL, [(key, sender, json.dumps(update))])
        self._submit(sender, key, update)

    async def _resume_unfinished(self) -> None:
        for stored in await self.services.inbox.unfinished(CHANNEL):
            assert stored.payload is not None
            self._submit(stored.sender, stored.update_id, json.loads(stored.payload))

    def _submit(self, sender: str, key: str, update: dict[str, Any]) -> None:
        self.dispatcher.submit(sender, lambda: self._handle(key, update))

    # --- handling ---------------------------------------------------------------------------
    async def _handle(self, key: str, update: dict[str, Any]) -> None:
        try:
            try:
                incoming = self._incoming(key, update)
            except (KeyError, TypeError):  # not the shape Zalo documents: not tried again
                log.warning("Zalo update %s of an unknown shape: %.200s", key, update)
                await self.services.inbox.answered(CHANNEL, key)
                return
            chat = update["message"].get("chat") or {}
            chat_id = str(chat.get("id") or incoming.user_id)
            typing = asyncio.create_task(self._typing(chat_id))
            try:
                replies = await self.engine.handle(incoming)
            except Exception:
                log.exception("error while handling Zalo update %s", key)
                replies = [Reply(self.services.translator.for_language(None)("errors.internal"))]
            finally:
                typing.cancel()
            await self.send(chat_id, replies)
            await self.engine.answered(incoming)
        finally:
            if self.on_update_done is not None:
                await self.on_update_done(key)

    async def _typing(self, chat_id: str) -> None:
        """The typing indicator, only when an answer takes more than a moment."""
        await asyncio.sleep(0.8)
        with contextlib.suppress(ZaloError):
            await self.client.call("sendChatAction", {"chat_id": chat_id, "action": "typing"})

    def _incoming(self, key: str, update: dict[str, Any]) -> Incoming:
        message = update["message"]
        event = str(update.get("event_name", ""))
        sender = str(message["from"]["id"])
        private = str(message.get("chat", {}).get("chat_type", "PRIVATE")).upper() == "PRIVATE"
        base: dict[str, Any] = {"update_id": key, "private": private}
        if event == "message.text.received":
            text = str(message.get("text", ""))
            parsed = parse_command(text.strip())
            if parsed is not None:
                return Incoming(
                    CHANNEL, sender, "command", command=parsed[0], args=parsed[1], **base
                )
            return Incoming(CHANNEL, sender, "text", text=text, **base)
        if event == "message.image.received" and message.get("photo"):
            url = str(message["photo"])
            client = self.client

            async def fetch(limit: int) -> bytes:
                return await client.download(url, limit)

            name = f"anh-zalo-{message.get('message_id')}.jpg"
            return Incoming(
                CHANNEL, sender, "file", file=IncomingFile(name, None, fetch, True), **base
            )
        return Incoming(CHANNEL, sender, "other", **base)

    # --- sending ----------------------------------------------------------------------------
    async def send(self, chat_id: str, replies: list[Reply], bulk: bool = False) -> None:
        """Plain text within 2000 characters; `bulk` notices raise failures for the outbox."""
        for reply in replies:
            for chunk in split_plain(plain_text(reply, self._file_lines(reply))):
                try:
                    await self.client.call("sendMessage", {"chat_id": chat_id, "text": chunk})
                except ZaloError as exc:
                    if bulk:
                        raise
                    log.warning("answer to Zalo chat %s not sent: %s", chat_id, exc)
                    return

    def _file_lines(self, reply: Reply) -> list[str]:
        t = self.services.translator.for_language(None)
        lines = []
        for outgoing in reply.files:
            url = self.file_links.url(outgoing.path, outgoing.name) if self.file_links else None
            key = "zalo.file_link" if url else "zalo.file_elsewhere"
            lines.append(html_to_plain(t.plain(key, name=outgoing.name, url=url or "")))
        return lines

    async def _deliver(self, notice: Notice) -> None:
        outbox, persons = self.services.outbox, self.services.persons
        reply = Reply(
            Markup(notice.text),
            [[Option(label, data) for label, data in row] for row in notice.options],
            files=[
                OutgoingFile(str(f["name"]), Path(str(f["path"])), bool(f.get("image")))
                for f in notice.files
            ],
        )
        try:
            await self.send(notice.external_id, [reply], bulk=True)
        except ZaloError as exc:
            if exc.code == 403:  # they blocked the bot or left
                await persons.mark_unreachable(notice.person_id)
                await outbox.failed(notice, "blocked", final=True)
            else:
                await outbox.failed(notice, str(exc), final=not exc.transient)
            return
        await outbox.sent(notice.id)
        if reply.options:  # "2" now picks the second option of this notice
            await self.services.conversations.offer(
                notice.person_id, [o.data for o in reply.flat_options]
            )
