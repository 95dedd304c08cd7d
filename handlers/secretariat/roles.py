"""/admin: the desk's menu, and granting or removing roles (staff, unit head, secretariat)."""

from __future__ import annotations

from bot.commands import DESK_COMMANDS
from bot.domain.records import Role, Unit
from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import record_id
from bot.services.records import Notice
from handlers import views
from handlers.secretariat.access import desk_router
from handlers.unit_picker import UnitPicker

router = desk_router()
GRANTABLE: tuple[Role, ...] = ("staff", "unit_head", "secretariat")


@router.command("admin")
async def admin_menu(ctx: Context) -> None:
    rows = [[Option(ctx.t(f"commands.{c}"), f"go:{c}")] for c in DESK_COMMANDS]
    rows.append([Option(ctx.t("admin.roles"), "ad:b:")])
    ctx.reply(ctx.t("admin.menu"), rows)


async def unit_members(ctx: Context, unit: Unit) -> None:
    members = await ctx.services.persons.members_of(unit.id)
    if not members:
        ctx.reply(ctx.t("admin.no_members", unit=unit.name))
        return
    lines = [ctx.t("admin.members", unit=unit.name)]
    lines += [
        ctx.t(
            "admin.member",
            name=m.full_name or "—",
            position=m.position or "—",
            role=ctx.t(f"roles.{m.role}"),
        )
        for m in members
    ]
    options = [[Option(m.full_name or str(m.id), f"ar:{m.id}")] for m in members]
    ctx.reply(views.lines(*lines), options)


picker = UnitPicker("ad", "admin.pick_root", "admin.pick_child", "admin.this_unit", unit_members)
picker.register(router)


@router.option("ar")
async def role_choice(ctx: Context) -> None:
    number, _, role = ctx.value.partition(":")
    ident = record_id(number)
    member = await ctx.services.persons.by_id(ident) if ident else None
    if member is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    if not role:
        ctx.reply(
            ctx.t("admin.choose_role", name=member.full_name, role=ctx.t(f"roles.{member.role}")),
            [[Option(ctx.t(f"roles.{r}"), f"ar:{member.id}:{r}")] for r in GRANTABLE],
        )
        return
    if role not in GRANTABLE:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    if member.id == ctx.person.id:
        ctx.reply(ctx.t("admin.not_yourself"))
        return
    granted: Role = next(r for r in GRANTABLE if r == role)
    updated = await ctx.services.people.set_role(ctx.person, member, granted)
    t = ctx.services.translator.for_language(updated.locale)
    await ctx.services.records.notify(
        [Notice(updated, t.plain("admin.told", role=t(f"roles.{granted}")), [])]
    )
    ctx.reply(ctx.t("admin.role_set", name=updated.full_name, role=ctx.t(f"roles.{granted}")))
