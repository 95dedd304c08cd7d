"""What goes to the Council (Hội đồng thi đua, khen thưởng) for one emulation year: the
nominee list in the usual form, as an Excel sheet, and a draft cover submission (tờ trình) as a
Word document — to edit, not to sign blind."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from bot.domain.campaign import Campaign
from bot.i18n import Messages
from bot.services.reports import Reports, Sheet
from bot.services.safe_files import add_text

SUMMARY_LIMIT = 300


def award_name(campaign: Campaign, index: int) -> str:
    if index >= len(campaign.awards):
        return "—"
    award = campaign.awards[index]
    return f"{award.form} ({award.granted_by})"


def nominee_sheet(campaign: Campaign, rows: list[dict[str, Any]], t: Messages) -> Sheet:
    """STT, họ tên, chức vụ, đơn vị, hình thức, thành tích tóm tắt."""
    headers = [t.plain(f"nominations.h_{k}") for k in ("no", "name", "position", "unit", "form",
                                                       "summary")]  # fmt: skip
    listed: list[list[Any]] = []
    for n, r in enumerate(rows, 1):
        collective = r["kind"] == "collective"
        done = [*json.loads(r["commitments"]), *json.loads(r["own_commitments"])]
        summary = "; ".join(done)
        if len(summary) > SUMMARY_LIMIT:
            summary = summary[:SUMMARY_LIMIT].rsplit(" ", 1)[0] + "…"
        listed.append(
            [
                n,
                r["filed_unit"] if collective else r["filed_name"],
                "" if collective else r["filed_position"],
                r["filed_unit"],
                award_name(campaign, r["award_index"]),
                summary,
            ]
        )
    return Sheet("nominees", t.plain("nominations.sheet"), headers, listed)


def write_nominee_list(
    campaign: Campaign, rows: list[dict[str, Any]], t: Messages, path: Path
) -> Path:
    Reports.write_workbook([nominee_sheet(campaign, rows, t)], path)
    return path


def _paragraph(document: Any, text: str, style: str | None = None) -> Any:
    """A paragraph of plain, clean text (safe_files.add_text: nothing a Word file cannot hold,
    no HTML entity)."""
    paragraph = document.add_paragraph(style=style)
    add_text(paragraph, text)
    return paragraph


def write_submission(
    campaign: Campaign,
    year: int,
    rows: list[dict[str, Any]],
    t: Messages,
    today_text: str,
    path: Path,
) -> Path:
    """A draft tờ trình: who submits, on what basis, how many of each award, the list attached."""
    from docx import Document  # imported where used: it is not needed to chat
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    draft = _paragraph(document, t.plain("nominations.draft_mark"))
    draft.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    issuer = _paragraph(document, campaign.issuer.upper())
    issuer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    title = document.add_heading(level=1)
    add_text(title, t.plain("nominations.doc_title"))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    about = _paragraph(
        document, t.plain("nominations.doc_about", campaign=campaign.title, year=year)
    )
    about.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, t.plain("nominations.doc_to"))
    plan = (
        t("answers.plan_numbered", kind=campaign.plan.kind, number=campaign.plan.number)
        if campaign.plan.number
        else t("answers.plan_of", kind=campaign.plan.kind, issuer=campaign.issuer)
    )
    for basis in [*campaign.legal_basis, t.plain("nominations.doc_plan", plan=plan)]:
        _paragraph(document, t.plain("nominations.doc_basis", basis=basis))
    counts = Counter((r["award_index"], r["kind"]) for r in rows)
    _paragraph(document, t.plain("nominations.doc_proposes", count=len(rows), year=year))
    for (index, kind), count in sorted(counts.items()):
        recipients = t.plain(f"awards.{kind}")
        line = t.plain(
            "nominations.doc_line",
            form=award_name(campaign, index),
            count=count,
            recipients=recipients,
        )
        _paragraph(document, line, style="List Bullet")
    _paragraph(document, t.plain("nominations.doc_attached"))
    _paragraph(document, t.plain("nominations.doc_closing", date=today_text))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
