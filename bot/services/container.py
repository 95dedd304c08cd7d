"""Everything the handlers use, assembled once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.i18n import Translator
from bot.services.catalog import CampaignCatalog
from bot.services.files import FileStore
from bot.services.importer import Importer
from bot.services.people import PeopleService
from bot.services.records import RecordService
from bot.services.reports import Reports
from bot.settings import Settings
from storage.awards import AwardProposals
from storage.campaigns import CampaignRepository
from storage.conversations import ConversationRepository
from storage.database import Database
from storage.initiatives import InitiativeRepository
from storage.invites import InviteRepository
from storage.outbox import Outbox
from storage.people import PersonRepository
from storage.pledges import PledgeRepository
from storage.reports import ReportQueries
from storage.units import UnitRepository
from storage.updates import ProcessedUpdates


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    translator: Translator
    units: UnitRepository
    campaigns: CampaignRepository
    catalog: CampaignCatalog
    people: PeopleService
    conversations: ConversationRepository
    updates: ProcessedUpdates
    invites: InviteRepository
    importer: Importer
    persons: PersonRepository
    records: RecordService
    outbox: Outbox
    files: FileStore
    reports: Reports
    # The bot's @username once a messenger says it (for t.me join links); None on the console.
    bot_username: str | None = None

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        db = await Database.open(settings.sqlite_path)
        units = UnitRepository(db)
        campaigns = CampaignRepository(db)
        persons = PersonRepository(db)
        outbox = Outbox(db)
        return cls(
            settings=settings,
            db=db,
            clock=Clock(settings.zone, settings.today),
            translator=Translator(settings.default_locale),
            units=units,
            campaigns=campaigns,
            catalog=CampaignCatalog(campaigns, units),
            people=PeopleService(db, persons, settings.default_locale, settings.admin_ids),
            conversations=ConversationRepository(db),
            updates=ProcessedUpdates(db),
            invites=InviteRepository(db),
            importer=Importer(campaigns, units),
            persons=persons,
            records=RecordService(
                db, PledgeRepository(db), InitiativeRepository(db), outbox, AwardProposals(db)
            ),
            outbox=outbox,
            files=FileStore(settings.files_path),
            reports=Reports(ReportQueries(db), units, settings.zone),
        )

    async def close(self) -> None:
        await self.db.close()
