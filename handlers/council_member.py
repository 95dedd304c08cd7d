"""A Council member's secret ballot, in a private chat: present or sending a written opinion,
then each nominee in turn (with its summary and eligibility check) and đồng ý / không đồng ý.
Only members of the ballot's Council get anywhere, at every step. What a member chose is
never kept with who they are: not in the ballot's tables, the audit log, the conversation,
the answer, or the stored update."""

from __future__ import annotations

import functools

from bot.council import dossier
from bot.engine.context import Context
from bot.engine.events import Option
from bot.engine.router import Handler, Router
from bot.numbers import record_id
from handlers import views
from storage.council import Ballot, Member


def members_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(ctx: Context) -> None:
        if not await ctx.services.council.memberships(ctx.person):
            await ctx.services.people.log_denied(ctx.person, ctx.incoming.text.split(":", 1)[0])
            ctx.reply(ctx.t("council.refused"))
            return
        if not ctx.incoming.private:
            ctx.reply(ctx.t("desk.private_only"))
            return
        await handler(ctx)

    return guarded


router = Router(guard=members_only)


async def _member_ballot(ctx: Context, value: str) -> tuple[Ballot, Member] | None:
    """The ballot an option names, and this person's seat on its Council."""
    ident = record_id(value)
    ballot = await ctx.services.council.ballots.by_id(ident) if ident else None
    seat = None
    if ballot is not None:
        seats = await ctx.services.council.memberships(ctx.person)
        seat = next((m for m in seats if m.council_id == ballot.council_id), None)
    if ballot is None or seat is None:
        await ctx.services.people.log_denied(ctx.person, "ballot")
        ctx.reply(ctx.t("council.refused"))
        return None
    ballot = await ctx.services.council.refresh(ballot)
    if ballot.closed:
        ctx.reply(ctx.t("council.vote_closed"))
        return None
    return ballot, seat


@router.option("bm")
async def ballot_start(ctx: Context) -> None:
    if (found := await _member_ballot(ctx, ctx.value)) is None:
        return
    ballot, seat = found
    attendance = await ctx.services.council.ballots.attendance(ballot.id)
    if seat.id in attendance:
        await _next_nominee(ctx, ballot, seat)
        return
    campaign = await ctx.services.catalog.get(ballot.campaign_id)
    rules = ctx.services.council.rules.council
    options = [[Option(ctx.t("council.present"), f"ba:{ballot.id}:p")]]
    if rules.written_opinions_count:
        options.append([Option(ctx.t("council.written"), f"ba:{ballot.id}:w")])
    ctx.reply(
        ctx.t(
            "council.attend_question",
            campaign=campaign.short_title if campaign else "—",
            year=ballot.year,
            members=ballot.members,
        ),
        options,
    )


@router.option("ba")
async def attendance(ctx: Context) -> None:
    number, _, how = ctx.value.partition(":")
    if (found := await _member_ballot(ctx, number)) is None:
        return
    ballot, seat = found
    if how not in ("p", "w"):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    await ctx.services.council.ballots.attend(ballot.id, seat.id, written=how == "w")
    await _next_nominee(ctx, ballot, seat)


async def _next_nominee(ctx: Context, ballot: Ballot, seat: Member) -> None:
    """The first nominee this member has not voted on, or thanks when none is left."""
    council = ctx.services.council
    voted = await council.ballots.voted_on(ballot.id, seat.id)
    nominees = await council.ballots.nominees(ballot.id)
    waiting = [n for n in nominees if n.pledge_id not in voted]
    if not waiting:
        ballot = await council.refresh(ballot)
        ctx.reply(ctx.t("council.vote_done", count=len(nominees)))
        return
    nominee = waiting[0]
    campaign = await ctx.services.catalog.get(ballot.campaign_id)
    pledge = await ctx.services.records.pledges.by_id(nominee.pledge_id)
    assert campaign is not None and pledge is not None
    row = {
        "pledge_id": pledge.id,
        "kind": pledge.kind,
        "ref": pledge.ref,
        "filed_name": pledge.filed_name,
        "filed_position": pledge.filed_position,
        "filed_unit": pledge.filed_unit,
        "award_index": nominee.award_index,
    }
    (line,) = await dossier.nominee_lines(ctx.services, campaign, [row])
    verdict = await council.check(pledge, campaign, nominee.award_index)
    if not verdict.checked:
        check = ctx.t("council.check_none")
    elif verdict.passed:
        assert verdict.rule is not None
        check = ctx.t("council.check_passed", article=verdict.rule.article)
    else:
        assert verdict.rule is not None
        check = ctx.t(
            "council.check_missing",
            missing="; ".join(verdict.missing),
            article=verdict.rule.article,
        )
    share = round(nominee.share * 100)
    needed = ctx.t("council.needed_over" if nominee.strict else "council.needed_from", share=share)
    text = views.lines(
        ctx.t(
            "council.nominee",
            n=nominee.position + 1,
            count=len(nominees),
            name=line.name,
            position=line.position or "—",
            unit=line.unit,
            form=line.form,
        ),
        ctx.t("council.summary", summary=line.summary),
        check,
        ctx.t("council.threshold", needed=needed, members=ballot.members),
    )
    data = f"{ballot.id}:{pledge.id}"
    ctx.reply(
        text,
        [
            [
                Option(ctx.t("council.agree"), f"bv:{data}:y"),
                Option(ctx.t("council.disagree"), f"bv:{data}:n"),
            ]
        ],
    )


@router.option("bv")
async def vote(ctx: Context) -> None:
    # What this update said (the choice) is not kept with the sender once handled.
    await ctx.services.inbox.forget_payload(ctx.incoming.channel, ctx.incoming.update_id)
    number, _, rest = ctx.value.partition(":")
    pledge_text, _, choice = rest.partition(":")
    if (found := await _member_ballot(ctx, number)) is None:
        return
    ballot, seat = found
    pledge_id = record_id(pledge_text)
    if pledge_id is None or choice not in ("y", "n"):
        ctx.reply(ctx.t("errors.stale_option"))
        return
    counted = await ctx.services.council.vote(ctx.person, ballot, seat, pledge_id, choice == "y")
    # The answer does not repeat the choice: it is kept until sent.
    ctx.reply(ctx.t("council.vote_taken" if counted else "council.vote_already"))
    await _next_nominee(ctx, ballot, seat)
