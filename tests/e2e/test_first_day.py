"""A newcomer's first day on Zalo, where the trips were: the desk greeted at its desk, options
numbered once, no dead end after files, a number typed with no list open."""

from __future__ import annotations

from tests.conftest import BotStarter, ZaloChat
from tests.e2e.test_zalo import join_with_code
from tests.standins.zalo_api import ZaloStandIn, ZaloUser

DESK = ZaloUser("de5c0000000000aa", "Văn phòng")


async def test_the_desk_is_greeted_at_its_desk_and_helped_with_its_commands(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    await start_zalo_bot(ADMIN_IDS=f"zalo:{DESK.id}")
    desk = ZaloChat(zalo, DESK)
    welcome = desk.text(await desk.send("/start"))
    assert "cơ quan nào" not in welcome and "Thành phố Cần Thơ" not in welcome  # no unit tree
    assert "Văn phòng Sở" in welcome and "Xem xét sáng kiến, đăng ký" in welcome
    helped = desk.text(await desk.send("help"))
    assert "/pledge" in helped  # the staff's commands, and the desk's
    for command in ("/review", "/nominations", "/stats", "/export", "/invite", "/roster"):
        assert command in helped
    # Staff see only theirs.
    member = ZaloChat(zalo, ZaloUser("3e3be500000000aa", "Lan"))
    staff_help = member.text(await member.send("help"))
    assert "/pledge" in staff_help and "/review" not in staff_help


async def test_a_members_commitments_are_the_plans_for_individuals_numbered_once(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot(today="20/11/2024")  # the Sở Xây dựng 2024 plan is open
    member = ZaloChat(zalo, ZaloUser("3e3be500000000ab", "Khang"))
    await join_with_code(member, bot, "sxd-2024-tt", "Đỗ Minh Khang")
    await member.send("/pledge")
    checklist = member.text(await member.pick("Giấy khen"))
    criterion = "Hoàn thành xuất sắc nhiệm vụ được giao năm 2024."
    # Each commitment once, as the option that ticks it; none of the plan's content for agencies.
    assert checklist.count(criterion) == 1 and f"1. ☐ {criterion}" in checklist
    assert "☐ 1." not in checklist and "Gắn công tác thi đua khen thưởng" not in checklist
    ticked = member.text(await member.send("1"))
    assert f"☑ {criterion}" in ticked and ticked.count(criterion) == 1
    review = member.text(await member.pick("Tiếp tục"))
    assert f"• {criterion}" in review


async def test_a_number_typed_with_no_list_open_is_not_kept_as_a_question(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    await start_zalo_bot(ADMIN_IDS=f"zalo:{DESK.id}")
    desk = ZaloChat(zalo, DESK)
    nothing = desk.text(await desk.send("/review"))
    assert "Không có sáng kiến hay đăng ký nào đang chờ" in nothing  # a reply with no options
    answered = desk.text(await desk.send("2"))
    assert "Không có danh sách nào đang mở" in answered and "chưa hiểu" not in answered
    asked = desk.text(await desk.send("/questions"))
    assert "Chưa có câu hỏi nào bot không trả lời được" in asked
