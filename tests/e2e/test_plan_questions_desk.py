"""What the plans do not answer reaches the secretariat (/questions), and a plan's own text sent
in chat makes its passages answerable, quoted with the part they come from."""

from __future__ import annotations

from tests.conftest import BotStarter, Chat
from tests.e2e.test_desk import upload
from tests.standins.telegram_api import TelegramStandIn, User

DESK = 910002
PLAN_TEXT = """\
KẾ HOẠCH

I. Mục đích, yêu cầu

1. Mục đích

Động viên công chức sáng tạo trong cải cách hành chính.

IV. Kinh phí

2. Kinh phí: Trích từ quỹ thi đua, khen thưởng của tỉnh theo Nghị định số 152/2025/NĐ-CP.
"""


async def test_unanswered_questions_reach_the_desk_and_a_plan_text_answers_them(
    start_bot: BotStarter, standin: TelegramStandIn, chat: Chat
) -> None:
    await start_bot(ADMIN_IDS=str(DESK))
    desk = Chat(standin, User(DESK, "Thư"))

    # Sóc Trăng's file says nothing of funding: said so, with who to ask, and kept.
    (answer,) = await chat.send("kinh phí khen thưởng Sóc Trăng lấy từ đâu")
    assert "Kế hoạch 52/KH-UBND không nêu nguồn kinh phí khen thưởng" in answer.text
    assert "UBND tỉnh Sóc Trăng" in answer.text
    (unclear,) = await chat.send("xe buýt số 5 chạy mấy giờ")
    assert "chưa hiểu" in unclear.text

    # A staff member cannot see them; the desk can, and marks them seen.
    (refused,) = await chat.send("/questions")
    assert "kinh phí" not in refused.text
    (listing,) = await desk.send("/questions")
    assert "2 câu hỏi bot chưa trả lời được" in listing.text
    assert "Sóc Trăng – CCHC 2021-2030 · nguồn kinh phí khen thưởng" in listing.text
    assert "xe buýt số 5" in listing.text and "không rõ phong trào" in listing.text
    (marked,) = await desk.tap(listing, "✔ Đánh dấu đã xem")
    assert marked.text == "Đã đánh dấu 2 câu hỏi là đã xem."
    (empty,) = await desk.send("/questions")
    assert empty.text == "Chưa có câu hỏi nào bot không trả lời được."

    # The plan's text, named after the campaign, attached by chat; under another name it is
    # drafted as a new plan, and the reply says how to attach it instead.
    misnamed = await upload(desk, standin, "ke-hoach.txt", PLAN_TEXT)
    assert "Bản nháp phong trào" in Chat.text(misnamed)
    assert "soctrang-cchc-2021-2030.txt" in Chat.text(misnamed)
    (attached,) = await upload(desk, standin, "soctrang-cchc-2021-2030.txt", PLAN_TEXT)
    assert "Đã gắn văn bản kế hoạch vào phong trào Sóc Trăng – CCHC 2021-2030" in attached.text
    (quoted,) = await chat.send("kinh phí khen thưởng Sóc Trăng lấy từ đâu")
    assert "Trích từ quỹ thi đua, khen thưởng của tỉnh" in quoted.text
    assert "Nguồn: Mục IV.2, Kế hoạch 52/KH-UBND" in quoted.text
