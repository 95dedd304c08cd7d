"""How long the secretariat waits for a campaign's workbook, and the memory it takes.

    .venv/bin/python -m bench.export_time [--people 2000]

Seeds one unit tree with that many people, each with an individual pledge, and a tenth of them
with an initiative; prints one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from pathlib import Path

from bot.domain.records import Author
from bot.settings import load_settings
from run_bot import open_services


async def run(people: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            FILES_DIR=str(Path(tmp) / "files"),
            TODAY="22/11/2026",
        )
        services = await open_services(settings)
        campaign = await services.campaigns.get("soctrang-cchc-2021-2030")
        assert campaign is not None
        units = [u for u in await services.units.subtree(["soctrang"]) if u.level == "phòng"]
        started = time.perf_counter()
        for n in range(people):
            person = await services.people.identify("bench", str(n))
            person = await services.people.join(
                person, units[n % len(units)], f"Cán bộ {n}", "Chuyên viên", "staff"
            )
            await services.records.register_pledge(
                person,
                campaign,
                "individual",
                units[n % len(units)].id,
                "Bằng khen (UBND tỉnh)",
                campaign.pledge_commitments("individual")[:3],
                ["Cam kết riêng số hoá hồ sơ"],
                2026,
                [],
            )
            if n % 10 == 0:
                content = {
                    "title": f"Sáng kiến {n}",
                    "reform_area": "thu_tuc_hanh_chinh",
                    "applied_on": "15/03/2026",
                    "description": "Mô tả " * 40,
                    "conditions": "Điều kiện",
                    "benefits": "Lợi ích",
                    "trialled_by": "Phòng",
                }
                await services.records.submit_initiative(
                    person,
                    campaign,
                    content,
                    [Author(f"Cán bộ {n}", "Phòng", 100, person.id)],
                    [],
                    2026,
                )
        seeded = time.perf_counter() - started
        t = services.translator.for_language("vi")
        t0 = time.perf_counter()
        path = Path(tmp) / "out.xlsx"
        await services.reports.export(campaign, t, None, path)
        written = time.perf_counter() - t0
        size = path.stat().st_size
        t2 = time.perf_counter()
        figures = await services.reports.figures(campaign, 2026)
        counted = time.perf_counter() - t2
        t3 = time.perf_counter()
        services.reports.chart(figures, "bench", ("a", "b"), Path(tmp) / "chart.png")
        charted = time.perf_counter() - t3
        await services.close()
    return {
        "benchmark": "export_time",
        "people": people,
        "pledges": people,
        "initiatives": (people + 9) // 10,
        "seed_records_per_s": round(people / seeded, 1),
        "workbook_s": round(written, 3),
        "workbook_kb": size // 1024,
        "stats_s": round(counted, 3),
        "chart_s": round(charted, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    print(json.dumps(asyncio.run(run(parser.parse_args().people))))


if __name__ == "__main__":
    main()
