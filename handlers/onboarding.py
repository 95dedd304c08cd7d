"""/start: welcome, then join a unit by invitation or by picking it, with full name and position."""

from __future__ import annotations

from dataclasses import replace

from bot.cleaning import clean_line
from bot.domain.records import Invite, Person, Role, Unit
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Router
from bot.numbers import record_id
from bot.services.records import Notice
from handlers.campaigns import show_list
from handlers.menu import main_menu
from handlers.secretariat.access import DESK_ROLES
from handlers.secretariat.roles import admin_menu
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
    desk = ctx.person.role in DESK_ROLES
    if ctx.person.has_joined and ctx.person.unit_id is not None:
        unit = await ctx.services.units.by_id(ctx.person.unit_id)
        # /help promises that /start changes the unit: offer it beside the usual menu.
        change = [Option(ctx.t("menu.change_unit"), "u:b:")]
        at_desk = [[Option(ctx.t("commands.admin"), "go:admin")]] if desk else []
        ctx.reply(
            ctx.t("start.welcome_back", name=ctx.person.full_name, unit=unit.name if unit else ""),
            [*at_desk, *main_menu(ctx.t), change],
        )
        return
    if desk:  # the secretariat works at the desk; it joins a unit only if it wants to
        ctx.reply(ctx.t("start.welcome_desk"))
        await admin_menu(ctx)
        ctx.replies[-1].options += [
            [Option(ctx.t("menu.help"), "go:help")],
            [Option(ctx.t("menu.join"), "u:b:")],
        ]
        return
    ctx.reply(ctx.t("start.welcome_new"))
    await join_picker.offer(ctx, None)


async def _redeem_invite(ctx: Context, code: str) -> None:
    """The invitation is checked now and counted only when the person has joined. Wrong codes
    are limited per account (bot/services/guesses.py)."""
    account = f"{ctx.incoming.channel}:{ctx.incoming.user_id}"
    wait = await ctx.services.guesses.minutes_locked("invite", account)
    if wait is not None:
        ctx.reply(ctx.t("guesses.invite_locked", count=wait))
        return
    invite = await ctx.services.invites.check(code)
    if invite == "unknown":
        await ctx.services.guesses.wrong("invite", account)
    unit = await ctx.services.units.by_id(invite.unit_id) if isinstance(invite, Invite) else None
    if unit is None or not isinstance(invite, Invite):
        ctx.reply(ctx.t(f"join.invite_{invite if isinstance(invite, str) else 'unknown'}"))
        await join_picker.offer(ctx, None)
        return
    ctx.reply(ctx.t("join.invite_ok", unit=unit.name))
    await _ask_name(ctx, unit, invite.code)


async def _ask_name(ctx: Context, unit: Unit, invite: str | None = None) -> None:
    """A join starts afresh: a unit picked by hand carries no invitation's role."""
    ctx.done()
    ctx.reply(ctx.t("join.ask_name", unit=unit.name))
    ctx.expect("join.name", unit=unit.code, **({"invite": invite} if invite else {}))


join_picker = UnitPicker("u", "join.pick_root", "join.pick_child", "join.this_unit", _ask_name)
join_picker.register(router)


async def choose_unit(ctx: Context) -> None:
    await join_picker.offer(ctx, None)


async def _ask_for_confirmation(
    ctx: Context, person: Person, unit: Unit, listed: bool = False
) -> None:
    """The unit's heads (or, with none, the secretariat) are asked to confirm the newcomer.
    A name on the staff list is said, but does not confirm: anyone can type a colleague's."""
    deciders = await ctx.services.persons.heads_of(unit.id) or await ctx.services.persons.desk()
    notices = []
    for decider in deciders:
        t = ctx.services.translator.for_language(decider.locale)
        text = t(
            "join.confirm_request_listed" if listed else "join.confirm_request",
            name=person.full_name,
            position=person.position,
            unit=unit.name,
        )
        notices.append(
            Notice(
                decider,
                str(text),
                [
                    [
                        (t.plain("join.confirm_yes"), f"mb:ok:{person.id}"),
                        (t.plain("join.confirm_no"), f"mb:no:{person.id}"),
                    ],
                ],
            )
        )
    await ctx.services.records.notify(notices)


@router.option("mb")
async def membership_decided(ctx: Context) -> None:
    """Only the secretariat or a head of that unit may decide, checked here every time."""
    action, _, number = ctx.value.partition(":")
    ident = record_id(number)
    member = await ctx.services.persons.by_id(ident) if ident else None
    if member is None or member.unit_id is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    is_head = ctx.person.role == "unit_head" and ctx.person.unit_id == member.unit_id
    if not (is_head or ctx.person.role in ("secretariat", "admin")):
        await ctx.services.people.log_denied(ctx.person, "mb")
        ctx.reply(ctx.t("errors.not_allowed"))
        return
    if member.confirmed:
        ctx.reply(ctx.t("join.already_decided", name=member.full_name))
        return
    unit = await ctx.services.units.by_id(member.unit_id)
    unit_name = unit.name if unit else ""
    updated = await ctx.services.people.decide_membership(ctx.person, member, action == "ok")
    if updated.unit_id is None:
        await ctx.services.roster.unlink(member.id)
    t = ctx.services.translator.for_language(member.locale)
    key = "join.told_confirmed" if updated.unit_id else "join.told_rejected"
    options = [] if updated.unit_id else [[(t.plain("menu.join"), "u:b:")]]
    await ctx.services.records.notify([Notice(updated, t.plain(key, unit=unit_name), options)])
    done = "join.member_confirmed" if updated.unit_id else "join.member_rejected"
    ctx.reply(ctx.t(done, name=member.full_name, unit=unit_name))


