"""The Zalo Official Account API over httpx: consultation messages (`/v3.0/oa/message/cs`, header
`access_token`, replies `{error, message, data}`), uploads, ZNS, and the OAuth v4 tokens.

Tokens: the access token lives about 25 hours; the refresh token is single use and rotates at
each refresh, so the new pair is committed to the database before it is used, and one process at
a time refreshes (a lease in the database). A token error (-216, -220) refreshes once and tries
again; a refused refresh tells whoever must re-authorise the OA, once."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from bot.channels.common import download
from bot.channels.zalo import ZaloError
from bot.clock import Clock
from storage.oa_tokens import OATokens, OATokenStore

log = logging.getLogger(__name__)

# Error codes (Zalo's table of OA API errors): the token was refused or has expired; outside the
# 7-day window; the person does not follow the OA, or is locked/inactive over 45 days; the app's
# rate limit.
TOKEN_ERRORS = frozenset({-216, -220, -124})
WINDOW_ERRORS = frozenset({-230, -232})
UNREACHABLE_ERRORS = frozenset({-213, -227})
RATE_LIMITED = -32
RETRIES = 3
REFRESH_MARGIN = timedelta(hours=1)  # refreshed this long before the access token expires
# Longer than an OAuth call may take (httpx's 30 s): a lease never lapses while its holder waits
# for Zalo's answer, so the refresh token is never used twice.
LOCK_LEASE = timedelta(seconds=60)
LOCK_WAIT = 70.0  # seconds a process waits for another's refresh before giving up
FAILED_COOLDOWN = timedelta(minutes=1)  # a refused refresh is not asked again at once


class OAError(ZaloError):
    """The OA API's `error` (negative codes), or an HTTP status where there was none."""

    @property
    def transient(self) -> bool:
        """Worth trying again later: the rate limit, Zalo's side failing, the network, or the
        tokens (re-authorising fixes them)."""
        return self.code == RATE_LIMITED or self.code >= 500 or self.code in TOKEN_ERRORS


class OAuthRefused(Exception):
    """Zalo refused to refresh the tokens: the OA must be authorised again."""


