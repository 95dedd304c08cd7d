"""Zalo through the Zalo Bot API (bot-api.zaloplatforms.com/bot<TOKEN>/<method>), a thin httpx
client of our own: text up to 2000 characters (bold titles through the 2026 `parse_mode`, plain
when Zalo refuses it), no buttons (options are a numbered list and "2" picks the second), one
update per getUpdates, 408 when idle.

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
from typing import Any
from urllib.parse import urlsplit

import httpx
from aiohttp import BodyPartReader, web
from markupsafe import Markup

from bot.channels.common import deliver_notices, download, notice_reply, wind_down
from bot.channels.file_links import UPLOAD_ROUTE, FileLinks
from bot.channels.web import WebServer
from bot.channels.zalo_text import messages, zalo_profile
from bot.engine.dispatch import Dispatcher
from bot.engine.engine import Engine
from bot.engine.events import (
    FileTooLarge,
    Incoming,
    IncomingFile,
    Reply,
    parse_command,
)
from bot.services.container import Services
from bot.services.files import MAX_FILE_BYTES
from bot.settings import Settings
from bot.textmatch import fold
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
        return await download(self._http, url, limit)


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
    def __init__(
        self, settings: Settings, engine: Engine, services: Services, web: WebServer | None = None
    ) -> None:
        assert settings.zalo_bot_token, "ZaloChannel needs ZALO_BOT_TOKEN"
        self.engine = engine
        self.services = services
        self.settings = settings
        self.client = ZaloClient(settings.zalo_api_url, settings.zalo_bot_token)
        # The process's one web server (its own when run alone, as in tests).
        self.web = web or WebServer(settings, services)
        self._own_web = web is None
        # Files cannot be sent to a Zalo chat: with PUBLIC_BASE_URL they go as signed links
        # (opened at start: the links' key may have to be read from the database).
        self.file_links: FileLinks | None = None
        if settings.zalo_webhook_url is not None:
            self.web.add("POST", urlsplit(settings.zalo_webhook_url).path or "/", self._on_webhook)
        if settings.public_base_url:
            self.web.add("GET", UPLOAD_ROUTE, self._upload_page)
            self.web.add("POST", UPLOAD_ROUTE, self._upload)
        self._formatting_refused = 0  # refusals of formatted text in a row
        self.dispatcher = Dispatcher()
        self.on_update_done: UpdateDone | None = None
        t = services.translator.for_language(None)
        join_phrase = t.plain("typed.join_example")
        services.profiles[CHANNEL] = zalo_profile(
            CHANNEL,
            "Zalo",
            join_phrase,
            documents_in=False,
            upload_link=self._upload_link,
        )

    def _upload_link(self, account: str) -> str | None:
        return self.file_links.upload_url(account) if self.file_links is not None else None

    # --- lifecycle ------------------------------------------------------------------------
    async def run_until(self, stop: asyncio.Event, poll_timeout: int = POLL_TIMEOUT) -> None:
        """Polling, or with ZALO_WEBHOOK_URL a webhook (the two exclude each other on Zalo)."""
        try:
            self.file_links = await self.web.open_links()
            await self.client.call("getMe")
            await self._resume_unfinished()
            sender = asyncio.create_task(
                deliver_notices(self.services.outbox, CHANNEL, stop, self._deliver)
            )
            if self._own_web and self.web.needed:
                await self.web.start()
            if self.settings.zalo_webhook_url:
                task = asyncio.create_task(self._webhook())
            else:
                with contextlib.suppress(ZaloError):  # 404 when none was set
                    await self.client.call("deleteWebhook")
                task = asyncio.create_task(self._poll(poll_timeout))
            await stop.wait()
            await wind_down(task, self.dispatcher, self.engine, sender)
        finally:
            if self._own_web:
                await self.web.stop()
            await self.client.close()

    @property
    def webhook_port(self) -> int | None:
        return self.web.port

    async def _webhook(self) -> None:
        """Zalo posts to the web server (each update stored before Zalo hears 200, then
        handled) once told the address, until cancelled at stop."""
        url, secret = self.settings.zalo_webhook_url, self.settings.zalo_webhook_secret
        await self.client.call("setWebhook", {"url": url, "secret_token": secret})
        log.info("Zalo webhook set to %s", url)
        await asyncio.Event().wait()

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
        """Texts within 2000 characters, formatted where Zalo takes it; `bulk` notices raise
        failures for the outbox."""
        for reply in replies:
            for plain, formatted in messages(reply, await self._file_lines(reply, chat_id)):
                try:
                    await self._send_text(chat_id, plain, formatted)
                except ZaloError as exc:
                    if bulk:
                        raise
                    log.warning("answer to Zalo chat %s not sent: %s", chat_id, exc)
                    return

    async def _send_text(self, chat_id: str, plain: str, formatted: str | None) -> None:
        """The formatted text, or the plain one when Zalo refuses it (three refusals in a row:
        plain from then on, as an older Bot API server would need)."""
        if formatted is not None and self._formatting_refused < 3:
            try:
                payload = {"chat_id": chat_id, "text": formatted, "parse_mode": "html"}
                await self.client.call("sendMessage", payload)
                self._formatting_refused = 0
                return
            except ZaloError as exc:
                if exc.code != 400:
                    raise
                self._formatting_refused += 1
                log.warning("Zalo refused formatted text (%s); sending it plain", exc)
        await self.client.call("sendMessage", {"chat_id": chat_id, "text": plain})

    async def _file_lines(self, reply: Reply, account: str) -> list[str]:
        """Each file as a link made for this account (or where to get it)."""
        t = self.services.translator.for_language(None)
        # Where else the file can be had, in words a clerk knows: the agency's Zalo OA sends
        # files; else whoever runs the bot can turn the download links on.
        elsewhere = "zalo.file_from_oa" if "zalo_oa" in self.services.profiles else "zalo.file_ask"
        lines = []
        for outgoing in reply.files:
            links = self.file_links
            url = await links.url(outgoing, CHANNEL, account) if links is not None else None
            key = "zalo.file_link" if url else elsewhere
            lines.append(t.plain(key, name=outgoing.name, url=url or ""))
        return lines

    async def _deliver(self, notice: Notice) -> None:
        outbox, persons = self.services.outbox, self.services.persons
        reply = notice_reply(notice)
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