async def _granted_role(ctx: Context, unit: Unit) -> Role | None:
    """The role an invitation for this very unit grants, counted now, in this unit of work;
    None (confirmation needed) when there is none or it stopped working meanwhile."""
    code = ctx.conversation.data.get("invite")
    if not isinstance(code, str):
        return None
    invite = await ctx.services.invites.check(code)
    if not isinstance(invite, Invite) or invite.unit_id != unit.id:
        ctx.reply(ctx.t("join.invite_lapsed"))
        return None
    if not await ctx.services.invites.use(code, unit.id):
        ctx.reply(ctx.t("join.invite_lapsed"))
        return None
    return invite.role


def _clean_name(text: str) -> str | None:
    """A name or position: one line of 2..NAME_LIMIT characters with at least one letter."""
    cleaned = clean_line(text)
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
    unit = await ctx.services.units.by_code(str(ctx.conversation.data.get("unit", "")))
    listed = await ctx.services.roster.matching(unit.id, name) if unit else []
    if not listed:
        ctx.reply(ctx.t("join.ask_position"))
        return
    # The unit's staff list has this name: joining as that line takes its position.
    ctx.expect("join.listed")
    ctx.reply(
        ctx.t("join.listed", unit=unit.name if unit else ""),
        [
            *(
                [Option(ctx.t("join.listed_me", name=line.full_name, position=line.position),
                        f"jr:{line.id}")]
                for line in listed
            ),
            [Option(ctx.t("join.listed_not_me"), "jr:no")],
        ],
    )  # fmt: skip


async def ask_again(ctx: Context) -> bool:
    """After a restart (the console's), the joining step in progress is asked again rather
    than lost; False when no join is under way."""
    step = ctx.conversation.step or ""
    unit = await ctx.services.units.by_code(str(ctx.conversation.data.get("unit", "")))
    if not step.startswith("join.") or unit is None:
        return False
    if step == "join.name":
        ctx.reply(ctx.t("join.ask_name", unit=unit.name))
    elif step == "join.position":
        ctx.reply(ctx.t("join.ask_position"))
    else:
        ctx.incoming = replace(ctx.incoming, text=str(ctx.conversation.data.get("full_name", "")))
        ctx.expect("join.name")
        await name_given(ctx)
    return True


@router.step("join.listed")
async def listed_typed(ctx: Context) -> None:
    ctx.reply(ctx.t("join.listed_tap"))


@router.option("jr")
async def listed_chosen(ctx: Context) -> None:
    if ctx.conversation.step != "join.listed":
        ctx.reply(ctx.t("errors.stale_option"))
        return
    line_id = record_id(ctx.value)
    if line_id is None:
        ctx.expect("join.position")
        ctx.reply(ctx.t("join.ask_position"))
        return
    await _finish_join(ctx, None, line_id)


@router.step("join.position")
async def position_given(ctx: Context) -> None:
    position = _clean_name(ctx.incoming.text)
    if position is None:
        ctx.reply(ctx.t("join.position_invalid", limit=NAME_LIMIT))
        return
    await _finish_join(ctx, position, None)


async def _finish_join(ctx: Context, position: str | None, line_id: int | None) -> None:
    """The person joins with the position typed, or as the staff-list line they chose."""
    unit = await ctx.services.units.by_code(str(ctx.conversation.data.get("unit", "")))
    if unit is None:
        ctx.done()
        ctx.reply(ctx.t("join.unit_gone"))
        await join_picker.offer(ctx, None)
        return
    full_name = str(ctx.conversation.data["full_name"])
    roster = ctx.services.roster
    line = await roster.line(line_id) if line_id is not None else None
    if line_id is not None and (line is None or line.unit_id != unit.id or line.person_id):
        ctx.expect("join.position")  # taken meanwhile: the position is asked after all
        ctx.reply(ctx.t("join.listed_taken"))
        ctx.reply(ctx.t("join.ask_position"))
        return
    if line is not None:
        full_name, position = line.full_name, line.position or ctx.t.plain("join.no_position")
    assert position is not None
    role = await _granted_role(ctx, unit)
    person = await ctx.services.people.join(ctx.person, unit, full_name, str(position), role)
    if line is not None:
        await roster.link(line.id, unit.id, person.id)
    else:
        await roster.unlink(person.id)
    ctx.set_person(person)
    ctx.done()
    ctx.reply(ctx.t("join.done", name=full_name, position=position, unit=unit.name))
    if not person.confirmed:
        ctx.reply(ctx.t("join.pending", unit=unit.name))
        await _ask_for_confirmation(ctx, person, unit, listed=line is not None)
    await show_list(ctx)
    ctx.replies[-1].options.append([Option(ctx.t("menu.deadlines"), "go:deadlines")])
