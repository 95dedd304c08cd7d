"""Which handler answers: commands by name, options by prefix, text by conversation step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine.context import Context

Handler = Callable[["Context"], Awaitable[None]]


class Router:
    def __init__(self, guard: Callable[[Handler], Handler] | None = None) -> None:
        """`guard` wraps every handler registered here (the desk's role check), so none can be
        left open by forgetting a decorator."""
        self.guard = guard
        self.commands: dict[str, Handler] = {}
        self.options: dict[str, Handler] = {}
        self.steps: dict[str, Handler] = {}
        self.file_steps: dict[str, Handler] = {}
        self.file_kinds: dict[str, Handler] = {}  # by name ending, outside any file step
        self.prompts: dict[str, Handler] = {}
        self.flow_commands: set[str] = set()
        self.fallback: Handler | None = None

    def command(self, *names: str, starts_flow: bool = False) -> Callable[[Handler], Handler]:
        """starts_flow: the command begins a multi-step flow, so it would replace a draft."""

        def register(handler: Handler) -> Handler:
            for name in names:
                self.commands[name] = self._guarded(handler)
                if starts_flow:
                    self.flow_commands.add(name)
            return handler

        return register

    def option(self, prefix: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.options[prefix] = self._guarded(handler)
            return handler

        return register

    def step(self, name: str) -> Callable[[Handler], Handler]:
        """A step waiting for typed text, named 'flow.step'."""

        def register(handler: Handler) -> Handler:
            self.steps[name] = self._guarded(handler)
            return handler

        return register

    def file_step(self, name: str) -> Callable[[Handler], Handler]:
        """A step that takes files."""

        def register(handler: Handler) -> Handler:
            self.file_steps[name] = self._guarded(handler)
            return handler

        return register

    def file_kind(self, *suffixes: str) -> Callable[[Handler], Handler]:
        """Files of these kinds sent outside a step that takes files (e.g. '.yaml')."""

        def register(handler: Handler) -> Handler:
            for suffix in suffixes:
                self.file_kinds[suffix] = self._guarded(handler)
            return handler

        return register

    def prompt(self, flow: str) -> Callable[[Handler], Handler]:
        """Asks again whatever the flow's current step asks (after an interruption)."""

        def register(handler: Handler) -> Handler:
            self.prompts[flow] = self._guarded(handler)
            return handler

        return register

    def _guarded(self, handler: Handler) -> Handler:
        return self.guard(handler) if self.guard else handler

    def text(self, handler: Handler) -> Handler:
        self.fallback = handler
        return handler

    def include(self, other: Router) -> None:
        tables: list[tuple[dict[str, Handler], dict[str, Handler]]] = [
            (self.commands, other.commands),
            (self.options, other.options),
            (self.steps, other.steps),
            (self.file_steps, other.file_steps),
            (self.file_kinds, other.file_kinds),
            (self.prompts, other.prompts),
        ]
        for table, more in tables:
            clash = set(table) & set(more)
            if clash:
                raise ValueError(f"registered twice: {', '.join(sorted(clash))}")
            table.update(more)
        self.flow_commands |= other.flow_commands
        if other.fallback is not None:
            self.fallback = other.fallback
