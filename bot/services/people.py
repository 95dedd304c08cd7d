"""Who is writing: a person per chat identity, their unit, role and language."""

from __future__ import annotations

from bot.domain.records import Person, Role, Unit
from storage.audit import record_event
from storage.database import Database
from storage.people import PersonRepository


class PeopleService:
    def __init__(
        self, db: Database, people: PersonRepository, default_locale: str, admin_ids: list[int]
    ) -> None:
        self.db = db
        self.people = people
        self.default_locale = default_locale
        self.admin_ids = {str(i) for i in admin_ids}

    async def identify(self, channel: str, external_id: str) -> Person:
        """The person behind a chat identity. ADMIN_IDS are the secretariat on Telegram; the
        console is the operator's own terminal, so its user is too."""
        bootstrap = channel == "console" or (
            channel == "telegram" and external_id in self.admin_ids
        )
        person = await self.people.find(channel, external_id)
        if person is None:
            role: Role = "secretariat" if bootstrap else "staff"
            return await self.people.create(channel, external_id, self.default_locale, role)
        if bootstrap and person.role not in ("secretariat", "admin"):
            person = await self.people.update(person, role="secretariat")
        if person.unreachable:  # they write again, so notices may reach them again
            await self.people.mark_reachable(person.id)
        return person

    async def log_denied(self, person: Person, what: str) -> None:
        """Someone tried a secretariat action: refused, and kept in the audit log."""
        async with self.db.transaction() as conn:
            await record_event(conn, person, "access", what, "denied", old={"role": person.role})

    async def join(
        self,
        person: Person,
        unit: Unit,
        full_name: str,
        position: str,
        invited_as: Role | None = None,
    ) -> Person:
        """Join a unit. A unit head is one named in the organisation data or invited as such;
        the secretariat keeps its role wherever it sits. Without an invitation (or a name in
        the organisation data) the membership waits for confirmation."""
        old = {
            "unit_id": person.unit_id,
            "full_name": person.full_name,
            "position": person.position,
            "role": person.role,
        }
        role: Role = person.role
        named = f"{person.channel}:{person.external_id}" in unit.heads
        if role not in ("secretariat", "admin"):
            role = "unit_head" if named or invited_as == "unit_head" else "staff"
        confirmed = invited_as is not None or named or role in ("secretariat", "admin")
        updated = await self.people.update(
            person,
            unit_id=unit.id,
            full_name=full_name,
            position=position,
            role=role,
            confirmed=confirmed,
        )
        async with self.db.transaction() as conn:
            await record_event(
                conn,
                person,
                "person",
                str(person.id),
                "join_unit",
                old=old,
                new={
                    "unit_id": unit.id,
                    "full_name": full_name,
                    "position": position,
                    "role": role,
                    "confirmed": confirmed,
                },
            )
        return updated

    async def decide_membership(self, actor: Person, member: Person, accept: bool) -> Person:
        """A unit head or the secretariat confirms a self-chosen unit, or sends them back."""
        changes: dict[str, object] = {"confirmed": True}
        if not accept:
            changes["unit_id"] = None
        updated = await self.people.update(member, **changes)
        async with self.db.transaction() as conn:
            await record_event(
                conn,
                actor,
                "person",
                str(member.id),
                "confirm_member" if accept else "reject_member",
                old={"unit_id": member.unit_id},
                new={"unit_id": updated.unit_id},
            )
        return updated

    async def set_role(self, actor: Person, member: Person, role: Role) -> Person:
        updated = await self.people.update(member, role=role)
        async with self.db.transaction() as conn:
            await record_event(
                conn,
                actor,
                "person",
                str(member.id),
                "set_role",
                old={"role": member.role},
                new={"role": role},
            )
        return updated

    async def set_locale(self, person: Person, language: str) -> Person:
        return await self.people.update(person, locale=language)
