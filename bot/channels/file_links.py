"""Files the bot sends where documents cannot go (Zalo): an address that expires, served by the
bot's own web server under PUBLIC_BASE_URL; and the upload page's address.

An address names a *share* — one file of the store of made files (exports, charts, papers,
calendars) or of attachments, sent to one account — by its id, never a path: nothing under the
data folder (the database least of all) can be reached by altering it. Its signature covers the
share, the account and the expiry, under a key of the links' own (LINK_SIGNING_KEY, or one made
at the first start and kept in the database): a leaked messenger token opens nothing. Any part
that is not what the bot writes is refused with 400, a signature that does not match with 403,
and nothing raises."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot.clock import Clock
from bot.engine.events import OutgoingFile
from bot.i18n import Messages
from bot.numbers import MAX_ID, whole_number
from bot.services.files import safe_name
from storage.file_shares import FileShares, Store
from storage.secrets import KeptSecrets

VALID_FOR = timedelta(days=2)
UPLOAD_VALID_FOR = timedelta(hours=1)
ROUTE = "/files/{share}/{expires}/{signature}"
UPLOAD_ROUTE = "/upload/{expires}/{signature}/{account}"
KEY_NAME = "file_links"
_SIGNATURE = re.compile(r"[0-9a-f]{32}")
_ACCOUNT = re.compile(r"[0-9A-Za-z_-]{1,64}")
# What each store holds: attachments by SHA-256 ("ab/ab12…"), made files by a plain name.
_IN_STORE = {
    "attachment": re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}"),
    "made": re.compile(r"[^/\\]{1,200}"),
}


def _part(text: str, low: int = 0, high: int = MAX_ID) -> int | None:
    """A number of an address, exactly as the bot writes it (ASCII digits, nothing around)."""
    return whole_number(text, low=low, high=high) if text == text.strip() else None


async def signing_key(given: str | None, kept: KeptSecrets) -> bytes:
    """The links' key: the setting, or the one made at the first start and kept."""
    secret = given or await kept.get_or_make(KEY_NAME, lambda: secrets.token_urlsafe(32))
    return hashlib.sha256(b"thidua-file-links\0" + secret.encode()).digest()


class FileLinks:
    def __init__(
        self,
        base_url: str,
        stores: dict[Store, Path],
        database: Path,
        shares: FileShares,
        key: bytes,
        clock: Clock,
        t: Messages,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.stores = {store: root.resolve() for store, root in stores.items()}
        self.database = database.resolve()
        self.shares = shares
        self._key = key
        self.clock = clock
        self.t = t

    def _sign(self, *parts: str) -> str:
        return hmac.new(self._key, "\n".join(parts).encode(), hashlib.sha256).hexdigest()[:32]

    def _locate(self, path: Path) -> tuple[Store, str] | None:
        """The store a file is in and its place there; None for anything else."""
        resolved = path.resolve()
        if resolved.name.startswith(self.database.name) and resolved.parent == self.database.parent:
            return None  # the database, its journal: never, whatever the stores are set to
        for store, root in self.stores.items():
            if resolved.is_relative_to(root):
                relative = resolved.relative_to(root).as_posix()
                if _IN_STORE[store].fullmatch(relative):
                    return store, relative
        return None

    async def url(self, file: OutgoingFile, channel: str, account: str) -> str | None:
        """An address for this file, for this account, valid VALID_FOR; None for a file that is
        in neither store."""
        located = self._locate(file.path)
        if located is None:
            return None
        expires = self.clock.now() + VALID_FOR
        share = await self.shares.add(
            *located, safe_name(file.name), channel, account,
            expires.astimezone(UTC).isoformat(timespec="seconds"),
        )  # fmt: skip
        when = int(expires.timestamp())
        signature = self._sign("file", str(share), channel, account, str(when))
        return f"{self.base_url}/files/{share}/{when}/{signature}"

    def upload_url(self, account: str) -> str:
        """A page where this account uploads files into its draft, for an hour."""
        expires = int((self.clock.now() + UPLOAD_VALID_FOR).timestamp())
        signature = self._sign("upload", account, str(expires))
        return f"{self.base_url}/upload/{expires}/{signature}/{quote(account)}"

    def _refuse(self, status: type[web.HTTPException], key: str) -> web.HTTPException:
        return status(text=self.t.plain(f"file_links.{key}"))

    def _expiry(self, request: web.Request) -> int:
        """The address's expiry, its signature checked to be of the form the bot writes."""
        expires = _part(request.match_info["expires"], high=2**40)
        if expires is None or not _SIGNATURE.fullmatch(request.match_info["signature"]):
            raise self._refuse(web.HTTPBadRequest, "bad")
        return expires

    def _check(self, request: web.Request, expected: str, expires: int) -> None:
        if not hmac.compare_digest(expected, request.match_info["signature"]):
            raise self._refuse(web.HTTPForbidden, "refused")
        if expires < self.clock.now().timestamp():
            raise self._refuse(web.HTTPGone, "expired")

    def upload_account(self, request: web.Request) -> str:
        """The account an upload address was made for; 400, 403 or 410 when it is not valid."""
        expires = self._expiry(request)
        account = request.match_info["account"]
        if not _ACCOUNT.fullmatch(account):
            raise self._refuse(web.HTTPBadRequest, "bad")
        self._check(request, self._sign("upload", account, str(expires)), expires)
        return account

    async def serve(self, request: web.Request) -> web.StreamResponse:
        expires = self._expiry(request)
        share_id = _part(request.match_info["share"], low=1)
        if share_id is None:
            raise self._refuse(web.HTTPBadRequest, "bad")
        share = await self.shares.get(share_id)
        if share is None:  # said as a bad signature: which ids exist is nobody's business
            raise self._refuse(web.HTTPForbidden, "refused")
        expected = self._sign("file", str(share.id), share.channel, share.account, str(expires))
        self._check(request, expected, expires)
        root = self.stores.get(share.store)
        path = (root / share.relative_path).resolve() if root is not None else None
        if (
            path is None
            or root is None
            or not path.is_relative_to(root)
            or self._locate(path) != (share.store, share.relative_path)
            or not path.is_file()
        ):
            raise self._refuse(web.HTTPNotFound, "gone")
        disposition = f"attachment; filename*=UTF-8''{quote(share.name)}"
        return web.FileResponse(path, headers={"Content-Disposition": disposition})

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(ROUTE, self.serve)
