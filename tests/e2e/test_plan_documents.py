"""A plan document sent by the desk — a Word file or a PDF — becomes a published campaign, on
Telegram and on Zalo (through the upload page): the draft shows each field with its sentence, two
fields are corrected by typing, the preview is the YAML route's, and once published a member's
question about a fact only in the plan's text is answered from it, with its source. The desk
needs at most ten messages from document to published."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import BotStarter, Chat, ZaloChat
from tests.e2e.test_zalo import free_port
from tests.heldout.documents import make_docx, make_pdf
from tests.heldout.plans import plan_text
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User
from tests.standins.zalo_api import ZaloStandIn, ZaloUser

DESK = 777001
MOST_MESSAGES = 10


async def send_file(
    chat: Chat, standin: TelegramStandIn, name: str, data: bytes
) -> list[SentMessage]:
    before = len(standin.messages_to(chat.user.id))
    update_id = standin.send_document(chat.user, name, data)
    await standin.wait_until(lambda: update_id in standin.handled)
    return standin.messages_to(chat.user.id)[before:]


@pytest.mark.parametrize(("name", "make"), [("KH 2242 chinh quyen so.docx", make_docx),
                                             ("KH 2242 chinh quyen so.pdf", make_pdf)])  # fmt: skip
async def test_a_plan_document_is_drafted_corrected_and_published_on_telegram(
    start_bot: BotStarter, standin: TelegramStandIn, name: str, make: Callable[[str], bytes]
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    desk = Chat(standin, User(DESK, "Thư"))
    sent = 0

    review = await send_file(desk, standin, name, make(plan_text("hcm-2242-cqs-2022")))
    sent += 1
    text = Chat.text(review)
    # Each field with the sentence it came from.
    assert "Số, ký hiệu</b>: 2242/KH-UBND" in review[0].html
    assert "«Số: 2242/KH-UBND»" in text
    assert "Thời gian thi đua, đến: 31/12/2025" in text
    assert "«Thời gian thi đua từ ngày ban hành kế hoạch đến ngày 31/12/2025" in text
    assert "Bot chưa tìm thấy trong văn bản" in text and "Kinh phí" in text
    campaigns_before = len(await bot.services.campaigns.all())

    fixed = Chat.text(await desk.send("6: Phong trào thi đua Chính quyền số, Chuyển đổi số TP.HCM"))
    sent += 1
    assert "Đã sửa Tên phong trào" in fixed
    marked = Chat.text(await desk.send("21: không nêu"))
    sent += 1
    assert "kế hoạch không nêu Kinh phí" in marked
    assert len(await bot.services.campaigns.all()) == campaigns_before  # nothing published yet

    (preview,) = await desk.tap(review[-1], "Xác nhận và xem trước")
    sent += 1
    assert "Xem trước phong trào mới" in preview.text
    assert "05/07/2022 – 31/12/2025" in preview.text
    assert any("Đăng và thông báo" in label for label in preview.button_labels())
    published = await desk.tap(preview, "Đăng và thông báo")
    sent += 1
    assert "Đã đăng" in Chat.text(published)
    assert sent <= MOST_MESSAGES
    campaign = await bot.services.campaigns.get("2242-kh-ubnd-2022")
    assert campaign is not None and campaign.status == "published"
    assert campaign.title == "Phong trào thi đua Chính quyền số, Chuyển đổi số TP.HCM"
    assert campaign.funding is None and campaign.plan_text and "593/KH-UBND" in campaign.plan_text

    member = Chat(standin, User(555077, "Hoa"))
    answer = Chat.text(await member.send("chỉ thị 02/CT-TTg của kế hoạch 2242 nói về gì"))
    assert "Chính phủ điện tử hướng tới Chính phủ số" in answer  # only in the plan's text
    assert "Nguồn" in answer and "2242/KH-UBND" in answer


@pytest.mark.parametrize(("name", "make"), [("ke-hoach-243.pdf", make_pdf),
                                             ("ke-hoach-243.docx", make_docx)])  # fmt: skip
async def test_a_plan_document_comes_through_the_upload_page_on_zalo(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn, name: str, make: Callable[[str], bytes]
) -> None:
    port = free_port()
    desk_account = "d35c000000000001"
    bot = await start_zalo_bot(
        ADMIN_IDS=f"zalo:{desk_account}",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    desk = ZaloChat(zalo, ZaloUser(desk_account, "Thư"))
    sent = 0
    how = desk.text(await desk.send("/plan"))
    sent += 1
    link = next(w for w in how.split() if w.startswith(f"http://127.0.0.1:{port}/upload/"))
    before = len(zalo.messages_to(desk.user))
    async with httpx.AsyncClient() as client:
        posted = await client.post(
            link,
            files={"file": (name, make(plan_text("kiengiang-243-cds-2022-2025")))},
        )  # fmt: skip
    sent += 1
    assert posted.status_code == 200
    await zalo.wait_until(lambda: len(zalo.messages_to(desk.user)) > before)
    review = desk.text(zalo.messages_to(desk.user)[before:])
    assert "Số, ký hiệu: 243/KH-UBND" in review
    assert "Chủ đề: Xây dựng Chính quyền số, kinh tế số và xã hội số" in review
    assert "Thời gian thi đua, từ: năm 2022" in review  # the plan's words: no day invented
    assert "<b>" not in review and len(max(m.text for m in zalo.messages_to(desk.user))) <= 2000

    assert "Đã sửa" in desk.text(await desk.send("7: 16/11/2022"))
    sent += 1
    assert "Đã sửa" in desk.text(await desk.send("21: Từ nguồn ngân sách tỉnh"))
    sent += 1
    preview = desk.text(await desk.pick("Xác nhận và xem trước"))
    sent += 1
    assert "Xem trước phong trào mới" in preview and "16/11/2022 – năm 2025" in preview
    assert "Đã đăng" in desk.text(await desk.pick("Đăng và thông báo"))
    sent += 1
    assert sent <= MOST_MESSAGES
    campaign = await bot.services.campaigns.get("243-kh-ubnd-2022")
    assert campaign is not None and campaign.status == "published"
    assert campaign.period.start_precision == "day" and campaign.period.end_precision == "year"

    member = ZaloChat(zalo, ZaloUser("0a0b0c0d0e0f1011", "Hoa"))
    answer = member.text(await member.send("nghi quyet 22-NQ/TU kien giang ban hanh ngay nao"))
    assert "08/6/2022" in answer and "243/KH-UBND" in answer and "Nguồn" in answer
