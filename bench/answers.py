"""How long a typed question takes to answer when there are many campaigns.

    .venv/bin/python -m bench.answers [--campaigns 1000] [--questions 3000]

Generates that many campaigns from the six seed files (each copy gets its own place, issuer,
plan number and years, and keeps its plan's text), builds the answerer's index once, then
answers a mix of questions: some naming a campaign by place, plan number or year, some
following up on the last one, some with a typo. The anchor, measured in the same run, is
reading the question into folded syllables (the least any answer costs). Prints one JSON
object."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import time
from datetime import date

from bot.answers.answerer import Answerer, Asker
from bot.answers.words import syllables
from bot.domain.campaign import Campaign
from bot.i18n import Translator
from bot.services.definition_files import campaign_files, read_campaign
from bot.services.importer import SEED_CAMPAIGNS

# fmt: off
PLACES = [
    "Hà Giang", "Cao Bằng", "Lào Cai", "Điện Biên", "Lai Châu", "Sơn La", "Yên Bái", "Hòa Bình",
    "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Phú Thọ", "Vĩnh Phúc", "Bắc Ninh",
    "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam",
    "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum",
    "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương",
    "Đồng Nai", "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh",
    "Vĩnh Long", "Đồng Tháp", "Kiên Giang", "Hậu Giang", "Bạc Liêu", "Cà Mau",
]
# fmt: on
ISSUERS = ["UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Y tế", "Sở Tài chính", "Sở Công Thương"]
QUESTIONS = [
    "hạn nộp hồ sơ {place}",
    "tieu chi ca nhan {place}",
    "kinh phí khen thưởng lấy từ đâu",
    "còn bao nhiêu ngày",
    "{number}",
    "khen bao nhiêu cá nhân",
    "ai được tham gia phong trào {issuer} {place}",
    "chu de nam {year}",
    "tiêu chí tập thể",
    "hồ sơ gửi về đâu",
    "căn cứ pháp lý",
    "tuần sau có hạn gì không",
    "mục đích của kế hoạch {number}",
    "nội dung thi đua {place} năm {year}",
    "phấn đấu chỉ số đạt loại gì",
    "tieu chj tap the {place}",
]


def generated(count: int) -> list[Campaign]:
    seeds = [read_campaign(p) for p in campaign_files([SEED_CAMPAIGNS])]
    campaigns = []
    for n in range(count):
        seed = seeds[n % len(seeds)]
        place = PLACES[n % len(PLACES)]
        issuer = f"{ISSUERS[(n // len(PLACES)) % len(ISSUERS)]} {place}"
        shift = n % 5
        data = seed.model_dump()
        data.update(
            id=f"gen-{n:04d}",
            title=f"{seed.title} – {issuer}",
            short_title=f"{place} – CCHC {n}",
            issuer=issuer,
            keywords=[place],
        )
        data["plan"]["number"] = f"{100 + n}/KH-{n % 7}"
        for span in (data["period"], *data["phases"]):
            for key in ("start", "end"):
                span[key] = _later(span[key], shift)
        campaigns.append(Campaign.model_validate(data))
    return campaigns


def _later(day: object, years: int) -> str:
    """A file date ("dd/mm/yyyy", or a date) that many years later, as a file writes it."""
    parsed = day if isinstance(day, date) else date.fromisoformat(str(day))
    return parsed.replace(year=parsed.year + years).strftime("%d/%m/%Y")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(count: int, questions: int) -> dict[str, object]:
    campaigns = generated(count)
    answerer = Answerer(Translator())
    started = time.perf_counter()
    await answerer.prepare(campaigns)
    build = time.perf_counter() - started
    rng = random.Random(7)
    today = date(2026, 11, 22)
    mine = campaigns[:20]
    about: Campaign | None = None
    answer_ms: list[float] = []
    anchor_ms: list[float] = []
    kinds: dict[str, int] = {}
    for _ in range(questions):
        c = rng.choice(campaigns)
        text = rng.choice(QUESTIONS).format(
            place=c.keywords[0],
            issuer=c.issuer.split(" ")[0],
            number=c.plan.number,
            year=c.period.start.year,
        )
        t0 = time.perf_counter()
        syllables(text)
        t1 = time.perf_counter()
        answer = await answerer.answer(text, campaigns, Asker(mine, about, today))
        t2 = time.perf_counter()
        anchor_ms.append((t1 - t0) * 1000)
        answer_ms.append((t2 - t1) * 1000)
        kinds[answer.kind] = kinds.get(answer.kind, 0) + 1
        about = answer.campaign or about
    return {
        "campaigns": count,
        "questions": questions,
        "index_build_s": round(build, 2),
        "answer_ms": {
            "p50": round(statistics.median(answer_ms), 3),
            "p95": round(percentile(answer_ms, 0.95), 3),
            "p99": round(percentile(answer_ms, 0.99), 3),
            "max": round(max(answer_ms), 3),
        },
        "anchor_read_question_ms": {
            "p50": round(statistics.median(anchor_ms), 3),
            "p99": round(percentile(anchor_ms, 0.99), 3),
        },
        "answer_kinds": kinds,
        "target": "p99 < 5 ms",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=3000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.campaigns, args.questions)), ensure_ascii=False))


if __name__ == "__main__":
    main()
