"""The audit log in words a clerk reads: "Đăng ký thi đua — Văn phòng Sở đã tiếp nhận", not
"pledge / accepted / {"status": "accepted"}"."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bot.i18n import Messages

SHOWN_LIMIT = 500
_CHECKSUM = re.compile(r"[0-9a-f]{64}")
# Values stored as codes, shown by name: the campaign's title rather than its id.
Names = Mapping[str, Mapping[str, str]]


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


def subject_words(entity: str, entity_id: str, names: Names) -> str:
    """What an event is about: a record's reference, a campaign by its title (not its id)."""
    return names.get(entity, {}).get(entity_id, entity_id)


def change_words(t: Messages, entity: str, stored: str | None, names: Names | None = None) -> str:
    """Stored JSON as "Trạng thái: Đã gửi; Ý kiến: …", each field named in the clerk's words,
    each value in words too (a campaign's title, an area's name), never a code."""
    if not stored:
        return ""
    try:
        values = json.loads(stored)
    except ValueError:
        return stored[:SHOWN_LIMIT]
    if not isinstance(values, dict):
        return _value(t, entity, "", values, names or {})
    parts = []
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        label = t.plain(f"audit.field.{key}") if t.has(f"audit.field.{key}") else key
        parts.append(f"{label}: {_value(t, entity, key, value, names or {})}")
    text = "; ".join(parts)
    return text if len(text) <= SHOWN_LIMIT else text[:SHOWN_LIMIT].rsplit(" ", 1)[0] + "…"


def _value(t: Messages, entity: str, key: str, value: Any, names: Names) -> str:
    if key == "status" and t.has(f"status.{entity}.{value}"):
        return t.plain(f"status.{entity}.{value}")
    if key == "role" and t.has(f"roles.{value}"):
        return t.plain(f"roles.{value}")
    if key == "kind" and t.has(f"awards.{value}"):
        return t.plain(f"awards.{value}")
    if key == "reform_area" and t.has(f"reform_area.{value}"):
        return t.plain(f"reform_area.{value}")
    if key in names and str(value) in names[key]:
        return names[key][str(value)]
    if isinstance(value, bool):
        return t.plain("audit.true") if value else t.plain("audit.false")
    if isinstance(value, list):
        if value and all(isinstance(v, str) and _CHECKSUM.fullmatch(v) for v in value):
            return t.plain("audit.files", count=len(value))  # older entries kept checksums only
        return ", ".join(_item(v) for v in value)
    if isinstance(value, dict):
        return _item(value)
    return str(value)


def _item(value: Any) -> str:
    """One element of a list: an author with their share, a file by its name."""
    if not isinstance(value, dict):
        return str(value)
    if "full_name" in value:
        share = f" ({value['share']}%)" if value.get("share") else ""
        return f"{value['full_name']}{share}"
    return str(value.get("file_name") or value.get("name") or "")
