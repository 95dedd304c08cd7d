"""Pledges (đăng ký thi đua) over Telegram: individual and collective, confirmed and returned,
edited and withdrawn before the deadline, refused after it, a restart in the middle."""

from __future__ import annotations

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_invite, join_by_picking, last
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User

CCHC_UNIT = ["Tỉnh Sóc Trăng", "Sở Nội vụ", "Phòng Cải cách hành chính"]


async def register(chat: Chat, title: str, ticks: list[str], own: str | None = None) -> str:
    """/pledge through to the acknowledgment; returns its text."""
    messages = await chat.send("/pledge")
    (checklist,) = await chat.tap(last(messages), title)
    assert "Chọn các cam kết" in checklist.text or "tự ghi cam kết" in checklist.text
    for tick in ticks:
        await chat.tap(checklist, tick)  # the same message is edited in place
    if own:
        added = await chat.send(own)
        checklist = last(added)
    (review,) = await chat.tap(checklist, "Tiếp tục")
    assert "Xem lại trước khi gửi" in review.text
    (saved,) = await chat.tap(review, "Gửi đăng ký")
    return saved.text


async def test_individual_pledge_from_nothing_to_a_reference(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    await start_bot()
    await join_by_picking(chat, CCHC_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    messages = await chat.send("/pledge")
    titles = last(messages)
    # The only campaign open for Sở Nội vụ Sóc Trăng today; its individual award forms.
    assert "Sóc Trăng – CCHC 2021-2030" in titles.text
    assert titles.button_labels() == ["Bằng khen (UBND tỉnh)"]
    (checklist,) = await chat.tap(titles, "Bằng khen (UBND tỉnh)")
    # The plan sets criteria for no one but agencies: a chuyên viên writes their own, and is
    # not offered the content the plan sets for collectives ("…lãnh đạo, chỉ đạo của cấp ủy").
    assert "Kế hoạch 52/KH-UBND không nêu tiêu chí thi đua riêng cho cá nhân" in checklist.text
    assert "cấp ủy" not in checklist.text and checklist.button_labels() == ["Tiếp tục ›"]
    await chat.send("Giải quyết đúng hạn 100% hồ sơ được giao")
    added = await chat.send("<b>Số hoá</b> 100% hồ sơ & 🙂")
    assert "Đã thêm cam kết riêng: <b>Số hoá</b> 100% hồ sơ & 🙂" in added[0].text
    (review,) = await chat.tap(last(added), "Tiếp tục")
    assert "Cá nhân: Nguyễn Thị Mai" in review.text
    hint = await chat.send("gửi luôn nhé")  # typing at the review: reminded what to tap
    assert "Bấm Gửi đăng ký" in hint[0].text and "Xem lại trước khi gửi" in hint[-1].text
    assert "• Giải quyết đúng hạn 100% hồ sơ được giao" in review.text
    (saved,) = await chat.tap(review, "Gửi đăng ký")
    assert "Đã ghi nhận đăng ký thi đua, mã TD-2026-0001." in saved.text
    assert "đến hết ngày 31/12/2026" in saved.text  # the emulation year, not the plan
    (mine,) = await chat.send("/my")
    assert (
        "TD-2026-0001 — năm 2026 — Bằng khen (UBND tỉnh) — Đã gửi, chờ trưởng đơn vị xác nhận"
        in mine.text
    )
    (detail,) = await chat.tap(mine, "TD-2026-0001")
    assert "&lt;b&gt;Số hoá&lt;/b&gt; 100% hồ sơ &amp; 🙂" in detail.html
    # A second pledge for the same campaign and title opens the first one.
    messages = await chat.send("/pledge")
    again = await chat.tap(last(messages), "Bằng khen (UBND tỉnh)")
    assert "đã đăng ký nội dung này, mã TD-2026-0001" in again[0].text
    records = await chat.send("/my")
    assert records[0].text.count("TD-2026-") == 1


async def test_nothing_to_tick_is_refused_and_the_draft_survives_a_restart(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot()
    await join_by_picking(chat, CCHC_UNIT, "Lê Văn Tâm", "Chuyên viên")
    messages = await chat.send("/pledge")
    (checklist,) = await chat.tap(last(messages), "Bằng khen")
    (refused,) = await chat.tap(checklist, "Tiếp tục")
    assert refused.text == "Anh/chị cần chọn ít nhất một cam kết hoặc gõ một cam kết riêng."
    await chat.send("Thi đua giải quyết đúng hạn hồ sơ")
    await bot.shutdown()
    await start_bot()
    await chat.send("Thi đua số hoá hồ sơ lưu trữ")  # the draft survived the restart
    (review,) = await chat.tap(checklist, "Tiếp tục")  # and the old message's buttons work
    assert review.text.count("• Thi đua") == 2
    (saved,) = await chat.tap(review, "Gửi đăng ký")
    assert "mã TD-2026-0001" in saved.text


async def test_edit_and_withdraw_before_the_deadline_refused_after(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot(today="20/11/2024")  # the 2024 plan runs to 30/11/2024
    await join_by_picking(
        chat,
        ["Sở Xây dựng (Kế hoạch thi đua CCHC năm 2024)", "Thanh tra Sở"],
        "Đỗ Minh Khang",
        "Thanh tra viên",
    )
    text = await register(chat, "Giấy khen (Giám đốc Sở Xây dựng)", ["☐ 1"])
    assert "mã TD-2024-0001" in text and "đến hết ngày 30/11/2024" in text
    (mine,) = await chat.send("/my")
    (detail,) = await chat.tap(mine, "TD-2024-0001")
    (review,) = await chat.tap(detail, "Sửa")
    (checklist,) = await chat.tap(review, "Sửa cam kết")
    await chat.tap(checklist, "☐ 3")
    (review,) = await chat.tap(checklist, "Tiếp tục")
    (updated,) = await chat.tap(review, "Gửi đăng ký")
    assert "Đã cập nhật đăng ký TD-2024-0001" in updated.text
    (detail,) = await chat.tap(mine, "TD-2024-0001")
    assert "không vi phạm kỷ luật, kỷ cương hành chính" in detail.text
    (ask,) = await chat.tap(detail, "Rút")
    (withdrawn,) = await chat.tap(ask, "Đồng ý rút")
    assert withdrawn.text == "Đã rút đăng ký TD-2024-0001."
    # Withdrawn frees the place: register again, then the deadline passes.
    text = await register(chat, "Giấy khen", ["☐ 2"])
    assert "mã TD-2024-0002" in text
    await bot.shutdown()
    await start_bot(today="01/12/2024")
    (mine,) = await chat.send("/my")
    (detail,) = await chat.tap(mine, "TD-2024-0002")
    assert "Đã hết hạn đăng ký ngày 30/11/2024" in detail.text and detail.button_labels() == []
    (locked,) = await chat.tap_data(detail, "pe:2")
    assert "không còn sửa hoặc rút được" in locked.text
    (none,) = await chat.send("/pledge")
    assert "không có phong trào nào đang mở đăng ký" in none.text


async def test_collective_pledge_and_a_head_confirming_and_returning(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    head = Chat(standin, User(600001, "Hùng"))
    member = Chat(standin, User(600002, "Lan"))
    other = Chat(standin, User(600003, "Phúc"))
    await join_by_invite(
        head, bot, "soctrang-snv-cchc", "Phạm Quốc Hùng", "Trưởng phòng", head=True
    )
    await join_by_picking(member, CCHC_UNIT, "Võ Thị Lan", "Chuyên viên")
    await join_by_picking(other, CCHC_UNIT, "Huỳnh Văn Phúc", "Chuyên viên")
    before = len(standin.messages_to(head.user.id))
    assert "mã TD-2026-0001" in await register(member, "Bằng khen", [], own="Số hoá hồ sơ")
    assert "mã TD-2026-0002" in await register(other, "Bằng khen", [], own="Đúng hạn 100%")

    def pledge_notices() -> list[SentMessage]:
        return [m for m in standin.messages_to(head.user.id)[before:] if m.text.startswith("📝")]

    await standin.wait_until(lambda: len(pledge_notices()) >= 2)
    told = pledge_notices()
    waiting = "📝 Đăng ký thi đua mới cần anh/chị xác nhận: {} — Bằng khen (UBND tỉnh) ({})."
    campaign = "Sóc Trăng – CCHC 2021-2030"
    assert [m.text for m in told] == [
        waiting.format("Võ Thị Lan", campaign),
        waiting.format("Huỳnh Văn Phúc", campaign),
    ]
    # The head's own collective pledge.
    (kind,) = await head.send("/pledge")
    (titles,) = await head.tap(kind, "Tập thể đơn vị")
    assert titles.button_labels() == ["Bằng khen (UBND tỉnh)", "Cờ thi đua (UBND tỉnh)"]
    (checklist,) = await head.tap(titles, "Cờ thi đua")
    await head.tap(checklist, "☐ 6")
    (review,) = await head.tap(checklist, "Tiếp tục")
    assert "Tập thể: Phòng Cải cách hành chính" in review.text
    (saved,) = await head.tap(review, "Gửi đăng ký")
    assert "mã TD-2026-0003" in saved.text
    # Confirm one member's pledge, return the other's with a comment; each is told.
    (unit_list,) = await head.tap(told[0], "Đăng ký của đơn vị")
    assert "TD-2026-0003 — Phạm Quốc Hùng — Cờ thi đua (UBND tỉnh)" in unit_list.text
    before_member, before_other = (
        len(standin.messages_to(member.user.id)),
        len(standin.messages_to(other.user.id)),
    )
    (lan,) = await head.tap(unit_list, "Võ Thị Lan")
    (confirmed,) = await head.tap(lan, "Xác nhận")
    assert "Đã xác nhận đăng ký TD-2026-0001" in confirmed.text
    (phuc,) = await head.tap(unit_list, "Huỳnh Văn Phúc")
    (ask,) = await head.tap(phuc, "Trả lại")
    assert "ghi ý kiến khi trả lại đăng ký TD-2026-0002" in ask.text
    (returned,) = await head.send("Cần ghi rõ chỉ tiêu <số hồ sơ>")
    assert "Đã trả lại đăng ký TD-2026-0002" in returned.text
    (note,) = await standin.replies(member.user.id, before_member)
    assert (
        note.text
        == "✔ Đăng ký TD-2026-0001 của anh/chị đã được trưởng đơn vị Phạm Quốc Hùng xác nhận."
    )
    (note,) = await standin.replies(other.user.id, before_other)
    assert "trả lại để sửa. Ý kiến: Cần ghi rõ chỉ tiêu <số hồ sơ>" in note.text
    (mine,) = await other.tap(note, "Hồ sơ của tôi")
    assert (
        "TD-2026-0002 — năm 2026 — Bằng khen (UBND tỉnh) — Trưởng đơn vị trả lại, cần sửa"
        in mine.text
    )
    # A member cannot act as head, not even with a forged button.
    own_message = standin.messages_to(member.user.id)[-1]
    (refused,) = await member.tap_data(own_message, "hc:2")
    assert "dành cho trưởng đơn vị" in refused.text
    (refused,) = await member.tap_data(own_message, "my:p:3")
    assert "Không tìm thấy hồ sơ này" in refused.text
    audit = await bot.services.db.fetch_all(
        "SELECT entity_id, action FROM audit_log WHERE entity = 'pledge' ORDER BY id"
    )
    assert [tuple(r) for r in audit] == [
        ("TD-2026-0001", "create"),
        ("TD-2026-0002", "create"),
        ("TD-2026-0003", "create"),
        ("TD-2026-0001", "confirmed"),
        ("TD-2026-0002", "returned"),
    ]


async def test_a_person_without_a_unit_is_asked_to_choose_one(
    start_bot: BotStarter, chat: Chat
) -> None:
    await start_bot()
    (pledge,) = await chat.send("/pledge")
    assert "cần chọn đơn vị công tác trước" in pledge.text and pledge.button_labels() == [
        "🏢 Chọn đơn vị"
    ]
    (initiative,) = await chat.send("/initiative")
    assert "cần chọn đơn vị công tác trước" in initiative.text
