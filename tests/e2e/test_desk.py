"""The secretariat's desk by chat, from an empty database: load units, invite two units, people
join and register, publish a campaign (after fixing its file), review, chart, Excel — while a
staff member who tries any of it is refused."""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.domain.records import Conversation
from bot.settings import PROJECT_ROOT
from handlers import DESK as DESK_MODULES
from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import last
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User

DESK = 910001
ENV = {"ADMIN_IDS": str(DESK), "DEMO_DATA": "false"}
CAMPAIGN = """\
id: snv-cchc-2026
title: Phong trào thi đua cải cách hành chính năm 2026 của Sở Nội vụ
short_title: Sở Nội vụ – CCHC 2026
issuer: Sở Nội vụ tỉnh Sóc Trăng
plan: {number: 15/KH-SNV, date: 05/01/2026}
period:
  start: 05/01/2026
  end: 31/12/2026
participants: {units: [soctrang-snv]}
criteria:
  individual: [Hoàn thành xuất sắc nhiệm vụ năm 2026, Có sáng kiến được công nhận]
  collective: [100% hồ sơ đúng hạn]
awards:
  - form: Giấy khen
    granted_by: Giám đốc Sở Nội vụ
    recipients: individual
    quota: 5
    occasions: [yearly]
deadlines:
  - {key: dossier, kind: dossier, label: Gửi hồ sơ đề nghị khen thưởng, date: 15/12/2026}
"""


async def upload(chat: Chat, standin: TelegramStandIn, name: str, text: str) -> list[SentMessage]:
    before = len(standin.messages_to(chat.user.id))
    update_id = standin.send_document(chat.user, name, text.encode())
    await standin.wait_until(lambda: update_id in standin.handled)
    return standin.messages_to(chat.user.id)[before:]


