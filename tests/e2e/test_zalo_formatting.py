"""The Zalo Bot's messages since the 2026 formatting: bold titles sent with parse_mode "html"
(the stand-in takes only what Zalo documents) and the plain text when Zalo refuses it; words
that fit a numbered list; an invitation said as a code to send; files that cannot go out on the
Zalo Bot said in a clerk's words."""

from __future__ import annotations

from markupsafe import Markup

from bot.channels.zalo_text import messages, zalo_html
from bot.engine.events import Option, Reply
from tests.conftest import BotStarter, ZaloChat
from tests.e2e.test_zalo import UNIT, join_with_code
from tests.standins.zalo_api import ZaloStandIn, ZaloUser


async def test_titles_go_bold_and_plain_when_zalo_refuses_formatting(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    chat = ZaloChat(zalo, ZaloUser("f0a7000000000001", "Lan"))
    await join_with_code(chat, bot, UNIT, "Võ Thị Lan")
    (titles,) = await chat.send("/pledge")
    assert titles.parse_mode == "html" and "<b>Sóc Trăng – CCHC 2021-2030</b>" in titles.raw
    assert titles.text.startswith("Sóc Trăng – CCHC 2021-2030 — chọn danh hiệu")  # as shown
    assert "1. Bằng khen" in titles.text  # the options numbered, after the formatted text
    # An older Bot API server refuses parse_mode: the same words arrive plain.
    zalo.refuse_formatting = True
    await chat.send("/pledge")  # a draft in hand: asked whether to drop it (nothing bold)
    assert zalo.formatting_refused == 0
    (again,) = await chat.pick("Tiếp tục soạn")  # the title asked again, in bold
    assert again.parse_mode is None and again.raw == again.text == titles.text
    assert zalo.formatting_refused == 1


def test_text_that_holds_what_zalo_html_cannot_say_goes_plain() -> None:
    # "<", ">" and "&" in a person's words: Zalo does not say how html writes them, so plain.
    reply = Reply(Markup("<b>Đơn vị:</b> {}").format("Phòng A & B <1>"))
    assert zalo_html(str(reply.text)) is None
    assert messages(reply, []) == [("Đơn vị: Phòng A & B <1>", None)]
    # Only Zalo's own tags; quotes unescaped (no entity may reach Zalo).
    assert zalo_html('<b>"Dân vận khéo"</b> <code>x</code>') == '<b>"Dân vận khéo"</b> x'
    listed = Reply(Markup("<b>Chọn:</b>"), [[Option("Một", "a"), Option("Hai", "b")]])
    ((plain, formatted),) = messages(listed, [])
    assert formatted == "<b>Chọn:</b>\n  1. Một\n  2. Hai" and plain == "Chọn:\n  1. Một\n  2. Hai"
    long = Reply(Markup("<b>Tiêu đề</b>\n") + Markup("\n".join(["dòng " * 40] * 30)))
    chunks = messages(long, [])
    assert len(chunks) > 1 and all(len(p) <= 2000 and len(f or "") <= 2000 for p, f in chunks)
    assert all((f or "").count("<b>") == (f or "").count("</b>") for _, f in chunks)


async def test_an_invitation_says_to_send_the_code_and_files_say_where_to_get_them(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    desk_user = ZaloUser("de5c000000000003", "Văn phòng")
    await start_zalo_bot(ADMIN_IDS=f"zalo:{desk_user.id}")
    desk = ZaloChat(zalo, desk_user)
    await desk.send("/invite")
    await desk.pick("Tỉnh Sóc Trăng")
    await desk.pick("Mời vào Tỉnh Sóc Trăng")
    created = desk.text(await desk.pick("Mã mời mới, 7 ngày"))
    assert "Gửi mã này cho cán bộ của đơn vị: họ nhắn «THAM GIA " in created
    assert "mở liên kết" not in created
    await desk.send("/deadlines")
    told = desk.text(await desk.pick("Thêm các hạn vào lịch điện thoại"))  # an .ics file
    assert ".ics: tệp này không gửi được qua Zalo Bot" in told
    assert "người quản trị hệ thống" in told
    assert "PUBLIC_BASE_URL" not in told and "Telegram" not in told
