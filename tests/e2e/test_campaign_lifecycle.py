"""A campaign file's life by chat, safely: a file that would reach no one is refused with its
line; an update previews what changes and who is told, then tells them; a campaign published
by mistake is unpublished, and one ended before its time is closed early, the people who
registered told each time."""

from __future__ import annotations

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_invite
from tests.e2e.test_desk import CAMPAIGN, upload
from tests.standins.telegram_api import TelegramStandIn, User

DESK = 910021


async def test_update_unpublish_and_close_early_tell_who_registered(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    desk = Chat(standin, User(DESK, "Thư"))

    typo = CAMPAIGN.replace("units: [soctrang-snv]", "units: [soctrang-snv, soctrang-snv-cchcc]")
    (refused,) = await upload(desk, standin, "snv-2026.yaml", typo)
    assert "Tệp snv-2026.yaml chưa hợp lệ (1 lỗi)" in refused.text
    assert "dòng 9 — participants.units.1: không có đơn vị mã «soctrang-snv-cchcc»" in (
        refused.text
    )
    assert await bot.services.campaigns.get("snv-cchc-2026") is None

    (preview,) = await upload(desk, standin, "snv-2026.yaml", CAMPAIGN)
    await desk.tap(preview, "Đăng và thông báo")
    hoa = Chat(standin, User(740001, "Hoa"))
    await join_by_invite(hoa, bot, "soctrang-snv-cchc", "Lê Thị Hoa", "Chuyên viên")
    (campaigns,) = (await hoa.send("/pledge"))[-1:]
    (titles,) = (await hoa.tap(campaigns, "Sở Nội vụ – CCHC 2026"))[-1:]
    (checklist,) = await hoa.tap(titles, "Giấy khen (Giám đốc Sở Nội vụ)")
    await hoa.tap(checklist, "☐ 1")
    (review,) = await hoa.tap(checklist, "Tiếp tục")
    await hoa.tap(review, "Gửi đăng ký")

    # The quota cut and the dossier moved: the preview says so and who will be told.
    changed = CAMPAIGN.replace("quota: 5", "quota: 3")
    changed = changed.replace("date: 15/12/2026", "date: 20/12/2026")
    (preview,) = await upload(desk, standin, "snv-2026.yaml", changed)
    assert "Xem trước bản cập nhật" in preview.text
    assert "• Giấy khen (Giám đốc Sở Nội vụ) cá nhân: chỉ tiêu 5 → 3" in preview.text
    assert "• Gửi hồ sơ đề nghị khen thưởng: 15/12/2026 → 20/12/2026" in preview.text
    assert "Sẽ báo các thay đổi này tới 1 người đã đăng ký" in preview.text
    before = len(standin.messages_to(hoa.user.id))
    (updated,) = await desk.tap(preview, "Đăng và thông báo")
    assert "đã báo thay đổi tới 1 người đã đăng ký" in updated.text
    (told,) = await standin.replies(hoa.user.id, before)
    assert "Sở Nội vụ – CCHC 2026 có thay đổi" in told.text and "chỉ tiêu 5 → 3" in told.text

    # Published by mistake: back to a draft, Hoa told, her pledge kept.
    (pick,) = await desk.send("/announce")
    (confirm,) = await desk.tap(pick, "Sở Nội vụ – CCHC 2026")
    (asked,) = await desk.tap(confirm, "⏸ Gỡ đăng (về bản nháp)")
    assert "1 người đã đăng ký sẽ được báo" in asked.text
    before = len(standin.messages_to(hoa.user.id))
    (done,) = await desk.tap(asked, "✔ Xác nhận")
    assert "Đã gỡ đăng Sở Nội vụ – CCHC 2026; đã báo 1 người" in done.text
    (told,) = await standin.replies(hoa.user.id, before)
    assert "tạm gỡ để điều chỉnh" in told.text
    campaign = await bot.services.campaigns.get("snv-cchc-2026")
    assert campaign is not None and campaign.status == "draft"
    assert await bot.services.records.pledges.by_ref("TD-2026-0001") is not None
    (stale,) = await desk.tap(asked, "✔ Xác nhận")  # the same tap again does nothing twice
    assert "không còn dùng được" in stale.text

    # Announced again, then closed early.
    (pick,) = await desk.send("/announce")
    (confirm,) = await desk.tap(pick, "Sở Nội vụ – CCHC 2026")
    before = len(standin.messages_to(hoa.user.id))
    (republished,) = await desk.tap(confirm, "Gửi")
    assert "Đã đăng Sở Nội vụ – CCHC 2026" in republished.text
    (announced,) = await standin.replies(hoa.user.id, before)
    assert "Phong trào thi đua mới" in announced.text
    (pick,) = await desk.send("/announce")
    (confirm,) = await desk.tap(pick, "Sở Nội vụ – CCHC 2026")
    (asked,) = await desk.tap(confirm, "⏹ Kết thúc sớm")
    before = len(standin.messages_to(hoa.user.id))
    (done,) = await desk.tap(asked, "✔ Xác nhận")
    assert "Đã kết thúc sớm Sở Nội vụ – CCHC 2026" in done.text
    closed_told = await standin.replies(hoa.user.id, before)
    assert any("đã kết thúc từ ngày 22/11/2026" in m.text for m in closed_told)
    campaign = await bot.services.campaigns.get("snv-cchc-2026")
    assert campaign is not None and campaign.status == "closed"
    (none,) = (await hoa.send("/pledge"))[-1:]
    assert "Sở Nội vụ – CCHC 2026" not in " ".join(none.button_labels())
