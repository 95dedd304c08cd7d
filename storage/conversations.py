from __future__ import annotations

import json

from bot.domain.records import Conversation
from storage.database import Database


class ConversationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def load(self, person_id: int) -> Conversation:
        row = await self.db.fetch_one(
            "SELECT flow, step, data, options, about, about_at, about_topic FROM conversations "
            "WHERE person_id = ?",
            (person_id,),
        )
        if row is None:
            return Conversation(person_id)
        options, words = _options(row["options"])
        return Conversation(
            person_id,
            row["flow"],
            row["step"],
            json.loads(row["data"]),
            options,
            words,
            row["about"],
            row["about_at"],
            row["about_topic"],
        )

    async def save(self, conversation: Conversation) -> None:
        await self.db.execute_soon(
            "INSERT INTO conversations (person_id, flow, step, data, options, about, about_at, "
            "about_topic, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (person_id) DO UPDATE SET "
            "flow = excluded.flow, step = excluded.step, data = excluded.data, "
            "options = excluded.options, about = excluded.about, about_at = excluded.about_at, "
            "about_topic = excluded.about_topic, updated_at = excluded.updated_at",
            (
                conversation.person_id,
                conversation.flow,
                conversation.step,
                json.dumps(conversation.data, ensure_ascii=False),
                _stored_options(conversation.options, conversation.option_words),
                conversation.about,
                conversation.about_at,
                conversation.about_topic,
                self.db.now(),
            ),
        )

    async def offer(self, person_id: int, options: list[str], words: list[str]) -> None:
        """Options just shown to the person outside a conversation (under a notice): on a
        messenger without buttons, "2" picks the second of these."""
        await self.db.execute(
            "INSERT INTO conversations (person_id, options, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (person_id) DO UPDATE SET options = excluded.options",
            (person_id, _stored_options(options, words), self.db.now()),
        )

    async def expire_drafts(self, older_than: str) -> int:
        """Forget half-done flows not touched since `older_than` (a stored stamp); records
        stay."""
        written = await self.db.execute(
            "UPDATE conversations SET flow = NULL, step = NULL, data = '{}', options = '[]' "
            "WHERE flow IS NOT NULL AND updated_at < ?",
            (older_than,),
        )
        return written.rowcount


def _stored_options(options: list[str], words: list[str]) -> str:
    """Each option as [data, words]; older rows hold the data alone."""
    return json.dumps([[data, word] for data, word in zip(options, words, strict=True)])


def _options(stored: str) -> tuple[list[str], list[str]]:
    items = json.loads(stored)
    pairs = [item if isinstance(item, list) else [item, ""] for item in items]
    return [str(data) for data, _ in pairs], [str(word) for _, word in pairs]
