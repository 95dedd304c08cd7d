"""A reference typed into the chat opens the record for its author, its unit's head and the
secretariat, and for no one else; the secretariat finds a person's records by their name."""

from __future__ import annotations

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_invite
from tests.e2e.test_pledges import register
from tests.standins.telegram_api import TelegramStandIn, User

DESK = 910005


async def test_references_and_names_open_records_for_those_entitled(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    author = Chat(standin, User(720001, "Mai"))
    head = Chat(standin, User(720002, "Hùng"))
    stranger = Chat(standin, User(720003, "Tú"))
    desk = Chat(standin, User(DESK, "Thư"))
    await join_by_invite(head, bot, "soctrang-snv-cchc", "Phạm Quốc Hùng", "Trưởng phòng", True)
    await join_by_invite(author, bot, "soctrang-snv-cchc", "Nguyễn Thị Mai", "Chuyên viên")
    await join_by_invite(stranger, bot, "soctrang-snv-vp", "Đỗ Văn Tú", "Chuyên viên")
    assert "mã TD-2026-0001" in await register(author, "Bằng khen (UBND tỉnh)", [], "Số hoá")

    (own,) = await author.send("TD-2026-0001")
    assert "Đăng ký thi đua TD-2026-0001" in own.text and "✏️ Sửa" in own.button_labels()
    (as_head,) = await head.send("td 2026 1")  # typed loosely
    assert "Đăng ký thi đua TD-2026-0001" in as_head.text
    assert "✔ Xác nhận" in as_head.button_labels()
    (refused,) = await stranger.send("TD-2026-0001")
    assert refused.text == "Không tìm thấy TD-2026-0001, hoặc anh/chị không có quyền xem hồ sơ này."
    (missing,) = await author.send("SK-2026-0099")
    assert "Không tìm thấy SK-2026-0099" in missing.text
    (at_desk,) = await desk.send("TD-2026-0001")
    assert "✅ Tiếp nhận" in at_desk.button_labels()

    # The secretariat types a name, with or without its marks.
    (person,) = await desk.send("nguyen thi mai")
    assert "Nguyễn Thị Mai — Chuyên viên, Phòng Cải cách hành chính" in person.text
    (opened,) = await desk.tap(person, "📝 TD-2026-0001 · Bằng khen (UBND tỉnh)")
    assert "Đăng ký thi đua TD-2026-0001" in opened.text
    (not_for_staff,) = await stranger.send("nguyen thi mai")
    assert "Nguyễn Thị Mai" not in not_for_staff.text


async def test_a_pledge_keeps_the_name_and_unit_it_was_filed_under(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    author = Chat(standin, User(720011, "Mai"))
    await join_by_invite(author, bot, "soctrang-snv-cchc", "Nguyễn Thị Mai", "Chuyên viên")
    await register(author, "Bằng khen (UBND tỉnh)", [], own="Số hoá hồ sơ")
    # She marries and moves to another office: the 2026 pledge stays as it was filed.
    services = bot.services
    person = await services.people.identify("telegram", str(author.user.id))
    office = await services.units.by_code("soctrang-snv-vp")
    assert office is not None
    await services.people.join(person, office, "Nguyễn Thị Mai Anh", "Phó Chánh Văn phòng")
    desk = Chat(standin, User(DESK, "Thư"))
    (opened,) = await desk.send("TD-2026-0001")
    assert "Nguyễn Thị Mai" in opened.text and "Mai Anh" not in opened.text
    rows = await services.reports.queries.pledges("soctrang-cchc-2021-2030", 2026)
    assert (rows[0]["full_name"], rows[0]["position"], rows[0]["unit_name"]) == (
        "Nguyễn Thị Mai",
        "Chuyên viên",
        "Phòng Cải cách hành chính",
    )
