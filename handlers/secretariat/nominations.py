"""/nominations: per campaign and emulation year, the pledges proposed for each award form as
its quota fills ("Bằng khen cá nhân: 8/10 năm 2026"), the unit heads' suggestions waiting, the
list closed for the Council, and what goes to it: the nominee list (Excel) and a draft cover
submission (Word)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.council import dossier
from bot.domain.campaign import Campaign
from bot.domain.dates import format_vn_date
from bot.engine.context import Context
from bot.engine.events import Option, OutgoingFile
from bot.numbers import record_id, whole_number
from bot.papers.council_papers import write_nominee_book
from bot.papers.council_papers import write_submission as write_submission_paper
from bot.services.nominations import award_name
from handlers import views
from handlers.secretariat.access import desk_router

router = desk_router()
NOMINEE_BUTTONS = 12


@router.command("nominations")
async def nominations_command(ctx: Context) -> None:
    campaigns = [c for c in await ctx.services.catalog.published() if c.awards]
    named = await ctx.services.answerer.named_in(ctx.value, campaigns) if ctx.value else []
    if len(named) == 1:
        await _show(ctx, named[0], named[0].emulation_year(ctx.today), "")
        return
    ctx.reply(ctx.t("desk.pick_campaign"), views.campaign_buttons(campaigns, "nm"))


async def _campaign_year(ctx: Context) -> tuple[Campaign, int, str] | None:
    """From option data "<campaign>[:<year>[:<filter>]]": a year of the campaign, or None."""
    slug, _, rest = ctx.value.partition(":")
    year_text, _, narrowed = rest.partition(":")
    campaign = await ctx.services.catalog.get(slug)
    if campaign is None:
        ctx.reply(ctx.t("campaigns.not_found"))
        return None
    year = whole_number(year_text, high=9999) or campaign.emulation_year(ctx.today)
    if year not in campaign.years:
        ctx.reply(ctx.t("errors.stale_option"))
        return None
    return campaign, year, narrowed


@router.option("nm")
async def nominations_of(ctx: Context) -> None:
    if chosen := await _campaign_year(ctx):
        await _show(ctx, *chosen)


async def _show(ctx: Context, campaign: Campaign, year: int, narrowed: str) -> None:
    """The year's list, narrowed to one unit ("u<id>") or award form ("a<index>") if asked."""
    queries = ctx.services.reports.queries
    rows = await queries.nominations(campaign.id, year)
    closed = await ctx.services.records.nomination_lists.closed(campaign.id, year)
    key = f"{campaign.id}:{year}"
    lines = [ctx.t("nominations.header", campaign=campaign.short_title, year=year)]
    if closed:
        when = format_vn_date(ctx.services.clock.local(closed.closed_at).date())
        who = closed.closed_by or ctx.t("nominations.by_desk")
        lines.append(ctx.t("nominations.closed", date=when, name=who))
    else:
        lines.append(ctx.t("nominations.open"))
    counted = [r for r in rows if not r["suggested"]]
    shown = _narrow(counted, narrowed)
    if narrowed:
        lines.append(ctx.t("nominations.narrowed", what=await _narrowed_label(ctx, narrowed)))
    for index, award in enumerate(campaign.awards):
        chosen = [r for r in counted if r["award_index"] == index]
        quota = (
            ctx.t("nominations.quota_per_unit", quota=award.quota)
            if award.quota and award.per_unit
            else str(award.quota or "—")
        )
        lines.append(
            ctx.t(
                "nominations.award",
                form=award_name(campaign, index),
                recipients=ctx.t(f"awards.{award.recipients}"),
                occasions=", ".join(ctx.t.plain(f"awards.{o}") for o in award.occasions),
                used=len(chosen),
                quota=quota,
            )
        )
        lines += [_nominee(ctx, r) for r in shown if r["award_index"] == index]
    suggestions = [r for r in rows if r["suggested"]]
    if suggestions:
        lines.append(ctx.t("nominations.suggested", count=len(suggestions)))
        lines += [
            ctx.t("nominations.suggestion", ref=r["ref"], name=_who(r), unit=r["filed_unit"],
                  form=award_name(campaign, r["award_index"]))
            for r in suggestions
        ]  # fmt: skip
    # Recognised initiatives of the year count towards the titles (Chiến sĩ thi đua …): listed
    # beside the proposals so the Council's papers can cite them.
    recognised = [
        i
        for i in await ctx.services.records.initiatives.of_campaign(campaign.id)
        if i.status == "recognised" and i.ref.split("-")[1] == str(year)
    ]
    if recognised:
        lines.append(ctx.t("nominations.initiatives", count=len(recognised)))
        lines += [
            ctx.t("nominations.initiative", ref=i.ref, title=i.title,
                  authors=", ".join(a.full_name for a in i.authors))
            for i in recognised[:NOMINEE_BUTTONS]
        ]  # fmt: skip
    years = await queries.nominable_years(campaign.id)
    waiting = max(0, years.get(year, 0) - len(rows))  # accepted, proposed for nothing yet
    if not rows:
        lines.append(ctx.t("nominations.none"))
    options: list[list[Option]] = []
    for r in [*suggestions, *shown][:NOMINEE_BUTTONS]:
        options.append([Option(f"{'📨' if r['suggested'] else '🏅'} {r['ref']} · {_who(r)}",
                               f"rv:p:{r['pledge_id']}")])  # fmt: skip
    if len(counted) > NOMINEE_BUTTONS or narrowed:
        options.append(
            [
                Option(ctx.t("nominations.by_unit"), f"nu:{key}"),
                Option(ctx.t("nominations.all"), f"nm:{key}"),
            ]
        )
    if not closed and waiting:
        options.append([Option(ctx.t("review.to_nominate", count=waiting), "rv:a")])
    if closed:
        ballot = await ctx.services.council.ballots.of_year(campaign.id, year)
        options += [
            [Option(ctx.t("nominations.excel"), f"nx:{key}")],
            [Option(ctx.t("nominations.word"), f"nd:{key}")],
            [Option(ctx.t("council.ask_reports"), f"rq:{key}")],
            [Option(ctx.t("council.reports_word"), f"cw:{key}")],
            [Option(ctx.t("council.ballot" if ballot else "council.open_ballot"), f"cb:{key}")],
        ]
        if ballot is None:  # once the Council has voted, the list stays as it voted on
            options.append([Option(ctx.t("nominations.reopen"), f"no:{key}")])
    elif counted:
        options.append([Option(ctx.t("nominations.close", year=year), f"nc:{key}")])
    others = [y for y in years if y != year]
    if others:
        options.append(
            [Option(ctx.t("nominations.year", year=y), f"nm:{campaign.id}:{y}") for y in others]
        )
    ctx.reply(views.lines(*lines), options)


