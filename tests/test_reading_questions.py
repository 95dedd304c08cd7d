"""Reading a typed question: folded syllables, typos put right, phrases found, campaigns named."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.answers.answerer import Answerer
from bot.answers.words import Phrasebook, Speller, syllables, terms
from bot.i18n import Translator
from bot.services.container import Services
from bot.textmatch import fold


def test_fold_strips_diacritics_and_d() -> None:
    assert fold("Hạn nộp HỒ SƠ đăng ký?") == "han nop ho so dang ky"
    assert syllables("Kế hoạch 127/KH-SXD, Sở GD&ĐT") == [
        "ke", "hoach", "127", "kh", "sxd", "so", "gd", "dt",
    ]  # fmt: skip


def test_pairs_of_syllables_are_terms_of_their_own() -> None:
    assert terms(["ho", "so", "nop"]) == ["ho", "so", "nop", "ho_so", "so_nop"]


def test_the_speller_puts_one_letter_right_preferring_a_known_phrase() -> None:
    speller = Speller(Counter({"tieu": 3, "chi": 5, "chu": 9, "giang": 2, "gian": 7}),
                      ["tieu chi", "an giang"])  # fmt: skip
    assert speller.correct(["tieu", "chj"]) == ["tieu", "chi"]  # not the more frequent "chu"
    assert speller.correct(["an", "giagn"]) == ["an", "giang"]  # swapped, not "gian"
    assert speller.correct(["tieuchi"]) == ["tieu", "chi"]
    assert speller.correct(["xyz"]) == ["xyz"]  # three letters, no phrase: left alone
    assert speller.correct(["2024"]) == ["2024"]


def test_the_longest_phrase_takes_its_words() -> None:
    book = Phrasebook({"deadlines": ["hạn nộp hồ sơ"], "dossier": ["hồ sơ"], "awards": ["khen"]})
    found = book.find(syllables("hạn nộp hồ sơ khen thưởng"))
    assert [(m.key, m.phrase) for m in found] == [
        ("deadlines", "han nop ho so"),
        ("awards", "khen"),
    ]
    assert book.mentions("dossier", frozenset({"ho", "so", "nop"}))


async def test_campaigns_named_by_place_issuer_number_or_year(services: Services) -> None:
    published = await services.catalog.published()
    answerer = Answerer(Translator())

    async def named(text: str) -> list[str]:
        return [c.id for c in await answerer.named_in(text, published)]

    assert await named("tiêu chí sở xây dựng cần thơ") == ["cantho-sxd-cchc-2021-2025"]
    assert await named("so gd&dt soc trang") == ["soctrang-sgddt-cchc-2022"]
    assert await named("ke hoach 52/KH-UBND") == ["soctrang-cchc-2021-2030"]
    assert await named("127 KH SXD") == ["cantho-sxd-cchc-2021-2025"]
    assert await named("kh 127") == ["cantho-sxd-cchc-2021-2025"]
    assert await named("kế hoạch năm 2024") == ["sxd-cchc-2024"]
    assert await named("giai đoạn 2021–2030") == ["soctrang-cchc-2021-2030"]
    assert await named("quan 11") == ["quan11-cchc-2022"]
    assert await named("An Giagn") == ["angiang-cchc-2021"]
    assert sorted(await named("soc trang")) == [
        "soctrang-cchc-2021-2030",
        "soctrang-sgddt-cchc-2022",
    ]
    assert await named("hom nay") == []
    assert await named("tiêu chí cá nhân") == []  # "nhân" in a title names nothing


def test_when_a_question_is_about() -> None:
    answerer = Answerer(Translator())
    sunday = date(2026, 11, 22)
    index, speller = answerer._build([])  # an index of no campaigns: reading still works
    answerer._index, answerer._speller = index, speller
    week = answerer.read("tuần sau có hạn gì không", sunday).window
    assert week is not None and (week.start, week.end) == (date(2026, 11, 23), date(2026, 11, 29))
    month = answerer.read("hạn tháng 1", sunday).window
    assert month is not None and (month.start, month.end) == (date(2027, 1, 1), date(2027, 1, 31))
    year = answerer.read("hồ sơ năm 2024", sunday)
    assert year.years == [2024] and year.window is not None and year.window.start.year == 2024
