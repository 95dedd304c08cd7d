"""Message catalogs from locales/*.yaml.

A message is Markup: the catalog's own emphasis (<b>, <i>) around values escaped into it, the
form Telegram's HTML renderer sends as it is. Everything that is not HTML (Zalo and the console,
button labels, the workbook, the tờ trình, CSV, the calendar) takes the plain text instead:
`Messages.plain`, or `as_plain` of a message already made. No value is ever escaped twice or
shown as `&amp;`."""

from __future__ import annotations

import html
import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("vi", "en")
_TAG = re.compile(r"<[^>]+>")


def as_plain(text: str) -> str:
    """A message (Markup) as the plain text it reads as; a plain string is returned as it is
    (a title with "&" in it is not HTML, and unescaping it would alter what was typed)."""
    if isinstance(text, Markup):
        return html.unescape(_TAG.sub("", str(text)))
    return text


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            # A list of phrases the bot understands, kept as one "a|b|c" entry.
            flat[name] = "|".join(str(item) for item in value)
        else:
            flat[name] = str(value).rstrip("\n")
    return flat


def load_catalog(language: str, directory: Path = LOCALES_DIR) -> dict[str, str]:
    with (directory / f"{language}.yaml").open(encoding="utf-8") as handle:
        return _flatten(yaml.safe_load(handle) or {})


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


class Translator:
    """All catalogs, loaded once at start-up."""

    def __init__(self, default: str = "vi", directory: Path = LOCALES_DIR) -> None:
        self.default = default
        self.catalogs = {lang: load_catalog(lang, directory) for lang in LANGUAGES}

    def for_language(self, language: str | None) -> Messages:
        lang = language if language in self.catalogs else self.default
        return Messages(lang, self.catalogs[lang])


class Messages:
    """One language's messages. `count=` picks `key.one` / `key.other` where they exist."""

    def __init__(self, language: str, catalog: dict[str, str]) -> None:
        self.language = language
        self._catalog = catalog

    def __call__(self, key: str, /, **values: object) -> Markup:
        count = values.get("count")
        if isinstance(count, int) and f"{key}.other" in self._catalog:
            key = f"{key}.one" if count == 1 and f"{key}.one" in self._catalog else f"{key}.other"
        return Markup(self._catalog[key]).format(**values)

    def plain(self, key: str, /, **values: object) -> str:
        """The message as plain text, nothing left escaped: for buttons, papers, workbooks and
        anything that is not Telegram's HTML ("&" is an ampersand there, never "&amp;"; the
        catalog's own <b> goes, and a message given as a value reads as its text)."""
        return as_plain(self(key, **values))

    def phrases(self, key: str) -> list[str]:
        """A list of phrases ("a|b|c") the bot understands, as written in the locale."""
        return [p.strip() for p in self._catalog.get(key, "").split("|") if p.strip()]

    def has(self, key: str) -> bool:
        return key in self._catalog

    def items(self, prefix: str) -> list[tuple[str, str]]:
        """The entries whose key starts with `prefix` (a map in the locale, flattened)."""
        return [(k, v) for k, v in self._catalog.items() if k.startswith(prefix)]
