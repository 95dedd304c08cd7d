"""A local stand-in of the Zalo Bot API over real HTTP, with Zalo's rules and quirks: getUpdates
returns one update object (no list, no offset) and 408 when idle; ids are hex strings and dates
milliseconds; texts are 1-2000 characters, plain (markup, entities and reply_markup refused with
400) unless formatted as Zalo documents since 2026: `parse_mode` "html" or "markdown", or
`text_styles` runs ({start, len, st}, UTF-16 offsets, the documented style codes), parse_mode
winning over text_styles. Zalo does not say which tags html takes: only those of its documented
styles (b, i, u, s), nested properly, without attributes, entities or a stray "<", ">" or "&".
A server refusing formatting (an older one) can be simulated; 429 and 5xx can be injected; the
same message can be delivered twice."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.standins import serve

TEXT_LIMIT = 2000
# What plain text must not carry: tags and HTML entities the bot forgot to render.
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&(?:amp|lt|gt|quot|#\d+);")
PARSE_MODES = ("html", "markdown")
HTML_TAGS = ("b", "i", "u", "s")
_HTML_TAG = re.compile(r"<(/?)([a-z]+)>")
STYLE_CODES = frozenset(
    {"b", "i", "u", "s", "f_13", "f_15", "f_18", "f_20", "lst_1", "lst_2"}
    | {f"c_{c}" for c in ("050a19", "15a85f", "f7b503", "f27806", "db342e")}
    | {f"ind_{n}" for n in range(1, 6)}
)


def shown_html(text: str) -> str | None:
    """What a person sees of Zalo html: the text without its tags; None when Zalo would not
    take it (an unknown tag, tags badly nested, an entity or a stray "<", ">" or "&")."""
    opened: list[str] = []
    shown: list[str] = []
    position = 0
    for match in _HTML_TAG.finditer(text):
        shown.append(text[position : match.start()])
        position = match.end()
        closing, name = match.group(1), match.group(2)
        if name not in HTML_TAGS:
            return None
        if closing:
            if not opened or opened.pop() != name:
                return None
        else:
            opened.append(name)
    shown.append(text[position:])
    plain = "".join(shown)
    if opened or any(ch in plain for ch in "<>&"):
        return None
    return plain


def styles_fit(text: str, styles: object) -> bool:
    if not isinstance(styles, list) or not styles:
        return False
    size = len(text.encode("utf-16-le")) // 2
    for style in styles:
        if not isinstance(style, dict) or set(style) != {"start", "len", "st"}:
            return False
        start, length, codes = style["start"], style["len"], style["st"]
        if not (isinstance(start, int) and isinstance(length, int) and isinstance(codes, list)):
            return False
        if start < 0 or length < 1 or start + length > size:
            return False
        if not codes or any(code not in STYLE_CODES for code in codes):
            return False
    return True


@dataclass(frozen=True)
class ZaloUser:
    id: str
    name: str = "Lan"


@dataclass(frozen=True)
class ZaloSent:
    chat_id: str
    text: str  # as the person sees it (formatting applied, tags gone)
    raw: str = ""  # as the bot sent it
    parse_mode: str | None = None


class ZaloStandIn:
    def __init__(self, token: str = "1234567890:zalo-standin-secret") -> None:
        self.token = token
        self.queue: deque[dict[str, Any]] = deque()  # updates not yet taken by a poll
        self._queued = asyncio.Event()
        self.sent: list[ZaloSent] = []
        self.rejected: list[tuple[str, str]] = []
        self.calls: list[str] = []
        self.actions: list[str] = []
        self.faults: list[int] = []  # status codes the next calls answer with (429, 500 …)
        self.blocked: set[str] = set()
        self.refuse_formatting = False  # an older server: parse_mode and text_styles refused
        self.formatting_refused = 0
        self.images: dict[str, bytes] = {}
        self.activity = asyncio.Condition()
        self.on_send: Callable[[ZaloSent], None] | None = None
        self.handled: set[str] = set()  # deliveries the bot has finished (see conftest)
        self.webhook: tuple[str, str] | None = None  # (url, secret) once set
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._stopping = False
        self.url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/images/{name}", self._image)
        self._runner, self.url = await serve(app)
        return self.url

    async def stop(self) -> None:
        self._stopping = True
        self._queued.set()  # wakes a waiting poll
        if self._runner:
            await self._runner.cleanup()

    async def wait_until(self, predicate: Callable[[], bool], seconds: float = 10) -> None:
        async with self.activity:
            await asyncio.wait_for(self.activity.wait_for(predicate), seconds)

    async def mark_handled(self, key: str) -> None:
        self.handled.add(key)
        await self._notify()

    async def _notify(self) -> None:
        async with self.activity:
            self.activity.notify_all()

    def _error(self, method: str, code: int, description: str) -> web.Response:
        if code not in (403, 408, 429) and code < 500:
            self.rejected.append((method, description))
        body = {"ok": False, "error_code": code, "description": description}
        return web.json_response(body, status=code)

    async def _image(self, request: web.Request) -> web.Response:
        content = self.images.get(request.match_info["name"])
        return web.Response(body=content) if content is not None else web.Response(status=404)

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls.append(method)
        await self._notify()
        try:
            if request.match_info["token"] != self.token:
                return self._error(method, 401, "Unauthorized")
            if self.faults and method != "getUpdates":
                return self._error(method, self.faults.pop(0), "injected fault")
            params: dict[str, Any] = await request.json() if request.can_read_body else {}
            if method == "getMe":
                return self._ok({"id": "b0t1d", "account_name": "thidua.bot", "can_join_groups": 0})
            if method == "getUpdates":
                return await self._get_updates(request, params)
            if method == "sendMessage":
                return self._send_message(params)
            if method == "sendChatAction":
                self.actions.append(str(params.get("action")))
                return web.json_response({"ok": True})
            if method == "setWebhook":
                return self._set_webhook(params)
            if method == "getWebhookInfo":
                if self.webhook is None:
                    return self._error(method, 404, "webhook not set")
                return self._ok({"url": self.webhook[0]})
            if method == "deleteWebhook":
                self.webhook = None
                return self._ok(True)
            return self._error(method, 404, "Not Found")
        finally:
            await self._notify()

    def _set_webhook(self, params: dict[str, Any]) -> web.Response:
        url, secret = str(params.get("url", "")), str(params.get("secret_token", ""))
        if not url.startswith("https://"):
            return self._error("setWebhook", 400, "webhook url must be https")
        if not 8 <= len(secret) <= 256:
            return self._error("setWebhook", 400, "secret_token must be 8-256 characters")
        self.webhook = (url, secret)
        return self._ok({"url": url})

    @staticmethod
    def _ok(result: object) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    def _put(self, update: dict[str, Any]) -> None:
        self.queue.append(update)
        self._queued.set()

    async def _get_updates(self, request: web.Request, params: dict[str, Any]) -> web.Response:
        if self.webhook is not None:  # polling and webhook exclude each other
            return self._error("getUpdates", 409, "webhook is set; delete it to poll")
        timeout = float(params.get("timeout") or 30)
        if self._stopping:
            return self._error("getUpdates", 408, "Request timeout")
        deadline = time.monotonic() + timeout
        while not self.queue and not self._stopping:
            self._queued.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queued.wait(), max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                break
        # A poller that went away meanwhile (the bot stopped) does not take the update with it.
        transport = request.transport
        if not self.queue or self._stopping or transport is None or transport.is_closing():
            return self._error("getUpdates", 408, "Request timeout")
        return self._ok(self.queue.popleft())  # one object, not a list

    def _send_message(self, params: dict[str, Any]) -> web.Response:
        unknown = set(params) - {"chat_id", "text", "parse_mode", "text_styles"}
        if unknown:
            return self._error("sendMessage", 400, f"unsupported fields: {sorted(unknown)}")
        chat_id, text = str(params.get("chat_id", "")), str(params.get("text", ""))
        mode = params.get("parse_mode")
        formatted = mode is not None or "text_styles" in params
        if formatted and self.refuse_formatting:
            # Counted as refused by an older server: the bot is expected to try plain.
            body = {"ok": False, "error_code": 400, "description": "formatting not supported"}
            self.formatting_refused += 1
            return web.json_response(body, status=400)
        if not 1 <= len(text) <= TEXT_LIMIT:
            return self._error("sendMessage", 400, f"text must be 1-{TEXT_LIMIT} characters")
        shown: str | None = text
        if mode is not None:
            if mode not in PARSE_MODES:
                return self._error("sendMessage", 400, f"parse_mode must be one of {PARSE_MODES}")
            shown = shown_html(text) if mode == "html" else text.replace("**", "")
            if not shown:
                return self._error("sendMessage", 400, f"cannot parse {mode}: {text[:80]!r}")
        elif "text_styles" in params:
            if not styles_fit(text, params["text_styles"]):
                return self._error("sendMessage", 400, "text_styles out of the text or unknown")
            if _MARKUP.search(text):
                return self._error("sendMessage", 400, f"markup in styled text: {text[:80]!r}")
        elif _MARKUP.search(text):
            return self._error("sendMessage", 400, f"markup in plain text: {text[:80]!r}")
        if chat_id in self.blocked:
            return self._error("sendMessage", 403, "user blocked the bot")
        assert shown is not None
        sent = ZaloSent(chat_id, shown, text, mode)
        self.sent.append(sent)
        if self.on_send is not None:
            self.on_send(sent)
        return self._ok({"message_id": secrets.token_hex(8), "date": int(time.time() * 1000)})

    # --- what users do ----------------------------------------------------------------------
    def message(self, user: ZaloUser, text: str) -> dict[str, Any]:
        """A text message as Zalo would deliver it (for webhook bodies)."""
        return self._message(user, text=text)

    def _message(self, user: ZaloUser, **fields: object) -> dict[str, Any]:
        return {
            "from": {"id": user.id, "display_name": user.name, "is_bot": False},
            "chat": {"id": user.id, "chat_type": "PRIVATE"},
            "message_id": f"m{next(self._message_ids):06x}",
            "date": int(time.time() * 1000),
            **fields,
        }

    def send_text(self, user: ZaloUser, text: str) -> dict[str, Any]:
        update = {"event_name": "message.text.received", "message": self._message(user, text=text)}
        self._put(update)
        return update

    def send_image(self, user: ZaloUser, content: bytes) -> dict[str, Any]:
        name = secrets.token_hex(6) + ".jpg"
        self.images[name] = content
        message = self._message(user, photo=f"{self.url}/images/{name}", caption="")
        update = {"event_name": "message.image.received", "message": message}
        self._put(update)
        return update

    def deliver_again(self, update: dict[str, Any]) -> None:
        self._put(update)

    def messages_to(self, user: ZaloUser) -> list[ZaloSent]:
        return [m for m in self.sent if m.chat_id == user.id]


def update_key(update: dict[str, Any]) -> str:
    return f"{update['event_name']}:{update['message']['message_id']}"
