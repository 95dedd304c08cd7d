"""After the list is closed, at the desk: the achievement reports asked for, the Council's
secret ballot opened with a closing time and followed, its results, the minutes and the draft
decision, and the signed decision recorded (which writes the award history and tells those
awarded). Also the award history: its sheet to fill in, and a search by name."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup

from bot.council import dossier
from bot.council.history_sheet import read_history, write_history
from bot.council.service import Tally
from bot.domain.campaign import Campaign
from bot.domain.dates import format_vn_date, parse_vn_date
from bot.engine.context import Context
from bot.engine.events import FileTooLarge, Option, OutgoingFile
from bot.numbers import record_id, whole_number
from bot.papers.council_papers import (
    Count,
    NomineeLine,
    Sitting,
    write_decision,
    write_minutes,
)
from bot.services.files import safe_name, sheet_of
from bot.services.records import Notice
from handlers import views
from handlers.secretariat.access import desk_router
from storage.council import Award, Ballot, Member

router = desk_router()
CLOSING_HOURS = (24, 72)
MAX_SHEET_BYTES = 5_000_000
PROBLEMS_SHOWN = 15
DECISION = re.compile(r"^\s*(?:số\s*)?(\S+/\S+)\s+(?:ngày\s*)?(\d{1,2}/\d{1,2}/\d{4})\s*$", re.I)


async def _closed_list(ctx: Context) -> tuple[Campaign, int, list[dict[str, Any]]] | None:
    """From option data "<campaign>:<year>": the closed list's nominees, or None (said why)."""
    slug, _, year_text = ctx.value.partition(":")
    campaign = await ctx.services.catalog.get(slug)
    year = whole_number(year_text, high=9999)
    if campaign is None or year is None or year not in campaign.years:
        ctx.reply(ctx.t("errors.stale_option"))
        return None
    if not await ctx.services.records.nomination_lists.closed(campaign.id, year):
        ctx.reply(ctx.t("nominations.close_first", year=year))
        return None
    rows = await ctx.services.reports.queries.nominations(campaign.id, year)
    return campaign, year, [r for r in rows if not r["suggested"]]


# --- achievement reports -----------------------------------------------------------------
@router.option("rq")
async def ask_for_reports(ctx: Context) -> None:
    """Each nominee (the unit head, for a collective) is asked for their report."""
    if (chosen := await _closed_list(ctx)) is None:
        return
    campaign, year, rows = chosen
    council = ctx.services.council
    notices: list[Notice] = []
    asked = 0
    for r in rows:
        if not await council.reports.request(r["pledge_id"]):
            continue  # asked before (or filed already)
        asked += 1
        pledge = await ctx.services.records.pledges.by_id(r["pledge_id"])
        assert pledge is not None
        who = [await ctx.services.persons.by_id(pledge.person_id)]
        if pledge.kind == "collective":
            who = [
                p
                for p in await ctx.services.persons.members_of(pledge.unit_id)
                if p.role == "unit_head"
            ] or who
        for person in who:
            if person is None:
                continue
            t = ctx.services.translator.for_language(person.locale)
            text = t(
                "achievement.asked",
                ref=pledge.ref,
                form=dossier.award_label(campaign, r["award_index"]),
                year=year,
            )
            notices.append(
                Notice(person, str(text), [[(t.plain("achievement.start"), f"ta:{pledge.id}")]])
            )
    await ctx.services.records.notify(notices)
    ctx.reply(
        ctx.t("council.reports_asked", count=asked, year=year),
        [[Option(ctx.t("nominations.back"), f"nm:{campaign.id}:{year}")]],
    )


# --- the ballot --------------------------------------------------------------------------
@router.option("cb")
async def ballot_of_list(ctx: Context) -> None:
    """The year's ballot if there is one; otherwise the Council's members and when to close."""
    if (chosen := await _closed_list(ctx)) is None:
        return
    campaign, year, rows = chosen
    council = ctx.services.council
    ballot = await council.ballots.of_year(campaign.id, year)
    if ballot is not None:
        await _status(ctx, ballot)
        return
    body = await council.council_for(campaign)
    if body is None:
        ctx.reply(ctx.t("council.no_council", campaign=campaign.short_title))
        return
    members = await council.repo.members(body.id)
    if not members:
        ctx.reply(ctx.t("council.no_members", council=body.name))
        return
    if not rows:
        ctx.reply(ctx.t("nominations.none"))
        return
    lines = [ctx.t("council.members", council=body.name, count=len(members))]
    lines += [_member_line(ctx, m) for m in members]
    lines.append(ctx.t("council.ask_closing", count=len(rows)))
    key = f"{campaign.id}:{year}"
    options = [
        [Option(ctx.t("council.close_after", hours=h), f"bo:{key}:{h}")] for h in CLOSING_HOURS
    ]
    ctx.reply(views.lines(*lines), options)