async def test_the_secretariat_runs_a_campaign_by_chat(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(**ENV)
    desk = Chat(standin, User(DESK, "Thư"))
    assert [c["command"] for c in standin.commands[f"chat:{DESK}"][:3]] == [
        "admin",
        "review",
        "nominations",
    ]
    (empty,) = await desk.send("/invite")
    assert "Chưa có danh sách đơn vị" in empty.text
    organisation = (PROJECT_ROOT / "organisation" / "demo.yaml").read_text(encoding="utf-8")
    (loaded,) = await upload(desk, standin, "to-chuc.yaml", organisation)
    assert loaded.text == (
        "Đã nạp danh sách đơn vị: thêm 38, cập nhật 0; danh sách cán bộ: 36 người."
    )

    # Invite two units; people join by the links.
    links = {}
    for path in (
        ["Tỉnh Sóc Trăng", "Sở Nội vụ tỉnh Sóc Trăng", "Phòng Cải cách hành chính"],
        ["Tỉnh Sóc Trăng", "Sở Nội vụ tỉnh Sóc Trăng", "Văn phòng Sở"],
    ):
        (current,) = await desk.send("/invite")
        for label in path:
            (current,) = await desk.tap(current, label)
        assert "Chưa có mã mời nào" in current.text
        (created,) = await desk.tap(current, "Mã mời mới, 30 ngày")
        assert "https://t.me/ThiDuaTestBot?start=inv_" in created.text
        links[path[-1]] = created.text.split("start=")[1].split()[0]
    people = {}
    for n, (unit, name) in enumerate(
        [
            ("Phòng Cải cách hành chính", "Lê Thị Hoa"),
            ("Phòng Cải cách hành chính", "Tạ Văn Long"),
            ("Văn phòng Sở", "Đinh Thu Trang"),
        ]
    ):
        person = Chat(standin, User(920000 + n))
        await person.send(f"/start {links[unit]}")
        await person.send(name)
        done = await person.send("Chuyên viên")
        assert f"{name}, Chuyên viên — {unit}" in done[0].text
        people[name] = person

    # A campaign file with mistakes is refused with lines; the fixed one is published.
    broken = CAMPAIGN.replace("end: 31/12/2026", "end: 31/13/2026") + "mau_sac: xanh\n"
    (refused,) = await upload(desk, standin, "snv-2026.yaml", broken)
    assert "Tệp snv-2026.yaml chưa hợp lệ (2 lỗi)" in refused.text
    assert "• dòng 8 — period.end: không phải ngày dạng dd/mm/yyyy: 31/13/2026" in refused.text
    assert "• dòng 21 — mau_sac: trường không có trong mẫu tệp" in refused.text
    assert await bot.services.campaigns.get("snv-cchc-2026") is None
    (preview,) = await upload(desk, standin, "snv-2026.yaml", CAMPAIGN)
    assert "Xem trước phong trào mới" in preview.text and "Sẽ thông báo tới 3 người" in preview.text
    hoa, trang = people["Lê Thị Hoa"], people["Đinh Thu Trang"]
    standin.blocked.add(trang.user.id)  # she blocked the bot meanwhile
    before = len(standin.messages_to(hoa.user.id))
    (published,) = await desk.tap(preview, "Đăng và thông báo")
    assert "Đã đăng Sở Nội vụ – CCHC 2026; 3 thông báo" in published.text
    (announcement,) = await standin.replies(hoa.user.id, before)

    async def trang_unreachable() -> bool:
        rows = await bot.services.db.fetch_all(
            "SELECT unreachable FROM people WHERE external_id = ?", (str(trang.user.id),)
        )
        return bool(next(iter(rows))[0])

    for _ in range(100):  # the sender works through the outbox in the background
        if await trang_unreachable():
            break
        await asyncio.sleep(0.05)
    assert await trang_unreachable()
    standin.blocked.clear()
    await trang.send("/help")  # writing again makes her reachable again
    assert not await trang_unreachable()

    # Straight from the announcement to a pledge.
    (checklist,) = await hoa.tap(announcement, "Đăng ký thi đua")
    assert "Chọn danh hiệu" not in checklist.text  # one award form only... the titles step
    (boxes,) = await hoa.tap(checklist, "Giấy khen")
    await hoa.tap(boxes, "☐ 1")
    (review,) = await hoa.tap(boxes, "Tiếp tục")
    (ack,) = await hoa.tap(review, "Gửi đăng ký")
    assert "mã TD-2026-0001" in ack.text

    # Figures: text and a chart picture; then the workbook.
    before_docs = len(standin.documents)
    (figures,) = await desk.send("/stats so noi vu")
    # The three who joined and the units' staff lists (11 people not on the bot yet).
    assert "Đã đăng ký cá nhân 1/14 người." in figures.text
    assert "• Sơn Thị Mỹ Linh — Ban Thi đua – Khen thưởng (chưa tham gia bot)" in figures.text
    assert "• Phòng Cải cách hành chính: 1/6 cá nhân; tập thể: chưa" in figures.text
    assert "• Tạ Văn Long — Phòng Cải cách hành chính" in figures.text
    # The chart is drawn after the answer, off the update's path, and arrives as a notice.
    await standin.wait_until(lambda: len(standin.documents) > before_docs)
    chat_id, name, png = standin.documents[before_docs]
    assert (chat_id, name) == (DESK, "thong-ke-snv-cchc-2026.png") and png.startswith(b"\x89PNG")
    (exporting,) = await desk.send("/export so noi vu")
    assert "Đang lập tệp Excel của Sở Nội vụ – CCHC 2026" in exporting.text
    await standin.wait_until(lambda: len(standin.documents) > before_docs + 1)
    exported = next(m for m in standin.messages_to(DESK) if "đăng ký cá nhân," in m.text)
    assert (
        "1 đăng ký cá nhân, 0 đăng ký tập thể, 0 sáng kiến, 13 người chưa đăng ký" in exported.text
    )
    chat_id, name, content = standin.documents[-1]
    assert chat_id == DESK and name.startswith("thi-dua-snv-cchc-2026-nam-2026-")
    assert name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Đăng ký cá nhân",
        "Đăng ký tập thể",
        "Sáng kiến",
        "Chưa đăng ký",
        "Nhật ký thay đổi",
    ]
    sheet = workbook["Đăng ký cá nhân"]
    assert [c.value for c in sheet[1]][:6] == [
        "Mã",
        "Năm thi đua",
        "Họ và tên",
        "Chức vụ",
        "Đơn vị",
        "Danh hiệu / hình thức khen thưởng",
    ]
    row = [c.value for c in sheet[2]]
    assert row[:6] == [
        "TD-2026-0001",
        2026,
        "Lê Thị Hoa",
        "Chuyên viên",
        "Phòng Cải cách hành chính",
        "Giấy khen (Giám đốc Sở Nội vụ)",
    ]
    assert (
        row[6] == "Hoàn thành xuất sắc nhiệm vụ năm 2026"
        and row[8] == "Đã gửi, chờ trưởng đơn vị xác nhận"
    )
    assert isinstance(row[11], datetime) and row[11].date() == date(2026, 11, 22)
    assert sheet["L2"].number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:L2"
    assert sheet.max_row == 2
    missing = workbook["Chưa đăng ký"]
    rows = list(missing.iter_rows(min_row=2, values_only=True))
    assert sorted(str(r[0]) for r in rows if r[3] == "có") == ["Tạ Văn Long", "Đinh Thu Trang"]
    listed = [r for r in rows if r[3] == "chưa (có trong danh sách cán bộ)"]
    assert len(listed) == 11 and ("Sơn Thị Mỹ Linh", "Trưởng ban", "Ban Thi đua – Khen thưởng",
                                  "chưa (có trong danh sách cán bộ)") in listed  # fmt: skip
    assert workbook["Đăng ký tập thể"].max_row == 1  # headers only
    audit = [r for r in workbook["Nhật ký thay đổi"].iter_rows(min_row=2, values_only=True)]
    # In words a clerk reads, not codes and JSON.
    assert [r[1:6] for r in audit] == [
        ("Lê Thị Hoa", "Telegram", "Đăng ký thi đua", "TD-2026-0001", "Tạo mới")
    ]
    assert "Phong trào: Sở Nội vụ – CCHC 2026; Năm thi đua: 2026; Loại: cá nhân" in str(audit[0][7])

    # The one who has not registered gets a reminder.
    long_ = people["Tạ Văn Long"]
    (ask,) = await desk.send("/remind")
    (count,) = await desk.tap(ask, "Sở Nội vụ – CCHC 2026")
    # The same 13 as the workbook, split into who a reminder reaches and who is not on the bot.
    assert "13 người chưa đăng ký" in count.text and "nhắc được 2 người" in count.text
    assert "11 người có tên trong danh sách cán bộ nhưng chưa tham gia bot" in count.text
    before = len(standin.messages_to(long_.user.id))
    (sent,) = await desk.tap(count, "Gửi")
    assert sent.text == "Đã xếp 2 tin nhắc vào hàng gửi."
    (reminder,) = await standin.replies(long_.user.id, before)
    # The same window the answers and the receipt give, said as the secretariat's default.
    assert "Đăng ký mở đến hết ngày 31/12/2026 (mặc định của Văn phòng" in reminder.text


