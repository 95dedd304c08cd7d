"""Long answers split under a channel's limit, every chunk valid HTML for Telegram."""

from __future__ import annotations

from bot.engine.split import size, split_html
from tests.standins.telegram_api import parse_html


def test_short_text_is_one_chunk() -> None:
    assert split_html("<b>ngắn</b>", 4096) == ["<b>ngắn</b>"]


def test_long_html_splits_with_balanced_tags() -> None:
    body = "\n".join(f"<b>Mục {n}</b>: " + "nội dung &amp; 🙂 " * 30 for n in range(200))
    text = f"<i>{body}</i>"
    chunks = split_html(text, 4096)
    assert len(chunks) > 3
    for chunk in chunks:
        assert size(chunk) <= 4096
        parse_html(chunk)  # raises on broken markup
    assert "".join(parse_html(c) for c in chunks).count("Mục") == 200


def test_a_single_huge_line_is_cut_at_spaces_never_inside_an_entity() -> None:
    text = ("từ &amp; " * 3000).strip()
    chunks = split_html(text, 2000)
    assert all(size(c) <= 2000 for c in chunks)
    assert all(parse_html(c) for c in chunks)
