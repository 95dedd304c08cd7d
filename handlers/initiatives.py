"""/initiative: submit an initiative (sáng kiến) — title, reform area, co-authors with their
share, date first applied, what it is, conditions, benefits, who trialled it, files — review,
confirm; in "needs changes" the author edits and resubmits."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from markupsafe import Markup

from bot.cleaning import clean_line
from bot.domain.campaign import Campaign, ReformArea
from bot.domain.dates import format_vn_date, is_no_such_day, parse_vn_date
from bot.domain.records import Attachment, Author, Initiative
from bot.engine.context import Context
from bot.engine.events import FileTooLarge, Option
from bot.numbers import index_in, record_id, whole_number
from bot.services.files import (
    MAX_FILE_BYTES,
    MAX_FILES,
    container_of,
    file_problem,
    safe_name,
)
from bot.textmatch import fold
from handlers import views
from handlers.menu import main_menu
from handlers.pledges import need_unit
from handlers.privacy import private_router
from handlers.texts import clean_text
from storage.initiatives import CONTENT_FIELDS

router = private_router()

# Free-text fields and their length limits (characters).
TEXT_FIELDS = {
    "title": (5, 300),
    "description": (20, 3000),
    "conditions": (10, 2000),
    "benefits": (10, 2000),
    "trialled_by": (3, 500),
}
SEQUENCE = [
    "title",
    "reform_area",
    "coauthors",
    "share",
    "applied_on",
    "description",
    "conditions",
    "benefits",
    "trialled_by",
    "files",
]
EDITABLE = [
    "title",
    "reform_area",
    "coauthors",
    "applied_on",
    "description",
    "conditions",
    "benefits",
    "trialled_by",
    "files",
]
MAX_COAUTHORS = 9
_SEPARATOR = re.compile(r"\s*[;|]\s*")
MATCHES_SHOWN = 5  # namesakes offered for one co-author


async def _open_campaigns(ctx: Context) -> list[Campaign]:
    mine = await ctx.services.catalog.concerning(ctx.person)
    return [c for c in mine if ctx.services.records.submission_open(c, ctx.today)]


@router.command("initiative", starts_flow=True)
async def initiative_command(ctx: Context) -> None:
    if await need_unit(ctx):
        return
    campaigns = await _open_campaigns(ctx)
    if not campaigns:
        ctx.reply(ctx.t("initiative.none_open"), main_menu(ctx.t))
    elif len(campaigns) == 1:
        _start(ctx, campaigns[0])
    else:
        ctx.reply(ctx.t("initiative.pick_campaign"), views.campaign_buttons(campaigns, "in:c"))


def _start(ctx: Context, campaign: Campaign) -> None:
    ctx.reply(
        ctx.t(
            "initiative.intro",
            campaign=campaign.short_title,
            files=MAX_FILES,
            size=MAX_FILE_BYTES // (1024 * 1024),
        )
    )
    ctx.expect("initiative.title", campaign=campaign.id, coauthors=[], files=[])
    _ask(ctx, "title")


def _ask(ctx: Context, field: str) -> None:
    """Ask for one field; the answer comes back to the step of the same name."""
    ctx.expect(f"initiative.{field}")
    data = ctx.conversation.data
    if field in TEXT_FIELDS:
        ctx.reply(ctx.t(f"initiative.ask_{field}", limit=TEXT_FIELDS[field][1]))
    elif field == "reform_area":
        ctx.reply(
            ctx.t("initiative.ask_reform_area"),
            [[Option(ctx.t(f"reform_area.{a.value}"), f"in:a:{a.value}")] for a in ReformArea],
        )
    elif field == "coauthors":
        ctx.reply(
            ctx.t("initiative.ask_coauthors", limit=MAX_COAUTHORS),
            [[Option(ctx.t("initiative.solo"), "in:solo")]],
        )
    elif field == "share":
        others = sum(int(a["share"]) for a in data.get("coauthors", []))
        ctx.reply(ctx.t("initiative.ask_share", others=others, needed=100 - others))
    elif field == "applied_on":
        ctx.reply(ctx.t("initiative.ask_applied_on"))
    elif field == "files":
        ask = ctx.t(
            "initiative.ask_files",
            files=MAX_FILES,
            size=MAX_FILE_BYTES // (1024 * 1024),
            have=len(data.get("files", [])),
        )
        if not ctx.profile.documents_in:  # Zalo: pictures only, documents through a page
            link = ctx.profile.upload_link(ctx.incoming.user_id)
            extra = ctx.t("initiative.upload_page", url=link) if link else None
            ask = views.lines(ask, extra or ctx.t("initiative.pictures_only"))
        ctx.reply(ask, [[Option(ctx.t("initiative.files_done"), "in:fd")]])


async def _after(ctx: Context, field: str) -> None:
    """After a valid answer: the next field, or back to the review when editing one field."""
    data = ctx.conversation.data
    if field == "coauthors":
        if data.get("coauthors"):
            _ask(ctx, "share")
            return
        data["share"] = 100  # the submitter alone
        field = "share"
    if data.get("reviewing"):
        await _review(ctx)
    else:
        _ask(ctx, SEQUENCE[SEQUENCE.index(field) + 1])


async def _text_field(ctx: Context) -> None:
    field = (ctx.conversation.step or "").split(".", 1)[1]
    minimum, maximum = TEXT_FIELDS[field]
    text = clean_text(ctx, ctx.incoming.text, minimum, maximum, one_line=field == "title")
    if text is None:
        return
    ctx.conversation.data[field] = text
    await _after(ctx, field)


for _field in TEXT_FIELDS:
    router.step(f"initiative.{_field}")(_text_field)


def _coauthor_parts(line: str) -> list[list[str]]:
    """One line: 'Họ tên; Đơn vị; 30%', or several of them one after another (on Zalo, Enter
    sends the message, so people put every co-author on one line)."""
    parts = [p.strip() for p in _SEPARATOR.split(line)]
    shares = parts[2::3]
    if len(parts) > 3 and len(parts) % 3 == 0 and all(_share(p) is not None for p in shares):
        return [parts[n : n + 3] for n in range(0, len(parts), 3)]
    return [parts]


def _share(text: str) -> int | None:
    """A share as typed, "30" or "30%" (ASCII digits: "³⁰" is not a number here)."""
    return whole_number(text.rstrip("%").strip(), high=100)


def _parse_coauthors(text: str) -> tuple[list[dict[str, Any]], int | None]:
    """Lines 'Họ tên; Đơn vị; 30%' -> authors, or the number of the first wrong line."""
    authors = []
    lines = filter(None, (x.strip() for x in text.splitlines()))
    for number, parts in ((n, p) for n, line in enumerate(lines, 1) for p in _coauthor_parts(line)):
        share = _share(parts[-1]) if len(parts) == 3 else None
        name, unit = (parts[0], parts[1]) if len(parts) == 3 else ("", "")
        if not (
            share is not None
            and 1 <= share <= 99
            and len(name) >= 2
            and len(unit) >= 2
            and any(c.isalpha() for c in name)
            and len(name) <= 100
            and len(unit) <= 200
        ):
            return [], number
        authors.append(
            {
                "full_name": clean_line(name),
                "unit_name": clean_line(unit),
                "share": share,
            }
        )
    return authors, None


@router.step("initiative.coauthors")
async def coauthors_given(ctx: Context) -> None:
    authors, wrong_line = _parse_coauthors(ctx.incoming.text)
    if wrong_line is not None:
        ctx.reply(ctx.t("initiative.coauthor_line_wrong", line=wrong_line))
        return
    if len(authors) > MAX_COAUTHORS:
        ctx.reply(ctx.t("initiative.too_many_coauthors", limit=MAX_COAUTHORS))
        return
    others = sum(a["share"] for a in authors)
    if others >= 100:
        ctx.reply(ctx.t("initiative.coauthors_over", total=others))
        return
    ctx.conversation.data["coauthors"] = authors
    await _match_coauthors(ctx, 0)


async def _namesakes(ctx: Context, typed: str) -> list[dict[str, Any]]:
    """People on the staff lists, or on the bot, whose name reads as typed, diacritics aside
    ("Quach Thi Bich Ngan" is Quách Thị Bích Ngân); the submitter is not their own co-author."""
    folded = fold(typed)
    found: dict[str, dict[str, Any]] = {}

    async def add(key: str, name: str, unit_id: int | None, position: str, who: int | None) -> None:
        unit = await ctx.services.units.by_id(unit_id) if unit_id else None
        if who != ctx.person.id and key not in found and unit is not None:
            found[key] = {"full_name": name, "unit_name": unit.name, "position": position,
                          "person_id": who}  # fmt: skip

    for line in await ctx.services.roster.named(folded):
        key = f"p{line.person_id}" if line.person_id else f"r{line.id}"
        await add(key, line.full_name, line.unit_id, line.position, line.person_id)
    for person in await ctx.services.persons.named(folded, fold):
        await add(f"p{person.id}", person.full_name or "", person.unit_id, person.position or "",
                  person.id)  # fmt: skip
    return list(found.values())[:MATCHES_SHOWN]


async def _match_coauthors(ctx: Context, start: int) -> None:
    """Each co-author checked against the staff lists: the same name as written there is taken
    as is; a name that reads the same another way is offered to confirm; else kept as typed."""
    data = ctx.conversation.data
    authors: list[dict[str, Any]] = data["coauthors"]
    for index in range(start, len(authors)):
        author = authors[index]
        candidates = await _namesakes(ctx, author["full_name"])
        exact = [c for c in candidates if c["full_name"] == author["full_name"]]
        if len(candidates) == 1 and exact:
            author.update(full_name=exact[0]["full_name"], person_id=exact[0]["person_id"])
            continue
        if not candidates:
            continue
        ctx.expect("initiative.coauthor_match", matching=index, candidates=candidates)
        ctx.reply(
            ctx.t("initiative.namesake", name=author["full_name"]),
            [
                *(
                    [Option(ctx.t("initiative.namesake_is", name=c["full_name"],
                                  position=c["position"] or "—", unit=c["unit_name"]),
                            f"in:cm:{n}")]
                    for n, c in enumerate(candidates)
                ),
                [Option(ctx.t("initiative.namesake_keep", name=author["full_name"]), "in:cm:x")],
            ],
        )  # fmt: skip
        return
    data.pop("matching", None)
    data.pop("candidates", None)
    await _after(ctx, "coauthors")


async def _coauthor_matched(ctx: Context, choice: str) -> None:
    data = ctx.conversation.data
    index, candidates = int(data.get("matching", 0)), data.get("candidates", [])
    authors: list[dict[str, Any]] = data["coauthors"]
    picked = index_in(choice, len(candidates))
    if choice != "x" and picked is None:
        ctx.reply(ctx.t("errors.stale_option"))
        return
    if picked is not None and index < len(authors):
        chosen = candidates[picked]
        # The name and unit as the list writes them; the person, where they are on the bot.
        authors[index].update(full_name=chosen["full_name"], unit_name=chosen["unit_name"],
                              person_id=chosen["person_id"])  # fmt: skip
    await _match_coauthors(ctx, index + 1)


@router.step("initiative.coauthor_match")
async def coauthor_match_typed(ctx: Context) -> None:
    ctx.reply(ctx.t("initiative.namesake_tap"))
    await _match_coauthors(ctx, int(ctx.conversation.data.get("matching", 0)))


@router.step("initiative.share")
async def share_given(ctx: Context) -> None:
    own = _share(ctx.incoming.text)
    others = sum(int(a["share"]) for a in ctx.conversation.data.get("coauthors", []))
    if own is None or own < 1:
        ctx.reply(ctx.t("initiative.share_not_number", needed=100 - others))
        return
    if own + others != 100:
        ctx.reply(
            ctx.t(
                "initiative.share_sum",
                total=own + others,
                own=own,
                others=others,
                needed=100 - others,
            )
        )
        return
    ctx.conversation.data["share"] = own
    await _after(ctx, "share")


@router.step("initiative.applied_on")
async def applied_on_given(ctx: Context) -> None:
    try:
        applied = parse_vn_date(ctx.incoming.text.strip())
    except ValueError as exc:
        key = "initiative.date_no_such_day" if is_no_such_day(exc) else "initiative.date_wrong"
        ctx.reply(ctx.t(key, value=ctx.incoming.text.strip()))
        return
    if applied > ctx.today:
        ctx.reply(ctx.t("initiative.date_future", today=format_vn_date(ctx.today)))
        return
    if applied.year < 1990:
        ctx.reply(ctx.t("initiative.date_wrong"))
        return
    ctx.conversation.data["applied_on"] = format_vn_date(applied)
    await _after(ctx, "applied_on")


@router.file_step("initiative.files")
async def file_given(ctx: Context) -> None:
    incoming = ctx.incoming.file
    data = ctx.conversation.data
    if incoming is None:
        return
    if len(data.get("files", [])) >= MAX_FILES:
        ctx.reply(
            ctx.t("initiative.files_full", files=MAX_FILES),
            [[Option(ctx.t("initiative.files_done"), "in:fd")]],
        )
        return
    problem = file_problem(incoming.name, incoming.size)
    if problem is None:
        try:
            content = await incoming.fetch(MAX_FILE_BYTES)
        except FileTooLarge:
            problem = "size"
        else:
            # A zip container (Word, Excel, ODT) past its bounds is said as such, even broken.
            if (container := await container_of(incoming, content)) is not None:
                ctx.reply(
                    ctx.t(f"files.{container.limit}", name=safe_name(incoming.name),
                          **container.values),
                    [[Option(ctx.t("initiative.files_done"), "in:fd")]],
                )  # fmt: skip
                return
            problem = file_problem(incoming.name, len(content), content)
    if problem is not None:
        ctx.reply(
            ctx.t(
                f"initiative.file_{problem}",
                name=safe_name(incoming.name),
                size=MAX_FILE_BYTES // (1024 * 1024),
            ),
            [[Option(ctx.t("initiative.files_done"), "in:fd")]],
        )
        return
    saved = await asyncio.to_thread(ctx.services.files.save, incoming.name, content)
    data.setdefault("files", []).append(saved.__dict__)
    ctx.reply(
        ctx.t(
            "initiative.file_saved",
            name=saved.file_name,
            size=_size(saved.size),
            count=len(data["files"]),
            files=MAX_FILES,
        ),
        [[Option(ctx.t("initiative.files_done"), "in:fd")]],
    )


@router.step("initiative.files")
async def text_at_files_step(ctx: Context) -> None:
    _ask(ctx, "files")


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


@router.option("in")
async def initiative_option(ctx: Context) -> None:
    action, _, arg = ctx.value.partition(":")
    if action == "c":
        if await need_unit(ctx):
            return
        # Only a campaign open now that covers the person's unit: forged data gets no further.
        campaign = next((c for c in await _open_campaigns(ctx) if c.id == arg), None)
        if campaign is None:
            ctx.reply(ctx.t("initiative.none_open"), main_menu(ctx.t))
            return
        ctx.done()
        _start(ctx, campaign)
        return
    if ctx.conversation.flow != "initiative":
        ctx.reply(ctx.t("errors.stale_option"), main_menu(ctx.t))
        return
    data = ctx.conversation.data
    step = ctx.conversation.step
    if action == "a" and step == "initiative.reform_area" and arg in {a.value for a in ReformArea}:
        data["reform_area"] = arg
        await _after(ctx, "reform_area")
    elif action == "cm" and step == "initiative.coauthor_match":
        await _coauthor_matched(ctx, arg)
    elif action == "solo" and step == "initiative.coauthors":
        data["coauthors"] = []
        await _after(ctx, "coauthors")
    elif action == "fd" and step == "initiative.files":
        await _review(ctx)
    elif action == "e" and step == "initiative.review" and arg in EDITABLE:
        _ask(ctx, arg)
    elif action == "ok" and step == "initiative.review":
        await _confirm(ctx)
    else:
        ctx.reply(ctx.t("errors.stale_option"))


def _authors(ctx: Context, data: dict[str, Any], unit_name: str) -> list[Author]:
    me = Author(ctx.person.full_name or "", unit_name, int(data.get("share", 100)), ctx.person.id)
    return [
        me,
        *(
            Author(a["full_name"], a["unit_name"], int(a["share"]), a.get("person_id"))
            for a in data.get("coauthors", [])
        ),
    ]


def initiative_body(
    ctx: Context,
    campaign: Campaign | None,
    content: dict[str, str],
    authors: list[Author],
    files: list[Attachment],
) -> Markup:
    lines = [
        ctx.t("pledge.campaign", campaign=campaign.short_title if campaign else "—"),
        ctx.t("initiative.f_title", text=content["title"]),
        ctx.t("initiative.f_reform_area", text=ctx.t(f"reform_area.{content['reform_area']}")),
        ctx.t("initiative.f_authors"),
        *(
            ctx.t("initiative.author", name=a.full_name, unit=a.unit_name, share=a.share)
            for a in authors
        ),
        ctx.t("initiative.f_applied_on", text=content["applied_on"]),
        ctx.t("initiative.f_description", text=content["description"]),
        ctx.t("initiative.f_conditions", text=content["conditions"]),
        ctx.t("initiative.f_benefits", text=content["benefits"]),
        ctx.t("initiative.f_trialled_by", text=content["trialled_by"]),
        ctx.t("initiative.f_files", count=len(files)),
        *(
            ctx.t("initiative.file_line", name=f.file_name, size=_size(f.size), sha=f.sha256[:12])
            for f in files
        ),
    ]
    return views.lines(*lines)


async def _unit_name(ctx: Context) -> str:
    unit = await ctx.services.units.by_id(ctx.person.unit_id) if ctx.person.unit_id else None
    return unit.name if unit else ""


async def _review(ctx: Context) -> None:
    data = ctx.conversation.data
    missing = [f for f in SEQUENCE if f not in ("files", "coauthors") and f not in data]
    if missing:  # e.g. a step skipped by an old button: ask what is missing
        _ask(ctx, missing[0])
        return
    data["reviewing"] = True
    ctx.expect("initiative.review")
    campaign = await ctx.services.catalog.get(data["campaign"])
    content = {f: str(data[f]) for f in CONTENT_FIELDS}
    files = [Attachment(**f) for f in data.get("files", [])]
    body = initiative_body(
        ctx, campaign, content, _authors(ctx, data, await _unit_name(ctx)), files
    )
    edit_buttons = [Option(ctx.t(f"initiative.edit_{f}"), f"in:e:{f}") for f in EDITABLE]
    ctx.reply(
        views.lines(ctx.t("initiative.review"), body),
        [
            [Option(ctx.t("initiative.confirm"), "in:ok")],
            *[edit_buttons[i : i + 3] for i in range(0, len(edit_buttons), 3)],
            [Option(ctx.t("cancel.discard"), "cx:yes")],
        ],
    )


async def _confirm(ctx: Context) -> None:
    data = ctx.conversation.data
    campaign = await ctx.services.catalog.get(data["campaign"])
    records = ctx.services.records
    content = {f: str(data[f]) for f in CONTENT_FIELDS}
    authors = _authors(ctx, data, await _unit_name(ctx))
    files = [Attachment(**f) for f in data.get("files", [])]
    if data.get("initiative_id"):
        initiative = await records.initiatives.by_id(int(data["initiative_id"]))
        if (
            initiative is None
            or initiative.person_id != ctx.person.id
            or not records.initiative_editable(initiative)
        ):
            ctx.done()
            ctx.reply(ctx.t("initiative.locked"))
            return
        known = {a.sha256 for a in initiative.attachments}
        saved = await records.resubmit_initiative(
            ctx.person, initiative, content, authors, [f for f in files if f.sha256 not in known]
        )
        ctx.done()
        ctx.reply(
            ctx.t("initiative.resubmitted", ref=saved.ref), [[Option(ctx.t("menu.my"), "go:my")]]
        )
        return
    if campaign is None or not records.submission_open(campaign, ctx.today):
        ctx.done()
        ctx.reply(ctx.t("initiative.none_open"), main_menu(ctx.t))
        return
    saved = await records.submit_initiative(
        ctx.person, campaign, content, authors, files, ctx.today.year
    )
    ctx.done()
    ctx.reply(
        views.lines(
            ctx.t("initiative.saved", ref=saved.ref),
            initiative_body(ctx, campaign, content, saved.authors, saved.attachments),
        ),
        [[Option(ctx.t("menu.my"), "go:my")]],
    )


# --- one initiative, seen from /my ----------------------------------------------------
async def own_initiative(ctx: Context) -> Initiative | None:
    number = ctx.value.split(":")[0]
    ident = record_id(number)
    initiative = await ctx.services.records.initiatives.by_id(ident) if ident else None
    if initiative is None or initiative.person_id != ctx.person.id:
        ctx.reply(ctx.t("errors.not_yours"))
        return None
    return initiative


async def show_initiative(
    ctx: Context, initiative: Initiative, options: list[list[Option]] | None = None
) -> None:
    campaign = await ctx.services.catalog.get(initiative.campaign_id)
    content = {f: getattr(initiative, f) for f in CONTENT_FIELDS}
    lines = [
        ctx.t("initiative.header", ref=initiative.ref),
        ctx.t("records.status", status=ctx.t(f"status.initiative.{initiative.status}")),
        initiative_body(ctx, campaign, content, initiative.authors, initiative.attachments),
    ]
    if initiative.review_comment:
        lines.append(ctx.t("records.comment", comment=initiative.review_comment))
    if options is None:
        options = []
        if ctx.services.records.initiative_editable(initiative):
            options.append(
                [
                    Option(ctx.t("records.edit"), f"ie:{initiative.id}"),
                    Option(ctx.t("records.withdraw"), f"iw:{initiative.id}"),
                ]
            )
    ctx.reply(views.lines(*lines), options)


async def _own_editable(ctx: Context) -> Initiative | None:
    """The person's own initiative, if it may still be changed; otherwise say why not."""
    initiative = await own_initiative(ctx)
    if initiative is not None and not ctx.services.records.initiative_editable(initiative):
        ctx.reply(ctx.t("initiative.locked"))
        return None
    return initiative


