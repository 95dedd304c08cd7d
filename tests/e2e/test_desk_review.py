"""The secretariat reviews: an initiative sent back for changes, edited, resubmitted and
recognised, the author told each time; two members deciding at once; quotas; staff refused."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_picking, last
from tests.e2e.test_initiatives import PDF, UNIT, fill_until_files, send_file
from tests.standins.telegram_api import TelegramStandIn, User

DESK_A, DESK_B = 900001, 900002
ADMINS = {"ADMIN_IDS": f"{DESK_A},{DESK_B}"}


async def test_initiative_returned_edited_and_recognised(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot(**ADMINS)
    desk, other_desk = Chat(standin, User(DESK_A, "Thư")), Chat(standin, User(DESK_B, "Vy"))
    await join_by_picking(chat, UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    await fill_until_files(chat, standin)
    saved = await send_file(chat, standin, "de-an.pdf", PDF)
    (review,) = await chat.tap(saved, "Xong")
    await chat.tap(review, "Gửi sáng kiến")

    (waiting,) = await desk.send("/review")
    assert "1 sáng kiến, 0 đăng ký thi đua" in waiting.text
    (detail,) = await desk.tap(waiting, "SK-2026-0001")
    assert "Trần Văn Bình — Phòng Kiểm soát TTHC — 30%" in detail.text
    assert detail.button_labels()[:4] == [
        "🔎 Đang xem xét",
        "✅ Công nhận",
        "✏️ Cần bổ sung",
        "✖ Không công nhận",
    ]
    (*_, sent_file) = await desk.tap(detail, "Tải tệp")
    assert standin.documents[-1] == (DESK_A, "de-an.pdf", PDF)
    # No dead end: the decisions come back under the file just received.
    assert "✏️ Cần bổ sung" in sent_file.button_labels()
    assert not any("Tải tệp" in label for label in sent_file.button_labels())
    (ask,) = await desk.tap(sent_file, "Cần bổ sung")
    assert "Ghi ý kiến cho SK-2026-0001" in ask.text
    before = len(standin.messages_to(chat.user.id))
    (done,) = await desk.send("Bổ sung số liệu <trước/sau> khi áp dụng")
    assert "Đã cập nhật SK-2026-0001: Cần bổ sung, chỉnh sửa" in done.text
    (told,) = await standin.replies(chat.user.id, before)
    assert "SK-2026-0001 của anh/chị: Cần bổ sung, chỉnh sửa." in told.text
    assert "Ý kiến: Bổ sung số liệu <trước/sau> khi áp dụng" in told.text

    (mine,) = await chat.tap(told, "Hồ sơ của tôi")
    (item,) = await chat.tap(mine, "SK-2026-0001")
    (review,) = await chat.tap(item, "Sửa")
    await chat.tap(review, "Lợi ích")
    (review,) = await chat.send("Hồ sơ trễ hạn giảm từ 120 xuống 24 hồ sơ mỗi quý (80%)")
    (resent,) = await chat.tap(review, "Gửi sáng kiến")
    assert resent.text == "✅ Đã gửi lại sáng kiến SK-2026-0001 để xem xét."

    # Both secretariat members open it; the first decides, the second is told it is decided.
    (waiting,) = await desk.send("/review")
    (detail_a,) = await desk.tap(waiting, "SK-2026-0001")
    (waiting_b,) = await other_desk.send("/review")
    (detail_b,) = await other_desk.tap(waiting_b, "SK-2026-0001")
    assert "từ 120 xuống 24 hồ sơ" in detail_b.text
    before = len(standin.messages_to(chat.user.id))
    (recognised,) = await desk.tap(detail_a, "Công nhận")
    assert "Đã cập nhật SK-2026-0001: Được công nhận" in recognised.text
    (late,) = await other_desk.tap(detail_b, "Không công nhận")
    assert (
        late.text
        == "SK-2026-0001 đã được quyết định trước đó: Được công nhận. Không thay đổi gì thêm."
    )
    (told,) = await standin.replies(chat.user.id, before)
    assert told.text == "🔔 SK-2026-0001 của anh/chị: Được công nhận."
    (mine,) = await chat.send("/my")
    assert (
        "SK-2026-0001 — Phần mềm nhắc hạn <hồ sơ> một cửa & liên thông — Được công nhận"
        in mine.text
    )
    audit = await bot.services.db.fetch_all(
        "SELECT action FROM audit_log WHERE entity = 'initiative' ORDER BY id"
    )
    assert [r[0] for r in audit] == ["create", "needs_changes", "edit", "recognised"]
    # The year's award list cites it beside the proposals.
    initiative = await bot.services.records.initiatives.by_ref("SK-2026-0001")
    assert initiative is not None
    campaign = await bot.services.catalog.get(initiative.campaign_id)
    assert campaign is not None
    (pick,) = await desk.send("/nominations")
    (listing,) = await desk.tap(pick, campaign.short_title)
    assert "Sáng kiến được công nhận năm này (1)" in listing.text
    assert "SK-2026-0001 — Phần mềm nhắc hạn <hồ sơ> một cửa & liên thông" in listing.text


QUOTA_CAMPAIGN = """\
id: quota-test
title: Phong trào thử chỉ tiêu khen thưởng
short_title: Thử chỉ tiêu
issuer: UBND tỉnh Sóc Trăng
plan: {number: 9/KH-UBND}
period: {start: 01/01/2026, end: 31/12/2026}
participants: {units: [soctrang-snv]}
criteria:
  individual: [Hoàn thành xuất sắc nhiệm vụ]
