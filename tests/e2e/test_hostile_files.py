"""Files built to inflate in memory (issue 18): a staff list of 300 KB holding a 300 MB cell, a
1 MB .docx that unpacks to 1 GB, a sheet of 200,000 rows. Each is refused within a second,
naming the limit it passed, while someone else is answered; the bot's memory (its peak, read
from the real process) does not grow with them."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.conftest import BotStarter, Chat
from tests.e2e.helpers import join_by_picking
from tests.e2e.test_initiatives import UNIT as INITIATIVE_UNIT
from tests.e2e.test_initiatives import fill_until_files, send_file
from tests.process import BotProcess, Person, peak_memory_mb
from tests.standins.telegram_api import TelegramStandIn, User
from tests.zips import Entry, archive, docx_bomb, rows_sheet, xlsx_with_huge_cell

DESK = 919001


async def test_inflating_files_are_refused_at_once_and_the_bot_stays_small(
    tmp_path: Path, standin: TelegramStandIn
) -> None:
    bot = BotProcess(standin, tmp_path, ADMIN_IDS=str(DESK))
    desk = Person(standin, User(DESK, "Thư"), tmp_path)
    other = Person(standin, User(919002, "Lan"), tmp_path)
    try:
        await bot.start()
        assert bot.process is not None
        await desk.say("/help")
        await other.say("/help")
        before = peak_memory_mb(bot.process.pid)
        cases = (
            ("ds-can-bo.xlsx", xlsx_with_huge_cell(300), "lên tới 300 MB, quá giới hạn 20 MB"),
            ("bao-cao.docx", docx_bomb(1024), None),
            ("ds-200000.xlsx", rows_sheet(200_000), "có hơn 20000 dòng; chưa nạp gì"),
        )
        for name, content, said in cases:
            started = time.monotonic()
            sent = standin.send_document(desk.user, name, content)
            asked = standin.send_text(other.user, "/help")
            await other.until_answered(asked)
            answered_other = time.monotonic() - started
            await desk.until_answered(sent)
            refused = time.monotonic() - started
            assert answered_other < 1.0, (name, answered_other)  # not held up by the file
            assert refused < 1.0, (name, refused)
            if said is not None:
                assert said in desk.messages()[-1].text, desk.messages()[-1].text
        grown = peak_memory_mb(bot.process.pid) - before
        assert grown < 60, f"the bot's peak memory grew by {grown:.0f} MB"
    finally:
        await bot.stop()


async def test_a_zip_bomb_is_not_kept_as_an_attachment(
    start_bot: BotStarter, chat: Chat, standin: TelegramStandIn
) -> None:
    bot = await start_bot()
    await join_by_picking(chat, INITIATIVE_UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    await fill_until_files(chat, standin)
    started = time.monotonic()
    refused = await send_file(chat, standin, "de-an.docx", docx_bomb(1024))
    assert time.monotonic() - started < 1.0
    assert "khi giải nén lên tới 1024 MB, quá giới hạn 200 MB" in refused.text
    assert "không được lưu" in refused.text
    many = archive([Entry("[Content_Types].xml", b"<Types/>"),
                    *(Entry(f"word/p{n}.xml", b"<p/>") for n in range(6000))])  # fmt: skip
    refused = await send_file(chat, standin, "nhieu.docx", many)
    assert "chứa 6001 tệp con" in refused.text and "quá giới hạn 5000" in refused.text
    broken = docx_bomb(1)[:-40]  # the directory cut off
    refused = await send_file(chat, standin, "hong.docx", broken)
    assert "bị hỏng hoặc có đặt mật khẩu" in refused.text
    store = bot.services.settings.files_path
    kept = await asyncio.to_thread(lambda: [p for p in store.rglob("*") if p.is_file()])
    assert not kept, "a refused file was kept"
