"""Which handler answers: commands by name, options by prefix, text by conversation step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine.context import Context

Handler = Callable[["Context"], Awaitable[None]]


class Router:
    def __init__(self) -> None:
        self.commands: dict[str, Handler] = {}
        self.options: dict[str, Handler] = {}
        self.steps: dict[str, Handler] = {}
        self.fallback: Handler | None = None

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for name in names:
                self.commands[name] = handler
            return handler

        return register

    def option(self, prefix: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.options[prefix] = handler
            return handler

        return register

    def step(self, name: str) -> Callable[[Handler], Handler]:
        """A step waiting for typed text, named 'flow.step'."""

        def register(handler: Handler) -> Handler:
            self.steps[name] = handler
            return handler

        return register

    def text(self, handler: Handler) -> Handler:
        self.fallback = handler
        return handler

    def include(self, other: Router) -> None:
        for table, more in (
            (self.commands, other.commands),
            (self.options, other.options),
            (self.steps, other.steps),
        ):
            clash = set(table) & set(more)
            if clash:
                raise ValueError(f"registered twice: {', '.join(sorted(clash))}")
            table.update(more)
        if other.fallback is not None:
            self.fallback = other.fallback