awards:
  - {form: Bằng khen, granted_by: UBND tỉnh, recipients: individual, quota: 1, occasions: [yearly]}
"""


async def test_an_award_over_its_quota_is_refused_with_the_numbers(
    start_bot: BotStarter, standin: TelegramStandIn, tmp_path: Path
) -> None:
    bot = await start_bot(**ADMINS)
    campaign_file = tmp_path / "quota.yaml"
    campaign_file.write_text(QUOTA_CAMPAIGN, encoding="utf-8")
    report = await bot.services.importer.import_campaigns([campaign_file], publish=True)
    assert report.added == ["quota-test"]
    desk = Chat(standin, User(DESK_A, "Thư"))
    for n, name in enumerate(["Lâm Văn An", "Trịnh Thị Bé"]):
        member = Chat(standin, User(610000 + n))
        await join_by_picking(
            member, ["Tỉnh Sóc Trăng", "Sở Nội vụ", "Văn phòng Sở"], name, "Chuyên viên"
        )
        (pick,) = await member.send("/pledge")
        titles = last(await member.tap(pick, "Thử chỉ tiêu"))
        (checklist,) = await member.tap(titles, "Bằng khen")
        await member.tap(checklist, "☐ 1")
        (review,) = await member.tap(checklist, "Tiếp tục")
        await member.tap(review, "Gửi đăng ký")
    outcomes = []
    for ref in ("TD-2026-0001", "TD-2026-0002"):
        (waiting,) = await desk.send("/review")
        (detail,) = await desk.tap(waiting, ref)
        # Accepting shows the pledge again with what comes next: the award forms.
        accepted, detail = await desk.tap(detail, "Tiếp nhận")
        assert f"Đã cập nhật {ref}: Văn phòng Sở đã tiếp nhận" in accepted.text
        (outcome,) = await desk.tap(detail, "Đề nghị Bằng khen (UBND tỉnh)")
        outcomes.append(outcome.text)
    # And later from /review, by tapping: the accepted pledges, one of them, its proposal.
    (waiting,) = await desk.send("/review")
    (accepted_list,) = await desk.tap(waiting, "🏅 2 đăng ký đã tiếp nhận — đề nghị khen thưởng")
    assert "TD-2026-0001 · Lâm Văn An, Văn phòng Sở · Thử chỉ tiêu, năm 2026" in (
        accepted_list.text
    )
    assert "— Văn phòng Sở đã tiếp nhận — chờ hôm nay" in accepted_list.text
    (detail,) = await desk.tap(accepted_list, "🏅 TD-2026-0001 · Lâm Văn An")
    assert "Đã đề nghị Bằng khen (UBND tỉnh)" in " ".join(detail.button_labels())
    assert outcomes == [
        "Đã đề nghị TD-2026-0001 cho Bằng khen (UBND tỉnh): 1/1 cá nhân, kỳ 2026.",
        "Không thể đề nghị TD-2026-0002: Bằng khen (UBND tỉnh) cho cá nhân kỳ 2026 "
        "đã đủ chỉ tiêu 1/1.",
    ]


async def test_staff_are_refused_and_the_attempt_is_logged(
    start_bot: BotStarter, chat: Chat
) -> None:
    bot = await start_bot(**ADMINS)
    (refused,) = await chat.send("/review")
    assert "chỉ dành cho Văn phòng Sở" in refused.text
    for forged in ("rv:l", "rv:s:i:1:recognised", "ap:1:0"):
        (refused,) = await chat.tap_data(refused, forged)
        assert "chỉ dành cho Văn phòng Sở" in refused.text
    denied = await bot.services.db.fetch_all(
        "SELECT entity_id FROM audit_log WHERE action = 'denied' ORDER BY id"
    )
    assert [r[0] for r in denied] == ["review", "rv", "rv", "ap"]
