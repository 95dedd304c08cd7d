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
from bot.channels.file_links import UPLOAD_ROUTE, FileLinks, signing_key
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
from bot.engine.render import plain_text
from bot.services.container import Services
from bot.services.files import MAX_FILE_BYTES
from bot.settings import Settings
from bot.textmatch import fold
from storage.file_shares import Store
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


ID_LIMIT = 128  # characters of an id Zalo sends (hex strings of 16-32)


def _mapping(value: Any) -> dict[str, Any]:
    """An object of the update, or an empty one when it is not an object."""
    return value if isinstance(value, dict) else {}


def _text_of(value: Any) -> str:
    """An id or name as Zalo sends them (a string or a number); '' for anything else."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    text = str(value)
    return text if len(text) <= ID_LIMIT else ""


def delivery_id(update: Any) -> str | None:
    """How a delivery is known again (Zalo gives no update id): its event and message id."""
    message = _mapping(_mapping(update).get("message"))
    message_id = _text_of(message.get("message_id"))
    event = _text_of(_mapping(update).get("event_name"))
    return f"{event}:{message_id}" if message_id else None


def sender_of(update: Any) -> str:
    return _text_of(_mapping(_mapping(_mapping(update).get("message")).get("from")).get("id"))


async def _body_within(request: web.Request, limit: int) -> bytes | None:
    """The request's body, or None past `limit` bytes: counted as they are read, so a body
    sent in chunks (no Content-Length) is held to the same limit."""
    if (request.content_length or 0) > limit:
        return None
    body = bytearray()
    async for piece in request.content.iter_chunked(64 * 1024):
        body += piece
        if len(body) > limit:
            return None
    return bytes(body)


class ZaloChannel:
    def __init__(self, settings: Settings, engine: Engine, services: Services) -> None:
        assert settings.zalo_bot_token, "ZaloChannel needs ZALO_BOT_TOKEN"
        self.engine = engine
        self.services = services
        self.settings = settings
        self.webhook_port: int | None = None  # once listening (tests ask for port 0)
        self.client = ZaloClient(settings.zalo_api_url, settings.zalo_bot_token)
        # Files cannot be sent to a Zalo chat: with PUBLIC_BASE_URL they go as signed links
        # (made at start: the links' key may have to be read from the database).
        self.file_links: FileLinks | None = None
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
            upload_link=self._upload_link,
        )

    def _upload_link(self, account: str) -> str | None:
        return self.file_links.upload_url(account) if self.file_links is not None else None

    async def _open_links(self) -> FileLinks | None:
        settings, services = self.settings, self.services
        if not settings.public_base_url:
            return None
        key = await signing_key(settings.link_signing_key, services.kept_secrets)
        stores: dict[Store, Path] = {
            "made": settings.exports_path,
            "attachment": settings.files_path,
        }
        return FileLinks(
            settings.public_base_url, stores, settings.sqlite_path, services.shares, key,
            services.clock, services.translator.for_language(None),
        )  # fmt: skip

    # --- lifecycle ------------------------------------------------------------------------
    async def run_until(self, stop: asyncio.Event, poll_timeout: int = POLL_TIMEOUT) -> None:
        """Polling, or with ZALO_WEBHOOK_URL a webhook (the two exclude each other on Zalo)."""
        try:
            self.file_links = await self._open_links()
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

    def _page(self, message: Markup, form: bool) -> web.Response:
        """The upload page: `message` is a message of the catalog or a reply (HTML-safe)."""
        t = self.services.translator.for_language(None)
        button = (
            Markup(
                '<form method="post" enctype="multipart/form-data">'
                '<p><input type="file" name="file" required></p><p><button>{}</button></p>'
                "</form>"
            ).format(t("upload_page.send"))
            if form
            else ""
        )
        page = Markup(
            '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>{title}</title></head><body style="font-family:sans-serif;'
            'max-width:36em;margin:1em auto;padding:0 1em"><h2>{title}</h2>'
            "<p>{message}</p>{button}</body></html>"
        ).format(
            title=t("upload_page.title"),
            message=Markup("<br>").join(message.split("\n")),
            button=button,
        )
        return web.Response(text=str(page), content_type="text/html")

    async def _upload_page(self, request: web.Request) -> web.Response:
        assert self.file_links is not None
        self.file_links.upload_account(request)
        return self._page(self.services.translator.for_language(None)("upload_page.intro"), True)

    async def _upload(self, request: web.Request) -> web.Response:
        """A document uploaded on the page becomes a file sent by that Zalo account: the same
        unit of work, checks and answer in the chat as a file sent on any messenger; the page
        says what the chat says."""
        assert self.file_links is not None
        account = self.file_links.upload_account(request)
        t = self.services.translator.for_language(None)
        try:
            reader = await request.multipart()
            part = await reader.next()
        except (ValueError, AssertionError, web.HTTPException):  # not a form the page sends
            return self._page(t("upload_page.missing"), True)
        if not isinstance(part, BodyPartReader) or not part.filename:
            return self._page(t("upload_page.missing"), True)
        content = bytearray()
        while chunk := await part.read_chunk():
            content += chunk
            if len(content) > MAX_FILE_BYTES:
                return self._page(t("upload_page.too_big"), True)
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
        said = Markup("\n").join(r.text for r in replies) or t("upload_page.received")
        return self._page(said, True)

    async def _on_webhook(self, request: web.Request) -> web.Response:
        secret = self.settings.zalo_webhook_secret or ""
        given = request.headers.get("X-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("Zalo webhook call without the right secret from %s", request.remote)
            return web.json_response({"ok": False, "description": "forbidden"}, status=403)
        raw = await _body_within(request, WEBHOOK_BODY_LIMIT)
        if raw is None:
            return web.json_response({"ok": False, "description": "too large"}, status=413)
        try:
            body = json.loads(raw)
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
        then handled in its sender's turn. One of a shape Zalo does not send (no message id or
        sender to know it by) is logged once and dropped: nothing would answer it."""
        if isinstance(update, dict) and "result" in update and "event_name" not in update:
            update = update["result"]
        key = delivery_id(update)
        sender = sender_of(update)
        if key is None or not sender:
            log.warning("Zalo update of an unknown shape, dropped: %.200r", update)
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
            incoming = self._incoming(key, update)
            if incoming is None:  # stored, but nothing in it to answer: done, never retried
                log.warning("Zalo update %s of an unknown shape: %.200r", key, update)
                await self.services.inbox.answered(CHANNEL, key)
                return
            chat_id = _text_of(_mapping(_mapping(update.get("message")).get("chat")).get("id"))
            chat_id = chat_id or incoming.user_id
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

    def _incoming(self, key: str, update: dict[str, Any]) -> Incoming | None:
        """The neutral event, whatever the update holds: a field of an unexpected type is read
        as absent (a `chat` that is not an object: not known to be private, so nothing
        personal is shown); None when there is nobody to answer."""
        message = _mapping(update.get("message"))
        sender = sender_of(update)
        if not sender:
            return None
        event = _text_of(update.get("event_name"))
        chat = message.get("chat")
        kind = _text_of(chat.get("chat_type", "PRIVATE")) if isinstance(chat, dict) else ""
        private = kind.upper() == "PRIVATE"
        base: dict[str, Any] = {"update_id": key, "private": private}
        text = message.get("text")
        if event == "message.text.received" and isinstance(text, str):
            parsed = parse_command(text.strip())
            if parsed is not None:
                return Incoming(
                    CHANNEL, sender, "command", command=parsed[0], args=parsed[1], **base
                )
            return Incoming(CHANNEL, sender, "text", text=text, **base)
        photo = message.get("photo")
        if event == "message.image.received" and isinstance(photo, str) and photo:
            client = self.client

            async def fetch(limit: int) -> bytes:
                return await client.download(photo, limit)

            name = f"anh-zalo-{_text_of(message.get('message_id'))[:40]}.jpg"
            return Incoming(
                CHANNEL, sender, "file", file=IncomingFile(name, None, fetch, True), **base
            )
        return Incoming(CHANNEL, sender, "other", **base)

    # --- sending ----------------------------------------------------------------------------
    async def send(self, chat_id: str, replies: list[Reply], bulk: bool = False) -> None:
        """Plain text within 2000 characters; `bulk` notices raise failures for the outbox."""
        for reply in replies:
            text = plain_text(reply, await self._file_lines(reply, chat_id))
            for chunk in split_plain(text):
                try:
                    await self.client.call("sendMessage", {"chat_id": chat_id, "text": chunk})
                except ZaloError as exc:
                    if bulk:
                        raise
                    log.warning("answer to Zalo chat %s not sent: %s", chat_id, exc)
                    return

    async def _file_lines(self, reply: Reply, account: str) -> list[str]:
        """Each file as a link made for this account (or where to get it)."""
        t = self.services.translator.for_language(None)
        lines = []
        for outgoing in reply.files:
            links = self.file_links
            url = await links.url(outgoing, CHANNEL, account) if links is not None else None
            key = "zalo.file_link" if url else "zalo.file_elsewhere"
            lines.append(t.plain(key, name=outgoing.name, url=url or ""))
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
            shown = reply.flat_options
            await self.services.conversations.offer(
                notice.person_id, [o.data for o in shown], [fold(o.label) for o in shown]
            )
