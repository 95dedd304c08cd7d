"""/invite: a join link per unit, with an expiry and an optional use limit; revocable."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup

from bot.domain.records import Invite, Role, Unit
from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import whole_number
from handlers import views
from handlers.secretariat.access import desk_router
from handlers.unit_picker import UnitPicker

router = desk_router()
VALIDITY_DAYS = (7, 30)


def join_hints(ctx: Context, code: str) -> Markup:
    """How to join with this code on every messenger this bot serves (a phrase to send on
    Zalo, a t.me link), each once."""
    ways: list[str] = []
    for profile in ctx.services.profiles.values():
        for way in profile.join_hint(code).splitlines():
            if way not in ways:
                ways.append(way)
    return views.bullets(ctx.t, ways)


def _until(ctx: Context, invite: Invite) -> str:
    if invite.expires_at is None:
        return "—"
    return ctx.services.clock.local(invite.expires_at).strftime("%d/%m/%Y")


async def show_invites(ctx: Context, unit: Unit) -> None:
    invites = await ctx.services.invites.active_for(unit.id)
    lines = [ctx.t("invite.header", unit=unit.name)]
    options: list[list[Option]] = []
    for invite in invites:
        lines.append(
            ctx.t(
                "invite.item",
                code=invite.code,
                link=join_hints(ctx, invite.code),
                until=_until(ctx, invite),
                uses=invite.uses,
                limit=invite.max_uses or "∞",
                role=ctx.t(f"roles.{invite.role}"),
            )
        )
        options.append(
            [Option(ctx.t("invite.revoke", code=invite.code[:6]), f"ik:r:{invite.code}")]
        )
    if not invites:
        lines.append(ctx.t("invite.none"))
    options += [
        [Option(ctx.t("invite.new", days=d), f"ik:n:{unit.code}:{d}:staff")] for d in VALIDITY_DAYS
    ]
    options.append([Option(ctx.t("invite.new_head"), f"ik:n:{unit.code}:7:unit_head")])
    ctx.reply(views.lines(*lines), options)


picker = UnitPicker("iv", "invite.pick_root", "invite.pick_child", "invite.this_unit", show_invites)
picker.register(router)


@router.command("invite")
async def invite_command(ctx: Context) -> None:
    await picker.offer(ctx, None)


@router.option("ik")
async def invite_action(ctx: Context) -> None:
    action, _, rest = ctx.value.partition(":")
    if action == "r":
        revoked = await ctx.services.invites.revoke(rest)
        ctx.reply(ctx.t("invite.revoked" if revoked else "errors.stale_option"))
        return
    code, days, role = [*rest.split(":"), "", "", ""][:3]
    unit = await ctx.services.units.by_code(code)
    if (
        action != "n"
        or unit is None
        or (valid_days := whole_number(days)) not in VALIDITY_DAYS
        or role not in ("staff", "unit_head")
    ):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    invited_as: Role = "unit_head" if role == "unit_head" else "staff"
    limit = 1 if invited_as == "unit_head" else None  # a head's link serves one person
    new = await ctx.services.invites.create(unit.id, timedelta(days=valid_days), limit, invited_as)
    ctx.reply(
        views.lines(
            ctx.t(
                "invite.created",
                unit=unit.name,
                link=join_hints(ctx, new.code),
                until=_until(ctx, new),
                role=ctx.t(f"roles.{invited_as}"),
            ),
            how_to_join(ctx, new.code),
        )
    )


def how_to_join(ctx: Context, code: str) -> Markup:
    """What to do with the invitation: send the code (Zalo), open the link (Telegram), or
    either, as the messengers served take it."""
    kinds = frozenset().union(*(p.join_kinds for p in ctx.services.profiles.values()))
    key = {frozenset({"code"}): "invite.how_code", frozenset({"link"}): "invite.how_link"}
    return ctx.t(key.get(kinds, "invite.how_both"), phrase=ctx.t("typed.join_example"), code=code)
