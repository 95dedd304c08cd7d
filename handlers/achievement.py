"""The achievement report (báo cáo thành tích), by chat: the nominee (the unit head, for a
collective) answers the report's headings in a few lines each; the bot fills in the recognised
initiatives and earlier titles; the head confirms. The nominee list's summary comes from it."""

from __future__ import annotations

from markupsafe import Markup

from bot.cleaning import clean_block
from bot.domain.records import Pledge
from bot.engine.context import Context
from bot.engine.events import Option
from bot.numbers import record_id
from bot.papers.council_papers import REPORT_HEADINGS
from bot.services.records import Notice
from handlers import views
from handlers.privacy import private_router

router = private_router()
ANSWER_LIMIT = 1500


async def _pledge(ctx: Context, value: str) -> Pledge | None:
    ident = record_id(value)
    pledge = await ctx.services.records.pledges.by_id(ident) if ident else None
    if pledge is None:
        ctx.reply(ctx.t("errors.stale_option"))
    return pledge


def _may_file(ctx: Context, pledge: Pledge) -> bool:
    """The nominee themself; for a collective, the unit's head."""
    if pledge.kind == "collective":
        return ctx.person.role == "unit_head" and ctx.person.unit_id == pledge.unit_id
    return ctx.person.id == pledge.person_id


def _may_confirm(ctx: Context, pledge: Pledge) -> bool:
    return ctx.person.role == "unit_head" and ctx.person.unit_id == pledge.unit_id


@router.option("ta")
async def start_report(ctx: Context) -> None:
    pledge = await _pledge(ctx, ctx.value)
    if pledge is None:
        return
    if not _may_file(ctx, pledge):
        ctx.reply(ctx.t("achievement.not_yours"))
        return
    ctx.expect(f"achievement.{REPORT_HEADINGS[0]}", pledge=pledge.id, answers={})
    commitments = [*pledge.commitments, *pledge.own_commitments]
    ctx.reply(
        views.lines(
            ctx.t("achievement.intro", ref=pledge.ref, count=len(REPORT_HEADINGS)),
            ctx.t("achievement.your_pledge"),
            views.bullets(ctx.t, commitments),
            _question(ctx, 0),
        )
    )


def _question(ctx: Context, n: int) -> Markup:
    key = REPORT_HEADINGS[n]
    return ctx.t(
        "achievement.ask",
        n=n + 1,
        count=len(REPORT_HEADINGS),
        heading=ctx.t(f"achievement.h_{key}"),
        hint=ctx.t(f"achievement.hint_{key}"),
    )


async def _answered(ctx: Context) -> None:
    step = (ctx.conversation.step or "").split(".", 1)[1]
    text = clean_block(ctx.incoming.text)
    if len(text) > ANSWER_LIMIT or not any(ch.isalpha() for ch in text):
        ctx.reply(ctx.t("achievement.answer_invalid", limit=ANSWER_LIMIT))
        return
    answers = dict(ctx.conversation.data.get("answers", {}))
    answers[step] = text
    n = REPORT_HEADINGS.index(step)
    if n + 1 < len(REPORT_HEADINGS):
        ctx.expect(f"achievement.{REPORT_HEADINGS[n + 1]}", answers=answers)
        ctx.reply(_question(ctx, n + 1))
        return
    ctx.expect("achievement.review", answers=answers)
    pledge = await _pledge(ctx, str(ctx.conversation.data.get("pledge", "")))
    if pledge is None:
        ctx.done()
        return
    await _review(ctx, pledge, answers)


for _heading in REPORT_HEADINGS:
    router.step(f"achievement.{_heading}")(_answered)


async def _review(ctx: Context, pledge: Pledge, answers: dict[str, str]) -> None:
    council = ctx.services.council
    initiatives = [f"{i.ref} — {i.title}" for i in await council.recognised_initiatives(pledge)]
    earlier = [f"{a.year}: {a.label}" for a in await council.awards_of(pledge)]
    parts = [ctx.t("achievement.review", ref=pledge.ref)]
    for key in REPORT_HEADINGS:
        parts.append(
            ctx.t(
                "achievement.review_item",
                heading=ctx.t(f"achievement.h_{key}"),
                answer=answers.get(key, "—"),
            )
        )
    parts.append(
        ctx.t(
            "achievement.filled",
            initiatives="; ".join(initiatives) or "—",
            earlier="; ".join(earlier) or "—",
        )
    )
    ctx.reply(
        views.lines(*parts),
        [
            [Option(ctx.t("achievement.send"), f"tg:{pledge.id}")],
            [Option(ctx.t("achievement.again"), f"ta:{pledge.id}")],
        ],
    )


