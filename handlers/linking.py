"""/link: one person on several messengers. The new account asks for a code; the account that
already holds the records types it and confirms, so a code that leaks cannot hand anyone's
records to a stranger's account."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.engine.context import Context
from bot.engine.events import Option
from bot.services.records import Notice
from handlers.privacy import private_router

router = private_router()
VALID_MINUTES = 10
CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "zalo_oa": "Zalo OA", "console": "console"}


def _channel(name: str) -> str:
    return CHANNEL_NAMES.get(name, name)


def _usable(ctx: Context, account: tuple[str, str] | None) -> bool:
    """A live code made by another account; otherwise the person is told why not."""
    if account is None:
        ctx.reply(ctx.t("link.unknown"))
        return False
    if account == (ctx.incoming.channel, ctx.incoming.user_id):
        ctx.reply(ctx.t("link.same_account"))
        return False
    return True


async def _locked(ctx: Context) -> bool:
    """Too many wrong codes from this account lately: told how long to wait (even for the right
    code), True."""
    wait = await ctx.services.guesses.minutes_locked("link", _account(ctx))
    if wait is not None:
        ctx.reply(ctx.t("guesses.link_locked", count=wait))
    return wait is not None


async def _guessed_wrong(ctx: Context, account: tuple[str, str] | None) -> None:
    if account is None:  # counted against this account and against every live code
        await ctx.services.guesses.wrong("link", _account(ctx))
        await ctx.services.links.guessed_wrong()


def _account(ctx: Context) -> str:
    return f"{ctx.incoming.channel}:{ctx.incoming.user_id}"


@router.command("link")
async def link(ctx: Context) -> None:
    code = ctx.value.strip()
    if not code:
        issued = await ctx.services.links.issue(
            ctx.incoming.channel, ctx.incoming.user_id, timedelta(minutes=VALID_MINUTES)
        )
        ctx.reply(ctx.t("link.code", code=issued, minutes=VALID_MINUTES))
        return
    if await _locked(ctx):
        return
    account = await ctx.services.links.peek(code)
    await _guessed_wrong(ctx, account)
    if not _usable(ctx, account):
        return
    assert account is not None
    ctx.reply(
        ctx.t(
            "link.confirm",
            channel=_channel(account[0]),
            name=ctx.person.full_name or "—",
        ),
        [
            [
                Option(ctx.t("link.accept"), f"lk:{code.upper()}"),
                Option(ctx.t("link.decline"), "lk:"),
            ]
        ],
    )


@router.option("lk")
async def link_confirmed(ctx: Context) -> None:
    if not ctx.value:
        ctx.reply(ctx.t("link.cancelled"))
        return
    if await _locked(ctx):  # a button's data can be forged: a guess like a typed one
        return
    account = await ctx.services.links.use(ctx.value)
    await _guessed_wrong(ctx, account)
    if not _usable(ctx, account):
        return
    assert account is not None
    if not await ctx.services.people.link_account(ctx.person, *account):
        ctx.reply(ctx.t("link.has_records", channel=_channel(account[0])))
        return
    ctx.reply(ctx.t("link.done", channel=_channel(account[0])))
    there = replace(ctx.person, channel=account[0], external_id=account[1])
    text = ctx.t(
        "link.told", name=ctx.person.full_name or "—", channel=_channel(ctx.person.channel)
    )
    await ctx.services.records.notify(
        [Notice(there, str(text), [[(ctx.t.plain("menu.my"), "go:my")]])]
    )
