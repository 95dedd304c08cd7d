"""Typed questions: "hạn nộp hồ sơ?", "tieu chi ca nhan", "khen thuong bao nhieu" — with or
without diacritics, with a one-letter typo."""

from __future__ import annotations

from bot.domain.campaign import Campaign
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from bot.textmatch import contains_phrase, fold
from handlers import views
from handlers.campaigns import (
    ask_which,
    my_campaigns,
    relevant,
    show_criteria,
    show_deadlines,
    show_list,
)
from handlers.general import help_command
from handlers.menu import main_menu
from handlers.onboarding import choose_unit, start
from handlers.views import Audience

router = Router()

# What people type for each question, folded (no diacritics). Earlier intents win ties.
INTENTS: dict[str, tuple[str, ...]] = {
    "deadlines": (
        "han dang ky",
        "han gui sang kien",
        "han nop",
        "han chot",
        "thoi han",
        "han cuoi",
        "het han",
        "ngay nop",
        "han",
        "bao gio",
        "khi nao",
        "moc thoi gian",
        "thoi gian",
        "deadline",
        "deadlines",
        "due",
        "when",
    ),
    "criteria": (
        "tieu chi",
        "tieu chuan",
        "dieu kien",
        "criteria",
        "criterion",
        "requirements",
    ),
    "awards": (
        "khen thuong",
        "giay khen",
        "bang khen",
        "co thi dua",
        "bao nhieu",
        "chi tieu",
        "so luong",
        "hinh thuc khen",
        "danh hieu",
        "award",
        "awards",
        "quota",
        "how many",
    ),
    "dossier": (
        "ho so",
        "giay to",
        "nop o dau",
        "gui ve dau",
        "nop cho ai",
        "thanh phan",
        "dossier",
        "documents",
        "paperwork",
    ),
    "participants": (
        "doi tuong",
        "ai duoc",
        "ai tham gia",
        "ai phai",
        "who takes part",
        "participants",
        "who can",
    ),
    "my": ("cua toi", "ho so cua toi", "da gui", "trang thai", "my records", "status"),
    "pledge": ("dang ky thi dua", "dang ky", "cam ket", "register", "pledge"),
    "initiative": ("sang kien", "gui sang kien", "giai phap", "initiative"),
    "campaigns": (
        "phong trao",
        "ke hoach",
        "danh sach",
        "campaign",
        "campaigns",
        "list",
    ),
    "join": ("don vi cua toi", "chon don vi", "doi don vi", "tham gia don vi", "join"),
    "help": ("giup", "huong dan", "tro giup", "lam duoc gi", "help"),
    "greeting": ("xin chao", "chao", "hello", "hi", "alo"),
}
INDIVIDUAL = ("ca nhan", "individual", "individuals", "personal", "cong chuc", "vien chuc")
COLLECTIVE = ("tap the", "don vi", "collective", "collectives", "phong ban")
VIEWS = {"criteria": "cr", "awards": "aw", "dossier": "ds", "participants": "pt"}


def detect_intent(text: str) -> str | None:
    """The intent whose matched phrases weigh most; a phrase inside a longer matched phrase
    ("sáng kiến" in "hạn gửi sáng kiến") does not count on its own."""
    folded = fold(text)
    matched = [
        (i, p) for i, phrases in INTENTS.items() for p in phrases if contains_phrase(folded, p)
    ]
    longest = [
        (intent, phrase)
        for intent, phrase in matched
        if not any(phrase != other and f" {phrase} " in f" {other} " for _, other in matched)
    ]
    scores: dict[str, int] = {}
    for intent, phrase in longest:
        scores[intent] = scores.get(intent, 0) + len(phrase)
    # Earlier intents win ties.
    return (
        max(INTENTS, key=lambda i: (scores.get(i, 0), -list(INTENTS).index(i))) if scores else None
    )


def detect_audience(text: str) -> Audience:
    folded = fold(text)
    individual = any(contains_phrase(folded, p) for p in INDIVIDUAL)
    collective = any(contains_phrase(folded, p) for p in COLLECTIVE)
    if individual != collective:
        return "i" if individual else "c"
    return "a"


def answer(ctx: Context, intent: str, campaign: Campaign, audience: Audience) -> None:
    t = ctx.t
    if intent == "criteria":
        show_criteria(ctx, campaign, audience)
    elif intent == "awards":
        ctx.reply(views.awards_view(t, campaign))
    elif intent == "dossier":
        ctx.reply(views.dossier_view(t, campaign, ctx.today))
    else:
        ctx.reply(views.participants_view(t, campaign))


@router.text
async def question(ctx: Context) -> None:
    text = ctx.incoming.text
    intent = detect_intent(text)
    if intent is None:
        ctx.reply(ctx.t("questions.not_understood"), main_menu(ctx.t))
    elif intent == "campaigns":
        await show_list(ctx)
    elif intent == "help":
        await help_command(ctx)
    elif intent == "greeting":
        await start(ctx)
    elif intent == "join":
        await choose_unit(ctx)
    elif intent in ("pledge", "initiative", "my"):
        # A button rather than the flow itself: "đăng ký là gì?" should not start a form.
        ctx.reply(
            ctx.t(f"questions.{intent}_hint"), [[Option(ctx.t(f"menu.{intent}"), f"go:{intent}")]]
        )
    elif intent == "deadlines":
        named = await ctx.services.catalog.mentioned_in(text)
        campaigns = named or (await my_campaigns(ctx))[0]
        show_deadlines(ctx, campaigns, named[0] if len(named) == 1 else None)
    else:
        campaigns = await relevant(ctx, text)
        audience = detect_audience(text)
        if len(campaigns) == 1:
            answer(ctx, intent, campaigns[0], audience)
        elif campaigns:
            await ask_which(
                ctx, campaigns, VIEWS[intent], f":{audience}" if intent == "criteria" else ""
            )
        else:
            ctx.reply(ctx.t("campaigns.none"), main_menu(ctx.t))