def _member_line(ctx: Context, member: Member) -> Markup:
    messenger = ctx.t(f"council.on_{member.channel}")
    return ctx.t(
        "council.member", name=member.full_name, role=member.role or "—", messenger=messenger
    )


@router.option("bo")
async def open_ballot(ctx: Context) -> None:
    key, _, hours = ctx.value.rpartition(":")
    ctx.value = key
    if (chosen := await _closed_list(ctx)) is None:
        return
    campaign, year, rows = chosen
    if whole_number(hours) not in CLOSING_HOURS:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    council = ctx.services.council
    body = await council.council_for(campaign)
    if body is None:
        ctx.reply(ctx.t("council.no_council", campaign=campaign.short_title))
        return
    closes = ctx.services.clock.now() + timedelta(hours=int(hours))

    async def notices_for(members: list[Member], ballot: Ballot) -> list[Notice]:
        notices = []
        for member in members:
            person = await ctx.services.people.identify(member.channel, member.external_id)
            t = ctx.services.translator.for_language(person.locale)
            text = t(
                "council.ballot_notice",
                council=body.name,
                campaign=campaign.short_title,
                year=year,
                count=len(rows),
                closes=_when(ctx, ballot.closes_at),
            )
            notices.append(
                Notice(person, str(text), [[(t.plain("council.vote_start"), f"bm:{ballot.id}")]])
            )
        return notices

    ballot = await council.open_ballot(
        ctx.person,
        campaign,
        year,
        body,
        closes,
        [(r["pledge_id"], r["award_index"]) for r in rows],
        notices_for,
    )
    if ballot is None:
        existing = await council.ballots.of_year(campaign.id, year)
        assert existing is not None
        await _status(ctx, existing)
        return
    ctx.reply(
        ctx.t(
            "council.opened",
            members=ballot.members,
            count=len(rows),
            closes=_when(ctx, ballot.closes_at),
        )
    )
    await _status(ctx, ballot)


def _when(ctx: Context, stamp: str) -> str:
    moment = datetime.fromisoformat(stamp).astimezone(ctx.services.clock.zone)
    return moment.strftime("%H:%M %d/%m/%Y")


@router.option("bs")
async def ballot_status(ctx: Context) -> None:
    ballot = await _ballot(ctx, ctx.value)
    if ballot is not None:
        await _status(ctx, ballot)


async def _ballot(ctx: Context, value: str) -> Ballot | None:
    ident = record_id(value)
    ballot = await ctx.services.council.ballots.by_id(ident) if ident else None
    if ballot is None:
        ctx.reply(ctx.t("errors.stale_option"))
    return ballot


async def _status(ctx: Context, ballot: Ballot) -> None:
    """Open: who has voted (not how), until when. Closed: each nominee passed or not."""
    council = ctx.services.council
    ballot = await council.refresh(ballot)
    campaign = await ctx.services.catalog.get(ballot.campaign_id)
    assert campaign is not None
    done = await council.ballots.voters_done(ballot.id)
    lines = [ctx.t("council.status", campaign=campaign.short_title, year=ballot.year)]
    options: list[list[Option]] = []
    if not ballot.closed:
        lines.append(
            ctx.t(
                "council.open_until",
                done=done,
                members=ballot.members,
                closes=_when(ctx, ballot.closes_at),
            )
        )
        options.append([Option(ctx.t("council.refresh"), f"bs:{ballot.id}")])
    else:
        assert ballot.closed_at is not None
        lines.append(
            ctx.t(
                "council.closed",
                done=done,
                members=ballot.members,
                closed=_when(ctx, ballot.closed_at),
            )
        )
        for tally, line in await _counted(ctx, ballot, campaign):
            key = "council.result_passed" if tally.passed else "council.result_not_passed"
            lines.append(
                ctx.t(
                    key,
                    name=line.name,
                    form=line.form,
                    yes=tally.nominee.yes,
                    members=ballot.members,
                    needed=_needed(ctx, tally),
                )
            )
        decision = await council.ballots.decision(ballot.id)
        options += [
            [Option(ctx.t("council.minutes"), f"bn:{ballot.id}")],
            [Option(ctx.t("council.decision_draft"), f"bd:{ballot.id}")],
        ]
        if decision is None:
            options.append([Option(ctx.t("council.record"), f"br:{ballot.id}")])
        else:
            lines.append(ctx.t("council.recorded", number=decision.number, date=decision.signed_on))
    options.append([Option(ctx.t("nominations.back"), f"nm:{campaign.id}:{ballot.year}")])
    ctx.reply(views.lines(*lines), options)


