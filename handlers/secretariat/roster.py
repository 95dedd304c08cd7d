"""/roster: each unit's staff list as an Excel sheet to fill in and send back, so that "not
registered" counts everyone who should register, not only those who opened the bot."""

from __future__ import annotations

import asyncio

from bot.engine.context import Context
from bot.engine.events import FileTooLarge, Option, OutgoingFile
from bot.services.files import safe_name, sheet_of
from bot.services.roster_sheet import read_roster, write_roster
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
MAX_ROSTER_BYTES = 5_000_000
PROBLEMS_SHOWN = 15
FILE_NAME = "danh-sach-can-bo.xlsx"


@router.command("roster")
async def roster_command(ctx: Context) -> None:
    units = await ctx.services.units.all()
    lines = await ctx.services.roster.of_units([u.id for u in units])
    path = ctx.services.settings.exports_path / f"{ctx.person.id}-{FILE_NAME}"
    await asyncio.to_thread(write_roster, units, lines, ctx.t, path)
    joined = sum(1 for line in lines if line.person_id)
    ctx.reply(
        ctx.t("roster.sent", people=len(lines), units=len({x.unit_id for x in lines}),
              joined=joined),
        [[Option(ctx.t("commands.admin"), "go:admin")]],
        files=[OutgoingFile(FILE_NAME, path)],
    )  # fmt: skip


@router.file_kind(".xlsx")
async def roster_received(ctx: Context) -> None:
    incoming = ctx.incoming.file
    assert incoming is not None
    name = safe_name(incoming.name)
    try:
        if incoming.size is not None and incoming.size > MAX_ROSTER_BYTES:
            raise FileTooLarge(name)
        content = await incoming.fetch(MAX_ROSTER_BYTES)
    except FileTooLarge:
        ctx.reply(ctx.t("roster.too_big", name=name, mb=MAX_ROSTER_BYTES // 1_000_000))
        return
    sheet = incoming.sheet
    if sheet is None:  # not read ahead (a network hiccup there): read now, the same way
        sheet = await sheet_of(content, name)
    problem = sheet.problem
    if problem is not None and problem.limit == "broken":
        ctx.reply(ctx.t("roster.not_excel", name=name))
        return
    if problem is not None:  # the file passed one of the bounds
        ctx.reply(ctx.t(f"files.{problem.limit}", name=name, row=sheet.problem_row,
                        **problem.values))  # fmt: skip
        return
    units = await ctx.services.units.all()
    read = read_roster(sheet, units, ctx.t)
    if read.problems:
        lines = [ctx.t("roster.invalid", name=name, count=len(read.problems))]
        lines += [
            ctx.t("roster.problem", row=row, reason=ctx.t(key, **values))
            for row, key, values in read.problems[:PROBLEMS_SHOWN]
        ]
        ctx.reply(views.lines(*lines))
        return
    added, updated, removed = await ctx.services.roster.replace(read.lines, read.units)
    ctx.reply(ctx.t("roster.loaded", added=added, updated=updated, removed=removed))
