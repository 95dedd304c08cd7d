"""The conversation flows, written once for every channel."""

from __future__ import annotations

from bot.engine.router import Router
from handlers import campaigns, general, onboarding, questions


def build_router() -> Router:
    router = Router()
    for module in (general, onboarding, campaigns, questions):
        router.include(module.router)
    return router
