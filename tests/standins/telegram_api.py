"""A local stand-in of the Telegram Bot API, served over real HTTP, that enforces Telegram's rules:
4096-character texts, 64-byte callback data, strict HTML entity parsing, command names, 429 with
retry_after, 403 for a user who blocked the bot; and button texts without HTML entities (a
button shows `&amp;` as it is). Tests chat through it as users would."""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.standins import serve

TEXT_LIMIT = 4096
CANT_PARSE = "Bad Request: can't parse entities: "
CALLBACK_LIMIT = 64
HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?)*)\s*>"
)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
# A button shows its text as it is: an HTML entity there would be read as "&amp;" on the phone.
# Telegram would send it anyway; the stand-in refuses it, so that no test lets one through.
_MARKUP_SHOWN = re.compile(r"&(?:amp|lt|gt|quot|#\d+);")


class BadRequest(Exception):
    def __init__(self, description: str, code: int = 400, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.code = code
        self.retry_after = retry_after


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The text a user sees, or BadRequest as Telegram's parser would answer."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        offset = len(text[:i].encode())
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if not match:
                raise BadRequest(
                    CANT_PARSE + f"Unexpected end of name token at byte offset {offset}"
                )
            closing, name = match.group(1), match.group(2).lower()
            if name not in HTML_TAGS:
                raise BadRequest(
                    CANT_PARSE + f'Unsupported start tag "{name}" at byte offset {offset}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise BadRequest(CANT_PARSE + f"Unmatched end tag at byte offset {offset}")
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(text, i)
            if not match:
                raise BadRequest(CANT_PARSE + f"Character entity expected at byte offset {offset}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        else:
            out.append(char)
            i += 1
    if stack:
        raise BadRequest(
            CANT_PARSE + f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
        )
    return "".join(out)


@dataclass
class User:
    id: int
    first_name: str = "Lan"
    language_code: str = "vi"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }


@dataclass
class SentMessage:
    message_id: int
    chat_id: int
    html: str
    text: str
    buttons: list[list[dict[str, str]]] = field(default_factory=list)

    def button_labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]

    def callback(self, label: str) -> str:
        for row in self.buttons:
            for button in row:
                if button["text"] == label or label in button["text"]:
                    return button["callback_data"]
        raise AssertionError(f"no button {label!r} in {self.button_labels()}")


@dataclass
class SendingLimits:
    overall: int  # messages in any second, all chats together
    per_chat_burst: int  # a chat's burst, refilled at one a second
    recent: deque[float] = field(default_factory=deque)
    chats: dict[int, tuple[float, float]] = field(default_factory=dict)  # tokens, when
    wait_until: dict[int, float] = field(default_factory=dict)  # chat -> told to wait till


class TelegramStandIn:
    def __init__(self, token: str = "123456:TEST-token-for-standin") -> None:
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.confirmed = 0
        self.new_update = asyncio.Event()
        self.sent: list[SentMessage] = []
        self.rejected: list[tuple[str, str]] = []
        self.calls: list[str] = []
        # By language code, or "chat:<id>" for a chat's own menu.
        self.commands: dict[str | None, list[dict[str, str]]] = {}
        self.callback_answers: list[str] = []
        self.flood: dict[int, int] = {}  # chat id -> retry_after for the next send
        # Telegram's sending limits, when switched on (enforce_limits): 429s served, and
        # requests that came back before the retry_after they were given.
        self.limits: SendingLimits | None = None
        self.too_many = 0
        self.too_early = 0
        self.files: dict[str, bytes] = {}  # file_id -> content users sent
        self.documents: list[tuple[int, str, bytes]] = []  # (chat, file name, content) the bot sent
        self.edits: list[SentMessage] = []
        self.handled: set[int] = set()  # update ids the bot has finished (see conftest)
        self._handled_events: dict[int, asyncio.Event] = {}
        # Called with each message as it arrives, before the bot hears back (e.g. to kill it).
        self.on_send: Callable[[SentMessage], None] | None = None
        # Called with each API call as it arrives, before Telegram acts on it; True refuses it
        # unseen (the bot was killed at that moment and the request never got through).
        self.on_call: Callable[[str, dict[str, Any]], bool] | None = None
        self.blocked: set[int] = set()
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self.activity = asyncio.Condition()  # notified after every API call
        self._runner: web.AppRunner | None = None
        self._stopping = False
        self.url = ""

    # --- server -------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner, self.url = await serve(app)
        return self.url

    async def stop(self) -> None:
        self._stopping = True
        self.new_update.set()
        if self._runner:
            await self._runner.cleanup()

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        content = self.files.get(request.match_info["path"].removeprefix("documents/"))
        return web.Response(body=content) if content is not None else web.Response(status=404)

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls.append(method)
        async with self.activity:  # a long poll has started: tests waiting for it may go on
            self.activity.notify_all()
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, str):
                        params[key] = value
                    elif isinstance(value, web.FileField):  # an uploaded file
                        params[key] = (value.filename, value.file.read())
        if self.on_call is not None and self.on_call(method, params):
            return web.Response(status=502)
        handler = getattr(self, "api_" + method.lower(), None)
        if handler is None:
            return self._error(method, BadRequest("Not Found: method not found", 404))
        try:
            result = await handler(params)
        except BadRequest as exc:
            return self._error(method, exc)
        finally:
            async with self.activity:
                self.activity.notify_all()
        return web.json_response({"ok": True, "result": result})

    async def mark_handled(self, update_id: int) -> None:
        async with self.activity:
            self.handled.add(update_id)
            self.activity.notify_all()
        event = self._handled_events.pop(update_id, None)
        if event is not None:
            event.set()

    async def wait_handled(self, update_id: int, seconds: float = 60) -> None:
        """Until the bot has finished this update (cheap with many people waiting at once)."""
        if update_id in self.handled:
            return
        event = self._handled_events.setdefault(update_id, asyncio.Event())
        await asyncio.wait_for(event.wait(), seconds)

    async def wait_until(self, predicate: Callable[[], bool], seconds: float = 10) -> None:
        """Until predicate() holds after some API call (e.g. the bot's answer arrived)."""
        async with self.activity:
            await asyncio.wait_for(self.activity.wait_for(predicate), seconds)

    def _error(self, method: str, exc: BadRequest) -> web.Response:
        # Flood waits and blocked users are Telegram's doing, not a malformed request.
        if exc.code not in (403, 429):
            self.rejected.append((method, exc.description))
        body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.retry_after is not None:
            body["parameters"] = {"retry_after": exc.retry_after}
        return web.json_response(body, status=exc.code)

    # --- Bot API methods ------------------------------------------------------------
    async def api_getme(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": int(self.token.split(":")[0]),
            "is_bot": True,
            "first_name": "Thi đua",
            "username": "ThiDuaTestBot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def api_deletewebhook(self, _: dict[str, Any]) -> bool:
        return True

    async def api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.confirmed = max(self.confirmed, offset)
        deadline = time.monotonic() + timeout
        while True:
            pending = [u for u in self.updates if u["update_id"] >= self.confirmed]
            remaining = deadline - time.monotonic()
            if pending or remaining <= 0 or self._stopping:
                return pending[: int(params.get("limit") or 100)]
            self.new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.new_update.wait(), remaining)

    def _markup(self, params: dict[str, Any]) -> list[list[dict[str, str]]]:
        raw = params.get("reply_markup")
        if not raw:
            return []
        markup = json.loads(raw) if isinstance(raw, str) else raw
        rows: list[list[dict[str, str]]] = markup.get("inline_keyboard", [])
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise BadRequest(
                        "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
                if _MARKUP_SHOWN.search(str(button["text"])):
                    raise BadRequest(f"button text would show markup: {button['text']!r}")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_LIMIT:
                    raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
        return rows

    def _checked_text(self, params: dict[str, Any]) -> str:
        raw = str(params.get("text", ""))
        text = parse_html(raw) if str(params.get("parse_mode", "")).upper() == "HTML" else raw
        if not text.strip():
            raise BadRequest("Bad Request: message text is empty")
        if utf16_len(text) > TEXT_LIMIT:
            raise BadRequest("Bad Request: message is too long")
        return text

    async def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            raise BadRequest("Forbidden: bot was blocked by the user", 403)
        if chat_id in self.flood:
            raise BadRequest(
                "Too Many Requests: retry after 1", 429, retry_after=self.flood.pop(chat_id)
            )
        self._within_limits(chat_id)
        text = self._checked_text(params)
        buttons = self._markup(params)
        message = SentMessage(next(self._message_ids), chat_id, str(params["text"]), text, buttons)
        self.sent.append(message)
        if self.on_send is not None:
            self.on_send(message)
        return self._message_json(message)

    def enforce_limits(self, overall: int = 30, per_chat_burst: int = 3) -> None:
        """Refuse with 429 past ~30 messages a second overall, and per chat past a burst of a
        few then one a second, as Telegram does; count who came back too early."""
        self.limits = SendingLimits(overall, per_chat_burst)

    def _within_limits(self, chat_id: int) -> None:
        limits = self.limits
        if limits is None:
            return
        now = time.monotonic()
        if now < limits.wait_until.get(chat_id, 0.0):
            self.too_early += 1  # told to wait for this chat, and did not
        while limits.recent and limits.recent[0] <= now - 1.0:
            limits.recent.popleft()
        tokens, last = limits.chats.get(chat_id, (float(limits.per_chat_burst), now))
        tokens = min(float(limits.per_chat_burst), tokens + (now - last))  # one a second
        if len(limits.recent) >= limits.overall:
            retry = 1
        elif tokens < 1.0:
            retry = max(1, round(1.0 - tokens + 0.49))
        else:
            limits.recent.append(now)
            limits.chats[chat_id] = (tokens - 1.0, now)
            return
        limits.chats[chat_id] = (tokens, now)
        limits.wait_until[chat_id] = now + retry
        self.too_many += 1
        raise BadRequest(f"Too Many Requests: retry after {retry}", 429, retry_after=retry)

    async def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = next(
            (m for m in self.sent if m.chat_id == chat_id and m.message_id == message_id), None
        )
        if message is None:
            raise BadRequest("Bad Request: message to edit not found")
        text = self._checked_text(params)
        buttons = self._markup(params)
        if text == message.text and buttons == message.buttons:
            raise BadRequest(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message.html, message.text, message.buttons = str(params["text"]), text, buttons
        self.edits.append(message)
        return self._message_json(message)

    async def api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise BadRequest("Bad Request: invalid file_id")
        content = self.files[file_id]
        if len(content) > 20 * 1024 * 1024:
            raise BadRequest("Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(content),
            "file_path": f"documents/{file_id}",
        }

    async def _upload(self, params: dict[str, Any], field: str) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        upload = params.get(field)
        if not isinstance(upload, tuple):
            raise BadRequest(f"Bad Request: there is no {field} in the request")
        caption = str(params.get("caption", ""))
        if caption and str(params.get("parse_mode", "")).upper() == "HTML":
            caption = parse_html(caption)
        if utf16_len(caption) > 1024:
            raise BadRequest("Bad Request: message caption is too long")
        name, content = upload
        if field == "photo" and not bytes(content).startswith(b"\x89PNG"):
            raise BadRequest("Bad Request: IMAGE_PROCESS_FAILED")
        buttons = self._markup(params)  # a file may carry the buttons, as a text message does
        self.documents.append((chat_id, str(name), bytes(content)))
        message = SentMessage(next(self._message_ids), chat_id, caption, caption, buttons)
        self.sent.append(message)
        sent = {
            "file_id": f"sent-{message.message_id}",
            "file_unique_id": f"us-{message.message_id}",
            "file_size": len(content),
        }
        if field == "photo":
            return {**self._message_json(message), "photo": [{**sent, "width": 800, "height": 600}]}
        return {**self._message_json(message), "document": {**sent, "file_name": name}}

    async def api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        self._within_limits(int(params["chat_id"]))
        return await self._upload(params, "document")

    async def api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        self._within_limits(int(params["chat_id"]))
        return await self._upload(params, "photo")

    async def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("text", ""))) > 200:
            raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers.append(str(params["callback_query_id"]))
        return True

    async def api_setmycommands(self, params: dict[str, Any]) -> bool:
        raw = params.get("commands", "[]")
        commands = json.loads(raw) if isinstance(raw, str) else raw
        if len(commands) > 100:
            raise BadRequest("Bad Request: too many commands")
        for command in commands:
            if not _COMMAND.match(command.get("command", "")):
                raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise BadRequest("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        raw_scope = params.get("scope")
        scope = json.loads(raw_scope) if isinstance(raw_scope, str) else raw_scope
        key = f"chat:{scope['chat_id']}" if scope and "chat_id" in scope else None
        self.commands[key or params.get("language_code") or None] = commands
        return True

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "text": message.text,
            "from": {"id": int(self.token.split(":")[0]), "is_bot": True, "first_name": "Thi đua"},
        }
        if message.buttons:
            body["reply_markup"] = {"inline_keyboard": message.buttons}
        return body

    # --- what users do ---------------------------------------------------------------
    def _push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        update["update_id"] = update_id
        self.updates.append(update)
        self.new_update.set()
        return update_id

    def send_text(self, user: User, text: str, group: int | None = None) -> int:
        """A message in the private chat, or in the group chat `group`."""
        chat = {"id": group, "type": "group"} if group else {"id": user.id, "type": "private"}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_json(),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(text.split(" ")[0])}
            ]
        return self._push({"message": message})

    def send_photo(self, user: User, content: bytes) -> int:
        file_id = f"photo-{next(self._update_ids)}"
        self.files[file_id] = content
        return self._push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": user.id, "type": "private"},
                    "from": user.as_json(),
                    "photo": [
                        {
                            "file_id": file_id,
                            "file_unique_id": f"u-{file_id}",
                            "width": 800,
                            "height": 600,
                            "file_size": len(content),
                        }
                    ],
                }
            }
        )

    def send_document(
        self,
        user: User,
        file_name: str,
        content: bytes = b"%PDF-1.4 demo",
        declared_size: int | None = None,
        omit_size: bool = False,
    ) -> int:
        file_id = f"doc-{next(self._update_ids)}"
        self.files[file_id] = content
        return self._push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": user.id, "type": "private"},
                    "from": user.as_json(),
                    "document": {
                        "file_id": file_id,
                        "file_unique_id": f"u-{file_id}",
                        "file_name": file_name,
                        **({} if omit_size else {"file_size": declared_size or len(content)}),
                    },
                }
            }
        )

    def send_other(self, user: User, kind: str, body: dict[str, object]) -> int:
        """A sticker, voice message, location, contact …: `kind` is its field in a message."""
        return self._push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": user.id, "type": "private"},
                    "from": user.as_json(),
                    kind: body,
                }
            }
        )

    def tap(self, user: User, message: SentMessage, label: str) -> int:
        return self.tap_data(user, message, message.callback(label))

    def tap_data(self, user: User, message: SentMessage, data: str) -> int:
        return self._push(
            {
                "callback_query": {
                    "id": f"cq{next(self._update_ids)}",
                    "from": user.as_json(),
                    "chat_instance": "ci",
                    "data": data,
                    "message": self._message_json(message),
                }
            }
        )

    def redeliver(self, update_id: int) -> None:
        """Telegram sends the same update again (as after a fault)."""
        original = next(u for u in self.updates if u["update_id"] == update_id)
        copy = json.loads(json.dumps(original))
        copy["update_id"] = update_id
        self.updates.append(copy)
        self.confirmed = min(self.confirmed, update_id)
        self.new_update.set()

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    async def replies(
        self, chat_id: int, after: int, count: int = 1, wait: float = 10
    ) -> list[SentMessage]:
        """Messages to chat_id beyond the first `after`, once `count` of them have arrived
        (notices come from the bot's outbox sender, not as the answer to an update)."""
        await self.wait_until(lambda: len(self.messages_to(chat_id)) >= after + count, wait)
        return self.messages_to(chat_id)[after:]
