"""Each seed plan's dossier deadline as its document gives it, asked on the days it matters:
the days left, the emulation year it is for, none before the plan existed, and "the plan does
not say" where it sets none."""

from __future__ import annotations

import pytest

from tests.conftest import BotStarter, Chat

CASES = [
    # (today, question, in the answer, not in the answer)
    (
        "05/01/2026",
        "hạn nộp hồ sơ Cần Thơ",
        ["Còn 9 ngày", "trước ngày 15/01/2026", "hồ sơ năm 2025", "127/KH-SXD"],
        [],
    ),
    (
        "10/01/2022",  # before 127/KH-SXD was issued: no dossier for 2021
        "hạn nộp hồ sơ Cần Thơ",
        ["trước ngày 15/01/2023", "hồ sơ năm 2022"],
        ["15/01/2022"],
    ),
    (
        "20/11/2024",
        "hạn nộp hồ sơ khen thưởng sở xây dựng năm 2024",
        ["Còn 10 ngày", "trước ngày 01/12/2024"],
        [],
    ),
    (
        "22/11/2026",
        "hạn nộp hồ sơ Sóc Trăng",
        ["Kế hoạch 52/KH-UBND không nêu hạn nộp hồ sơ", "UBND tỉnh Sóc Trăng"],
        ["31/12/2026"],
    ),
    ("01/06/2022", "hạn nộp hồ sơ sở giáo dục sóc trăng", ["không nêu hạn nộp hồ sơ"], []),
    ("01/08/2021", "hạn nộp hồ sơ An Giang", ["443/KH-UBND không nêu hạn nộp hồ sơ"], []),
    ("01/06/2022", "hạn nộp hồ sơ quận 11", ["không nêu hạn nộp hồ sơ", "UBND Quận 11"], []),
    ("01/06/2022", "quận 11 kết thúc khi nào", ["05/12/2022"], []),
]


@pytest.mark.parametrize(("today", "question", "wanted", "unwanted"), CASES)
async def test_dossier_deadlines_as_the_documents_give_them(
    start_bot: BotStarter,
    chat: Chat,
    today: str,
    question: str,
    wanted: list[str],
    unwanted: list[str],
) -> None:
    await start_bot(today=today)
    text = Chat.text(await chat.send(question))
    for fact in wanted:
        assert fact in text, (fact, text)
    for fact in unwanted:
        assert fact not in text, (fact, text)
