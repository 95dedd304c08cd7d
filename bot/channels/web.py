"""The bot's one web server on WEBHOOK_LISTEN, behind the agency's reverse proxy: the Zalo Bot's
webhook and upload page, the Zalo OA's webhook (`/zalo-oa/hook`), and the signed file links
under PUBLIC_BASE_URL. Each channel adds its routes before it starts; it starts once."""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.channels.file_links import ROUTE, FileLinks, signing_key
from bot.services.container import Services
from bot.services.files import MAX_FILE_BYTES
from bot.settings import Settings
from storage.file_shares import Store

log = logging.getLogger(__name__)


class WebServer:
    def __init__(self, settings: Settings, services: Services) -> None:
        self.settings = settings
        self.services = services
        self.listen = settings.webhook_listen
        # The upload page takes a document of up to 10 MB; webhooks limit their own bodies.
        self.app = web.Application(client_max_size=MAX_FILE_BYTES + 64 * 1024)
        # Signed links need their key, kept in the database: opened at start (open_links).
        self.file_links: FileLinks | None = None
        self.routes = 0
        if settings.public_base_url:
            self.app.router.add_get(ROUTE, self._serve_file)
            self.routes += 1
        self.port: int | None = None  # once listening (tests ask for port 0)
        self._runner: web.AppRunner | None = None

    async def open_links(self) -> FileLinks | None:
        """The signed download and upload links (with PUBLIC_BASE_URL), once their key is read
        from the setting or the database; the same object for every channel of the process."""
        settings, services = self.settings, self.services
        if self.file_links is None and settings.public_base_url:
            key = await signing_key(settings.link_signing_key, services.kept_secrets)
            stores: dict[Store, Path] = {
                "made": settings.exports_path,
                "attachment": settings.files_path,
            }
            self.file_links = FileLinks(
                settings.public_base_url, stores, settings.sqlite_path, services.shares, key,
                services.clock, services.translator.for_language(None),
            )  # fmt: skip
        return self.file_links

    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        links = await self.open_links()
        assert links is not None  # the route exists only with PUBLIC_BASE_URL
        return await links.serve(request)

    def add(self, method: str, path: str, handler: Handler) -> None:
        self.app.router.add_route(method, path, handler)
        self.routes += 1

    @property
    def needed(self) -> bool:
        return self.routes > 0

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        host, _, port = self.listen.rpartition(":")
        site = web.TCPSite(self._runner, host, int(port))
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("web server listening on %s:%s", host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
