"""A civil servant finds campaigns, criteria and deadlines over Telegram, through the real
Application and real HTTP against the Bot API stand-in."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_picking
from tests.e2e.test_pledges import CCHC_UNIT
from tests.standins.telegram_api import TelegramStandIn, User


async def join_soctrang_unit(chat: Chat) -> None:
    welcome = await chat.send("/start")
    assert "Xin chào" in welcome[0].text
    picker = welcome[-1]
    (province,) = await chat.tap(picker, "Tỉnh Sóc Trăng")
    (agency,) = await chat.tap(province, "Sở Giáo dục và Đào tạo")
    (ask_name,) = await chat.tap(agency, "Phòng Tổ chức cán bộ")
    assert "họ và tên" in ask_name.text
    (ask_position,) = await chat.send("<b>Trần</b> Thị & Lan")
    assert "Chức vụ" in ask_position.text
    done = await chat.send("Chuyên viên")
    assert "Đã ghi nhận: <b>Trần</b> Thị & Lan, Chuyên viên — Phòng Tổ chức cán bộ" in done[0].text
    # User text comes back literally: escaped in the HTML that was sent.
    assert "&lt;b&gt;Trần&lt;/b&gt; Thị &amp; Lan" in done[0].html


async def test_commands_menu_is_set_in_both_languages(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    await start_bot()
    assert [c["command"] for c in standin.commands[None]][:3] == [
        "campaigns",
        "deadlines",
        "criteria",
    ]
    assert standin.commands[None][0]["description"] == "Các phong trào thi đua"
    assert standin.commands["en"][0]["description"] == "Emulation campaigns"


async def test_newcomer_joins_a_unit_and_sees_its_campaigns(
    start_bot: BotStarter, chat: Chat
) -> None:
    await start_bot()
    await join_soctrang_unit(chat)
    listing = chat.standin.messages_to(chat.user.id)[-1]
    # Only the campaigns concerning Sở GD&ĐT Sóc Trăng, the running one first.
    assert listing.button_labels()[:2] == [
        "Sóc Trăng – CCHC 2021-2030",
        "Sở GD&ĐT Sóc Trăng – CCHC 2022",
    ]
    assert "Quận 11" not in listing.text
    (everything,) = await chat.tap(listing, "Xem tất cả phong trào")
    assert len([b for b in everything.button_labels() if "CCHC" in b]) == 6


async def test_every_seed_campaign_opens_with_its_facts(start_bot: BotStarter, chat: Chat) -> None:
    await start_bot()
    (listing,) = await chat.send("/campaigns")
    expected = {
        "Sóc Trăng – CCHC 2021-2030": [
            "52/KH-UBND ngày 06/04/2022",
            "giai đoạn 2021–2030",  # the plan's words: years, no days
            "🟢 Đang diễn ra",
        ],
        "Sở XD Cần Thơ – CCHC 2021-2025": ["127/KH-SXD", "31/12/2025", "⚪ Đã kết thúc"],
        "Sở XD – CCHC năm 2024": [
            "11/01/2024 (ước tính: văn bản không ghi ngày bắt đầu) – 30/11/2024",
            "Võ Tất Dũng",
            "DDCI",
        ],
        "Sở GD&ĐT Sóc Trăng – CCHC 2022": ["654/SGDĐT-TCCB ngày 08/04/2022"],
        "Quận 11 – CCHC 2022": ["10/04/2022 – 05/12/2022", "Thích ứng an toàn"],
        "An Giang – CCHC 2021": ["443/KH-UBND ngày 21/07/2021", "31/12/2021"],
    }
    assert sorted(listing.button_labels()) == sorted(expected)
    for label, facts in expected.items():
        detail = await chat.tap(listing, label)
        text = Chat.text(detail)
        for fact in facts:
            assert fact in text, (label, fact)
        labels = detail[-1].button_labels()
        assert "✅ Tiêu chí" in labels and "⏰ Thời hạn" in labels
        # Only the campaign open today offers to register a pledge.
        assert ("📝 Đăng ký thi đua" in labels) == (label == "Sóc Trăng – CCHC 2021-2030")


async def test_criteria_deadlines_awards_and_dossier_by_button(
    start_bot: BotStarter, chat: Chat
) -> None:
    await start_bot(today="20/11/2024")
    (listing,) = await chat.send("/campaigns")
    detail = await chat.tap(listing, "Sở XD – CCHC năm 2024")
    assert "🟢 Đang diễn ra" in detail[0].text
    (criteria,) = await chat.tap(detail[-1], "Tiêu chí")
    assert "Đối với tập thể" in criteria.text and "Đối với cá nhân" in criteria.text
    assert "chỉ số cải cách hành chính của Sở năm 2024 đạt loại khá trở lên" in criteria.text
    (deadlines,) = await chat.tap(criteria, "Thời hạn")
    assert (
        "đến hết ngày 30/11/2024: Kết thúc thời gian tổ chức thi đua\n  ⏳ còn 10 ngày"
        in deadlines.text
    )
    assert "trước ngày 01/12/2024" in deadlines.text
    (awards,) = await chat.tap(criteria, "Khen thưởng")
    assert "Giấy khen của Giám đốc Sở Xây dựng cho tập thể" in awards.text
    (dossier,) = await chat.tap(awards, "Hồ sơ")
    assert "Báo cáo thành tích" in dossier.text
    assert "Thường trực Hội đồng thi đua, khen thưởng – Văn phòng Sở" in dossier.text
    assert "⏰ Thời hạn: trước ngày 01/12/2024" in dossier.text


async def test_deadlines_most_urgent_first_with_days_left_and_past_marked(
    start_bot: BotStarter, chat: Chat
) -> None:
    await start_bot(today="10/01/2025")
    (answer,) = await chat.send("/deadlines")
    text = answer.text
    upcoming, past = text.split("Đã qua")
    # Cần Thơ's dossier for 2024 is due before 15/01/2025: the last day is 14/01, 4 days away.
    assert upcoming.index("15/01/2025") < upcoming.index("31/12/2025")
    assert (
        "Gửi hồ sơ đề nghị khen thưởng về Văn phòng tổng hợp (hồ sơ năm 2024) — Sở XD Cần Thơ"
        in upcoming
    )
    assert "⏳ còn 4 ngày" in upcoming
    assert "01/12/2024" in past and "05/12/2022" in past and "31/12/2021" in past


async def test_free_text_without_diacritics(start_bot: BotStarter, chat: Chat) -> None:
    await start_bot()
    await join_soctrang_unit(chat)
    text = Chat.text(await chat.send("khen thuong bao nhieu"))
    assert "Bằng khen của UBND tỉnh cho tập thể, tối đa 10 (hằng năm)" in text
    assert "Cờ thi đua của UBND tỉnh cho tập thể, tối đa 04 (khi kết thúc giai đoạn)" in text
    # The plan gives no dossier deadline: said so, not the year's end offered instead.
    text = Chat.text(await chat.send("han nop ho so"))
    assert "Kế hoạch 52/KH-UBND không nêu hạn nộp hồ sơ" in text and "31/12/2026" not in text
    text = Chat.text(await chat.send("con bao nhieu ngay"))
    assert "Còn 39 ngày" in text and "31/12/2026" in text
    text = Chat.text(await chat.send("tieu chi tap the so gd&dt soc trang"))
    assert "Đạt điểm CCHC cao." in text and "Đối với cá nhân" not in text
    text = Chat.text(await chat.send("tieu chj ca nhan can tho"))  # one-letter typo
    assert "Hoàn thành tốt nhiệm vụ được giao trở lên" in text
    text = Chat.text(await chat.send("ai duoc tham gia an giang"))
    assert "UBND các xã, phường, thị trấn" in text
    (confused,) = await chat.send("thời tiết hôm nay thế nào")
    assert "chưa hiểu" in confused.text and "📋 Phong trào" in confused.button_labels()


async def test_question_without_a_campaign_asks_which(start_bot: BotStarter, chat: Chat) -> None:
    await start_bot(today="01/06/2022")  # Quận 11, Sở GD&ĐT Sóc Trăng and Sóc Trăng all running
    (ask,) = await chat.send("tiêu chí cá nhân?")
    assert (
        ask.text == "Anh/chị muốn xem tiêu chí của phong trào nào?" or "phong trào nào" in ask.text
    )
    (criteria,) = await chat.tap(ask, "Sở GD&ĐT Sóc Trăng")
    assert "Đối với cá nhân" in criteria.text and "Đối với tập thể" not in criteria.text


async def test_long_answers_are_split_under_the_limit(
    start_bot: BotStarter, chat: Chat, tmp_path: Path
) -> None:
    bot = await start_bot()
    long_file = tmp_path / "long.yaml"
    criteria = "\n".join(
        "    - "
        + json.dumps(f"Tiêu chí số {n} <đặc biệt> & dài: " + "nội dung " * 40, ensure_ascii=False)
        for n in range(40)
    )
    long_file.write_text(
        "id: long-one\ntitle: Phong trào rất dài\nshort_title: Rất dài\nissuer: Sở Nội vụ\n"
        "plan: {number: 1/KH}\nperiod: {start: 01/01/2026, end: 31/12/2026}\n"
        "participants: {units: [soctrang]}\ncriteria:\n  individual:\n" + criteria + "\n",
        encoding="utf-8",
    )
    report = await bot.services.importer.import_campaigns([long_file], publish=True)
    assert report.problems == [] and report.added == ["long-one"]
    messages = await chat.send("/criteria rat dai")
    assert len(messages) >= 3
    assert all(len(m.text) <= 4096 for m in messages)
    assert "Tiêu chí số 39 <đặc biệt> & dài" in messages[-1].text
    assert messages[-1].button_labels() == ["⏰ Thời hạn", "🏅 Khen thưởng"]


async def test_language_switch_to_english(start_bot: BotStarter, chat: Chat) -> None:
    await start_bot()
    (pick,) = await chat.send("/lang")
    (done,) = await chat.tap(pick, "English")
    assert done.text == "Switched to English."
    (listing,) = await chat.send("/campaigns")
    assert "Under way" in listing.text and "Ended" in listing.text
    (which,) = await chat.send("how many awards so xay dung")  # two Sở Xây dựng campaigns
    assert which.text == "Which campaign are you asking about?"
    (answer,) = await chat.tap(which, "Sở XD Cần Thơ – CCHC 2021-2025")
    assert "at most 10 per unit" in answer.text and "Source: Kế hoạch 127/KH-SXD" in answer.text


async def test_invitation_link_joins_the_unit(start_bot: BotStarter, chat: Chat) -> None:
    bot = await start_bot()
    unit = await bot.services.units.by_code("hcm-q11-nv")
    assert unit is not None
    code = (await bot.services.invites.create(unit.id, max_uses=1)).code
    invited = await chat.send(f"/start inv_{code}")
    assert "được mời tham gia <b>Phòng Nội vụ</b>" in invited[0].html
    await chat.send("Lê Văn Minh")
    done = await chat.send("Trưởng phòng")
    assert "Lê Văn Minh, Trưởng phòng — Phòng Nội vụ" in done[0].text
    other = Chat(chat.standin, User(555002, "Hoa"))
    used = await other.send(f"/start inv_{code}")
    assert "đã dùng hết số lượt" in used[0].text
    expired = await other.send("/start inv_nonexistent")
    assert "không đúng" in expired[0].text


async def test_start_offers_to_change_the_unit(start_bot: BotStarter, chat: Chat) -> None:
    await start_bot()
    await join_by_picking(chat, CCHC_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    (again,) = await chat.send("/start")
    assert "Chào anh/chị Nguyễn Thị Mai" in again.text
    assert "🔁 Đổi đơn vị công tác" in again.button_labels()
    (picker,) = await chat.tap(again, "🔁 Đổi đơn vị công tác")
    assert "Anh/chị công tác ở địa phương, cơ quan nào?" in picker.text
