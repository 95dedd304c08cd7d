"""The README's pictures of the papers: each paper written by bot/papers from sample data (the
demo organisation's names), converted to PDF by LibreOffice and its first page to PNG by
pdftoppm. Not part of the test suite (it needs LibreOffice: `apt-get install
libreoffice-writer-nogui poppler-utils fonts-liberation`; without Times New Roman installed
LibreOffice draws the metric-compatible Liberation Serif).

    .venv/bin/python docs/papers/make_pictures.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from bot.i18n import Translator
from bot.papers.council_papers import (
    Basis,
    Bodies,
    Count,
    NomineeLine,
    ReportPaper,
    Sitting,
    write_decision,
    write_minutes,
    write_nominee_book,
    write_reports,
    write_submission,
)
from storage.council import IssuingBody

HERE = Path(__file__).resolve().parent
UNIT = "Phòng Cải cách hành chính, Sở Nội vụ tỉnh Sóc Trăng"
LINES = [
    NomineeLine(
        "TD-2026-0002",
        "individual",
        "Võ Thị Lan",
        "Chuyên viên",
        UNIT,
        "Chiến sĩ thi đua cơ sở (Giám đốc Sở Nội vụ)",
        "Số hoá 100% hồ sơ một cửa & lưu trữ; Sáng kiến SK-2026-0003 «Phiếu hẹn điện tử» "
        "được công nhận",
    ),
    NomineeLine(
        "TD-2026-0001",
        "individual",
        "Nguyễn Thị Mai",
        "Chuyên viên",
        UNIT,
        "Bằng khen (UBND tỉnh)",
        "Giải quyết 412 hồ sơ đúng hạn, không hồ sơ trễ hạn",
    ),
    NomineeLine(
        "TD-2026-0007",
        "collective",
        "Phòng Cải cách hành chính",
        "",
        "Sở Nội vụ tỉnh Sóc Trăng",
        "Bằng khen (UBND tỉnh)",
        "Chỉ số CCHC của Sở tăng 4 bậc; 98,6% hồ sơ trực tuyến toàn trình",
    ),
]


def main() -> None:
    t = Translator().for_language("vi")
    bodies = Bodies(
        IssuingBody(0, "Sở Nội vụ tỉnh Sóc Trăng", "SNV", "Sóc Trăng", "GIÁM ĐỐC"),
        "Ủy ban nhân dân tỉnh Sóc Trăng",
        "Hội đồng Thi đua – Khen thưởng tỉnh Sóc Trăng",
        IssuingBody(
            0,
            "Ủy ban nhân dân tỉnh Sóc Trăng",
            "UBND",
            "Sóc Trăng",
            "CHỦ TỊCH",
            "TM. ỦY BAN NHÂN DÂN",
        ),
    )
    basis = Basis(
        [
            "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành Luật Thi đua, "
            "khen thưởng",
        ],
        "Kế hoạch số 52/KH-UBND ngày 06 tháng 4 năm 2022 của UBND tỉnh Sóc Trăng về Phong trào "
        "thi đua cải cách hành chính tỉnh Sóc Trăng giai đoạn 2021-2030",
        "Phong trào thi đua cải cách hành chính tỉnh Sóc Trăng giai đoạn 2021-2030",
        2026,
    )
    members = [(f"Thành viên {n}", "Ủy viên", t.plain("papers.took_part")) for n in range(1, 7)]
    members.append(("Thành viên 7", "Ủy viên", t.plain("papers.took_part_written")))
    sitting = Sitting("09:00 23/11/2026", "15:42 23/11/2026", members, 7, 6, 1)
    counts = [
        Count(LINES[0], 4, 3, "cần trên 50%", True),
        Count(LINES[1], 3, 4, "cần trên 50%", False),
        Count(LINES[2], 7, 0, "cần trên 50%", True),
    ]
    reports = [
        ReportPaper(
            LINES[0],
            {
                "duties": "Hoàn thành 100% hồ sơ đúng hạn.",
                "pledge": "Số hoá 100% hồ sơ một cửa & lưu trữ.",
                "solutions": "Áp dụng phiếu hẹn điện tử.",
            },
            ["SK-2026-0003 — Phiếu hẹn điện tử"],
            ["2026: Lao động tiên tiến (QĐ 88/QĐ-SNV ngày 10/11/2026)"],
            True,
        )
    ]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        papers = {
            "to-trinh": write_submission(t, bodies, basis, LINES, out / "to-trinh.docx"),
            "bien-ban": write_minutes(t, bodies, basis, sitting, counts, out / "bien-ban.docx"),
            "quyet-dinh": write_decision(
                t, bodies, basis, [LINES[0], LINES[2]], out / "quyet-dinh.docx"
            ),
            "bao-cao-thanh-tich": write_reports(
                t, 2026, "Sóc Trăng", reports, out / "bao-cao-thanh-tich.docx"
            ),
        }
        write_nominee_book(t, bodies, basis, LINES, out / "danh-sach-de-nghi.xlsx")
        for name, docx in papers.items():
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(docx)],
                check=True,
                capture_output=True,
                timeout=180,
            )
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "70",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(out / f"{name}.pdf"),
                    str(HERE / name),
                ],
                check=True,
                timeout=60,
            )
            if name == "to-trinh":  # its annex, the nominee list, is its last page
                pages = subprocess.run(
                    ["pdfinfo", str(out / f"{name}.pdf")],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                last = next(
                    int(x.split()[-1]) for x in pages.splitlines() if x.startswith("Pages:")
                )
                subprocess.run(
                    [
                        "pdftoppm",
                        "-png",
                        "-r",
                        "70",
                        "-f",
                        str(last),
                        "-l",
                        str(last),
                        "-singlefile",
                        str(out / f"{name}.pdf"),
                        str(HERE / "danh-sach-phu-luc"),
                    ],
                    check=True,
                    timeout=60,
                )


if __name__ == "__main__":
    main()