def _needed(ctx: Context, tally: Tally) -> str:
    share = round(tally.nominee.share * 100)
    key = "council.needed_over" if tally.nominee.strict else "council.needed_from"
    return ctx.t.plain(key, share=share)


async def _counted(
    ctx: Context, ballot: Ballot, campaign: Campaign
) -> list[tuple[Tally, NomineeLine]]:
    council = ctx.services.council
    tallies = await council.tallies(ballot)
    rows = await ctx.services.reports.queries.nominations(campaign.id, ballot.year)
    by_pledge = {r["pledge_id"]: r for r in rows}
    chosen = [by_pledge[t.nominee.pledge_id] for t in tallies if t.nominee.pledge_id in by_pledge]
    lines = {line.ref: line for line in await dossier.nominee_lines(ctx.services, campaign, chosen)}
    out = []
    for tally in tallies:
        row = by_pledge.get(tally.nominee.pledge_id)
        if row is not None:
            out.append((tally, lines[row["ref"]]))
    return out


async def _closed_ballot(ctx: Context) -> tuple[Ballot, Campaign] | None:
    ballot = await _ballot(ctx, ctx.value)
    if ballot is None:
        return None
    ballot = await ctx.services.council.refresh(ballot)
    campaign = await ctx.services.catalog.get(ballot.campaign_id)
    if campaign is None or not ballot.closed:
        ctx.reply(ctx.t("council.still_open"))
        return None
    return ballot, campaign


@router.option("bn")
async def minutes(ctx: Context) -> None:
    if (found := await _closed_ballot(ctx)) is None:
        return
    ballot, campaign = found
    services, t = ctx.services, ctx.services.translator.for_language("vi")
    council = await services.council.repo.council(ballot.council_id)
    bodies = await dossier.bodies(services, campaign, council)
    attendance = await services.council.ballots.attendance(ballot.id)
    members = await services.council.repo.members(ballot.council_id)
    voted = await _voted_members(ctx, ballot, members)
    how = []
    for m in members:
        key = (
            ("papers.took_part_written" if attendance.get(m.id) else "papers.took_part")
            if (m.id in voted)
            else "papers.did_not_vote"
        )
        how.append((m.full_name, m.role, t.plain(key)))
    written = sum(1 for m in members if m.id in voted and attendance.get(m.id))
    assert ballot.closed_at is not None
    sitting = Sitting(
        _when(ctx, ballot.opened_at),
        _when(ctx, ballot.closed_at),
        how,
        ballot.members,
        len(voted) - written,
        written,
    )
    counts = [
        Count(line, tally.nominee.yes, tally.nominee.no, _needed(ctx, tally), tally.passed)
        for tally, line in await _counted(ctx, ballot, campaign)
    ]
    name = f"bien-ban-hop-hoi-dong-{campaign.id}-nam-{ballot.year}.docx"
    path = services.settings.exports_path / f"{ctx.person.id}-{name}"
    basis = dossier.basis(services, campaign, ballot.year)
    await asyncio.to_thread(write_minutes, t, bodies, basis, sitting, counts, path)
    ctx.reply(ctx.t("council.minutes_sent", year=ballot.year), files=[OutgoingFile(name, path)])


async def _voted_members(ctx: Context, ballot: Ballot, members: list[Member]) -> set[int]:
    return {m.id for m in members if await ctx.services.council.ballots.voted_on(ballot.id, m.id)}


@router.option("bd")
async def decision_draft(ctx: Context) -> None:
    if (found := await _closed_ballot(ctx)) is None:
        return
    ballot, campaign = found
    services, t = ctx.services, ctx.services.translator.for_language("vi")
    passed = [line for tally, line in await _counted(ctx, ballot, campaign) if tally.passed]
    council = await services.council.repo.council(ballot.council_id)
    bodies = await dossier.bodies(services, campaign, council)
    name = f"du-thao-quyet-dinh-{campaign.id}-nam-{ballot.year}.docx"
    path = services.settings.exports_path / f"{ctx.person.id}-{name}"
    basis = dossier.basis(services, campaign, ballot.year)
    await asyncio.to_thread(write_decision, t, bodies, basis, passed, path)
    ctx.reply(ctx.t("council.decision_sent", count=len(passed)), files=[OutgoingFile(name, path)])


