"""From the closed list to the recorded decision, by tapping only, over the real Telegram
adapter: the award history imported from Excel (a bad row refused by its number), a proposal
refused by its rule and article, two quotas of one form told apart, closing that asks first,
achievement reports filed and confirmed, a secret ballot of 7 members (one absent with a
written opinion) with one nominee just under the threshold and one just over, the secrecy
checked in the database, the minutes, the decision and the tờ trình opened with python-docx,
the decision recorded (history written, people told). Non-members refused at every step."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Length
from openpyxl import Workbook, load_workbook

from bot.domain.organisation import OrganisationFile
from bot.domain.records import Conversation
from bot.settings import PROJECT_ROOT
from handlers import council_member
from tests.conftest import BotStarter, Chat, RunningBot
from tests.e2e.helpers import join_by_invite
from tests.e2e.test_pledges import register
from tests.standins.telegram_api import SentMessage, TelegramStandIn, User

DESK = 920001
UNIT = "soctrang-snv-cchc"
CAMPAIGN = "soctrang-cchc-2021-2030"
KEY = f"{CAMPAIGN}:2026"
AWARD = "Bằng khen (UBND tỉnh)"
CSTD = "Chiến sĩ thi đua cơ sở (Giám đốc Sở Nội vụ)"
MEMBERS = [(930001 + n, f"Thành viên {n + 1}") for n in range(7)]
HISTORY_HEADERS = ("Họ và tên / Tập thể", "Cá nhân / Tập thể", "Đơn vị", "Năm",
                   "Danh hiệu / Hình thức khen thưởng", "Cấp khen", "Số quyết định",
                   "Ngày quyết định")  # fmt: skip


async def notice_to(standin: TelegramStandIn, chat: Chat, text: str) -> SentMessage:
    await standin.wait_until(lambda: any(text in m.text for m in standin.messages_to(chat.user.id)))
    return next(m for m in reversed(standin.messages_to(chat.user.id)) if text in m.text)


async def upload(chat: Chat, standin: TelegramStandIn, name: str, content: bytes) -> SentMessage:
    before = len(standin.messages_to(chat.user.id))
    update_id = standin.send_document(chat.user, name, content)
    await standin.wait_until(lambda: update_id in standin.handled)
    return standin.messages_to(chat.user.id)[before:][-1]


async def last_document(standin: TelegramStandIn, before: int) -> tuple[str, bytes]:
    await standin.wait_until(lambda: len(standin.documents) > before)
    _, name, content = standin.documents[-1]
    return name, content


def sheet(rows: list[tuple[Any, ...]]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(HISTORY_HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def setting_up(running: RunningBot, tmp_path: Path) -> None:
    """The province's Council with 7 members, and the Sóc Trăng plan with a Chiến sĩ thi đua
    cơ sở award added (the secretariat's files; what follows is all by chat)."""
    organisation = OrganisationFile.model_validate(
        {
            "units": [{"code": "soctrang", "name": "Tỉnh Sóc Trăng", "level": "tỉnh",
                       "papers": {"name": "Ủy ban nhân dân tỉnh Sóc Trăng",
                                  "abbreviation": "UBND", "place": "Sóc Trăng",
                                  "signer": "CHỦ TỊCH", "on_behalf": "TM. ỦY BAN NHÂN DÂN"},
                       "children": [{"code": "soctrang-snv", "name": "Sở Nội vụ tỉnh Sóc Trăng",
                                     "level": "sở",
                                     "papers": {"name": "Sở Nội vụ tỉnh Sóc Trăng",
                                                "abbreviation": "SNV", "place": "Sóc Trăng",
                                                "signer": "GIÁM ĐỐC"},
                                     "children": [{"code": UNIT, "level": "phòng",
                                                   "name": "Phòng Cải cách hành chính"}]}]}],
            "councils": [{"unit": "soctrang", "secretariat": "soctrang-snv",
                          "name": "Hội đồng Thi đua – Khen thưởng tỉnh Sóc Trăng",
                          "members": [{"name": name, "role": "Ủy viên",
                                       "account": f"telegram:{uid}"} for uid, name in MEMBERS]}],
        }
    )  # fmt: skip
    await running.services.importer.load_organisation(organisation)
    seed = (PROJECT_ROOT / "campaigns" / f"{CAMPAIGN}.yaml").read_bytes().decode("utf-8")
    extra = (
        "  - form: Chiến sĩ thi đua cơ sở\n    granted_by: Giám đốc Sở Nội vụ\n"
        "    recipients: individual\n    quota: 5\n    occasions: [yearly]\n"
    )
    path = tmp_path / "soctrang-cchc-2021-2030.yaml"
    path.write_bytes(seed.replace("awards:\n", f"awards:\n{extra}", 1).encode("utf-8"))
    report = await running.services.importer.import_campaigns([path], publish=True)
    assert not report.problems


async def test_from_the_closed_list_to_the_recorded_decision(
    start_bot: BotStarter, standin: TelegramStandIn, tmp_path: Path
) -> None:
    running = await start_bot(ADMIN_IDS=str(DESK))
    await setting_up(running, tmp_path)
    desk = Chat(standin, User(DESK, "Thư"))
    mai = Chat(standin, User(740001, "Mai"))
    lan = Chat(standin, User(740002, "Lan"))
    head = Chat(standin, User(740003, "Hùng"))
    await join_by_invite(mai, running, UNIT, "Nguyễn Thị Mai", "Chuyên viên")
    await join_by_invite(lan, running, UNIT, "Võ Thị Lan", "Chuyên viên")
    await join_by_invite(head, running, UNIT, "Phạm Quốc Hùng", "Trưởng phòng", head=True)
    await register(mai, AWARD, [], own="Giải quyết đúng hạn 100% hồ sơ")
    await register(lan, CSTD, [], own="Số hoá toàn bộ hồ sơ lưu trữ")

    # The award history from the secretariat's sheet: a bad row is named and nothing loaded.
    sent, *_ = await desk.send("/history")
    assert "Quá trình khen thưởng (0 dòng)" in sent.text
    cchc = "Phòng Cải cách hành chính"
    rows: list[tuple[Any, ...]] = [
        ("Võ Thị Lan", "Cá nhân", cchc, 2026, "Lao động tiên tiến", "Giám đốc Sở Nội vụ",
         "88/QĐ-SNV", "10/11/2026"),
        ("Võ Thị Lan", "Cá nhân", cchc, 2026, "Đề tài khoa học được nghiệm thu", "Sở KH&CN",
         "12/QĐ-SKHCN", "01/10/2026"),
        ("Nguyễn Thị Mai", "Cá nhân", cchc, 2026, "Lao động tiên tiến", "Giám đốc Sở Nội vụ",
         "88/QĐ-SNV", "10/11/2026"),
        ("Trần Văn Bình", "Cá nhân", cchc, "năm ngoái", "Lao động tiên tiến", "", "", ""),
        ("Phòng Cải cách hành chính", "Tập thể", cchc, 2025, "Tập thể lao động tiên tiến",
         "Giám đốc Sở Nội vụ", "90/QĐ-SNV", "31/13/2025"),
    ]  # fmt: skip
    refused = await upload(desk, standin, "qua-trinh.xlsx", sheet(rows))
    assert "Chưa nạp tệp: có 2 dòng cần sửa" in refused.text
    assert "Dòng 5: năm «năm ngoái» không đúng" in refused.text
    assert "Dòng 6: ngày quyết định «31/13/2025» không đúng dạng dd/mm/yyyy" in refused.text
    assert await running.services.council.history.search("") == []
    loaded = await upload(desk, standin, "qua-trinh.xlsx", sheet(rows[:3]))
    assert "Đã nạp 3 dòng quá trình khen thưởng" in loaded.text
    (found,) = await desk.send("/history vo thi lan")
    assert "Võ Thị Lan (Phòng Cải cách hành chính) — 2026: Lao động tiên tiến" in found.text
    assert "QĐ 88/QĐ-SNV ngày 10/11/2026" in found.text

    # Proposals: the quotas of one form told apart; a refusal names its rule and article.
    for used, ref in enumerate(("TD-2026-0001", "TD-2026-0002")):
        (waiting,) = await desk.send("/review")
        (detail,) = await desk.tap(waiting, f"📝 {ref}")
        _, detail = await desk.tap(detail, "✅ Tiếp nhận")
        labels = detail.button_labels()
        assert f"🏅 Đề nghị {AWARD} — hằng năm 2026, {used}/10" in labels
        assert f"🏅 Đề nghị {AWARD} — cuối Giai đoạn 10 năm 2021-2030, 0/20" in labels
        if ref == "TD-2026-0001":
            (refusal,) = await desk.tap(detail, f"🏅 Đề nghị {CSTD}")
            assert "Không thể đề nghị TD-2026-0001 cho Chiến sĩ thi đua cơ sở" in refusal.text
            assert "sáng kiến được công nhận hoặc đề tài khoa học được nghiệm thu năm 2026" in (
                refusal.text
            )
            assert "Luật Thi đua, khen thưởng 2022, Điều 23" in refusal.text
            (done,) = await desk.tap(detail, f"🏅 Đề nghị {AWARD} — hằng năm")
            assert "Đã đề nghị TD-2026-0001 cho Bằng khen (UBND tỉnh): 1/10" in done.text
        else:
            (done,) = await desk.tap(detail, f"🏅 Đề nghị {CSTD}")
            assert "Đã đề nghị TD-2026-0002 cho Chiến sĩ thi đua cơ sở" in done.text

    # Closing asks first, then freezes.
    (pick,) = await desk.send("/nominations")
    (listing,) = await desk.tap(pick, "Sóc Trăng – CCHC 2021-2030")
    (asked,) = await desk.tap(listing, "🔒 Chốt danh sách năm 2026")
    assert "Chốt danh sách năm 2026 để trình Hội đồng?" in asked.text
    assert f"{CSTD} — hằng năm 2026: 1" in asked.text
    _, listing = await desk.tap(asked, "🔒 Đồng ý chốt danh sách")

    # Achievement reports: asked, written by chat, confirmed by the head.
    (asked,) = await desk.tap(listing, "📨 Đề nghị người được đề nghị gửi báo cáo thành tích")
    assert "Đã đề nghị 2 người/tập thể gửi báo cáo thành tích năm 2026" in asked.text
    works = (
        (mai, "TD-2026-0001", "Giải quyết 412 hồ sơ đúng hạn"),
        (lan, "TD-2026-0002", "Số hoá 100% hồ sơ một cửa & lưu trữ"),
    )
    for chat, ref, work in works:
        ask = await notice_to(standin, chat, f"{ref} được đề nghị")
        (first,) = await chat.tap(ask, "✍️ Viết báo cáo thành tích")
        assert "1/3. Kết quả thực hiện nhiệm vụ được giao" in first.text
        await chat.send(work)
        await chat.send("Hoàn thành các cam kết đã đăng ký")
        (review,) = await chat.send("Áp dụng phần mềm theo dõi hồ sơ")
        assert "Xem lại báo cáo thành tích" in review.text
        (sent_report,) = await chat.tap(review, "📨 Gửi báo cáo")
        assert f"Đã gửi báo cáo thành tích {ref}" in sent_report.text
        to_confirm = await notice_to(standin, head, f"({ref}), cần anh/chị xác nhận")
        (opened,) = await head.tap(to_confirm, "📝 Xem báo cáo")
        assert work.split(" &")[0] in opened.text
        (confirmed,) = await head.tap(opened, "✅ Xác nhận báo cáo")
        assert "Đã xác nhận báo cáo thành tích" in confirmed.text
        await notice_to(standin, chat, f"Trưởng đơn vị đã xác nhận báo cáo thành tích {ref}")

    before = len(standin.documents)
    await desk.tap(listing, "📊 Danh sách trình Hội đồng (Excel)")
    _, content = await last_document(standin, before)
    values = [r for r in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(
        values_only=True)]  # fmt: skip
    lan_row = next(r for r in values if r[1] == "Võ Thị Lan")
    assert str(lan_row[5]).startswith("Số hoá 100% hồ sơ một cửa & lưu trữ; Hoàn thành")
    before = len(standin.documents)
    await desk.tap(listing, "📁 Báo cáo thành tích (Word)")
    _, content = await last_document(standin, before)
    reports = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert reports.count("BÁO CÁO THÀNH TÍCH") == 2 and "Lao động tiên tiến" in reports

    # The ballot: the Council's members listed, a closing time, each member told in private.
    (members,) = await desk.tap(listing, "🗳 Mở phiếu bầu của Hội đồng")
    assert "Hội đồng Thi đua – Khen thưởng tỉnh Sóc Trăng — 7 thành viên" in members.text
    assert "Thành viên 7 — Ủy viên (Telegram)" in members.text
    opened_now, status = await desk.tap(members, "⏱ Đóng sau 24 giờ")
    assert "Đã gửi phiếu bầu cho 7 thành viên Hội đồng: 2 trường hợp" in opened_now.text
    assert "0/7 thành viên đã bỏ phiếu xong" in status.text

    # Staff and the desk itself are not members: refused at every member step.
    for outsider in (mai, desk):
        (own,) = await outsider.send("/help")
        for forged in ("bm:1", "ba:1:p", "bv:1:1:y"):
            (answer,) = await outsider.tap_data(own, forged)
            assert "chỉ dành cho thành viên Hội đồng" in answer.text

    # Votes: Mai 3 of 7 (just under more than half), Lan 4 of 7 (just over); member 7 is
    # absent and sends a written opinion the same way.
    votes = {"TD-2026-0001": [True, True, True, False, False, False, False],
             "TD-2026-0002": [True, True, True, False, False, False, True]}  # fmt: skip
    voters = [Chat(standin, User(uid, name)) for uid, name in MEMBERS]
    for n, voter in enumerate(voters):
        invited = await notice_to(standin, voter, "phiếu bầu kín xét khen thưởng")
        (attend,) = await voter.tap(invited, "🗳 Bắt đầu bỏ phiếu")
        how = "✉ Tôi vắng mặt" if n == 6 else "✔ Tôi dự họp"
        (paper,) = await voter.tap(attend, how)
        for ref, name in (("TD-2026-0002", "Võ Thị Lan"), ("TD-2026-0001", "Nguyễn Thị Mai")):
            assert name in paper.text and "Thông qua khi số phiếu đồng ý cần trên 50%" in paper.text
            if ref == "TD-2026-0002":
                assert "Đủ điều kiện theo hồ sơ (Luật Thi đua, khen thưởng 2022, Điều 23)" in (
                    paper.text
                )
            choice = "✅ Đồng ý" if votes[ref][n] else "❌ Không đồng ý"
            taken, paper = await voter.tap(paper, choice)
            assert taken.text == "Đã ghi nhận phiếu của anh/chị."
            if ref == "TD-2026-0002":
                again, _ = await voter.tap_data(taken, "bv:1:2:y")
                assert "phiếu đã ghi không sửa được" in again.text
        assert "đã bỏ phiếu xong 2 trường hợp" in paper.text

    # Secret: nothing in the store links a member to a choice.
    db = running.services.db
    columns = {r[1] for r in await db.fetch_all("PRAGMA table_info(ballot_voters)")}
    assert columns == {"ballot_id", "member_id", "pledge_id"}
    counts = await db.fetch_all("SELECT pledge_id, yes, no FROM ballot_nominees ORDER BY position")
    assert [tuple(r) for r in counts] == [(2, 4, 3), (1, 3, 4)]
    member_ids = [str(uid) for uid, _ in MEMBERS]
    marks = ", ".join("?" for _ in member_ids)
    kept = await db.fetch_all(
        f"SELECT payload, replies FROM inbox WHERE sender IN ({marks})", member_ids
    )
    assert kept and not any("bv:" in str(r[0]) for r in kept)
    assert not any("Không đồng ý" in str(r[1]) and "Đồng ý" not in str(r[1]) for r in kept)
    audit = await db.fetch_all("SELECT action, new FROM audit_log WHERE entity = 'ballot'")
    assert {r[0] for r in audit} == {"open", "close"}
    people = await db.fetch_all(f"SELECT id FROM people WHERE external_id IN ({marks})", member_ids)
    for (person_id,) in people:
        conversation = await db.fetch_value(
            "SELECT data || options FROM conversations WHERE person_id = ?", (person_id,)
        )
        assert ":y" not in str(conversation) and ":n" not in str(conversation)

    # Closed once everyone voted; never reopened, and no vote after it.
    (status,) = await desk.tap(status, "🔄 Xem lại")
    assert "🔒 Đã đóng lúc" in status.text and "7/7 thành viên bỏ phiếu" in status.text
    assert f"❌ Nguyễn Thị Mai — {AWARD}: 3/7 đồng ý (cần trên 50%) — không đạt" in status.text
    assert f"✅ Võ Thị Lan — {CSTD}: 4/7 đồng ý (cần trên 50%) — đạt" in status.text
    (own,) = await voters[0].send("/help")
    (late,) = await voters[0].tap_data(own, "bv:1:2:n")
    assert "Phiếu bầu này đã đóng" in late.text
    (again,) = await desk.tap_data(status, f"bo:{KEY}:24")
    assert "🔒 Đã đóng lúc" in again.text
    (no_reopen, _) = await desk.tap_data(status, f"no:{KEY}")
    assert "không mở lại danh sách được nữa" in no_reopen.text
    assert await db.fetch_value("SELECT count(*) FROM ballots") == 1

    # The papers, each in the state's form with the right counts.
    papers = {}
    for label in ("📄 Biên bản họp Hội đồng (Word)", "📝 Dự thảo quyết định khen thưởng (Word)"):
        before = len(standin.documents)
        await desk.tap(status, label)
        papers[label] = (await last_document(standin, before))[1]
    before = len(standin.documents)
    await desk.tap(listing, "📝 Dự thảo tờ trình (Word)")
    papers["to_trinh"] = (await last_document(standin, before))[1]
    for content in papers.values():
        document = Document(io.BytesIO(content))
        section = document.sections[0]
        sides = (section.page_width, section.page_height, section.top_margin,
                 section.bottom_margin, section.left_margin, section.right_margin)  # fmt: skip
        mm = [round(Length(v or 0).mm) for v in sides]
        assert mm == [210, 297, 20, 20, 30, 15]  # A4; NĐ 30/2020's margins
        assert document.styles["Normal"].font.name == "Times New Roman"
        heading = document.tables[0].rows[0].cells[1].text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading
        assert "Độc lập - Tự do - Hạnh phúc" in heading and "Sóc Trăng, ngày" in heading
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
        assert "Nghị định số 152/2025/NĐ-CP" in text and "&amp;" not in text
        sizes = {r.font.size.pt for p in document.paragraphs for r in p.runs if r.font.size}
        assert 14 in sizes and max(sizes) <= 14
    minutes = Document(io.BytesIO(papers["📄 Biên bản họp Hội đồng (Word)"]))
    text = "\n".join(p.text for p in minutes.paragraphs)
    assert "BIÊN BẢN" in text and "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH SÓC TRĂNG" in (
        minutes.tables[0].rows[0].cells[0].text
    )
    assert "tổng số 7 thành viên Hội đồng; 7 thành viên tham gia bỏ phiếu (6 dự họp, 1 vắng" in text
    assert "Kết luận: 1/2 trường hợp đạt tỷ lệ phiếu đồng ý theo quy định, gồm 1 cá nhân" in text
    count = [[c.text for c in row.cells] for row in minutes.tables[1].rows]
    unit = "Phòng Cải cách hành chính, Sở Nội vụ tỉnh Sóc Trăng"
    assert count[2][1:] == ["Nguyễn Thị Mai", unit, AWARD, "3", "4", "3/7 (42.9 %)",
                            "cần trên 50%", "Không đạt"]  # fmt: skip
    assert count[1][4:7] == ["4", "3", "4/7 (57.1 %)"] and count[1][8] == "Đạt"
    decision = Document(io.BytesIO(papers["📝 Dự thảo quyết định khen thưởng (Word)"]))
    text = "\n".join(p.text for p in decision.paragraphs)
    assert "QUYẾT ĐỊNH" in text and "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG" in text
    assert "Điều 1. Khen thưởng 1 cá nhân" in text and f"- {CSTD}: 1 cá nhân;" in text
    assert "Nguyễn Thị Mai" not in "\n".join(c.text for t in decision.tables for r in t.rows
                                             for c in r.cells)  # fmt: skip
    assert "Số:      /QĐ-UBND" in decision.tables[0].rows[0].cells[0].text
    submission = Document(io.BytesIO(papers["to_trinh"]))
    text = "\n".join(p.text for p in submission.paragraphs)
    assert "Số:      /TTr-SNV" in submission.tables[0].rows[0].cells[0].text
    assert "đề nghị khen thưởng 2 trường hợp, gồm 2 cá nhân" in text
    assert f"- {AWARD}: 1 cá nhân;" in text and f"- {CSTD}: 1 cá nhân;" in text
    assert "Nơi nhận:" in "\n".join(c.text for t in submission.tables for r in t.rows
                                    for c in r.cells)  # fmt: skip

    # The signed decision recorded: the history written, the awarded person and head told.
    (ask,) = await desk.tap(status, "✍️ Ghi số, ngày quyết định đã ký")
    (wrong,) = await desk.send("quyết định hôm qua")
    assert "Chưa đọc được số và ngày quyết định" in wrong.text
    (recorded,) = await desk.send("125/QĐ-UBND 20/11/2026")
    assert "Đã ghi Quyết định số 125/QĐ-UBND ngày 20/11/2026" in recorded.text
    assert "1 trường hợp đã được cập nhật, đã báo 2 người" in recorded.text
    await notice_to(standin, lan, "Chúc mừng anh/chị được tặng Chiến sĩ thi đua cơ sở")
    told = await notice_to(standin, head, "Quyết định số 125/QĐ-UBND ngày 20/11/2026")
    assert "Võ Thị Lan — " in told.text
    (mine,) = (await lan.send("/my"))[-1:]
    (history,) = await lan.tap(mine, "🏅 Quá trình khen thưởng")
    assert "2026: Chiến sĩ thi đua cơ sở (Giám đốc Sở Nội vụ) — QĐ 125/QĐ-UBND ngày 20/11/2026" in (
        history.text
    )
    (mine,) = (await head.send("/my"))[-1:]
    (unit_history,) = await head.tap(mine, "🏅 Khen thưởng của đơn vị")
    awarded = "Võ Thị Lan (Phòng Cải cách hành chính) — 2026: Chiến sĩ thi đua cơ sở"
    assert awarded in unit_history.text
    (twice,) = await desk.tap_data(status, "br:1")
    assert "Quyết định của phiếu bầu này đã được ghi trước đó" in twice.text


async def test_non_members_are_refused_every_member_step(
    start_bot: BotStarter, standin: TelegramStandIn
) -> None:
    """Enumerated from the member router, so a step added later is checked too."""
    bot = await start_bot(ADMIN_IDS=str(DESK))
    staff = Chat(standin, User(740009, "Tâm"))
    options = list(council_member.router.options)
    assert {"bm", "ba", "bv"} <= set(options)
    attempts = 0
    for chat in (staff, Chat(standin, User(DESK, "Thư"))):
        (first,) = await chat.send("/help")
        for prefix in options:
            (answer,) = await chat.tap_data(first, f"{prefix}:1:1:y")
            assert answer.text.startswith("Chức năng này chỉ dành cho thành viên Hội đồng"), prefix
            attempts += 1
    person = await bot.services.persons.find("telegram", str(staff.user.id))
    assert person is not None
    for step in council_member.router.steps:
        await bot.services.conversations.save(Conversation(person.id, step.split(".")[0], step))
        (answer,) = await staff.send("Đồng ý")
        assert answer.text.startswith("Chức năng này chỉ dành cho thành viên Hội đồng"), step
        attempts += 1
    denied = await bot.services.db.fetch_value(
        "SELECT count(*) FROM audit_log WHERE action = 'denied'"
    )
    assert denied == attempts
