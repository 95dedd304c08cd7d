"""Every part of a campaign as passages to search: the fields of its file, and the plan's own
text (where the file carries it) cut at its headings and paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.campaign import Campaign

# Roman-numbered parts ("III. Công tác khen thưởng") and numbered items ("2.1. Đối với tập thể").
_PART = re.compile(r"^([IVXL]+)\.\s+(.*)$")
_ITEM = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+")
LONGEST_PASSAGE = 450
SHORTEST_LINE = 20


@dataclass(frozen=True)
class Passage:
    """One piece of a campaign. `section` is the file's field it comes from, or "plan" for the
    plan's text, where `number` is its heading ("III.2") or `paragraph` its place."""

    section: str
    text: str
    heading: str = ""
    number: str | None = None
    paragraph: int | None = None


def passages_of(campaign: Campaign) -> list[Passage]:
    c = campaign
    fields: list[tuple[str, list[str]]] = [
        ("purpose", c.purpose),
        ("requirements", c.requirements),
        (
            "participants",
            [p for p in (c.participants.collectives, c.participants.individuals) if p],
        ),
        ("content", c.content),
        ("criteria", [*c.criteria.collective, *c.criteria.individual]),
        ("awards", [a.note or f"{a.form} {a.granted_by}" for a in c.awards]),
        ("dossier", [*(c.dossier.documents if c.dossier else []), *_dossier_extra(c)]),
        ("deadlines", [d.label + (f" {d.note}" if d.note else "") for d in c.deadlines]),
        ("funding", [c.funding] if c.funding else []),
        ("legal_basis", c.legal_basis),
        ("theme", [c.theme] if c.theme else []),
        ("notes", c.notes),
        ("phases", [p.name for p in c.phases]),
    ]
    found = [Passage(section, text) for section, items in fields for text in items]
    if c.plan_text:
        found.extend(plan_passages(c.plan_text))
    return found


def _participants(c: Campaign) -> list[str]:
    return [p for p in (c.participants.collectives, c.participants.individuals) if p]


def _dossier_extra(c: Campaign) -> list[str]:
    if c.dossier is None:
        return []
    return [t for t in (c.dossier.send_to, c.dossier.note) if t]


def plan_passages(text: str) -> list[Passage]:
    """The plan's text in pieces a person can be shown: each paragraph (long ones cut at
    sentence ends), with the heading it falls under."""
    found: list[Passage] = []
    part: str | None = None
    item: str | None = None
    heading_part = heading_item = ""
    paragraph = 0
    for raw in text.splitlines():
        line = " ".join(raw.split()).strip("* ")
        if not line:
            continue
        if m := _PART.match(line):
            part, item, heading_part, heading_item = m.group(1), None, m.group(2), ""
            continue
        if m := _ITEM.match(line):
            item, rest = m.group(1), m.group(2)
            title, _, body = rest.partition(":")
            if body.strip():
                heading_item, line = title, rest
            else:
                heading_item = rest.rstrip(":")
                continue
        if line[0].islower() and found and found[-1].paragraph == paragraph:
            # A sentence the page broke across lines ("… Thường trực Hội / đồng thi đua").
            last = found.pop()
            line = f"{last.text} {line}"
            paragraph -= 1
        elif len(line) < SHORTEST_LINE:
            continue
        paragraph += 1
        number = f"{part}.{item}" if part and item else part or item
        heading = " ".join(h for h in (heading_part, heading_item) if h)
        for chunk in _chunks(line):
            found.append(Passage("plan", chunk, heading, number, paragraph))
    return found


def _chunks(line: str) -> list[str]:
    if len(line) <= LONGEST_PASSAGE:
        return [line]
    chunks: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(line):
        if current and len(current) + len(sentence) > LONGEST_PASSAGE:
            chunks.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    return chunks
