"""The conversation flows, written once for every channel."""

from __future__ import annotations

from bot.engine.router import Router
from handlers import (
    achievement,
    campaigns,
    council_member,
    general,
    initiatives,
    linking,
    my_records,
    onboarding,
    pledges,
    questions,
    reminders,
    unit_head,
)
from handlers.secretariat import (
    awards,
    council,
    invites,
    nominations,
    notices,
    open_questions,
    plan_drafts,
    publishing,
    reminders_desk,
    reports,
    review,
    roles,
    roster,
)

# Free-text questions come last: everything more specific is tried first.
FLOWS = (
    general,
    onboarding,
    campaigns,
    pledges,
    initiatives,
    unit_head,
    my_records,
    linking,
    reminders,
    achievement,
    council_member,
)
DESK = (
    review,
    awards,
    nominations,
    reports,
    invites,
    publishing,
    plan_drafts,
    roles,
    notices,
    open_questions,
    reminders_desk,
    roster,
    council,
)


def build_router() -> Router:
    router = Router()
    for module in (*FLOWS, *DESK, questions):
        router.include(module.router)
    router.include(plan_drafts.desk)  # its steps and buttons: the desk's, checked each time
    return router
