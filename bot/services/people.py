"""Who is writing: a person per chat identity, their unit, role and language."""

from __future__ import annotations

from bot.domain.records import Person, Role, Unit
from storage.audit import record_event
from storage.database import Database
from storage.people import PersonRepository


def account_key(channel: str, external_id: str) -> str:
    return f"{channel}:{external_id}"


class PeopleService:
    def __init__(
        self,
        db: Database,
        people: PersonRepository,
        default_locale: str,
        admin_accounts: list[str],
        operator_channels: frozenset[str] = frozenset({"console"}),
    ) -> None:
        self.db = db
        self.people = people
        self.default_locale = default_locale
        self.admin_accounts = set(admin_accounts)  # "telegram:123", "zalo:abc"
        # Channels whose only user is whoever runs the bot (the console): the secretariat.
        self.operator_channels = operator_channels

    async def identify(self, channel: str, external_id: str) -> Person:
        """The person behind a chat identity; the secretariat's accounts (ADMIN_IDS) and the
        operator's own terminal start as secretariat."""
        bootstrap = (
            channel in self.operator_channels
            or account_key(channel, external_id) in self.admin_accounts
        )
        person = await self.people.find(channel, external_id)
        if person is None:
            role: Role = "secretariat" if bootstrap else "staff"
            person = await self.people.create(channel, external_id, self.default_locale, role)
            await self.people.seen(channel, external_id)
            return person
        await self.people.seen(channel, external_id)
        person = await self.people.reached_at(person, channel, external_id)
        if bootstrap and person.role not in ("secretariat", "admin"):
            person = await self.people.update(person, role="secretariat")
        if person.unreachable:  # they write again, so notices may reach them again
            await self.people.mark_reachable(person.id)
        return person

    async def log_denied(self, person: Person, what: str) -> None:
        """Someone tried a secretariat action: refused, and kept in the audit log."""
        await record_event(self.db, person, "access", what, "denied", old={"role": person.role})

    async def join(
        self,
        person: Person,
        unit: Unit,
        full_name: str,
        position: str,
        invited_as: Role | None = None,
    ) -> Person:
        """Join a unit. `invited_as` only from an invitation for this very unit, counted in the
        same unit of work. A unit head is one named in the organisation data or invited as such;
        the secretariat keeps its role wherever it sits, and anyone re-joining the unit they are
        confirmed in keeps theirs. Otherwise, without an invitation (or a name in the
        organisation data) the membership waits for confirmation."""
        old = {
            "unit_id": person.unit_id,
            "full_name": person.full_name,
            "position": person.position,
            "role": person.role,
        }
        role: Role = person.role
        named = account_key(person.channel, person.external_id) in unit.heads
        # Picking one's own unit again (to correct a name, say) changes nothing of the role.
        staying = person.unit_id == unit.id and person.confirmed
        if role not in ("secretariat", "admin"):
            head = named or invited_as == "unit_head" or (staying and role == "unit_head")
            role = "unit_head" if head else "staff"
        confirmed = invited_as is not None or named or staying or role in ("secretariat", "admin")
        async with self.db.transaction():
            updated = await self.people.update(
                person,
                unit_id=unit.id,
                full_name=full_name,
                position=position,
                role=role,
                confirmed=confirmed,
            )
            await record_event(
                self.db,
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
        async with self.db.transaction():
            updated = await self.people.update(member, **changes)
            await record_event(
                self.db,
                actor,
                "person",
                str(member.id),
                "confirm_member" if accept else "reject_member",
                old={"unit_id": member.unit_id},
                new={"unit_id": updated.unit_id},
            )
        return updated

    async def set_role(self, actor: Person, member: Person, role: Role) -> Person:
        async with self.db.transaction():
            updated = await self.people.update(member, role=role)
            await record_event(
                self.db,
                actor,
                "person",
                str(member.id),
                "set_role",
                old={"role": member.role},
                new={"role": role},
            )
        return updated

    async def link_account(self, person: Person, channel: str, external_id: str) -> bool:
        """Another messenger account becomes this person's; refused (False) when that account
        already holds records of its own, which must not be merged silently."""
        other = await self.people.find(channel, external_id)
        if other is None or other.id == person.id:
            return other is not None
        if await self.people.has_records(other.id):
            return False
        async with self.db.transaction():
            await self.people.move_account(channel, external_id, person)
            await record_event(
                self.db,
                person,
                "person",
                str(person.id),
                "link_account",
                old={"account": f"{channel}:{external_id}", "person": other.id},
                new={"person": person.id},
            )
        return True

    async def set_locale(self, person: Person, language: str) -> Person:
        return await self.people.update(person, locale=language)