def seed_of(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


class OATokenKeeper:
    def __init__(
        self,
        store: OATokenStore,
        http: httpx.AsyncClient,
        oauth_url: str,
        app_id: str,
        app_secret: str,
        first_refresh_token: str,
        clock: Clock,
        owner: str,
        on_refused: Callable[[str], Awaitable[None]],
    ) -> None:
        self.store = store
        self.http = http
        self.url = f"{oauth_url.rstrip('/')}/v4/oa/access_token"
        self.app_id = app_id
        self.app_secret = app_secret
        self.first_refresh_token = first_refresh_token
        self.seed = seed_of(first_refresh_token)
        self.clock = clock
        self.owner = owner
        self.on_refused = on_refused
        self._cached: tuple[str, datetime] | None = None
        self._local = asyncio.Lock()  # one refresh at a time within this process, too

    def _fresh(self, expires_at: datetime) -> bool:
        return expires_at - self.clock.now() > REFRESH_MARGIN

    def _usable(self, row: OATokens | None) -> tuple[str, datetime] | None:
        if row is None or row.seed != self.seed or not row.access_token:
            return None
        assert row.access_expires_at is not None
        expires = datetime.fromisoformat(row.access_expires_at)
        return (row.access_token, expires) if self._fresh(expires) else None

    async def access(self) -> str:
        """A valid access token: the one in hand, the one another process stored, or a new one
        before this one expires."""
        if self._cached is not None and self._fresh(self._cached[1]):
            return self._cached[0]
        usable = self._usable(await self.store.load())
        if usable is not None:
            self._cached = usable
            return usable[0]
        return await self.refresh(stale=None)

    async def refresh(self, stale: str | None) -> str:
        """A new access token, unless another process already replaced `stale`."""
        async with self._local:
            deadline = asyncio.get_running_loop().time() + LOCK_WAIT
            while True:
                row = await self.store.load()
                usable = self._usable(row)
                if usable is not None and usable[0] != stale:
                    self._cached = usable
                    return usable[0]
                self._refused_lately(row)
                if await self.store.lock(self.owner, LOCK_LEASE):
                    try:
                        return await self._refresh_locked(stale)
                    finally:
                        await self.store.unlock(self.owner)
                if asyncio.get_running_loop().time() > deadline:
                    raise OAuthRefused("another instance is refreshing the Zalo OA tokens")
                await asyncio.sleep(0.05)

    def _refused_lately(self, row: OATokens | None) -> None:
        if row is None or row.seed != self.seed or row.failed_at is None:
            return
        if self.clock.now() - datetime.fromisoformat(row.failed_at) < FAILED_COOLDOWN:
            raise OAuthRefused("the last refresh was refused; the OA must be authorised again")

    async def _refresh_locked(self, stale: str | None) -> str:
        row = await self.store.load()  # again, under the lock: someone may have just finished
        usable = self._usable(row)
        if usable is not None and usable[0] != stale:
            self._cached = usable
            return usable[0]
        same_chain = row is not None and row.seed == self.seed and row.refresh_token
        refresh_token = row.refresh_token if same_chain and row else self.first_refresh_token
        assert refresh_token is not None
        try:
            response = await self.http.post(
                self.url,
                headers={"secret_key": self.app_secret},
                data={
                    "refresh_token": refresh_token,
                    "app_id": self.app_id,
                    "grant_type": "refresh_token",
                },
            )
            body = response.json() if response.content else {}
        except (httpx.TransportError, ValueError) as exc:
            raise OAError(503, f"OAuth unreachable: {exc}") from exc
        if response.status_code >= 500:
            raise OAError(response.status_code, "OAuth server error")
        if not isinstance(body, dict):
            raise OAError(502, "not an answer of the OAuth server")
        access, new_refresh = body.get("access_token"), body.get("refresh_token")
        if not access or not new_refresh:
            reason = str(
                body.get("error_description")
                or body.get("message")
                or body.get("error_name")
                or f"error {body.get('error')}"
            )
            log.error(
                "Zalo OA: the refresh token was refused (%s). Authorise the app for the OA again "
                "on developers.zalo.me (app → Official Account → grant permissions), put the new "
                "refresh token in ZALO_OA_REFRESH_TOKEN and restart the bot.",
                reason,
            )
            if await self.store.failed(reason):
                await self.on_refused(reason)
            raise OAuthRefused(reason)
        expires_in = timedelta(seconds=int(body.get("expires_in") or 90000))
        # Committed before it is used: the old refresh token stopped working just now.
        await self.store.rotated(self.seed, str(access), expires_in, str(new_refresh))
        self._cached = (str(access), self.clock.now() + expires_in)
        log.info("Zalo OA tokens refreshed; the access token is valid %s", expires_in)
        return str(access)


class OAClient:
    """The OA's API: each call with the access token, a token error refreshed once, the rate
    limit and Zalo's failures tried again with backoff."""

    def __init__(
        self,
        api_url: str,
        zns_url: str,
        http: httpx.AsyncClient,
        tokens: OATokenKeeper,
    ) -> None:
        self.api = api_url.rstrip("/")
        self.zns_api = zns_url.rstrip("/")
        self.http = http
        self.tokens = tokens

    async def call(self, url: str, **request: Any) -> dict[str, Any]:
        for attempt in range(RETRIES + 1):
            try:
                token = await self.tokens.access()
                try:
                    return await self._once(url, token, request)
                except OAError as exc:
                    if exc.code not in TOKEN_ERRORS:
                        raise
                    token = await self.tokens.refresh(stale=token)
                    return await self._once(url, token, request)
            except OAuthRefused as exc:
                raise OAError(-216, f"tokens refused: {exc}") from exc
            except OAError as exc:
                if not exc.transient or exc.code in TOKEN_ERRORS or attempt == RETRIES:
                    raise
            await asyncio.sleep(0.25 * 2**attempt)
        raise AssertionError("unreachable")

    async def _once(self, url: str, token: str, request: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self.http.post(url, headers={"access_token": token}, **request)
        except httpx.TransportError as exc:
            raise OAError(503, f"network: {exc}") from exc
        if response.status_code >= 500:
            raise OAError(response.status_code, response.reason_phrase)
        try:
            body = response.json()
        except ValueError as exc:
            raise OAError(response.status_code or 502, "not JSON") from exc
        if not isinstance(body, dict):
            raise OAError(502, "not an answer of the OA API")
        try:
            error = int(body.get("error") or 0)
        except (TypeError, ValueError):
            error = -1
        if error != 0 or response.status_code != 200:
            raise OAError(error or response.status_code, str(body.get("message") or ""))
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    async def send(self, user_id: str, message: dict[str, Any]) -> str:
        data = await self.call(
            f"{self.api}/v3.0/oa/message/cs",
            json={"recipient": {"user_id": user_id}, "message": message},
        )
        return str(data.get("message_id", ""))

    async def upload(self, kind: str, name: str, content: bytes, mime: str) -> str:
        """A file (`file`: PDF, Word; its token) or a picture (`image`: its attachment id)."""
        data = await self.call(
            f"{self.api}/v2.0/oa/upload/{kind}", files={"file": (name, content, mime)}
        )
        key = "token" if kind == "file" else "attachment_id"
        if not data.get(key):
            raise OAError(-201, f"upload answered without {key}")
        return str(data[key])

    async def zns(self, phone: str, template_id: str, values: dict[str, str], ref: str) -> str:
        data = await self.call(
            f"{self.zns_api}/message/template",
            json={
                "phone": phone,
                "template_id": template_id,
                "template_data": values,
                "tracking_id": ref,
            },
        )
        return str(data.get("msg_id", ""))

    async def download(self, url: str, limit: int) -> bytes:
        """A file a person sent, as Zalo serves it, read no further than `limit` bytes."""
        return await download(self.http, url, limit)