@router.option("ie")
async def edit_initiative(ctx: Context) -> None:
    initiative = await _own_editable(ctx)
    if initiative is None:
        return
    me, *others = initiative.authors
    ctx.done()
    ctx.expect(
        "initiative.review",
        campaign=initiative.campaign_id,
        initiative_id=initiative.id,
        reviewing=True,
        share=me.share,
        coauthors=[
            {
                "full_name": a.full_name,
                "unit_name": a.unit_name,
                "share": a.share,
                "person_id": a.person_id,
            }
            for a in others
        ],
        files=[a.__dict__ for a in initiative.attachments],
        **{f: getattr(initiative, f) for f in CONTENT_FIELDS},
    )
    await _review(ctx)


@router.option("iw")
async def withdraw_initiative(ctx: Context) -> None:
    initiative = await _own_editable(ctx)
    if initiative is None:
        return
    if not ctx.value.endswith(":yes"):
        ctx.reply(
            ctx.t("initiative.withdraw_confirm", ref=initiative.ref),
            [
                [
                    Option(ctx.t("records.withdraw_yes"), f"iw:{initiative.id}:yes"),
                    Option(ctx.t("records.keep"), f"my:i:{initiative.id}"),
                ]
            ],
        )
        return
    if await ctx.services.records.change_initiative_status(
        ctx.person, initiative, "withdrawn", None, []
    ):
        ctx.reply(
            ctx.t("initiative.withdrawn", ref=initiative.ref), [[Option(ctx.t("menu.my"), "go:my")]]
        )
    else:
        ctx.reply(ctx.t("records.changed_meanwhile"))


@router.prompt("initiative")
async def resume_initiative(ctx: Context) -> None:
    step = (ctx.conversation.step or "initiative.review").split(".", 1)[1]
    if step == "review":
        await _review(ctx)
    elif step == "coauthor_match":  # the namesake asked about, asked again
        await _match_coauthors(ctx, int(ctx.conversation.data.get("matching", 0)))
    else:
        _ask(ctx, step)
