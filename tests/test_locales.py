"""Every key and placeholder exists in every language; every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import LANGUAGES, Translator, placeholders

ROOT = Path(__file__).resolve().parent.parent


def test_same_keys_and_placeholders_in_every_language() -> None:
    catalogs = Translator().catalogs
    reference = catalogs["vi"]
    for language in LANGUAGES:
        catalog = catalogs[language]
        assert set(catalog) == set(reference), language
        for key, template in catalog.items():
            assert placeholders(template) == placeholders(reference[key]), (language, key)


def test_tags_open_and_close_on_the_same_line() -> None:
    for catalog in Translator().catalogs.values():
        for key, template in catalog.items():
            for line in template.split("\n"):
                for tag in ("b", "i"):
                    assert line.count(f"<{tag}>") == line.count(f"</{tag}>"), key


def test_every_literal_key_used_in_code_exists() -> None:
    catalog = Translator().catalogs["vi"]
    used: set[str] = set()
    for path in [*ROOT.glob("handlers/*.py"), *ROOT.glob("bot/**/*.py")]:
        used |= set(
            re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z_.]+)\"", path.read_text(encoding="utf-8"))
        )
    assert used, "the scan found no keys"
    missing = {key for key in used if key not in catalog and f"{key}.other" not in catalog}
    assert missing == set()


def test_values_are_escaped_unless_markup() -> None:
    t = Translator().for_language("vi")
    assert str(t("join.done", name="<b>x</b>", position="a & b", unit="U")) == (
        "✅ Đã ghi nhận: <b>&lt;b&gt;x&lt;/b&gt;</b>, a &amp; b — U."
    )
    assert str(t("deadlines.left", count=1)) == "  ⏳ còn 1 ngày"
    assert str(Translator().for_language("en")("deadlines.left", count=1)) == "  ⏳ 1 day left"
