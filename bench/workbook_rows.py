"""How long writing a large workbook takes, and the memory it needs.

    .venv/bin/python -m bench.workbook_rows [--rows 100000]

Builds one sheet of that many pledge rows (12 columns, a date, a two-line cell) and writes it
as the desk's workbook; the anchor, in the same run, writes the same rows as CSV. Prints one
JSON object."""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bot.services.reports import Reports, Sheet


def rows(count: int) -> list[list[object]]:
    return [
        [
            f"TD-2026-{n:05d}",
            2026,
            f"Nguyễn Văn {n}",
            "Chuyên viên",
            "Phòng Cải cách hành chính",
            "Bằng khen (UBND tỉnh)",
            "Hoàn thành xuất sắc nhiệm vụ\nCó sáng kiến được công nhận",
            "",
            "Đã gửi, chờ trưởng đơn vị xác nhận",
            "",
            "",
            datetime(2026, 11, 22, 9, 30),
        ]
        for n in range(count)
    ]


def run(count: int) -> dict[str, object]:
    sheet = Sheet("individual", "Đăng ký cá nhân", [f"Cột {n}" for n in range(12)], rows(count))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        Reports.write_csv([sheet], Path(tmp) / "anchor.csv")
        csv_s = time.perf_counter() - started
        started = time.perf_counter()
        path = Path(tmp) / "bench.xlsx"
        Reports.write_workbook([sheet], path)
        xlsx_s = time.perf_counter() - started
        size_kb = path.stat().st_size // 1024
    return {
        "benchmark": "workbook_rows",
        "rows": count,
        "workbook_s": round(xlsx_s, 2),
        "anchor_csv_s": round(csv_s, 2),
        "workbook_kb": size_kb,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    print(json.dumps(run(parser.parse_args().rows), ensure_ascii=False))


if __name__ == "__main__":
    main()