def _who(row: dict[str, Any]) -> str:
    return str(row["filed_unit"] if row["kind"] == "collective" else row["filed_name"])


def _nominee(ctx: Context, row: dict[str, Any]) -> Any:
    return ctx.t("nominations.nominee", ref=row["ref"], name=_who(row), unit=row["filed_unit"])


def _narrow(rows: list[dict[str, Any]], narrowed: str) -> list[dict[str, Any]]:
    unit_id = record_id(narrowed[1:]) if narrowed[:1] == "u" else None
    return [r for r in rows if r["unit_id"] == unit_id] if unit_id is not None else rows


async def _narrowed_label(ctx: Context, narrowed: str) -> str:
    unit_id = record_id(narrowed[1:])
    unit = await ctx.services.units.by_id(unit_id) if unit_id is not None else None
    return unit.name if unit else "—"


@router.option("nu")
async def pick_unit(ctx: Context) -> None:
    """The units with proposals this year, to see one at a time."""
    if (chosen := await _campaign_year(ctx)) is None:
        return
    campaign, year, _ = chosen
    rows = await ctx.services.reports.queries.nominations(campaign.id, year)
    units: dict[int, tuple[str, int]] = {}
    for r in rows:
        name, count = units.get(r["unit_id"], (r["filed_unit"], 0))
        units[r["unit_id"]] = (name, count + 1)
    options = [
        [Option(f"{name} ({count})", f"nm:{campaign.id}:{year}:u{unit_id}")]
        for unit_id, (name, count) in units.items()
    ]
    ctx.reply(ctx.t("nominations.pick_unit", year=year), options)


@router.option("nc")
async def close_list_asks(ctx: Context) -> None:
    """What closing freezes, before it does: the counts, the suggestions still waiting, and
    registration still open."""
    if (chosen := await _campaign_year(ctx)) is None:
        return
    campaign, year, _ = chosen
    rows = await ctx.services.reports.queries.nominations(campaign.id, year)
    counted = [r for r in rows if not r["suggested"]]
    waiting = sorted({str(r["filed_unit"]) for r in rows if r["suggested"]})
    lines = [ctx.t("nominations.close_confirm", year=year, count=len(counted))]
    for index, _award in enumerate(campaign.awards):
        chosen_rows = [r for r in counted if r["award_index"] == index]
        if chosen_rows:
            lines.append(ctx.t("nominations.close_form", form=award_name(campaign, index),
                               occasion=occasion_label(ctx, campaign, index, year),
                               count=len(chosen_rows)))  # fmt: skip
    if waiting:
        lines.append(ctx.t("nominations.close_waiting", count=len(waiting),
                           units=", ".join(waiting)))  # fmt: skip
    window = campaign.registration_window_for(year)
    if campaign.status == "published" and window.contains(ctx.today):
        lines.append(ctx.t("nominations.close_registration",
                           until=format_vn_date(window.end)))  # fmt: skip
    key = f"{campaign.id}:{year}"
    confirm = [
        [Option(ctx.t("nominations.close_yes"), f"nk:{key}")],
        [Option(ctx.t("nominations.close_no"), f"nm:{key}")],
    ]
    ctx.reply(views.lines(*lines), confirm)