@router.option("br")
async def ask_decision(ctx: Context) -> None:
    if (found := await _closed_ballot(ctx)) is None:
        return
    ballot, _ = found
    if await ctx.services.council.ballots.decision(ballot.id) is not None:
        ctx.reply(ctx.t("council.already_recorded"))
        return
    ctx.expect("council.decision", ballot=ballot.id)
    ctx.reply(ctx.t("council.ask_decision"))


@router.step("council.decision")
async def decision_typed(ctx: Context) -> None:
    ballot = await ctx.services.council.ballots.by_id(int(ctx.conversation.data.get("ballot", 0)))
    match = DECISION.match(ctx.incoming.text)
    signed = None
    if match:
        try:
            signed = parse_vn_date(match.group(2))
        except ValueError:
            signed = None
    if ballot is None:
        ctx.done()
        ctx.reply(ctx.t("errors.stale_option"))
        return
    if match is None or signed is None or signed > ctx.today:
        ctx.reply(ctx.t("council.decision_invalid"))
        return
    campaign = await ctx.services.catalog.get(ballot.campaign_id)
    assert campaign is not None
    number, signed_on = match.group(1), format_vn_date(signed)
    passed = []
    for tally, _ in await _counted(ctx, ballot, campaign):
        if tally.passed:
            pledge = await ctx.services.records.pledges.by_id(tally.nominee.pledge_id)
            if pledge is not None:
                passed.append((pledge, tally))
    notices = await _decision_notices(ctx, campaign, [p for p, _ in passed], number, signed_on)
    ctx.done()
    recorded = await ctx.services.council.record_decision(
        ctx.person, ballot, campaign, number, signed_on, [p for p, _ in passed], notices
    )
    if not recorded:
        ctx.reply(ctx.t("council.already_recorded"))
        return
    ctx.reply(
        ctx.t(
            "council.decision_recorded",
            number=number,
            date=signed_on,
            count=len(passed),
            told=len(notices),
        ),
        [[Option(ctx.t("council.back"), f"bs:{ballot.id}")]],
    )


async def _decision_notices(
    ctx: Context, campaign: Campaign, passed: list[Any], number: str, signed_on: str
) -> list[Notice]:
    """Each person awarded, and the head of each unit awarded or with members awarded."""
    notices = []
    heads: dict[int, list[str]] = {}
    for pledge in passed:
        index = await ctx.services.records.awards.of_pledge(pledge.id)
        form = dossier.award_label(campaign, index.award_index if index else 99)
        who = pledge.filed_unit if pledge.kind == "collective" else pledge.filed_name
        heads.setdefault(pledge.unit_id, []).append(f"{who} — {form}")
        if pledge.kind == "individual":
            person = await ctx.services.persons.by_id(pledge.person_id)
            if person is not None:
                t = ctx.services.translator.for_language(person.locale)
                notices.append(
                    Notice(
                        person,
                        str(
                            t(
                                "council.told_awarded",
                                form=form,
                                year=pledge.year,
                                number=number,
                                date=signed_on,
                            )
                        ),
                        [],
                    )
                )
    for unit_id, names in heads.items():
        for head in await ctx.services.persons.members_of(unit_id):
            if head.role != "unit_head":
                continue
            t = ctx.services.translator.for_language(head.locale)
            text = t(
                "council.told_head", number=number, date=signed_on, names=views.bullets(t, names)
            )
            notices.append(Notice(head, str(text), []))
    return notices


# --- the award history --------------------------------------------------------------------
@router.command("history")
async def history_command(ctx: Context) -> None:
    """With a name: that person's (or unit's) history. Alone: the sheet to fill in."""
    history = ctx.services.council.history
    if ctx.value.strip():
        found = await history.search(ctx.value)
        if not found:
            ctx.reply(ctx.t("history.not_found", name=ctx.value.strip()))
            return
        ctx.reply(
            views.lines(
                ctx.t("history.found", name=ctx.value.strip(), count=len(found)),
                *[history_line(ctx, a, True) for a in found],
            )
        )
        return
    awards = await history.search("", limit=10_000)
    name = "qua-trinh-khen-thuong.xlsx"
    path = ctx.services.settings.exports_path / f"{ctx.person.id}-{name}"
    t = ctx.services.translator.for_language("vi")
    await asyncio.to_thread(write_history, awards, t, path)
    ctx.expect("council.history")
    ctx.reply(ctx.t("history.sent", count=len(awards)), files=[OutgoingFile(name, path)])


def history_line(ctx: Context, a: Award, with_name: bool) -> Markup:
    decision = (
        ctx.t("history.decision", number=a.decision_number, date=a.decision_date)
        if (a.decision_number)
        else Markup("")
    )
    if with_name:
        return ctx.t(
            "history.line_named",
            name=a.full_name,
            unit=a.unit_name or "—",
            year=a.year,
            title=a.label,
            decision=decision,
        )
    return ctx.t("history.line", year=a.year, title=a.label, decision=decision)


