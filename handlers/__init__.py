"""The conversation flows, written once for every channel."""

from __future__ import annotations

from bot.engine.router import Router
from handlers import (
    campaigns,
    general,
    initiatives,
    my_records,
    onboarding,
    pledges,
    questions,
    unit_head,
)


def build_router() -> Router:
    router = Router()
    for module in (
        general,
        onboarding,
        campaigns,
        pledges,
        initiatives,
        unit_head,
        my_records,
        questions,
    ):
        router.include(module.router)
    return router
