"""run_bot.py as an administrator uses it: settings errors, imports, the console, Telegram."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.commands import DESK_COMMANDS
from tests.standins.telegram_api import TelegramStandIn, User

ROOT = Path(__file__).resolve().parent.parent


def run(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3",
        "TODAY": "22/11/2026",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )


def test_a_bad_setting_stops_with_one_clear_line(tmp_path: Path) -> None:
    for name, value, words in [
        ("DATABASE_URL", "postgresql://db/thidua", "PostgreSQL backend is not in this version"),
        ("BOT_TOKEN", "not-a-token", "Setting BOT_TOKEN is invalid"),
        ("ADMIN_IDS", "12,abc", "Setting ADMIN_IDS is invalid"),
        ("TIMEZONE", "Mars/Base", "unknown time zone"),
    ]:
        result = run([], tmp_path, **{name: value})
        assert result.returncode == 2, name
        assert words in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_import_campaigns_is_idempotent_and_refuses_bad_files(tmp_path: Path) -> None:
    first = run(["import-campaigns", str(ROOT / "campaigns")], tmp_path)
    assert first.returncode == 0 and first.stdout.count("added") == 6
    # Nothing is published unless asked: drafts are not listed to anyone.
    assert first.stdout.count("(draft unless published before; --publish to publish)") == 6
    # Each seed's plan text (campaigns/<id>.txt) went with it, and says so.
    assert first.stdout.count("văn bản kế hoạch: ") == 6 and "chưa có văn bản" not in first.stdout
    listing = run(["console"], tmp_path, stdin="/campaigns\n/quit\n")
    assert "Chưa có phong trào nào" in listing.stdout
    again = run(["import-campaigns", "--publish", str(ROOT / "campaigns")], tmp_path)
    assert again.stdout.count("updated") == 6 and "added" not in again.stdout
    assert "draft" not in again.stdout
    listing = run(["console"], tmp_path, stdin="/campaigns\n/quit\n")
    assert "Sóc Trăng" in listing.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    refused = run(["import-campaigns", str(bad)], tmp_path)
    assert refused.returncode == 1 and "bad.yaml:1: title: thiếu trường bắt buộc" in refused.stderr
    alone = tmp_path / "alone.yaml"
    alone.write_text((ROOT / "campaigns" / "angiang-cchc-2021.yaml").read_text(encoding="utf-8"))
    without = run(["import-campaigns", str(alone)], tmp_path)
    assert "chưa có văn bản kế hoạch" in without.stdout
    assert "angiang-cchc-2021.txt" in without.stdout
    units = run(["import-units", str(ROOT / "organisation" / "demo.yaml")], tmp_path)
    assert units.stdout.strip() == "units: 38 added, 0 updated; staff lines: 36"
    invite = run(["create-invite", "--unit", "soctrang-snv-cchc", "--uses", "5"], tmp_path)
    assert invite.returncode == 0, invite.stderr
    (zalo, telegram, console, validity) = invite.stdout.splitlines()
    code = console.removeprefix("Console:  /start inv_")
    assert zalo == f"Zalo:     THAM GIA {code}" and len(code) == 10
    assert telegram == f"Telegram: https://t.me/<your_bot>?start=inv_{code}"
    assert "5 uses" in validity and "staff" in validity


def test_console_under_a_pipe_without_diacritics(tmp_path: Path) -> None:
    script = "\n".join(["phong trao", "2", "1", "/deadlines", "tieu chi ca nhan an giang", "/quit"])
    result = run(["console"], tmp_path, stdin=script + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # The console's operator is the secretariat: greeted at the desk, not asked for a unit.
    assert "Văn phòng Sở" in out and "1. Xem xét sáng kiến, đăng ký" in out
    assert "cơ quan nào?" not in out
    assert "  6. An Giang – CCHC 2021" in out
    assert "Tiêu chí thi đua — Sở XD Cần Thơ – CCHC 2021-2025" in out  # "2" then "1"
    assert "đến hết ngày 31/12/2026: Kết thúc năm thi đua" in out and "còn 39 ngày" in out
    assert "Trong năm không bị người dân phản ánh" in out
    assert "<b>" not in out


async def test_run_bot_serves_telegram_and_stops_on_sigterm(tmp_path: Path) -> None:
    standin = TelegramStandIn()
    await standin.start()
    env = {
        **os.environ,
        "BOT_TOKEN": standin.token,
        "TELEGRAM_API_URL": standin.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/tg.sqlite3",
        "TODAY": "22/11/2026",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "run_bot.py"),
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await standin.wait_until(lambda: "getUpdates" in standin.calls, 30)
        user = User(424242)
        standin.send_text(user, "/start")
        replies = await standin.replies(user.id, 0, count=2)
        assert "Xin chào" in replies[0].text
        assert replies[-1].button_labels()[0] == "Thành phố Cần Thơ"
        standin.send_text(user, "tieu chi tap the can tho")
        (criteria,) = await standin.replies(user.id, len(replies))
        assert "Tất cả các kết quả giải quyết thủ tục hành chính" in criteria.text
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
        await standin.stop()
    assert code == 0
    assert standin.rejected == []


def test_export_of_an_empty_campaign_is_a_valid_workbook_with_headers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    run(["import-units", str(ROOT / "organisation" / "demo.yaml")], tmp_path)
    run(["import-campaigns", str(ROOT / "campaigns")], tmp_path)
    out = tmp_path / "q11.xlsx"
    result = run(["export", "--campaign", "quan11-cchc-2022", "--out", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    assert workbook.sheetnames == [
        "Đăng ký cá nhân",
        "Đăng ký tập thể",
        "Sáng kiến",
        "Chưa đăng ký",
        "Nhật ký thay đổi",
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and all(cell.value for cell in sheet[1])
        if sheet.title != "Chưa đăng ký":
            assert sheet.max_row == 1
    # Nobody registered: the Quận 11 staff lists (5 people, none on the bot yet) are all there.
    missing = list(workbook["Chưa đăng ký"].iter_rows(values_only=True))
    assert missing[0] == ("Họ và tên", "Chức vụ", "Đơn vị", "Đã tham gia bot")
    assert ("Tăng Gia Huy", "Chuyên viên", "Phòng Nội vụ", "chưa (có trong danh sách cán bộ)") in (
        missing
    )
    assert len(missing) == 6
    csv_result = run(
        ["export", "--campaign", "quan11-cchc-2022", "--out", str(tmp_path / "q.csv")], tmp_path
    )
    assert csv_result.stdout.count("wrote") == 5
    header = (tmp_path / "q-initiatives.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Mã,Tên sáng kiến,Lĩnh vực")
    unknown = run(["export", "--campaign", "nope", "--out", str(out)], tmp_path)
    assert unknown.returncode == 1 and "no campaign 'nope'" in unknown.stderr


def test_console_demo_has_figures_and_acts_as_anyone_on_the_staff_lists(tmp_path: Path) -> None:
    script = ["/stats 52/KH-UBND", "/as mỹ linh", "/my", "/as nguyen", "/as", "/review", "/quit"]
    result = run(["console"], tmp_path, stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # A fresh demo: the staff lists and five pledges filed at different stages.
    assert "Đã đăng ký cá nhân 5/11 người." in out
    assert "• Tô Minh Nhựt — Phòng Cải cách hành chính (chưa tham gia bot)" in out
    assert "📎 thong-ke-soctrang-cchc-2021-2030.png" in out
    assert "Bây giờ anh/chị là Sơn Thị Mỹ Linh — Trưởng ban." in out
    assert "Chào anh/chị Sơn Thị Mỹ Linh (Ban Thi đua – Khen thưởng)" in out
    assert "👥 Đăng ký của đơn vị" in out  # she heads her unit
    assert "Có nhiều người khớp «nguyen»" in out and "• Nguyễn Văn Tài — Lái xe" in out
    assert "Bây giờ anh/chị là Văn phòng Sở (thường trực)." in out
    assert "Chờ xem xét — 0 sáng kiến, 4 đăng ký thi đua" in out
    assert "🏅 1 đăng ký đã tiếp nhận — đề nghị khen thưởng" in out
    assert "DEBUG" not in out + result.stderr


def test_console_restart_keeps_a_half_done_join(tmp_path: Path) -> None:
    # The desk's welcome ends with choosing a unit of one's own: the desk menu, help, then it.
    choose_unit = len(DESK_COMMANDS) + 3
    first = run(["console"], tmp_path, stdin=f"{choose_unit}\n3\n3\n3\n/quit\n")
    assert "Sở Nội vụ tỉnh Sóc Trăng — chọn đơn vị của anh/chị" in first.stdout
    assert "Xin cho biết họ và tên đầy đủ" in first.stdout
    second = run(["console"], tmp_path, stdin="Đoàn Văn Hậu\nChuyên viên\n/quit\n")
    out = second.stdout
    # Started again, the name is asked again, and what is typed is the name.
    assert out.index("Xin cho biết họ và tên đầy đủ") < out.index("› Đoàn Văn Hậu")
    assert "✅ Đã ghi nhận: Đoàn Văn Hậu, Chuyên viên — Phòng Cải cách hành chính." in out


def test_arguments_that_mean_nothing_are_refused_in_one_line(tmp_path: Path) -> None:
    for args, words in [
        (["create-invite", "--unit", "soctrang-snv-cchc", "--days", "0"], "0 is not positive"),
        (["create-invite", "--unit", "soctrang-snv-cchc", "--uses", "-5"], "-5 is not positive"),
        (["export", "--campaign", "quan11-cchc-2022", "--out", "x.txt"], "name the file .xlsx"),
    ]:
        result = run(args, tmp_path)
        assert result.returncode == 2, args
        assert words in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.txt").exists()


def test_console_invitation_shows_each_way_to_join_once(tmp_path: Path) -> None:
    # /invite → Thành phố Cần Thơ → this unit → a new 7-day code.
    result = run(["console"], tmp_path, stdin="/invite\n1\n1\n1\n/quit\n")
    assert result.returncode == 0, result.stderr
    created = result.stdout.rsplit("› 1\n", 1)[1]
    code = created.split("THAM GIA ", 1)[1].split()[0]
    assert created.count(f"THAM GIA {code}") == 1
    assert created.count(f"/start inv_{code}") == 1
    assert "Trên Zalo" in created or "trên Zalo" in created
