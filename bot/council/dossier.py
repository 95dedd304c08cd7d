"""What the papers need, gathered from the records: the nominees as lines (with the summary
from their achievement report), who writes which paper, and what they cite."""

from __future__ import annotations

from typing import Any

from bot.domain.campaign import Campaign
from bot.domain.dates import parse_vn_date
from bot.papers.council_papers import Basis, Bodies, NomineeLine, long_date

__all__ = ["Basis", "Bodies", "NomineeLine"]
from bot.services.container import Services
from bot.textmatch import fold
from storage.council import Council, IssuingBody

SUMMARY_LIMIT = 400
# Items of a campaign's own legal basis the standing basis already cites, or that a later
# decree replaced: not cited twice.
ALREADY_CITED = ("luat thi dua", "98/2023")


def award_label(campaign: Campaign, index: int) -> str:
    if index >= len(campaign.awards):
        return "—"
    award = campaign.awards[index]
    return f"{award.form} ({award.granted_by})"


def summary_of(answers: dict[str, str], initiatives: list[str]) -> str:
    """Thành tích tóm tắt: what the nominee reported, then the recognised initiatives."""
    parts = [answers.get(k, "").strip() for k in ("duties", "pledge", "solutions")]
    text = "; ".join(p.rstrip(".;") for p in parts if p)
    if initiatives:
        text = f"{text}; {'; '.join(initiatives)}" if text else "; ".join(initiatives)
    if len(text) > SUMMARY_LIMIT:
        text = text[:SUMMARY_LIMIT].rsplit(" ", 1)[0] + "…"
    return text


async def nominee_lines(
    services: Services, campaign: Campaign, rows: list[dict[str, Any]]
) -> list[NomineeLine]:
    """The closed list's nominees, each with its unit named under its body ("Phòng Cải cách
    hành chính, Sở Nội vụ tỉnh Sóc Trăng") and its summary from its achievement report."""
    council = services.council
    t = services.translator.for_language("vi")
    reports = await council.reports.of_pledges([r["pledge_id"] for r in rows])
    lines = []
    for r in rows:
        pledge = await services.records.pledges.by_id(r["pledge_id"])
        assert pledge is not None
        unit = await unit_path(services, pledge.unit_id, r["filed_unit"])
        initiatives = [
            t.plain("papers.initiative", ref=i.ref, title=i.title)
            for i in await council.recognised_initiatives(pledge)
            if i.ref.split("-")[1] == str(pledge.year)
        ]
        report = reports.get(pledge.id)
        summary = summary_of(report.answers if report else {}, initiatives)
        collective = r["kind"] == "collective"
        lines.append(
            NomineeLine(
                r["ref"],
                r["kind"],
                r["filed_unit"] if collective else r["filed_name"],
                "" if collective else r["filed_position"],
                unit,
                award_label(campaign, r["award_index"]),
                summary or t.plain("papers.no_report"),
            )
        )
    return lines


async def unit_path(services: Services, unit_id: int, filed: str) -> str:
    """The unit as filed, then the bodies above it up to (not including) the province."""
    lineage = await services.units.lineage(unit_id)
    names = [filed] + [u.name for u in lineage[1:-1]] if len(lineage) > 2 else [filed]
    return ", ".join(dict.fromkeys(names))


async def body_of(services: Services, unit_id: int | None, fallback: str) -> IssuingBody:
    if unit_id is not None:
        body = await services.council.repo.body(unit_id)
        if body is not None:
            return body
        unit = await services.units.by_id(unit_id)
        if unit is not None:
            return IssuingBody(unit_id, unit.name)
    return IssuingBody(0, fallback)


async def superior_of(services: Services, unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    lineage = await services.units.lineage(unit_id)
    if len(lineage) < 2:
        return ""
    return (await body_of(services, lineage[1].id, lineage[1].name)).name


async def bodies(services: Services, campaign: Campaign, council: Council | None) -> Bodies:
    """From the organisation file: the Council's secretariat drafts, its body decides."""
    decider_id = council.unit_id if council else None
    secretariat_id = council.secretariat_id if council else None
    decider = await body_of(services, decider_id, campaign.issuer)
    secretariat = (
        await body_of(services, secretariat_id, campaign.issuer) if secretariat_id else (decider)
    )
    return Bodies(
        secretariat,
        await superior_of(services, secretariat_id) if secretariat_id else "",
        council.name if council else services.translator.for_language("vi").plain("papers.council"),
        decider,
        await superior_of(services, decider_id),
    )


def basis(services: Services, campaign: Campaign, year: int) -> Basis:
    t = services.translator.for_language("vi")
    plan = campaign.plan
    if plan.number:
        when = f" {long_date(parse_vn_date(plan.date))}" if plan.date else ""
        cited = t.plain(
            "papers.plan",
            kind=plan.kind,
            number=plan.number,
            when=when,
            issuer=campaign.issuer,
            title=campaign.title,
        )
    else:
        cited = t.plain(
            "papers.plan_unnumbered", kind=plan.kind, issuer=campaign.issuer, title=campaign.title
        )
    own = [b for b in campaign.legal_basis if not any(s in fold(b) for s in ALREADY_CITED)]
    return Basis(services.council.rules.council.legal_basis, cited, campaign.title, year, own)
