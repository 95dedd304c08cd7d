"""The audit log in words a clerk reads: "Đăng ký thi đua — Văn phòng Sở đã tiếp nhận", not
"pledge / accepted / {"status": "accepted"}"."""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import Messages

SHOWN_LIMIT = 500


def entity_words(t: Messages, entity: str) -> str:
    key = f"audit.entity.{entity}"
    return t.plain(key) if t.has(key) else entity


def action_words(t: Messages, entity: str, action: str) -> str:
    """A named action, or a change of status said as the status it reached."""
    if t.has(f"audit.action.{action}"):
        return t.plain(f"audit.action.{action}")
    if t.has(f"status.{entity}.{action}"):
        return t.plain("audit.action.status", status=t(f"status.{entity}.{action}"))
    return action


def channel_words(t: Messages, channel: str | None) -> str:
    if not channel:
        return ""
    key = f"audit.channel.{channel}"
    return t.plain(key) if t.has(key) else channel


def change_words(t: Messages, entity: str, stored: str | None) -> str:
    """Stored JSON as "Trạng thái: Đã gửi; Ý kiến: …", each field named in the clerk's words."""
    if not stored:
        return ""
    try:
        values = json.loads(stored)
    except ValueError:
        return stored[:SHOWN_LIMIT]
    if not isinstance(values, dict):
        return _value(t, entity, "", values)
    parts = []
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        label = t.plain(f"audit.field.{key}") if t.has(f"audit.field.{key}") else key
        parts.append(f"{label}: {_value(t, entity, key, value)}")
    text = "; ".join(parts)
    return text if len(text) <= SHOWN_LIMIT else text[:SHOWN_LIMIT].rsplit(" ", 1)[0] + "…"


def _value(t: Messages, entity: str, key: str, value: Any) -> str:
    if key == "status" and t.has(f"status.{entity}.{value}"):
        return t.plain(f"status.{entity}.{value}")
    if key == "role" and t.has(f"roles.{value}"):
        return t.plain(f"roles.{value}")
    if key == "kind" and t.has(f"awards.{value}"):
        return t.plain(f"awards.{value}")
    if isinstance(value, bool):
        return t.plain("audit.true") if value else t.plain("audit.false")
    if isinstance(value, list):
        return ", ".join(
            str(v.get("full_name", v)) if isinstance(v, dict) else str(v) for v in value
        )
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
