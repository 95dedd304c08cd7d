"""Typed questions, with or without diacritics, with a one-letter typo."""

from __future__ import annotations

import pytest

from bot.services.container import Services
from bot.textmatch import contains_phrase, fold
from handlers.questions import detect_audience, detect_intent


def test_fold_strips_diacritics_and_d() -> None:
    assert fold("Hạn nộp HỒ SƠ đăng ký?") == "han nop ho so dang ky"
    assert fold("Đối tượng") == "doi tuong"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hạn nộp hồ sơ?", "deadlines"),
        ("han nop ho so", "deadlines"),
        ("han nopp ho so", "deadlines"),
        ("bao giờ hết hạn", "deadlines"),
        ("tiêu chí cá nhân", "criteria"),
        ("tieu chi tap the", "criteria"),
        ("tieuchi", "criteria"),
        ("tieu chj ca nhan", "criteria"),
        ("khen thuong bao nhieu", "awards"),
        ("được mấy bằng khen", "awards"),
        ("hồ sơ gồm những gì", "dossier"),
        ("ai duoc tham gia", "participants"),
        ("danh sách phong trào", "campaigns"),
        ("xin chào", "greeting"),
        ("đăng ký thi đua thế nào", "pledge"),
        ("hạn đăng ký thi đua là khi nào?", "deadlines"),
        ("han gui sang kien", "deadlines"),
        ("gui sang kien", "initiative"),
        ("ho so cua toi", "my"),
        ("thời tiết đẹp quá", None),
    ],
)
def test_intents(text: str, intent: str | None) -> None:
    assert detect_intent(text) == intent


def test_audience() -> None:
    assert detect_audience("tieu chi ca nhan") == "i"
    assert detect_audience("tiêu chí tập thể") == "c"
    assert detect_audience("tiêu chí") == "a"


def test_short_phrases_need_an_exact_word() -> None:
    assert contains_phrase("thanh pho", "han") is False
    assert contains_phrase("han nop", "han") is True


async def test_campaigns_named_in_text(services: Services) -> None:
    async def named(text: str) -> list[str]:
        return sorted(c.id for c in await services.catalog.mentioned_in(text))

    assert await named("tiêu chí sở xây dựng cần thơ") == ["cantho-sxd-cchc-2021-2025"]
    assert await named("so gd&dt soc trang") == ["soctrang-sgddt-cchc-2022"]
    assert await named("ke hoach 52/KH-UBND") == ["soctrang-cchc-2021-2030"]
    assert await named("soc trang") == ["soctrang-cchc-2021-2030", "soctrang-sgddt-cchc-2022"]
    assert await named("quan 11") == ["quan11-cchc-2022"]
    assert await named("hom nay") == []
