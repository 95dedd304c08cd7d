"""What a handler sees: who wrote, what they wrote, where they are, and how to answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup

from bot.domain.records import Conversation, Person
from bot.engine.events import Incoming, Option, OutgoingFile, Reply
from bot.engine.profile import ChannelProfile
from bot.i18n import Messages

if TYPE_CHECKING:
    from bot.services.container import Services

# Work an answer promises that runs once the update has committed (a workbook, a chart).
Job = Callable[[], Awaitable[None]]


@dataclass
class Context:
    incoming: Incoming
    person: Person
    conversation: Conversation
    t: Messages
    services: Services
    today: date
    profile: ChannelProfile
    value: str = ""  # what follows the prefix in an option, or the command's arguments
    replies: list[Reply] = field(default_factory=list)
    # Asks again what the current step of a half-done flow asks; set by the engine.
    resume: Callable[[], Awaitable[None]] | None = None
    jobs: list[Job] = field(default_factory=list)

    def reply(
        self,
        text: Markup,
        options: Sequence[Sequence[Option]] = (),
        *,
        edit: bool = False,
        files: Sequence[OutgoingFile] = (),
    ) -> None:
        rows = [list(row) for row in options if row]
        self.replies.append(Reply(text, rows, edit=edit, files=list(files)))

    def later(self, job: Job) -> None:
        """Run `job` after this update's unit of work has committed, off its path."""
        self.jobs.append(job)

    def expect(self, step: str, **data: object) -> None:
        """The next typed text goes to `step` ('flow.step'); data is kept in storage."""
        self.conversation.flow = step.split(".", 1)[0]
        self.conversation.step = step
        self.conversation.data.update(data)

    def done(self) -> None:
        self.conversation.clear()

    def set_person(self, person: Person) -> None:
        """After a change of language the rest of the answer follows it."""
        self.person = person
        self.t = self.services.translator.for_language(person.locale)
