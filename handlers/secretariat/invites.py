"""/invite: a join link per unit, with an expiry and an optional use limit; revocable."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.records import Role, Unit
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from handlers import views
from handlers.onboarding import INVITE_PREFIX
from handlers.secretariat.access import secretariat_only
from handlers.unit_picker import UnitPicker

router = Router()
VALIDITY_DAYS = (7, 30)


def join_link(ctx: Context, code: str) -> str:
    payload = f"{INVITE_PREFIX}{code}"
    username = ctx.services.bot_username
    return f"https://t.me/{username}?start={payload}" if username else f"/start {payload}"


async def show_invites(ctx: Context, unit: Unit) -> None:
    invites = await ctx.services.invites.active_for(unit.id, ctx.services.clock.now())
    lines = [ctx.t("invite.header", unit=unit.name)]
    options: list[list[Option]] = []
    for invite in invites:
        expires = (
            datetime.fromisoformat(str(invite["expires_at"])) if invite["expires_at"] else None
        )
        lines.append(
            ctx.t(
                "invite.item",
                link=join_link(ctx, str(invite["code"])),
                until=expires.strftime("%d/%m/%Y") if expires else "—",
                uses=invite["uses"],
                limit=invite["max_uses"] or "∞",
                role=ctx.t(f"roles.{invite['role']}"),
            )
        )
        options.append(
            [Option(ctx.t("invite.revoke", code=str(invite["code"])[:6]), f"ik:r:{invite['code']}")]
        )
    if not invites:
        lines.append(ctx.t("invite.none"))
    options += [
        [Option(ctx.t("invite.new", days=d), f"ik:n:{unit.code}:{d}:staff")] for d in VALIDITY_DAYS
    ]
    options.append([Option(ctx.t("invite.new_head"), f"ik:n:{unit.code}:7:unit_head")])
    ctx.reply(views.lines(*lines), options)


picker = UnitPicker("iv", "invite.pick_root", "invite.pick_child", "invite.this_unit", show_invites)
picker.register(router, secretariat_only)


@router.command("invite")
@secretariat_only
async def invite_command(ctx: Context) -> None:
    await picker.offer(ctx, None)


@router.option("ik")
@secretariat_only
async def invite_action(ctx: Context) -> None:
    action, _, rest = ctx.value.partition(":")
    if action == "r":
        revoked = await ctx.services.invites.revoke(rest)
        ctx.reply(ctx.t("invite.revoked" if revoked else "errors.stale_option"))
        return
    code, days, role = [*rest.split(":"), "", "", ""][:3]
    unit = await ctx.services.units.by_code(code)
    if action != "n" or unit is None or not days.isdigit() or role not in ("staff", "unit_head"):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    expires = ctx.services.clock.now() + timedelta(days=int(days))
    invited_as: Role = "unit_head" if role == "unit_head" else "staff"
    limit = 1 if invited_as == "unit_head" else None  # a head's link serves one person
    new = await ctx.services.invites.create(unit.id, expires, limit, invited_as)
    ctx.reply(
        ctx.t(
            "invite.created",
            unit=unit.name,
            link=join_link(ctx, new),
            until=expires.strftime("%d/%m/%Y"),
            role=ctx.t(f"roles.{invited_as}"),
        )
    )
