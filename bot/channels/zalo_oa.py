"""The agency's Zalo Official Account (OA): events by webhook, consultation messages back.

What it adds to the Zalo Bot: options as real buttons (`oa.query.hide` templates, whose payload
comes back as the person's message), with the numbered list where a template cannot hold them;
PDF and Word files in (downloaded within the usual limits, checked by their bytes) and out (PDF,
Word and small pictures uploaded, then sent; other files as a signed link or in words).

Zalo signs each webhook call: `X-ZEvent-Signature: mac=<sha256 of app id + raw body + the body's
timestamp + the OA secret key>` (a plain SHA-256, as Zalo's own SDKs build it). A call is checked
in constant time, stored in the inbox and answered 200 at once (Zalo wants it within 2 seconds or
sends it again after 30 s, 5 min, …); the work follows. A retry is known by its message id.

Consultation messages reach a person only within 7 days of their last interaction with the OA.
A notice for someone outside it goes to another of their accounts (Zalo Bot, Telegram), or by an
approved ZNS template when ZALO_ZNS_TEMPLATE_NOTICE is set and their phone is on the staff list,
or waits ("chờ người nhận nhắn lại") and goes out when they next write, the reminders that
waited summed up in one message."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from aiohttp import web
from markupsafe import Markup

from bot.channels.common import deliver_notices, notice_reply, wind_down
from bot.channels.file_links import FileLinks
from bot.channels.web import WebServer
from bot.channels.zalo_oa_api import (
    UNREACHABLE_ERRORS,
    WINDOW_ERRORS,
    OAClient,
    OAError,
    OATokenKeeper,
    OAuthRefused,
)
from bot.channels.zalo_text import split_plain, zalo_profile
from bot.engine.dispatch import Dispatcher
from bot.engine.engine import Engine
from bot.engine.events import Incoming, IncomingFile, OutgoingFile, Reply, parse_command
from bot.engine.render import html_to_plain, numbered_options
from bot.services.container import Services
from bot.settings import Settings
from bot.textmatch import fold
from storage.oa_tokens import OATokenStore
from storage.outbox import Notice

log = logging.getLogger(__name__)

CHANNEL = "zalo_oa"
HOOK_PATH = "/zalo-oa/hook"
TEXT_LIMIT = 2000
BODY_LIMIT = 256 * 1024  # an event is a few hundred bytes
MAX_BUTTONS = 5  # buttons a template holds
BUTTON_TITLE_LIMIT = 100
# A button's payload comes back as the person's (hidden) message: this marks it as ours.
PAYLOAD_PREFIX = "tdbot:"
WINDOW = timedelta(days=7)
WINDOW_MARGIN = timedelta(minutes=10)  # our clock and Zalo's need not agree to the second
# What the OA's uploads take (anything else goes as a link or in words).
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FILE_LIMIT = 5 * 1024 * 1024
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
IMAGE_LIMIT = 1024 * 1024
# Not for the bot to answer: the OA's own messages echoed, and delivery or seen receipts.
RECEIPTS = frozenset({"user_received_message", "user_seen_message"})
KEEP_TOKENS_EVERY = 600.0  # seconds between looks at the access token's expiry
ZNS_NAME_LIMIT, ZNS_TEXT_LIMIT = 30, 100

UpdateDone = Callable[[str], Awaitable[None]]


def signature(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    """Zalo's MAC of a webhook call: plain SHA-256 (not an HMAC) of these four, in this order."""
    return hashlib.sha256(
        app_id.encode() + body + timestamp.encode() + secret_key.encode()
    ).hexdigest()


def sender_of(event: dict[str, Any]) -> str:
    who = event.get("sender") or event.get("follower") or {}
    return str(who.get("id", "")) if isinstance(who, dict) else ""


def delivery_id(event: dict[str, Any]) -> str | None:
    """An event's key in the inbox: its message id, or who and when for a follow."""
    name = str(event.get("event_name", ""))
    message = event.get("message")
    message_id = message.get("msg_id") if isinstance(message, dict) else None
    if message_id:
        return f"{name}:{message_id}"
    sender, when = sender_of(event), event.get("timestamp")
    return f"{name}:{sender}:{when}" if sender and when else None


def phone_number(contact: str) -> str | None:
    """A Vietnamese mobile number from a staff list's contact column, as ZNS wants it (84…)."""
    digits = "".join(ch for ch in contact if ch.isdigit() and ch.isascii())
    if digits.startswith("0") and len(digits) == 10:
        return "84" + digits[1:]
    if digits.startswith("84") and len(digits) == 11:
        return digits
    return None


def shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip() + "…"


class ZaloOAChannel:
    def __init__(
        self, settings: Settings, engine: Engine, services: Services, web: WebServer | None = None
    ) -> None:
        assert settings.zalo_oa, "ZaloOAChannel needs the ZALO_OA_ settings"
        assert settings.zalo_oa_app_id and settings.zalo_oa_secret_key
        assert settings.zalo_oa_app_secret and settings.zalo_oa_refresh_token
        self.settings = settings
        self.engine = engine
        self.services = services
        self.app_id = settings.zalo_oa_app_id
        self.secret_key = settings.zalo_oa_secret_key
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(30, connect=10))
        self.tokens = OATokenKeeper(
            OATokenStore(services.db, self.app_id),
            self.http,
            settings.zalo_oauth_url,
            self.app_id,
            settings.zalo_oa_app_secret,
            settings.zalo_oa_refresh_token,
            services.clock,
            f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}",
            self._tokens_refused,
        )
        self.client = OAClient(
            settings.zalo_oa_api_url, settings.zalo_zns_api_url, self.http, self.tokens
        )
        self.web = web or WebServer(settings, services)
        self._own_web = web is None
        self.web.add("POST", HOOK_PATH, self._on_webhook)
        self.file_links: FileLinks | None = None  # opened at start, with their kept key
        self.dispatcher = Dispatcher()
        self.on_update_done: UpdateDone | None = None
        self._stopping = False
        self.ready = asyncio.Event()  # listening, tokens had, notices going out
        t = services.translator.for_language(None)
        join_phrase = str(t("typed.join_example"))
        # Options are buttons where a template holds them, else numbered: "2" picks always.
        services.profiles[CHANNEL] = zalo_profile(CHANNEL, "Zalo OA", join_phrase)

    @property
    def webhook_port(self) -> int | None:
        return self.web.port

    # --- lifecycle ------------------------------------------------------------------------
    async def run_until(self, stop: asyncio.Event) -> None:
        """Events come by webhook only; the access token is had at once (the first refresh
        happens here) and kept fresh; notices go out under the outbox's leases."""
        try:
            self.file_links = await self.web.open_links()
            if self._own_web:
                await self.web.start()
            with contextlib.suppress(OAuthRefused, OAError):  # told and logged already
                await self.tokens.access()
            await self._resume_unfinished()
            sender = asyncio.create_task(
                deliver_notices(self.services.outbox, CHANNEL, stop, self._deliver)
            )
            keeper = asyncio.create_task(self._keep_tokens())
            self.ready.set()
            await stop.wait()
            self._stopping = True  # Zalo sends what comes now again, to whoever runs next
            await wind_down(keeper, self.dispatcher, self.engine, sender)
        finally:
            if self._own_web:
                await self.web.stop()
            await self.http.aclose()

    async def _keep_tokens(self) -> None:
        """The access token refreshed before it expires even when nothing is sent, so that the
        refresh token (valid 3 months) is never left to lapse."""
        while True:
            await asyncio.sleep(KEEP_TOKENS_EVERY)
            try:
                await self.tokens.access()
            except (OAuthRefused, OAError) as exc:
                log.warning("Zalo OA tokens not refreshed: %s", exc)

    async def _tokens_refused(self, reason: str) -> None:
        """Whoever can re-authorise the OA is told on every other messenger they use (the OA
        itself cannot send without tokens)."""
        services = self.services
        for person in await services.persons.desk():
            t = services.translator.for_language(person.locale)
            text = str(t("zalo_oa.tokens_refused", reason=reason))
            for channel, external_id in await services.persons.accounts_of(person.id):
                if channel != CHANNEL and channel in services.profiles:
                    await services.outbox.add(person.id, channel, external_id, text, [])

    # --- the webhook ------------------------------------------------------------------------
    async def _on_webhook(self, request: web.Request) -> web.Response:
        if self._stopping:
            return web.json_response({"error": -1, "message": "stopping"}, status=503)
        body = await request.content.read(BODY_LIMIT + 1)  # the bytes read, whatever declared
        if len(body) > BODY_LIMIT:
            return web.json_response({"error": -210, "message": "too large"}, status=413)
        try:
            event = json.loads(body)
        except ValueError:
            return web.json_response({"error": -201, "message": "not JSON"}, status=400)
        if not isinstance(event, dict):
            return web.json_response({"error": -201, "message": "not an event"}, status=400)
        given = request.headers.get("X-ZEvent-Signature", "").strip().removeprefix("mac=").lower()
        expected = signature(self.app_id, body, str(event.get("timestamp", "")), self.secret_key)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("Zalo OA webhook call without a valid signature from %s", request.remote)
            return web.json_response({"error": -1, "message": "bad signature"}, status=401)
        await self.receive(event)
        return web.json_response({"error": 0, "message": "Success"})

    async def receive(self, event: dict[str, Any]) -> None:
        """One event stored, then handled in its sender's turn; a retry of a stored one is not
        handled again."""
        name = str(event.get("event_name", ""))
        if name.startswith("oa_send_") or name in RECEIPTS:
            return
        if name.startswith("anonymous_") or "group" in name:
            # Someone who does not follow the OA, or a group chat: consultation messages cannot
            # answer them, so nothing is taken on.
            log.info("Zalo OA event %s not for this bot: not kept", name)
            return
        key, sender = delivery_id(event), sender_of(event)
        if key is None or not sender:
            log.info("Zalo OA event %s without a sender or id: not kept", name)
            return
        if await self.services.inbox.store_new(CHANNEL, key, sender, json.dumps(event)):
            self._submit(sender, key, event)

    async def _resume_unfinished(self) -> None:
        for stored in await self.services.inbox.unfinished(CHANNEL):
            assert stored.payload is not None
            self._submit(stored.sender, stored.update_id, json.loads(stored.payload))

    def _submit(self, sender: str, key: str, event: dict[str, Any]) -> None:
        self.dispatcher.submit(sender, lambda: self._handle(key, sender, event))

    # --- handling ---------------------------------------------------------------------------
    async def _handle(self, key: str, sender: str, event: dict[str, Any]) -> None:
        services = self.services
        try:
            if event.get("event_name") == "unfollow":
                # The OA cannot write to them first any more: their notices go elsewhere.
                await services.persons.forget_seen(CHANNEL, sender)
                await services.inbox.answered(CHANNEL, key)
                return
            try:
                incoming = self._incoming(key, sender, event)
            except (KeyError, TypeError, ValueError, AttributeError):
                log.warning("Zalo OA event %s of an unknown shape: %.200s", key, event)
                await services.inbox.answered(CHANNEL, key)
                return
            try:
                replies = await self.engine.handle(incoming)
            except Exception:
                log.exception("error while handling Zalo OA event %s", key)
                replies = [Reply(services.translator.for_language(None)("errors.internal"))]
            await self.send(sender, replies)
            await self.engine.answered(incoming)
            await self._release_waiting(sender)
        finally:
            if self.on_update_done is not None:
                await self.on_update_done(key)

    def _incoming(self, key: str, sender: str, event: dict[str, Any]) -> Incoming:
        name = str(event.get("event_name", ""))
        message = event.get("message") or {}
        base: dict[str, Any] = {"update_id": key}
        if name == "follow":  # a newcomer to the OA: welcomed as /start
            return Incoming(CHANNEL, sender, "command", command="start", **base)
        if name == "user_send_text":
            text = str(message["text"])
            if text.startswith(PAYLOAD_PREFIX):  # a button tapped
                return Incoming(CHANNEL, sender, "option", text=text[len(PAYLOAD_PREFIX) :], **base)
            parsed = parse_command(text.strip())
            if parsed is not None:
                return Incoming(
                    CHANNEL, sender, "command", command=parsed[0], args=parsed[1], **base
                )
            return Incoming(CHANNEL, sender, "text", text=text, **base)
        if name in ("user_send_image", "user_send_file"):
            payload = message["attachments"][0]["payload"]
            url = str(payload["url"])
            client = self.client

            async def fetch(limit: int) -> bytes:
                return await client.download(url, limit)

            if name == "user_send_image":
                suffix = Path(urlsplit(url).path).suffix.lower()
                suffix = suffix if suffix in IMAGE_TYPES else ".jpg"
                file_name = f"anh-zalo-{message.get('msg_id', 'oa')}{suffix}"
                upload = IncomingFile(file_name, None, fetch, True)
            else:
                size = str(payload.get("size", ""))
                declared = int(size) if size.isascii() and size.isdigit() else None
                upload = IncomingFile(str(payload.get("name") or "tep"), declared, fetch)
            return Incoming(CHANNEL, sender, "file", file=upload, **base)
        return Incoming(CHANNEL, sender, "other", **base)

    # --- sending ----------------------------------------------------------------------------
    async def send(self, user_id: str, replies: list[Reply], bulk: bool = False) -> None:
        """Each reply's text (with its buttons, or its options numbered), then its files; `bulk`
        notices raise failures for the outbox, answers are logged."""
        for number, reply in enumerate(replies):
            try:
                await self._send_reply(user_id, reply)
            except OAError as exc:
                if bulk:
                    raise
                log.warning("answer to Zalo OA user %s not sent: %s", user_id, exc)
                if exc.transient:  # the tokens, the rate, Zalo down: sent later, not lost
                    await self._keep_for_later(user_id, replies[number:])
                return

    async def _keep_for_later(self, user_id: str, replies: list[Reply]) -> None:
        person = await self.services.persons.find(CHANNEL, user_id)
        if person is None:
            return
        async with self.services.db.transaction():
            for reply in replies:
                await self.services.outbox.add(
                    person.id,
                    CHANNEL,
                    user_id,
                    str(reply.text),
                    [[(o.label, o.data) for o in row] for row in reply.options],
                    [{"name": f.name, "path": str(f.path), "image": f.image} for f in reply.files],
                )

    async def _send_reply(self, user_id: str, reply: Reply) -> None:
        """The text with its buttons (or its options numbered), then the files Zalo takes; a
        file it does not take is a download button (or line) when the bot has links."""
        uploads: list[dict[str, Any]] = []
        linked: list[tuple[OutgoingFile, str]] = []
        lines: list[str] = []
        for outgoing in reply.files:
            uploaded = await self._file_message(outgoing)
            if uploaded is not None:
                uploads.append(uploaded)
                continue
            shares = self.file_links  # a link made for this follower alone
            url = await shares.url(outgoing, CHANNEL, user_id) if shares is not None else None
            if url is not None and len(outgoing.name) + 2 <= BUTTON_TITLE_LIMIT:
                linked.append((outgoing, url))
            else:
                lines.append(self._file_line(outgoing, url))
        buttons = self._buttons(reply)
        if buttons is not None and len(buttons) + len(linked) > MAX_BUTTONS:
            buttons = None  # the options numbered; the download buttons keep their place
        if len(linked) > MAX_BUTTONS:
            lines += [self._file_line(outgoing, url) for outgoing, url in linked]
            linked = []
        links = [
            {"title": f"📥 {outgoing.name}", "type": "oa.open.url", "payload": {"url": url}}
            for outgoing, url in linked
        ]
        text = html_to_plain(reply.text) + "".join(f"\n📎 {line}" for line in lines)
        if buttons is None and reply.options:
            text = f"{text}\n{numbered_options(reply)}"
        template = [*(buttons or []), *links]
        chunks = split_plain(text, TEXT_LIMIT)
        if not chunks and template:
            chunks = ["📎"]  # buttons need a text to hang on
        for number, chunk in enumerate(chunks, 1):
            message: dict[str, Any] = {"text": chunk}
            if template and number == len(chunks):
                message["attachment"] = {"type": "template", "payload": {"buttons": template}}
            await self.client.send(user_id, message)
        for uploaded in uploads:
            await self.client.send(user_id, uploaded)

    @staticmethod
    def _buttons(reply: Reply) -> list[dict[str, Any]] | None:
        """The options as a template's buttons; None when they do not fit one (too many, or a
        label too long): then they are numbered."""
        options = reply.flat_options
        labels = [html_to_plain(option.label).strip() for option in options]
        if len(options) > MAX_BUTTONS:
            return None
        if any(not label or len(label) > BUTTON_TITLE_LIMIT for label in labels):
            return None
        return [
            {"title": label, "type": "oa.query.hide", "payload": PAYLOAD_PREFIX + option.data}
            for label, option in zip(labels, options, strict=True)
        ]

    async def _file_message(self, outgoing: OutgoingFile) -> dict[str, Any] | None:
        """A file uploaded to Zalo, as the message that sends it; None for what the OA cannot
        send (Excel, large pictures, a file Zalo refused or that is gone)."""
        try:
            return await self._uploaded(outgoing)
        except OAError as exc:
            if exc.transient:
                raise
            log.warning("%s not uploaded to the Zalo OA: %s", outgoing.name, exc)
        except OSError as exc:
            log.warning("%s cannot be read: %s", outgoing.name, exc)
        return None

    async def _uploaded(self, outgoing: OutgoingFile) -> dict[str, Any] | None:
        suffix = Path(outgoing.name).suffix.lower()
        size = outgoing.path.stat().st_size
        if suffix in IMAGE_TYPES and size <= IMAGE_LIMIT:
            content = await asyncio.to_thread(outgoing.path.read_bytes)
            image = await self.client.upload("image", outgoing.name, content, IMAGE_TYPES[suffix])
            element = {"media_type": "image", "attachment_id": image}
            payload = {"template_type": "media", "elements": [element]}
            return {"attachment": {"type": "template", "payload": payload}}
        if suffix in FILE_TYPES and not outgoing.image and size <= FILE_LIMIT:
            content = await asyncio.to_thread(outgoing.path.read_bytes)
            token = await self.client.upload("file", outgoing.name, content, FILE_TYPES[suffix])
            return {"attachment": {"type": "file", "payload": {"token": token}}}
        return None

    def _file_line(self, outgoing: OutgoingFile, url: str | None) -> str:
        t = self.services.translator.for_language(None)
        key = "zalo_oa.file_link" if url else "zalo_oa.file_elsewhere"
        return html_to_plain(str(t(key, name=outgoing.name, url=url or "")))

    # --- notices and the 7-day window ----------------------------------------------------------
    def _in_window(self, seen: str | None) -> bool:
        if seen is None:
            return False
        age = self.services.clock.now() - datetime.fromisoformat(seen)
        return age < WINDOW - WINDOW_MARGIN

    async def _deliver(self, notice: Notice) -> None:
        services = self.services
        if not self._in_window(await services.persons.last_seen(CHANNEL, notice.external_id)):
            await self._outside_window(notice)
            return
        reply = notice_reply(notice)
        try:
            await self._send_reply(notice.external_id, reply)
        except OAError as exc:
            if exc.code in WINDOW_ERRORS or exc.code in UNREACHABLE_ERRORS:
                await self._outside_window(notice)
            else:
                await services.outbox.failed(notice, str(exc), final=not exc.transient)
            return
        await services.outbox.sent(notice.id)
        if reply.options:  # "2" (or its words) now picks the second option of this notice
            shown = reply.flat_options
            await services.conversations.offer(
                notice.person_id, [o.data for o in shown], [fold(o.label) for o in shown]
            )

    async def _outside_window(self, notice: Notice) -> None:
        """Another account of theirs this bot serves, else ZNS, else wait for them to write:
        never dropped."""
        services = self.services
        for channel, external_id in await services.persons.accounts_of(notice.person_id):
            if channel != CHANNEL and channel in services.profiles:
                log.info("notice %s rerouted from the Zalo OA to %s", notice.id, channel)
                await services.outbox.reroute(notice, channel, external_id)
                return
        if await self._by_zns(notice):
            return
        log.info("notice %s waits until its recipient writes to the Zalo OA", notice.id)
        await services.outbox.wait_for_reply(notice)

    async def _by_zns(self, notice: Notice) -> bool:
        template = self.settings.zalo_zns_template_notice
        if template is None:
            return False
        services = self.services
        contact = await services.roster.contact_of(notice.person_id)
        phone = phone_number(contact or "")
        person = await services.persons.by_id(notice.person_id)
        if phone is None or person is None:
            return False
        first_line = html_to_plain(notice.text).strip().split("\n", 1)[0]
        values = {
            "ten_nguoi_nhan": shortened(person.full_name or "", ZNS_NAME_LIMIT),
            "noi_dung": shortened(first_line, ZNS_TEXT_LIMIT),
        }
        try:
            await self.client.zns(phone, template, values, f"notice-{notice.id}")
        except OAError as exc:
            log.warning("ZNS for notice %s not sent: %s", notice.id, exc)
            if exc.transient:
                await services.outbox.failed(notice, f"ZNS: {exc}")
                return True
            return False
        await services.outbox.sent_via(notice.id, "zns")
        return True

    async def _release_waiting(self, user_id: str) -> None:
        """They wrote: what waited goes out now, the reminders among it in one message."""
        services = self.services
        person = await services.persons.find(CHANNEL, user_id)
        if person is None:
            return
        waiting = await services.outbox.waiting_for(person.id)
        if not waiting:
            return
        reminders = [n for n in waiting if n.kind == "reminder"]
        others = [n for n in waiting if n.kind != "reminder"] if len(reminders) > 1 else waiting
        async with services.db.transaction():
            if len(reminders) > 1:
                t = services.translator.for_language(person.locale)
                text = Markup("\n").join(
                    [
                        t("zalo_oa.reminders_waited", count=len(reminders)),
                        *(Markup("• ") + Markup(n.text) for n in reminders),
                    ]
                )
                options: list[list[tuple[str, str]]] = []
                for option in dict.fromkeys(o for n in reminders for row in n.options for o in row):
                    options.append([option])
                await services.outbox.add(
                    person.id, CHANNEL, user_id, str(text), options, kind="reminder"
                )
                await services.outbox.summed_up([n.id for n in reminders])
            if others:
                await services.outbox.release([n.id for n in others], CHANNEL, user_id)
