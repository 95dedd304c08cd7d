"""/start: welcome, then join a unit by invitation or by picking it, with full name and position."""

from __future__ import annotations

from bot.domain.records import Role, Unit
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from handlers.campaigns import show_list
from handlers.menu import main_menu

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
    await _offer_units(ctx, parent=None)


async def _redeem_invite(ctx: Context, code: str) -> None:
    outcome = await ctx.services.invites.redeem(code, ctx.services.clock.now())
    unit = await ctx.services.units.by_id(outcome[0]) if isinstance(outcome, tuple) else None
    if unit is None or isinstance(outcome, str):
        ctx.reply(ctx.t(f"join.invite_{outcome if isinstance(outcome, str) else 'unknown'}"))
        await _offer_units(ctx, parent=None)
        return
    ctx.reply(ctx.t("join.invite_ok", unit=unit.name))
    _ask_name(ctx, unit)
    ctx.conversation.data["role"] = outcome[1]


async def _offer_units(ctx: Context, parent: Unit | None) -> None:
    units = await ctx.services.units.children(parent.id if parent else None)
    if parent is None and not units:
        ctx.reply(ctx.t("join.no_units"), main_menu(ctx.t))
        return
    options = [[Option(u.name, f"un:{u.code}")] for u in units]
    if parent is None:
        ctx.reply(ctx.t("join.pick_root"), options)
        return
    options.insert(0, [Option(ctx.t("join.this_unit", unit=parent.name), f"uj:{parent.code}")])
    grandparent = await ctx.services.units.by_id(parent.parent_id) if parent.parent_id else None
    back = f"un:{grandparent.code}" if grandparent else "jn"
    options.append([Option(ctx.t("join.up"), back)])
    ctx.reply(ctx.t("join.pick_child", unit=parent.name), options)


def _ask_name(ctx: Context, unit: Unit) -> None:
    ctx.reply(ctx.t("join.ask_name", unit=unit.name))
    ctx.expect("join.name", unit=unit.code)


@router.option("jn")
async def choose_unit(ctx: Context) -> None:
    await _offer_units(ctx, parent=None)


async def _unit_or_start_over(ctx: Context) -> Unit | None:
    """The unit an option names; one removed since is answered with the unit list again."""
    unit = await ctx.services.units.by_code(ctx.value)
    if unit is None:
        ctx.reply(ctx.t("join.unit_gone"))
        await _offer_units(ctx, parent=None)
    return unit


@router.option("un")
async def browse_unit(ctx: Context) -> None:
    unit = await _unit_or_start_over(ctx)
    if unit is None:
        return
    if await ctx.services.units.children(unit.id):
        await _offer_units(ctx, parent=unit)
    else:
        _ask_name(ctx, unit)


@router.option("uj")
async def pick_unit(ctx: Context) -> None:
    unit = await _unit_or_start_over(ctx)
    if unit is not None:
        _ask_name(ctx, unit)


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
        await _offer_units(ctx, parent=None)
        return
    full_name = str(ctx.conversation.data["full_name"])
    role: Role = "unit_head" if ctx.conversation.data.get("role") == "unit_head" else "staff"
    person = await ctx.services.people.join(ctx.person, unit, full_name, position, role)
    ctx.set_person(person)
    ctx.done()
    ctx.reply(ctx.t("join.done", name=full_name, position=position, unit=unit.name))
    await show_list(ctx)
    ctx.replies[-1].options.append([Option(ctx.t("menu.deadlines"), "go:deadlines")])
