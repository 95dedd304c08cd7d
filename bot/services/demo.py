"""The console's demo: act as anyone on the demo staff lists (staff, unit head) and back to the
secretariat in one terminal, with a few pledges already filed so /stats, the chart, /review and
/nominations show something on the first run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.records import Person, PledgeStatus, Role
from bot.services.nominations import award_name
from bot.textmatch import fold
from storage.roster import RosterLine

if TYPE_CHECKING:
    from bot.services.container import Services

DEMO_CHANNEL = "demo"  # the people the console acts as; not operators, so not secretariat
HEAD_POSITIONS = ("truong", "chanh", "giam doc")  # folded: positions that head a unit
DEMO_CAMPAIGN = "soctrang-cchc-2021-2030"
# Who has filed what on a fresh demo, by roster order within Sở Nội vụ Sóc Trăng's units.
DEMO_FILED: tuple[PledgeStatus, ...] = (
    "submitted",
    "confirmed",
    "confirmed",
    "accepted",
    "submitted",
)


async def matching(services: Services, query: str) -> list[RosterLine]:
    """The staff-list lines whose name holds the words typed, diacritics aside."""
    words = fold(query)
    if not words:
        return []
    units = await services.units.all()
    lines = await services.roster.of_units([u.id for u in units])
    exact = [line for line in lines if fold(line.full_name) == words]
    return exact or [line for line in lines if words in fold(line.full_name)]


async def stand_in(services: Services, line: RosterLine) -> Person:
    """The demo person for a staff-list line: joined to its unit as listed, confirmed, a unit
    head when the position heads one."""
    person = await services.people.identify(DEMO_CHANNEL, f"r{line.id}")
    if person.unit_id == line.unit_id and person.full_name:
        return person
    unit = await services.units.by_id(line.unit_id)
    assert unit is not None
    heads = fold(line.position).startswith(HEAD_POSITIONS)
    position = line.position or "Chuyên viên"
    role: Role = "unit_head" if heads else "staff"
    async with services.db.transaction():
        person = await services.people.join(person, unit, line.full_name, position, role)
        await services.roster.link(line.id, unit.id, person.id)
    return person


async def load_demo_activity(services: Services) -> int:
    """A few pledges of this emulation year in the Sóc Trăng campaign, at different stages."""
    campaign = await services.catalog.get(DEMO_CAMPAIGN)
    snv = await services.units.subtree(["soctrang-snv"])
    if campaign is None or not snv:
        return 0
    index = next((n for n, a in enumerate(campaign.awards) if a.recipients == "individual"), None)
    if index is None:
        return 0
    lines = [x for x in await services.roster.of_units([u.id for u in snv]) if x.person_id is None]
    heads = {x.unit_id: x for x in lines if fold(x.position).startswith(HEAD_POSITIONS)}
    staff = [x for x in lines if x.unit_id in heads and x not in heads.values()]
    desk = await services.people.identify("console", "local")
    # The plan sets no criteria for individuals: the demo people wrote their own.
    t = services.translator.for_language(None)
    own = [x.strip() for x in t.plain("console.demo_commitments").split("|")]
    year = campaign.emulation_year(services.clock.today())
    records = services.records
    filed = 0
    for line, status in zip(staff, DEMO_FILED, strict=False):
        person = await stand_in(services, line)
        head = await stand_in(services, heads[line.unit_id])
        pledge = await records.register_pledge(
            person, campaign, "individual", line.unit_id, award_name(campaign, index),
            campaign.pledge_commitments("individual")[:2], own, year, [],
        )  # fmt: skip
        steps: tuple[tuple[PledgeStatus, Person], ...] = (("confirmed", head), ("accepted", desk))
        for step, actor in steps:
            if _reaches(status, step):
                current = await records.pledges.by_id(pledge.id)
                assert current is not None
                await records.change_pledge_status(actor, current, step, None, [])
        filed += 1
    return filed


def _reaches(status: PledgeStatus, step: PledgeStatus) -> bool:
    order = ("submitted", "confirmed", "accepted")
    return order.index(status) >= order.index(step)
