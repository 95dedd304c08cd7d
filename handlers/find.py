"""A reference typed into the chat (TD-2026-0012, SK-2026-0007, "td 2026 12") opens that record
for those entitled to it: its author, the head of its unit (pledges), the secretariat; and for the
secretariat, a person's full name lists their records."""

from __future__ import annotations

import re

from bot.engine.context import Context
from bot.engine.events import Option
from bot.textmatch import fold
from handlers import views
from handlers.initiatives import show_initiative
from handlers.pledges import show_pledge
from handlers.secretariat.access import DESK_ROLES
from handlers.secretariat.review import initiative_review_options, pledge_review_options
from handlers.unit_head import head_options

_REFERENCE = re.compile(
    r"^\s*(td|sk)[\s\-_/]*(\d{4})[\s\-_/]*(\d{1,6})\s*$", re.IGNORECASE | re.ASCII
)
NAME_WORDS = range(2, 7)


async def open_reference(ctx: Context) -> bool:
    """True when the text was a reference (answered, or refused without saying whether it
    exists to someone not entitled)."""
    match = _REFERENCE.match(ctx.incoming.text)
    if match is None:
        return False
    prefix, year, number = match.group(1).upper(), match.group(2), int(match.group(3))
    ref = f"{prefix}-{year}-{number:04d}"
    desk = ctx.person.role in DESK_ROLES and ctx.incoming.private
    records = ctx.services.records
    if prefix == "TD" and (pledge := await records.pledges.by_ref(ref)):
        head = ctx.person.role == "unit_head" and ctx.person.unit_id == pledge.unit_id
        if desk:
            await show_pledge(ctx, pledge, options=await pledge_review_options(ctx, pledge))
            return True
        if pledge.person_id == ctx.person.id or head:
            others = head and pledge.person_id != ctx.person.id
            await show_pledge(
                ctx, pledge, options=await head_options(ctx, pledge) if others else None
            )
            return True
    if prefix == "SK" and (initiative := await records.initiatives.by_ref(ref)):
        if desk:
            await show_initiative(ctx, initiative, initiative_review_options(ctx, initiative))
            return True
        if initiative.person_id == ctx.person.id:
            await show_initiative(ctx, initiative)
            return True
    ctx.reply(ctx.t("find.not_found", ref=ref))
    return True


async def open_person(ctx: Context) -> bool:
    """For the secretariat: a full name typed lists that person's records to open."""
    if ctx.person.role not in DESK_ROLES or not ctx.incoming.private:
        return False
    name = fold(ctx.incoming.text)
    if len(name.split()) not in NAME_WORDS or any(ch.isdigit() for ch in name):
        return False
    people = await ctx.services.persons.named(name, fold)
    if not people:
        return False
    records = ctx.services.records
    lines = []
    options: list[list[Option]] = []
    for person in people[:5]:
        unit = await ctx.services.units.by_id(person.unit_id) if person.unit_id else None
        lines.append(
            ctx.t(
                "find.person",
                name=person.full_name or "—",
                position=person.position or "—",
                unit=unit.name if unit else "—",
            )
        )
        for p in await records.pledges.of_person(person.id):
            options.append([Option(f"📝 {p.ref} · {views.short(p.title)}", f"rv:p:{p.id}")])
        for i in await records.initiatives.of_person(person.id):
            options.append([Option(f"💡 {i.ref} · {views.short(i.title)}", f"rv:i:{i.id}")])
    if not options:
        lines.append(ctx.t("find.no_records"))
    ctx.reply(views.lines(*lines), options[:20])
    return True