@router.step("achievement.review")
async def typed_at_review(ctx: Context) -> None:
    ctx.reply(ctx.t("achievement.tap_send"))


@router.prompt("achievement")
async def resume(ctx: Context) -> None:
    ctx.reply(ctx.t("achievement.resume"))


@router.option("tg")
async def send_report(ctx: Context) -> None:
    pledge = await _pledge(ctx, ctx.value)
    if pledge is None:
        return
    answers = ctx.conversation.data.get("answers") or {}
    if (
        not _may_file(ctx, pledge)
        or ctx.conversation.step != "achievement.review"
        or int(ctx.conversation.data.get("pledge", 0)) != pledge.id
    ):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    # A head filing for the unit confirms it in the same act.
    confirmed = _may_confirm(ctx, pledge)
    notices = [] if confirmed else await _tell_heads(ctx, pledge)
    await ctx.services.council.file_report(ctx.person, pledge, dict(answers), confirmed, notices)
    ctx.done()
    ctx.reply(
        ctx.t("achievement.confirmed_now" if confirmed else "achievement.sent", ref=pledge.ref)
    )


async def _tell_heads(ctx: Context, pledge: Pledge) -> list[Notice]:
    notices = []
    for head in await ctx.services.persons.members_of(pledge.unit_id):
        if head.role != "unit_head" or head.id == ctx.person.id:
            continue
        t = ctx.services.translator.for_language(head.locale)
        text = t("achievement.to_confirm", name=pledge.filed_name, ref=pledge.ref)
        opening = [[(t.plain("achievement.open"), f"tx:{pledge.id}")]]
        notices.append(Notice(head, str(text), opening))
    return notices


@router.option("tx")
async def open_for_head(ctx: Context) -> None:
    pledge = await _pledge(ctx, ctx.value)
    if pledge is None:
        return
    report = await ctx.services.council.reports.get(pledge.id)
    if not _may_confirm(ctx, pledge) or report is None:
        ctx.reply(ctx.t("achievement.not_yours"))
        return
    parts = [ctx.t("achievement.head_view", name=pledge.filed_name, ref=pledge.ref)]
    for key in REPORT_HEADINGS:
        parts.append(
            ctx.t(
                "achievement.review_item",
                heading=ctx.t(f"achievement.h_{key}"),
                answer=report.answers.get(key, "—"),
            )
        )
    options = []
    if report.status == "submitted":
        options = [[Option(ctx.t("achievement.confirm"), f"tc:{pledge.id}")]]
    else:
        parts.append(ctx.t(f"achievement.status_{report.status}"))
    ctx.reply(views.lines(*parts), options)


@router.option("tc")
async def confirm_report(ctx: Context) -> None:
    pledge = await _pledge(ctx, ctx.value)
    if pledge is None:
        return
    if not _may_confirm(ctx, pledge):
        ctx.reply(ctx.t("achievement.not_yours"))
        return
    author = await ctx.services.persons.by_id(pledge.person_id)
    notices = []
    if author is not None:
        t = ctx.services.translator.for_language(author.locale)
        notices.append(Notice(author, str(t("achievement.told_confirmed", ref=pledge.ref)), []))
    if await ctx.services.council.confirm_report(ctx.person, pledge, notices):
        ctx.reply(ctx.t("achievement.confirmed", name=pledge.filed_name, ref=pledge.ref))
    else:
        ctx.reply(ctx.t("achievement.already_confirmed", ref=pledge.ref))


@router.option("ah")
async def award_history(ctx: Context) -> None:
    """/my's award history: one's own; a unit head also sees the unit's and its members'."""
    from handlers.secretariat.council import history_line

    council = ctx.services.council
    names = await council.unit_names(ctx.person.unit_id)
    mine = await council.history.of_person(ctx.person.id, ctx.person.full_name or "", names)
    lines = [ctx.t("history.mine", count=len(mine))]
    lines += [history_line(ctx, a, False) for a in mine] or [ctx.t("history.none")]
    if ctx.value == "u" and ctx.person.role == "unit_head" and ctx.person.unit_id is not None:
        unit = await ctx.services.units.by_id(ctx.person.unit_id)
        assert unit is not None
        theirs = await council.history.of_unit(unit.id, unit.name)
        lines.append(ctx.t("history.unit", unit=unit.name, count=len(theirs)))
        lines += [history_line(ctx, a, True) for a in theirs] or [ctx.t("history.none")]
    ctx.reply(views.lines(*lines))
