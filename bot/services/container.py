"""Everything the handlers use, assembled once from the settings."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import timedelta

from bot.answers.answerer import Answerer
from bot.clock import Clock
from bot.council.rules import Rules
from bot.council.service import CouncilService
from bot.engine.profile import ChannelProfile
from bot.i18n import Translator
from bot.services.catalog import CampaignCatalog
from bot.services.files import FileStore
from bot.services.guesses import GuessLimits
from bot.services.importer import Importer
from bot.services.people import PeopleService
from bot.services.records import RecordService
from bot.services.reminders import Reminders, reminder_days
from bot.services.reports import Reports
from bot.settings import Settings
from storage.awards import AwardProposals
from storage.campaigns import CampaignRepository
from storage.conversations import ConversationRepository
from storage.council import CouncilRepository
from storage.database import Database
from storage.file_shares import FileShares
from storage.guesses import WrongGuesses
from storage.inbox import Inbox
from storage.initiatives import InitiativeRepository
from storage.invites import InviteRepository
from storage.links import LinkCodes
from storage.outbox import Outbox
from storage.people import PersonRepository
from storage.pledges import PledgeRepository
from storage.processes import Processes
from storage.questions import OpenQuestions
from storage.reports import ReportQueries
from storage.roster import RosterRepository
from storage.secrets import KeptSecrets
from storage.units import UnitRepository


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
    inbox: Inbox
    invites: InviteRepository
    links: LinkCodes
    importer: Importer
    persons: PersonRepository
    records: RecordService
    outbox: Outbox
    files: FileStore
    reports: Reports
    answerer: Answerer
    open_questions: OpenQuestions
    reminders: Reminders
    roster: RosterRepository
    guesses: GuessLimits
    shares: FileShares
    kept_secrets: KeptSecrets
    processes: Processes
    council: CouncilService
    # The messengers served by this process, by channel name (each adapter adds its own).
    profiles: dict[str, ChannelProfile] = field(default_factory=dict)
    warming: asyncio.Task[object] | None = None

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        clock = Clock(settings.zone, settings.today)
        db = await Database.open(settings.sqlite_path, clock)
        # Lock files of the running processes, beside the database they use.
        database = settings.sqlite_path
        processes = Processes(db, database.with_name(f"{database.name}.run"))
        await processes.start()
        units = UnitRepository(db)
        campaigns = CampaignRepository(db)
        persons = PersonRepository(db)
        outbox = Outbox(db, timedelta(seconds=settings.outbox_lease_seconds), processes.token)
        translator = Translator(settings.default_locale)
        catalog = CampaignCatalog(campaigns, units)
        roster = RosterRepository(db)
        records = RecordService(
            db, PledgeRepository(db), InitiativeRepository(db), outbox, AwardProposals(db)
        )
        return cls(
            settings=settings,
            db=db,
            clock=clock,
            translator=translator,
            units=units,
            campaigns=campaigns,
            catalog=catalog,
            people=PeopleService(db, persons, settings.default_locale, settings.admin_ids),
            conversations=ConversationRepository(db),
            inbox=Inbox(db),
            invites=InviteRepository(db),
            links=LinkCodes(db),
            importer=Importer(campaigns, units, roster, CouncilRepository(db)),
            persons=persons,
            records=records,
            outbox=outbox,
            files=FileStore(settings.files_path),
            reports=Reports(ReportQueries(db), units, clock),
            answerer=Answerer(translator),
            open_questions=OpenQuestions(db),
            reminders=Reminders(
                db,
                catalog,
                units,
                persons,
                outbox,
                translator,
                reminder_days(settings.reminder_days),
                settings.reminder_hour,
                settings.confirm_after_days,
            ),
            roster=roster,
            guesses=GuessLimits(WrongGuesses(db), clock),
            shares=FileShares(db),
            kept_secrets=KeptSecrets(db),
            processes=processes,
            council=CouncilService(db, clock, Rules.load(), units, persons, roster, records),
        )

    def warm_up(self) -> None:
        """Build the answers' index (and import numpy) now, off the loop, so that the first
        question asked after a start is answered as fast as the others."""

        async def warm() -> object:
            return await self.answerer.prepare(await self.catalog.published())

        self.warming = asyncio.create_task(warm())

    async def close(self) -> None:
        if self.warming is not None:
            with contextlib.suppress(Exception):
                await self.warming
        await self.processes.stop()
        await self.db.close()
