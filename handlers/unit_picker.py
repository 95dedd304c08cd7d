"""Browsing the unit tree with buttons, for joining a unit, inviting to one and managing roles:
'<prefix>:b:<code>' opens a unit (a leaf is picked at once), '<prefix>:p:<code>' picks it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.records import Unit
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Handler, Router


@dataclass(frozen=True)
class UnitPicker:
    prefix: str
    root_question: str  # locale keys
    child_question: str
    pick_label: str
    on_pick: Callable[[Context, Unit], Awaitable[None]]

    def option(self, unit: Unit | None, action: str = "b") -> str:
        return f"{self.prefix}:{action}:{unit.code if unit else ''}"

    async def offer(self, ctx: Context, parent: Unit | None) -> None:
        units = await ctx.services.units.children(parent.id if parent else None)
        if parent is None and not units:
            ctx.reply(ctx.t("join.no_units"))
            return
        options = [[Option(u.name, self.option(u))] for u in units]
        if parent is None:
            ctx.reply(ctx.t(self.root_question), options)
            return
        options.insert(
            0, [Option(ctx.t(self.pick_label, unit=parent.name), self.option(parent, "p"))]
        )
        grandparent = await ctx.services.units.by_id(parent.parent_id) if parent.parent_id else None
        options.append([Option(ctx.t("join.up"), self.option(grandparent))])
        ctx.reply(ctx.t(self.child_question, unit=parent.name), options)

    async def handle(self, ctx: Context) -> None:
        action, _, code = ctx.value.partition(":")
        if not code:
            await self.offer(ctx, None)
            return
        unit = await ctx.services.units.by_code(code)
        if unit is None:  # removed since the button was sent
            ctx.reply(ctx.t("join.unit_gone"))
            await self.offer(ctx, None)
        elif action == "b" and await ctx.services.units.children(unit.id):
            await self.offer(ctx, unit)
        else:
            await self.on_pick(ctx, unit)

    def register(self, router: Router, guard: Callable[[Handler], Handler] | None = None) -> None:
        router.option(self.prefix)(guard(self.handle) if guard else self.handle)
