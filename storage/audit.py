from __future__ import annotations

import json

from bot.domain.records import Person
from storage.database import Database


async def record_event(
    db: Database,
    actor: Person,
    entity: str,
    entity_id: str,
    action: str,
    old: object = None,
    new: object = None,
) -> None:
    """One audit event (who, when, from which channel, old -> new), in the caller's unit of
    work."""
    await db.execute_soon(
        "INSERT INTO audit_log (at, actor_id, channel, entity, entity_id, action, old, new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            db.now(),
            actor.id,
            actor.channel,
            entity,
            entity_id,
            action,
            None if old is None else json.dumps(old, ensure_ascii=False, default=str),
            None if new is None else json.dumps(new, ensure_ascii=False, default=str),
        ),
    )