def occasion_label(ctx: Context, campaign: Campaign, index: int, year: int) -> str:
    """ "hằng năm 2026" or "cuối Giai đoạn 5 năm 2021-2025": what tells two quotas apart."""
    from bot.services.records import RecordService

    award = campaign.awards[index]
    period = RecordService.award_period(campaign, index, year)
    if "yearly" in award.occasions:
        return ctx.t.plain("awards_desk.occasion_yearly", year=period)
    if "phase_end" in award.occasions:
        return ctx.t.plain("awards_desk.occasion_phase", phase=period)
    return ctx.t.plain("awards_desk.occasion_campaign")


@router.option("nk")
async def close_list(ctx: Context) -> None:
    await _close_or_reopen(ctx, close=True)


@router.option("no")
async def reopen_list(ctx: Context) -> None:
    await _close_or_reopen(ctx, close=False)


async def _close_or_reopen(ctx: Context, close: bool) -> None:
    if (chosen := await _campaign_year(ctx)) is None:
        return
    campaign, year, _ = chosen
    records = ctx.services.records
    if not close and await ctx.services.council.ballots.of_year(campaign.id, year):
        ctx.reply(ctx.t("council.no_reopen", year=year))
        await _show(ctx, campaign, year, "")
        return
    change = records.close_nominations if close else records.reopen_nominations
    if await change(ctx.person, campaign, year):
        ctx.reply(ctx.t("nominations.closed_now" if close else "nominations.reopened", year=year))
    await _show(ctx, campaign, year, "")


async def _papers(ctx: Context) -> tuple[Campaign, int, list[dict[str, Any]]] | None:
    """The campaign and year an option names and its proposals, once the list is closed."""
    if (chosen := await _campaign_year(ctx)) is None:
        return None
    campaign, year, _ = chosen
    if not await ctx.services.records.nomination_lists.closed(campaign.id, year):
        ctx.reply(ctx.t("nominations.close_first", year=year))
        return None
    rows = await ctx.services.reports.queries.nominations(campaign.id, year)
    return campaign, year, [r for r in rows if not r["suggested"]]


@router.option("nx")
async def nominee_list(ctx: Context) -> None:
    if (papers := await _papers(ctx)) is None:
        return
    campaign, year, rows = papers
    name = f"danh-sach-de-nghi-{campaign.id}-nam-{year}.xlsx"
    path = ctx.services.settings.exports_path / f"{ctx.person.id}-{name}"
    bodies, basis, lines = await _dossier(ctx, campaign, year, rows)
    t = ctx.services.translator.for_language("vi")  # the state's papers are in Vietnamese
    await asyncio.to_thread(write_nominee_book, t, bodies, basis, lines, path)
    ctx.reply(
        ctx.t("nominations.excel_sent", count=len(rows), year=year),
        _after_papers(ctx, "nd", "nominations.word"),
        files=[OutgoingFile(name, path)],
    )


@router.option("nd")
async def submission_draft(ctx: Context) -> None:
    if (papers := await _papers(ctx)) is None:
        return
    campaign, year, rows = papers
    name = f"du-thao-to-trinh-{campaign.id}-nam-{year}.docx"
    path = ctx.services.settings.exports_path / f"{ctx.person.id}-{name}"
    bodies, basis, lines = await _dossier(ctx, campaign, year, rows)
    t = ctx.services.translator.for_language("vi")
    await asyncio.to_thread(write_submission_paper, t, bodies, basis, lines, path)
    ctx.reply(
        ctx.t("nominations.word_sent", year=year),
        _after_papers(ctx, "nx", "nominations.excel"),
        files=[OutgoingFile(name, path)],
    )


def _after_papers(ctx: Context, other: str, label: str) -> list[list[Option]]:
    """Under a paper just sent: the other paper, and back to the list (no dead end)."""
    return [
        [Option(ctx.t(label), f"{other}:{ctx.value}")],
        [Option(ctx.t("nominations.back"), f"nm:{ctx.value}")],
    ]


async def _dossier(
    ctx: Context, campaign: Campaign, year: int, rows: list[dict[str, Any]]
) -> tuple[dossier.Bodies, dossier.Basis, list[dossier.NomineeLine]]:
    council = await ctx.services.council.council_for(campaign)
    return (
        await dossier.bodies(ctx.services, campaign, council),
        dossier.basis(ctx.services, campaign, year),
        await dossier.nominee_lines(ctx.services, campaign, rows),
    )
