"""The bot's one web server on WEBHOOK_LISTEN, behind the agency's reverse proxy: the Zalo Bot's
webhook and upload page, the Zalo OA's webhook (`/zalo-oa/hook`), and the signed file links
under PUBLIC_BASE_URL. Each channel adds its routes before it starts; it starts once."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.channels.file_links import FileLinks
from bot.clock import Clock
from bot.services.files import MAX_FILE_BYTES
from bot.settings import Settings

log = logging.getLogger(__name__)


class WebServer:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.listen = settings.webhook_listen
        # The upload page takes a document of up to 10 MB; webhooks limit their own bodies.
        self.app = web.Application(client_max_size=MAX_FILE_BYTES + 64 * 1024)
        secret = settings.zalo_bot_token or settings.zalo_oa_app_secret or ""
        self.file_links = (
            FileLinks(settings.public_base_url, settings.files_path.parent, secret, clock)
            if settings.public_base_url and secret
            else None
        )
        self.routes = 0
        if self.file_links is not None:
            self.file_links.add_to(self.app)
            self.routes += 1
        self.port: int | None = None  # once listening (tests ask for port 0)
        self._runner: web.AppRunner | None = None

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
