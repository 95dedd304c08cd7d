"""/start: welcome, then join a unit by invitation or by picking it, with full name and position."""

from __future__ import annotations

from bot.domain.records import Role, Unit
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from handlers.campaigns import show_list
from handlers.menu import main_menu
from handlers.unit_picker import UnitPicker

router = Router()

NAME_LIMIT = 100
INVITE_PREFIX = "inv_"


@router.command("start", starts_flow=True)
async def start(ctx: Context) -> None:
    payload = ctx.value.strip()
    if payload.startswith(INVITE_PREFIX):
        await _redeem_invite(ctx, payload.removeprefix(INVITE_PREFIX))
        return
    if ctx.person.has_joined and ctx.person.unit_id is not None:
        unit = await ctx.services.units.by_id(ctx.person.unit_id)
        ctx.reply(
            ctx.t("start.welcome_back", name=ctx.person.full_name, unit=unit.name if unit else ""),
            main_menu(ctx.t),
        )
        return
    ctx.reply(ctx.t("start.welcome_new"))
    await join_picker.offer(ctx, None)


async def _redeem_invite(ctx: Context, code: str) -> None:
    outcome = await ctx.services.invites.redeem(code, ctx.services.clock.now())
    unit = await ctx.services.units.by_id(outcome[0]) if isinstance(outcome, tuple) else None
    if unit is None or isinstance(outcome, str):
        ctx.reply(ctx.t(f"join.invite_{outcome if isinstance(outcome, str) else 'unknown'}"))
        await join_picker.offer(ctx, None)
        return
    ctx.reply(ctx.t("join.invite_ok", unit=unit.name))
    await _ask_name(ctx, unit)
    ctx.conversation.data["role"] = outcome[1]


async def _ask_name(ctx: Context, unit: Unit) -> None:
    ctx.reply(ctx.t("join.ask_name", unit=unit.name))
    ctx.expect("join.name", unit=unit.code)


join_picker = UnitPicker("u", "join.pick_root", "join.pick_child", "join.this_unit", _ask_name)
join_picker.register(router)


async def choose_unit(ctx: Context) -> None:
    await join_picker.offer(ctx, None)


def _clean_name(text: str) -> str | None:
    """A name or position: 2..NAME_LIMIT characters with at least one letter, spaces folded."""
    cleaned = " ".join(text.split())
    if 2 <= len(cleaned) <= NAME_LIMIT and any(ch.isalpha() for ch in cleaned):
        return cleaned
    return None


@router.step("join.name")
async def name_given(ctx: Context) -> None:
    name = _clean_name(ctx.incoming.text)
    if name is None:
        ctx.reply(ctx.t("join.name_invalid", limit=NAME_LIMIT))
        return
    ctx.expect("join.position", full_name=name)
    ctx.reply(ctx.t("join.ask_position"))


@router.step("join.position")
async def position_given(ctx: Context) -> None:
    position = _clean_name(ctx.incoming.text)
    if position is None:
        ctx.reply(ctx.t("join.position_invalid", limit=NAME_LIMIT))
        return
    unit = await ctx.services.units.by_code(str(ctx.conversation.data.get("unit", "")))
    if unit is None:
        ctx.done()
        ctx.reply(ctx.t("join.unit_gone"))
        await join_picker.offer(ctx, None)
        return
    full_name = str(ctx.conversation.data["full_name"])
    role: Role = "unit_head" if ctx.conversation.data.get("role") == "unit_head" else "staff"
    person = await ctx.services.people.join(ctx.person, unit, full_name, position, role)
    ctx.set_person(person)
    ctx.done()
    ctx.reply(ctx.t("join.done", name=full_name, position=position, unit=unit.name))
    await show_list(ctx)
    ctx.replies[-1].options.append([Option(ctx.t("menu.deadlines"), "go:deadlines")])