@router.file_step("council.history")
async def history_received(ctx: Context) -> None:
    incoming = ctx.incoming.file
    assert incoming is not None
    name = safe_name(incoming.name)
    if not name.lower().endswith(".xlsx"):
        ctx.reply(ctx.t("history.not_xlsx", name=name))
        return
    try:
        if incoming.size is not None and incoming.size > MAX_SHEET_BYTES:
            raise FileTooLarge(name)
        content = await incoming.fetch(MAX_SHEET_BYTES)
    except FileTooLarge:
        ctx.reply(ctx.t("history.too_big", name=name, mb=MAX_SHEET_BYTES // 1_000_000))
        return
    t = ctx.services.translator.for_language("vi")
    # Read ahead of the unit of work like every sent sheet (bounded, in the worker process).
    sheet = incoming.sheet if incoming.sheet is not None else await sheet_of(content, name)
    if sheet.problem is not None and sheet.problem.limit == "broken":
        ctx.reply(ctx.t("history.unreadable", name=name))
        return
    if sheet.problem is not None:  # past one of the bounds: said with the limit
        ctx.reply(ctx.t(f"files.{sheet.problem.limit}", name=name, row=sheet.problem_row,
                        **sheet.problem.values))  # fmt: skip
        return
    read = read_history(sheet, t)
    if read.problems:
        shown = [
            ctx.t("history.problem", row=row, what=ctx.t(key, **values))
            for row, key, values in read.problems[:PROBLEMS_SHOWN]
        ]
        ctx.reply(views.lines(ctx.t("history.refused", count=len(read.problems)), *shown))
        return
    awards = await _linked(ctx, read.awards)
    written = await ctx.services.council.history.add(awards, "import")
    ctx.done()
    ctx.reply(ctx.t("history.loaded", count=written))


async def _linked(ctx: Context, awards: list[Award]) -> list[Award]:
    """Each row linked to the unit of that name, and to the person listed there by name."""
    from dataclasses import replace

    from bot.textmatch import fold

    units = {fold(u.name): u for u in await ctx.services.units.all()}
    linked = []
    for a in awards:
        unit = units.get(fold(a.unit_name.split(",")[0])) if a.unit_name else None
        person_id = None
        if unit is not None and a.kind == "individual":
            for p in await ctx.services.persons.members_of(unit.id):
                if p.full_name and fold(p.full_name) == fold(a.full_name):
                    person_id = p.id
        linked.append(replace(a, unit_id=unit.id if unit else None, person_id=person_id))
    return linked


@router.option("cw")
async def reports_paper(ctx: Context) -> None:
    """The nominees' achievement reports, for the dossier, one after another."""
    from bot.papers.council_papers import ReportPaper, write_reports

    if (chosen := await _closed_list(ctx)) is None:
        return
    campaign, year, rows = chosen
    services, t = ctx.services, ctx.services.translator.for_language("vi")
    council = services.council
    reports = await council.reports.of_pledges([r["pledge_id"] for r in rows])
    filed = [r for r in rows if r["pledge_id"] in reports and reports[r["pledge_id"]].answers]
    if not filed:
        ctx.reply(ctx.t("council.reports_none"))
        return
    papers = []
    for line, r in zip(await dossier.nominee_lines(services, campaign, filed), filed, strict=True):
        pledge = await services.records.pledges.by_id(r["pledge_id"])
        assert pledge is not None
        report = reports[pledge.id]
        initiatives = [f"{i.ref} — {i.title}" for i in await council.recognised_initiatives(pledge)]
        earlier = [
            f"{a.year}: {a.label}"
            + (f" (QĐ {a.decision_number} ngày {a.decision_date})" if a.decision_number else "")
            for a in await council.awards_of(pledge)
        ]
        papers.append(
            ReportPaper(line, report.answers, initiatives, earlier, report.status == "confirmed")
        )
    body = await dossier.bodies(services, campaign, await council.council_for(campaign))
    name = f"bao-cao-thanh-tich-{campaign.id}-nam-{year}.docx"
    path = services.settings.exports_path / f"{ctx.person.id}-{name}"
    await asyncio.to_thread(write_reports, t, year, body.decider.place, papers, path)
    confirmed = sum(1 for p in papers if p.confirmed)
    ctx.reply(
        ctx.t("council.reports_sent", count=len(papers), confirmed=confirmed),
        files=[OutgoingFile(name, path)],
    )
