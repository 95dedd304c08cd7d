"""Council members on Zalo, where there are no buttons: the desk opens the ballot and a member
votes by typing the numbers of the options, through the same engine. And a ballot closes at
its time by the injected clock, whoever has not voted yet, and is never reopened."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.council.service import CouncilService
from bot.domain.organisation import OrganisationFile
from bot.services.container import Services
from tests.conftest import BotStarter, RunningBot, ZaloChat
from tests.standins.zalo_api import ZaloStandIn, ZaloUser

DESK = "d35c0000000000aa"
MEMBERS = ["c0c0000000000001", "c0c0000000000002", "c0c0000000000003"]
CAMPAIGN = "soctrang-cchc-2021-2030"


async def a_closed_list(services: Services) -> None:
    """The organisation's Council (3 members on Zalo) and one accepted, proposed pledge in a
    closed 2026 list: set up through the services, as earlier tests do by chat."""
    organisation = OrganisationFile.model_validate(
        {
            "units": [{"code": "soctrang", "name": "Tỉnh Sóc Trăng", "level": "tỉnh",
                       "children": [{"code": "soctrang-snv-cchc", "level": "phòng",
                                     "name": "Phòng Cải cách hành chính"}]}],
            "councils": [{"unit": "soctrang", "name": "Hội đồng Thi đua – Khen thưởng tỉnh",
                          "members": [{"name": f"Thành viên {n}", "role": "Ủy viên",
                                       "account": f"zalo:{m}"}
                                      for n, m in enumerate(MEMBERS, 1)]}],
        }
    )  # fmt: skip
    await services.importer.load_organisation(organisation)
    campaign = await services.catalog.get(CAMPAIGN)
    unit = await services.units.by_code("soctrang-snv-cchc")
    assert campaign is not None and unit is not None
    person = await services.people.identify("zalo", "f00d000000000001")
    person = await services.people.join(person, unit, "Nguyễn Thị Mai", "Chuyên viên", "staff")
    pledge = await services.records.register_pledge(
        person, campaign, "individual", unit.id, "Bằng khen (UBND tỉnh)", ["Cam kết"], [], 2026, []
    )
    desk = await services.people.identify("zalo", DESK)
    await services.records.change_pledge_status(desk, pledge, "accepted", None, [])
    accepted = await services.records.pledges.by_id(pledge.id)
    assert accepted is not None
    assert (await services.records.propose_for_award(desk, accepted, campaign, 1)).accepted
    assert await services.records.close_nominations(desk, campaign, 2026)


async def test_a_council_member_on_zalo_votes_by_numbers(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    running: RunningBot = await start_zalo_bot(ADMIN_IDS=f"zalo:{DESK}")
    await a_closed_list(running.services)
    desk = ZaloChat(zalo, ZaloUser(DESK, "Thư"))
    await desk.send("nominations")
    await desk.pick("Sóc Trăng – CCHC 2021-2030")
    members = desk.text(await desk.pick("Mở phiếu bầu của Hội đồng"))
    assert "Thành viên 3 — Ủy viên (Zalo)" in members
    opened = desk.text(await desk.pick("Đóng sau 24 giờ"))
    assert "Đã gửi phiếu bầu cho 3 thành viên Hội đồng: 1 trường hợp" in opened
    member = ZaloChat(zalo, ZaloUser(MEMBERS[0], "Thành viên 1"))
    await zalo.wait_until(lambda: any("phiếu bầu kín" in m.text
                                      for m in zalo.messages_to(member.user)))  # fmt: skip
    await member.pick("Bắt đầu bỏ phiếu")
    paper = member.text(await member.pick("Tôi dự họp"))
    assert "Trường hợp 1/1: Nguyễn Thị Mai" in paper and "1. ✅ Đồng ý" in paper
    done = member.text(await member.send("1"))
    assert "Đã ghi nhận phiếu của anh/chị." in done and "bỏ phiếu xong 1 trường hợp" in done
    assert await running.services.db.fetch_value("SELECT yes FROM ballot_nominees") == 1
    stored = await running.services.db.fetch_all(
        "SELECT payload FROM inbox WHERE sender = ? ORDER BY rowid", (MEMBERS[0],)
    )
    # Taps before the vote are kept as usual; the vote's "1" is not kept with its sender.
    assert [r[0] is None for r in stored] == [False, False, True]


async def test_a_ballot_closes_at_its_time_and_stays_closed(services: Services) -> None:
    await a_closed_list(services)
    campaign = await services.catalog.get(CAMPAIGN)
    assert campaign is not None
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    now = [datetime(2026, 11, 22, 9, 0, tzinfo=zone)]
    clock = Clock(zone, source=lambda _: now[0])
    council = CouncilService(services.db, clock, services.council.rules, services.units,
                             services.persons, services.roster, services.records)  # fmt: skip
    body = await council.council_for(campaign)
    assert body is not None
    desk = await services.people.identify("zalo", DESK)

    async def no_notices(*_: object) -> list[object]:
        return []

    ballot = await council.open_ballot(desk, campaign, 2026, body, now[0] + timedelta(hours=24),
                                       [(1, 1)], no_notices)  # fmt: skip
    assert ballot is not None and not (await council.refresh(ballot)).closed
    (seat, *_) = await council.repo.members(body.id)
    now[0] += timedelta(hours=23, minutes=59)
    assert not (await council.refresh(ballot)).closed
    now[0] += timedelta(minutes=1)
    assert not await council.vote(desk, ballot, seat, 1, True)  # at its time: no more votes
    closed = await council.refresh(ballot)
    assert closed.closed and await services.db.fetch_value("SELECT yes FROM ballot_nominees") == 0
    again = await council.open_ballot(desk, campaign, 2026, body, now[0] + timedelta(hours=24),
                                      [(1, 1)], no_notices)  # fmt: skip
    assert again is None and (await council.refresh(closed)).closed_at == closed.closed_at
