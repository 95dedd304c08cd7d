"""Files the bot sends where documents cannot go (Zalo): a signed address that expires, served
by the bot's own web server under PUBLIC_BASE_URL. Nothing is stored: the signature covers the
file, its name and the expiry, so an address cannot be altered to reach another file."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot.clock import Clock

VALID_FOR = timedelta(days=2)
UPLOAD_VALID_FOR = timedelta(hours=1)
ROUTE = "/files/{expires}/{signature}/{path:.+}"
UPLOAD_ROUTE = "/upload/{expires}/{signature}/{account}"


class FileLinks:
    def __init__(self, base_url: str, root: Path, secret: str, clock: Clock) -> None:
        self.base_url = base_url.rstrip("/")
        self.root = root.resolve()
        self._key = hashlib.sha256(b"thidua-file-links\0" + secret.encode()).digest()
        self.clock = clock

    def _sign(self, expires: int, relative: str, name: str) -> str:
        message = f"{expires}\n{relative}\n{name}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def url(self, path: Path, name: str) -> str | None:
        """The address of a file under the bot's data folder; None for anything else."""
        try:
            relative = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None
        expires = int((self.clock.now() + VALID_FOR).timestamp())
        signature = self._sign(expires, relative, name)
        return f"{self.base_url}/files/{expires}/{signature}/{quote(relative)}?name={quote(name)}"

    def upload_url(self, account: str) -> str:
        """A page where this account uploads files into its draft, for an hour."""
        expires = int((self.clock.now() + UPLOAD_VALID_FOR).timestamp())
        signature = self._sign(expires, "upload", account)
        return f"{self.base_url}/upload/{expires}/{signature}/{quote(account)}"

    def upload_account(self, request: web.Request) -> str:
        """The account an upload address was made for; 403 or 410 when it is not valid."""
        expires_text, account = request.match_info["expires"], request.match_info["account"]
        if not expires_text.isdigit():
            raise web.HTTPNotFound()
        expected = self._sign(int(expires_text), "upload", account)
        if not hmac.compare_digest(expected, request.match_info["signature"]):
            raise web.HTTPForbidden(text="Liên kết không hợp lệ.")
        if int(expires_text) < self.clock.now().timestamp():
            raise web.HTTPGone(text="Liên kết đã hết hạn; anh/chị yêu cầu lại trong ứng dụng.")
        return account

    async def serve(self, request: web.Request) -> web.StreamResponse:
        expires_text = request.match_info["expires"]
        relative = request.match_info["path"]
        name = request.query.get("name", "tep")
        if not expires_text.isdigit():
            raise web.HTTPNotFound()
        expected = self._sign(int(expires_text), relative, name)
        if not hmac.compare_digest(expected, request.match_info["signature"]):
            raise web.HTTPForbidden(text="Liên kết không hợp lệ.")
        if int(expires_text) < self.clock.now().timestamp():
            raise web.HTTPGone(text="Liên kết đã hết hạn; anh/chị yêu cầu lại trong ứng dụng.")
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise web.HTTPNotFound()
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.FileResponse(path, headers={"Content-Disposition": disposition})

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(ROUTE, self.serve)