async def test_a_self_chosen_unit_is_confirmed_by_its_head(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    head = Chat(standin, User(930001))
    unit = await bot.services.units.by_code("angiang-stp-vp")
    assert unit is not None
    code = (await bot.services.invites.create(unit.id, role="unit_head")).code
    await head.send(f"/start inv_{code}")
    await head.send("Châu Văn Đức")
    await head.send("Chánh Văn phòng")
    newcomer = Chat(standin, User(930002))
    before = len(standin.messages_to(head.user.id))
    messages = await newcomer.send("/start")
    for label in ("Tỉnh An Giang", "Sở Tư pháp tỉnh An Giang", "Văn phòng Sở"):
        messages = await newcomer.tap(last(messages), label)
    await newcomer.send("Kha Thị Ngọc")
    joined = await newcomer.send("Văn thư")
    assert "sẽ được trưởng đơn vị hoặc Văn phòng Sở xác nhận" in joined[1].text
    (request,) = await standin.replies(head.user.id, before)
    assert (
        request.text
        == "👤 Người mới tự chọn đơn vị, cần xác nhận: Kha Thị Ngọc — Văn thư — Văn phòng Sở."
    )
    before = len(standin.messages_to(newcomer.user.id))
    (done,) = await head.tap(request, "Đúng người của đơn vị")
    assert done.text == "Đã xác nhận Kha Thị Ngọc thuộc Văn phòng Sở."
    (told,) = await standin.replies(newcomer.user.id, before)
    assert told.text == "✔ Đơn vị đã xác nhận anh/chị thuộc Văn phòng Sở."
    (again,) = await head.tap(request, "Không thuộc đơn vị")
    assert "đã được người khác quyết định" in again.text


def desk_handlers() -> tuple[list[str], list[str], list[str]]:
    """Every command, option prefix and step (typed or taking a file) the desk registers."""
    commands: list[str] = []
    options: list[str] = []
    steps: list[str] = []
    for module in DESK_MODULES:
        commands += module.router.commands
        options += module.router.options
        steps += [*module.router.steps, *module.router.file_steps]
    return commands, options, steps


async def test_staff_are_refused_every_desk_action(start_bot: BotStarter, chat: Chat) -> None:
    """Enumerated from the routers, so a desk command added later is checked too."""
    bot = await start_bot()
    commands, options, steps = desk_handlers()
    assert {"review", "export", "outbox"} <= set(commands) and "rv" in options
    (first,) = await chat.send("/help")
    person = await bot.services.persons.find("telegram", str(chat.user.id))
    assert person is not None
    attempts = 0
    for command in commands:
        (answer,) = await chat.send(f"/{command}")
        assert answer.text.startswith("Chức năng này chỉ dành cho Văn phòng Sở"), command
        attempts += 1
    for prefix in options:
        (answer,) = await chat.tap_data(first, f"{prefix}:1:x")
        assert answer.text.startswith("Chức năng này chỉ dành cho Văn phòng Sở"), prefix
        attempts += 1
    file_steps = {s for m in DESK_MODULES for s in m.router.file_steps}
    assert "council.history" in file_steps and "council.decision" in steps
    for step in steps:
        # As if a desk step had been left in this person's conversation.
        await bot.services.conversations.save(
            Conversation(person.id, step.split(".")[0], step, {"kind": "i", "id": 1})
        )
        if step in file_steps:
            answer = (await upload(chat, chat.standin, "ds.xlsx", "x"))[0]
        else:
            answer = (await chat.send("Đồng ý"))[0]
        assert answer.text.startswith("Chức năng này chỉ dành cho Văn phòng Sở"), step
        attempts += 1
    denied = await bot.services.db.fetch_all(
        "SELECT entity_id FROM audit_log WHERE action = 'denied'"
    )
    assert len(denied) == attempts


async def test_a_staff_member_sending_a_campaign_file_is_refused(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn, tmp_path: Path
) -> None:
    bot = await start_bot()
    (refused,) = await upload(chat, standin, "snv.yaml", CAMPAIGN)
    assert refused.text.startswith("Chức năng này chỉ dành cho Văn phòng Sở")
    assert await bot.services.campaigns.get("snv-cchc-2026") is None
