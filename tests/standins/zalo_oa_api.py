"""A local stand-in of the Zalo Official Account API over real HTTP, with the rules Zalo documents
and community SDKs confirm (see notes/24-closing.md for where each comes from):

- events go to the bot's webhook signed `X-ZEvent-Signature: mac=<sha256(app id + body +
  timestamp + OA secret key)>`; an answer that is not 200 within 2 seconds is sent again after
  30 s, 5 min, 15 min, 30 min and 1 h (the schedule can be scaled for tests), header `num_retry`;
- consultation messages (`POST /v3.0/oa/message/cs`, header `access_token`) only to followers
  within 7 days of their last interaction (-213, -230, -232), text 1-2000 characters (-210),
  templates of at most 5 buttons with titles of 1-100 characters and payloads up to 1000, media
  by an uploaded attachment id, files by an uploaded token; replies `{error, message, data}`;
- uploads (`/v2.0/oa/upload/file`: PDF, DOC, DOCX up to 5 MB; `/v2.0/oa/upload/image`: JPG, PNG
  up to 1 MB), checked by their bytes;
- OAuth v4 (`/v4/oa/access_token`, header `secret_key`): the access token expires (90000 s),
  only the newest works (-216 once replaced, -220 once expired), the refresh token is single use;
- a rate limit per app with error -32; ZNS templates (`/message/template`) by phone.

It keeps its own clock (`advance`) for the window and the tokens' expiry."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiohttp import web

from tests.standins import serve

TEXT_LIMIT = 2000
MAX_BUTTONS = 5
TITLE_LIMIT = 100
PAYLOAD_LIMIT = 1000
BUTTON_TYPES = ("oa.query.show", "oa.query.hide", "oa.open.url", "oa.open.phone", "oa.open.sms")
WINDOW = timedelta(days=7)
ACCESS_LIFETIME = 90000  # seconds
RETRY_SCHEDULE = (30.0, 300.0, 900.0, 1800.0, 3600.0)
ANSWER_WITHIN = 2.0
FILE_KINDS = {".pdf": b"%PDF-", ".doc": b"\xd0\xcf\x11\xe0", ".docx": b"PK\x03\x04"}
FILE_LIMIT = 5 * 1024 * 1024
IMAGE_KINDS = {".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
IMAGE_LIMIT = 1024 * 1024
# Errors a correct bot meets in normal work; any other refusal is the bot's mistake.
EXPECTED = frozenset({-32, -213, -216, -220, -230, -232})


def mac(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    return hashlib.sha256(
        app_id.encode() + body + timestamp.encode() + secret_key.encode()
    ).hexdigest()


@dataclass
class OAUser:
    id: str
    name: str = "Lan"
    follows: bool = True
    last_interaction: datetime | None = None


@dataclass(frozen=True)
class OASent:
    user_id: str
    text: str = ""
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload)
    file: str | None = None  # the uploaded file's name
    image: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Delivery:
    key: str
    attempt: int
    status: int | None
    seconds: float


class ZaloOAStandIn:
    def __init__(
        self,
        app_id: str = "4291763606161179100",
        secret_key: str = "oa-secret-key-of-the-agency",
        app_secret: str = "app-secret-of-the-agency",
        refresh_token: str = "first-refresh-token-0001",
    ) -> None:
        self.app_id = app_id
        self.secret_key = secret_key
        self.app_secret = app_secret
        self.oa_id = "1234567890123456789"
        self.refresh_tokens = {refresh_token}  # each works once
        self.access_token: str | None = None  # only the newest works
        self.access_expires: datetime | None = None
        self.refreshes: list[str] = []  # the refresh tokens used, in order
        self.users: dict[str, OAUser] = {}
        self.sent: list[OASent] = []
        self.rejected: list[tuple[str, int, str]] = []
        self.refused: list[int] = []  # expected refusals (window, token, rate)
        self.calls: list[str] = []
        self.faults: list[int] = []  # error codes the next sends answer with
        self.uploads: dict[str, str] = {}  # token or attachment id -> file name
        self.files: dict[str, bytes] = {}  # what users sent, served for download
        self.slow_files: float = 0.0  # seconds before a user's file is served
        self.send_delay: float = 0.0  # seconds each send takes (a slow Zalo)
        self.rate_limit: tuple[int, float] | None = None  # (calls, seconds)
        self._recent: deque[float] = deque()
        self.zns_templates: dict[str, set[str]] = {}  # approved template id -> its params
        self.zns_sent: list[dict[str, Any]] = []
        self.webhook: str | None = None
        self.retry_scale = 1.0
        self.lose_answers = 0  # the next answers are lost on the way back: Zalo sends again
        self.deliveries: list[Delivery] = []
        self.handled: set[str] = set()
        self.on_send: Callable[[OASent], None] | None = None
        self.activity = asyncio.Condition()
        self.offset = timedelta()
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._http = httpx.AsyncClient(timeout=30)
        self.url = ""

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_post("/v3.0/oa/message/cs", self._send)
        app.router.add_post("/v2.0/oa/upload/{kind}", self._upload)
        app.router.add_post("/v4/oa/access_token", self._oauth)
        app.router.add_post("/message/template", self._zns)
        app.router.add_get("/files/{name}", self._file)
        self._runner, self.url = await serve(app)
        return self.url

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._http.aclose()
        if self._runner:
            await self._runner.cleanup()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    async def wait_until(self, predicate: Callable[[], bool], seconds: float = 10) -> None:
        async with self.activity:
            await asyncio.wait_for(self.activity.wait_for(predicate), seconds)

    async def _notify(self) -> None:
        async with self.activity:
            self.activity.notify_all()

    async def mark_handled(self, key: str) -> None:
        self.handled.add(key)
        await self._notify()

    # --- the API ---------------------------------------------------------------------------------
    def _answer(self, where: str, error: int, message: str, status: int = 200) -> web.Response:
        if error in EXPECTED:
            self.refused.append(error)
        else:
            self.rejected.append((where, error, message))
        return web.json_response({"error": error, "message": message}, status=status)

    @staticmethod
    def _ok(data: dict[str, Any]) -> web.Response:
        return web.json_response({"error": 0, "message": "Success", "data": data})

    def _token_problem(self, request: web.Request) -> tuple[int, str] | None:
        token = request.headers.get("access_token", "")
        if not token or token != self.access_token:
            return -216, "Access token is invalid"
        if self.access_expires is None or self.now() >= self.access_expires:
            return -220, "access_token is expired or removed"
        return None

    def _over_rate(self) -> bool:
        if self.rate_limit is None:
            return False
        calls, seconds = self.rate_limit
        now = time.monotonic()
        while self._recent and now - self._recent[0] > seconds:
            self._recent.popleft()
        if len(self._recent) >= calls:
            return True
        self._recent.append(now)
        return False

    async def _send(self, request: web.Request) -> web.Response:
        self.calls.append("cs")
        try:
            problem = self._token_problem(request)
            if problem is not None:
                return self._answer("cs", *problem)
            if self._over_rate():
                return self._answer("cs", -32, "Your application reached limit call api")
            if self.faults:
                code = self.faults.pop(0)
                return self._answer("cs", code, "injected fault")
            if self.send_delay:
                await asyncio.sleep(self.send_delay)
            body = await request.json()
            if set(body) != {"recipient", "message"} or set(body["recipient"]) != {"user_id"}:
                return self._answer("cs", -201, f"recipient and message required: {body}")
            user = self.users.get(str(body["recipient"]["user_id"]))
            if user is None or not user.follows:
                return self._answer("cs", -213, "User has not followed OA")
            if user.last_interaction is None:
                return self._answer("cs", -232, "User has not interacted with the OA")
            if self.now() - user.last_interaction > WINDOW:
                return self._answer("cs", -230, "User has not interacted with OA in past 7 days")
            sent = self._message(user.id, body["message"])
            if isinstance(sent, str):
                code = -210 if "limit" in sent else -201
                return self._answer("cs", code, sent)
            self.sent.append(sent)
            if self.on_send is not None:
                self.on_send(sent)
            return self._ok({"message_id": secrets.token_hex(10), "user_id": user.id})
        finally:
            await self._notify()

    def _message(self, user_id: str, message: Any) -> OASent | str:
        """The message as sent, or why Zalo refuses it."""
        if not isinstance(message, dict) or not message or set(message) - {"text", "attachment"}:
            return f"message has unknown fields: {message}"
        text = message.get("text")
        if text is not None and (not isinstance(text, str) or not text.strip()):
            return "text must be a non-empty string"
        if isinstance(text, str) and len(text) > TEXT_LIMIT:
            return f"text over the limit of {TEXT_LIMIT} characters"
        attachment = message.get("attachment")
        if attachment is None:
            return OASent(user_id, text or "", raw=message) if text else "empty message"
        kind, payload = attachment.get("type"), attachment.get("payload")
        if not isinstance(payload, dict):
            return "attachment payload missing"
        if kind == "file":
            name = self.uploads.get(str(payload.get("token")))
            if set(payload) != {"token"} or name is None:
                return f"unknown file token: {payload}"
            return OASent(user_id, text or "", file=name, raw=message)
        if kind != "template":
            return f"attachment type {kind!r} not supported"
        if payload.get("template_type") == "media":
            elements = payload.get("elements")
            if not isinstance(elements, list) or len(elements) != 1:
                return "a media template holds one element"
            element = elements[0]
            image = self.uploads.get(str(element.get("attachment_id")))
            if element.get("media_type") != "image" or image is None:
                return f"unknown image: {element}"
            return OASent(user_id, text or "", image=image, raw=message)
        if set(payload) != {"buttons"}:
            return f"template payload not understood: {payload}"
        buttons = payload["buttons"]
        if not text:
            return "buttons need the message's text"
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_BUTTONS:
            return f"a template holds 1-{MAX_BUTTONS} buttons, not {buttons!r}"
        shown: list[tuple[str, str]] = []
        for button in buttons:
            title, kind, data = button.get("title"), button.get("type"), button.get("payload")
            if set(button) != {"title", "type", "payload"} or kind not in BUTTON_TYPES:
                return f"button not understood: {button}"
            if not isinstance(title, str) or not 1 <= len(title) <= TITLE_LIMIT:
                return f"button title must be 1-{TITLE_LIMIT} characters: {title!r}"
            if kind.startswith("oa.query") and (
                not isinstance(data, str) or not 1 <= len(data) <= PAYLOAD_LIMIT
            ):
                return f"button payload must be 1-{PAYLOAD_LIMIT} characters"
            shown.append((title, str(data)))
        return OASent(user_id, text, buttons=tuple(shown), raw=message)

    async def _upload(self, request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        self.calls.append(f"upload/{kind}")
        try:
            problem = self._token_problem(request)
            if problem is not None:
                return self._answer(f"upload/{kind}", *problem)
            form = await request.post()
            upload = form.get("file")
            if not isinstance(upload, web.FileField):
                return self._answer(f"upload/{kind}", -201, "file missing")
            content = upload.file.read()
            name = upload.filename
            suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            kinds, limit = (
                (FILE_KINDS, FILE_LIMIT) if kind == "file" else (IMAGE_KINDS, IMAGE_LIMIT)
            )
            if kind not in ("file", "image") or suffix not in kinds:
                return self._answer(f"upload/{kind}", -201, f"{name}: type not supported")
            if not content.startswith(kinds[suffix]):
                return self._answer(f"upload/{kind}", -201, f"{name}: not what its name says")
            if len(content) > limit:
                return self._answer(f"upload/{kind}", -210, f"{name}: over {limit} bytes")
            ref = secrets.token_hex(12)
            self.uploads[ref] = name
            return self._ok({"token": ref} if kind == "file" else {"attachment_id": ref})
        finally:
            await self._notify()

    async def _oauth(self, request: web.Request) -> web.Response:
        self.calls.append("oauth")
        try:
            form = await request.post()
            if request.headers.get("secret_key") != self.app_secret:
                return self._oauth_error(-14002, "Invalid app secret")
            if form.get("app_id") != self.app_id or form.get("grant_type") != "refresh_token":
                return self._oauth_error(-14001, "Invalid parameters")
            used = str(form.get("refresh_token", ""))
            self.refreshes.append(used)
            if used not in self.refresh_tokens:
                return self._oauth_error(-14014, "Invalid refresh token")
            self.refresh_tokens.discard(used)  # single use
            fresh = f"refresh-{secrets.token_hex(8)}"
            self.refresh_tokens.add(fresh)
            self.access_token = f"access-{secrets.token_hex(8)}"  # the old one stops working
            self.access_expires = self.now() + timedelta(seconds=ACCESS_LIFETIME)
            return web.json_response(
                {
                    "access_token": self.access_token,
                    "refresh_token": fresh,
                    "expires_in": str(ACCESS_LIFETIME),
                }
            )
        finally:
            await self._notify()

    @staticmethod
    def _oauth_error(code: int, name: str) -> web.Response:
        body = {"error": code, "error_name": name, "error_description": name}
        return web.json_response(body)

    def expire_access(self) -> None:
        """The access token's 25 hours are over (Zalo answers -220 from now on)."""
        self.access_expires = self.now()

    def revoke(self) -> None:
        """The OA withdrew the app's permissions: no token works, no refresh token either."""
        self.access_token = None
        self.refresh_tokens.clear()

    async def _zns(self, request: web.Request) -> web.Response:
        self.calls.append("zns")
        try:
            problem = self._token_problem(request)
            if problem is not None:
                return self._answer("zns", *problem)
            body = await request.json()
            params = self.zns_templates.get(str(body.get("template_id")))
            phone = str(body.get("phone", ""))
            if params is None:
                return self._answer("zns", -1124, "template not approved")
            if not (phone.startswith("84") and phone.isdigit() and 11 <= len(phone) <= 12):
                return self._answer("zns", -1108, f"phone {phone!r} not valid")
            data = body.get("template_data")
            if not isinstance(data, dict) or set(data) != params:
                return self._answer("zns", -1123, f"template data {data!r} not its params")
            self.zns_sent.append(body)
            return self._ok({"msg_id": secrets.token_hex(10), "sent_time": str(time.time())})
        finally:
            await self._notify()

    async def _file(self, request: web.Request) -> web.StreamResponse:
        content = self.files.get(request.match_info["name"])
        if content is None:
            return web.Response(status=404)
        if self.slow_files:
            await asyncio.sleep(self.slow_files)
        return web.Response(body=content)

    # --- what users do, delivered to the bot's webhook ------------------------------------------
    def user(self, user_id: str, name: str = "Lan") -> OAUser:
        return self.users.setdefault(user_id, OAUser(user_id, name))

    def event(self, user: OAUser, name: str, **message: Any) -> dict[str, Any]:
        stamp = str(int(self.now().timestamp() * 1000))
        event: dict[str, Any] = {
            "app_id": self.app_id,
            "user_id_by_app": f"app-{user.id}",
            "event_name": name,
            "timestamp": stamp,
        }
        if name in ("follow", "unfollow"):
            event |= {"oa_id": self.oa_id, "follower": {"id": user.id}, "source": "oa_profile"}
        else:
            message = {"msg_id": f"msg{next(self._ids):08d}{secrets.token_hex(2)}", **message}
            event |= {
                "sender": {"id": user.id},
                "recipient": {"id": self.oa_id},
                "message": message,
            }
        return event

    def _interacts(self, user: OAUser, event: dict[str, Any]) -> dict[str, Any]:
        if event["event_name"] == "follow":
            user.follows = True
        if event["event_name"] == "unfollow":
            user.follows = False
        else:
            user.last_interaction = self.now()
        self.deliver(event)
        return event

    def send_text(self, user: OAUser, text: str) -> dict[str, Any]:
        return self._interacts(user, self.event(user, "user_send_text", text=text))

    def tap(self, user: OAUser, sent: OASent, title: str) -> dict[str, Any]:
        """A button of `sent` tapped: its payload comes back as the person's message."""
        payload = next(data for label, data in sent.buttons if label == title)
        return self.send_text(user, payload)

    def send_file(self, user: OAUser, name: str, content: bytes) -> dict[str, Any]:
        stored = f"{secrets.token_hex(6)}-{name}"
        self.files[stored] = content
        attachment = {
            "type": "file",
            "payload": {
                "url": f"{self.url}/files/{stored}",
                "name": name,
                "size": str(len(content)),
                "checksum": hashlib.md5(content).hexdigest(),
                "type": name.rsplit(".", 1)[-1],
            },
        }
        return self._interacts(user, self.event(user, "user_send_file", attachments=[attachment]))

    def send_image(self, user: OAUser, content: bytes) -> dict[str, Any]:
        stored = f"{secrets.token_hex(6)}.jpg"
        self.files[stored] = content
        url = f"{self.url}/files/{stored}"
        attachment = {"type": "image", "payload": {"url": url, "thumbnail": url}}
        return self._interacts(user, self.event(user, "user_send_image", attachments=[attachment]))

    def follow(self, user: OAUser) -> dict[str, Any]:
        return self._interacts(user, self.event(user, "follow"))

    def unfollow(self, user: OAUser) -> dict[str, Any]:
        return self._interacts(user, self.event(user, "unfollow"))

    def deliver(self, event: dict[str, Any], signed: bool = True) -> asyncio.Task[None]:
        """Posted to the webhook now, and again on Zalo's schedule while not answered."""
        body = json.dumps(event, ensure_ascii=False).encode()
        task = asyncio.create_task(self._post(event_key(event), body, event["timestamp"], signed))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _post(self, key: str, body: bytes, timestamp: str, signed: bool) -> None:
        assert self.webhook is not None, "the OA's webhook URL is not set"
        for attempt, delay in enumerate((0.0, *RETRY_SCHEDULE)):
            await asyncio.sleep(delay * self.retry_scale)
            signature = mac(self.app_id, body, timestamp, self.secret_key if signed else "guess")
            headers = {
                "X-ZEvent-Signature": f"mac={signature}",
                "Content-Type": "application/json",
                "num_retry": str(attempt),
            }
            began = time.monotonic()
            status: int | None = None
            try:
                response = await self._http.post(
                    self.webhook, content=body, headers=headers, timeout=ANSWER_WITHIN
                )
                status = response.status_code
            except httpx.HTTPError:
                pass
            elapsed = time.monotonic() - began
            self.deliveries.append(Delivery(key, attempt, status, elapsed))
            await self._notify()
            lost = status == 200 and self.lose_answers > 0
            if lost:
                self.lose_answers -= 1
            if status == 200 and elapsed <= ANSWER_WITHIN and not lost:
                return

    def messages_to(self, user: OAUser) -> list[OASent]:
        return [m for m in self.sent if m.user_id == user.id]


def event_key(event: dict[str, Any]) -> str:
    """The bot's inbox key of an event (its name and message id)."""
    message = event.get("message") or {}
    if message.get("msg_id"):
        return f"{event['event_name']}:{message['msg_id']}"
    who = (event.get("follower") or event.get("sender") or {}).get("id")
    return f"{event['event_name']}:{who}:{event['timestamp']}"
